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
has "the summary counts the stored cases" "$S/err" "5 counterparty cases stored"
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
sed 's/^V-004,Kansai Optical Glass Works,JP/V-004,Kansai Optical Glass Works Co. Ltd.,JP/' \
    "$S/vendors.csv" >"$S/vendors2.csv"
run "the sheet again" 1 -- "$BIN" search --batch "$S/vendors2.csv" --store --db "$DB" -o "$S/r2.csv"
n=$(sqlite3 "$DB" "SELECT count(*) FROM case_file WHERE record_id LIKE 'cp-%'")
[ "$n" = 5 ] && ok || bad "counterparty cases after the second run: $n, expected 5"
name=$(sqlite3 "$DB" "SELECT json_extract(s.record_json, '\$.parties[1].name') FROM screening s
    JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'cp-V-004' ORDER BY s.id DESC LIMIT 1")
[ "$name" = "Kansai Optical Glass Works Co. Ltd." ] && ok || bad "cp-V-004 holds '$name'"
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

echo "watch: $passed passed, $failed failed"
[ "$failed" = 0 ]
