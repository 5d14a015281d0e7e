#!/bin/sh
# SPDX-License-Identifier: MIT
# `screen --shard I/N`: N processes split one batch exactly; each bad line is reported by
# exactly one shard; the shards' JSON Lines concatenate to the whole run's.
#   sh tests/e2e/shard.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL shard: $1"; }

# a batch of 40 records over two files, with two malformed lines among them
i=0
while [ $i -lt 5 ]; do
    sed "s/\"id\":\"\([a-z0-9-]*\)\"/\"id\":\"\1-$i\"/" "$FX/records/batch.jsonl"
    i=$((i + 1))
done >"$S/a.jsonl"
echo '{"format":"ttscreen-record/1","id":"broken-1"' >>"$S/a.jsonl"
sed 's/"id":"\([a-z0-9-]*\)"/"id":"\1-b"/' "$FX/records/batch.jsonl" >"$S/b.jsonl"
echo '[1,2,3]' >>"$S/b.jsonl"

"$BIN" screen --no-store --no-lists --as-of 2026-01-01 --format jsonl "$S/a.jsonl" "$S/b.jsonl" \
    >"$S/all.out" 2>"$S/all.err"
[ $? = 2 ] && ok || bad "unsharded run: expected exit 2 for the malformed lines"
for n in 1 2 3 7; do
    : >"$S/union.out"
    : >"$S/union.err"
    i=1
    while [ $i -le $n ]; do
        "$BIN" screen --no-store --no-lists --as-of 2026-01-01 --format jsonl --shard "$i/$n" \
            "$S/a.jsonl" "$S/b.jsonl" >>"$S/union.out" 2>>"$S/union.err"
        i=$((i + 1))
    done
    if sort "$S/union.out" | cmp -s - "$(sort "$S/all.out" >"$S/all.sorted"; echo "$S/all.sorted")"; then
        ok
    else
        bad "$n shards: reports differ from the unsharded run"
    fi
    if sort "$S/union.err" | cmp -s - "$(sort "$S/all.err" >"$S/err.sorted"; echo "$S/err.sorted")"; then
        ok
    else
        bad "$n shards: error lines differ from the unsharded run"
    fi
done
# positions are global: records 0, 4, 8 (the toyota lines of each copy) are shard 1/4's
"$BIN" screen --no-store --no-lists --as-of 2026-01-01 --format jsonl --shard 1/4 "$S/a.jsonl" >"$S/s1.out" 2>/dev/null
ids=$(sed 's/.*"record":{"id":"\([^"]*\)".*/\1/' "$S/s1.out" | head -3 | tr '\n' ' ')
[ "$ids" = "toyota-catl-2019-0 toyota-catl-2019-1 toyota-catl-2019-2 " ] && ok || bad "shard 1/4 took '$ids'"
"$BIN" screen --no-store --no-lists --shard 3/2 "$S/a.jsonl" 2>"$S/usage.err" >/dev/null
[ $? = 2 ] && grep -q "must be I/N" "$S/usage.err" && ok || bad "--shard 3/2 is not a usage error"
# --format json prints one report: a shard holding two records is refused before anything is
# stored (every record stepped over to see), and a shard holding one prints it
head -n 4 "$FX/records/batch.jsonl" >"$S/four.jsonl"
"$BIN" screen --db "$S/json.db" --no-lists --as-of 2026-01-01 --format json --shard 1/2 \
    "$S/four.jsonl" >"$S/json.out" 2>"$S/json.err"
rc=$?
stored=0
[ -f "$S/json.db" ] && stored=$(sqlite3 "$S/json.db" 'SELECT count(*) FROM screening')
[ $rc = 2 ] && [ ! -s "$S/json.out" ] && grep -q "holds more than one record" "$S/json.err" &&
    [ "$stored" = 0 ] && ok || bad "--format json --shard 1/2 over 4 records: exit $rc, $stored cases stored"
"$BIN" screen --db "$S/json1.db" --no-lists --as-of 2026-01-01 --format json --shard 1/4 \
    "$S/four.jsonl" >"$S/json1.out" 2>"$S/json1.err"
rc=$?
[ $rc -le 1 ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$S/json1.out" && ok ||
    bad "--format json --shard 1/4 over 4 records: exit $rc: $(head -c 200 "$S/json1.err")"
echo "shard: $passed passed, $failed failed"
[ "$failed" = 0 ]
