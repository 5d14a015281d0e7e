#!/bin/sh
# SPDX-License-Identifier: MIT
# Whole-process timing for `make bench`: a database holding the 2019 SDN and
# the CSL samples, then `ttscreen search` (and `ttscreen screen` of the CATL
# seed record when that command and fixture exist) run 20 times from start
# to exit; prints the median wall time.
# Usage: tests/bench/process.sh TTSCREEN SCRATCH_DIR
set -u
T=$1
S=$2
mkdir -p "$S"
DB=$S/bench.db
rm -f "$DB" "$DB-wal" "$DB-shm"
F=fixtures/lists
"$T" lists import ofac-sdn $F/ofac-sdn-2019-01/sdn.csv $F/ofac-sdn-2019-01/alt.csv \
    $F/ofac-sdn-2019-01/add.csv --db "$DB" >/dev/null || exit 2
"$T" lists import us-csl $F/csl-2025-sample.csv --db "$DB" >/dev/null || exit 2
"$T" lists import us-csl-2019 $F/csl-2019-12-sample.csv --format csl-csv --db "$DB" >/dev/null || exit 2
"$T" lists import us-1260h $F/us-1260h.csv --db "$DB" >/dev/null || exit 2

# median_ms CMD...: median wall time of 20 runs, in milliseconds.
median_ms() {
    i=0
    : >"$S/times"
    while [ $i -lt 20 ]; do
        a=$(date +%s%N)
        "$@" >/dev/null 2>&1
        b=$(date +%s%N)
        echo $(((b - a) / 1000)) >>"$S/times"
        i=$((i + 1))
    done
    sort -n "$S/times" | sed -n 10p | awk '{ printf "%.1f", $1 / 1000 }'
}

echo "process: ttscreen search (SDN 2019 + CSL samples + 1260H in the database): median" \
    "$(median_ms "$T" search "Contemporary Amperex Technology" --db "$DB") ms wall, start to exit"
for REC in fixtures/records/*catl*.json; do
    if [ -f "$REC" ] && "$T" screen --help >/dev/null 2>&1; then
        echo "process: ttscreen screen $REC: median" \
            "$(median_ms "$T" screen --no-store --db "$DB" "$REC") ms wall, start to exit"
    fi
done
