#!/usr/bin/env bash
# Installs the Debian 12 packages Wristflash needs to build, test and run.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
    # build
    meson ninja-build pkg-config gcc gettext
    libglib2.0-dev libglib2.0-bin libjson-glib-dev libserialport-dev libgudev-1.0-dev
    liblzma-dev libarchive-dev
    # application
    libgtk-4-dev libadwaita-1-dev desktop-file-utils appstream gtk-update-icon-cache
    # fuzzing (libFuzzer, ASan, UBSan)
    clang libclang-rt-14-dev
    # headless UI tests
    xvfb xauth dbus dbus-x11 at-spi2-core python3 python3-dogtail python3-pyatspi
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
fi
echo "Installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
