#!/usr/bin/env bash
# Runs every format fuzzer for N seconds (default 60) with libFuzzer, ASan and
# UBSan, starting from tests/fuzz/corpus/<target>/. New coverage is kept in
# a scratch corpus; a crash leaves crash-* files in the work directory and
# makes the script fail. Add a crash input to tests/fuzz/corpus/<target>/ once
# the bug is fixed, so the 'fuzz' test suite replays it forever.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS] [TARGET…]
#
# Environment: BUILD_DIR (default build-fuzz), WORK_DIR (default
# BUILD_DIR/fuzz-work), JOBS (parallel fuzzing jobs per target, default 1).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	targets=(cfg scatter gfh boot-header rom-identity firmware-package dump)
fi
build=${BUILD_DIR:-build-fuzz}
work=${WORK_DIR:-$build/fuzz-work}
jobs=${JOBS:-1}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined \
		-Db_lundef=false -Dgui=disabled
fi
ninja -C "$build" $(for t in "${targets[@]}"; do echo "tests/fuzz/fuzz-$t"; done)

extra=()
if [ "$jobs" -gt 1 ]; then
	extra=(-jobs="$jobs" -workers="$jobs")
fi

status=0
for t in "${targets[@]}"; do
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	echo "== fuzz-$t for ${seconds}s"
	# the first corpus directory receives new inputs; the seeds stay untouched
	if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/tests/fuzz/fuzz-$t" "$work/$t/corpus" "tests/fuzz/corpus/$t" \
		-max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		"${extra[@]}" -print_final_stats=1 \
		-artifact_prefix="$work/$t/artifacts/" 2>"$work/$t/log.txt"; then
		echo "fuzz-$t FAILED, see $work/$t/log.txt and $work/$t/artifacts/"
		status=1
	fi
	grep -E "^(stat::number_of_executed_units|stat::new_units_added|#[0-9]+ *DONE)" \
		"$work/$t/log.txt" || true
done
exit $status
