#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests of `ttscreen lists` and `ttscreen search`.
# Usage: tests/e2e/lists.sh TTSCREEN_BINARY SCRATCH_DIR
# Prints one line per case and "N passed, M failed"; exits 1 on any failure.
# Network: only the test server (tests/httpd/ttsd.c) on 127.0.0.1 and file:// URLs.

set -u
BIN=$1
SCRATCH=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
FIX=$ROOT/fixtures/lists
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
DB=$SCRATCH/lists.db
rm -f "$DB" "$DB-wal" "$DB-shm" "$SCRATCH"/feed.db* "$SCRATCH"/auto.db* "$SCRATCH"/sdn.db* \
    "$SCRATCH"/age.db* "$SCRATCH"/empty.db* "$SCRATCH"/keep.db*
unset TTSCREEN_DB
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z: stable import times
pass=0
fail=0
SERVER_PID=

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && echo "#   $2"; }

# run NAME EXPECTED_STATUS CMD...: runs CMD, keeps stdout/stderr in $OUT/$ERR.
run() {
    name=$1; want=$2; shift 2
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    got=$?
    OUT=$(cat "$SCRATCH/out")
    ERR=$(cat "$SCRATCH/err")
    if [ "$got" -ne "$want" ]; then
        bad "$name" "exit $got, expected $want; stderr: $ERR"
        return 1
    fi
    return 0
}

# expect NAME STATUS PATTERN_IN_STDOUT CMD...
expect_out() {
    n=$1; st=$2; pat=$3; shift 3
    run "$n" "$st" "$@" || return
    case $OUT in *"$pat"*) ok "$n" ;; *) bad "$n" "stdout lacks '$pat': $OUT" ;; esac
}

# expect_err NAME STATUS EXACT_STDERR CMD...
expect_err() {
    n=$1; st=$2; ewant=$3; shift 3
    run "$n" "$st" "$@" || return
    if [ "$ERR" = "$ewant" ]; then ok "$n"; else bad "$n" "stderr '$ERR', expected '$ewant'"; fi
}

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    :
}
trap cleanup EXIT INT TERM

T=$BIN
cd "$ROOT" || exit 2

# ---- import ----
expect_out "import OFAC SDN 2019 (sdn+alt+add)" 0 \
    "ofac-sdn: imported 7379 entries, 9682 aliases (sdn-csv, sha256 " \
    "$T" lists import ofac-sdn fixtures/lists/ofac-sdn-2019-01/sdn.csv \
    fixtures/lists/ofac-sdn-2019-01/alt.csv fixtures/lists/ofac-sdn-2019-01/add.csv --db "$DB"
expect_out "import CSL 2025 (29 columns)" 0 "us-csl: imported 13 entries, 15 aliases" \
    "$T" lists import us-csl fixtures/lists/csl-2025-sample.csv --db "$DB"
expect_out "import CSL 2019 (no _id column)" 0 "us-csl-2019: imported 115 entries, 161 aliases" \
    "$T" lists import us-csl-2019 fixtures/lists/csl-2019-12-sample.csv --format csl-csv --db "$DB"
expect_out "import CSL JSON (results array)" 0 \
    "us-csl-json: imported 13 entries, 15 aliases (csl-json, sha256 " \
    "$T" lists import us-csl-json fixtures/lists/csl-2025-sample.json --format csl-json --db "$DB"
expect_out "import a CSL API response (total, sources, results)" 0 \
    "csl-api: imported 1 entries, 1 aliases (csl-json, sha256 " \
    "$T" lists import csl-api fixtures/lists/csl-api-sample.json --format csl-json --db "$DB"
expect_out "import BIS DPL" 0 "us-dpl: imported 546 entries, 0 aliases" \
    "$T" lists import us-dpl fixtures/lists/dpl-2019-06.txt --db "$DB"
expect_out "import 1260H fixture" 0 "us-1260h: imported 1 entries, 3 aliases" \
    "$T" lists import us-1260h fixtures/lists/us-1260h.csv --db "$DB"
expect_out "import End User List fixture" 0 "jp-eul: imported 1 entries, 1 aliases" \
    "$T" lists import jp-eul fixtures/lists/jp-eul.csv --format ttscreen-csv --db "$DB"

# ---- malformed imports: file and line, previous version kept ----
expect_err "reject unterminated quote" 2 \
    "fixtures/lists/bad/unterminated-quote.csv:2: unterminated quoted field" \
    "$T" lists import us-1260h fixtures/lists/bad/unterminated-quote.csv --db "$DB"
expect_err "reject wrong column count" 2 \
    "fixtures/lists/bad/wrong-columns.csv:3: expected 7 columns, found 3" \
    "$T" lists import us-1260h fixtures/lists/bad/wrong-columns.csv --db "$DB"
expect_err "reject invalid UTF-8" 2 "fixtures/lists/bad/invalid-utf8.csv:2:7: invalid UTF-8" \
    "$T" lists import us-1260h fixtures/lists/bad/invalid-utf8.csv --db "$DB"
expect_err "reject empty file" 2 "fixtures/lists/bad/empty.csv: empty list file" \
    "$T" lists import us-1260h fixtures/lists/bad/empty.csv --db "$DB"
expect_out "previous 1260H version still in place" 1 '"entry_id":"2025-catl"' \
    "$T" search CATL --format json --db "$DB"

# ---- malformed CSL JSON: goldens beside each file (exit status, then stderr) ----
for f in fixtures/lists/bad/*.json; do
    name="bad list $(basename "$f")"
    want_rc=$(head -n 1 "${f%.json}.expected")
    want_err=$(tail -n +2 "${f%.json}.expected")
    expect_err "$name" "$want_rc" "$want_err" "$T" lists import csl-api "$f" --format csl-json --db "$DB"
done
expect_out "previous CSL JSON version still in place" 1 '"entry_id":"SDN-39017"' \
    "$T" search "KHATIB, Esmail" --format json --db "$DB"
run "us-csl takes a .json file as csl-json" 0 "$T" lists import us-csl fixtures/lists/csl-api-sample.json \
    --db "$SCRATCH/auto.db" && case $OUT in *"(csl-json, sha256 "*) ok "us-csl takes a .json file as csl-json" ;;
    *) bad "us-csl takes a .json file as csl-json" "$OUT" ;; esac

# ---- search ----
expect_out "full-width CATL finds the 1260H entry" 1 \
    '{"query":"ＣＡＴＬ","matches":[{"source":"us-1260h","entry_id":"2025-catl","name":"Contemporary Amperex Technology Co., Limited","matched":"CATL","score":1.0000,"country":"CN","programs":["1260H"],"entry_type":null,"listed_on":"2025-01-07","source_url":null}]}' \
    "$T" search "ＣＡＴＬ" --format json --db "$DB"
expect_out "traditional Han name folds to the simplified alias" 1 '"entry_id":"2025-catl"' \
    "$T" search "寧德時代新能源科技股份有限公司" --format json --db "$DB"
expect_out "End User List entry by Chinese name" 1 '"source":"jp-eul"' \
    "$T" search "中国工程物理研究院" --format json --db "$DB"
expect_out "misspelt SDN name, matched through its alias" 1 \
    "matched aka: NATIONAL BANK OF CUBA" "$T" search "Nacional Bank of Kuba" --db "$DB"
expect_out "reordered person name" 1 '"entry_id":"10758"' \
    "$T" search "John Arnold Bredenkamp" --format json --db "$DB"
case $OUT in *'"entry_id":"10758"'*'"entry_type":"person"'*) ok "search names the entry type" ;;
*) bad "search names the entry type" "$OUT" ;; esac
expect_out "no match is not an error" 0 "no list entry scores 0.85 or more" \
    "$T" search "Toyota Motor Corporation" --db "$DB"
expect_out "explain shows token pairs" 1 "tokens airlines~airlines=1.00" \
    "$T" search "AEROCARIBEAN AIRLINES" --explain --db "$DB"
run "exhaustive and indexed agree" 1 "$T" search "BANCO NACIONAL CUBA" --format json --db "$DB" &&
    A=$OUT && run "exhaustive and indexed agree" 1 "$T" search "BANCO NACIONAL CUBA" \
    --format json --exhaustive --db "$DB" &&
    if [ "$A" = "$OUT" ]; then ok "exhaustive and indexed agree"; else
        bad "exhaustive and indexed agree" "$A vs $OUT"; fi
# ---- the country qualifies a name's score, and --explain says by how much ----
expect_out "no country: a near name under the threshold" 0 "no list entry scores 0.85 or more" \
    "$T" search "BANCO NACIONAL KUBA" --source ofac-sdn --db "$DB"
expect_out "a country of the entry raises the score over the threshold" 1 \
    "name 0.8421; country JP among the entry's (CH;ES;JP;PA): +0.0200" \
    "$T" search "BANCO NACIONAL KUBA" --country JP --explain --source ofac-sdn --db "$DB"
expect_out "the raise stops at 1" 1 \
    "name 0.9942; country JP among the entry's (CH;ES;JP;PA): +0.0058" \
    "$T" search "BANCO NACIONAL CUBA" --country JP --explain --source ofac-sdn --db "$DB"
expect_out "another country lowers the score" 1 \
    "name 0.9942; country CU not among the entry's (CH;ES;JP;PA): -0.0500" \
    "$T" search "BANCO NACIONAL CUBA" --country CU --explain --source ofac-sdn --db "$DB"
expect_out "another country never hides an exact name" 1 \
    "country CU not among the entry's (CH;ES;JP;PA): -0.0100 (an exact name: kept at the threshold, not hidden)" \
    "$T" search "BANCO NACIONAL DE CUBA" --country CU --threshold 0.99 --explain --source ofac-sdn \
    --db "$DB"
expect_out "the facts in JSON" 1 \
    '"score":0.9900,"name_score":1.0000,"country_adjustment":-0.0100,"exact_name_kept":true,"country":"CH;ES;JP;PA"' \
    "$T" search "BANCO NACIONAL DE CUBA" --country CU --threshold 0.99 --format json \
    --source ofac-sdn --db "$DB"

# ---- search --algorithm ofac: OFAC's Sanctions List Search score, emulated ----
expect_out "ofac mode gives OFAC's 100 to a name sharing two of three parts" 1 \
    '"entry_id":"23214","name":"KIM, Jong Sik","matched":"KIM, Jong Sik","score":1.0000' \
    "$T" search "KIM JONG UN" --algorithm ofac --source ofac-sdn --limit 0 --format json --db "$DB"
run "default mode ranks that name below the right person" 1 \
    "$T" search "KIM JONG UN" --source ofac-sdn --format json --db "$DB" &&
    case $OUT in *'"entry_id":"20157"'*'"score":1.0000'*) case $OUT in *'"entry_id":"23214"'*)
        bad "default mode ranks that name below the right person" "$OUT" ;;
        *) ok "default mode ranks that name below the right person" ;; esac ;;
    *) bad "default mode ranks that name below the right person" "$OUT" ;; esac
expect_out "ofac mode explains parts, composite and whole string" 1 \
    "why: ofac parts: osama~usama 0.87 bin~bin 1.00 (same soundex) laden~laden 1.00 (same soundex); composite 0.956; whole string 0.847; score 96" \
    "$T" search "OSAMA BIN LADEN" --algorithm ofac --source ofac-sdn --explain --db "$DB"
expect_out "ofac mode scores in whole points" 1 "0.960  ofac-sdn  6366  AL QA'IDA" \
    "$T" search "OSAMA BIN LADEN" --algorithm ofac --source ofac-sdn --db "$DB"
run "ofac mode: the country does not change the score" 1 \
    "$T" search "OSAMA BIN LADEN" --algorithm ofac --format json --db "$DB" && A=$OUT &&
    run "ofac mode: the country does not change the score" 1 \
    "$T" search "OSAMA BIN LADEN" --algorithm ofac --country JP --format json --db "$DB" &&
    if [ "$A" = "$OUT" ]; then ok "ofac mode: the country does not change the score"; else
        bad "ofac mode: the country does not change the score" "$A vs $OUT"; fi
expect_err "unknown algorithm" 2 \
    'ttscreen: search: --algorithm: unknown algorithm "soundex" (default or ofac)' \
    "$T" search CATL --algorithm soundex --db "$DB"
expect_err "ofac mode is not for --batch" 2 \
    "ttscreen: search: --algorithm ofac scores one NAME, not a --batch sheet" \
    "$T" search --batch fixtures/lists/us-1260h.csv --algorithm ofac --db "$DB"
expect_out "--source restricts the lists" 0 '"matches":[]' \
    "$T" search CATL --source jp-eul,us-dpl --format json --db "$DB"
expect_err "search needs a database" 2 \
    "database $SCRATCH/none.db does not exist" \
    "$T" search CATL --db "$SCRATCH/none.db"
expect_err "threshold out of range" 2 "ttscreen: --threshold: expected a number from 0 to 1, got '1.5'" \
    "$T" search CATL --threshold 1.5 --db "$DB"

expect_out "CSL JSON entry found by its alias, sub-list kept" 1 \
    '{"source":"us-csl-json","entry_id":"99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be","name":"China Electronics Technology Group Corporation 13th Research Institute (CETC 13)","matched":"Hebei Semiconductor Research Institute","score":1.0000,"country":"CN","programs":["EL"],"entry_type":null,"listed_on":"2018-08-01","source_url":"https://www.bis.doc.gov/index.php/policy-guidance/lists-of-parties-of-concern/entity-list"}' \
    "$T" search "Hebei Semiconductor Research Institute" --source us-csl-json --format json --db "$DB"
expect_out "CSL API person found by a reordered alias" 1 "matched aka: KHATIB, Seyed Esmaeil" \
    "$T" search "Seyed Esmaeil Khatib" --source csl-api --db "$DB"

# ---- status ----
expect_out "status lists every source" 0 "us-1260h            1        3  2026-01-01T00:00:00Z" \
    "$T" lists status --db "$DB"
expect_out "status as JSON" 0 '"source":"jp-eul","format":"ttscreen-csv","entries":1,"aliases":1' \
    "$T" lists status --format json --db "$DB"
expect_out "status shows the CSL JSON list" 0 '"source":"us-csl-json","format":"csl-json","entries":13,"aliases":15' \
    "$T" lists status --format json --db "$DB"
# ages count by the real clock from the list's date; these lists were imported "on"
# 2026-01-01 (SOURCE_DATE_EPOCH), which is in the past of any clock running these tests
expect_out "status without --max-age warns, exits 0" 0 "us-dpl" "$T" lists status --db "$DB"
case $ERR in *"ttscreen: warning: list us-dpl is "*" days old (counted from its import on 2026-01-01; maximum 7)"*)
    ok "stale warning text" ;;
*) bad "stale warning text" "$ERR" ;; esac
SOURCE_DATE_EPOCH=1767225600 run "--max-age: a stale list exits 1, whatever SOURCE_DATE_EPOCH says" 1 \
    "$T" lists status --max-age 30 --db "$DB" &&
    case $ERR in *"ttscreen: list ofac-sdn is "*" days old (counted from its import on 2026-01-01; maximum 30)"*)
        ok "--max-age: a stale list exits 1, whatever SOURCE_DATE_EPOCH says" ;;
    *) bad "--max-age: a stale list exits 1, whatever SOURCE_DATE_EPOCH says" "$ERR" ;; esac
expect_out "--max-age 100000: nothing stale, exit 0" 0 "ofac-sdn" \
    "$T" lists status --max-age 100000 --db "$DB"
expect_err "--max-age must be a number" 2 \
    "ttscreen: --max-age: expected a number from 0 to 999999, got 'soon'" \
    "$T" lists status --max-age soon --db "$DB"
"$T" lists import none fixtures/lists/bad/empty.csv --db "$SCRATCH/empty.db" 2>/dev/null
expect_err "--max-age on no lists at all exits 1" 1 "ttscreen: no lists imported: none is current" \
    "$T" lists status --max-age 30 --db "$SCRATCH/empty.db"
# the legacy OFAC CSV carries no publication date: its age counts from the import
expect_out "the 2019 SDN is dated by its import" 0 \
    '"kind":"sanctions","jurisdiction":"US","severity":"critical","dated":"2026-01-01T00:00:00Z","dated_by":"imported"}' \
    "$T" lists status --format json --db "$DB"

# ---- what a list is: kind, jurisdiction, severity ----
expect_out "a ttscreen-csv list under another name is a watch list" 0 \
    "internal: imported 1 entries, 1 aliases" \
    "$T" lists import internal fixtures/lists/jp-eul.csv --db "$DB"
expect_out "status shows the watch list's kind and severity" 0 \
    '"source":"internal","format":"ttscreen-csv","entries":1,"aliases":1,' \
    "$T" lists status --format json --db "$DB"
case $OUT in *'"file":"fixtures/lists/jp-eul.csv","kind":"watch-list","jurisdiction":"internal","severity":"high","dated":"2026-01-01T00:00:00Z","dated_by":"imported"}'*)
    ok "internal: watch-list, internal, high" ;;
*) bad "internal: watch-list, internal, high" "$OUT" ;; esac
expect_out "status text shows kind, jurisdiction, severity" 0 \
    "watch-list         internal      high" "$T" lists status --db "$DB"
expect_out "--kind and --severity are stored" 0 "eu-fsf: imported 1 entries" \
    "$T" lists import eu-fsf fixtures/lists/us-uflpa.csv --kind sanctions --severity critical \
    --jurisdiction EU --db "$DB"
expect_out "--kind and --severity are shown" 0 \
    '"file":"fixtures/lists/us-uflpa.csv","kind":"sanctions","jurisdiction":"EU","severity":"critical",' \
    "$T" lists status --format json --db "$DB"
expect_out "a re-import keeps the stored kind" 0 "eu-fsf: imported 1 entries" \
    "$T" lists import eu-fsf fixtures/lists/us-uflpa.csv --db "$DB"
expect_out "the kept kind is shown" 0 \
    '"file":"fixtures/lists/us-uflpa.csv","kind":"sanctions","jurisdiction":"EU","severity":"critical",' \
    "$T" lists status --format json --db "$DB"
expect_out "built-in kinds of the known feeds" 0 \
    "military-end-user  US            high" "$T" lists status --db "$DB"
expect_err "bad --kind" 2 \
    "unknown list kind 'sanction' (restricted-party, sanctions, military-end-user, end-user-concern, forced-labour, watch-list, other)" \
    "$T" lists import eu-fsf fixtures/lists/us-uflpa.csv --kind sanction --db "$DB"
expect_err "bad --severity" 2 \
    "list severity must be critical, high or medium (a list match is never below medium), got 'low'" \
    "$T" lists import eu-fsf fixtures/lists/us-uflpa.csv --severity low --db "$DB"
expect_err "bad --jurisdiction" 2 \
    "list jurisdiction must be 1 to 32 letters, digits or hyphens (US, JP, EU, UN, internal, ...), got 'E U'" \
    "$T" lists import eu-fsf fixtures/lists/us-uflpa.csv --jurisdiction "E U" --db "$DB"
expect_err "--kind belongs to import" 2 \
    "ttscreen: lists update: --kind, --jurisdiction and --severity are set by 'lists import'" \
    "$T" lists update us-csl --kind sanctions --db "$DB"

# ---- an SDN import without alt.csv loses the aliases: said on stderr ----
run "SDN with aliases" 0 "$T" lists import ofac-sdn fixtures/lists/ofac-sdn-2019-01/sdn.csv \
    fixtures/lists/ofac-sdn-2019-01/alt.csv --db "$SCRATCH/sdn.db" && ok "SDN with aliases"
expect_err "SDN again without alt.csv warns the aliases are gone" 0 \
    "ttscreen: warning: ofac-sdn: the new version has no aliases (no alt.csv given?): the 9682 aliases of the previous version are gone and no longer match" \
    "$T" lists import ofac-sdn fixtures/lists/ofac-sdn-2019-01/sdn.csv --db "$SCRATCH/sdn.db"
expect_err "SDN again without alt.csv: no aliases, no warning" 0 "" \
    "$T" lists import ofac-sdn fixtures/lists/ofac-sdn-2019-01/sdn.csv --db "$SCRATCH/sdn.db"

# ---- update against the local test server and file:// ----
TTSD=${TTSD:-$ROOT/build/tests/ttsd}
if [ ! -x "$TTSD" ]; then
    TTSD=$SCRATCH/ttsd
    cc -std=c11 -O1 -o "$TTSD" "$ROOT/tests/httpd/ttsd.c" || bad "build test server"
fi
# a port file left by an earlier run would be read before the server truncates it
rm -f "$SCRATCH/port"
"$TTSD" "$FIX" >"$SCRATCH/port" &
SERVER_PID=$!
i=0
while [ ! -s "$SCRATCH/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$SCRATCH/port")
BASE=http://127.0.0.1:$PORT
expect_out "update from URL imports" 0 "us-uflpa: imported 1 entries, 0 aliases" \
    "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/f/us-uflpa.csv" --format ttscreen-csv --db "$DB"
expect_out "second update is a 304" 0 "us-uflpa: unchanged" \
    "$T" lists update --allow-insecure-http us-uflpa --db "$DB"
expect_out "a report says a list came over plain HTTP" 0 \
    "us-uflpa: 1 entries, fetched" \
    "$T" screen --no-store --as-of 2026-01-01 --db "$DB" fixtures/records/jp-only-joint-venture.json
case $OUT in *"us-uflpa: 1 entries, fetched"*"DOWNLOADED OVER PLAIN HTTP"*) ok "the report names the plain HTTP download" ;;
*) bad "the report names the plain HTTP download" "$OUT" ;; esac
run "a list with its own kind" 0 "$T" lists import feedx fixtures/lists/jp-eul.csv --kind sanctions \
    --severity medium --jurisdiction UN --db "$SCRATCH/keep.db" && ok "a list with its own kind"
expect_out "update of that list" 0 "feedx: imported 1 entries, 0 aliases" \
    "$T" lists update --allow-insecure-http feedx --url "$BASE/f/us-uflpa.csv" --format ttscreen-csv --db "$SCRATCH/keep.db"
expect_out "lists update keeps the kind" 0 \
    '"kind":"sanctions","jurisdiction":"UN","severity":"medium","dated":"2025-01-01T00:00:00Z","dated_by":"last-modified"}' \
    "$T" lists status --format json --db "$SCRATCH/keep.db"
run "a list imported from a file" 0 "$T" lists import same fixtures/lists/jp-eul.csv \
    --db "$SCRATCH/keep.db" && ok "a list imported from a file"
expect_out "the same bytes from a feed" 0 "same: unchanged" \
    "$T" lists update --allow-insecure-http same --url "$BASE/f/jp-eul.csv" --format ttscreen-csv --db "$SCRATCH/keep.db"
expect_out "identical bytes with a Last-Modified date the list by it" 0 \
    '"source":"same","format":"ttscreen-csv","entries":1,"aliases":1,"imported_at":"2026-01-01T00:00:00Z"' \
    "$T" lists status --format json --db "$SCRATCH/keep.db"
case $OUT in *'"source":"same"'*'"dated":"2025-01-01T00:00:00Z","dated_by":"last-modified"}]}') ok "same: dated by Last-Modified" ;;
*) bad "same: dated by Last-Modified" "$OUT" ;; esac
expect_out "status shows fetch time" 0 '"source":"us-uflpa"' \
    "$T" lists status --format json --db "$DB"
expect_err "404 fails cleanly" 2 "$BASE/missing: HTTP status 404" \
    "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/missing" --retries 0 --db "$DB"
expect_err "redirect loop fails" 2 "$BASE/loop: Maximum (5) redirects followed" \
    "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/loop" --retries 0 --db "$DB"
expect_out "500 then 200 succeeds" 0 "us-x: imported 1 entries" \
    "$T" lists update --allow-insecure-http us-x --url "$BASE/flaky/1/jp-eul.csv" --format ttscreen-csv --db "$DB"
expect_err "body over the size limit" 2 "$BASE/big: body is larger than 100000 bytes" \
    "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/big" --max-bytes 100000 --db "$DB"
run "truncated body" 2 "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/truncated" --retries 0 --db "$DB" &&
    case $ERR in *"$BASE/truncated: transfer closed"*) ok "truncated body" ;;
    *) bad "truncated body" "$ERR" ;; esac
run "slow body times out" 2 "$T" lists update --allow-insecure-http us-uflpa --url "$BASE/slow" --timeout 0.3 \
    --retries 0 --db "$DB" &&
    case $ERR in *"$BASE/slow: Operation timed out"*) ok "slow body times out" ;;
    *) bad "slow body times out" "$ERR" ;; esac
expect_out "failed updates kept the list" 1 '"entry_id":"2023-camel"' \
    "$T" search "Camel Group" --format json --db "$DB"
expect_out "file:// update of a CSL JSON feed" 0 "us-csl: imported 1 entries, 1 aliases" \
    "$T" lists update us-csl --url "file://$FIX/csl-api-sample.json" --db "$SCRATCH/feed.db"
expect_out "the feed remembers csl-json" 0 '"source":"us-csl","format":"csl-json"' \
    "$T" lists status --format json --db "$SCRATCH/feed.db"
case $OUT in *'"dated_by":"imported"}'*) ok "a file:// feed's mtime dates nothing" ;;
*) bad "a file:// feed's mtime dates nothing" "$OUT" ;; esac
expect_out "file:// update" 0 "jp-eul: unchanged" \
    "$T" lists update jp-eul --url "file://$FIX/jp-eul.csv" --db "$DB"
expect_err "feedless list explains convert-then-import" 2 \
    "list us-1260h has no feed URL (give --url, or convert the publication to ttscreen-csv and use 'lists import')" \
    "$T" lists update us-1260h --db "$DB"
# a feed's Last-Modified dates the list (the test server sends Wed, 01 Jan 2025 00:00:00 GMT)
rm -f "$SCRATCH/port2"
"$TTSD" "$FIX/ofac-sdn-2019-01" >"$SCRATCH/port2" &
SERVER2_PID=$!
i=0
while [ ! -s "$SCRATCH/port2" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
BASE2=http://127.0.0.1:$(cat "$SCRATCH/port2")
expect_out "2019 SDN downloaded from a feed" 0 "sdn-2019: imported 7379 entries" \
    "$T" lists update --allow-insecure-http sdn-2019 --url "$BASE2/f/sdn.csv" --format sdn-csv --db "$SCRATCH/age.db"
expect_out "its age counts from the feed's Last-Modified" 0 \
    '"kind":"sanctions","jurisdiction":"US","severity":"critical","dated":"2025-01-01T00:00:00Z","dated_by":"last-modified"}' \
    "$T" lists status --format json --db "$SCRATCH/age.db"
expect_out "status text names the date and where it comes from" 0 \
    "2025-01-01  last-modified" "$T" lists status --db "$SCRATCH/age.db"
run "--max-age 30 on the downloaded 2019 SDN exits 1" 1 \
    "$T" lists status --max-age 30 --db "$SCRATCH/age.db" &&
    case $ERR in "ttscreen: list sdn-2019 is "*" days old (counted from its feed's Last-Modified 2025-01-01; maximum 30)")
        ok "--max-age 30 on the downloaded 2019 SDN exits 1" ;;
    *) bad "--max-age 30 on the downloaded 2019 SDN exits 1" "$ERR" ;; esac
expect_out "--max-age 100000 on it exits 0" 0 "sdn-2019" \
    "$T" lists status --max-age 100000 --db "$SCRATCH/age.db"
expect_out "an unchanged update keeps the date" 0 "sdn-2019: unchanged" \
    "$T" lists update --allow-insecure-http sdn-2019 --db "$SCRATCH/age.db"
expect_out "the date after an unchanged update" 0 '"dated":"2025-01-01T00:00:00Z","dated_by":"last-modified"}' \
    "$T" lists status --format json --db "$SCRATCH/age.db"
# libcurl is loaded by the first download only: a process that downloads nothing runs
# without it, and one that must download says why it cannot (never a silent no-op)
mkdir -p "$SCRATCH/nocurl"
: >"$SCRATCH/nocurl/libcurl.so.4" # what the loader finds first: not a library
expect_out "screening needs no libcurl" 0 "us-uflpa: 1 entries" \
    env LD_LIBRARY_PATH="$SCRATCH/nocurl" "$T" screen --no-store --as-of 2026-01-01 --db "$DB" \
    fixtures/records/jp-only-joint-venture.json
run "an update without a loadable libcurl fails" 2 env LD_LIBRARY_PATH="$SCRATCH/nocurl" \
    "$T" lists update --allow-insecure-http sdn-2019 --db "$SCRATCH/age.db" &&
    case $ERR in *"cannot load libcurl: "*"libcurl.so.4"*) ok "an update without libcurl says so" ;;
    *) bad "an update without libcurl says so" "$ERR" ;; esac
expect_out "and the list stays as it was" 0 "sdn-2019" \
    "$T" lists status --db "$SCRATCH/age.db"
kill "$SERVER2_PID" 2>/dev/null
expect_err "no TLS switch exists" 2 \
    "ttscreen: lists: unknown option '--insecure' (see 'ttscreen lists --help')" \
    "$T" lists update us-csl --insecure --db "$DB"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
