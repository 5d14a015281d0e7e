#!/bin/sh
# SPDX-License-Identifier: MIT
# A read-only batch (`screen --no-store`) reads one snapshot of the database, the one of its
# start, to its end (docs/scaling.md): a reviewer's decision recorded, or a list re-imported,
# while the batch runs is not half-applied to its later records; the next run applies it.
# Each batch is fed through a pipe: its first record is written, the test waits until the
# process has read it (it opened the database, and took its snapshot, before reading
# input), changes the database with another command, then writes the record that the
# change concerns.
#   sh tests/e2e/snapshot.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
SUITE=snapshot
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_DB TTSCREEN_RULES SOURCE_DATE_EPOCH
passed=0
failed=0
. tests/e2e/lib/scenario.sh

D="$S/cases.db"
NISSAN="$FX/records/nissan-catl-2018.json"
RULE=sanctions.us.section-1260h
run "import the 1260H list" 0 -- "$BIN" lists import us-1260h "$FX/lists/us-1260h.csv" --db "$D"
run "store a screening of the Nissan record" 1 -- "$BIN" screen --db "$D" --as-of 2026-01-01 "$NISSAN"
has "the CATL match is a finding" "$S/out" "$RULE"

# during DB CHANGE...: `screen --no-store` of the Toyota record, then (after CHANGE ran) the
# Nissan record, through one pipe; its JSONL in $S/during.jsonl, CHANGE's output in
# $S/change.out. The process must have read the first record before CHANGE runs.
during() {
    python3 - "$BIN" "$1" "$FX/records/toyota-catl-2019.json" "$NISSAN" "$S" "$@" \
        >"$S/during.log" 2>&1 <<'PY'
import fcntl, json, subprocess, sys, termios, time, array
binary, db, first, second, s = sys.argv[1:6]
change = sys.argv[7:]
line = lambda p: (json.dumps(json.load(open(p, encoding="utf-8")), ensure_ascii=False) +
                  "\n").encode()
import os
store = [] if os.environ.get("STORED") == "1" else ["--no-store"]
p = subprocess.Popen([binary, "screen"] + store + ["--db", db, "--as-of", "2026-01-01",
                      "--format", "jsonl", "-"], stdin=subprocess.PIPE,
                     stdout=open(s + "/during.jsonl", "wb"), stderr=open(s + "/during.err", "wb"))
p.stdin.write(line(first))
p.stdin.flush()
# the pipe empty: the process has read the first record (and opened the database before)
left, t0 = array.array("i", [1]), time.monotonic()
while True:
    fcntl.ioctl(p.stdin.fileno(), termios.FIONREAD, left, True)
    if left[0] == 0:
        break
    if time.monotonic() - t0 > 60 or p.poll() is not None:
        sys.exit("the batch did not read its first record")
    time.sleep(0.01)
c = subprocess.run(change, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
open(s + "/change.out", "wb").write(c.stdout)
if c.returncode != 0:
    sys.exit("the change failed while the batch ran (exit %d)" % c.returncode)
p.stdin.write(line(second))
p.stdin.close()
sys.exit(0 if p.wait() in (0, 1) else "the batch exited %d" % p.returncode)
PY
    if [ $? = 0 ]; then ok; else bad "a batch with a change while it ran" "$S/during.log"; fi
}
# nissan_finding FILE: the 1260H finding of the Nissan report in FILE, as "raised",
# "cleared" or "none"
nissan_finding() {
    python3 - "$1" <<'PY'
import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    if r["record"]["id"] != "nissan-catl-2018":
        continue
    rule = "sanctions.us.section-1260h"
    raised = [x for x in r["findings"] if x["rule"] == rule]
    cleared = [x for x in r["cleared"] if x["rule"] == rule]
    print("raised" if raised else "cleared" if cleared else "none")
PY
}
# expect_finding NAME FILE WANT
expect_finding() {
    got=$(nissan_finding "$2")
    if [ "$got" = "$3" ]; then ok; else bad "$1: the 1260H finding is $got, expected $3" "$2"; fi
}

# ---- a reviewer clears the match while a batch runs ------------------------------------
during "$D" "$BIN" cases decide nissan-catl-2018 --db "$D" --disposition cleared --by alice \
    --reason "a different CATL" --finding "$RULE:us-1260h:2025-catl"
expect_finding "a clearance recorded during the batch is not applied by it" "$S/during.jsonl" raised
run "the next batch" 0 -- "$BIN" screen --no-store --db "$D" --as-of 2026-01-01 --format jsonl \
    "$NISSAN"
expect_finding "the next batch applies the clearance" "$S/out" cleared
has "and says who cleared it" "$S/out" "cleared by alice"
# the cleared entry changes (an alias added): a run that stores nothing still compares the
# entry's content with the clearance's, and raises the finding again
sed 's/^2025-catl,\(.*\),CN,/2025-catl,\1;Ningde Era,CN,/' "$FX/lists/us-1260h.csv" >"$S/changed.csv"
run "re-import the list with the entry changed" 0 -- "$BIN" lists import us-1260h \
    "$S/changed.csv" --db "$D"
run "a --no-store run after the change" 1 -- "$BIN" screen --no-store --db "$D" \
    --as-of 2026-01-01 --format jsonl "$NISSAN"
expect_finding "a clearance of an entry that changed since is not applied" "$S/out" raised

# ---- the list loses the entry while a batch runs ---------------------------------------
E="$S/list.db"
{
    cat "$FX/lists/us-1260h.csv"
    echo '2021-dji,"SZ DJI Technology Co., Ltd.",DJI,CN,1260H,2021-10-05,'
} >"$S/with-catl.csv"
grep -v '^2025-catl,' "$S/with-catl.csv" >"$S/without-catl.csv"
run "import the 1260H list (second database)" 0 -- "$BIN" lists import us-1260h \
    "$S/with-catl.csv" --db "$E"
during "$E" "$BIN" lists import us-1260h "$S/without-catl.csv" --db "$E" --accept-drop
has "the re-import ran while the batch read" "$S/change.out" "us-1260h:"
expect_finding "the batch still matches the entry of its start" "$S/during.jsonl" raised
has "and names the list version it read" "$S/during.jsonl" '"source":"us-1260h"'
run "the next batch" 0 -- "$BIN" screen --no-store --db "$E" --as-of 2026-01-01 --format jsonl \
    "$NISSAN"
expect_finding "the next batch reads the list without the entry" "$S/out" none

# ---- the same while a stored batch runs: it reads the lists of its start too --------------
G="$S/stored.db"
run "import the 1260H list (third database)" 0 -- "$BIN" lists import us-1260h \
    "$S/with-catl.csv" --db "$G"
STORED=1 during "$G" "$BIN" lists import us-1260h "$S/without-catl.csv" --db "$G" --accept-drop
expect_finding "a stored batch still matches the entry of its start" "$S/during.jsonl" raised
n=$(sqlite3 "$G" "SELECT count(*) FROM finding f JOIN screening s ON s.id = f.screening_id
    JOIN case_file c ON c.id = s.case_id WHERE c.record_id = 'nissan-catl-2018'
    AND f.entry = 'us-1260h:2025-catl' AND length(f.entry_sha256) = 64")
[ "$n" = 1 ] && ok || bad "the stored finding names the entry and its hash ($n)"
run "the batch's audit log verifies" 0 -- "$BIN" audit verify --db "$G"
run "the next stored screening" 0 -- "$BIN" screen --db "$G" --as-of 2026-01-01 --format jsonl \
    "$NISSAN"
expect_finding "reads the list without the entry" "$S/out" none

echo "snapshot: $passed passed, $failed failed"
[ "$failed" = 0 ]
