#!/usr/bin/env python3
"""Prints "N passed, N failed[, N skipped]" from a meson testlog.json, plus any
extra passed/failed counts given after it (the timed fuzzer runs)."""
import json
import sys

passed = failed = skipped = 0
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        if not line.strip():
            continue
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1
if len(sys.argv) > 3:
    passed += int(sys.argv[2])
    failed += int(sys.argv[3])
summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
