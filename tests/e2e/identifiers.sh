#!/bin/sh
# SPDX-License-Identifier: MIT
# A party's identifiers against the identifiers the lists publish: the same
# one finds the entry and is decisive, another one of a scheme that numbers
# entities lowers a name's score (never hiding an exact name), and OFAC's
# remarks continued in sdn_comments.csv are read, so an identifier past the
# 1,000th character of the remarks is not lost. Real data: the 2025 OFAC SDN
# sample (SUEX OTC, S.R.O., entry 33151, whose LEI is in the continuation).
#   sh tests/e2e/identifiers.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_RULES TTSCREEN_DB SOURCE_DATE_EPOCH
passed=0
failed=0
SUITE=identifiers
. "$(dirname "$0")/lib/scenario.sh"

SDN=$FX/lists/ofac-sdn-2025-sample
LEI=5299007NTWCC3U23WM81 # SUEX OTC's, as OFAC's remarks continued give it
OTHER=5493001KJTIIGC8Y1R12
DB=$S/lists.db
tt() { "$BIN" "$@" --db "$DB"; }

# --- without the continuation file the LEI is not known; with it, it is -----------------
run "import without sdn_comments.csv" 0 -- tt lists import ofac-sdn "$SDN/sdn.csv" "$SDN/alt.csv" \
    "$SDN/add.csv" --format sdn-csv
record "$S/lei.json" "$FX/records/university-hire-2025.json" "
r['parties'][1]['name'] = 'Example Exchange Holding'
r['parties'][1]['identifiers'] = {'lei': '$LEI'}"
screen() { tt screen --no-store --as-of 2026-01-01 --format json "$@"; }
run "screen by LEI, continuation not imported" 1 -- screen "$S/lei.json"
lacks "the LEI past the cut is not seen without the continuation" "$S/out" '"entry_id": "33151"'
run "import with sdn_comments.csv" 0 -- tt lists import ofac-sdn "$SDN/sdn.csv" "$SDN/alt.csv" \
    "$SDN/add.csv" "$SDN/sdn_comments.csv" --format sdn-csv
has "the continuation changes the entry" "$S/out" "~1"
run "screen by LEI again" 1 -- screen "$S/lei.json"
has "the LEI finds SUEX OTC whatever the party is called" "$S/out" '"entry_id": "33151"' \
    '"query": "$.parties[1].identifiers.lei"' '"score": 1.0000'
run "a 2-column file that is not the continuation's order" 2 -- tt lists import x "$SDN/sdn.csv" \
    "$SDN/sdn_comments.csv" "$SDN/sdn_comments.csv" --format sdn-csv
has "a second continuation file is refused" "$S/err" "found 2 columns"
run "a continuation row of no entry warns" 0 -- sh -c "printf '99999999,\"x\"\n' >'$S/c.csv' &&
    '$BIN' lists import y '$SDN/sdn.csv' '$S/c.csv' --format sdn-csv --db '$S/y.db'"
has "the warning names it" "$S/err" "remarks continued of entity 99999999, which sdn.csv does not list"

# --- search --identifier --------------------------------------------------------------
run "the same LEI" 1 -- tt search "SUEX OTC SRO" --identifier "lei:$LEI" --explain
has "the same LEI is said" "$S/out" "lei the same as the entry's ($LEI)"
run "a near name with the same LEI scores 1" 1 -- tt search "SUEX OTK" --identifier "lei:$LEI" \
    --threshold 0.8 --format json
has "decisive: score 1, the raise named" "$S/out" '"score":1.0000,"name_score":0.' \
    '"identifier_adjustment":0.'
run "another LEI" 1 -- tt search "SUEX OTC SRO" --identifier "lei:$OTHER" --explain
has "another LEI lowers by 0.10" "$S/out" "0.900  ofac-sdn  33151" \
    "lei not the entry's ($LEI): -0.1000"
run "another LEI never hides the exact name" 1 -- tt search "SUEX OTC SRO" --identifier \
    "lei:$OTHER" --threshold 0.95 --explain
has "kept at the threshold" "$S/out" "0.950  ofac-sdn  33151" \
    "(an exact name: kept at the threshold, not hidden)"
run "a near name with another LEI" 1 -- tt search "SUEX OTK" --threshold 0.8 --format json
cp "$S/out" "$S/near.json"
run "a near name with another LEI, lowered" 0 -- tt search "SUEX OTK" --identifier "lei:$OTHER" \
    --threshold 0.85
has "a near name another LEI takes under the threshold is not shown" "$S/out" "no list entry scores"
run "a different DUNS says nothing" 1 -- tt search "SUEX OTC SRO" --identifier "duns:123456789" \
    --explain
lacks "DUNS numbers sites: no adjustment" "$S/out" "duns"
run "a value not of the scheme's shape is not compared" 1 -- tt search "SUEX OTC SRO" \
    --identifier "lei:12345" --explain
lacks "no comparison with a malformed LEI" "$S/out" "lei not"
run "the country and the identifier together" 1 -- tt search "SUEX OTC SRO" --country RU \
    --identifier "lei:$OTHER" --format json
has "both amounts in JSON" "$S/out" '"name_score":1.0000,"country_adjustment":0.0000,"identifier_adjustment":-0.1000'
run "an unknown scheme" 2 -- tt search "SUEX" --identifier "vat:123"
has "an unknown scheme is an error" "$S/err" "ttscreen: search: --identifier: unknown identifier scheme 'vat'"
run "no value" 2 -- tt search "SUEX" --identifier "lei:"
has "a scheme without a value is an error" "$S/err" "identifier 'lei' has no value"
run "nothing given" 2 -- tt search "SUEX" --identifier ";"
has "an empty --identifier is an error" "$S/err" "no SCHEME:VALUE given"
run "--identifier with --batch" 2 -- tt search --batch "$S/none.csv" --identifier "lei:$LEI"
has "a sheet has its identifiers column" "$S/err" "a --batch sheet has an identifiers column"

# --- the sheet's identifiers column, and the facts as columns -------------------------
printf 'name,country,identifiers\nSUEX OTC SRO,RU,lei:%s\nSUEX OTC SRO,RU,lei:%s\nSUEX OTC SRO,,\n' \
    "$LEI" "$OTHER" >"$S/sheet.csv"
run "batch with identifiers" 1 -- tt search --batch "$S/sheet.csv"
has "the facts' columns" "$S/out" \
    "match_source_url,match_name_score,match_country_adjustment,match_identifier_adjustment"
has "row 1: same LEI, the country raises nothing past 1" "$S/out" \
    "SUEX OTC SRO,RU,lei:$LEI,ofac-sdn,33151,"
has "row 2: another LEI" "$S/out" ",0.9000,RU;CZ,CYBER2,organisation,"
has "row 2's amounts" "$S/out" ",1.0000,0.0000,-0.1000"
run "batch JSON" 1 -- tt search --batch "$S/sheet.csv" --format jsonl
has "JSON rows carry the amounts" "$S/out" '"identifier_adjustment":-0.1000'
printf 'name,identifiers\nSUEX OTC SRO,vat:1\nSUEX OTC SRO,\n' >"$S/badids.csv"
run "a bad identifiers cell stops the batch" 2 -- tt search --batch "$S/badids.csv"
has "it names file, row and column" "$S/err" "badids.csv:2: column 2 (identifiers): unknown identifier scheme 'vat'"
run "with --skip-bad the name is still screened" 2 -- tt search --batch "$S/badids.csv" --skip-bad
has "the row's name still has its candidate" "$S/out" "SUEX OTC SRO,vat:1,ofac-sdn,33151"

# --- a screening report carries the identifier's amount -------------------------------
record "$S/other.json" "$FX/records/university-hire-2025.json" "
r['parties'][1]['name'] = 'SUEX OTC'
r['parties'][1]['country'] = 'CZ'
r['parties'][1]['identifiers'] = {'lei': '$OTHER'}"
run "screen a party with another LEI" 1 -- screen "$S/other.json"
has "the report gives the name, country and identifier amounts" "$S/out" \
    '"identifier_adjustment": -0.1000'
run "the same in text" 1 -- tt screen --no-store --as-of 2026-01-01 "$S/other.json"
has "text names the identifier's amount" "$S/out" "identifier -0.10"
run "the same in HTML" 1 -- tt screen --no-store --as-of 2026-01-01 --format html "$S/other.json"
has "HTML names the identifier's amount" "$S/out" "(name 1.00, country +0.00, identifier -0.10)"

echo "identifiers: $passed passed, $failed failed"
[ "$failed" = 0 ]
