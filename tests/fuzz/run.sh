#!/bin/sh
# Runs the libFuzzer harnesses (docs/fuzzing.md): tests/fuzz/run.sh replay|fuzz|merge BUILD NAME...
#   replay  each file of tests/fuzz/corpus/NAME once; fails on any crash, leak or broken check
#   fuzz    FUZZ_SECONDS (default 60) per harness, or FUZZ_RUNS inputs when set; new inputs go to
#           BUILD/work/NAME (the tree's corpus is only read), findings to BUILD/findings/NAME;
#           prints the executions and fails on any finding
#   merge   adds the inputs in BUILD/work/NAME that reach new code to tests/fuzz/corpus/NAME
# One harness at a time: the machine is shared.
set -u
what=$1
build=$2
shift 2
here=tests/fuzz
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
pass=0
fail=0
for name in "$@"; do
	bin=$build/fuzz/fuzz_$name
	corpus=$here/corpus/$name
	log=$build/fuzz/$name.$what.log
	findings=$build/findings/$name
	dict=""
	[ -f "$here/$name.dict" ] && dict="-dict=$here/$name.dict"
	# NAME.options: extra libFuzzer flags for that harness, e.g. -max_len=512.
	opts=""
	[ -f "$here/$name.options" ] && opts=$(grep -v '^#' "$here/$name.options" | tr '\n' ' ')
	mkdir -p "$findings"
	case $what in
	replay)
		# libFuzzer runs each file named on its command line once.
		# With no file named, libFuzzer would fuzz instead of replaying: a missing corpus fails.
		n=$(find "$corpus" -type f 2>/dev/null | wc -l)
		if [ "$n" = 0 ]; then
			echo "FAILED: fuzz replay $name: no inputs in $corpus"
			fail=$((fail + 1))
			continue
		fi
		if find "$corpus" -type f -print0 | sort -z |
			xargs -0 "$bin" -timeout=25 -artifact_prefix="$findings/" >"$log" 2>&1; then
			echo "fuzz replay $name: $n inputs, no findings"
			pass=$((pass + 1))
		else
			echo "FAILED: fuzz replay $name (log: $log)"
			grep -E "ERROR|runtime error|check failed|Running:" "$log" | tail -5
			fail=$((fail + 1))
		fi
		;;
	fuzz)
		work=$build/work/$name
		mkdir -p "$work"
		if [ -n "${FUZZ_RUNS:-}" ]; then limit="-runs=$FUZZ_RUNS"; else limit="-max_total_time=${FUZZ_SECONDS:-60}"; fi
		stamp=$build/fuzz/$name.started
		touch "$stamp"
		start=$(date +%s)
		# The work folder first: libFuzzer writes new inputs to the first corpus it is given.
		"$bin" $limit $dict $opts -timeout=25 -print_final_stats=1 -artifact_prefix="$findings/" \
			"$work" "$corpus" >"$log" 2>&1
		rc=$?
		secs=$(($(date +%s) - start))
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		added=$(sed -n 's/^stat::new_units_added: *//p' "$log")
		rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
		cov=$(grep -E "^#[0-9]+" "$log" | tail -1 | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
		summary="${execs:-?} executions in ${secs} s (${rate:-?}/s), coverage ${cov:-?}, ${added:-?} new inputs, peak ${rss:-?} MB"
		if [ "$rc" = 0 ] && [ -z "$(find "$findings" -type f -newer "$stamp")" ]; then
			echo "fuzz $name: $summary, no findings"
			pass=$((pass + 1))
		else
			echo "FAILED: fuzz $name: $summary; finding in $findings (log: $log)"
			grep -E "ERROR|runtime error|check failed" "$log" | head -5
			fail=$((fail + 1))
		fi
		;;
	merge)
		if "$bin" -merge=1 -artifact_prefix="$findings/" "$corpus" "$build/work/$name" >"$log" 2>&1; then
			echo "fuzz merge $name: $(find "$corpus" -type f | wc -l) inputs in $corpus"
			pass=$((pass + 1))
		else
			echo "FAILED: fuzz merge $name (log: $log)"
			fail=$((fail + 1))
		fi
		;;
	*)
		echo "usage: $0 replay|fuzz|merge BUILD NAME..." >&2
		exit 2
		;;
	esac
done
echo "fuzz harnesses ($what): $pass passed, $fail failed"
[ "$fail" = 0 ]
