#!/bin/sh
# SPDX-License-Identifier: MIT
# The seed cases of the shipped rule packs, end to end:
#
#   sh tests/e2e/seeds.sh BINARY SCRATCH
#
# Screens each seed record of fixtures/records/ with the shipped rules/
# (`screen --format jsonl --no-store --as-of DATE --db SCRATCH/seeds.db`)
# after importing the cited list fixtures (fixtures/lists/) into the scratch
# database, and checks the verdict and the specific findings the seed-case
# table of the rule packs requires (rules/README.md). Also runs
# `rules check` and `rules test` over rules/. Prints one line per failing
# check and a summary; exits non-zero on any failure.
#
# List-based expectations (CATL on the DoD 1260H list, the list-hit record)
# come from real lookups in the scratch database: each such report must name
# the imported lists among the lists consulted, or the case fails.
set -u
BIN=$1
SCRATCH=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
export SOURCE_DATE_EPOCH=1767225600
export NO_COLOR=1
unset TTSCREEN_RULES TTSCREEN_FIXTURES
DB="$SCRATCH/seeds.db"
export TTSCREEN_DB="$DB"
REC=fixtures/records
passed=0
failed=0

fail() {
    failed=$((failed + 1))
    echo "FAIL seeds/$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -20
    return 0
}
pass() { passed=$((passed + 1)); }

# The shipped rules compile and every example passes.
if "$BIN" rules check rules >"$SCRATCH/check.out" 2>&1; then pass; else fail "rules check rules" "$SCRATCH/check.out"; fi
if "$BIN" rules test rules >"$SCRATCH/test.out" 2>&1; then pass; else fail "rules test rules" "$SCRATCH/test.out"; fi
# An example whose record file is missing fails, naming the file; it is never passed.
mkdir -p "$SCRATCH/no-fixtures"
if "$BIN" rules test rules --fixtures "$SCRATCH/no-fixtures" >"$SCRATCH/nofix.out" 2>&1; then
    fail "rules test with no example files passed" "$SCRATCH/nofix.out"
elif grep -q "$SCRATCH/no-fixtures/.*: cannot open: No such file or directory" "$SCRATCH/nofix.out"; then
    pass
else
    fail "rules test with no example files: the missing file is not named" "$SCRATCH/nofix.out"
fi
# Without a lists database, the list rules' hit examples are skipped, never failed.
if grep -q '^\[  SKIPPED \] sanctions.us.restricted-party packs/sanctions/current-list-hits.json$' \
    "$SCRATCH/test.out" && grep -q '^\[  SKIPPED \] 21 examples' "$SCRATCH/test.out"; then
    pass
else
    fail "rules test rules: the 21 list-rule hit examples are not reported as skipped" "$SCRATCH/test.out"
fi
# With the current-format list fixtures (CSL 2025 with opaque ids, OFAC SDN
# 2025, METI End User List, MOF asset-freeze list, 1260H, UFLPA), every example runs and passes:
# the CSL sub-list of a match reaches the rules.
RDB="$SCRATCH/rules-test.db"
for spec in "us-csl csl-2025-sample.csv csl-csv" "ofac-sdn ofac-sdn-2025-sample/sdn.csv sdn-csv" \
    "jp-eul jp-eul-2025.csv ttscreen-csv" "jp-mof jp-mof-20260305.xlsx mof-xlsx" "us-1260h us-1260h.csv ttscreen-csv" "us-uflpa us-uflpa.csv ttscreen-csv" \
    "internal internal-watch.csv ttscreen-csv" "sdn-copy ofac-sdn-2025-sample/sdn.csv sdn-csv" \
    "press-watch internal-watch.csv ttscreen-csv --severity medium"; do
    set -- $spec
    "$BIN" lists import "$1" "fixtures/lists/$2" --format "$3" ${4:+"$4"} ${5:+"$5"} --db "$RDB" >"$SCRATCH/rt-import.out" 2>&1 ||
        fail "lists import $1 for rules test --db" "$SCRATCH/rt-import.out"
done
ran=$("$BIN" rules test rules --db "$RDB" 2>&1 | tee "$SCRATCH/test-db.out" | sed -n 's/^\[==========\] Running \([0-9]*\) examples.*/\1/p')
if [ -n "$ran" ] && grep -q "^\[  PASSED  \] $ran examples\.\$" "$SCRATCH/test-db.out" &&
    ! grep -q 'SKIPPED\|FAILED' "$SCRATCH/test-db.out"; then
    pass
else
    fail "rules test rules --db: every example, hit examples of list rules included (ran: ${ran:-none})" "$SCRATCH/test-db.out"
fi
# Every rule has a citation in `rules list`.
"$BIN" rules list rules --format json >"$SCRATCH/list.json" 2>&1
if grep -q '"citation":""' "$SCRATCH/list.json" || ! grep -q '"citation":"' "$SCRATCH/list.json"; then
    fail "a shipped rule has no citation" "$SCRATCH/list.json"
else
    pass
fi

# docs/rules-catalogue.md describes every shipped rule.
tr '{' '\n' <"$SCRATCH/list.json" | sed -n 's/^"id":"\([^"]*\)","revision".*/\1/p' >"$SCRATCH/ids"
if [ ! -s "$SCRATCH/ids" ]; then
    fail "rules list --format json gave no rule ids" "$SCRATCH/list.json"
else
    missing=0
    while read -r id; do
        grep -q "^### \`$id\`" docs/rules-catalogue.md || { echo "    not in docs/rules-catalogue.md: $id"; missing=1; }
    done <"$SCRATCH/ids"
    if [ $missing = 0 ]; then pass; else fail "docs/rules-catalogue.md misses rules"; fi
fi

# The list fixtures the sanctions rules need.
lists_imported=1
if ! "$BIN" lists import us-csl fixtures/lists/csl-2019-12-sample.csv --format csl-csv --db "$DB" \
    >"$SCRATCH/import-us-csl.out" 2>&1; then
    lists_imported=0
    fail "lists import us-csl" "$SCRATCH/import-us-csl.out"
fi
for src in us-1260h jp-eul us-uflpa; do
    if ! "$BIN" lists import "$src" "fixtures/lists/$src.csv" --format ttscreen-csv --db "$DB" \
        >"$SCRATCH/import-$src.out" 2>&1; then
        lists_imported=0
        fail "lists import $src" "$SCRATCH/import-$src.out"
    fi
done

# screen CASE FILE AS_OF: one report in $SCRATCH/CASE.jsonl, its findings one
# per line in $SCRATCH/CASE.findings, the verdict in $SCRATCH/CASE.verdict.
screen() {
    "$BIN" screen --no-store --format jsonl --as-of "$3" --db "$DB" --rules rules "$2" \
        >"$SCRATCH/$1.jsonl" 2>"$SCRATCH/$1.err" </dev/null
    echo $? >"$SCRATCH/$1.rc"
    sed -n 's/.*"verdict":"\([a-z]*\)".*/\1/p' "$SCRATCH/$1.jsonl" >"$SCRATCH/$1.verdict"
    sed -e 's/"findings":\[{"rule":/"findings":[\n{"rule":/' -e 's/},{"rule":/}\n{"rule":/g' "$SCRATCH/$1.jsonl" | grep '"rule":"' >"$SCRATCH/$1.findings" || true
}

# lists_consulted CASE: the report names the DoD 1260H list among the lists consulted.
lists_consulted() {
    [ "$lists_imported" = 1 ] && grep -q '"lists":\[[^]]*"source":"us-1260h"' "$SCRATCH/$1.jsonl"
}

expect_verdict() {
    got=$(cat "$SCRATCH/$1.verdict")
    if [ "$got" = "$2" ]; then pass; else fail "$1: verdict '$got', expected '$2'" "$SCRATCH/$1.err"; fi
}

expect_not_verdict() {
    got=$(cat "$SCRATCH/$1.verdict")
    if [ -n "$got" ] && [ "$got" != "$2" ]; then pass; else fail "$1: verdict '$got', expected anything but '$2'" "$SCRATCH/$1.err"; fi
}

# expect_finding CASE RULE SEVERITY [TEXT...]: a finding of RULE with
# SEVERITY whose JSON contains every TEXT.
expect_finding() {
    case_=$1
    rule=$2
    sev=$3
    shift 3
    grep -F "{\"rule\":\"$rule\",\"severity\":\"$sev\"" "$SCRATCH/$case_.findings" >"$SCRATCH/$case_.sel" || true
    for t in "$@"; do
        grep -F -- "$t" "$SCRATCH/$case_.sel" >"$SCRATCH/$case_.sel2" || true
        mv "$SCRATCH/$case_.sel2" "$SCRATCH/$case_.sel"
    done
    if [ -s "$SCRATCH/$case_.sel" ]; then
        pass
    else
        fail "$case_: no $sev finding of $rule containing: $*" "$SCRATCH/$case_.findings"
    fi
}

# expect_no_finding CASE REGEX: no finding whose rule id matches REGEX.
expect_no_finding() {
    if grep -E "^\{\"rule\":\"($2)" "$SCRATCH/$1.findings" >"$SCRATCH/$1.sel"; then
        fail "$1: unexpected finding of $2" "$SCRATCH/$1.sel"
    else
        pass
    fi
}

# expect_rules CASE ID...: the findings are exactly these rules, in this order.
expect_rules() {
    case_=$1
    shift
    sed -n 's/^{"rule":"\([^"]*\)".*/\1/p' "$SCRATCH/$case_.findings" | tr '\n' ' ' >"$SCRATCH/$case_.ids"
    want="$* "
    [ $# = 0 ] && want=""
    if [ "$(cat "$SCRATCH/$case_.ids")" = "$want" ]; then
        pass
    else
        echo "expected: $want" >"$SCRATCH/$case_.idsdiff"
        echo "got:      $(cat "$SCRATCH/$case_.ids")" >>"$SCRATCH/$case_.idsdiff"
        fail "$case_: findings differ" "$SCRATCH/$case_.idsdiff"
    fi
}

OUTFLOW='fefta\.|partnership\.|research\.|clearance\.'

# 1. SHI -> subcontractor -> Chinese company, no METI licence: blocked, a
#    critical chain finding whose path ends at the Chinese company and whose
#    message names the tier.
screen shi $REC/shi-subcontractor-2021.json 2021-04-28
expect_verdict shi blocked
expect_finding shi fefta.chain.unlicensed-tier critical \
    '"path":["shi","subcontractor","cn-company"]' 'at tier 2 of Sumitomo Heavy Industries' \
    'Chinese company (unnamed in public reports) (CN)'
expect_finding shi fefta.art25.unlicensed-transfer critical '"subject":"$.transfers[1]"'

# 2. The same chain with a METI licence covering the Chinese company: not blocked.
screen shi-licensed $REC/shi-subcontractor-licensed-illustrative.json 2021-04-28
expect_not_verdict shi-licensed blocked
expect_no_finding shi-licensed 'fefta\.chain\.|fefta\.art25\.'
# ... and a licence that had expired before the screening date does not count.
sed 's/"expires": "2022-03-31"/"expires": "2021-03-31"/' $REC/shi-subcontractor-licensed-illustrative.json \
    >"$SCRATCH/shi-expired-licence.json"
screen shi-expired "$SCRATCH/shi-expired-licence.json" 2021-04-28
expect_verdict shi-expired blocked
expect_finding shi-expired fefta.chain.unlicensed-tier critical '"cn-company"],"matches"'

# 3./4. Toyota-CATL (2019) and Honda-CATL (2020): review for the state-linked
#    battery co-development and for CATL's 1260H listing.
for c in toyota-catl-2019 honda-catl-2020; do
    screen "$c" "$REC/$c.json" 2026-01-01
    expect_verdict "$c" review
    expect_finding "$c" partnership.state-linked.dual-use high \
        'Contemporary Amperex Technology Co., Ltd. (CN), a state-linked party' '(batteries)'
    expect_no_finding "$c" 'fefta\.|clearance\.'
    if lists_consulted "$c"; then
        expect_finding "$c" sanctions.us.section-1260h high '"source":"us-1260h"' '"entry_id":"2025-catl"'
        expect_rules "$c" partnership.state-linked.dual-use sanctions.us.section-1260h
    else
        fail "$c: the report does not name the us-1260h list among the lists consulted" "$SCRATCH/$c.jsonl"
    fi
done

# 5. Nissan-CATL battery supply (2018): review for the 1260H listing only;
#    no technology-outflow finding.
screen nissan $REC/nissan-catl-2018.json 2026-01-01
expect_no_finding nissan "$OUTFLOW"
if lists_consulted nissan; then
    expect_verdict nissan review
    expect_rules nissan sanctions.us.section-1260h
    expect_finding nissan sanctions.us.section-1260h high '"matched":"' 'Contemporary Amperex Technology Co., Ltd. (CN) is on the DoD Section 1260H list'
else
    fail "nissan: the report does not name the us-1260h list among the lists consulted" "$SCRATCH/nissan.jsonl"
fi

# 6. University lab: foreign postdoc, resident 3 years, employed by the
#    university, in a talent programme with undisclosed funding, given
#    list-controlled laser technology: blocked (deemed export) plus the
#    undisclosed-funding finding.
screen lab $REC/university-lab-deemed-export.json 2025-10-01
expect_verdict lab blocked
expect_finding lab fefta.deemed-export.specific-category critical \
    'Postdoc X (CN), a resident of Japan in specific category 2' 'share of annual income from the foreign government is unknown'
expect_finding lab research.undisclosed.funding high 'Postdoc X received funding from Example Overseas Talent Programme'
expect_finding lab research.talent-programme.sensitive-access high
expect_finding lab research.register.missing medium

# 7. Defence engineer with an expired JP-ESI clearance: at least review; the
#    expired-clearance finding.
screen engineer $REC/defence-engineer-expired-esi.json 2035-09-01
expect_not_verdict engineer clear
expect_finding engineer clearance.expired high "Engineer Y's jp-esi clearance" 'no longer valid on 2035-09-01'
# ... the same record while the clearance is valid raises nothing.
screen engineer-valid $REC/defence-engineer-expired-esi.json 2030-01-01
expect_verdict engineer-valid clear

# 8. Japan-only joint venture on non-listed technology: clear, no findings.
screen jv $REC/jp-only-joint-venture.json 2025-10-01
expect_verdict jv clear
expect_rules jv

# The other seed records keep their expected outcomes.
screen hire $REC/university-hire-2025.json 2025-10-01
expect_verdict hire review
expect_no_finding hire 'fefta\.deemed-export\.specific-category'
screen investment $REC/investment-2024.json 2025-06-30
expect_finding investment fefta.art27.inward-investment medium \
    'prior notification under FEFTA Art. 27 may be required; 30-day waiting period'

# A large record (300 people with access and talent-programme ties, a
# 300-party subcontracting chain, 600 transfers, 300 funding flows) must
# screen within the evaluation budget: the packs' rules stay usable on big
# deals (exit 1 = findings, 2 would be the step limit).
awk -v n=300 'BEGIN {
    printf "{\"format\":\"ttscreen-record/1\",\"id\":\"large\",\"kind\":\"research\",\"screened_for\":\"p0\",\"parties\":["
    for (i = 0; i < n; i++)
        printf "%s{\"id\":\"p%d\",\"name\":\"Party %d\",\"country\":\"%s\",\"type\":\"company\"}", (i ? "," : ""), i, i, (i % 3 ? "JP" : "CN")
    printf "],\"technologies\":["
    for (i = 0; i < 20; i++)
        printf "%s{\"id\":\"t%d\",\"description\":\"Laser data %d\",\"control\":{\"jp\":\"10\"},\"classified\":\"%s\"}", (i ? "," : ""), i, i, (i % 5 ? "none" : "jp-esi")
    printf "],\"relations\":["
    for (i = 1; i < n; i++)
        printf "%s{\"from\":\"p%d\",\"to\":\"p%d\",\"type\":\"owns\",\"percent\":60}", (i > 1 ? "," : ""), i - 1, i
    printf "],\"transfers\":["
    for (i = 1; i < n; i++)
        printf "%s{\"technology\":\"t%d\",\"from\":\"p%d\",\"to\":\"p%d\",\"form\":\"blueprint\"}", (i > 1 ? "," : ""), i % 20, i - 1, i
    for (i = 0; i < n; i++)
        printf ",{\"technology\":\"t%d\",\"from\":\"p0\",\"to\":\"h%d\",\"form\":\"training\"}", i % 20, i
    printf "],\"people\":["
    for (i = 0; i < n; i++)
        printf "%s{\"id\":\"h%d\",\"name\":\"Person %d\",\"nationality\":\"CN\",\"residence\":\"JP\",\"employer\":\"p0\",\"affiliations\":[{\"organisation\":\"Programme\",\"country\":\"CN\",\"kind\":\"talent-program\",\"disclosed\":false}],\"access\":[\"t%d\",\"t%d\"]}", (i ? "," : ""), i, i, i % 20, (i + 1) % 20
    printf "],\"funding\":["
    for (i = 0; i < n; i++)
        printf "%s{\"from\":\"Programme\",\"to\":\"h%d\",\"disclosed\":false}", (i ? "," : ""), i
    printf "],\"controls\":{\"foreign_researcher_register\":false}}\n"
}' >"$SCRATCH/large.json"
screen large "$SCRATCH/large.json" 2026-01-01
if [ "$(cat "$SCRATCH/large.rc")" = 1 ] && [ "$(cat "$SCRATCH/large.verdict")" = blocked ]; then
    pass
else
    fail "large record: exit status $(cat "$SCRATCH/large.rc"), verdict '$(cat "$SCRATCH/large.verdict")' (expected 1, blocked)" "$SCRATCH/large.err"
fi

# List and ownership rules on list fixtures, across the Affiliates Rule's
# effective dates: in force (Oct 2025), suspended (Jun 2026), reimposed
# as scheduled (Dec 2026, high while unconfirmed).
HITS=fixtures/rules/packs/sanctions/list-hits.json
for d in 2025-10-01 2026-06-01 2026-12-01; do
    screen "hits-$d" $HITS $d
    if lists_consulted "hits-$d"; then
        expect_verdict "hits-$d" blocked
        expect_finding "hits-$d" sanctions.us.restricted-party critical '32 Group China Ltd. (CN) matches'
        expect_finding "hits-$d" sanctions.ofac.fifty-percent critical 'Example Second Ltd. (HK) is 50% owned by SDN-listed parties'
        expect_finding "hits-$d" sanctions.jp.end-user-list critical 'China Academy of Engineering Physics (CN) is on the METI End User List for a WMD concern' '"programs":"N"'
        expect_finding "hits-$d" fefta.catch-all.end-user-list critical '"source":"jp-eul"'
        expect_finding "hits-$d" sanctions.us.sdn critical '200G PSA HOLDINGS LLC (US) matches' \
            '"citation":"31 CFR Part 598 (Foreign Narcotics Kingpin Sanctions Regulations) [SDNTK]"'
        expect_finding "hits-$d" sanctions.us.uflpa high 'Camel Group Co., Ltd. (CN) is on the UFLPA Entity List'
        expect_finding "hits-$d" sanctions.us.section-1260h high '(CN) is on the DoD Section 1260H list'
        case $d in
        2025-10-01)
            expect_finding "hits-$d" sanctions.bis.affiliates-rule critical 'Example Affiliate Ltd. (HK) is 55% owned'
            expect_no_finding "hits-$d" 'sanctions\.bis\.affiliates-rule-reimposed' ;;
        2026-06-01) expect_no_finding "hits-$d" 'sanctions\.bis\.' ;;
        2026-12-01)
            expect_finding "hits-$d" sanctions.bis.affiliates-rule-reimposed high 'Example Affiliate Ltd. (HK) is 55% owned'
            expect_no_finding "hits-$d" 'sanctions\.bis\.affiliates-rule"' ;;
        esac
    else
        fail "hits-$d: the report does not name the imported lists among the lists consulted" "$SCRATCH/hits-$d.jsonl"
    fi
done

echo "seeds: $passed passed, $failed failed"
[ "$failed" = 0 ]
