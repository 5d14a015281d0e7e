#!/bin/sh
# SPDX-License-Identifier: MIT
# Continuous screening: a list change reaches every stored case, and the
# delta rescreen (--changed-lists) gives exactly what a full rescreen
# gives. Every step runs on two databases kept in lockstep, one rescreened
# in full and one by the delta; their change reports and the findings of
# every case's latest screening must be identical. Also: list versions and
# `lists diff`, `lists update --rescreen`, the audit chain of every run,
# names in another width or script, kill -9 in the middle of a rescreen.
#   sh tests/e2e/continuous.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
ROOT=$(pwd)
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_RULES TTSCREEN_DB SOURCE_DATE_EPOCH
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() {
    failed=$((failed + 1))
    echo "FAIL continuous: $1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -16
    return 0
}
# run NAME WANT_RC command...: stdout in $S/out, stderr in $S/err
run() {
    name=$1 want=$2
    shift 2
    "$@" >"$S/out" 2>"$S/err" </dev/null
    rc=$?
    if [ "$rc" = "$want" ]; then ok; else bad "$name: exit status $rc, expected $want" "$S/err"; fi
}
has() {
    name=$1 file=$2
    shift 2
    for t in "$@"; do
        grep -qF -- "$t" "$file" || { bad "$name: no '$t'" "$file"; return 0; }
    done
    ok
}
lacks() {
    grep -qF -- "$3" "$2" && bad "$1: '$3' should not be there" "$2" || ok
}
# record OUT SRC PYTHON: a fixture record edited by a Python statement on r
record() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out, src, edit = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(src, encoding="utf-8"))
exec(edit)
json.dump(r, open(out, "w", encoding="utf-8"), ensure_ascii=False)
PY
}
# one_line NAME: stderr is exactly one line
one_line() {
    [ "$(wc -l <"$S/err" | tr -d ' ')" = 1 ] && ok || bad "$1: stderr is not one line" "$S/err"
}

F="$S/full.db"  # rescreened in full
D="$S/delta.db" # rescreened with --changed-lists
RULES="$ROOT/rules"
both() { # both COMMAND ARGS...: the same command on both databases
    "$BIN" "$@" --db "$F" >"$S/both.out" 2>"$S/both.err" </dev/null ||
        [ $? = 1 ] || bad "$* (full)" "$S/both.err"
    "$BIN" "$@" --db "$D" >/dev/null 2>"$S/both.err" </dev/null ||
        [ $? = 1 ] || bad "$* (delta)" "$S/both.err"
}
# latest findings of every case: what a rescreen leaves behind
findings() {
    sqlite3 "$1" "SELECT c.record_id, s.verdict, f.rule, f.severity, f.subject, f.entry,
        f.entry_sha256, coalesce(f.cleared, '') FROM case_file c JOIN screening s ON
        s.id = (SELECT max(x.id) FROM screening x WHERE x.case_id = c.id)
        LEFT JOIN finding f ON f.screening_id = s.id ORDER BY 1, 3, 5, 6"
}
# rescreen_both NAME WANT_RC [ARGS]: full on F, delta on D; reports and findings identical
rescreen_both() {
    name=$1 want=$2
    shift 2
    run "$name (full)" "$want" "$BIN" rescreen --db "$F" --as-of 2026-01-01 --rules "$RULES" "$@"
    grep -v '^rescreened ' "$S/out" >"$S/full.report"
    cp "$S/out" "$S/full.out"
    run "$name (delta)" "$want" "$BIN" rescreen --db "$D" --as-of 2026-01-01 --rules "$RULES" \
        --changed-lists "$@"
    grep -v '^rescreened ' "$S/out" >"$S/delta.report"
    cp "$S/out" "$S/delta.out"
    if cmp -s "$S/full.report" "$S/delta.report"; then ok; else
        diff "$S/full.report" "$S/delta.report" >"$S/report.diff"
        bad "$name: the delta report differs from the full one" "$S/report.diff"
    fi
    findings "$F" >"$S/full.findings"
    findings "$D" >"$S/delta.findings"
    if cmp -s "$S/full.findings" "$S/delta.findings"; then ok; else
        diff "$S/full.findings" "$S/delta.findings" >"$S/findings.diff"
        bad "$name: the delta findings differ from the full ones" "$S/findings.diff"
    fi
}
# write_1260h FILE ALIASES: the 1260H list with CATL under those aliases, and a second entry
write_1260h() {
    {
        echo "id,name,aliases,country,programs,listed_on,source_url"
        echo "2025-catl,\"Contemporary Amperex Technology Co., Limited\",$2,CN,1260H,2025-01-07,"
        echo "2021-dji,\"SZ DJI Technology Co., Ltd.\",DJI,CN,1260H,2021-10-05,"
    } >"$1"
}
# write_feed FILE [ALIASES]: the 1260H list (CATL only when ALIASES are given) among 20
# further entries, so that delisting CATL stays within lists update's default --max-drop
write_feed() {
    if [ $# -gt 1 ]; then write_1260h "$1" "$2"; else write_1260h_without_catl "$1"; fi
    i=1
    while [ $i -le 20 ]; do
        echo "2020-x$i,\"Example Aerospace Works No. $i\",,CN,1260H,2020-06-12,"
        i=$((i + 1))
    done >>"$1"
}
write_1260h_without_catl() {
    {
        echo "id,name,aliases,country,programs,listed_on,source_url"
        echo "2021-dji,\"SZ DJI Technology Co., Ltd.\",DJI,CN,1260H,2021-10-05,"
    } >"$1"
}

# ---- cases: the CATL deal, and CATL written full-width and in traditional Han ----------
both lists import in-house "$FX/lists/internal-watch.csv"
record "$S/wide.json" "$FX/records/nissan-catl-2018.json" '
r["id"] = "catl-fullwidth"
p = [x for x in r["parties"] if x["id"] == "catl"][0]
p["name"] = "ＣＡＴＬ"
p["aliases"] = []'
record "$S/trad.json" "$FX/records/nissan-catl-2018.json" '
r["id"] = "catl-traditional"
p = [x for x in r["parties"] if x["id"] == "catl"][0]
p["name"] = "寧德時代"
p["aliases"] = []'
record "$S/other.json" "$FX/records/nissan-catl-2018.json" '
r["id"] = "unrelated-supplier"
p = [x for x in r["parties"] if x["id"] == "catl"][0]
p["name"] = "Hokuriku Precision Castings"
p["aliases"] = []'
both screen --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json" "$S/wide.json" \
    "$S/trad.json" "$S/other.json"
rescreen_both "rescreen with nothing changed" 0
has "nothing changed: no case" "$S/full.out" "rescreened 4 cases: 0 changed"
has "nothing changed: the delta screens nothing" "$S/delta.out" \
    "rescreened 0 of 4 cases (changed lists): 0 changed"

# ---- a list that names CATL: new finding, verdict change, the entry and version -------
cp "$F" "$S/json.db" # for the JSON report below
write_1260h "$S/1260h-v1.csv" "CATL;宁德时代;宁德时代新能源科技股份有限公司"
run "import the 1260H list" 0 "$BIN" lists import us-1260h "$S/1260h-v1.csv" --db "$F"
has "import prints the change" "$S/out" "us-1260h: 2 entries, +2 -0 ~0"
"$BIN" lists import us-1260h "$S/1260h-v1.csv" --db "$D" >/dev/null 2>&1
rescreen_both "new 1260H listing" 1
has "new listing: the finding, the verdict change, the entry and the version" "$S/full.out" \
    "nissan-catl-2018: clear -> review (1 new, 0 gone)" "+ high     sanctions.us.section-1260h" \
    'list entry us-1260h:2025-catl "Contemporary Amperex Technology Co., Limited" (us-1260h version 1)' \
    "rescreened 4 cases: 3 changed"
has "full-width CATL is found by the delta rescreen" "$S/delta.out" \
    "catl-fullwidth: clear -> review (1 new, 0 gone)" \
    "rescreened 3 of 4 cases (changed lists): 3 changed"
has "traditional 寧德時代 is found by the delta rescreen" "$S/delta.out" \
    "catl-traditional: clear -> review (1 new, 0 gone)"
lacks "the unrelated supplier is not screened by the delta" "$S/delta.out" "unrelated-supplier"

# JSON: the same facts; --fail-on critical: a new high finding does not fail
"$BIN" lists import us-1260h "$S/1260h-v1.csv" --db "$S/json.db" >/dev/null 2>&1
run "rescreen --format json --fail-on critical" 0 "$BIN" rescreen --db "$S/json.db" \
    --as-of 2026-01-01 --format json --fail-on critical
python3 - "$S/out" >"$S/json.check" 2>&1 <<'PY' && ok || bad "rescreen --format json" "$S/json.check"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["mode"] == "full" and d["cases_total"] == 4 and d["rescreened"] == 4, d
c = [x for x in d["cases"] if x["id"] == "nissan-catl-2018"][0]
assert (c["verdict_before"], c["verdict"]) == ("clear", "review"), c
n = c["new"][0]
assert n["rule"] == "sanctions.us.section-1260h" and n["severity"] == "high", n
assert n["entries"] == [{"source": "us-1260h", "entry_id": "2025-catl",
                         "name": "Contemporary Amperex Technology Co., Limited",
                         "list_version": 1}], n
assert n["reason"] is None and c["gone"] == [], c
PY

# ---- a reviewer clears the match; the entry's aliases change: raised again, with why ----
both cases decide nissan-catl-2018 --disposition cleared --by alice \
    --reason "a different CATL" --finding sanctions.us.section-1260h:us-1260h:2025-catl
rescreen_both "cleared by the reviewer" 0
has "a clearance takes the finding away" "$S/full.out" "nissan-catl-2018: review -> clear (0 new, 1 gone)"
today=$(date -u +%Y-%m-%d)
write_1260h "$S/1260h-v2.csv" "CATL;宁德时代;宁德时代新能源科技股份有限公司;Ningde Era"
both lists import us-1260h "$S/1260h-v2.csv"
has "the alias change is a changed entry" "$S/both.out" "us-1260h: 2 entries, +0 -0 ~1"
rescreen_both "the cleared entry changed" 1
has "raised again, and why" "$S/full.out" "nissan-catl-2018: clear -> review (1 new, 0 gone)" \
    "(us-1260h version 2)" "raised again: entry changed since cleared on $today"
run "lists diff: the last change" 0 "$BIN" lists diff us-1260h --db "$F"
has "lists diff: the changed entry" "$S/out" "us-1260h: version 1 -> 2" "2 entries, +0 -0 ~1" \
    "~ 2025-catl  Contemporary Amperex Technology Co., Limited"

# ---- the entry removed: the finding is reported gone ----------------------------------
write_1260h_without_catl "$S/1260h-v3.csv"
both lists import us-1260h "$S/1260h-v3.csv"
has "the removal is counted" "$S/both.out" "us-1260h: 1 entry, +0 -1 ~0"
rescreen_both "the entry removed" 0
has "the finding is gone, naming the entry and the version" "$S/full.out" \
    "catl-fullwidth: review -> clear (0 new, 1 gone)" "- high     sanctions.us.section-1260h" \
    "list entry us-1260h:2025-catl (us-1260h version 3)"
run "lists diff --from 1 --to 3" 0 "$BIN" lists diff us-1260h --from 1 --to 3 --format json --db "$F"
python3 - "$S/out" >"$S/diff.check" 2>&1 <<'PY' && ok || bad "lists diff --from 1 --to 3" "$S/diff.check"
import json, sys
d = json.load(open(sys.argv[1]))
assert (d["from"], d["to"], d["added"], d["removed"], d["changed"]) == (1, 3, 0, 1, 0), d
assert d["changes"][0]["entry_id"] == "2025-catl" and d["changes"][0]["new_sha256"] is None, d
PY
run "lists diff --from 0 --to 2: as if new" 0 "$BIN" lists diff us-1260h --from 0 --to 2 --db "$F"
has "lists diff --from 0" "$S/out" "version 0 -> 2" "+2 -0 ~0"

# ---- a rule changed: its findings change, whatever the lists did ----------------------
write_1260h "$S/1260h-v4.csv" "CATL;宁德时代"
both lists import us-1260h "$S/1260h-v4.csv"
rescreen_both "relisted" 1
cp -R "$ROOT/rules" "$S/rules2"
python3 - "$S/rules2/sanctions/lists.rules" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
i = s.index("rule sanctions.us.section-1260h")
j = s.index("severity high", i)
open(p, "w", encoding="utf-8").write(s[:j] + "severity critical" + s[j + len("severity high"):])
PY
RULES="$S/rules2"
rescreen_both "a rule changed" 0
has "the rule change reaches the verdicts" "$S/full.out" "nissan-catl-2018: review -> blocked" \
    "rescreened 4 cases: 3 changed"
has "the delta rescreens every case for a rule change" "$S/delta.out" \
    "rescreened 4 of 4 cases (changed lists): 3 changed"
RULES="$ROOT/rules"

# ---- every rescreen run is in the audit chain ------------------------------------------
for db in "$F" "$D"; do
    run "audit verify $(basename "$db")" 0 "$BIN" audit verify --db "$db"
done
runs=$(sqlite3 "$F" "SELECT count(*) FROM rescreen_run")
logged=$(sqlite3 "$F" "SELECT count(*) FROM audit_log WHERE action = 'rescreen-run'")
[ "$runs" -ge 7 ] && [ "$runs" = "$logged" ] && ok ||
    bad "every rescreen run has its audit row ($runs runs, $logged rows)"
sqlite3 "$D" "SELECT mode FROM rescreen_run" | sort -u >"$S/modes"
has "delta runs are recorded as such" "$S/modes" "changed-lists"

# ---- lists update --rescreen: a feed changes, the cases hear of it --------------------
TTSD=${TTSD:-$ROOT/build/tests/ttsd}
[ -x "$TTSD" ] || { TTSD=$S/ttsd; cc -std=c11 -O1 -o "$TTSD" "$ROOT/tests/httpd/ttsd.c"; }
mkdir -p "$S/www"
write_feed "$S/www/1260h.csv"
rm -f "$S/port"
"$TTSD" "$S/www" >"$S/port" &
SERVER_PID=$!
i=0
while [ ! -s "$S/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
BASE=http://127.0.0.1:$(cat "$S/port")
U="$S/update.db"
"$BIN" lists import in-house "$FX/lists/internal-watch.csv" --db "$U" >/dev/null 2>&1
"$BIN" screen --db "$U" --as-of 2026-01-01 "$FX/records/nissan-catl-2018.json" >/dev/null 2>&1
run "update --rescreen, nothing listed" 0 "$BIN" lists update --allow-insecure-http us-1260h --url "$BASE/f/1260h.csv" \
    --format ttscreen-csv --rescreen --db "$U"
has "update --rescreen: the summary and the rescreen" "$S/out" "us-1260h: 21 entries, +21 -0 ~0" \
    "of 1 case (changed lists): 0 changed"
sleep 1.1 # a new Last-Modified for the changed feed
write_feed "$S/www/1260h.csv" "CATL"
run "update --rescreen --fail-on high: CATL listed" 1 "$BIN" lists update --allow-insecure-http us-1260h --rescreen \
    --fail-on high --db "$U"
has "update --rescreen: the new finding" "$S/out" "us-1260h: 22 entries, +1 -0 ~0" \
    "nissan-catl-2018: clear -> review (1 new, 0 gone)"
run "update --rescreen --fail-on critical" 0 "$BIN" lists update --allow-insecure-http us-1260h --rescreen \
    --fail-on critical --db "$U"
has "an unchanged feed, and nothing to rescreen" "$S/out" "us-1260h: unchanged" "0 changed"
before=$(findings "$U")
run "a failed download" 2 "$BIN" lists update --allow-insecure-http us-1260h --url "$BASE/missing" --retries 0 \
    --rescreen --db "$U"
[ "$(findings "$U")" = "$before" ] && ok || bad "a failed download changed the verdicts"
run "the previous list is still there" 0 "$BIN" lists diff us-1260h --db "$U"
has "the previous list is still there" "$S/out" "version 1 -> 2"

# the cron line and the systemd ExecStart= of docs/continuous-screening.md, as written
DOC="$ROOT/docs/continuous-screening.md"
mkdir -p "$S/log"
doc_cmd() { # doc_cmd LINE: the line with the documented paths pointed at this test
    # (and, since the test's feed server speaks plain HTTP on 127.0.0.1, --allow-insecure-http)
    printf '%s\n' "$1" | sed -e "s#/usr/local/bin/ttscreen#$BIN#g" -e "s#^ttscreen #$BIN #" \
        -e "s# lists update # lists update --allow-insecure-http #" \
        -e "s#/var/lib/ttscreen/ttscreen.db#$U#g" -e "s#/var/log/ttscreen#$S/log#g"
}
cron=$(grep '^    15 6 \* \* \* ' "$DOC" | sed 's/^    //' | cut -d' ' -f6-)
exec_start=$(grep '^    ExecStart=' "$DOC" | sed 's/^    ExecStart=//')
[ -n "$cron" ] && [ -n "$exec_start" ] && ok || bad "the doc's cron line and ExecStart= found"
sleep 1.1
write_feed "$S/www/1260h.csv"
run "the documented cron line, CATL delisted" 0 sh -c "$(doc_cmd "$cron")"
[ ! -s "$S/out" ] && ok || bad "cron line: quiet when nothing new" "$S/out"
has "cron line: the log" "$S/log/rescreen.log" "nissan-catl-2018: review -> clear (0 new, 1 gone)"
sleep 1.1
write_feed "$S/www/1260h.csv" "CATL"
run "the documented cron line, CATL listed" 0 sh -c "$(doc_cmd "$cron")"
has "cron line: the alarm names the exit status" "$S/out" \
    "ttscreen: exit 1 (1: new finding at or above high, 2: error): see $S/log/rescreen.log"
run "the documented ExecStart=" 0 sh -c "$(doc_cmd "$exec_start")"
has "ExecStart=: an unchanged feed" "$S/out" "us-1260h: unchanged" "0 changed"
kill "$SERVER_PID" 2>/dev/null
wait "$SERVER_PID" 2>/dev/null

# ---- bad input: one line, exit 2 -------------------------------------------------------
run "lists diff of an unknown source" 2 "$BIN" lists diff nosuch --db "$F"
has "unknown source named" "$S/err" 'lists diff: no list "nosuch" in the database'
one_line "unknown source"
run "lists diff of an unknown version" 2 "$BIN" lists diff us-1260h --to 99 --db "$F"
has "unknown version named" "$S/err" 'list "us-1260h" has no version 99 (versions 1 to 4)'
one_line "unknown version"
run "--from newer than --to" 2 "$BIN" lists diff us-1260h --from 3 --to 2 --db "$F"
has "--from newer than --to named" "$S/err" "lists diff: --from 3 is newer than --to 2"
one_line "--from newer than --to"
run "--from not a number" 2 "$BIN" lists diff us-1260h --from two --db "$F"
one_line "--from not a number"
run "lists diff without a source" 2 "$BIN" lists diff --db "$F"
one_line "lists diff without a source"
run "--from on import" 2 "$BIN" lists import x "$S/1260h-v1.csv" --from 1 --db "$S/y.db"
one_line "--from on import"
run "--rescreen on import" 2 "$BIN" lists import x "$S/1260h-v1.csv" --rescreen --db "$S/y.db"
one_line "--rescreen on import"

# ---- kill -9 during a rescreen of 2,000 cases: old or new screening, never half --------
K="$S/kill.db"
python3 - "$FX/records/nissan-catl-2018.json" "$S/many.jsonl" <<'PY'
import json, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(2000):
        r = json.loads(json.dumps(base))
        r["id"] = "case-%04d" % i
        p = [x for x in r["parties"] if x["id"] == "catl"][0]
        if i % 10:
            p["name"] = "Supplier %d Manufacturing Co., Ltd." % i
            p["aliases"] = []
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
"$BIN" lists import in-house "$FX/lists/internal-watch.csv" --db "$K" >/dev/null 2>&1
"$BIN" screen --db "$K" --as-of 2026-01-01 --format jsonl "$S/many.jsonl" >/dev/null 2>"$S/err"
[ "$(sqlite3 "$K" "SELECT count(*) FROM case_file")" = 2000 ] && ok || bad "2,000 cases stored" "$S/err"
"$BIN" lists import us-1260h "$S/1260h-v1.csv" --db "$K" >/dev/null 2>&1
"$BIN" rescreen --db "$K" --as-of 2026-01-01 >/dev/null 2>&1 &
RPID=$!
i=0
while [ $i -lt 200 ]; do
    n=$(sqlite3 "$K" "SELECT count(*) FROM screening WHERE kind = 'rescreen'" 2>/dev/null || echo 0)
    [ "${n:-0}" -ge 50 ] && break
    sleep 0.05
    i=$((i + 1))
done
kill -9 "$RPID" 2>/dev/null
wait "$RPID" 2>/dev/null
n=$(sqlite3 "$K" "SELECT count(*) FROM screening WHERE kind = 'rescreen'")
[ "$n" -gt 0 ] && [ "$n" -lt 2000 ] && ok || bad "kill -9 landed in the middle ($n of 2000 rescreened)"
run "audit verify after kill -9" 0 "$BIN" audit verify --db "$K"
python3 - "$K" >"$S/whole.check" 2>&1 <<'PY' && ok || bad "every screening whole after kill -9" "$S/whole.check"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for sid, rep in db.execute("SELECT id, report_json FROM screening"):
    want = len(json.loads(rep)["findings"])
    got = db.execute("SELECT count(*) FROM finding WHERE screening_id = ?", (sid,)).fetchone()[0]
    assert got == want, (sid, got, want)
PY
[ "$(sqlite3 "$K" "SELECT count(*) FROM rescreen_run")" = 0 ] && ok ||
    bad "a killed run leaves no completed-run mark"
sqlite3 "$K" ".backup '$S/kill-full.db'"
run "the delta after kill -9 finishes the job" 1 "$BIN" rescreen --db "$K" --as-of 2026-01-01 \
    --changed-lists
run "a full rescreen of the same database" 1 "$BIN" rescreen --db "$S/kill-full.db" --as-of 2026-01-01
findings "$K" >"$S/k1"
findings "$S/kill-full.db" >"$S/k2"
cmp -s "$S/k1" "$S/k2" && ok || bad "after kill -9: delta and full findings differ"

echo "continuous: $passed passed, $failed failed"
[ "$failed" = 0 ]
