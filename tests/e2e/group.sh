#!/bin/sh
# SPDX-License-Identifier: MIT
# Group commit: `screen` of many records and `rescreen` commit up to 512
# screenings (or 200 ms of them) at a time, each its own audit row. kill -9
# at several moments of a batch screen and of a rescreen must leave every
# case with its old or its new screening (a new case: all of it or
# nothing), every screening whole, the chain verifying and the file
# intact; running the command again completes the work. Also --sync.
#   sh tests/e2e/group.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_RULES TTSCREEN_DB SOURCE_DATE_EPOCH
SUITE=group
passed=0
failed=0
. "$(dirname "$0")/lib/scenario.sh"
N=3000

python3 - "$FX/records/nissan-catl-2018.json" "$S/many.jsonl" "$N" <<'PY'
import json, sys
base = json.load(open(sys.argv[1], encoding="utf-8"))
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i in range(int(sys.argv[3])):
        r = json.loads(json.dumps(base))
        r["id"] = "case-%05d" % i
        p = [x for x in r["parties"] if x["id"] == "catl"][0]
        if i % 7:
            p["name"] = "Supplier %d Manufacturing Co., Ltd." % i
            p["aliases"] = []
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
PY

# whole DB: every case has a screening, every screening its findings, the file and the chain hold
whole() {
    what=$1 db=$2
    ic=$(sqlite3 "$db" "PRAGMA integrity_check;" 2>&1)
    [ "$ic" = ok ] && ok || bad "$what: integrity_check says $ic"
    "$BIN" audit verify --db "$db" >"$S/verify.out" 2>&1 && ok ||
        bad "$what: audit verify" "$S/verify.out"
    python3 - "$db" >"$S/whole.out" 2>&1 <<'PY' && ok || bad "$what: every case and screening whole" "$S/whole.out"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
empty = db.execute("SELECT count(*) FROM case_file c WHERE NOT EXISTS "
                   "(SELECT 1 FROM screening s WHERE s.case_id = c.id)").fetchone()[0]
assert empty == 0, "%d cases without a screening" % empty
for sid, rep in db.execute("SELECT id, report_json FROM screening"):
    want = len(json.loads(rep)["findings"])
    got = db.execute("SELECT count(*) FROM finding WHERE screening_id = ?", (sid,)).fetchone()[0]
    assert got == want, (sid, got, want)
unlogged = db.execute("SELECT count(*) FROM screening WHERE 'screening:' || id NOT IN "
                      "(SELECT object FROM audit_log)").fetchone()[0]
assert unlogged == 0, "%d screenings without an audit row" % unlogged
PY
}

# kill_when DB SQL MIN: wait until SQL counts at least MIN (or 10 s), then kill -9 $PID
kill_when() {
    i=0
    while [ $i -lt 400 ]; do
        n=$(sqlite3 "$1" "$2" 2>/dev/null || echo 0)
        [ "${n:-0}" -ge "$3" ] && break
        kill -0 "$PID" 2>/dev/null || break
        sleep 0.025
        i=$((i + 1))
    done
    kill -9 "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
}

LIST="$FX/lists/internal-watch.csv"
# ---- kill -9 during a batch screen, at several moments ------------------------------------
# Commits come by 512 records or by 200 ms, so the count a kill can see jumps from 2,560 to
# the end: every moment is below 2,560, or a fast machine finishes before the kill.
for at in 1 600 1500 2000; do
    D="$S/screen-$at.db"
    "$BIN" lists import in-house "$LIST" --db "$D" >/dev/null 2>&1
    "$BIN" screen --db "$D" --as-of 2026-01-01 --format jsonl --by tester "$S/many.jsonl" \
        >/dev/null 2>&1 &
    PID=$!
    kill_when "$D" "SELECT count(*) FROM screening" "$at"
    n=$(sqlite3 "$D" "SELECT count(*) FROM screening")
    [ "$n" -lt "$N" ] && ok || bad "screen, kill at $at: the kill came after the end ($n)"
    whole "screen killed after $at" "$D"
    "$BIN" screen --db "$D" --as-of 2026-01-01 --format jsonl --by tester "$S/many.jsonl" \
        >/dev/null 2>"$S/again.err"
    [ $? -le 1 ] && ok || bad "screen again after the kill at $at" "$S/again.err"
    [ "$(sqlite3 "$D" "SELECT count(*) FROM case_file")" = "$N" ] && ok ||
        bad "screen again after the kill at $at: not every case stored"
    whole "screen completed after the kill at $at" "$D"
done

# ---- kill -9 during a rescreen: each case keeps its old or gets its new screening -----------
D="$S/rbase.db"
"$BIN" lists import in-house "$LIST" --db "$D" >/dev/null 2>&1
"$BIN" screen --db "$D" --as-of 2026-01-01 --format jsonl --by tester "$S/many.jsonl" \
    >/dev/null 2>&1
[ "$(sqlite3 "$D" "SELECT count(*) FROM screening")" = "$N" ] && ok || bad "one screening per case"
# (as above: a moment past 2,048 leaves the kill racing the last 440 cases, which a rescreen
# that reads one snapshot of the lists now finishes first)
for at in 1 700 2000; do
    cp "$D" "$S/r.db"
    rm -f "$S/r.db-wal" "$S/r.db-shm"
    before=$(sqlite3 "$S/r.db" "SELECT count(*) FROM screening")
    "$BIN" rescreen --db "$S/r.db" --as-of 2026-01-01 --by tester >/dev/null 2>&1 &
    PID=$!
    kill_when "$S/r.db" "SELECT count(*) FROM screening WHERE kind = 'rescreen'" "$at"
    n=$(sqlite3 "$S/r.db" "SELECT count(*) FROM screening WHERE kind = 'rescreen'")
    [ "$n" -lt "$N" ] && ok || bad "rescreen, kill at $at: the kill came after the end ($n)"
    m=$(sqlite3 "$S/r.db" "SELECT count(*) FROM (SELECT case_id, count(*) k FROM screening
        GROUP BY case_id) WHERE k NOT IN (1, 2)")
    [ "$m" = 0 ] && ok || bad "rescreen, kill at $at: $m cases with neither their old nor new screening"
    [ "$(sqlite3 "$S/r.db" "SELECT count(*) FROM screening")" = $((before + n)) ] && ok ||
        bad "rescreen, kill at $at: screenings other than old + new"
    [ "$(sqlite3 "$S/r.db" "SELECT count(*) FROM rescreen_run")" = 0 ] && ok ||
        bad "rescreen, kill at $at: a killed run left a completed-run mark"
    whole "rescreen killed after $at" "$S/r.db"
    "$BIN" rescreen --db "$S/r.db" --as-of 2026-01-01 --by tester >"$S/r.out" 2>&1
    [ $? -le 1 ] && ok || bad "rescreen again after the kill at $at" "$S/r.out"
    [ "$(sqlite3 "$S/r.db" "SELECT count(*) FROM rescreen_run")" = 1 ] && ok ||
        bad "rescreen again after the kill at $at: no completed-run mark"
    whole "rescreen completed after the kill at $at" "$S/r.db"
done

# ---- --sync ---------------------------------------------------------------------------------
D="$S/sync.db"
"$BIN" lists import in-house "$LIST" --db "$D" >/dev/null 2>&1
head -n 700 "$S/many.jsonl" >"$S/700.jsonl"
"$BIN" screen --db "$D" --sync normal --as-of 2026-01-01 --format jsonl "$S/700.jsonl" \
    >/dev/null 2>"$S/sync.err"
[ $? -le 1 ] && ok || bad "screen --sync normal" "$S/sync.err"
"$BIN" rescreen --db "$D" --sync full --as-of 2026-01-01 >/dev/null 2>"$S/sync.err"
[ $? -le 1 ] && ok || bad "rescreen --sync full" "$S/sync.err"
[ "$(sqlite3 "$D" "SELECT count(*) FROM screening")" = 1400 ] && ok || bad "--sync: 1400 screenings"
whole "--sync" "$D"
for cmd in screen rescreen; do
    if [ $cmd = screen ]; then
        "$BIN" screen --db "$D" --sync sometimes "$S/700.jsonl" >/dev/null 2>"$S/bad.err"
    else
        "$BIN" rescreen --db "$D" --sync sometimes >/dev/null 2>"$S/bad.err"
    fi
    rc=$?
    if [ $rc = 2 ] && [ "$(wc -l <"$S/bad.err")" = 1 ] && grep -q "unknown --sync 'sometimes'" "$S/bad.err"; then
        ok
    else
        bad "$cmd --sync sometimes: exit $rc" "$S/bad.err"
    fi
done
[ "$(sqlite3 "$D" "SELECT count(*) FROM screening")" = 1400 ] && ok ||
    bad "a refused --sync stored something"

echo "group: $passed passed, $failed failed"
[ "$failed" = 0 ]
