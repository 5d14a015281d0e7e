#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small cut of the Ministry of Finance's asset-freeze workbook, for tests.

    python3 scripts/mof-cut.py fixtures/lists/jp-mof-20260305.xlsx fixtures/lists/jp-mof-cut.xlsx
    python3 scripts/mof-cut.py fixtures/lists/jp-mof-20260305.xlsx fixtures/lists/jp-mof-tiny.xlsx 0 8 33

Sheets are given by their place in the workbook (0 is the index), optionally SHEET:ROWS
for the first ROWS rows only; without any, the set below.

Keeps whole sheets of the real file (the index, a repealed programme, the Somalia
sheet whose long remarks run over several rows, the Belarusian entities) and the
first rows of the Taliban sheet (removed rows among them); every kept row is the
real row, cell by cell (texts as they are, numbers as numbers). The index keeps
only its prose and the rows of the sheets kept. Written with inline strings, so
the cut is small and its shared strings are not needed.
"""
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
KEEP = {  # sheet number in the index -> rows kept (None: all)
    0: None,   # 一覧, the index
    2: 40,     # タリバーン関係者等: the header and 38 rows, removed ones among them
    8: None,   # 【解除】リベリア, repealed as a whole
    21: None,  # ソマリア
    32: None,  # ベラルーシ(団体(特定銀行を除く))
}


def text(si):
    parts = []
    for ch in si:
        tag = ch.tag.split("}")[1]
        if tag == "t":
            parts.append(ch.text or "")
        elif tag == "r":
            parts.extend(x.text or "" for x in ch.iter("{%s}t" % M))
    return "".join(parts)


def main(src, dst):
    z = zipfile.ZipFile(src)
    ss = [text(si) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("{%s}si" % M)]
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))}
    sheets = [(s.get("name"), "xl/" + rels[s.get("{%s}id" % R)])
              for s in ET.fromstring(z.read("xl/workbook.xml")).find("{%s}sheets" % M)]
    kept = [(i, n, p) for i, (n, p) in enumerate(sheets) if i in KEEP]
    numbers = {str(i) for i, _, _ in kept if i != 0}
    zf = zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED)

    class out:  # fixed times: the same input gives the same bytes
        @staticmethod
        def writestr(name, data):
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)

        @staticmethod
        def close():
            zf.close()
    for k, (i, name, part) in enumerate(kept):
        rows = []
        for row in ET.fromstring(z.read(part)).iter("{%s}row" % M):
            r = int(row.get("r"))
            if KEEP[i] is not None and r > KEEP[i]:
                break
            cells = []
            for c in row.findall("{%s}c" % M):
                t, v = c.get("t"), c.find("{%s}v" % M)
                ref = c.get("r")
                if t == "s":
                    cells.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                                 % (ref, escape(ss[int(v.text)])))
                elif t == "inlineStr":
                    cells.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>'
                                 % (ref, escape("".join(x.text or "" for x in c.iter("{%s}t" % M)))))
                elif v is not None:
                    cells.append('<c r="%s"><v>%s</v></c>' % (ref, escape(v.text or "")))
            if i == 0 and cells:
                a = re.search(r"<v>(\d+)</v>", cells[0])
                if a and a.group(1) not in numbers:
                    continue  # an index row of a sheet not kept
            rows.append('<row r="%d">%s</row>' % (r, "".join(cells)))
        out.writestr("xl/worksheets/sheet%d.xml" % (k + 1),
                     '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="%s"><sheetData>%s'
                     "</sheetData></worksheet>" % (M, "".join(rows)))
    out.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="%s" '
                 'xmlns:r="%s"><sheets>%s</sheets></workbook>' % (M, R, "".join(
                     '<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (escape(n), k + 1, k + 1)
                     for k, (_, n, _) in enumerate(kept))))
    out.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships '
                 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
                 % "".join('<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>'
                           % (k + 1, R, k + 1) for k in range(len(kept))))
    out.close()


if __name__ == "__main__":
    if len(sys.argv) > 3:
        KEEP = {}
        for a in sys.argv[3:]:
            n, _, rows = a.partition(":")
            KEEP[int(n)] = int(rows) if rows else None
    main(sys.argv[1], sys.argv[2])
