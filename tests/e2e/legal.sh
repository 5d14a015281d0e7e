#!/bin/sh
# SPDX-License-Identifier: MIT
# The legal review cases of the shipped rule packs, end to end:
#
#   sh tests/e2e/legal.sh BINARY SCRATCH
#
# Each case is one deal of an export-control review of the packs (catch-all
# by end use and end user, FDI prior notification, U.S. EAR, clearance by
# operator, ownership-based list rules, the citation of each list finding),
# written as a record in fixtures/records/legal-*.json. Each is screened with
# the shipped rules/ against the list fixtures (CSL 2025 sample, OFAC SDN
# 2025 sample, METI End User List) imported into a scratch database, and
# must give the verdict an export-control officer expects, with the finding
# of the rule that carries the law and that rule's citation. Prints one line
# per failing check and a summary; exits non-zero on any failure.
set -u
BIN=$1
SCRATCH=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
export SOURCE_DATE_EPOCH=1767225600
export NO_COLOR=1
unset TTSCREEN_RULES TTSCREEN_FIXTURES
DB="$SCRATCH/legal.db"
export TTSCREEN_DB="$DB"
REC=fixtures/records
passed=0
failed=0

fail() {
    failed=$((failed + 1))
    echo "FAIL legal/$1"
    [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/    /' "$2" | head -20
    return 0
}
pass() { passed=$((passed + 1)); }

for spec in "us-csl csl-2025-sample.csv csl-csv" "ofac-sdn ofac-sdn-2025-sample/sdn.csv sdn-csv" \
    "jp-eul jp-eul-2025.csv ttscreen-csv"; do
    set -- $spec
    if "$BIN" lists import "$1" "fixtures/lists/$2" --format "$3" --db "$DB" >"$SCRATCH/import.out" 2>&1; then
        pass
    else
        fail "lists import $1" "$SCRATCH/import.out"
    fi
done

# screen CASE FILE AS_OF: the report in $SCRATCH/CASE.jsonl, one finding per
# line in $SCRATCH/CASE.findings, the verdict in $SCRATCH/CASE.verdict.
screen() {
    "$BIN" screen --no-store --format jsonl --as-of "$3" --db "$DB" --rules rules "$2" \
        >"$SCRATCH/$1.jsonl" 2>"$SCRATCH/$1.err" </dev/null
    sed -n 's/.*"verdict":"\([a-z]*\)".*/\1/p' "$SCRATCH/$1.jsonl" >"$SCRATCH/$1.verdict"
    sed -e 's/"findings":\[{"rule":/"findings":[\n{"rule":/' -e 's/},{"rule":/}\n{"rule":/g' "$SCRATCH/$1.jsonl" | grep '"rule":"' >"$SCRATCH/$1.findings" || true
}

expect_verdict() {
    got=$(cat "$SCRATCH/$1.verdict")
    if [ "$got" = "$2" ]; then pass; else fail "$1: verdict '$got', expected '$2'" "$SCRATCH/$1.err"; fi
}

# expect_finding CASE RULE SEVERITY [TEXT...]: a finding of RULE with
# SEVERITY whose JSON (message, citation, matches, ...) contains every TEXT.
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

# expect_absent CASE TEXT: no finding of the case contains TEXT (a wrong citation).
expect_absent() {
    if grep -F -- "$2" "$SCRATCH/$1.findings" >"$SCRATCH/$1.sel"; then
        fail "$1: a finding contains '$2'" "$SCRATCH/$1.sel"
    else
        pass
    fi
}

# 1. Non-listed know-how to a Chinese institute for a hypersonic glide
#    vehicle: a missile end use outside Group A needs a METI licence (WMD
#    catch-all): blocked.
screen hgv $REC/legal-hgv-missile-institute.json 2025-12-01
expect_verdict hgv blocked
expect_finding hgv fefta.catch-all.wmd-end-use critical 'stated end use missile, outside Group A' \
    '"citation":"FEFTA Arts. 25(1) and 48(1); Foreign Exchange Order Appended Table item 16'

# 2. The same know-how sold to a military academy that is on no list: the
#    conventional-weapons catch-all for general countries (from 9 Oct 2025):
#    review, not clear.
screen academy $REC/legal-military-academy.json 2025-12-01
expect_verdict academy review
expect_finding academy fefta.catch-all.conventional-weapons high 'a military user' 'specified item of 16(1)'
#    ... and to a North Korean military user it blocks.
sed 's/"location": "CN"/"location": "KP"/' $REC/legal-military-academy.json | awk '{ if ($0 ~ /"id": "cn-academy"/) a = 1; if (a && $0 ~ /"country": "CN"/) { sub(/"CN"/, "\"KP\""); a = 0 } print }' \
    >"$SCRATCH/academy-kp.json"
screen academy-kp "$SCRATCH/academy-kp.json" 2025-12-01
expect_verdict academy-kp blocked
expect_finding academy-kp fefta.catch-all.conventional-weapons-embargo critical 'a Group D destination' 'Appended Table 3-2'

# 3. A Japanese company 70% held by a Chinese group buys 5% of an unlisted
#    company in a core sector: a foreign investor under Art. 26(1), any
#    acquisition counts, no exemption: blocked.
screen fdi-look $REC/legal-fdi-lookthrough.json 2025-12-01
expect_verdict fdi-look blocked
expect_finding fdi-look fefta.art27.core-unlisted critical '70% foreign-held: a foreign investor under Art. 26(1)' \
    'no exemption is available' '"citation":"FEFTA Arts. 26(1) and 27(1)'

# 4. 0.5% of an unlisted company in a designated sector: the 1% threshold is
#    for listed companies only: review.
screen fdi-half $REC/legal-fdi-unlisted-half-percent.json 2025-12-01
expect_verdict fdi-half review
expect_finding fdi-half fefta.art27.designated-sector high 'holds 0.5% of Example Logistics Software K.K. (unlisted'

# 5. A Chinese state fund takes 4.9% of a listed photoresist maker in a share
#    deal without technologies: the sector comes from the target: review.
screen fdi-resist $REC/legal-fdi-photoresist.json 2025-12-01
expect_verdict fdi-resist review
expect_finding fdi-resist fefta.art27.designated-sector high '(CN, state-owned) holds 4.9%' 'listed; sectors supply-chain-2023, core'

# 6. U.S.-origin 2E003 technology to China under a METI licence: the METI
#    licence does not answer the EAR: review.
screen ear-2e003 $REC/legal-ear-2e003-china.json 2025-12-01
expect_verdict ear-2e003 review
expect_finding ear-2e003 ear.reexport.eccn high '(ECCN 2E003)' 'it does not cover the EAR' '734.14'
expect_no_finding ear-2e003 'fefta\.art25\.'

# 7. A Chinese engineer at the U.S. subsidiary can use 9E003 data: a deemed
#    export to China (15 CFR 734.13): review.
screen ear-deemed $REC/legal-ear-deemed-export.json 2025-12-01
expect_verdict ear-deemed review
expect_finding ear-deemed ear.deemed-export.foreign-person high 'a deemed export to CN' '"citation":"15 CFR 734.13(a)(2) and (b)'

# 8. U.S.-origin 1E001 technology taught to a Chinese air force academy:
#    15 CFR 744.21 and the Japanese conventional-weapons catch-all: review.
screen ear-meu $REC/legal-ear-744-21.json 2025-12-01
expect_verdict ear-meu review
expect_finding ear-meu ear.military-end-use high '15 CFR 744.21 requires one' '"citation":"15 CFR 744.21'
expect_finding ear-meu fefta.catch-all.conventional-weapons high 'Example Air Force Maintenance Academy'

# 9. A jp-esi clearance does not move with the engineer to a foreign-state-
#    owned employer; Japanese law is cited, not NISPOM: review.
screen clearance $REC/legal-clearance-moved.json 2025-12-01
expect_verdict clearance review
expect_finding clearance clearance.operator high 'held with Example Transmission Grid K.K.' 'a state-owned party' \
    '"citation":"Act on the Protection and Utilization of Important Economic Security Information (Act No. 27 of 2024'
expect_no_finding clearance 'clearance\.foci'
expect_absent clearance '32 CFR 117.11'

# 10. An affiliate 30% held by an SDN and 25% by an Entity List party is 55%
#     owned under the Affiliates Rule: blocked while it was in force (Oct
#     2025), no ownership finding while suspended (Jun 2026), high for review
#     after the scheduled reimposition (Dec 2026).
screen aff-2025 $REC/legal-affiliates-sdn.json 2025-10-01
expect_verdict aff-2025 blocked
expect_finding aff-2025 sanctions.bis.affiliates-rule critical 'Example Joint Electronics Ltd. (HK) is 55% owned'
screen aff-2026-06 $REC/legal-affiliates-sdn.json 2026-06-01
expect_no_finding aff-2026-06 'sanctions\.bis\.'
screen aff-2026-12 $REC/legal-affiliates-sdn.json 2026-12-01
expect_finding aff-2026-12 sanctions.bis.affiliates-rule-reimposed high 'Example Joint Electronics Ltd. (HK) is 55% owned'
expect_no_finding aff-2026-12 'sanctions\.ofac\.fifty-percent'
#     The SDN owner's own hit cites IEEPA and the programme regulations; the
#     Entity List owner's cites Part 744.
#     The citation is the one data/list-citations.tsv gives the entry's
#     programme (CYBER2: the Cyber-Related Sanctions Regulations).
expect_finding aff-2025 sanctions.us.sdn critical 'SUEX OTC, S.R.O. (CZ) matches' \
    '"citation":"IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 578 (Cyber-Related Sanctions Regulations) [CYBER2]"' \
    '"programs":"CYBER2"'
expect_finding aff-2025 sanctions.us.restricted-party critical '(CETC 13) (CN) matches' \
    '"citation":"15 CFR 744.11 and 744.16, Supp. No. 4 to Part 744 (Entity List)"'

# 11. Software for the China Academy of Engineering Physics (METI End User
#     List, a nuclear-weapons laboratory: concern N), no stated use: blocked,
#     and the list hit itself is critical (a WMD concern).
screen eul $REC/legal-eul-nuclear-lab.json 2025-12-01
expect_verdict eul blocked
expect_finding eul fefta.catch-all.end-user-list critical '"source":"jp-eul"' 'China Academy of Engineering Physics' \
    '"programs":"N"'
expect_finding eul sanctions.jp.end-user-list critical 'for a WMD concern' \
    '"citation":"FEFTA Arts. 25(1) and 48(1) catch-all control (item 16), user requirement'
expect_no_finding eul 'sanctions\.jp\.end-user-list-conventional|fefta\.catch-all\.end-user-list-conventional'
#     An entity listed for conventional weapons only (concern CW, since the
#     revision applied from 9 Oct 2025): review, not a block.
screen eul-cw $REC/legal-eul-conventional.json 2025-12-01
expect_verdict eul-cw review
expect_finding eul-cw sanctions.jp.end-user-list-conventional high 'Digi Ghate (IR) is on the METI End User List for a conventional-weapons concern' \
    '"programs":"CW"'
expect_no_finding eul-cw 'sanctions\.jp\.end-user-list"|fefta\.catch-all\.end-user-list"'
#     An End User List imported without the concern column: the entry counts
#     as a WMD concern (fail closed), so the hit stays critical.
printf 'id,name,aliases,country,programs,listed_on,source_url\n2025-081,Digi Ghate,,IR,,2025-10-09,\n' >"$SCRATCH/eul-no-concern.csv"
"$BIN" lists import jp-eul "$SCRATCH/eul-no-concern.csv" --format ttscreen-csv --db "$SCRATCH/eul-nc.db" >/dev/null 2>&1 || fail "lists import jp-eul without concern"
"$BIN" screen --no-store --format jsonl --as-of 2025-12-01 --db "$SCRATCH/eul-nc.db" --rules rules $REC/legal-eul-conventional.json \
    >"$SCRATCH/eul-nc.jsonl" 2>"$SCRATCH/eul-nc.err" </dev/null
if grep -q '"rule":"sanctions.jp.end-user-list","severity":"critical"' "$SCRATCH/eul-nc.jsonl" &&
    ! grep -q '"rule":"sanctions.jp.end-user-list-conventional"' "$SCRATCH/eul-nc.jsonl"; then
    pass
else
    fail "eul-nc: an entry without a recorded concern is not a critical WMD hit" "$SCRATCH/eul-nc.jsonl"
fi

#     A concern code not known here (a list written with words, a new code) is not
#     read as conventional weapons only: the hit stays a critical WMD hit.
printf 'id,name,aliases,country,programs,listed_on,source_url\n2025-081,Digi Ghate,,IR,nuclear,2025-10-09,\n' >"$SCRATCH/eul-unknown.csv"
"$BIN" lists import jp-eul "$SCRATCH/eul-unknown.csv" --format ttscreen-csv --db "$SCRATCH/eul-unk.db" >/dev/null 2>&1 || fail "lists import jp-eul with an unknown concern"
"$BIN" screen --no-store --format jsonl --as-of 2025-12-01 --db "$SCRATCH/eul-unk.db" --rules rules $REC/legal-eul-conventional.json \
    >"$SCRATCH/eul-unk.jsonl" 2>"$SCRATCH/eul-unk.err" </dev/null
if grep -q '"rule":"sanctions.jp.end-user-list","severity":"critical"' "$SCRATCH/eul-unk.jsonl" &&
    ! grep -q '"rule":"sanctions.jp.end-user-list-conventional"' "$SCRATCH/eul-unk.jsonl"; then
    pass
else
    fail "eul-unknown: an entry with a concern code not known is not a critical WMD hit" "$SCRATCH/eul-unk.jsonl"
fi

# 12. A Denied Persons List hit cites 15 CFR Parts 764 and 766.
screen dpl $REC/legal-dpl-party.json 2025-12-01
expect_verdict dpl blocked
expect_finding dpl sanctions.us.denied-persons critical 'I. Ash (US) matches I. ASH' '"citation":"15 CFR Part 764'
expect_absent dpl 'Supp. No. 4 to Part 744'

# 12b. An SDN hit under the WMD proliferators programme (CSL sub-list SDN,
#      programme NPWMD) cites IEEPA and 31 CFR Part 544; a Military End-User
#      List hit cites 15 CFR 744.21, not the Entity List.
screen npwmd $REC/legal-sdn-npwmd.json 2025-12-01
expect_verdict npwmd blocked
expect_finding npwmd sanctions.us.sdn critical 'RIM Ryong Nam (KP) matches RIM, Ryong Nam' \
    '"citation":"IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 544 (Weapons of Mass Destruction Proliferators Sanctions Regulations, E.O. 13382) [NPWMD]"'
screen meu $REC/legal-meu-party.json 2025-12-01
expect_verdict meu review
expect_finding meu sanctions.us.csl-other high 'Academy of Aerospace Solid Propulsion Technology (CN) matches' \
    '"citation":"15 CFR 744.21, Supp. No. 7 to Part 744 (Military End-User List)"'
expect_absent meu 'Supp. No. 4 to Part 744'

# 13. A hop between two foreign parties is not cited as an Art. 25(1)
#     provision: the original licence's re-transfer conditions are: review.
screen hop $REC/legal-foreign-hop.json 2025-12-01
expect_verdict hop review
expect_finding hop fefta.chain.re-transfer high 'Example Assembly Vietnam Co., Ltd. (VN) at tier 2' 're-transfer conditions'
expect_no_finding hop 'fefta\.art25\.|fefta\.chain\.unlicensed-tier'

# 14. METI informed the exporter about a German distributor after 9 Oct
#     2025: the inform requirement reaches Group A: blocked.
screen informed $REC/legal-informed-group-a.json 2025-12-01
expect_verdict informed blocked
expect_finding informed fefta.catch-all.informed critical '(notice of 2025-11-04)' 'inform requirement'

# 15. An expired licence is named as expired.
sed 's/"expires": "2022-03-31"/"expires": "2021-03-31"/' $REC/shi-subcontractor-licensed-illustrative.json \
    >"$SCRATCH/shi-expired.json"
screen expired "$SCRATCH/shi-expired.json" 2021-04-28
expect_verdict expired blocked
expect_finding expired fefta.art25.unlicensed-transfer critical 'expired on 2021-03-31'

# 16. Research rules cite the deemed-export categories, not CHIPS sec. 10632
#     or NSPM-33; the partnership rule does not cite the CHIPS definition as
#     its authority.
screen lab $REC/university-lab-deemed-export.json 2025-10-01
expect_finding lab research.talent-programme.sensitive-access high '"citation":"FEFTA Art. 25(1) deemed export: Service Notification'
expect_absent lab '"citation":"CHIPS'
expect_absent lab '"citation":"NSPM-33'
screen toyota $REC/toyota-catl-2019.json 2026-01-01
expect_finding toyota partnership.state-linked.dual-use high '"citation":"Technology-outflow due diligence (no licence requirement of its own'
expect_absent toyota 'CHIPS and Science Act sec. 10638(2))"'

echo "legal: $passed passed, $failed failed"
[ "$failed" = 0 ]
