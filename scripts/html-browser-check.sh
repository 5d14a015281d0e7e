#!/bin/sh
# SPDX-License-Identifier: MIT
# Render the HTML report of every seed record in a real headless browser.
#
#   sh scripts/html-browser-check.sh BINARY [FIXTURES] [OUTDIR]
#
# For each fixtures/records/*.json (and a record whose strings are script
# injections) it writes `screen --format html -o OUT/NAME.html`, renders the
# page to OUT/NAME.png with headless Chromium, and checks the DOM Chromium
# built: the graph and verdict are there and no <script> element exists.
# Installs Debian's chromium when it is missing (needs root and apt-get).
# Too slow for `make check`; .ci/run calls it. Exits 1 on any failure.
set -u
BIN=$1
FIX=${2:-fixtures}
OUT=${3:-build/html-check}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "html-browser-check: installing chromium"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
            >"$OUT/apt.log" 2>&1 || { echo "html-browser-check: apt-get failed (see $OUT/apt.log)"; exit 1; }
        browser=$(command -v chromium)
    else
        echo "html-browser-check: chromium is not installed and cannot be installed here"
        exit 1
    fi
fi
run_browser() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-extensions --user-data-dir="$OUT/profile" "$@" 2>>"$OUT/browser.log"
}

cat >"$OUT/injection.json" <<'JSON'
{"format":"ttscreen-record/1","id":"injection-1","title":"\"><img src=x onerror=alert(1)>","kind":"subcontract","screened_for":"a","parties":[{"id":"a","name":"<script>alert(1)</script>","country":"JP","type":"company"},{"id":"b","name":"</text></svg><script>alert(2)</script>","country":"CN","type":"company"}],"relations":[{"from":"a","to":"b","type":"subcontracts"}]}
JSON

# The bundled list fixtures, so that the pages show list matches too.
DB="$OUT/lists.db"
rm -f "$DB"
for spec in "us-csl $FIX/lists/csl-2025-sample.csv csl-csv" "us-1260h $FIX/lists/us-1260h.csv ttscreen-csv" \
    "jp-eul $FIX/lists/jp-eul.csv ttscreen-csv" "us-uflpa $FIX/lists/us-uflpa.csv ttscreen-csv"; do
    set -- $spec
    "$BIN" lists import "$1" "$2" --format "$3" --db "$DB" >/dev/null 2>"$OUT/import.err" ||
        { echo "html-browser-check: lists import $1 failed"; sed 's/^/    /' "$OUT/import.err"; exit 1; }
done

passed=0
failed=0
for rec in "$FIX"/records/*.json "$OUT/injection.json"; do
    name=$(basename "$rec" .json)
    html="$OUT/$name.html"
    "$BIN" screen --no-store --db "$DB" --as-of 2026-01-01 --format html -o "$html" "$rec" >/dev/null 2>"$OUT/$name.err"
    rc=$?
    if [ "$rc" -gt 1 ] || [ ! -s "$html" ]; then
        echo "FAIL $name: screen --format html exited $rc"; sed 's/^/    /' "$OUT/$name.err"
        failed=$((failed + 1)); continue
    fi
    run_browser --window-size=1280,2400 --screenshot="$OUT/$name.png" "file://$html" >/dev/null
    run_browser --dump-dom "file://$html" >"$OUT/$name.dom"
    problem=
    [ -s "$OUT/$name.png" ] || problem="no screenshot"
    grep -q "<svg" "$OUT/$name.dom" || problem="${problem:+$problem; }no <svg> in the DOM"
    grep -q "Verdict:" "$OUT/$name.dom" || problem="${problem:+$problem; }no verdict in the DOM"
    ! grep -qi "<script" "$OUT/$name.dom" || problem="${problem:+$problem; }a <script> element exists"
    ! grep -qi "<img" "$OUT/$name.dom" || problem="${problem:+$problem; }an <img> element exists"
    if [ -n "$problem" ]; then
        echo "FAIL $name: $problem"; failed=$((failed + 1))
    else
        echo "ok   $name ($OUT/$name.png)"; passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
