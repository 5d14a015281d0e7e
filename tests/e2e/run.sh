#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests: run the built ttscreen on fixtures and compare stdout,
# stderr and exit status with golden files.
#
#   sh tests/e2e/run.sh BINARY FIXTURES SCRATCH
#
# Cases:
#   FIXTURES/bad/NAME.{json,jsonl} + NAME.expected (line 1: exit status; rest: exact stderr;
#     optional NAME.stdout-lines: number of report lines on stdout), screened with
#     `screen --no-store --as-of 2026-01-01 --format jsonl`. Large malformed inputs are made at
#     test time by tests/e2e/gen-bad.sh into SCRATCH/bad and checked the same way.
#   FIXTURES/expected/NAME.cmd: one shell line run as `ttscreen <line>` (redirections and further
#     commands after ';' allowed; $FIXTURES, $SCRATCH and $BIN available), compared with
#     NAME.out, NAME.err and NAME.rc (the exit status of the whole line).
#   tests/e2e/<suite>.sh (any other script here): run as `sh SUITE BINARY SCRATCH/<suite>`; it
#     prints its own cases and must exit 0.
# UPDATE=1 rewrites the goldens of expected/ cases from the current output (review the diff!).
# E2E_SUITES=none skips the suites.
set -u
BIN=$1
FIXTURES=$2
SCRATCH=$3
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
export FIXTURES SCRATCH
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
# Deterministic reports: fixed clock, no colour, a scratch database, default rules lookup.
export SOURCE_DATE_EPOCH=1767225600
export NO_COLOR=1
export TTSCREEN_DB="$SCRATCH/e2e.db"
unset TTSCREEN_RULES
passed=0
failed=0

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -20; }

# A malformed input: exit status and stderr must match NAME.expected.
check_bad() {
    input=$1
    expected=$2
    name=$(basename "$input")
    out="$SCRATCH/bad-out"
    "$BIN" screen --no-store --no-lists --as-of 2026-01-01 --format jsonl "$input" </dev/null >"$out.stdout" 2>"$out.stderr"
    rc=$?
    want_rc=$(head -n 1 "$expected")
    tail -n +2 "$expected" >"$out.want"
    if [ "$rc" != "$want_rc" ]; then
        bad "bad/$name: exit status $rc, expected $want_rc" "$out.stderr"
        return
    fi
    if ! cmp -s "$out.want" "$out.stderr"; then
        diff "$out.want" "$out.stderr" >"$out.diff"
        bad "bad/$name: stderr differs" "$out.diff"
        return
    fi
    lines_file="${expected%.expected}.stdout-lines"
    if [ -f "$lines_file" ]; then
        got=$(wc -l <"$out.stdout" | tr -d ' ')
        if [ "$got" != "$(cat "$lines_file")" ]; then
            bad "bad/$name: $got report lines on stdout, expected $(cat "$lines_file")"
            return
        fi
    elif [ -s "$out.stdout" ]; then
        bad "bad/$name: unexpected output on stdout" "$out.stdout"
        return
    fi
    ok
}

run_bad_dir() {
    for f in "$1"/*.json "$1"/*.jsonl; do
        [ -e "$f" ] || continue
        exp="${f%.*}.expected"
        if [ ! -f "$exp" ]; then
            bad "$f: no golden file ${exp##*/}"
            continue
        fi
        check_bad "$f" "$exp"
    done
}

run_bad_dir "$FIXTURES/bad"
if [ -f tests/e2e/gen-bad.sh ]; then
    mkdir -p "$SCRATCH/bad"
    if sh tests/e2e/gen-bad.sh "$SCRATCH/bad"; then
        run_bad_dir "$SCRATCH/bad"
        rm -rf "$SCRATCH/bad"
    else
        bad "tests/e2e/gen-bad.sh failed"
    fi
fi

# Golden command cases.
for cmdf in "$FIXTURES"/expected/*.cmd; do
    [ -e "$cmdf" ] || continue
    base=${cmdf%.cmd}
    name=$(basename "$base")
    args=$(cat "$cmdf")
    (eval "\"\$BIN\" $args") </dev/null >"$SCRATCH/$name.stdout" 2>"$SCRATCH/$name.stderr"
    rc=$?
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$SCRATCH/$name.stdout" "$base.out"
        cp "$SCRATCH/$name.stderr" "$base.err"
        echo "$rc" >"$base.rc"
    fi
    if [ "$rc" != "$(cat "$base.rc" 2>/dev/null)" ]; then
        bad "$name: exit status $rc, expected $(cat "$base.rc" 2>/dev/null)" "$SCRATCH/$name.stderr"
    elif ! cmp -s "$base.out" "$SCRATCH/$name.stdout"; then
        diff "$base.out" "$SCRATCH/$name.stdout" >"$SCRATCH/$name.diff"
        bad "$name: stdout differs" "$SCRATCH/$name.diff"
    elif ! cmp -s "$base.err" "$SCRATCH/$name.stderr"; then
        diff "$base.err" "$SCRATCH/$name.stderr" >"$SCRATCH/$name.diff"
        bad "$name: stderr differs" "$SCRATCH/$name.diff"
    else
        ok
    fi
done

echo "e2e: $passed passed, $failed failed"
suite_failed=0
# E2E_SUITES=none runs only the golden cases above (e.g. under valgrind).
[ "${E2E_SUITES:-all}" = none ] && { [ "$failed" = 0 ]; exit $?; }
for suite in tests/e2e/*.sh; do
    case $(basename "$suite") in run.sh | gen-bad.sh) continue ;; esac
    sname=$(basename "$suite" .sh)
    echo "== e2e suite $sname"
    if ! sh "$suite" "$BIN" "$SCRATCH/$sname"; then
        echo "FAIL suite $sname"
        suite_failed=1
    fi
done
[ "$failed" = 0 ] && [ "$suite_failed" = 0 ]
