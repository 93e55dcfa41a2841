#!/usr/bin/env bash
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders the application on the virtual watch under Xvfb and saves the
# PNGs used by the README and the metainfo to data/screenshots/.
# Usage: tools/screenshots.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" >/dev/null
fi
ninja -C "$build" tests/ui/wf-screenshots data/gschemas.compiled >/dev/null
out=data/screenshots
mkdir -p "$out"
WF_PROFILES_DIR="$PWD/data/profiles" LANG=C.UTF-8 LC_ALL=C.UTF-8 dbus-run-session -- xvfb-run -a -s "-screen 0 1280x1024x24 -noreset" \
    "$build/tests/ui/wf-screenshots" "$out"
