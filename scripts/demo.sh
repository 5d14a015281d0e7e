#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: load the bundled denied-party list fixtures into the default database
# (./ttscreen.db, or $TTSCREEN_DB), screen every bundled seed deal with the shipped rules and
# print its report, then list the cases the screenings recorded.
set -u
BIN=${1:-./ttscreen}
status=0
L=fixtures/lists
echo "==> loading list fixtures into ${TTSCREEN_DB:-./ttscreen.db}"
"$BIN" lists import us-1260h $L/us-1260h.csv --format ttscreen-csv || status=2
"$BIN" lists import jp-eul $L/jp-eul.csv --format ttscreen-csv || status=2
"$BIN" lists import us-uflpa $L/us-uflpa.csv --format ttscreen-csv || status=2
"$BIN" lists import us-csl $L/csl-2025-sample.csv --format csl-csv || status=2
"$BIN" lists import us-dpl $L/dpl-2019-06.txt --format dpl-tsv || status=2
echo
for f in fixtures/records/*.json; do
    [ -e "$f" ] || continue
    echo "==> $BIN screen $f"
    "$BIN" screen "$f"
    rc=$?
    # 0 and 1 are screening outcomes (1: a finding at or above --fail-on); 2 is an error.
    [ "$rc" -ge 2 ] && status=$rc
    echo
done
echo "==> $BIN cases list"
"$BIN" cases list || status=2
exit $status
