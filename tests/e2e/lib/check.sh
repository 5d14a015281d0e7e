# SPDX-License-Identifier: MIT
# Case helpers shared by the e2e suites that source this file (sign.sh, tsa.sh).
# The suite sets S (its scratch directory) and passed=0 failed=0 first; each
# helper prints "ok   NAME" or "FAIL NAME (why)" with the first lines of stderr.

pass() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ -f "$S/err" ] && sed 's/^/    /' "$S/err" | head -5; }

# expect NAME WANT_RC CMD...: run CMD (stdout to $S/out, stderr to $S/err), check the exit status.
expect() {
    name=$1 want=$2
    shift 2
    "$@" >"$S/out" 2>"$S/err"
    got=$?
    if [ "$got" = "$want" ]; then pass "$name"; else fail "$name (exit $got, expected $want)"; fi
}
# grep_err / grep_out NAME PATTERN: stderr / stdout of the last command matches PATTERN.
grep_err() { if grep -q -- "$2" "$S/err"; then pass "$1"; else fail "$1 (stderr lacks '$2')"; fi; }
grep_out() { if grep -q -- "$2" "$S/out"; then pass "$1"; else fail "$1 (stdout lacks '$2')"; fi; }
# one_line_err NAME: the last command wrote exactly one line to stderr.
one_line_err() {
    if [ "$(wc -l <"$S/err" | tr -d ' ')" = 1 ]; then pass "$1"; else fail "$1 ($(wc -l <"$S/err") lines)"; fi
}

# quiet_rules DIR: a rule directory of one rule that the suites' records never trigger
# (a rule directory must hold a rule), so their reports stay clear and small.
quiet_rules() {
    cat >"$1/quiet.rules" <<'RULES'
rule test.quiet {
    revision 1
    title "Never fires for the test record"
    severity low
    citation "test fixture"
    when kind == "investment"
    message "investment"
}
RULES
}
