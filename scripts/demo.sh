#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: screen every bundled seed deal and print its report.
set -u
BIN=${1:-./ttscreen}
status=0
for f in fixtures/records/*.json; do
    [ -e "$f" ] || continue
    echo "==> $BIN screen $f"
    "$BIN" screen "$f"
    rc=$?
    # 0 and 1 are screening outcomes; 2 is an error.
    [ "$rc" -ge 2 ] && status=$rc
    echo
done
exit $status
