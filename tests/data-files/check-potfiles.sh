#!/usr/bin/env bash
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every file with translatable strings must be listed in po/POTFILES.in,
# and every listed file must exist. Usage: check-potfiles.sh SOURCE_ROOT
set -euo pipefail
cd "${1:?usage: check-potfiles.sh SOURCE_ROOT}"

potfiles=po/POTFILES.in
listed=$(grep -v '^\s*#' "$potfiles" | sed '/^\s*$/d' | sort -u)
status=0

for f in $listed; do
    if [ ! -f "$f" ]; then
        echo "po/POTFILES.in lists $f, which does not exist"
        status=1
    fi
done

# C sources calling gettext, templates with translatable properties, and
# the desktop, metainfo and schema files (translatable by their format)
found=$( {
    grep -rlE '(^|[^A-Za-z0-9_])(N_|C_|NC_|_)\(|ngettext\(' --include='*.c' src || true
    grep -rl 'translatable="yes"' --include='*.ui' ui src 2>/dev/null || true
    ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | sort -u)

for f in $found; do
    if ! grep -qxF "$f" <<<"$listed"; then
        echo "$f has translatable strings but is missing from po/POTFILES.in"
        status=1
    fi
done

if [ "$status" -eq 0 ]; then
    echo "po/POTFILES.in lists all $(wc -w <<<"$found") files with translatable strings"
fi
exit $status
