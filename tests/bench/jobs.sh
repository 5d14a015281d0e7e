#!/bin/sh
# SPDX-License-Identifier: MIT
# --jobs for `make bench` (docs/benchmarks.md): the same work on 1 thread and on
# J threads (default: the processors available; BENCH_JOBS), each the median
# wall time of 3 runs: screen --no-store and stored of store.sh's records,
# search --batch of batch.sh's sheet, and rescreen of those records' cases.
# Each pair's outputs must be the same bytes. From the two times, the part
# that stays on one thread (Amdahl: T_J = T_1 (s + (1 - s) / J)) and what
# that part allows on 8 cores. Run after store.sh and batch.sh.
#   sh tests/bench/jobs.sh BINARY SCRATCH [J]
set -eu
BIN=$1
SC=$2
S=$SC/jobs
J=${3:-${BENCH_JOBS:-$(nproc)}}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1 SOURCE_DATE_EPOCH=1767225600
unset TTSCREEN_DB
REC=$SC/store/records.jsonl
LDB=$SC/store/after-lists.db
SHEET=$SC/batch/all.csv
BDB=$SC/batch/lists.db
for f in "$REC" "$LDB" "$SHEET" "$BDB"; do
    [ -f "$f" ] || { echo "jobs bench: $f missing (run store.sh and batch.sh first)" >&2; exit 2; }
done
N=$(wc -l <"$REC")
ROWS=$(($(wc -l <"$SHEET") - 1))

# fresh NAME: a copy of the lists database (with its index file) for a stored run
fresh() {
    rm -f "$S/$1.db" "$S/$1.db-wal" "$S/$1.db-shm" "$S/$1.db-index"
    cp "$LDB" "$S/$1.db"
    if [ -f "$LDB-index" ]; then cp "$LDB-index" "$S/$1.db-index"; fi
}
# timed3 NAME PREP CMD...: 3 runs of CMD (exit 0 or 1), PREP before each (or :); the
# median wall time into $S/NAME.wall, the last run's output into $S/NAME.out
timed3() {
    name=$1
    prep=$2
    shift 2
    : >"$S/$name.walls"
    for k in 1 2 3; do
        $prep
        /usr/bin/time -f '%e' -o "$S/$name.t" "$@" >"$S/$name.out" 2>"$S/$name.err" ||
            [ $? -eq 1 ] || { cat "$S/$name.err" >&2; exit 2; }
        tail -n 1 "$S/$name.t" >>"$S/$name.walls"
    done
    sort -n "$S/$name.walls" | sed -n 2p >"$S/$name.wall"
}
same() { cmp -s "$S/$1.out" "$S/$2.out" && echo "same bytes" || echo "OUTPUTS DIFFER"; }
# report WHAT UNITS COUNT A B: the line for the pair (A: --jobs 1, B: --jobs J)
report() {
    t1=$(cat "$S/$4.wall")
    tj=$(cat "$S/$5.wall")
    echo "$3 $t1 $tj $J" | awk -v what="$1" -v unit="$2" -v same="$(same "$4" "$5")" '{
        n = $1; t1 = ($2 > 0 ? $2 : 0.01); tj = ($3 > 0 ? $3 : 0.01); j = $4
        s = j > 1 ? (j * tj / t1 - 1) / (j - 1) : 1
        if (s < 0) s = 0
        if (s > 1) s = 1
        printf "  %-18s %7.0f %s/s on 1 thread, %7.0f on %d (%.2fx); one-thread part %.0f%%, so at most %.1fx on 8 cores; %s\n",
            what, n / t1, unit, n / tj, j, t1 / tj, 100 * s, 1 / (s + (1 - s) / 8), same
    }'
}

echo "jobs bench: --jobs 1 against --jobs $J ($(nproc) processors), median wall of 3 runs"
SCR="screen --format jsonl --fail-on critical --by bench"
timed3 nostore-1 : "$BIN" $SCR --no-store --db "$LDB" --jobs 1 "$REC"
timed3 nostore-j : "$BIN" $SCR --no-store --db "$LDB" --jobs "$J" "$REC"
report "screen --no-store" records "$N" nostore-1 nostore-j
timed3 stored-1 "fresh s1" "$BIN" $SCR --db "$S/s1.db" --jobs 1 "$REC"
timed3 stored-j "fresh sj" "$BIN" $SCR --db "$S/sj.db" --jobs "$J" "$REC"
report "screen (stored)" records "$N" stored-1 stored-j
timed3 batch-1 : "$BIN" search --batch "$SHEET" --db "$BDB" --quiet --jobs 1
timed3 batch-j : "$BIN" search --batch "$SHEET" --db "$BDB" --quiet --jobs "$J"
report "search --batch" names "$ROWS" batch-1 batch-j
# rescreen: the stored cases of s1 (a copy per run: a rescreen stores new screenings)
cp "$S/s1.db" "$S/cases.db"
if [ -f "$S/s1.db-index" ]; then cp "$S/s1.db-index" "$S/cases.db-index"; fi
rcopy() {
    rm -f "$S/$1.db" "$S/$1.db-wal" "$S/$1.db-shm"
    cp "$S/cases.db" "$S/$1.db"
    if [ -f "$S/cases.db-index" ]; then cp "$S/cases.db-index" "$S/$1.db-index"; fi
}
timed3 rescreen-1 "rcopy r1" "$BIN" rescreen --db "$S/r1.db" --fail-on critical --by bench \
    --as-of 2026-06-01 --quiet --jobs 1
timed3 rescreen-j "rcopy rj" "$BIN" rescreen --db "$S/rj.db" --fail-on critical --by bench \
    --as-of 2026-06-01 --quiet --jobs "$J"
report "rescreen" cases "$N" rescreen-1 rescreen-j
"$BIN" audit verify --db "$S/rj.db" >/dev/null
