#!/bin/sh
# SPDX-License-Identifier: MIT
# Delta against full rescreen (docs/benchmarks.md, docs/continuous-screening.md):
# N stored cases (default 100,000) screened against a 2,000-entry watch list,
# then a 20-entry change of that list (8 added, of which 4 name stored
# parties, 6 changed, of which 3 are held by cases, 6 removed). The same
# database is rescreened both ways; the findings must be identical, and the
# times and their ratio are printed. Before that, the CPU time (user +
# system) and peak RSS of storing and of a full rescreen at 1,000, 10,000
# and N cases (each size its own database), and how they grow with 10x
# the cases; with a BEFORE binary (BENCH_BEFORE) the two smaller sizes
# are also run with it.
#   sh tests/bench/rescreen.sh BINARY SCRATCH [N] [BEFORE]
set -eu
BIN=$1
S=$2/rescreen
N=${3:-${BENCH_CASES:-100000}}
BEFORE=${4:-${BENCH_BEFORE:-}}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset SOURCE_DATE_EPOCH TTSCREEN_DB
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }
# timed NAME CMD...: run CMD (exit 0 or 1) under GNU time into $S/NAME.time: "user sys wall KiB"
timed() {
    name=$1
    shift
    /usr/bin/time -f '%U %S %e %M' -o "$S/$name.time" "$@" >/dev/null 2>"$S/$name.err" ||
        [ $? -eq 1 ] || { cat "$S/$name.err" >&2; exit 2; }
}
cpu() { tail -n 1 "$S/$1.time" | awk '{printf "%.2f", $1 + $2}'; }
rss() { tail -n 1 "$S/$1.time" | awk '{printf "%.0f", $4 / 1024}'; }
wall() { tail -n 1 "$S/$1.time" | awk '{printf "%.2f", $3}'; }
# gen N DIR: DIR/cases.jsonl, DIR/list-v1.csv, DIR/list-v2.csv
gen() {
mkdir -p "$2"
python3 - "$1" "$2" <<'PY'
import json, random, sys
n, s = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(17)
a = ["Hokuriku", "Kansai", "Pacific", "Northern", "Golden", "Orient", "Summit", "Harbor", "Crystal",
     "Atlas", "Meridian", "Evergreen", "Sakura", "Fuji", "Blue", "Silver", "Zenith", "Apex", "Delta",
     "Nova", "Aurora", "Titan", "Vector", "Quantum", "Lotus", "Pioneer", "Horizon", "Falcon"]
b = ["Precision", "Electronics", "Materials", "Optics", "Robotics", "Semiconductor", "Battery",
     "Chemical", "Aerospace", "Marine", "Photonics", "Software", "Instruments", "Alloys", "Motors"]
c = ["Co., Ltd.", "K.K.", "Inc.", "GmbH", "Limited", "Corporation", "S.A.", "LLC"]
def org(i):
    return "%s %s %s %d %s" % (rnd.choice(a), rnd.choice(b), rnd.choice(a), i, rnd.choice(c))
# the list: 2,000 entries of organisations no case names
entries = [("w-%05d" % i, "%s %s Trading %d %s" % (rnd.choice(a), rnd.choice(b), i, rnd.choice(c)))
           for i in range(2000)]
names = []
with open(s + "/cases.jsonl", "w", encoding="utf-8") as out:
    for i in range(n):
        p = org(i)
        names.append(p)
        r = {"format": "ttscreen-record/1", "id": "case-%06d" % i, "kind": "supply",
             "screened_for": "us", "controls": {"as_of": "2026-01-01"},
             "parties": [{"id": "us", "name": "Example Motors K.K.", "country": "JP",
                          "type": "company"},
                         {"id": "p", "name": p, "country": rnd.choice(["CN", "US", "DE", "KR"]),
                          "type": "company"}],
             "relations": [{"from": "p", "to": "us", "type": "supplies"}]}
        out.write(json.dumps(r) + "\n")
def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,name,aliases,country,programs,listed_on,source_url\n")
        for e in rows:
            f.write('%s,"%s",%s,CN,watch,2025-01-01,\n' % (e[0], e[1], e[2] if len(e) > 2 else ""))
# version 1: the list, with 3 entries that name stored parties (to be changed in version 2)
v1 = [e + ("",) for e in entries]
held = [names[(k * 7919) % n] for k in range(3)]
for k, nm in enumerate(held):
    v1[k] = (v1[k][0], nm, "")
write(s + "/list-v1.csv", v1)
# version 2: 6 removed, 6 changed (3 held by cases), 8 added (4 name stored parties)
v2 = v1[6:] if False else list(v1)
removed = {v2[k][0] for k in range(1000, 1006)}
v2 = [e for e in v2 if e[0] not in removed]
for k in range(6):
    e = v2[k]
    v2[k] = (e[0], e[1], "alias %d" % k)
for k in range(8):
    nm = names[(k * 104729 + 11) % n] if k < 4 else "Newly Listed Entity %d Holdings" % k
    v2.append(("new-%d" % k, nm, ""))
write(s + "/list-v2.csv", v2)
PY
}

# ---- CPU of storing and of a full rescreen, by the number of cases ----
# scale TAG BIN SIZE: a fresh database of SIZE cases, stored, then rescreened in full
scale() {
    d="$S/scale-$3"
    [ -f "$d/cases.jsonl" ] || gen "$3" "$d"
    rm -f "$d/$1.db" "$d/$1.db-wal" "$d/$1.db-shm"
    "$2" lists import watch "$d/list-v1.csv" --db "$d/$1.db" >/dev/null
    timed "$1-store-$3" "$2" screen --db "$d/$1.db" --format jsonl --fail-on critical \
        "$d/cases.jsonl"
    timed "$1-full-$3" "$2" rescreen --db "$d/$1.db" --fail-on critical
    printf '  %-7s %6s cases: storing %7ss CPU (%6ss wall, %4s MiB); full rescreen %7ss CPU (%6ss wall, %4s MiB)\n' \
        "$1" "$3" "$(cpu "$1-store-$3")" "$(wall "$1-store-$3")" "$(rss "$1-store-$3")" \
        "$(cpu "$1-full-$3")" "$(wall "$1-full-$3")" "$(rss "$1-full-$3")"
}
grow() { echo "$(cpu "$1-$2-$4") $(cpu "$1-$2-$3")" | awk '{printf "%.1fx", $1 / ($2 > 0 ? $2 : 0.01)}'; }
echo "rescreen scaling: CPU (user + system) and peak RSS by the number of stored cases"
small=1000
mid=10000
[ "$N" -gt "$mid" ] || { small=$((N / 100)); mid=$((N / 10)); }
[ "$small" -ge 1 ] || small=1
if [ -n "$BEFORE" ]; then
    scale before "$BEFORE" "$small"
    scale before "$BEFORE" "$mid"
fi
scale after "$BIN" "$small"
scale after "$BIN" "$mid"
printf '  10x the cases (%s -> %s): storing %s the CPU, full rescreen %s the CPU\n' "$small" "$mid" \
    "$(grow after store "$small" "$mid")" "$(grow after full "$small" "$mid")"
if [ -n "$BEFORE" ]; then
    printf '  before, the same: storing %s the CPU, full rescreen %s the CPU\n' \
        "$(grow before store "$small" "$mid")" "$(grow before full "$small" "$mid")"
    printf '  after against before, %s cases: storing %s, full rescreen %s faster per core\n' "$mid" \
        "$(echo "$(cpu before-store-$mid) $(cpu after-store-$mid)" | awk '{printf "%.2fx", $1 / $2}')" \
        "$(echo "$(cpu before-full-$mid) $(cpu after-full-$mid)" | awk '{printf "%.2fx", $1 / $2}')"
fi

# ---- delta against full, N cases ----
gen "$N" "$S"
DB="$S/delta.db"
"$BIN" lists import watch "$S/list-v1.csv" --db "$DB" >/dev/null
timed "after-store-$N" "$BIN" screen --db "$DB" --format jsonl --fail-on critical "$S/cases.jsonl"
store=$(wall "after-store-$N")
sqlite3 "$DB" ".backup '$S/full.db'"
"$BIN" lists import watch "$S/list-v2.csv" --db "$DB" >"$S/import.out"
"$BIN" lists import watch "$S/list-v2.csv" --db "$S/full.db" >/dev/null
t2=$(now)
"$BIN" rescreen --db "$DB" --changed-lists --fail-on critical >"$S/delta.out"
t3=$(now)
/usr/bin/time -f '%U %S %e %M' -o "$S/after-full-$N.time" \
    "$BIN" rescreen --db "$S/full.db" --fail-on critical >"$S/full.out"
t4=$(now)
delta=$(secs "$t2" "$t3")
full=$(secs "$t3" "$t4")
q="SELECT c.record_id, s.verdict, f.rule, f.subject, f.entry, f.entry_sha256 FROM case_file c
   JOIN screening s ON s.id = (SELECT max(x.id) FROM screening x WHERE x.case_id = c.id)
   LEFT JOIN finding f ON f.screening_id = s.id ORDER BY 1, 3, 4, 5"
sqlite3 "$DB" "$q" >"$S/delta.findings"
sqlite3 "$S/full.db" "$q" >"$S/full.findings"
same=identical
cmp -s "$S/delta.findings" "$S/full.findings" || same=DIFFERENT
printf 'rescreen bench: %s stored cases (storing them: %ss, %.0f cases/s)\n' "$N" "$store" \
    "$(echo "$N $store" | awk '{print $1 / ($2 > 0 ? $2 : 1)}')"
printf '  list change: %s\n' "$(tail -n 1 "$S/import.out")"
printf '  delta (--changed-lists): %ss, %s\n' "$delta" "$(tail -n 1 "$S/delta.out")"
printf '  full rescreen:          %ss, %s\n' "$full" "$(tail -n 1 "$S/full.out")"
printf '  %s cases: storing %ss CPU (%s MiB), full rescreen %ss CPU (%s MiB); 10x the cases (%s -> %s): storing %s the CPU, full rescreen %s the CPU\n' \
    "$N" "$(cpu "after-store-$N")" "$(rss "after-store-$N")" "$(cpu "after-full-$N")" \
    "$(rss "after-full-$N")" "$mid" "$N" "$(grow after store "$mid" "$N")" "$(grow after full "$mid" "$N")"
printf '  delta / full: %s; findings of every case: %s\n' \
    "$(echo "$delta $full" | awk '{printf "%.4f (%.0fx faster)", $1 / $2, $2 / ($1 > 0 ? $1 : 1)}')" "$same"
[ "$same" = identical ]
