#!/bin/sh
# SPDX-License-Identifier: MIT
# search --batch: a counterparty sheet of 2,000 rows (listed and unlisted names, some
# full-width, some Han) in one process, in UTF-8, Shift_JIS, EUC-JP and UTF-16 copies, as
# CSV, TSV and JSON Lines; bad rows with and without --skip-bad; every batch row equals
# `search` of that row alone.
#   sh tests/e2e/batch.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1
unset TTSCREEN_DB
passed=0
failed=0
SUITE=batch
. "$(dirname "$0")/lib/scenario.sh"

DB="$S/lists.db"
"$BIN" lists import ofac-sdn "$FX/lists/ofac-sdn-2019-01/sdn.csv" "$FX/lists/ofac-sdn-2019-01/alt.csv" \
    --format sdn-csv --db "$DB" >/dev/null 2>&1 || bad "import the SDN"
"$BIN" lists import jp-eul "$FX/lists/jp-eul.csv" --format ttscreen-csv --db "$DB" >/dev/null 2>&1 ||
    bad "import the End User List"

# The sheet: every 10th row a listed name (some written full-width), a Han row, the rest
# made-up vendors; Japanese headers.
python3 - "$S" "$FX/lists/ofac-sdn-2019-01/sdn.csv" <<'PY'
import csv, sys
out, sdn = sys.argv[1], sys.argv[2]
# entities (type "-0-" in the SDN file) whose names are plain ASCII
listed = [row[1] for row in csv.reader(open(sdn, encoding="utf-8")) if len(row) > 2 and row[2].strip() == "-0-"]
listed = [n for n in listed if n.isascii()][:200]
def wide(s):
    # letters and digits full-width (every legacy Japanese encoding has those), the rest as is
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in s)
rows = []
for i in range(2000):
    if i == 7:
        rows.append(("V%04d" % i, "中国工程物理研究院", "CN", "research partner"))
    elif i % 10 == 3:
        n = listed[(i // 10) % len(listed)]
        rows.append(("V%04d" % i, wide(n) if i % 20 == 3 else n, "", "listed, comma, \"quoted\""))
    else:
        rows.append(("V%04d" % i, "Example Vendor %d Kogyo K.K." % i, "JP", "仕入先"))
with open(out + "/vendors.csv", "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["取引先コード", "名称", "国", "備考"])
    w.writerows(rows)
with open(out + "/vendors.tsv", "w", encoding="utf-8", newline="") as f:
    f.write("code\tName\tCountry\tnote\n")
    for r in rows:
        f.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
import json
with open(out + "/vendors.jsonl", "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps({"id": r[0], "name": r[1], "country": r[2], "note": r[3]}, ensure_ascii=False) + "\n")
PY
for spec in "CP932 sjis" "EUC-JP eucjp" "UTF-16 utf16"; do
    set -- $spec
    iconv -f UTF-8 -t "$1" "$S/vendors.csv" >"$S/vendors-$2.csv" || bad "iconv could not write the $1 copy"
done

tt() { "$BIN" search --db "$DB" "$@"; }
run "2,000-row sheet" 1 -- tt --batch "$S/vendors.csv" --format jsonl
cp "$S/out" "$S/utf8.jsonl"
[ "$(wc -l <"$S/out")" = 2000 ] && ok || bad "2,000-row sheet: $(wc -l <"$S/out") output rows"
hits=$(grep -c '"matches":\[{' "$S/out")
[ "$hits" -ge 200 ] && ok || bad "2,000-row sheet: only $hits rows with candidates, expected the 200 listed ones"
grep -F '"取引先コード":"V0013"' "$S/out" | grep -qF '"matches":[{' && ok || bad "a full-width listed name is found" "$S/out"
grep -F '"取引先コード":"V0007"' "$S/out" | grep -qF '"source":"jp-eul"' && ok || bad "a Han name finds its End User List entry"
grep -F '"取引先コード":"V0001"' "$S/out" | grep -qF '"matches":[]' && ok || bad "an unlisted vendor has no candidate"
has "every input column is carried through" "$S/out" '"備考":"listed, comma, \"quoted\""'
has "the summary names the encoding" "$S/err" "(utf-8): 2000 rows screened"

for enc in sjis eucjp utf16; do
    run "$enc copy" 1 -- tt --batch "$S/vendors-$enc.csv" --format jsonl
    cmp -s "$S/out" "$S/utf8.jsonl" && ok || bad "$enc copy: output differs from the UTF-8 sheet"
done
has "UTF-16 detected by its byte order mark" "$S/err" "(utf-16le)"
run "Shift_JIS given" 1 -- tt --batch "$S/vendors-sjis.csv" --encoding shift_jis --format jsonl
run "TSV with English headers" 1 -- tt --batch "$S/vendors.tsv" --format jsonl --best-only
[ "$(grep -c '"matches":\[{' "$S/out")" = "$hits" ] && ok || bad "TSV: not the same rows with candidates"
run "JSON Lines" 1 -- tt --batch "$S/vendors.jsonl" --format json
python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert len(d) == 2000, len(d)" "$S/out" && ok ||
    bad "JSON Lines -> json: not one array of 2,000 rows"

# CSV out: BOM, header, one row per candidate, the input columns first
run "csv out" 1 -- tt --batch "$S/vendors.csv" --format csv
head -c 3 "$S/out" | od -An -tx1 | grep -q 'ef bb bf' && ok || bad "csv out: no UTF-8 byte order mark"
head -n 1 "$S/out" | grep -qF '取引先コード,名称,国,備考,match_list,match_entry_id' && ok || bad "csv out: header" "$S/out"
python3 - "$S/out" <<'PY' && ok || bad "csv out: an End User List match lacks its listed-on date"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
eul = [r for r in rows if r["match_list"] == "jp-eul"]
assert eul, "no jp-eul match in the sheet"
assert all(r["match_listed_on"] for r in eul), eul[:2]
assert "match_source_url" in rows[0]
PY

# HTML: one self-contained page, a row per output row, the matched ones marked, text escaped
run "csv out, best only" 1 -- tt --batch "$S/vendors.csv" --format csv --best-only -o "$S/best.csv"
run "html out" 1 -- tt --batch "$S/vendors.csv" --format html --best-only -o "$S/r.html"
python3 - "$S/r.html" "$S/best.csv" <<'PY' && ok || bad "html out: rows, marks or escaping"
import csv, html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.matched, self.scripts, self.cells, self.cur = 0, 0, 0, [], None
    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.cur = []
            if ("class", "match") in attrs:
                self.matched += 1
        if tag == "script":
            self.scripts += 1
    def handle_endtag(self, tag):
        if tag == "tr" and self.cur is not None:
            self.rows += 1
            self.cells.append(self.cur)
            self.cur = None
    def handle_data(self, d):
        if self.cur is not None:
            self.cur.append(d)
p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
assert p.scripts == 0
assert p.rows == len(rows), (p.rows, len(rows))  # the header row and one per output row
listed = sum(1 for r in rows[1:] if r[rows[0].index("match_name")])
assert p.matched == listed and listed >= 200, (p.matched, listed)
PY
printf 'name,country\n"<script>alert(1)</script> & Co",JP\n' >"$S/evil.csv"
run "html escapes a cell" 0 -- tt --batch "$S/evil.csv" --format html -o "$S/evil.html"
has "html escapes a cell: the text shown" "$S/evil.html" "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
lacks "html escapes a cell: no markup from the sheet" "$S/evil.html" "<script>"

# Excel: results written with the matched rows highlighted, and read back as input
run "xlsx out" 1 -- tt --batch "$S/vendors.csv" --format xlsx -o "$S/r.xlsx" --best-only
python3 - "$S/r.xlsx" <<'PY' && ok || bad "xlsx out: not one highlighted row per listed row"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
x = z.read("xl/worksheets/sheet1.xml").decode()
rows = re.findall(r'<row r="(\d+)"[^>]*>(.*?)</row>', x)
assert len(rows) == 2001, len(rows)
styled = [r for r, body in rows if 's="2"' in body]
assert len(styled) >= 200, len(styled)
assert "xl/styles.xml" in z.namelist()
PY
run "xlsx in" 1 -- tt --batch "$S/r.xlsx" --format jsonl
python3 - "$S/utf8.jsonl" "$S/out" <<'PY' && ok || bad "xlsx in: not the same candidates as the CSV"
import json, sys
a = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
b = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(a) == len(b) == 2000, (len(a), len(b))
for x, y in zip(a, b):
    assert x["input"]["名称"] == y["input"]["名称"]
    assert [m["entry_id"] for m in x["matches"][:1]] == [m["entry_id"] for m in y["matches"][:1]]
PY
run "xlsx needs -o" 2 -- tt --batch "$S/vendors.csv" --format xlsx
cp "$S/vendors.csv" "$S/fake.xlsx"
run "a CSV named .xlsx" 2 -- tt --batch "$S/fake.xlsx"
has "a CSV named .xlsx: the message" "$S/err" "not an Excel workbook"
run "-o csv" 1 -- tt --batch "$S/vendors.csv" -o "$S/r.csv"
[ -s "$S/r.csv" ] && [ ! -s "$S/out" ] && ok || bad "-o csv: the results did not go to the file"

# libzip and libxml2 are loaded by the first workbook read, libxlsxwriter by the first written
# and ICU by the first name to transliterate: a process that needs none runs without them, and
# one that needs one says which it cannot load (exit 2, never a silent no-op). What the loader
# finds first under each SONAME the binary asks for is an empty file, not a library.
mkdir -p "$S/nolibs" "$S/noxml"
sonames=$(strings "$BIN" | grep -E '^lib(zip|xml2|xlsxwriter|icuuc|icui18n)\.so\.[0-9.]+$' | sort -u)
[ "$(echo "$sonames" | wc -l)" = 5 ] && ok || bad "the binary names 5 SONAMEs to load: $sonames"
for so in $sonames; do : >"$S/nolibs/$so"; done
for so in $sonames; do case $so in libxml2.*) : >"$S/noxml/$so" ;; esac; done
nolibs() { env LD_LIBRARY_PATH="$S/nolibs" "$BIN" search --db "$DB" "$@"; }
python3 - "$S/vendors.csv" "$S/ascii.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
w = csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""))
w.writerows([rows[0]] + [r for r in rows[1:] if r[1].isascii()])
PY
run "ASCII sheet, all libraries" 1 -- tt --batch "$S/ascii.csv" --format jsonl
cp "$S/out" "$S/ascii.jsonl"
run "ASCII sheet without the lazy libraries" 1 -- nolibs --batch "$S/ascii.csv" --format jsonl
cmp -s "$S/out" "$S/ascii.jsonl" && ok || bad "ASCII sheet without the lazy libraries: other output"
run "ASCII name without the lazy libraries" 1 -- nolibs "WONG Moon Chi"
has "ASCII name without the lazy libraries: found" "$S/out" "WONG"
run "xlsx in without libzip" 2 -- nolibs --batch "$S/r.xlsx" --format jsonl
has "xlsx in without libzip: says so" "$S/err" "$S/r.xlsx: cannot read the workbook: cannot load libzip: " \
    "libzip.so"
run "xlsx in without libxml2" 2 -- env LD_LIBRARY_PATH="$S/noxml" "$BIN" search --db "$DB" \
    --batch "$S/r.xlsx" --format jsonl
has "xlsx in without libxml2: says so" "$S/err" "cannot load libxml2: " "libxml2.so"
run "xlsx out without libxlsxwriter" 2 -- nolibs --batch "$S/ascii.csv" --format xlsx -o "$S/no.xlsx"
has "xlsx out without libxlsxwriter: says so" "$S/err" \
    "$S/no.xlsx: cannot write the workbook: cannot load libxlsxwriter: " "libxlsxwriter.so"
[ ! -e "$S/no.xlsx" ] && ok || bad "xlsx out without libxlsxwriter: a file was left"
run "a Cyrillic name without ICU" 2 -- nolibs "Иван Петров"
has "a Cyrillic name without ICU: says so" "$S/err" "cannot transliterate a name: cannot load ICU: " \
    "libicuuc.so"
run "the Han row without ICU" 2 -- nolibs --batch "$S/vendors.csv" --format jsonl
has "the Han row without ICU: row and reason" "$S/err" "$S/vendors.csv:9: cannot transliterate a name"
env LD_LIBRARY_PATH="$S/nolibs" "$BIN" --version >"$S/out" 2>"$S/err" && ok || bad "--version without them"
has "--version without them: each not available" "$S/out" "ICU not available (cannot load ICU: " \
    "libzip, libxml2 not available (cannot load libzip: " "libxlsxwriter not available (cannot load"

# every batch row equals `search` of that row alone (a sample of 60 rows, listed and not)
python3 - "$S/utf8.jsonl" "$S/sample" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in rows[:60]:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
same=1
while IFS= read -r line; do
    name=$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["input"]["名称"])')
    country=$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["input"]["国"])')
    want=$(printf '%s' "$line" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["matches"], ensure_ascii=False, separators=(",", ":")))')
    if [ -n "$country" ]; then got=$(tt "$name" --country "$country" --format json 2>/dev/null); else
        got=$(tt "$name" --format json 2>/dev/null); fi
    got=$(printf '%s' "$got" | python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.read())["matches"], ensure_ascii=False, separators=(",", ":")))')
    [ "$got" = "$want" ] || { same=0; echo "    row '$name': batch $want, alone $got"; }
done <"$S/sample"
[ $same = 1 ] && ok || bad "a batch row differs from search of that row alone"

# bad rows: an empty name stops the batch; --skip-bad reports it, goes on, and still exits 2
printf 'name,country\nWONG Moon Chi,CN\n,JP\nExample K.K.,Japan\nBANCO NACIONAL DE CUBA,CU\n' >"$S/badrows.csv"
run "empty name" 2 -- tt --batch "$S/badrows.csv" --format jsonl
has "empty name: file, row and column" "$S/err" "$S/badrows.csv:3: column 1 (name): empty name"
[ "$(wc -l <"$S/out")" = 1 ] && ok || bad "empty name: the batch did not stop there"
run "--skip-bad" 2 -- tt --batch "$S/badrows.csv" --format jsonl --skip-bad
has "--skip-bad: the skipped row is named" "$S/err" "(row skipped: it was not screened)"
has "--skip-bad: a bad country is a bad row" "$S/err" "$S/badrows.csv:4: column 2 (country): not an ISO 3166 alpha-2 country code"
[ "$(wc -l <"$S/out")" = 2 ] && ok || bad "--skip-bad: the good rows were not all screened"

# a name past the bound is a bad row, never cut and screened as another name
python3 -c "print('name'); print('A' * 5000)" >"$S/long.csv"
run "a 5,000-byte name" 2 -- tt --batch "$S/long.csv"
has "a 5,000-byte name: refused" "$S/err" "name longer than 4096 bytes"

# unreadable input: one line, exit 2
python3 -c "import sys; sys.stdout.write('name\\n' + 'B' * (2 * 1024 * 1024) + '\\n')" >"$S/longline.csv"
run "a 2 MiB line" 2 -- tt --batch "$S/longline.csv"
[ "$(wc -l <"$S/err")" = 1 ] && ok || bad "a 2 MiB line: not a one-line error" "$S/err"
has "a 2 MiB line: row and bound named" "$S/err" "$S/longline.csv:2: row longer than"
rm -f "$S/longline.csv"
truncate -s 1G "$S/huge.csv"
run "a 1 GiB file" 2 -- tt --batch "$S/huge.csv"
[ "$(wc -l <"$S/err")" = 1 ] && ok || bad "a 1 GiB file: not a one-line error" "$S/err"
has "a 1 GiB file: the bound named" "$S/err" "$S/huge.csv"
rm -f "$S/huge.csv"
head -c 20000 /dev/urandom >"$S/binary.csv"
run "binary file" 2 -- tt --batch "$S/binary.csv"
[ "$(wc -l <"$S/err")" = 1 ] && ok || bad "binary file: not a one-line error" "$S/err"
printf 'id,code\n1,2\n' >"$S/noname.csv"
run "no name column" 2 -- tt --batch "$S/noname.csv"
has "no name column: the message" "$S/err" "no name column"
run "--name-column" 0 -- tt --batch "$S/noname.csv" --name-column code
printf 'name\nA\0B\n' >"$S/nul.csv"
run "NUL byte" 2 -- tt --batch "$S/nul.csv"
has "NUL byte: row named" "$S/err" "$S/nul.csv:2: a NUL byte"
run "--batch with a NAME" 2 -- tt CATL --batch "$S/vendors.csv"
run "--skip-bad without --batch" 2 -- tt CATL --skip-bad
printf 'name\nWONG Moon Chi\n' | "$BIN" search --db "$DB" --batch - --format text >"$S/out" 2>"$S/err"
[ $? = 1 ] && ok || bad "standard input"
has "standard input: text format" "$S/out" "row 2  WONG Moon Chi:"

# single search: exit 1 with a candidate, 0 without
run "search with a candidate" 1 -- tt "WONG Moon Chi"
run "search without a candidate" 0 -- tt "Example Vendor Kogyo"

echo "batch: $passed passed, $failed failed"
[ "$failed" = 0 ]
