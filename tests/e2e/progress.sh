#!/bin/sh
# SPDX-License-Identifier: MIT
# Progress lines: on a terminal, batch search, batch screen and rescreen show one line on
# standard error, rewritten in place and erased at the end; never on a pipe, never with
# --quiet; standard output is the same bytes either way. The terminal is a pseudo-terminal
# (python3's pty module) on standard error only.
#   sh tests/e2e/progress.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_DB
passed=0
failed=0
SUITE=progress
. "$(dirname "$0")/lib/scenario.sh"

# on_tty OUT ERR command...: run with standard error on a pseudo-terminal
on_tty() {
    python3 - "$@" <<'PY'
import os, pty, subprocess, sys
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
with open(out, "wb") as fo:
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=fo, stderr=slave)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
p.wait()
open(err, "wb").write(data)
sys.exit(p.returncode)
PY
}
# has_cr NAME FILE: FILE holds a progress line (a carriage return)
has_cr() { if grep -q "$(printf '\r')" "$2"; then ok; else bad "$1: no progress line" "$2"; fi; }
no_cr() { if grep -q "$(printf '\r')" "$2"; then bad "$1: a progress line where none belongs" "$2"; else ok; fi; }

DB="$S/lists.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" --format sdn-csv --db "$DB" >/dev/null 2>&1 ||
    bad "import the SDN"
python3 - "$S/sheet.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id,name,country\n")
    for i in range(3000):
        f.write("v%d,Example Trading Company %d,JP\n" % (i, i))
    f.write("v-aero,AEROCARIBBEAN AIRLINES,CU\n")
PY

# --- search --batch ------------------------------------------------------------------------
on_tty "$S/b-tty.out" "$S/b-tty.err" "$BIN" search --batch "$S/sheet.csv" --db "$DB" -o "$S/b-tty.csv"
[ $? = 1 ] && ok || bad "batch on a terminal: exit 1 (a candidate)"
has_cr "batch on a terminal" "$S/b-tty.err"
has "batch progress names rows" "$S/b-tty.err" "search: 0 rows"
# the line is erased (CR, erase to end of line) before the summary
has "batch summary after the erased line" "$S/b-tty.err" "$(printf '\r\033[K')search: $S/sheet.csv"
"$BIN" search --batch "$S/sheet.csv" --db "$DB" -o "$S/b-pipe.csv" >/dev/null 2>"$S/b-pipe.err"
no_cr "batch on a pipe" "$S/b-pipe.err"
on_tty "$S/b-q.out" "$S/b-q.err" "$BIN" search --batch "$S/sheet.csv" --db "$DB" -o "$S/b-q.csv" --quiet
no_cr "batch --quiet on a terminal" "$S/b-q.err"
cmp -s "$S/b-tty.csv" "$S/b-pipe.csv" && cmp -s "$S/b-tty.csv" "$S/b-q.csv" && ok ||
    bad "batch results differ with the progress line"

# --- screen of many records, and rescreen --------------------------------------------------
python3 - "$FX/records" "$S/many.jsonl" <<'PY'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
r = json.load(open(os.path.join(src, "nissan-catl-2018.json"), encoding="utf-8"))
with open(out, "w", encoding="utf-8") as f:
    for i in range(300):
        r["id"] = "case-%04d" % i
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
CDB="$S/cases.db"
cp "$DB" "$CDB"
on_tty "$S/s-tty.out" "$S/s-tty.err" "$BIN" screen --db "$CDB" --as-of 2026-01-01 --format jsonl \
    -o "$S/s-tty.jsonl" "$S/many.jsonl"
has_cr "screen on a terminal" "$S/s-tty.err"
has "screen progress names records" "$S/s-tty.err" "screen: 0 records"
"$BIN" screen --db "$CDB" --no-store --as-of 2026-01-01 --format jsonl -o "$S/s-pipe.jsonl" \
    "$S/many.jsonl" >/dev/null 2>"$S/s-pipe.err"
no_cr "screen on a pipe" "$S/s-pipe.err"
on_tty "$S/s-q.out" "$S/s-q.err" "$BIN" screen --db "$CDB" --no-store --as-of 2026-01-01 \
    --format jsonl -o "$S/s-q.jsonl" --quiet "$S/many.jsonl"
no_cr "screen --quiet on a terminal" "$S/s-q.err"
[ "$(wc -l <"$S/s-tty.jsonl")" = 300 ] && [ "$(wc -l <"$S/s-q.jsonl")" = 300 ] && ok ||
    bad "screen wrote every report"

on_tty "$S/r-tty.out" "$S/r-tty.err" "$BIN" rescreen --db "$CDB" --as-of 2026-01-01
has_cr "rescreen on a terminal" "$S/r-tty.err"
has "rescreen progress names cases" "$S/r-tty.err" "rescreen: 0 cases"
"$BIN" rescreen --db "$CDB" --as-of 2026-01-01 >"$S/r-pipe.out" 2>"$S/r-pipe.err"
no_cr "rescreen on a pipe" "$S/r-pipe.err"
on_tty "$S/r-q.out" "$S/r-q.err" "$BIN" rescreen --db "$CDB" --as-of 2026-01-01 --quiet
no_cr "rescreen --quiet on a terminal" "$S/r-q.err"
cmp -s "$S/r-tty.out" "$S/r-pipe.out" && cmp -s "$S/r-tty.out" "$S/r-q.out" && ok ||
    bad "rescreen reports differ with the progress line" "$S/r-tty.out"
has "rescreen still reports" "$S/r-tty.out" "rescreened 300 cases"

# --- lists import ---------------------------------------------------------------------------
on_tty "$S/i-tty.out" "$S/i-tty.err" "$BIN" lists import sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" \
    --format sdn-csv --db "$S/import.db"
has_cr "lists import on a terminal" "$S/i-tty.err"
has "lists import progress counts entries" "$S/i-tty.err" "sdn: 0 entries"
has "lists import imported" "$S/i-tty.out" "sdn: imported"
on_tty "$S/i-q.out" "$S/i-q.err" "$BIN" lists import sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" \
    --format sdn-csv --db "$S/import-q.db" --quiet
no_cr "lists import --quiet on a terminal" "$S/i-q.err"
"$BIN" lists import sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" --format sdn-csv --db "$S/import-p.db" \
    >"$S/i-pipe.out" 2>"$S/i-pipe.err"
no_cr "lists import on a pipe" "$S/i-pipe.err"

# --- lists update: the download ----------------------------------------------------------
TTSD=${TTSD:-$(cd "$(dirname "$0")/../.." && pwd)/build/tests/ttsd}
[ -x "$TTSD" ] || { TTSD=$S/ttsd; cc -std=c11 -O1 -o "$TTSD" "$(dirname "$0")/../httpd/ttsd.c"; }
mkdir -p "$S/www"
python3 - "$S/www/feed.csv" <<'PY'
import sys
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("id,name,aliases,country,programs,listed_on,source_url\n")
    for i in range(2000):
        f.write("f-%d,Feed Example Works %d,,CN,TEST,2025-01-01,\n" % (i, i))
PY
rm -f "$S/port"
"$TTSD" "$S/www" >"$S/port" &
SERVER=$!
i=0
while [ ! -s "$S/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
URL=http://127.0.0.1:$(cat "$S/port")/f/feed.csv
UDB="$S/update.db"
on_tty "$S/u-tty.out" "$S/u-tty.err" "$BIN" lists update --allow-insecure-http feed --url "$URL" \
    --format ttscreen-csv --db "$UDB"
has_cr "lists update on a terminal" "$S/u-tty.err"
has "lists update progress counts bytes" "$S/u-tty.err" "feed: 0 bytes"
has "lists update imported" "$S/u-tty.out" "feed: imported 2000 entries"
on_tty "$S/u-q.out" "$S/u-q.err" "$BIN" lists update --allow-insecure-http feed --url "$URL" \
    --format ttscreen-csv --db "$S/update-q.db" --quiet
no_cr "lists update --quiet on a terminal" "$S/u-q.err"
"$BIN" lists update --allow-insecure-http feed --url "$URL" --format ttscreen-csv \
    --db "$S/update-p.db" >"$S/u-pipe.out" 2>"$S/u-pipe.err"
no_cr "lists update on a pipe" "$S/u-pipe.err"
kill "$SERVER" 2>/dev/null
wait "$SERVER" 2>/dev/null

echo "progress: $passed passed, $failed failed"
[ "$failed" = 0 ]
