/* SPDX-License-Identifier: MIT */
/*
 * Reading the first worksheet of an Excel workbook (.xlsx: a zip of XML
 * parts) into CSV text, which the sheet reader then takes like any CSV.
 * The only user of libzip and libxml2. Every part is bounded in size before
 * it is inflated (a zip bomb is an error, not an exhausted machine), XML is
 * parsed without network access or entity expansion, and a cell that the
 * format cannot hold as text (an error value) is refused with its address.
 */
#include "xlsx/xlsx_in.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

typedef struct strings {
    char **items;
    size_t n, cap;
} strings;

static void strings_free(strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        tts_free(s->items[i]);
    tts_free(s->items);
}

/* A part of the archive, bounded and NUL-terminated; NULL with *missing when absent. */
static char *read_part(zip_t *z, const char *name, size_t *len, int *missing, const char *file,
                       tts_error *err)
{
    zip_stat_t st;
    zip_file_t *f;
    char *buf;
    zip_int64_t got;
    *missing = 0;
    zip_stat_init(&st);
    if (zip_stat(z, name, 0, &st) != 0) {
        *missing = 1;
        return NULL;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > (zip_uint64_t)TTS_SHEET_MAX_BYTES) {
        tts_err_set(err, TTS_ERR_LIMIT, "%s: %s inflates to more than %ld bytes (TTS_SHEET_MAX_BYTES)",
                    file, name, (long)TTS_SHEET_MAX_BYTES);
        return NULL;
    }
    if ((buf = tts_malloc((size_t)st.size + 1)) == NULL) {
        tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
        return NULL;
    }
    if ((f = zip_fopen(z, name, 0)) == NULL ||
        (got = zip_fread(f, buf, st.size)) < 0 || (zip_uint64_t)got != st.size) {
        if (f != NULL)
            zip_fclose(f);
        tts_free(buf);
        tts_err_set(err, TTS_ERR_IO, "%s: %s: damaged workbook part", file, name);
        return NULL;
    }
    zip_fclose(f);
    buf[st.size] = '\0';
    *len = (size_t)st.size;
    return buf;
}

static xmlDocPtr parse_xml(const char *data, size_t len, const char *file, const char *part,
                           tts_error *err)
{
    xmlDocPtr d;
    if (len > (size_t)0x7fffffff) {
        tts_err_set(err, TTS_ERR_LIMIT, "%s: %s is too large", file, part);
        return NULL;
    }
    d = xmlReadMemory(data, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                       XML_PARSE_NOWARNING);
    if (d == NULL)
        tts_err_set(err, TTS_ERR_SYNTAX, "%s: %s: not well-formed XML", file, part);
    return d;
}

static int is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text of every <t> below n, in order (rich text runs joined). */
static void text_of(const xmlNode *n, tts_buf *b)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (is(c, "rPh"))
            continue; /* phonetic guides (furigana) are not part of the cell's text */
        if (is(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t != NULL) {
                tts_buf_puts(b, (const char *)t);
                xmlFree(t);
            }
        } else if (c->type == XML_ELEMENT_NODE) {
            text_of(c, b);
        }
    }
}

static tts_status shared_strings(zip_t *z, strings *out, const char *file, tts_error *err)
{
    size_t len = 0;
    int missing = 0;
    char *data = read_part(z, "xl/sharedStrings.xml", &len, &missing, file, err);
    xmlDocPtr d;
    tts_status rc = TTS_OK;
    if (data == NULL)
        return missing ? TTS_OK : err->status;
    d = parse_xml(data, len, file, "xl/sharedStrings.xml", err);
    tts_free(data);
    if (d == NULL)
        return err->status;
    for (xmlNode *si = xmlDocGetRootElement(d)->children; si != NULL && rc == TTS_OK;
         si = si->next) {
        tts_buf b = TTS_BUF_INIT;
        if (!is(si, "si"))
            continue;
        text_of(si, &b);
        tts_buf_putc(&b, '\0');
        if (!tts_grow(&out->items, &out->cap, out->n + 1, sizeof(*out->items))) {
            tts_buf_free(&b);
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
            break;
        }
        if (tts_buf_failed(&b)) {
            tts_buf_free(&b);
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
            break;
        }
        out->items[out->n++] = tts_buf_steal(&b, NULL);
    }
    xmlFreeDoc(d);
    return rc;
}

/* The part name of the first worksheet: workbook order, resolved through its relationships. */
static tts_status first_sheet(zip_t *z, char *part, size_t cap, const char *file, tts_error *err)
{
    size_t len = 0;
    int missing = 0;
    char *wb = read_part(z, "xl/workbook.xml", &len, &missing, file, err), *rels;
    xmlDocPtr d;
    xmlChar *rid = NULL;
    if (wb == NULL)
        return missing ? tts_err_set(err, TTS_ERR_ARG, "%s: not an Excel workbook (no "
                                     "xl/workbook.xml)", file)
                       : err->status;
    d = parse_xml(wb, len, file, "xl/workbook.xml", err);
    tts_free(wb);
    if (d == NULL)
        return err->status;
    for (xmlNode *n = xmlDocGetRootElement(d)->children; n != NULL && rid == NULL; n = n->next)
        if (is(n, "sheets"))
            for (xmlNode *s = n->children; s != NULL && rid == NULL; s = s->next)
                if (is(s, "sheet"))
                    rid = xmlGetNsProp(s, (const xmlChar *)"id",
                                       (const xmlChar *)"http://schemas.openxmlformats.org/"
                                                        "officeDocument/2006/relationships");
    xmlFreeDoc(d);
    if (rid == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "%s: the workbook has no worksheet", file);
    rels = read_part(z, "xl/_rels/workbook.xml.rels", &len, &missing, file, err);
    if (rels == NULL) {
        xmlFree(rid);
        return missing ? tts_err_set(err, TTS_ERR_ARG, "%s: no workbook relationships", file)
                       : err->status;
    }
    d = parse_xml(rels, len, file, "xl/_rels/workbook.xml.rels", err);
    tts_free(rels);
    part[0] = '\0';
    for (xmlNode *n = d != NULL ? xmlDocGetRootElement(d)->children : NULL; n != NULL;
         n = n->next) {
        xmlChar *id, *target;
        if (!is(n, "Relationship"))
            continue;
        id = xmlGetProp(n, (const xmlChar *)"Id");
        target = xmlGetProp(n, (const xmlChar *)"Target");
        if (id != NULL && target != NULL && xmlStrcmp(id, rid) == 0)
            snprintf(part, cap, "%s%s", target[0] == '/' ? "" : "xl/",
                     (const char *)target + (target[0] == '/'));
        xmlFree(id);
        xmlFree(target);
    }
    xmlFree(rid);
    if (d == NULL)
        return err->status;
    xmlFreeDoc(d);
    if (part[0] == '\0')
        return tts_err_set(err, TTS_ERR_ARG, "%s: the first worksheet's part is not named", file);
    return TTS_OK;
}

/* Column number (0-based) of a cell reference such as "AB12"; -1 when it is not one. */
static long column_of(const char *ref)
{
    long c = 0;
    int n = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
        c = c * 26 + (*ref - 'A' + 1);
    return n == 0 || n == 4 || c > TTS_SHEET_MAX_COLUMNS ? -1 : c - 1;
}

static void csv_cell(tts_buf *b, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        tts_buf_puts(b, s);
        return;
    }
    tts_buf_putc(b, '"');
    for (; *s != '\0'; s++) {
        if (*s == '"')
            tts_buf_putc(b, '"');
        tts_buf_putc(b, *s);
    }
    tts_buf_putc(b, '"');
}

/* One <c> cell's text into b; an error value or an unknown shared string is an error. */
static tts_status cell_text(const xmlNode *c, const strings *ss, tts_buf *b, const char *file,
                            tts_error *err)
{
    xmlChar *t = xmlGetProp(c, (const xmlChar *)"t"), *ref = xmlGetProp(c, (const xmlChar *)"r");
    tts_status rc = TTS_OK;
    if (t != NULL && xmlStrcmp(t, (const xmlChar *)"inlineStr") == 0) {
        text_of(c, b);
    } else {
        for (const xmlNode *v = c->children; v != NULL; v = v->next) {
            xmlChar *x;
            if (!is(v, "v"))
                continue;
            x = xmlNodeGetContent(v);
            if (t != NULL && xmlStrcmp(t, (const xmlChar *)"s") == 0) {
                char *end = NULL;
                unsigned long i = x != NULL ? strtoul((const char *)x, &end, 10) : 0;
                if (x == NULL || end == (char *)x || *end != '\0' || i >= ss->n)
                    rc = tts_err_set(err, TTS_ERR_SYNTAX,
                                     "%s: cell %s: no shared string %s", file,
                                     ref ? (const char *)ref : "?", x ? (const char *)x : "");
                else
                    tts_buf_puts(b, ss->items[i]);
            } else if (t != NULL && xmlStrcmp(t, (const xmlChar *)"e") == 0) {
                rc = tts_err_set(err, TTS_ERR_ARG, "%s: cell %s holds the error value %s",
                                 file, ref ? (const char *)ref : "?", x ? (const char *)x : "");
            } else if (t != NULL && xmlStrcmp(t, (const xmlChar *)"b") == 0) {
                tts_buf_puts(b, x != NULL && x[0] == '1' ? "TRUE" : "FALSE");
            } else if (x != NULL) {
                tts_buf_puts(b, (const char *)x); /* a number or a formula's text, as stored */
            }
            xmlFree(x);
        }
    }
    xmlFree(t);
    xmlFree(ref);
    return rc;
}

/* The sheet's rows as CSV text; a missing row becomes a blank line, so row numbers agree. */
static tts_status sheet_csv(const xmlNode *root, const strings *ss, tts_buf *out,
                            const char *file, tts_error *err)
{
    long next_row = 1;
    for (const xmlNode *sd = root->children; sd != NULL; sd = sd->next) {
        if (!is(sd, "sheetData"))
            continue;
        for (const xmlNode *row = sd->children; row != NULL; row = row->next) {
            xmlChar *r;
            long rn, col = 0;
            if (!is(row, "row"))
                continue;
            r = xmlGetProp(row, (const xmlChar *)"r");
            rn = r != NULL ? strtol((const char *)r, NULL, 10) : next_row;
            xmlFree(r);
            if (rn < next_row || rn > 1048576)
                return tts_err_set(err, TTS_ERR_SYNTAX, "%s: row %ld out of order", file, rn);
            for (; next_row < rn; next_row++)
                tts_buf_puts(out, "\n");
            for (const xmlNode *c = row->children; c != NULL; c = c->next) {
                tts_buf cell = TTS_BUF_INIT;
                xmlChar *ref;
                long cn;
                tts_status rc;
                if (!is(c, "c"))
                    continue;
                ref = xmlGetProp(c, (const xmlChar *)"r");
                cn = ref != NULL ? column_of((const char *)ref) : col;
                xmlFree(ref);
                if (cn < col)
                    return tts_err_set(err, TTS_ERR_SYNTAX,
                                       "%s: row %ld: a cell out of order or past column %d",
                                       file, rn, TTS_SHEET_MAX_COLUMNS);
                for (; col < cn; col++)
                    tts_buf_putc(out, ',');
                rc = cell_text(c, ss, &cell, file, err);
                tts_buf_putc(&cell, '\0');
                if (rc == TTS_OK && !tts_buf_failed(&cell))
                    csv_cell(out, cell.data);
                tts_buf_free(&cell);
                if (rc != TTS_OK)
                    return rc;
                tts_buf_putc(out, ',');
                col++;
            }
            if (col > 0)
                out->len--; /* the last separator */
            tts_buf_putc(out, '\n');
            next_row = rn + 1;
        }
    }
    return tts_buf_failed(out) ? tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file)
                               : TTS_OK;
}

tts_status tts_xlsx_to_csv(const char *path, const char *file, char **out, size_t *len,
                           tts_error *err)
{
    int zerr = 0, missing = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    strings ss = {NULL, 0, 0};
    char part[256], *data = NULL;
    size_t dlen = 0;
    xmlDocPtr d = NULL;
    tts_buf b = TTS_BUF_INIT;
    tts_status rc;

    *out = NULL;
    if (z == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "%s: not an Excel workbook (not a zip archive)", file);
    rc = first_sheet(z, part, sizeof(part), file, err);
    if (rc == TTS_OK)
        rc = shared_strings(z, &ss, file, err);
    if (rc == TTS_OK && (data = read_part(z, part, &dlen, &missing, file, err)) == NULL)
        rc = missing ? tts_err_set(err, TTS_ERR_ARG, "%s: no worksheet part %s", file, part)
                     : err->status;
    if (rc == TTS_OK && (d = parse_xml(data, dlen, file, part, err)) == NULL)
        rc = err->status;
    if (rc == TTS_OK)
        rc = sheet_csv(xmlDocGetRootElement(d), &ss, &b, file, err);
    if (rc == TTS_OK) {
        tts_buf_putc(&b, '\0');
        if (tts_buf_failed(&b))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
        else {
            *out = tts_buf_steal(&b, len);
            (*len)--;
        }
    }
    tts_buf_free(&b);
    if (d != NULL)
        xmlFreeDoc(d);
    tts_free(data);
    strings_free(&ss);
    zip_discard(z);
    return rc;
}

void tts_xlsx_in_lib_version(char *out, size_t cap)
{
    /* libxml2 gives its version as digits: 21004 is 2.10.4 */
    long v = strtol(xmlParserVersion, NULL, 10);
    snprintf(out, cap, "libzip %s, libxml2 %ld.%ld.%ld", zip_libzip_version(), v / 10000,
             v / 100 % 100, v % 100);
}
