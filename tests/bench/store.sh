#!/bin/sh
# SPDX-License-Identifier: MIT
# Screening throughput with and without the case store (docs/benchmarks.md):
# a database holding the 2019 SDN and the CSL samples, N generated supply
# records (default 2,000; a third name a party of the SDN, so they hit), then
#   screen --no-store   and   screen (stored, a fresh copy of the database)
# for each binary given. Prints records/s per core (user+system CPU), wall
# time, peak RSS and the stored / --no-store ratio; with a BEFORE binary also
# each figure against it. The reports of both binaries must be identical.
#   sh tests/bench/store.sh BINARY SCRATCH [N] [BEFORE_BINARY]
set -eu
BIN=$1
S=$2/store
N=${3:-${BENCH_RECORDS:-2000}}
BEFORE=${4:-${BENCH_BEFORE:-}}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset SOURCE_DATE_EPOCH TTSCREEN_DB
F=fixtures/lists
# lists BIN DB: the lists, imported by that binary (each reads its own schema)
lists() {
    "$1" lists import ofac-sdn $F/ofac-sdn-2019-01/sdn.csv $F/ofac-sdn-2019-01/alt.csv \
        $F/ofac-sdn-2019-01/add.csv --db "$2" >/dev/null
    "$1" lists import us-csl $F/csl-2025-sample.csv --db "$2" >/dev/null
    "$1" lists import us-1260h $F/us-1260h.csv --db "$2" >/dev/null
}

python3 - "$N" "$S" $F/ofac-sdn-2019-01/sdn.csv <<'PY'
import csv, json, random, sys
n, s, sdn = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rnd = random.Random(20)
listed = [r[1] for r in csv.reader(open(sdn, encoding="latin-1"))
          if len(r) > 2 and r[2].strip() == "-0-"][:3000]
a = ["Hokuriku", "Kansai", "Pacific", "Northern", "Golden", "Orient", "Summit", "Harbor",
     "Crystal", "Atlas", "Meridian", "Evergreen", "Sakura", "Fuji", "Blue", "Silver"]
b = ["Precision", "Electronics", "Materials", "Optics", "Robotics", "Semiconductor", "Battery"]
with open(s + "/records.jsonl", "w", encoding="utf-8") as out:
    for i in range(n):
        p = rnd.choice(listed) if i % 3 == 0 else "%s %s %s %d K.K." % (
            rnd.choice(a), rnd.choice(b), rnd.choice(a), i)
        r = {"format": "ttscreen-record/1", "id": "rec-%06d" % i, "kind": "supply",
             "screened_for": "us", "controls": {"as_of": "2026-01-01"},
             "parties": [{"id": "us", "name": "Example Motors K.K.", "country": "JP",
                          "type": "company"},
                         {"id": "p", "name": p, "country": rnd.choice(["CN", "US", "DE", "IR"]),
                          "type": "company"}],
             "relations": [{"from": "p", "to": "us", "type": "supplies"}]}
        out.write(json.dumps(r) + "\n")
PY

# run NAME BIN ARGS...: time one screen run; writes $S/NAME.{out,time}
run() {
    name=$1
    shift
    /usr/bin/time -f '%U %S %e %M' -o "$S/$name.time" "$@" >"$S/$name.out" 2>"$S/$name.err" ||
        [ $? -eq 1 ] || { cat "$S/$name.err" >&2; exit 2; }
}
# fig NAME: "records/s per core, wall s, peak RSS MiB"
# (the last line of the file: GNU time puts "Command exited with non-zero status" before it)
t() { tail -n 1 "$S/$1.time"; }
cpu() { t "$1" | awk '{printf "%.3f", $1 + $2}'; }
rps() { t "$1" | awk -v n="$N" '{c = $1 + $2; printf "%.0f", n / (c > 0 ? c : 0.001)}'; }
wall() { t "$1" | awk '{printf "%.2f", $3}'; }
rss() { t "$1" | awk '{printf "%.0f", $4 / 1024}'; }
line() { printf '  %-28s %7s records/s per core  %6ss wall  %4s MiB peak RSS\n' "$1" "$(rps "$2")" \
    "$(wall "$2")" "$(rss "$2")"; }
ratio() { echo "$(cpu "$1") $(cpu "$2")" | awk '{printf "%.2f", $1 / ($2 > 0 ? $2 : 0.001)}'; }

bench() {
    tag=$1
    b=$2
    lists "$b" "$S/$tag-lists.db"
    cp "$S/$tag-lists.db" "$S/$tag.db"
    # the list index file goes with its database (without it the stored run would first
    # rebuild the index from the rows, which is not what a stored screening costs)
    if [ -f "$S/$tag-lists.db-index" ]; then cp "$S/$tag-lists.db-index" "$S/$tag.db-index"; fi
    run "$tag-nostore" env SOURCE_DATE_EPOCH=1767225600 "$b" screen --no-store \
        --db "$S/$tag-lists.db" --format jsonl --fail-on critical \
        "$S/records.jsonl"
    run "$tag-stored" "$b" screen --db "$S/$tag.db" --format jsonl --fail-on critical --by bench \
        "$S/records.jsonl"
    "$b" audit verify --db "$S/$tag.db" >/dev/null
}

echo "store bench: $N records (a third name an SDN party), SDN 2019 + CSL sample + 1260H"
bench after "$BIN"
if [ -n "$BEFORE" ]; then
    bench before "$BEFORE"
    line "before, --no-store" before-nostore
    line "before, stored" before-stored
fi
line "--no-store" after-nostore
line "stored" after-stored
printf '  stored / --no-store CPU: %s\n' "$(ratio after-stored after-nostore)"
if [ -n "$BEFORE" ]; then
    printf '  before stored / --no-store CPU: %s\n' "$(ratio before-stored before-nostore)"
    printf '  speed-up per core against before: --no-store %sx, stored %sx\n' \
        "$(ratio before-nostore after-nostore)" "$(ratio before-stored after-stored)"
    printf '  stored wall against before: %sx faster\n' \
        "$(echo "$(wall before-stored) $(wall after-stored)" | awk '{printf "%.2f", $1 / ($2 > 0 ? $2 : 0.01)}')"
    # the reports but for the lists' import times and file hashes (each binary imported its own)
    python3 - "$S/before-nostore.out" "$S/after-nostore.out" <<'PY' && same=identical || same=DIFFERENT
import json, sys
def norm(path):
    out = []
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        for l in r.get("lists", []):
            l.pop("imported_at", None)
            l.pop("sha256", None)
        out.append(r)
    return out
sys.exit(0 if norm(sys.argv[1]) == norm(sys.argv[2]) else 1)
PY
    printf '  reports of before and after (--no-store, but for the lists'"'"' import times): %s\n' "$same"
    [ "$same" = identical ]
fi
