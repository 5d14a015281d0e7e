#!/bin/sh
# SPDX-License-Identifier: MIT
# `record template` and `record schema`, tested both ways with a real JSON Schema validator
# (python3-jsonschema, Draft 2020-12): every record the loader accepts (the fixtures, every
# template) validates; every bad fixture the loader refuses is refused by the schema too,
# except the checks a schema cannot express, each listed below with its reason.
#   sh tests/e2e/record.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1 TTSCREEN_RULES="$ROOT/rules"
unset TTSCREEN_DB
passed=0
failed=0
SUITE=record
. "$(dirname "$0")/lib/scenario.sh"

python3 -c 'import jsonschema' 2>/dev/null && ok ||
    bad "python3-jsonschema is missing (scripts/install-deps installs it): the schema cannot be checked"

run "record schema" 0 -- "$BIN" record schema
cp "$S/out" "$S/schema.json"
cmp -s "$S/schema.json" "$ROOT/data/record-schema.json" && ok ||
    bad "the printed schema is not data/record-schema.json"
run "record --help" 0 -- "$BIN" record --help
has "help names both" "$S/out" "record template" "record schema"
run "an unknown kind" 2 -- "$BIN" record template --kind merger
has "the kinds are named" "$S/err" "research, licence, joint-venture or supply-chain"
run "no verb" 2 -- "$BIN" record
for k in research licence joint-venture supply-chain; do
    run "record template --kind $k" 0 -- "$BIN" record template --kind "$k"
    cp "$S/out" "$S/template-$k.json"
    "$BIN" screen --no-store --no-lists --as-of 2026-10-01 "$S/template-$k.json" >"$S/screen.out" 2>"$S/screen.err"
    rc=$?
    [ "$rc" = 0 ] || [ "$rc" = 1 ] && ok || bad "template $k does not pass screen (exit $rc)" "$S/screen.err"
done
run "the default template is research" 0 -- "$BIN" record template
cmp -s "$S/out" "$S/template-research.json" && ok || bad "the default template is not research"

# Bad fixtures the schema cannot refuse, by the check that refuses them (the loader's alone).
cat >"$S/exceptions" <<'EOF'
date-as-of real calendar dates: a pattern cannot know month lengths or leap years
date-feb-29-non-leap real calendar dates: a pattern cannot know month lengths or leap years
date-feb-30 real calendar dates: a pattern cannot know month lengths or leap years
date-licence-expires real calendar dates: a pattern cannot know month lengths or leap years
dup-party-party unique ids across parties and people: not expressible in JSON Schema
dup-party-person unique ids across parties and people: not expressible in JSON Schema
dup-technology unique ids: not expressible in JSON Schema
near-miss-clearance-held-with a near miss of a member name: unknown members are allowed
near-miss-party-state-funded a near miss of a member name: unknown members are allowed
near-miss-transfer-end-use a near miss of a member name: unknown members are allowed
near-miss-transfer-license a near miss of a member name: unknown members are allowed
nesting-100 the nesting bound of the loader (TTS_MAX_DEPTH): a limit, not a shape
ref-access references to ids of the record: not expressible in JSON Schema
ref-clearance-held-with-person references to ids of the record: not expressible in JSON Schema
ref-clearance-held-with references to ids of the record: not expressible in JSON Schema
ref-employer references to ids of the record: not expressible in JSON Schema
ref-funding-to references to ids of the record: not expressible in JSON Schema
ref-licence-covers references to ids of the record: not expressible in JSON Schema
ref-relation-from references to ids of the record: not expressible in JSON Schema
ref-relation-to references to ids of the record: not expressible in JSON Schema
ref-screened-for-person references to ids of the record: not expressible in JSON Schema
ref-screened-for references to ids of the record: not expressible in JSON Schema
ref-transfer-end-user-person references to ids of the record: not expressible in JSON Schema
ref-transfer-end-user references to ids of the record: not expressible in JSON Schema
ref-transfer-from-person references to ids of the record: not expressible in JSON Schema
ref-transfer-from references to ids of the record: not expressible in JSON Schema
ref-transfer-technology references to ids of the record: not expressible in JSON Schema
ref-transfer-to-technology references to ids of the record: not expressible in JSON Schema
ref-transfer-to references to ids of the record: not expressible in JSON Schema
syntax-duplicate-key JSON text, not the value: a duplicate member is refused by the parser
syntax-nan JSON text, not the value: NaN is not JSON, refused by the parser
syntax-nul-escape JSON text, not the value: a NUL in a string is refused by the parser
EOF

python3 - "$S/schema.json" "$S/exceptions" "$FX" "$S" >"$S/check" 2>&1 <<'PY' && ok || bad "the schema against the loader" "$S/check"
import glob, json, os, sys
import jsonschema
schema_path, exc_path, fx, scratch = sys.argv[1:5]
schema = json.load(open(schema_path))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
problems = []
accepted = sorted(glob.glob(os.path.join(fx, "records", "*.json"))) + \
    sorted(glob.glob(os.path.join(scratch, "template-*.json")))
for f in accepted:
    for e in v.iter_errors(json.load(open(f, encoding="utf-8"))):
        problems.append("%s: accepted by the loader, refused by the schema at %s: %s"
                        % (f, "/".join(map(str, e.absolute_path)), e.message[:120]))
        break
exceptions = {l.split(" ", 1)[0] for l in open(exc_path) if l.strip()}
bad = sorted(glob.glob(os.path.join(fx, "bad", "*.json")))
assert len(bad) > 100, "too few bad fixtures: %d" % len(bad)
for f in bad:
    name = os.path.basename(f)[:-5]
    try:
        doc = json.load(open(f, encoding="utf-8"))
        refused = any(True for _ in v.iter_errors(doc))
    except (ValueError, UnicodeDecodeError):
        refused = True  # not JSON at all: refused before any schema
    if name in exceptions and refused and not name.startswith("syntax-"):
        problems.append("%s: listed as beyond the schema, but the schema refuses it" % name)
    if name not in exceptions and not refused:
        problems.append("%s: refused by the loader, accepted by the schema" % name)
print("%d accepted records, %d bad fixtures, %d beyond a schema" % (len(accepted), len(bad), len(exceptions)))
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
PY
# every bad fixture is indeed refused by the loader (exit 2): the other side of the table
n_bad=0
for f in "$FX"/bad/*.json; do
    "$BIN" screen --no-store --no-lists --as-of 2026-01-01 "$f" >/dev/null 2>&1
    [ $? = 2 ] || { n_bad=$((n_bad + 1)); echo "    accepted by the loader: $f"; }
done
[ "$n_bad" = 0 ] && ok || bad "$n_bad bad fixtures were accepted by screen"

echo "record: $passed passed, $failed failed"
[ "$failed" = 0 ]
