#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests of the rule language through the command line:
#
#   sh tests/e2e/rules.sh BINARY [SCRATCH]
#
# Each tests/e2e/rules/NAME.cmd holds one line of arguments for
# ttscreen, run from the repository root; stdout, stderr and the exit status
# must equal NAME.out, NAME.err and NAME.rc (missing .out/.err = empty).
# Further checks below cover properties rather than exact text (the rule
# set's sha256 follows every byte of every rule file). UPDATE=1 rewrites the
# goldens from the current output; review the diff before committing.
set -u
BIN=$1
SCRATCH=${2:-build/e2e-rules}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
EXP=tests/e2e/rules
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
export SOURCE_DATE_EPOCH=1767225600
export TTSCREEN_DB="$SCRATCH/e2e.db"
unset TTSCREEN_RULES TTSCREEN_FIXTURES
passed=0
failed=0

fail() {
    failed=$((failed + 1))
    echo "FAIL rules/$1"
    [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -30
}

for cmdf in "$EXP"/*.cmd; do
    name=$(basename "$cmdf" .cmd)
    args=$(cat "$cmdf")
    out="$SCRATCH/$name"
    # shellcheck disable=SC2086 # the .cmd line is split into arguments on purpose
    sh -c "\"\$0\" $args" "$BIN" >"$out.out" 2>"$out.err" </dev/null
    echo $? >"$out.rc"
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$out.rc" "$EXP/$name.rc"
        if [ -s "$out.out" ]; then cp "$out.out" "$EXP/$name.out"; else rm -f "$EXP/$name.out"; fi
        if [ -s "$out.err" ]; then cp "$out.err" "$EXP/$name.err"; else rm -f "$EXP/$name.err"; fi
        continue
    fi
    ok=1
    for part in rc out err; do
        want="$EXP/$name.$part"
        [ -f "$want" ] || want=/dev/null
        if ! cmp -s "$want" "$out.$part"; then
            diff "$want" "$out.$part" >"$out.diff.$part"
            fail "$name: $part differs" "$out.diff.$part"
            ok=0
            break
        fi
    done
    [ $ok = 1 ] && passed=$((passed + 1))
done

# The rule set's sha256 changes when any byte of any rule file changes, and
# when a file is renamed.
sha_of() {
    "$BIN" rules list --format json "$1" | sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p'
}
cp -R fixtures/rules/good "$SCRATCH/set"
s1=$(sha_of "$SCRATCH/set")
sed 's/revision 2/revision 3/' fixtures/rules/good/fefta.rules >"$SCRATCH/set/fefta.rules"
s2=$(sha_of "$SCRATCH/set")
mv "$SCRATCH/set/common.rules" "$SCRATCH/set/shared.rules"
s3=$(sha_of "$SCRATCH/set")
if [ ${#s1} = 64 ] && [ "$s1" != "$s2" ] && [ "$s2" != "$s3" ] && [ "$s1" != "$s3" ]; then
    passed=$((passed + 1))
else
    fail "sha256 does not follow rule-file changes ($s1 / $s2 / $s3)"
fi

# The same input gives the same bytes (findings are deterministic).
"$BIN" screen --no-store --no-lists --rules fixtures/rules/good --format json fixtures/rules/records/chain.json >"$SCRATCH/d1" 2>&1
"$BIN" screen --no-store --no-lists --rules fixtures/rules/good --format json fixtures/rules/records/chain.json >"$SCRATCH/d2" 2>&1
if cmp -s "$SCRATCH/d1" "$SCRATCH/d2" && grep -q '"evidence"' "$SCRATCH/d1"; then
    passed=$((passed + 1))
else
    fail "screen output is not deterministic or lacks evidence" "$SCRATCH/d1"
fi

# The shipped rule directory always compiles.
if "$BIN" rules check rules >"$SCRATCH/shipped.out" 2>&1; then
    passed=$((passed + 1))
else
    fail "the shipped rules/ directory does not compile" "$SCRATCH/shipped.out"
fi


# docs/rule-language.md embeds the generated function and field tables.
DOC=docs/rule-language.md
"$BIN" rules functions --format markdown >"$SCRATCH/functions.md"
"$BIN" rules fields --format markdown >"$SCRATCH/fields.md"
splice() {
    awk -v fn="$SCRATCH/functions.md" -v fl="$SCRATCH/fields.md" '
        /<!-- functions:begin -->/ { print; while ((getline l < fn) > 0) print l; skip = 1; next }
        /<!-- fields:begin -->/ { print; while ((getline l < fl) > 0) print l; skip = 1; next }
        /<!-- (functions|fields):end -->/ { skip = 0 }
        !skip { print }' "$DOC"
}
splice >"$SCRATCH/doc.md"
if [ "${UPDATE:-}" = 1 ]; then
    cp "$SCRATCH/doc.md" "$DOC"
elif cmp -s "$SCRATCH/doc.md" "$DOC"; then
    passed=$((passed + 1))
else
    diff "$DOC" "$SCRATCH/doc.md" >"$SCRATCH/doc.diff"
    fail "$DOC: generated tables are stale (run UPDATE=1 sh tests/e2e/rules.sh ./ttscreen)" "$SCRATCH/doc.diff"
fi

echo "rules e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
