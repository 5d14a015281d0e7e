#!/bin/sh
# SPDX-License-Identifier: MIT
# Counterparties under watch: a vendor sheet kept with `search --batch --store`, then a
# list import naming one more of them reaches it through rescreen (full and --changed-lists
# alike); a reviewer's clearance holds; the same sheet again with one row changed updates
# that case and duplicates none; the audit chain holds throughout.
#   sh tests/e2e/watch.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1 TTSCREEN_RULES="$ROOT/rules"
unset TTSCREEN_DB
passed=0
failed=0
SUITE=watch
. "$(dirname "$0")/lib/scenario.sh"

DB="$S/watch.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" --format sdn-csv --db "$DB" >/dev/null 2>&1 ||
    bad "import the SDN"
cat >"$S/vendors.csv" <<'CSV'
取引先コード,名称,国,type
V-001,Hokuriku Precision Castings,JP,company
V-002,AEROCARIBBEAN AIRLINES,CU,company
V-003,Contemporary Amperex Technology Co. Limited,CN,company
V-004,Kansai Optical Glass Works,JP,company
,Sakura Ceramic Materials,JP,company
CSV

run "the sheet kept under watch" 1 -- "$BIN" search --batch "$S/vendors.csv" --store --db "$DB" -o "$S/r1.csv"
has "the summary counts the stored cases" "$S/err" "5 rows kept as counterparty cases"
run "audit verify after the first sheet" 0 -- "$BIN" audit verify --db "$DB"
# the batch output names each row's case (last column), the same ids cases list shows
python3 - "$S/r1.csv" >"$S/check" 2>&1 <<'PY' && ok || bad "the case_id column" "$S/check"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
assert list(rows[0].keys())[-1] == "case_id", list(rows[0].keys())
by = {r["名称"]: r["case_id"] for r in rows}
assert by["Hokuriku Precision Castings"] == "cp-V-001", by
assert by["Sakura Ceramic Materials"].startswith("cp-") and len(by["Sakura Ceramic Materials"]) == 27, by
PY
run "cases show says the kind" 0 -- "$BIN" cases show cp-V-001 --db "$DB"
has "kind counterparty" "$S/out" "kind        counterparty"
run "cases show JSON says the kind" 0 -- "$BIN" cases show cp-V-001 --format json --db "$DB"
has "JSON kind" "$S/out" '"kind":"counterparty"'
# a deal record under a counterparty's case id is refused, never mixed into that case
sed 's/"id": *"toyota-catl-2019"/"id": "cp-V-001"/' "$FX/records/toyota-catl-2019.json" >"$S/clash.json"
run "a deal record with a counterparty's id" 2 -- "$BIN" screen --db "$DB" --as-of 2026-01-01 "$S/clash.json"
has "says which kind" "$S/err" "case cp-V-001 is a counterparty case"
run "cases list --kind counterparty" 0 -- "$BIN" cases list --kind counterparty --format json --db "$DB"
python3 - "$S/out" >"$S/check" 2>&1 <<'PY' && ok || bad "the counterparty cases" "$S/check"
import json, sys
cases = json.load(open(sys.argv[1]))["cases"]
ids = sorted(c["id"] for c in cases)
assert len(ids) == 5, ids
assert "cp-V-001" in ids and "cp-V-002" in ids, ids
# a row without an id: a stable hash of its name and country
assert sum(1 for i in ids if i.startswith("cp-") and len(i) == 27) == 1, ids
assert all(c["kind"] == "counterparty" for c in cases)
by = {c["id"]: c for c in cases}
assert by["cp-V-002"]["latest"]["verdict"] != "clear", by["cp-V-002"]
assert by["cp-V-003"]["latest"]["verdict"] == "clear", by["cp-V-003"]
PY
run "cases list --kind deal: none yet" 0 -- "$BIN" cases list --kind deal --db "$DB"
has "no deal cases" "$S/out" "no deal cases"
run "--kind with show is refused" 2 -- "$BIN" cases show cp-V-001 --kind deal --db "$DB"
# a deal screened into the same store is a deal case
"$BIN" screen --db "$DB" --as-of 2026-01-01 "$FX/records/toyota-catl-2019.json" >/dev/null 2>&1
run "a deal beside them" 0 -- "$BIN" cases list --kind deal --db "$DB"
has "the deal is a deal case" "$S/out" "toyota-catl-2019"
lacks "no counterparty among the deals" "$S/out" "cp-V-001"

# --- a list names one more of them: rescreen reports it, full and delta alike ----------------
cp "$DB" "$S/delta.db"
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --db "$DB" >/dev/null 2>&1
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --db "$S/delta.db" >/dev/null 2>&1
run "rescreen after the 1260H list" 1 -- "$BIN" rescreen --db "$DB" --fail-on high
has "rescreen reports the counterparty" "$S/out" "cp-V-003: clear -> review" "sanctions.us.section-1260h"
cp "$S/out" "$S/full.out"
run "the delta rescreen" 1 -- "$BIN" rescreen --db "$S/delta.db" --fail-on high --changed-lists
has "the delta finds it too" "$S/out" "cp-V-003: clear -> review"
grep -v '^rescreened ' "$S/full.out" >"$S/full.report"
grep -v '^rescreened ' "$S/out" >"$S/delta.report"
cmp -s "$S/full.report" "$S/delta.report" && ok || bad "full and delta reports differ"

# --- a reviewer clears the match as a false positive: not raised again -------------------------
hit=$(sqlite3 "$DB" "SELECT f.rule || ':' || f.entry FROM finding f JOIN screening s ON s.id = f.screening_id
    JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'cp-V-003' AND f.entry LIKE 'us-1260h:%'
    ORDER BY f.id DESC LIMIT 1")
[ -n "$hit" ] && ok || bad "no 1260H finding on cp-V-003"
run "clear it" 0 -- "$BIN" cases decide cp-V-003 --disposition cleared --by carol \
    --reason "a different company of that name" --finding "$hit" --db "$DB"
run "rescreen after the clearance" 0 -- "$BIN" rescreen --db "$DB" --fail-on high
has "the cleared match is gone, not new" "$S/out" "cp-V-003: review -> clear"

# --- the same sheet again, one row changed: that case updated, none duplicated ---------------
# (and the row without an id written in full-width letters and ideographic spaces, as a Japanese
# system may export it: the same name key, so the same case)
sed -e 's/^V-004,Kansai Optical Glass Works,JP/V-004,Kansai Optical Glass Works Co. Ltd.,JP/' \
    -e 's/^,Sakura Ceramic Materials,JP/,Ｓａｋｕｒａ　Ceramic  MATERIALS,jp/' \
    "$S/vendors.csv" >"$S/vendors2.csv"
run "the sheet again" 1 -- "$BIN" search --batch "$S/vendors2.csv" --store --db "$DB" -o "$S/r2.csv"
n=$(sqlite3 "$DB" "SELECT count(*) FROM case_file WHERE record_id LIKE 'cp-%'")
[ "$n" = 5 ] && ok || bad "counterparty cases after the second run: $n, expected 5"
name=$(sqlite3 "$DB" "SELECT json_extract(s.record_json, '\$.parties[1].name') FROM screening s
    JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'cp-V-004' ORDER BY s.id DESC LIMIT 1")
[ "$name" = "Kansai Optical Glass Works Co. Ltd." ] && ok || bad "cp-V-004 holds '$name'"
n=$(sqlite3 "$DB" "SELECT count(*) FROM screening s JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'cp-V-001'")
# an unchanged row: still one case, with one more screening per run (each run is the dated proof
# that it was screened against the lists of that day): two sheet runs and two rescreens
[ "$n" = 4 ] && ok || bad "cp-V-001 has $n screenings after two runs and two rescreens, expected 4"
python3 - "$S/r1.csv" "$S/r2.csv" >"$S/check" 2>&1 <<'PY' && ok || bad "the same cases both runs" "$S/check"
import csv, sys
a, b = ([r["case_id"] for r in csv.DictReader(open(f, encoding="utf-8-sig"))] for f in sys.argv[1:])
assert a == b, (a, b)
PY
run "audit verify after the second sheet" 0 -- "$BIN" audit verify --db "$DB"
run "still cleared on the next run" 0 -- "$BIN" cases show cp-V-003 --format json --db "$DB"
python3 - "$S/out" >"$S/check" 2>&1 <<'PY' && ok || bad "cp-V-003 after the second sheet" "$S/check"
import json, sys
c = json.load(open(sys.argv[1]))
latest = c["screenings"][0] if c["screenings"][0]["screening"] > c["screenings"][-1]["screening"] else c["screenings"][-1]
raised = [f for f in latest["findings"] if f.get("cleared") is None and "1260h" in f["rule"]]
assert not raised, latest["findings"]
PY

# --- bad rows: a row without its country cannot be kept ------------------------------------------
printf 'id,name,country\nX-1,Nameless Country Trading,\n' >"$S/nocountry.csv"
run "a row without its country" 2 -- "$BIN" search --batch "$S/nocountry.csv" --store --db "$DB" -o "$S/r3.csv"
has "says why" "$S/err" "needs its country"
run "--store without --batch" 2 -- "$BIN" search "X" --store --db "$DB"
run "a bad --org-country" 2 -- "$BIN" search --batch "$S/vendors.csv" --store --org-country jp --db "$DB" -o "$S/r4.csv"

run "the audit chain holds" 0 -- "$BIN" audit verify --db "$DB"

# --- identifiers and persons: the party carries what the row gives ------------------------------
IDB="$S/ident.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$FX/lists/ofac-sdn-2019-01/alt.csv" \
    "$FX/lists/ofac-sdn-2019-01/add.csv" --format sdn-csv --db "$IDB" >/dev/null 2>&1 ||
    bad "import the SDN with its identifiers"
printf 'id,name,country,type,identifiers\nH-1,Example Holding B.V.,NL,company,LEI: 2713-4614\nH-2,TANAKA Ichiro,JP,person,\n' \
    >"$S/ident.csv"
# the name alone matches no entry: found by the registration number, so not clear (exit 1)
run "a row found by its identifier" 1 -- "$BIN" search --batch "$S/ident.csv" --store --format jsonl --db "$IDB"
has "no candidate by the name" "$S/out" '"case_id":"cp-H-1","input"' '"matches":[]'
has "not clear" "$S/err" "2 rows kept as counterparty cases" "1 not clear"
run "the case holds the SDN finding" 0 -- "$BIN" cases show cp-H-1 --format json --db "$IDB"
has "by the LEI" "$S/out" '"rule":"sanctions.us.sdn"' "ofac-sdn:8127"
rec=$(sqlite3 "$IDB" "SELECT json_extract(s.record_json, '\$.parties[1].identifiers.lei') || '|' ||
    json_extract(s.record_json, '\$.parties[1].type') FROM screening s JOIN case_file c ON c.id = s.case_id
    WHERE c.record_id = 'cp-H-1'")
[ "$rec" = "2713-4614|company" ] && ok || bad "cp-H-1's party: $rec"
rec=$(sqlite3 "$IDB" "SELECT json_extract(s.record_json, '\$.parties[1].type') FROM screening s
    JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'cp-H-2'")
[ "$rec" = person ] && ok || bad "cp-H-2's party type: $rec"
printf 'id,name,country,identifiers\nH-3,Foo Trading,JP,lie:1\nH-4,Bar Trading,JP,lei\nH-5,Baz Trading,JP,duns:1;duns:2\n' \
    >"$S/badid.csv"
run "bad identifiers are bad rows" 2 -- "$BIN" search --batch "$S/badid.csv" --store --skip-bad --format jsonl --db "$IDB"
has "each named" "$S/err" "badid.csv:2: column 4 (identifiers): unknown identifier scheme 'lie'" \
    "badid.csv:3: column 4 (identifiers): identifier 'lei' is not SCHEME:VALUE" \
    "badid.csv:4: column 4 (identifiers): identifier scheme 'duns' given twice"
has "not kept: no case id" "$S/out" '"row":2,"case_id":null'
n=$(sqlite3 "$IDB" "SELECT count(*) FROM case_file")
[ "$n" = 2 ] && ok || bad "bad rows were kept: $n cases"
run "audit verify with identifiers" 0 -- "$BIN" audit verify --db "$IDB"

# --- a kind changed behind the log's back: its records say otherwise ----------------------------
cp "$DB" "$S/tamper.db"
sqlite3 "$S/tamper.db" "DROP TRIGGER case_file_no_update;
    UPDATE case_file SET kind = 'deal' WHERE record_id = 'cp-V-002';" || bad "tamper with a kind"
run "audit verify finds the changed kind" 1 -- "$BIN" audit verify --db "$S/tamper.db"
has "names the case" "$S/err" "case cp-V-002: its kind was changed to deal"

# --- a case file from before cases had a kind: the migration finds the counterparties -----------
cp "$DB" "$S/old.db"
sqlite3 "$S/old.db" "DROP TRIGGER case_file_no_update; ALTER TABLE case_file DROP COLUMN kind;
    CREATE TRIGGER case_file_no_update BEFORE UPDATE ON case_file
    BEGIN SELECT RAISE(ABORT, 'case files are never changed'); END; PRAGMA user_version = 7;" ||
    bad "make a schema-7 file"
run "an older file: cases list migrates it" 0 -- "$BIN" cases list --kind counterparty --db "$S/old.db"
has "its counterparties" "$S/out" "cp-V-001" "cp-V-004"
lacks "not its deal" "$S/out" "toyota-catl-2019"
run "an older file migrated" 0 -- "$BIN" audit verify --db "$S/old.db"
[ "$(sqlite3 "$S/old.db" 'PRAGMA user_version')" -ge 8 ] && ok || bad "not migrated"
n=$(sqlite3 "$S/old.db" "SELECT count(*) FROM case_file WHERE kind = 'counterparty'")
[ "$n" = 5 ] && ok || bad "migrated counterparty cases: $n, expected 5"
run "cases list --kind deal after the migration" 0 -- "$BIN" cases list --kind deal --db "$S/old.db"
has "the deal" "$S/out" "toyota-catl-2019"
lacks "no counterparty" "$S/out" "cp-V-001"

echo "watch: $passed passed, $failed failed"
[ "$failed" = 0 ]
