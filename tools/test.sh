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

python3 tools/test-summary.py build/meson-logs/testlog.json
exit $status
