#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Wristflash and runs every test.
# Ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh

# UI tests need a display and a session bus; everything else ignores them.
status=0
dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" \
    meson test -C build --print-errorlogs --num-processes 2 "$@" || status=$?

# Every parser's libFuzzer target, for a bounded time each (WF_FUZZ_SECONDS=0 skips
# this; the corpus replay above runs either way). A crash fails the run and
# leaves its input in build-fuzz/fuzz-work/<target>/artifacts/.
fuzz_seconds=${WF_FUZZ_SECONDS:-30}
fuzz_passed=0
fuzz_failed=0
if [ "$fuzz_seconds" -gt 0 ]; then
    for target in cfg scatter gfh boot-header rom-identity firmware-package dump; do
        if tests/fuzz/run-fuzzers.sh "$fuzz_seconds" "$target" >/dev/null; then
            fuzz_passed=$((fuzz_passed + 1))
        else
            echo "fuzz-$target FAILED (see build-fuzz/fuzz-work/$target/)"
            fuzz_failed=$((fuzz_failed + 1))
            status=1
        fi
    done
    echo "fuzzers: $fuzz_passed passed, $fuzz_failed failed (${fuzz_seconds}s each)"
fi

python3 tools/test-summary.py build/meson-logs/testlog.json "$fuzz_passed" "$fuzz_failed"
exit $status
