#!/bin/sh
# SPDX-License-Identifier: MIT
# Text reports are coloured only when standard output is a terminal, and never with NO_COLOR.
# A terminal comes from script(1) (util-linux).   sh tests/e2e/color.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL color: $1"; }
cmd="\"$BIN\" screen --no-store --no-lists --db \"$S/none.db\" --as-of 2026-01-01 \"$FX/records/shi-subcontractor-2021.json\""
esc=$(printf '\033')
if command -v script >/dev/null 2>&1; then
    (unset NO_COLOR; script -q -c "$cmd" /dev/null) >"$S/tty.out" 2>&1 </dev/null
    grep -q "${esc}\[1;31mBLOCKED" "$S/tty.out" && ok || bad "no colour on a terminal"
    NO_COLOR=1 script -q -c "$cmd" /dev/null >"$S/nocolor.out" 2>&1 </dev/null
    grep -q "$esc" "$S/nocolor.out" && bad "colour despite NO_COLOR" || ok
    grep -q "BLOCKED" "$S/nocolor.out" && ok || bad "NO_COLOR run printed no report"
else
    echo "color: script(1) not installed; terminal cases skipped"
fi
(unset NO_COLOR; eval "$cmd") >"$S/pipe.out" 2>&1
grep -q "$esc" "$S/pipe.out" && bad "colour in a pipe" || ok
echo "color: $passed passed, $failed failed"
[ "$failed" = 0 ]
