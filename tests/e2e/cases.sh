#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests of the case file and audit log: screenings stored per record id,
# decisions, rescreen, audit verify against tampering done with the sqlite3 shell,
# SIGKILL at many points, and concurrent writers.
#   sh tests/e2e/cases.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1767225600}
export NO_COLOR=1
unset TTSCREEN_RULES
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL cases: $1"; }

# expect NAME WANT_RC WANT_STDERR_SUBSTRING -- command...
expect() {
    name=$1 want_rc=$2 want_err=$3
    shift 4
    "$@" >"$S/out" 2>"$S/err"
    rc=$?
    if [ "$rc" != "$want_rc" ]; then
        bad "$name: exit status $rc, expected $want_rc"
        sed 's/^/    /' "$S/err" | head -5
    elif [ -n "$want_err" ] && ! grep -qF -- "$want_err" "$S/err"; then
        bad "$name: stderr lacks '$want_err'"
        sed 's/^/    /' "$S/err" | head -5
    else
        ok
    fi
}

# golden NAME: compare $S/out with fixtures/expected/cases/NAME (UPDATE=1 rewrites it)
golden() {
    want="$FX/expected/cases/$1"
    if [ "${UPDATE:-0}" = 1 ]; then mkdir -p "$FX/expected/cases"; cp "$S/out" "$want"; fi
    if cmp -s "$want" "$S/out"; then ok; else
        bad "$1: output differs from $want"
        diff "$want" "$S/out" | head -10 | sed 's/^/    /'
    fi
}

DB="$S/cases.db"
# tt DB COMMAND ARGS...: run ttscreen COMMAND on database DB
tt() { db=$1; cmd=$2; shift 2; "$BIN" "$cmd" --db "$db" "$@"; }

# --- screenings, list, show, decide, rescreen --no-lists -------------------------------------------
# --format json prints one report: a batch, or several inputs, is refused before
# anything is screened or stored.
JDB="$S/json-batch.db"
expect "json format refuses a batch file" 2 "holds more than one record" -- \
    tt "$JDB" screen --no-lists --as-of 2026-01-01 --format json "$FX/records/batch.jsonl"
expect "json format refuses two inputs" 2 "2 inputs were given" -- \
    tt "$JDB" screen --no-lists --as-of 2026-01-01 --format json "$FX/records/toyota-catl-2019.json" "$FX/records/toyota-catl-2019.json"
if [ "$(sqlite3 "$JDB" 'SELECT count(*) FROM screening' 2>&1)" = 0 ]; then ok; else
    bad "a refused --format json batch stored screenings: $(sqlite3 "$JDB" 'SELECT count(*) FROM screening' 2>&1)"
fi
expect "screen batch stores cases" 1 "" -- tt "$DB" screen --no-lists --by alice --as-of 2026-01-01 --format jsonl "$FX/records/batch.jsonl"
expect "screen again adds a screening" 1 "" -- tt "$DB" screen --no-lists --by bob --as-of 2026-01-01 "$FX/records/toyota-catl-2019.json"
expect "cases list" 0 "" -- tt "$DB" cases list
golden list.txt
expect "cases list json" 0 "" -- tt "$DB" cases list --format json
golden list.json
expect "cases show" 0 "" -- tt "$DB" cases show toyota-catl-2019
golden show-toyota.txt
expect "decide whole case" 0 "" -- tt "$DB" cases decide toyota-catl-2019 --disposition escalated --by "Carol Reviewer" --reason "CATL listed under 1260H since Jan 2025"
expect "decide unknown case" 2 'no case "nope"' -- tt "$DB" cases decide nope --disposition cleared --by x --reason y
expect "decide bad disposition" 2 "unknown disposition 'approved'" -- tt "$DB" cases decide toyota-catl-2019 --disposition approved --by x --reason y
expect "decide needs reason" 2 "--reason" -- tt "$DB" cases decide toyota-catl-2019 --disposition cleared --by x
expect "decide unknown finding" 2 "has no finding fefta.none" -- tt "$DB" cases decide toyota-catl-2019 --disposition cleared --by x --reason y --finding fefta.none
expect "cases show json" 0 "" -- tt "$DB" cases show toyota-catl-2019 --format json
golden show-toyota.json
expect "show unknown case" 2 'no case "nope"' -- tt "$DB" cases show nope
# rescreen dates its screenings by the real clock unless told (SOURCE_DATE_EPOCH does not move
# them), so the goldens name the date
expect "rescreen" 0 "" -- tt "$DB" rescreen --no-lists --by dave --as-of 2026-01-01
golden rescreen.txt
expect "rescreen json" 0 "" -- tt "$DB" rescreen --no-lists --by dave --as-of 2026-01-01 --format json
golden rescreen.json
expect "no-store leaves the database alone" 1 "" -- tt "$DB" screen --no-lists --no-store "$FX/records/university-hire-2025.json"
before=$(sqlite3 "$DB" "SELECT count(*) FROM screening;")
expect "read-only screening" 1 "" -- tt "$DB" screen --no-lists --read-only --as-of 2026-01-01 "$FX/records/shi-subcontractor-2021.json"
expect "no-store screening" 1 "" -- tt "$DB" screen --no-lists --no-store --as-of 2026-01-01 "$FX/records/shi-subcontractor-2021.json"
[ "$(sqlite3 "$DB" "SELECT count(*) FROM screening;")" = "$before" ] && ok || bad "--read-only or --no-store wrote a screening"
expect "read-only needs the database" 2 "--read-only: database $S/none.db does not exist" -- tt "$S/none.db" screen --no-lists --read-only "$FX/records/toyota-catl-2019.json"
[ ! -e "$S/none.db" ] && ok || bad "--read-only created a database"
expect "audit verify" 0 "" -- tt "$DB" audit verify
# the head hash covers the rescreen runs' real date (a rescreen records the day it ran, which
# SOURCE_DATE_EPOCH does not move), so the golden holds its form, not its value
grep -qE '^audit: [0-9]+ rows verified, head [0-9a-f]{64}$' "$S/out" && ok ||
    bad "audit verify: the head line" "$S/out"
sed -E 's/head [0-9a-f]{64}$/head HASH/' "$S/out" >"$S/out.masked" && mv "$S/out.masked" "$S/out"
golden audit-verify.txt
expect "audit export" 0 "" -- tt "$DB" audit export -o "$S/audit.jsonl"
head=$(tail -n 1 "$S/audit.jsonl" | sed 's/.*"head":"\([0-9a-f]*\)".*/\1/')
expect "audit verify against exported head" 0 "" -- tt "$DB" audit verify --head "$head"
rows=$(sqlite3 "$DB" "SELECT count(*) FROM audit_log;")
[ "$(wc -l <"$S/audit.jsonl")" -eq $((rows + 1)) ] && ok || bad "audit export: expected $rows rows and a head line"

# --- the chain recomputed with stock tools, as docs/audit-trail.md shows ------------------
# a field of the preimage: its length in bytes, ':', the value, a newline
field() { printf '%s:%s\n' "$(printf %s "$1" | wc -c | tr -d ' ')" "$1"; }
row=$(sqlite3 "$DB" "SELECT seq, at, actor, action, object, content_sha256, prev_hash, hash, format FROM audit_log WHERE action IN ('screen', 'rescreen') ORDER BY seq DESC LIMIT 1")
IFS='|' read -r seq at actor action object content prev hash format <<ROW
$row
ROW
[ "$format" = 2 ] && ok || bad "new rows have audit format 2, got '$format'"
got=$({ printf 'ttscreen-audit/2\n'; for v in "$seq" "$at" "$actor" "$action" "$object" "$content" "$prev"; do field "$v"; done; } | sha256sum | cut -d' ' -f1)
[ "$got" = "$hash" ] && ok || bad "row hash recomputed with sha256sum: $got, stored $hash"
sid=${object#screening:}
# the same encoding in SQL: F(x) is a field, '-' for NULL; length() of a BLOB counts bytes
F() { echo "CASE WHEN $1 IS NULL THEN '-' ELSE length(CAST($1 AS BLOB)) || ':' || $1 END || char(10)"; }
q="SELECT 'ttscreen-screening/2' || char(10)"
for c in c.record_id c.created_at s.screened_at s.as_of s.actor s.kind s.record_json s.record_sha256 s.rules_sha256 s.rules_count s.lists_json s.verdict s.report_json; do q="$q || $(F $c)"; done
q="$q || coalesce((SELECT group_concat(x, '') FROM (SELECT '7:finding' || char(10)"
for c in fkey rule severity subject entry entry_sha256 message cleared; do q="$q || $(F $c)"; done
q="$q AS x FROM finding WHERE screening_id = s.id ORDER BY id)), '')"
q="$q || (SELECT length(count(*)) || ':' || count(*) || char(10) FROM finding WHERE screening_id = s.id)"
q="$q FROM screening s JOIN case_file c ON c.id = s.case_id WHERE s.id = $sid"
got=$(sqlite3 "$DB" "$q" | head -c -1 | sha256sum | cut -d' ' -f1)
[ "$got" = "$content" ] && ok || bad "content hash recomputed with sha256sum: $got, stored $content"

# --- tampering with the sqlite3 shell ---------------------------------------------------
tamper() {
    name=$1 sql=$2 want=$3
    cp "$DB" "$S/t.db"
    rm -f "$S/t.db-wal" "$S/t.db-shm"
    if ! sqlite3 "$S/t.db" "$sql" 2>"$S/sqlerr"; then
        bad "tamper $name: sqlite3 failed: $(cat "$S/sqlerr")"
        return
    fi
    expect "tamper $name" 1 "$want" -- tt "$S/t.db" audit verify
}
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
tamper "edit a row" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE seq=3;" "chain broken at row 3: the row was edited"
tamper "delete a row" "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq=4;" "chain broken at row 5: row 4 is missing"
tamper "swap two rows" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET seq=100 WHERE seq=5; UPDATE audit_log SET seq=5 WHERE seq=6; UPDATE audit_log SET seq=6 WHERE seq=100;" "chain broken at row 5"
tamper "edit a screening" "DROP TRIGGER screening_no_update; UPDATE screening SET report_json=replace(report_json,'clear','blocked') WHERE id=2;" "screening:2 was edited after it was logged"
tamper "edit a decision" "DROP TRIGGER decision_no_update; UPDATE decision SET reason='nothing' WHERE id=1;" "decision:1 was edited"
tamper "insert a decision" "INSERT INTO decision(case_id, decided_at, decided_by, disposition, reason) VALUES(1,'2026-01-01T00:00:00Z','eve','cleared','r');" "decision:2 has no audit row"
tamper "forge a row" "INSERT INTO audit_log(seq,at,actor,action,object,content_sha256,prev_hash,hash) SELECT seq+1,at,'eve',action,object,content_sha256,hash,hash FROM audit_log ORDER BY seq DESC LIMIT 1;" "the row was edited"
cp "$DB" "$S/t.db"
# the newest screening and every row after its own (the rescreen run's)
last=$(sqlite3 "$DB" "SELECT max(seq) FROM audit_log WHERE action IN ('screen', 'rescreen')")
sqlite3 "$S/t.db" "DROP TRIGGER audit_log_no_delete; DROP TRIGGER screening_no_delete; DROP TRIGGER finding_no_delete; DROP TRIGGER rescreen_run_no_delete; DELETE FROM audit_log WHERE seq >= $last; DELETE FROM rescreen_run WHERE id=(SELECT max(id) FROM rescreen_run); DELETE FROM finding WHERE screening_id=(SELECT max(id) FROM screening); DELETE FROM screening WHERE id=(SELECT max(id) FROM screening);"
expect "removed newest rows caught against the head" 1 "rows after $((last - 1)) were removed" -- tt "$S/t.db" audit verify --head "$head"

# --- bad databases ----------------------------------------------------------------------
echo "not a database" >"$S/junk.db"
expect "not a database" 2 "file is not a database" -- tt "$S/junk.db" cases list
cp "$DB" "$S/newer.db"
sqlite3 "$S/newer.db" "PRAGMA user_version = 99;"
expect "newer schema refused" 2 "schema version 99 is newer" -- tt "$S/newer.db" screen "$FX/records/toyota-catl-2019.json"
[ "$(sqlite3 "$S/newer.db" 'PRAGMA user_version')" = 99 ] && ok || bad "newer database was changed"

# --- SIGKILL at many points -------------------------------------------------------------
big="$S/big.jsonl"
i=0
while [ $i -lt 300 ]; do
    sed "s/\"id\":\"\([a-z0-9-]*\)\"/\"id\":\"\1-$i\"/" "$FX/records/batch.jsonl"
    i=$((i + 1))
done >"$big"
KDB="$S/kill.db"
k=0
while [ $k -lt 12 ]; do
    "$BIN" screen --no-lists --db "$KDB" --by killer --format jsonl "$big" >/dev/null 2>&1 &
    pid=$!
    # stagger the kill points: 0 to 0.55 s
    sleep "0.$(printf '%02d' $((k * 5)))"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if [ -f "$KDB" ]; then
        ic=$(sqlite3 "$KDB" "PRAGMA integrity_check;" 2>&1)
        [ "$ic" = ok ] && ok || bad "kill $k: integrity_check says $ic"
        # (a kill before the schema was created leaves an empty file that this upgrades)
        expect "kill $k: audit verify" 0 "" -- tt "$KDB" audit verify
        n_s=$(sqlite3 "$KDB" "SELECT count(*) FROM screening;")
        n_a=$(sqlite3 "$KDB" "SELECT count(*) FROM audit_log WHERE object LIKE 'screening:%';")
        [ "$n_s" = "$n_a" ] && ok || bad "kill $k: $n_s screenings but $n_a audit rows"
    fi
    k=$((k + 1))
done
"$BIN" rescreen --no-lists --db "$KDB" --by killer >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
expect "kill during rescreen: audit verify" 0 "" -- tt "$KDB" audit verify

# --- concurrent writers -----------------------------------------------------------------
CDB="$S/conc.db"
tt "$CDB" screen --no-lists --by init "$FX/records/toyota-catl-2019.json" >/dev/null
"$BIN" screen --no-lists --db "$CDB" --by w1 --format jsonl "$big" >/dev/null 2>"$S/w1.err" &
p1=$!
"$BIN" screen --no-lists --db "$CDB" --by w2 --format jsonl "$big" >/dev/null 2>"$S/w2.err" &
p2=$!
"$BIN" cases decide toyota-catl-2019 --db "$CDB" --disposition escalated --by w3 --reason concurrent >/dev/null 2>"$S/w3.err" &
p3=$!
"$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --format ttscreen-csv --db "$CDB" >/dev/null 2>"$S/w4.err" &
p4=$!
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3; r3=$?
wait $p4; r4=$?
if [ $r1 = 1 ] && [ $r2 = 1 ] && [ $r3 = 0 ] && [ $r4 = 0 ]; then ok; else
    bad "concurrent writers: exit $r1 $r2 $r3 $r4: $(cat "$S/w1.err" "$S/w2.err" "$S/w3.err" "$S/w4.err" | head -3)"
fi
n=$(sqlite3 "$CDB" "SELECT count(*) FROM screening;")
[ "$n" = $((1 + 2 * 1200)) ] && ok || bad "concurrent writers: $n screenings, expected $((1 + 2 * 1200))"
expect "concurrent writers: audit verify" 0 "" -- tt "$CDB" audit verify

# --- a full disk and a read-only file system (tmpfs mounts need root) ------------------------
skipped=0
M="$S/mnt"
mkdir -p "$M"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=192k tmpfs "$M" 2>/dev/null; then
    cp "$FX/records/toyota-catl-2019.json" "$S/one.json"
    tt "$M/full.db" screen --no-lists --by disk "$S/one.json" >/dev/null 2>&1
    "$BIN" screen --no-lists --db "$M/full.db" --by disk --format jsonl "$big" >/dev/null 2>"$S/full.err"
    rc=$?
    if [ $rc = 2 ] && [ "$(wc -l <"$S/full.err")" = 1 ] && grep -q "full" "$S/full.err"; then ok; else
        bad "full disk: exit $rc, stderr: $(head -3 "$S/full.err")"
    fi
    ic=$(sqlite3 "$M/full.db" "PRAGMA integrity_check;" 2>&1)
    [ "$ic" = ok ] && ok || bad "full disk: integrity_check says $ic"
    n_s=$(sqlite3 "$M/full.db" "SELECT count(*) FROM screening;")
    n_a=$(sqlite3 "$M/full.db" "SELECT count(*) FROM audit_log WHERE object LIKE 'screening:%';")
    [ "$n_s" = "$n_a" ] && ok || bad "full disk: $n_s screenings but $n_a audit rows"
    umount "$M"
    if mount -t tmpfs -o size=4m tmpfs "$M" 2>/dev/null; then
        tt "$M/ro.db" screen --no-lists --by ro "$S/one.json" >/dev/null 2>&1
        sqlite3 "$M/ro.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
        mount -o remount,ro "$M"
        "$BIN" screen --no-lists --db "$M/ro.db" --by ro "$S/one.json" >/dev/null 2>"$S/ro.err"
        rc=$?
        if [ $rc = 2 ] && [ "$(wc -l <"$S/ro.err")" = 1 ]; then ok; else
            bad "read-only file system: exit $rc, stderr: $(head -3 "$S/ro.err")"
        fi
        umount "$M"
    fi
else
    skipped=3
    echo "cases: full-disk and read-only file-system cases skipped (mounting a tmpfs needs root)"
fi

if [ "$skipped" -gt 0 ]; then
    echo "cases: $passed passed, $failed failed, $skipped skipped"
else
    echo "cases: $passed passed, $failed failed"
fi
[ "$failed" = 0 ]
