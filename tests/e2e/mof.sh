#!/bin/sh
# SPDX-License-Identifier: MIT
# Japan's asset-freeze list (source jp-mof, format mof-xlsx), end to end:
#
#   sh tests/e2e/mof.sh BINARY SCRATCH
#
# The Ministry of Finance's real workbook of 5 Mar 2026
# (fixtures/lists/jp-mof-20260305.xlsx, see fixtures/lists/README.md) is
# imported whole; designated names are searched in Japanese and in Latin
# letters; a deal naming a designated party is screened with the shipped rules
# and blocks with the FEFTA citation. Delisting: two small workbooks written
# here (synthetic, the real file's layout) import a name, then the same row
# marked 削除: the second version has it removed and it is no hit. A workbook
# with an unknown header is refused with one line naming file, sheet and cell,
# and the version before stays.
set -u
BIN=$1
S=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
rm -rf "$S"
mkdir -p "$S"
SUITE=mof
passed=0
failed=0
export SOURCE_DATE_EPOCH=1767225600
export NO_COLOR=1
unset TTSCREEN_DB TTSCREEN_RULES
. tests/e2e/lib/scenario.sh
FX=fixtures/lists/jp-mof-20260305.xlsx
DB=$S/mof.db

# 1. the real file: 3,461 numbered rows on 41 designation sheets, 598 marked 削除, one with
# no name (タリバーン関係者等 274): 2,862 entries; the index and the three repealed
# programmes (【解除】) are not designation sheets
run "import the MOF workbook" 0 -- "$BIN" lists import jp-mof "$FX" --format mof-xlsx --db "$DB"
has "import: every designation" "$S/out" "jp-mof: imported 2862 entries"
has "import: the row without a name is named" "$S/err" \
    'sheet "2.タリバーン関係者等": row 276: a designation without a name' "not imported"
run "jp-mof without --format is read as mof-xlsx" 0 -- "$BIN" lists import jp-mof fixtures/lists/jp-mof-cut.xlsx \
    --db "$S/default.db"
has "jp-mof without --format: the cut's entries" "$S/out" "jp-mof: imported 65 entries" "(mof-xlsx, sha256 "
run "lists status" 0 -- "$BIN" lists status --format json --db "$DB"
has "jp-mof is a Japanese sanctions list, critical" "$S/out" '"source":"jp-mof"' '"kind":"sanctions"' \
    '"jurisdiction":"JP"' '"severity":"critical"'

# 2. search: Japanese and Latin spellings of the same designation, an alias
run "search a Latin name" 1 -- "$BIN" search "Vladimir Putin" --db "$DB"
has "search a Latin name: the entry" "$S/out" "jp-mof  ロシア連邦(個人)/1  ウラジーミル・プーチン" \
    "matched english: Vladimir Putin" "programs: 29.ロシア連邦(個人)"
run "search a Japanese name" 1 -- "$BIN" search "ウラジーミル・プーチン" --db "$DB"
has "search a Japanese name: the entry" "$S/out" "1.000  jp-mof  ロシア連邦(個人)/1"
run "search an alias of a Russian entity" 1 -- "$BIN" search "TTF Air Heavy Lifting" --db "$DB"
has "search an alias: the entry" "$S/out" "ロシア連邦(団体(特定銀行を除く))/261" "matched aka: TTF Air Heavy Lifting"
run "search a Latin alias written in parentheses" 1 -- "$BIN" search "Frank Kakorere" --db "$DB"
has "the Latin spelling in an alias's parentheses" "$S/out" "コンゴ民主共和国（個人）/2"
run "search a name on no list" 0 -- "$BIN" search "Tanaka Precision Works" --db "$DB"

# 3. screen: a deal with a designated Belarusian plant blocks with the FEFTA citation
cat >"$S/deal.json" <<'EOF'
{
  "format": "ttscreen-record/1",
  "id": "mof-e2e",
  "title": "Supply of machine parts to a vehicle plant",
  "kind": "supply",
  "screened_for": "jp",
  "parties": [
    {"id": "jp", "name": "Example K.K.", "country": "JP", "type": "company"},
    {"id": "buyer", "name": "Minsk Wheel Tractor Plant", "country": "BY", "type": "company"}
  ],
  "controls": {"as_of": "2026-03-10"}
}
EOF
run "screen a deal with a designated party" 1 -- "$BIN" screen "$S/deal.json" --no-store --format json \
    --rules rules --db "$DB"
has "screen: the asset-freeze finding, critical, with the FEFTA citation" "$S/out" \
    '"rule": "sanctions.jp.asset-freeze"' '"severity": "critical"' '"verdict": "blocked"' \
    '"source": "jp-mof"' \
    "FEFTA Art. 16 (payments) and Art. 21 (capital transactions): payments to and capital transactions with a designated person need the Minister of Finance's permission"
lacks "screen: not the generic other-list rule" "$S/out" '"rule": "sanctions.lists.other-critical"'

# 4. delisting: a workbook in MOF's layout listing one made-up entity, then the same row
# marked removed the way MOF marks it ("2026.3.1削除"), then a workbook with a header
# the importer does not know
python3 - "$S" <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
d = sys.argv[1]
def col(i):
    return chr(ord("A") + i)
def sheet(rows):
    out = []
    for r, cells in enumerate(rows, 1):
        cs = "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(i), r, escape(v))
                     for i, v in enumerate(cells) if v != "")
        out.append('<row r="%d">%s</row>' % (r, cs))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>' % "".join(out))
def book(path, sheets):
    z = zipfile.ZipFile(path, "w")
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    z.writestr("xl/workbook.xml", '<workbook %s><sheets>%s</sheets></workbook>' % (ns, "".join(
        '<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(n), i + 1, i + 1) for i, (n, _) in enumerate(sheets))))
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>' % "".join(
        '<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(len(sheets))))
    for i, (_, rows) in enumerate(sheets):
        z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), sheet(rows))
    z.close()
index = ("一覧", [["このファイルは、外為法に基づく資産凍結等の措置の情報をExcel形式にしたものです。"], ["1", "例示の団体"]])
head = ["告示日付", "告示番号", "日本語表記", "英語表記", "別称", "所在地"]
keep = ["2024.1.1", "1", "カシオペア交易", "Kassiopeia Trading LLC", "カシオペア・トレーディング; Cassiopeia Trade House", "Minsk"]
gone = ["2024.1.1", "2", "オリオン海運", "Orion Maritime Holdings FZE", "", "Dubai"]
book(d + "/v1.xlsx", [index, ("1.例示の団体（団体）", [["例示の団体"], head, keep, gone])])
book(d + "/v2.xlsx", [index, ("1.例示の団体（団体）", [["例示の団体"], head, keep, ["2024.1.1\n2026.3.1削除", "2"]])])
book(d + "/v3.xlsx", [index, ("1.例示の団体（団体）", [["例示の団体"], head[:5] + ["制裁理由"], keep])])
book(d + "/v4.xlsx", [index, ("1.例示の団体（団体）", [["例示の団体"]])])
PY
D2=$S/delist.db
run "import version 1" 0 -- "$BIN" lists import demo-mof "$S/v1.xlsx" --format mof-xlsx --db "$D2"
has "version 1: two entries" "$S/out" "demo-mof: imported 2 entries"
run "version 1: the entity is listed" 1 -- "$BIN" search "Orion Maritime Holdings" --db "$D2"
has "version 1: its entry" "$S/out" "例示の団体（団体）/2"
run "import version 2 (the row marked 削除)" 0 -- "$BIN" lists import demo-mof "$S/v2.xlsx" --format mof-xlsx --db "$D2"
has "version 2: one entry, one removed" "$S/out" "demo-mof: imported 1 entries" "+0 -1 ~0"
run "version 2: the removed entity is no hit" 0 -- "$BIN" search "Orion Maritime Holdings" --db "$D2"
run "version 2: the other entity still is" 1 -- "$BIN" search "Cassiopeia Trade House" --db "$D2"
run "lists diff: the removal" 0 -- "$BIN" lists diff demo-mof --db "$D2"
has "lists diff names the removed entry" "$S/out" "例示の団体（団体）/2"
run "an unknown header is refused" 2 -- "$BIN" lists import demo-mof "$S/v3.xlsx" --format mof-xlsx --db "$D2"
has "the unknown header: file, sheet and cell" "$S/err" "$S/v3.xlsx: sheet \"1.例示の団体（団体）\": cell F2: header \"制裁理由\" is not one the mof-xlsx importer knows"
[ "$(wc -l <"$S/err")" -eq 1 ] && ok || bad "the unknown header: one line" "$S/err"
run "a sheet without a header is refused" 2 -- "$BIN" lists import demo-mof "$S/v4.xlsx" --format mof-xlsx --db "$D2"
has "no header: file and sheet" "$S/err" "$S/v4.xlsx: sheet \"1.例示の団体（団体）\": row 1: no header row"
run "after the refused imports, version 2 stays" 0 -- "$BIN" lists status --db "$D2"
has "version 2 stays: one entry" "$S/out" "demo-mof"
run "version 2 stays: its entity is still found" 1 -- "$BIN" search "Cassiopeia Trade House" --db "$D2"
cp "$FX" "$S/cut.xlsx" && printf 'x' | dd of="$S/cut.xlsx" bs=1 seek=200000 conv=notrunc 2>/dev/null
run "a damaged workbook is refused" 2 -- "$BIN" lists import jp-mof "$S/cut.xlsx" --format mof-xlsx --db "$DB"
[ "$(wc -l <"$S/err")" -eq 1 ] && ok || bad "a damaged workbook: one line" "$S/err"
has "a damaged workbook: the file named" "$S/err" "$S/cut.xlsx"

echo "mof: $passed passed, $failed failed"
[ "$failed" = 0 ]
