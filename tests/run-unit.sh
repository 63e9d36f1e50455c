#!/bin/sh
# Runs every cmocka test binary in the given folder and sums up.
set -u
dir=$1
pass=0
fail=0
for t in "$dir"/test_*; do
	[ -x "$t" ] || continue
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $t"; fi
done
echo "unit test programs: $pass passed, $fail failed"
[ "$fail" = 0 ]
