#!/usr/bin/env bash
# Copyright 2026 The Wristflash developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every C file under src/ must be formatted as .clang-format says.
# Usage: check-format.sh SOURCE_ROOT [CLANG_FORMAT]
set -euo pipefail
cd "${1:?usage: check-format.sh SOURCE_ROOT [CLANG_FORMAT]}"
clang_format=${2:-clang-format}

mapfile -t files < <(find src -name '*.[ch]' | sort)
bad=()
for f in "${files[@]}"; do
    if ! "$clang_format" --dry-run --Werror --style=file "$f" >/dev/null 2>&1; then
        bad+=("$f")
    fi
done

if [ ${#bad[@]} -gt 0 ]; then
    echo "${#bad[@]} of ${#files[@]} files need clang-format -i:"
    printf '  %s\n' "${bad[@]}"
    exit 1
fi
echo "all ${#files[@]} files under src/ are formatted"
