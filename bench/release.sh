#!/bin/sh
# A full national statistics release, timed against the sqlite3 shell running the same counts
# (bench/release.sql) on the same database: the median of RUNS runs each, and the ratio.
# Target: within 1.5 times the shell and under 2 s on the 2-core machine.
#
# The database (200,000 students, 2,000,000 contacts; bench/national.sql) is made once and
# kept in build/bench; it is made again when national.sql or the schema (migrations.c)
# changes. Each run of elevlos adds a draft version of the year's release to it.
# Wall time is the target; the CPU time (user + system) is printed beside it because other work
# on a shared machine stretches the wall time, not the CPU time.
# usage: bench/release.sh [BIN]   (BENCH_YEAR=2016/17, BENCH_RUNS=5)
set -eu
BIN=${1:-${ELEVLOS_BIN:-build/elevlos}}
PHASES=${BENCH_PHASES:-build/bench-phases}
DIR=build/bench
DB=$DIR/national.db
YEAR=${BENCH_YEAR:-2016/17}
RUNS=${BENCH_RUNS:-5}
mkdir -p "$DIR"

stamp="$(cat bench/national.sql src/db/migrations.c | cksum | cut -d' ' -f1)"
if [ ! -f "$DB.made" ] || [ "$(sed -n 1p "$DB.made")" != "$stamp" ]; then
	echo "making the national database (once; kept in $DB) ..."
	rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key" "$DB.made"
	t0=$(date +%s.%N)
	"$BIN" demo --db "$DB" > /dev/null
	# Four more pilots in each county of the trial's time, beside the demo's 23.
	for c in 01 02 03 04 05 06 07 08 09 10 11 12 14 15 16 17 18 19 20; do
		for n in 1 2 3 4; do
			"$BIN" unit add --db "$DB" --code "P-N$c-$n" --name "Benchmark pilot $n, county $c" \
				--kind pilot --parent "$c" > /dev/null
		done
	done
	sqlite3 "$DB" < bench/national.sql > /dev/null
	t1=$(date +%s.%N)
	printf '%s\n%s\n' "$stamp" "$(echo "$t1 - $t0" | bc)" > "$DB.made"
fi
counts=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM student), (SELECT count(*) FROM sak),
  (SELECT count(*) FROM contact), (SELECT count(*) FROM unit WHERE kind = 'pilot')")
echo "national database: $counts (students|cases|contacts|pilots), $(du -m "$DB" | cut -f1) MB," \
	"made in $(sed -n 2p "$DB.made" | cut -c1-5) s"

# The shell's parameters for the year (or period), as elevlos computes them.
first=${YEAR%%-*}
last=${YEAR##*-}
y1=$(echo "$first" | cut -c1-4)
y2=$(($(echo "$last" | cut -c1-4) + 1))
params=$(mktemp)
trap 'rm -f "$params" "$params".*' EXIT
cat > "$params" <<EOF
.parameter init
.parameter set :scope "'/'"
.parameter set :start "'$y1-08-01'"
.parameter set :end "'$y2-07-31'"
.parameter set :prog "''"
.parameter set :level "''"
.parameter set :first "'$first'"
.parameter set :last "'$last'"
EOF
cat "$params" bench/release.sql > "$params.sql"

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { # appends "wall cpu" of the command to the file $1
	out=$1
	shift
	/usr/bin/time -f '%e %U %S' -o "$params.time" "$@" > "$params.out"
	awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$params.time" >> "$out"
}

: > "$params.ours"
: > "$params.shell"
: > "$params.plain"
for i in $(seq "$RUNS"); do
	timed "$params.ours" "$BIN" release create --db "$DB" --year "$YEAR" --note "make bench"
	last_line=$(cat "$params.out")
	timed "$params.shell" sh -c "sqlite3 '$DB' < '$params.sql'"
	cp "$params.out" "$params.rows"
done
# The shell with SQLite's default page cache and no mapped reads, for reference.
sed '/^PRAGMA mmap_size/d' "$params.sql" > "$params.nommap"
timed "$params.plain" sh -c "sqlite3 '$DB' < '$params.nommap'"

# The two agree: the nation's students and cases from the shell's rows against the release.
id=$(echo "$last_line" | sed -n 's/^release \([0-9]*\):.*/\1/p')
rel=$("$BIN" release show --db "$DB" "$id" | node -e '
  let s = ""; process.stdin.on("data", (d) => s += d).on("end", () => {
    const c = JSON.parse(s).cells; console.log(`${c["S1.students|NO"]} ${c["S1.cases|NO"]}`); });')
sh_counts=$(awk -F'|' '$1 == "S1" { s += $4; k += $5 } END { print s, k }' "$params.rows")

col() { cut -d' ' -f"$1" "$2" | median; }
runs() { cut -d' ' -f1 "$1" | tr '\n' ' '; }
m_ours=$(col 1 "$params.ours")
m_shell=$(col 1 "$params.shell")
ratio=$(echo "scale=2; $m_ours / $m_shell" | bc)
cpu_ratio=$(echo "scale=2; $(col 2 "$params.ours") / $(col 2 "$params.shell")" | bc)
echo "release $YEAR, median of $RUNS runs (load average now: $(cut -d' ' -f1-3 /proc/loadavg)):"
printf '  %-30s %5.2f s wall  %5.2f s CPU   (wall of each run: %s)\n' "elevlos release create" "$m_ours" \
	"$(col 2 "$params.ours")" "$(runs "$params.ours")"
printf '  %-30s %5.2f s wall  %5.2f s CPU   (wall of each run: %s)\n' "sqlite3 shell, same counts" "$m_shell" \
	"$(col 2 "$params.shell")" "$(runs "$params.shell")"
printf '  %-30s %5.2f s wall  %5.2f s CPU   (one run)\n' "the shell without mmap" "$(col 1 "$params.plain")" \
	"$(col 2 "$params.plain")"
echo "  ratio $ratio wall, $cpu_ratio CPU (target at most 1.5); under 2 s: $(echo "$m_ours < 2" | bc | sed 's/1/yes/;s/0/NO/')"
echo "  $last_line" | cut -c1-110
if [ "$rel" = "$sh_counts" ]; then
	echo "  the shell's nation totals match the release (students, cases: $rel)"
else
	echo "  MISMATCH: release says '$rel', the shell '$sh_counts'" >&2
	exit 1
fi
if [ -x "$PHASES" ]; then
	"$PHASES" "$DB" "$YEAR"
fi
