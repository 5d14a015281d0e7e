# SPDX-License-Identifier: MIT
# Helpers of the scenario suites (failclosed.sh, output.sh, batch.sh): a user's path
# through several commands, each checked on exit status and output. The suite sets
# SUITE (its name in messages), S (scratch) and passed=0 failed=0 before sourcing this.

ok() { passed=$((passed + 1)); }
# bad WHY [FILE]: a failure, with the first lines of FILE
bad() {
    failed=$((failed + 1))
    echo "FAIL $SUITE: $1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -12
    return 0
}
# run NAME WANT_RC -- command...: stdout in $S/out, stderr in $S/err, standard input empty
run() {
    name=$1 want=$2
    shift 3
    "$@" >"$S/out" 2>"$S/err" </dev/null
    rc=$?
    if [ "$rc" = "$want" ]; then ok; else bad "$name: exit status $rc, expected $want" "$S/err"; fi
}
# has NAME FILE TEXT...: FILE holds every TEXT (fixed strings)
has() {
    name=$1 file=$2
    shift 2
    for t in "$@"; do
        grep -qF -- "$t" "$file" || { bad "$name: no '$t'" "$file"; return 0; }
    done
    ok
}
# lacks NAME FILE TEXT: FILE does not hold TEXT
lacks() { if grep -qF -- "$3" "$2"; then bad "$1: '$3' should not be there" "$2"; else ok; fi; }
# record OUT SOURCE PYTHON: write OUT from the record SOURCE edited by Python statements on r
record() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
out, src, edit = sys.argv[1], sys.argv[2], sys.argv[3]
r = json.load(open(src, encoding="utf-8"))
exec(edit)
json.dump(r, open(out, "w", encoding="utf-8"), ensure_ascii=False)
PY
}
