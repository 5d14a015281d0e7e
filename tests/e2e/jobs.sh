#!/bin/sh
# SPDX-License-Identifier: MIT
# --jobs N: a batch screened on 2 or 8 threads (or the default, the processors available)
# gives the same bytes as on one: reports in text, jsonl and html, standard error, exit
# status; stored screenings (cases list/show, the audit log and its head, the order of the
# screening rows) are the same and in input order, with --shard too; a bad --jobs is a usage
# error; --format json refuses a two-record input the same way for every N. The batch:
# generated records over two files against the real OFAC SDN and 1260H fixtures, some naming
# listed parties, invalid records in the middle, one with an unknown field (--verbose), one
# case screened twice, and a reviewer's clearance read while screenings are stored. Also
# identifiers against lists without their index file, and the same comparisons for
# `search --batch` (output formats, bad rows, --store) and `rescreen` (full, --changed-lists).
#   sh tests/e2e/jobs.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
unset TTSCREEN_RULES TTSCREEN_DB
SUITE=jobs
passed=0
failed=0
. "$(dirname "$0")/lib/scenario.sh"
AS_OF=2026-01-01
# Compared with --jobs 1; "default" (no --jobs: the processors available) may be added, but
# every other suite already runs that way against its goldens, and make check has a budget.
JOBS="2 8"
N=300

# ---- the lists and the batch --------------------------------------------------------------
BASE="$S/base.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$FX/lists/ofac-sdn-2019-01/alt.csv" \
    --format sdn-csv --db "$BASE" >/dev/null 2>"$S/import.err" || bad "import the SDN" "$S/import.err"
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv --db "$BASE" \
    >/dev/null 2>"$S/import.err" || bad "import the 1260H list" "$S/import.err"

# a.jsonl (records 0-199) and b.jsonl (200-299); ids.txt: the ids of the valid records in
# input order, shard2of3.txt those at positions p with p mod 3 = 1.
python3 - "$FX/records/nissan-catl-2018.json" "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$S" "$N" <<'PY'
import csv, json, sys
base_path, sdn, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
base = json.load(open(base_path, encoding="utf-8"))
base.pop("_sources", None)
# SDN entities (type "-0-") with plain ASCII names
listed = [row[1] for row in csv.reader(open(sdn, encoding="utf-8"))
          if len(row) > 2 and row[2].strip() == "-0-" and row[1].isascii()][:100]
lines, ids, shard = [], [], []
for i in range(n):
    if i == 41:
        lines.append('{"format":"ttscreen-record/1","id":"broken-41","parties":[')  # bad JSON
    elif i == 97:
        lines.append("[1,2,3]")  # not a record
    else:
        r = json.loads(json.dumps(base))
        r["id"] = "jobs-%04d" % i
        p = [x for x in r["parties"] if x["id"] == "catl"][0]
        if i % 10 == 3 or i == 260:
            p["name"] = listed[(i // 10) % len(listed)]  # an SDN hit
            p["aliases"] = []
        elif i % 25 != 0:  # every 25th keeps CATL: a 1260H hit
            p["name"] = "Supplier %d Manufacturing Co., Ltd." % i
            p["aliases"] = []
        valid = True
        if i == 150:
            p["country"] = "ZZ"  # invalid record
            valid = False
        if i == 160:
            r["relations"][0]["from"] = "nobody"  # invalid record
            valid = False
        if i == 203:
            r["colour"] = "blue"  # unknown field: a warning with --verbose
        if i in (120, 260):
            # one case screened twice: clear first, blocked last
            r["id"] = "jobs-twice"
            r["title"] = "the same case, screened twice (%d)" % i
        lines.append(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        if valid:
            ids.append(r["id"])
            if i % 3 == 1:
                shard.append(r["id"])
half = n * 2 // 3
open(out + "/a.jsonl", "w", encoding="utf-8").write("\n".join(lines[:half]) + "\n")
open(out + "/b.jsonl", "w", encoding="utf-8").write("\n".join(lines[half:]) + "\n")
open(out + "/ids.txt", "w").write("\n".join(ids) + "\n")
open(out + "/shard2of3.txt", "w").write("\n".join(shard) + "\n")
# the valid records only, and the ones that hit nothing
good = [l for l in lines if l.startswith("{") and '"ZZ"' not in l and '"nobody"' not in l
        and not l.endswith("[")]
open(out + "/good.jsonl", "w", encoding="utf-8").write("\n".join(good) + "\n")
clear = [l for l in good if "Supplier " in l and "jobs-twice" not in l]
open(out + "/clear.jsonl", "w", encoding="utf-8").write("\n".join(clear) + "\n")
catl = [l for l in good if "Contemporary Amperex" in l]  # 1260H hits only (severity high)
open(out + "/catl.jsonl", "w", encoding="utf-8").write("\n".join(catl) + "\n")
PY
[ -s "$S/a.jsonl" ] && [ -s "$S/b.jsonl" ] && ok || bad "generate the batch"
N_VALID=$(wc -l <"$S/ids.txt" | tr -d ' ')

# A database with the lists and one case whose SDN match a reviewer has cleared: every
# screening of the batch reads reviewers' decisions on the worker threads.
DEC="$S/decided.db"
cp "$BASE" "$DEC"
cp "$BASE-index" "$DEC-index"
grep '"id":"jobs-0003"' "$S/a.jsonl" >"$S/one.jsonl"
"$BIN" screen --db "$DEC" --as-of "$AS_OF" --by tester --format jsonl --jobs 1 "$S/one.jsonl" \
    >/dev/null 2>"$S/dec.err"
[ $? = 1 ] && ok || bad "screen jobs-0003 alone: expected a finding" "$S/dec.err"
"$BIN" cases decide jobs-0003 --disposition cleared --by reviewer --reason "not the listed airline" \
    --finding sanctions.us.sdn:ofac-sdn:36 --db "$DEC" >/dev/null 2>"$S/dec.err" ||
    bad "clear the SDN match of jobs-0003" "$S/dec.err"
BEFORE=$(sqlite3 "$DEC" "SELECT count(*) FROM screening")

# ---- helpers ------------------------------------------------------------------------------
# capture TAG J CMD...: stdout, stderr and exit status of CMD in $S/TAG.J.{out,err,rc}
capture() {
    cap_tag=$1 cap_j=$2
    shift 2
    "$@" </dev/null >"$S/$cap_tag.$cap_j.out" 2>"$S/$cap_tag.$cap_j.err"
    echo $? >"$S/$cap_tag.$cap_j.rc"
}
# jobs_opt J: the option that asks for J threads
jobs_opt() { [ "$1" = default ] || echo "--jobs $1"; }
# same TAG J: the run with J threads gave exactly what the run with one did
same() {
    for same_x in rc out err; do
        if cmp -s "$S/$1.1.$same_x" "$S/$1.$2.$same_x"; then
            ok
        else
            diff "$S/$1.1.$same_x" "$S/$1.$2.$same_x" >"$S/$1.$2.$same_x.diff" 2>&1
            bad "$1: --jobs $2: $same_x differs from --jobs 1" "$S/$1.$2.$same_x.diff"
        fi
    done
}
# rc_is TAG WANT: the one-thread run exited WANT
rc_is() {
    [ "$(cat "$S/$1.1.rc")" = "$2" ] && ok || bad "$1: --jobs 1 exited $(cat "$S/$1.1.rc"), expected $2" "$S/$1.1.err"
}
# screen_all TAG ARGS...: screen with --jobs 1, then each of $JOBS, and compare
screen_all() {
    sa_tag=$1
    shift
    capture "$sa_tag" 1 "$BIN" screen --as-of "$AS_OF" --jobs 1 "$@"
    for sa_j in $JOBS; do
        # shellcheck disable=SC2046
        capture "$sa_tag" "$sa_j" "$BIN" screen --as-of "$AS_OF" $(jobs_opt "$sa_j") "$@"
        same "$sa_tag" "$sa_j"
    done
}
# ids_of FILE: the record ids of JSON Lines reports, in order
ids_of() { sed 's/.*"record":{"id":"\([^"]*\)".*/\1/' "$1"; }
# stored_ids DB: the record ids of the screenings stored by the batch, in row order
stored_ids() {
    sqlite3 "$1" "SELECT c.record_id FROM screening s JOIN case_file c ON c.id = s.case_id
        WHERE s.id > $BEFORE ORDER BY s.id"
}
# fresh: a new copy of the decided database in $DB, the same path for every run (messages
# name it)
fresh() {
    DB="$S/run.db"
    rm -f "$DB" "$DB-index" "$DB-wal" "$DB-shm"
    cp "$DEC" "$DB"
    cp "$DEC-index" "$DB-index"
}

# ---- reports: text, jsonl, html, with --verbose, nothing stored -----------------------------
for fmt in text jsonl html; do
    screen_all "report-$fmt" --db "$BASE" --no-store --verbose --format "$fmt" "$S/a.jsonl" "$S/b.jsonl"
    rc_is "report-$fmt" 2
done
# the one-thread run itself is right: every valid record reported, in input order, and the
# four bad records and the unknown field on stderr in input order
ids_of "$S/report-jsonl.1.out" | cmp -s - "$S/ids.txt" && ok ||
    bad "jsonl: reports not those of the valid records in input order"
cat >"$S/want.err" <<EOF
$S/a.jsonl:42:58: invalid JSON: ']' expected near end of file
$S/a.jsonl:98: \$: expected a record object, found an array
$S/a.jsonl:151: record "jobs-0150": \$.parties[1].country: invalid country code "ZZ" (expected an assigned ISO 3166-1 alpha-2 code in upper case, e.g. "JP")
$S/a.jsonl:161: record "jobs-0160": \$.relations[0].from: no party with id "nobody"
$S/b.jsonl: record "jobs-0203": \$.colour: unknown field (ignored)
EOF
cmp -s "$S/want.err" "$S/report-jsonl.1.err" && ok || {
    diff "$S/want.err" "$S/report-jsonl.1.err" >"$S/want.diff"
    bad "jsonl: stderr of --jobs 1 is not the four errors and the warning" "$S/want.diff"
}
has "jsonl: SDN and 1260H hits" "$S/report-jsonl.1.out" '"verdict":"blocked"' '"verdict":"review"' \
    '"entry_id":"36"'
[ "$(grep -c '<html' "$S/report-html.1.out")" -ge 1 ] && ok || bad "html: no page"
has "text: the last record" "$S/report-text.1.out" "jobs-0299"
# without --verbose no warning, the same for every N
screen_all "quiet-jsonl" --db "$BASE" --no-store --format jsonl "$S/a.jsonl" "$S/b.jsonl"
lacks "without --verbose: no unknown-field warning" "$S/quiet-jsonl.1.err" "unknown field"
# -j is --jobs
capture "short" 1 "$BIN" screen --as-of "$AS_OF" --db "$BASE" --no-store --format jsonl --jobs 8 "$S/a.jsonl"
capture "short" 8 "$BIN" screen --as-of "$AS_OF" --db "$BASE" --no-store --format jsonl -j 8 "$S/a.jsonl"
same "short" 8
# standard input, read by the same thread
for j in 1 2 8; do
    cat "$S/a.jsonl" "$S/b.jsonl" | "$BIN" screen --as-of "$AS_OF" --db "$BASE" --no-store \
        --format jsonl --verbose --jobs "$j" - >"$S/stdin.$j.out" 2>"$S/stdin.$j.err"
    echo $? >"$S/stdin.$j.rc"
done
same stdin 2
same stdin 8
grep -q '^<stdin>:42:58: invalid JSON' "$S/stdin.1.err" && ok || bad "stdin: the error names <stdin>" "$S/stdin.1.err"
# exit status 1 (findings, no error) and 0 (nothing found), the same for every N
screen_all "good" --db "$BASE" --no-store --format jsonl "$S/good.jsonl"
rc_is good 1
# -o PATH: the file written is the same, and is what stdout had; a run with errors leaves none
for j in 1 $JOBS; do
    if [ "$j" = 1 ]; then opt="--jobs 1"; else opt=$(jobs_opt "$j"); fi
    # shellcheck disable=SC2086
    capture outfile "$j" "$BIN" screen --as-of "$AS_OF" --db "$BASE" --no-store --format jsonl \
        -o "$S/report.jsonl" $opt "$S/good.jsonl"
    mv "$S/report.jsonl" "$S/outfile.$j.jsonl" 2>/dev/null
    cmp -s "$S/good.1.out" "$S/outfile.$j.jsonl" && ok || bad "-o: --jobs $j: the file is not the report"
    [ "$j" = 1 ] || same outfile "$j"
    # shellcheck disable=SC2086
    "$BIN" screen --as-of "$AS_OF" --db "$BASE" --no-store --format jsonl -o "$S/report.jsonl" $opt \
        "$S/a.jsonl" "$S/b.jsonl" </dev/null >/dev/null 2>&1
    [ $? = 2 ] && [ ! -e "$S/report.jsonl" ] && ok || bad "-o: --jobs $j: a run with errors left a report"
done
screen_all "clear" --db "$BASE" --no-store --format text "$S/clear.jsonl"
rc_is clear 0
# --fail-on: the 1260H hits (high) count by default, not with --fail-on critical
screen_all "failon-high" --db "$BASE" --no-store --format jsonl "$S/catl.jsonl"
rc_is failon-high 1
screen_all "failon-critical" --db "$BASE" --no-store --format jsonl --fail-on critical "$S/catl.jsonl"
rc_is failon-critical 0
[ "$(wc -l <"$S/failon-critical.1.out" | tr -d ' ')" = "$(wc -l <"$S/catl.jsonl" | tr -d ' ')" ] && ok ||
    bad "--fail-on critical: not one report per record"

# ---- stored screenings: a fresh copy of the database per run -------------------------------
# store_all TAG ARGS...: screen into a fresh database per N; then the case file and the audit
# log of each run, compared with the one-thread run's
store_all() {
    st_tag=$1
    shift
    for st_j in 1 $JOBS; do
        fresh
        if [ "$st_j" = 1 ]; then st_opt="--jobs 1"; else st_opt=$(jobs_opt "$st_j"); fi
        # shellcheck disable=SC2086
        capture "$st_tag" "$st_j" "$BIN" screen --db "$DB" --as-of "$AS_OF" --by tester $st_opt "$@"
        capture "$st_tag-list" "$st_j" "$BIN" cases list --db "$DB"
        capture "$st_tag-listjson" "$st_j" "$BIN" cases list --format json --db "$DB"
        capture "$st_tag-twice" "$st_j" "$BIN" cases show jobs-twice --db "$DB"
        capture "$st_tag-cleared" "$st_j" "$BIN" cases show jobs-0003 --format json --db "$DB"
        capture "$st_tag-verify" "$st_j" "$BIN" audit verify --full --db "$DB"
        capture "$st_tag-export" "$st_j" "$BIN" audit export --db "$DB"
        stored_ids "$DB" >"$S/$st_tag.$st_j.stored"
        [ "$(cat "$S/$st_tag-verify.$st_j.rc")" = 0 ] && ok ||
            bad "$st_tag: --jobs $st_j: audit verify" "$S/$st_tag-verify.$st_j.out"
        [ "$st_j" = 1 ] && continue
        for st_t in "$st_tag" "$st_tag-list" "$st_tag-listjson" "$st_tag-twice" "$st_tag-cleared" \
            "$st_tag-verify" "$st_tag-export"; do
            same "$st_t" "$st_j"
        done
    done
}
store_all stored --format jsonl --verbose "$S/a.jsonl" "$S/b.jsonl"
rc_is stored 2
for j in 1 $JOBS; do
    cmp -s "$S/ids.txt" "$S/stored.$j.stored" && ok ||
        bad "stored: --jobs $j: screenings not stored in input order"
done
[ "$(grep -c '^jobs-' "$S/stored-list.1.out")" = $((N_VALID - 1)) ] && ok ||
    bad "stored: cases list does not hold every case once" "$S/stored-list.1.out"
grep -q '^jobs-twice .* blocked ' "$S/stored-list.1.out" && ok ||
    bad "stored: jobs-twice's latest screening is not the last one of the input" "$S/stored-list.1.out"
has "stored: the clearance holds" "$S/stored-cleared.1.out" '"cleared"' '"reviewer"'
grep '"id":"jobs-0003"' "$S/stored.1.out" | grep -q '"verdict":"clear"' && ok ||
    bad "stored: the cleared SDN match of jobs-0003 was raised again"
# the reports printed while storing are those of --no-store over the same database
"$BIN" screen --db "$DEC" --no-store --as-of "$AS_OF" --format jsonl --verbose --jobs 8 \
    "$S/a.jsonl" "$S/b.jsonl" >"$S/nostore.out" 2>/dev/null
cmp -s "$S/stored.1.out" "$S/nostore.out" && ok || bad "stored: reports differ from --no-store's"

# ---- identifiers, and lists without their index file --------------------------------------
# The 2025 SDN sample with its remarks' continuation (an LEI), the index file removed: the
# first searches, on the workers at the same time, build the search view and the identifier
# index from the rows.
IDB="$S/ident.db"
SDN25=$FX/lists/ofac-sdn-2025-sample
"$BIN" lists import ofac-sdn "$SDN25/sdn.csv" "$SDN25/alt.csv" "$SDN25/add.csv" "$SDN25/sdn_comments.csv" \
    --format sdn-csv --db "$IDB" >/dev/null 2>"$S/import.err" || bad "import the 2025 SDN sample" "$S/import.err"
python3 - "$FX/records/university-hire-2025.json" "$S/ident.jsonl" <<'PY'
import json, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
base.pop("_sources", None)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(120):
        r = json.loads(json.dumps(base))
        r["id"] = "ident-%03d" % i
        p = r["parties"][1]
        p["name"] = "Example Exchange Holding %d" % i
        # SUEX OTC's LEI (from the continuation) on every 4th record, another one elsewhere
        p["identifiers"] = {"lei": "5299007NTWCC3U23WM81" if i % 4 == 1 else "5493001KJTIIGC8Y1R12"}
        f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
PY
for j in 1 $JOBS; do
    rm -f "$IDB-index"
    if [ "$j" = 1 ]; then opt="--jobs 1"; else opt=$(jobs_opt "$j"); fi
    # shellcheck disable=SC2086
    capture ident "$j" "$BIN" screen --db "$IDB" --no-store --as-of "$AS_OF" --format jsonl $opt "$S/ident.jsonl"
    [ "$j" = 1 ] || same ident "$j"
done
rc_is ident 1
[ "$(grep -c '"entry_id":"33151"' "$S/ident.1.out")" = 30 ] && ok ||
    bad "identifiers: the LEI does not find SUEX OTC on every 4th record" "$S/ident.1.out"

# ---- --shard 2/3 --------------------------------------------------------------------------
screen_all "shard" --db "$BASE" --no-store --format jsonl --verbose --shard 2/3 "$S/a.jsonl" "$S/b.jsonl"
ids_of "$S/shard.1.out" | cmp -s - "$S/shard2of3.txt" && ok || bad "shard 2/3: not the records of positions 1, 4, 7, ..."
store_all "shardst" --format jsonl --shard 2/3 "$S/a.jsonl" "$S/b.jsonl"
for j in 1 $JOBS; do
    cmp -s "$S/shard2of3.txt" "$S/shardst.$j.stored" && ok ||
        bad "shard 2/3 stored: --jobs $j: screenings not those of the shard in input order"
done

# ---- a bad --jobs is a usage error: exit 2, one line, nothing printed or stored ---------------
for v in 0 257 x "" -1 2x 1.5; do
    for form in --jobs -j; do
        fresh
        "$BIN" screen --db "$DB" --as-of "$AS_OF" --format jsonl "$form" "$v" "$S/a.jsonl" \
            </dev/null >"$S/badjobs.out" 2>"$S/badjobs.err"
        rc=$?
        if [ $rc = 2 ] && [ "$(wc -l <"$S/badjobs.err" | tr -d ' ')" = 1 ] &&
            grep -qF -- "--jobs '$v'" "$S/badjobs.err" && [ ! -s "$S/badjobs.out" ]; then
            ok
        else
            bad "$form '$v': exit $rc, expected 2 and one line naming --jobs" "$S/badjobs.err"
        fi
        [ "$(sqlite3 "$DB" "SELECT count(*) FROM screening")" = "$BEFORE" ] && ok ||
            bad "$form '$v': something was stored"
    done
done
# the message, verbatim
"$BIN" screen --no-store --no-lists --jobs 0 "$S/a.jsonl" </dev/null >/dev/null 2>"$S/badjobs.err"
echo "ttscreen: screen: --jobs '0' must be a whole number from 1 to 256" | cmp -s - "$S/badjobs.err" && ok ||
    bad "--jobs 0: message" "$S/badjobs.err"

# ---- --format json: one record's report; two records are refused the same way for every N -----
head -n 2 "$S/a.jsonl" >"$S/two.jsonl"
for j in 1 $JOBS; do
    fresh
    if [ "$j" = 1 ]; then opt="--jobs 1"; else opt=$(jobs_opt "$j"); fi
    # shellcheck disable=SC2086
    capture json2 "$j" "$BIN" screen --db "$DB" --as-of "$AS_OF" --format json $opt "$S/two.jsonl"
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM screening")" = "$BEFORE" ] && ok ||
        bad "--format json, two records, --jobs $j: something was stored"
    [ "$j" = 1 ] || same json2 "$j"
done
rc_is json2 2
[ ! -s "$S/json2.1.out" ] && [ "$(wc -l <"$S/json2.1.err" | tr -d ' ')" = 1 ] &&
    grep -q "holds more than one record" "$S/json2.1.err" && ok ||
    bad "--format json, two records: not one line refusing it" "$S/json2.1.err"
# one record: its report, the same for every N
screen_all "json1" --db "$BASE" --no-store --format json "$S/one.jsonl"
rc_is json1 1
# more than one record reaching --format json through --shard: the same refusal for every N
screen_all "jsonshard" --db "$BASE" --no-store --format json --shard 1/2 "$S/a.jsonl"
rc_is jsonshard 2

# ---- search --batch --jobs N ----------------------------------------------------------------
# The same comparisons for `search --batch`: a sheet of 400 rows, every 10th a listed name.
python3 - "$S" "$FX/lists/ofac-sdn-2019-01/sdn.csv" <<'PY'
import csv, sys
out, sdn = sys.argv[1], sys.argv[2]
listed = [row[1] for row in csv.reader(open(sdn, encoding="utf-8"))
          if len(row) > 2 and row[2].strip() == "-0-" and row[1].isascii()][:60]
rows = []
for i in range(400):
    if i == 7:
        rows.append(["V%04d" % i, "宁德时代", "CN"])
    elif i % 10 == 3:
        rows.append(["V%04d" % i, listed[(i // 10) % len(listed)], "CU"])
    else:
        rows.append(["V%04d" % i, "Example Vendor %d Kogyo K.K." % i, "JP"])
for name, bad in (("vendors", False), ("vendors-bad", True)):
    with open(out + "/" + name + ".csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "country"])
        for i, r in enumerate(rows):
            w.writerow([r[0], "", r[2]] if bad and i in (150, 151, 290) else r)
PY
for fmt in csv jsonl text html; do
    capture "batch-$fmt" 1 "$BIN" search --batch "$S/vendors.csv" --db "$BASE" --format "$fmt" --jobs 1
    for j in $JOBS; do
        # shellcheck disable=SC2046
        capture "batch-$fmt" "$j" "$BIN" search --batch "$S/vendors.csv" --db "$BASE" --format "$fmt" $(jobs_opt "$j")
        same "batch-$fmt" "$j"
    done
    rc_is "batch-$fmt" 1
done
# bad rows in the middle, gone over with --skip-bad: the same errors in the same order
capture batch-bad 1 "$BIN" search --batch "$S/vendors-bad.csv" --skip-bad --db "$BASE" --format jsonl --jobs 1
for j in $JOBS; do
    # shellcheck disable=SC2046
    capture batch-bad "$j" "$BIN" search --batch "$S/vendors-bad.csv" --skip-bad --db "$BASE" --format jsonl $(jobs_opt "$j")
    same batch-bad "$j"
done
rc_is batch-bad 2
# kept as counterparty cases: the case file and the audit log the same for every N
for j in 1 $JOBS; do
    fresh
    if [ "$j" = 1 ]; then opt="--jobs 1"; else opt=$(jobs_opt "$j"); fi
    # shellcheck disable=SC2086
    capture batchst "$j" "$BIN" search --batch "$S/vendors.csv" --store --db "$DB" --format jsonl $opt
    capture batchst-list "$j" "$BIN" cases list --kind counterparty --db "$DB"
    capture batchst-export "$j" "$BIN" audit export --db "$DB"
    capture batchst-verify "$j" "$BIN" audit verify --db "$DB"
    rc=$(cat "$S/batchst-verify.$j.rc")
    [ "$rc" = 0 ] && ok || bad "search --batch --store --jobs $j: audit verify" "$S/batchst-verify.$j.out"
    [ "$j" = 1 ] || for t in batchst batchst-list batchst-export batchst-verify; do same "$t" "$j"; done
done
rc_is batchst 1
[ "$(grep -c '^cp-V' "$S/batchst-list.1.out")" = 400 ] && ok ||
    bad "search --batch --store: not every row kept as a case" "$S/batchst-list.1.out"

# a bad --jobs, and --jobs without --batch: usage errors of one line
for v in 0 257 x; do
    for cmd in search rescreen; do
        fresh
        if [ $cmd = search ]; then
            "$BIN" search --batch "$S/vendors.csv" --store --db "$DB" --jobs "$v" </dev/null \
                >"$S/badjobs.out" 2>"$S/badjobs.err"
        else
            "$BIN" rescreen --db "$DB" --as-of "$AS_OF" --jobs "$v" </dev/null \
                >"$S/badjobs.out" 2>"$S/badjobs.err"
        fi
        rc=$?
        echo "ttscreen: $cmd: --jobs '$v' must be a whole number from 1 to 256" | cmp -s - "$S/badjobs.err" &&
            [ $rc = 2 ] && [ ! -s "$S/badjobs.out" ] && ok ||
            bad "$cmd --jobs '$v': exit $rc, expected 2 and the one-line message" "$S/badjobs.err"
        [ "$(sqlite3 "$DB" "SELECT count(*) FROM screening")" = "$BEFORE" ] && ok ||
            bad "$cmd --jobs '$v': something was stored"
    done
done
"$BIN" search "EXAMPLE" --db "$BASE" --jobs 2 </dev/null >"$S/badjobs.out" 2>"$S/badjobs.err"
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$S/badjobs.err" | tr -d ' ')" = 1 ] && grep -q -- "--jobs goes with --batch" "$S/badjobs.err" &&
    ok || bad "search NAME --jobs 2: exit $rc, expected 2 and one line" "$S/badjobs.err"

# ---- rescreen --jobs N ----------------------------------------------------------------------
# The same comparisons for `rescreen` over the stored batch, in full and --changed-lists:
# the valid batch stored, then a new version of the 1260H list (CATL stays, two of the
# batch's suppliers join it), so that rescreen has new findings to report
RSB="$S/rescreen-base.db"
cp "$DEC" "$RSB"
cp "$DEC-index" "$RSB-index"
"$BIN" screen --db "$RSB" --as-of "$AS_OF" --by tester --format jsonl --jobs 1 "$S/good.jsonl" \
    >/dev/null 2>"$S/rsb.err"
[ $? = 1 ] && ok || bad "rescreen: store the batch" "$S/rsb.err"
{
    head -n 2 "$FX/lists/us-1260h.csv"
    echo '2026-s11,"Supplier 11 Manufacturing Co., Ltd.",,CN,1260H,2025-12-01,'
    echo '2026-s212,"Supplier 212 Manufacturing Co., Ltd.",,CN,1260H,2025-12-01,'
} >"$S/1260h-v2.csv"
"$BIN" lists import us-1260h "$S/1260h-v2.csv" --format ttscreen-csv --db "$RSB" \
    >/dev/null 2>"$S/rsb.err" || bad "rescreen: import the new 1260H version" "$S/rsb.err"
for j in 1 $JOBS; do
    if [ "$j" = 1 ]; then opt="--jobs 1"; else opt=$(jobs_opt "$j"); fi
    for mode in text json changed; do
        RS="$S/rs.db"
        rm -f "$RS" "$RS-index" "$RS-wal" "$RS-shm"
        cp "$RSB" "$RS"
        cp "$RSB-index" "$RS-index"
        case $mode in
        text) how="--format text" ;;
        json) how="--format json" ;;
        changed) how="--format json --changed-lists" ;;
        esac
        # shellcheck disable=SC2086
        capture "rescreen-$mode" "$j" "$BIN" rescreen --db "$RS" --as-of "$AS_OF" --by tester \
            $how $opt
        capture "rescreen-$mode-export" "$j" "$BIN" audit export --db "$RS"
        capture "rescreen-$mode-verify" "$j" "$BIN" audit verify --full --db "$RS"
        [ "$(cat "$S/rescreen-$mode-verify.$j.rc")" = 0 ] && ok ||
            bad "rescreen $mode --jobs $j: audit verify" "$S/rescreen-$mode-verify.$j.out"
        [ "$j" = 1 ] || for t in "rescreen-$mode" "rescreen-$mode-export" "rescreen-$mode-verify"; do
            same "$t" "$j"
        done
    done
done
for mode in text json changed; do rc_is "rescreen-$mode" 1; done
has "rescreen: the new 1260H entries found" "$S/rescreen-json.1.out" '"entry_id":"2026-s11"' \
    '"entry_id":"2026-s212"'

echo "jobs: $passed passed, $failed failed"
[ "$failed" = 0 ]
