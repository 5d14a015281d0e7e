#!/bin/sh
# SPDX-License-Identifier: MIT
# Batch throughput of the whole `ttscreen screen` process for `make bench`: a JSON Lines batch
# of seed records (ids made unique), screened with the shipped rules and the fixture lists,
# first as one process, then as 2 shards in parallel (`--shard I/2`), in the same run.
# Prints records/s for each and the ratio. Usage: tests/bench/shards.sh TTSCREEN SCRATCH [N]
set -u
T=$1
S=$2
N=${3:-20000}
mkdir -p "$S"
DB=$S/shards.db
rm -f "$DB" "$DB-wal" "$DB-shm"
"$T" lists import us-1260h fixtures/lists/us-1260h.csv --format ttscreen-csv --db "$DB" >/dev/null || exit 2
"$T" lists import jp-eul fixtures/lists/jp-eul.csv --format ttscreen-csv --db "$DB" >/dev/null || exit 2
src=$(ls fixtures/records/*.json | head -20)
: >"$S/seed.jsonl"
for f in $src; do tr -d '\n' <"$f" >>"$S/seed.jsonl"; echo >>"$S/seed.jsonl"; done
per=$(wc -l <"$S/seed.jsonl")
i=0
: >"$S/batch.jsonl"
while [ $((i * per)) -lt "$N" ]; do
    sed "s/\"id\": *\"\([A-Za-z0-9._-]*\)\",/\"id\":\"\1-$i\",/" "$S/seed.jsonl" >>"$S/batch.jsonl"
    i=$((i + 1))
done
n=$(wc -l <"$S/batch.jsonl")
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
a=$(date +%s%N)
"$T" screen --read-only --db "$DB" --format jsonl --as-of 2026-01-01 "$S/batch.jsonl" >"$S/one.out" 2>/dev/null
one=$(ms "$a")
a=$(date +%s%N)
"$T" screen --read-only --db "$DB" --format jsonl --as-of 2026-01-01 --shard 1/2 "$S/batch.jsonl" >"$S/s1.out" 2>/dev/null &
p1=$!
"$T" screen --read-only --db "$DB" --format jsonl --as-of 2026-01-01 --shard 2/2 "$S/batch.jsonl" >"$S/s2.out" 2>/dev/null &
p2=$!
wait $p1 $p2
two=$(ms "$a")
lines=$(cat "$S/s1.out" "$S/s2.out" | wc -l)
echo "bench screen: $n records, $(wc -l <"$S/one.out") reports; rules: $("$T" rules list --format json 2>/dev/null | grep -o '"id"' | wc -l)"
echo "bench screen: 1 process  $one ms, $((n * 1000 / (one > 0 ? one : 1))) records/s"
echo "bench screen: 2 shards   $two ms, $((n * 1000 / (two > 0 ? two : 1))) records/s ($lines reports; speed-up x$(echo "$one $two" | awk '{printf "%.2f", $1/$2}'))"
