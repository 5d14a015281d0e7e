#!/bin/sh
# SPDX-License-Identifier: MIT
# Fail closed: every name a deal carries reaches every imported list, and no
# gap is reported as clear. Each case is a user's path through two or more
# commands (import, screen, change the list or the record, screen again) on
# the real list fixtures (the full January 2019 OFAC SDN, the CSL and the
# DoD 1260H fixtures) in a real database.
#   sh tests/e2e/failclosed.sh BINARY SCRATCH
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
SUITE=failclosed
. "$(dirname "$0")/lib/scenario.sh"

DB="$S/lists.db"
tt() { "$BIN" "$@" --db "$DB"; }
tt lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$FX/lists/ofac-sdn-2019-01/alt.csv" \
    "$FX/lists/ofac-sdn-2019-01/add.csv" --format sdn-csv >/dev/null 2>"$S/import.err" ||
    bad "import the 2019 SDN" "$S/import.err"
tt lists import us-csl "$FX/lists/csl-2019-12-sample.csv" --format csl-csv >/dev/null 2>"$S/import.err" ||
    bad "import the CSL sample" "$S/import.err"
tt lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv >/dev/null 2>"$S/import.err" ||
    bad "import the 1260H fixture" "$S/import.err"
screen() { "$BIN" screen --db "$DB" --no-store --as-of 2026-01-01 --format json "$@"; }

# --- a person on the SDN in a university record -> critical --------------------------
record "$S/wong.json" "$FX/records/university-hire-2025.json" '
r["people"][0]["name"] = "WONG Moon Chi"
r["people"][0]["nationality"] = "CN"'
run "listed researcher" 1 -- screen "$S/wong.json"
has "listed researcher: the SDN finding on the person" "$S/out" \
    '"rule": "sanctions.us.sdn"' '"severity": "critical"' '"subject": "$.people[0]"' \
    '"entry_id": "9340"' '"query": "$.people[0].name"' '"verdict": "blocked"'

# --- a party found by its alias alone -> the 1260H finding naming the alias path -------
record "$S/catl-alias.json" "$FX/records/nissan-catl-2018.json" '
p = [x for x in r["parties"] if x["id"] == "catl"][0]
p["name"] = "Ningde Shidai New Energy"
p["aliases"] = ["宁德时代"]'
run "alias-only CATL" 1 -- screen "$S/catl-alias.json"
has "alias-only CATL: 1260H by the alias" "$S/out" '"rule": "sanctions.us.section-1260h"' \
    '"matched": "宁德时代"' '"query": "$.parties[1].aliases[0]"' '"query_name": "宁德时代"'

# --- an identifier the list publishes finds the entry whatever the party is called ------
record "$S/ident.json" "$FX/records/university-hire-2025.json" '
r["parties"][1]["name"] = "Example Holding B.V."
r["parties"][1]["identifiers"] = {"lei": "2713-4614"}'
run "identifier only" 1 -- screen "$S/ident.json"
lacks "identifier only: the name alone does not match" "$S/out" '"query": "$.parties[1].name"'
has "identifier only: found by the registration number" "$S/out" '"entry_id": "8127"' \
    '"query": "$.parties[1].identifiers.lei"' '"score": 1.0000'

# --- names that are not parties: an affiliation and a funding source ------------------
record "$S/affil.json" "$FX/records/university-hire-2025.json" '
r["people"][0]["affiliations"] = [{"organisation": "54th Research Institute of China", "country": "CN", "kind": "employment"}]
r["funding"] = [{"from": "WONG, Moon Chi", "to": r["people"][0]["id"], "purpose": "travel"}]'
run "listed affiliation and funder" 1 -- screen "$S/affil.json"
has "listed affiliation: Entity List finding on the affiliation" "$S/out" \
    '"subject": "$.people[0].affiliations[0]"' '"query": "$.people[0].affiliations[0].organisation"' \
    '"name": "54th Research Institute of China"'
has "listed funder: SDN finding on the funding flow" "$S/out" '"subject": "$.funding[0]"' \
    '"query": "$.funding[0].from"'

# --- a person never matches an organisation's entry, nor an organisation a person's ----
# (an entry of unknown type, such as many CSL rows, may match either)
record "$S/person-vs-org.json" "$FX/records/university-hire-2025.json" '
r["people"][0]["name"] = "BANCO NACIONAL DE CUBA"
r["parties"][2]["name"] = "WONG Moon Chi"'
run "a person named like a listed bank, a company like a listed person" 1 -- screen "$S/person-vs-org.json"
lacks "a person is not matched to an SDN entity" "$S/out" '"query": "$.people[0].name"'
lacks "a company is not matched to an SDN individual" "$S/out" '"query": "$.parties[2].name"'
record "$S/person-party.json" "$FX/records/university-hire-2025.json" '
r["parties"][2]["name"] = "WONG Moon Chi"
r["parties"][2]["type"] = "person"'
run "a person party named like a listed person" 1 -- screen "$S/person-party.json"
has "a party of type person is matched to an SDN individual" "$S/out" '"query": "$.parties[2].name"' \
    '"entry_type": "person"'

# --- a list imported under its own name is read: an in-house watch-list -----------------
IDB="$S/internal.db"
"$BIN" lists import internal "$FX/lists/internal-watch.csv" --format ttscreen-csv --db "$IDB" >/dev/null 2>&1
record "$S/watch.json" "$FX/records/university-hire-2025.json" '
r["people"][0]["name"] = "TANAKA Ichiro"'
run "in-house watch-list" 1 -- "$BIN" screen --db "$IDB" --no-store --as-of 2026-01-01 --format json "$S/watch.json"
has "in-house watch-list: the generic list rule names the source" "$S/out" \
    '"rule": "sanctions.lists.other-high"' '"source": "internal"' 'on the imported list internal'

# --- no database, an empty database: refuse, say how, write nothing -------------------
run "no database" 2 -- "$BIN" screen --db "$S/none.db" --as-of 2026-01-01 "$FX/records/toyota-catl-2019.json"
has "no database: one line saying how to load lists" "$S/err" "no denied-party list is loaded" "--no-lists"
[ ! -s "$S/out" ] && ok || bad "no database: a report was printed" "$S/out"
[ ! -e "$S/none.db" ] && ok || bad "no database: an empty database was created"
run "no database, --no-store" 2 -- "$BIN" screen --db "$S/none.db" --no-store "$FX/records/toyota-catl-2019.json"
"$BIN" cases list --db "$S/empty.db" >/dev/null 2>&1
"$BIN" lists status --db "$S/empty.db" >/dev/null 2>&1
sqlite3 "$S/empty.db" 'PRAGMA user_version' >/dev/null 2>&1 || "$BIN" screen --db "$S/empty.db" --no-lists \
    --as-of 2026-01-01 "$FX/records/toyota-catl-2019.json" >/dev/null 2>&1
run "empty database" 2 -- "$BIN" screen --db "$S/empty.db" --as-of 2026-01-01 "$FX/records/toyota-catl-2019.json"
has "empty database: the message" "$S/err" "no denied-party list is loaded in $S/empty.db"
run "rescreen with no list" 2 -- "$BIN" rescreen --db "$S/empty.db"
has "rescreen with no list: the message" "$S/err" "rescreen: no denied-party list is loaded"

# --- --no-lists: every report says so -------------------------------------------------
run "--no-lists json" 0 -- "$BIN" screen --db "$S/none.db" --no-store --no-lists --as-of 2026-01-01 \
    --format json "$FX/records/jp-only-joint-venture.json"
has "--no-lists json says no list was consulted" "$S/out" '"lists_consulted": false' '"lists": []'
run "--no-lists text" 0 -- "$BIN" screen --db "$S/none.db" --no-store --no-lists --as-of 2026-01-01 \
    "$FX/records/jp-only-joint-venture.json"
has "--no-lists text says no list was consulted" "$S/out" "NOT CONSULTED (--no-lists)"
run "--no-lists html" 0 -- "$BIN" screen --db "$S/none.db" --no-store --no-lists --as-of 2026-01-01 \
    --format html "$FX/records/jp-only-joint-venture.json"
has "--no-lists html says no list was consulted" "$S/out" "Not consulted (--no-lists)"
run "with lists json" 0 -- screen "$FX/records/jp-only-joint-venture.json"
has "with lists, the report says they were consulted" "$S/out" '"lists_consulted": true' '"source": "ofac-sdn"'

# --- stale lists: --max-list-age fails ---------------------------------------------------
ODB="$S/old.db"
SOURCE_DATE_EPOCH=1546300800 "$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv \
    --db "$ODB" >/dev/null 2>&1
run "--max-list-age on an old list" 2 -- "$BIN" screen --db "$ODB" --no-store --max-list-age 30 \
    "$FX/records/jp-only-joint-venture.json"
has "--max-list-age names the list and its age" "$S/err" "list us-1260h is" "older than --max-list-age 30"
[ ! -s "$S/out" ] && ok || bad "--max-list-age: a report was printed" "$S/out"
run "rescreen --max-list-age on an old list" 2 -- "$BIN" rescreen --db "$ODB" --max-list-age 30
has "rescreen --max-list-age names the list" "$S/err" "rescreen: list us-1260h is"
run "--max-list-age generous" 0 -- "$BIN" screen --db "$DB" --no-store --max-list-age 36500 \
    "$FX/records/jp-only-joint-venture.json"
run "--max-list-age not a number" 2 -- "$BIN" screen --db "$DB" --no-store --max-list-age soon \
    "$FX/records/jp-only-joint-venture.json"

# --- SOURCE_DATE_EPOCH fixes generated_at only: an expired licence stays expired --------
record "$S/expired-licence.json" "$FX/records/shi-subcontractor-licensed-illustrative.json" '
del r["controls"]["as_of"]'
run "expired licence under SOURCE_DATE_EPOCH" 1 -- env SOURCE_DATE_EPOCH=1619568000 "$BIN" screen \
    --db "$DB" --no-store --format json "$S/expired-licence.json"
has "SOURCE_DATE_EPOCH: generated_at fixed, the licence judged on the real date" "$S/out" \
    '"generated_at": "2021-04-28T00:00:00Z"' '"verdict": "blocked"'
lacks "SOURCE_DATE_EPOCH does not move as_of" "$S/out" '"as_of": "2021-04-28"'
run "the same record with --as-of before expiry" 0 -- env SOURCE_DATE_EPOCH=1619568000 "$BIN" screen \
    --db "$DB" --no-store --format json --as-of 2021-04-28 "$S/expired-licence.json"

# --- a field the tool did not understand is an error, never a silent clear ------------
record "$S/state-funded.json" "$FX/records/toyota-catl-2019.json" '
p = [x for x in r["parties"] if x["id"] == "catl"][0]
p["state-funded"] = True'
run "misspelt state_funded" 2 -- screen "$S/state-funded.json"
has "misspelt state_funded: did you mean" "$S/err" '$.parties[1].state-funded: unknown field; did you mean "state_funded"?'
record "$S/license.json" "$FX/records/shi-subcontractor-licensed-illustrative.json" '
t = r["transfers"][1]
t["license"] = t.pop("licence")'
run "U.S. spelling license" 2 -- screen "$S/license.json"
has "U.S. spelling license: did you mean" "$S/err" 'license: unknown field; did you mean "licence"?'
record "$S/fields.json" "$FX/records/toyota-catl-2019.json" '
r["technologies"][0]["fields"] = ["Semiconductors"]'
run "fields outside the vocabulary" 2 -- screen "$S/fields.json"
has "fields outside the vocabulary: did you mean" "$S/err" 'did you mean "semiconductors"?'
# item 16 (catch-all) is not list control: no critical unlicensed-transfer finding
record "$S/item16.json" "$FX/records/shi-subcontractor-2021.json" '
r["technologies"][0]["control"]["jp"] = "16"'
run "control.jp 16" 0 -- screen --fail-on critical "$S/item16.json"
lacks "control.jp 16 is not list-controlled" "$S/out" "fefta.art25.unlicensed-transfer"

# --- screen, change a list, rescreen: the new listing reaches the stored case ----------
CDB="$S/cases.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" --format sdn-csv --db "$CDB" >/dev/null 2>&1
run "store the CATL joint venture" 0 -- "$BIN" screen --db "$CDB" --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json"
lacks "before the 1260H list, no 1260H finding" "$S/out" "sanctions.us.section-1260h"
run "rescreen with nothing changed" 0 -- "$BIN" rescreen --db "$CDB" --as-of 2026-01-01
has "rescreen with nothing changed: screen and rescreen agree" "$S/out" "0 changed"
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv --db "$CDB" >/dev/null 2>&1
run "rescreen after the 1260H list" 1 -- "$BIN" rescreen --db "$CDB" --as-of 2026-01-01
has "rescreen reports the new 1260H finding" "$S/out" "sanctions.us.section-1260h" "1 changed"
run "rescreen --no-lists refuses nothing but says so" 0 -- "$BIN" rescreen --db "$CDB" --no-lists --fail-on critical
sqlite3 "$CDB" "SELECT report_json FROM screening ORDER BY id DESC LIMIT 1" >"$S/last.json" 2>/dev/null
has "a --no-lists rescreening is stored as such" "$S/last.json" '"lists_consulted":false'

# --- a list normalised by an earlier name matcher: refused, not searched with stale tokens --
ODB="$S/old-names.db"
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv --db "$ODB" >/dev/null 2>&1
run "a current list screens" 1 -- "$BIN" screen --db "$ODB" --no-store --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json"
# what a list imported before the matcher's version was kept looks like
sqlite3 "$ODB" "UPDATE list_source SET names_version = NULL WHERE name = 'us-1260h'"
run "screen against an older matcher's list" 2 -- "$BIN" screen --db "$ODB" --no-store --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json"
has "screen names the list and the way out" "$S/err" "list us-1260h was imported by an earlier version of ttscreen" "import it again"
run "search against an older matcher's list" 2 -- "$BIN" search "CATL" --db "$ODB"
has "search says why" "$S/err" "earlier version of ttscreen whose name matching differs"
run "rescreen against an older matcher's list" 2 -- "$BIN" rescreen --db "$ODB" --changed-lists
run "lists status still reads and says so" 0 -- "$BIN" lists status --db "$ODB"
has "lists status names the stale list" "$S/out" "us-1260h: imported by an earlier version of ttscreen"
run "lists status JSON" 0 -- "$BIN" lists status --format json --db "$ODB"
has "lists status JSON says names_current false" "$S/out" '"names_current":false'
run "--no-lists is not blocked by it" 0 -- "$BIN" screen --db "$ODB" --no-store --no-lists --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json"
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv --db "$ODB" >/dev/null 2>&1
run "imported again, it screens" 1 -- "$BIN" screen --db "$ODB" --no-store --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json"
has "imported again: the 1260H finding" "$S/out" "sanctions.us.section-1260h"
run "the audit chain holds" 0 -- "$BIN" audit verify --db "$ODB"

echo "failclosed: $passed passed, $failed failed"
[ "$failed" = 0 ]
