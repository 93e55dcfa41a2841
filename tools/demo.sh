#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds Wristflash and runs its main job on
# the virtual watch: with a display it opens the application; without one (or
# with --cli) it makes a verified full-flash backup from the command line and
# says where it went.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
tools/build.sh

mode=auto
[ "${1:-}" = "--cli" ] && mode=cli

if [ "$mode" = auto ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; } \
        && [ -x build/src/app/wristflash ]; then
    exec build/src/app/wristflash --simulate
fi

backups="${XDG_DATA_HOME:-$HOME/.local/share}/wristflash/backups"
dest="$backups/virtual-watch-$(date +%Y%m%d-%H%M%S)"
build/src/cli/wristflash-cli --simulate info
build/src/cli/wristflash-cli --simulate backup -o "$dest"
echo
echo "Backup of the virtual watch: $dest"
ls -l "$dest"
