/* SPDX-License-Identifier: MIT */
/*
 * Reading an Excel workbook (.xlsx: a zip of XML parts): every worksheet by
 * name, as rows of cells (a list importer reads workbooks of many sheets),
 * and the first worksheet as CSV text, which the sheet reader then takes
 * like any CSV. The only user of libzip and libxml2. Every part is bounded in size before
 * it is inflated (a zip bomb is an error, not an exhausted machine), XML is
 * parsed without network access or entity expansion, and a cell that the
 * format cannot hold as text (an error value) is refused with its address.
 */
#include "xlsx/xlsx_in.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/buf.h"
#include "util/dl.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

/*
 * libzip and libxml2 are loaded when a workbook is first opened, not linked:
 * with the libraries they bring (zlib, bzip2, lzma, ICU's data) they cost
 * every process start-up, and most (screen, search, cases) never read a
 * workbook. The functions used, resolved once; a library that cannot be
 * loaded fails the opening with dlopen's reason, never silently. libxml2's
 * xmlFree is a variable holding the free function (the hook xmlMemSetup
 * sets), so its address is what is resolved, and it is read at each call.
 */
#ifndef TTS_LIBZIP_SONAME
#define TTS_LIBZIP_SONAME "libzip.so"
#endif
#ifndef TTS_LIBXML2_SONAME
#define TTS_LIBXML2_SONAME "libxml2.so"
#endif

static struct {
    zip_t *(*open_archive)(const char *path, int flags, int *errorp);
    void (*stat_init)(zip_stat_t *st);
    int (*stat_name)(zip_t *z, const char *name, zip_flags_t flags, zip_stat_t *st);
    zip_file_t *(*open_file)(zip_t *z, const char *name, zip_flags_t flags);
    zip_int64_t (*read_file)(zip_file_t *f, void *buf, zip_uint64_t n);
    int (*close_file)(zip_file_t *f);
    void (*discard)(zip_t *z);
    const char *(*version)(void);
} zip;
static struct {
    void (*init_parser)(void);
    xmlDocPtr (*read_memory)(const char *buf, int size, const char *url, const char *encoding,
                             int options);
    void (*free_doc)(xmlDocPtr d);
    xmlNodePtr (*root)(const xmlDoc *d);
    xmlChar *(*get_prop)(const xmlNode *n, const xmlChar *name);
    xmlChar *(*get_ns_prop)(const xmlNode *n, const xmlChar *name, const xmlChar *ns);
    xmlChar *(*content)(const xmlNode *n);
    int (*str_cmp)(const xmlChar *a, const xmlChar *b);
    xmlFreeFunc *free_hook;     /* the variable xmlFree */
    const char *const *version; /* the variable xmlParserVersion */
} xml;
static pthread_once_t libs_once = PTHREAD_ONCE_INIT;
static int libs_loaded;
static char libs_problem[320];

static void load_libs(void)
{
    void *lz = tts_dl_open(TTS_LIBZIP_SONAME, "libzip", libs_problem, sizeof(libs_problem));
    void *lx = lz == NULL ? NULL
                          : tts_dl_open(TTS_LIBXML2_SONAME, "libxml2", libs_problem,
                                        sizeof(libs_problem));
    if (lx == NULL)
        return; /* (a library opened stays loaded, as every other one) */
    /* each pointer has the type of what it stands for (checked, never evaluated) */
    (void)sizeof(zip.open_archive == &zip_open);
    (void)sizeof(zip.stat_init == &zip_stat_init);
    (void)sizeof(zip.stat_name == &zip_stat);
    (void)sizeof(zip.open_file == &zip_fopen);
    (void)sizeof(zip.read_file == &zip_fread);
    (void)sizeof(zip.close_file == &zip_fclose);
    (void)sizeof(zip.discard == &zip_discard);
    (void)sizeof(zip.version == &zip_libzip_version);
    (void)sizeof(xml.init_parser == &xmlInitParser);
    (void)sizeof(xml.read_memory == &xmlReadMemory);
    (void)sizeof(xml.free_doc == &xmlFreeDoc);
    (void)sizeof(xml.root == &xmlDocGetRootElement);
    (void)sizeof(xml.get_prop == &xmlGetProp);
    (void)sizeof(xml.get_ns_prop == &xmlGetNsProp);
    (void)sizeof(xml.content == &xmlNodeGetContent);
    (void)sizeof(xml.str_cmp == &xmlStrcmp);
#define LZ(field, name)                                                                        \
    tts_dl_sym(lz, "libzip", name, &zip.field, sizeof(zip.field), libs_problem,               \
               sizeof(libs_problem))
#define LX(field, name)                                                                        \
    tts_dl_sym(lx, "libxml2", name, &xml.field, sizeof(xml.field), libs_problem,              \
               sizeof(libs_problem))
    if (LZ(open_archive, "zip_open") || LZ(stat_init, "zip_stat_init") ||
        LZ(stat_name, "zip_stat") || LZ(open_file, "zip_fopen") || LZ(read_file, "zip_fread") ||
        LZ(close_file, "zip_fclose") || LZ(discard, "zip_discard") ||
        LZ(version, "zip_libzip_version") ||
        LX(init_parser, "xmlInitParser") || LX(read_memory, "xmlReadMemory") ||
        LX(free_doc, "xmlFreeDoc") || LX(root, "xmlDocGetRootElement") ||
        LX(get_prop, "xmlGetProp") || LX(get_ns_prop, "xmlGetNsProp") ||
        LX(content, "xmlNodeGetContent") || LX(str_cmp, "xmlStrcmp") ||
        LX(free_hook, "xmlFree") || LX(version, "xmlParserVersion"))
        return;
#undef LZ
#undef LX
    xml.init_parser(); /* once, before any thread parses */
    libs_loaded = 1;
}

/* libzip and libxml2 loaded, or the reason they are not as the error (about file). */
static tts_status libs_ready(const char *file, tts_error *err)
{
    pthread_once(&libs_once, load_libs);
    if (!libs_loaded)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot read the workbook: %s", file,
                           libs_problem);
    return TTS_OK;
}

/* What xmlFree does: release a string libxml2 gave (NULL too). */
static void xml_free(void *p)
{
    if (p != NULL)
        (*xml.free_hook)(p);
}

typedef struct strings {
    char **items;
    size_t n, cap;
} strings;

struct tts_xlsx {
    zip_t *z;
    char *file; /* the name in messages */
    struct {
        char *name, *part;
    } *sheets; /* workbook order */
    size_t n, cap;
    strings ss; /* the shared strings, read once */
    int date1904; /* serial day numbers count from 1904 (workbookPr date1904) */
};

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
    zip.stat_init(&st);
    if (zip.stat_name(z, name, 0, &st) != 0) {
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
    if ((f = zip.open_file(z, name, 0)) == NULL ||
        (got = zip.read_file(f, buf, st.size)) < 0 || (zip_uint64_t)got != st.size) {
        if (f != NULL)
            zip.close_file(f);
        tts_free(buf);
        tts_err_set(err, TTS_ERR_IO, "%s: %s: damaged workbook part", file, name);
        return NULL;
    }
    zip.close_file(f);
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
    d = xml.read_memory(data, (int)len, part, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
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
            xmlChar *t = xml.content(c);
            if (t != NULL) {
                tts_buf_puts(b, (const char *)t);
                xml_free(t);
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
    for (xmlNode *si = xml.root(d)->children; si != NULL && rc == TTS_OK;
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
    xml.free_doc(d);
    return rc;
}

/*
 * The workbook's worksheets in workbook order: each <sheet> of
 * xl/workbook.xml with its name, and its part resolved through
 * xl/_rels/workbook.xml.rels. A sheet whose part cannot be resolved is an
 * error naming it (a reader must not silently lose a sheet).
 */
static tts_status list_sheets(zip_t *z, tts_xlsx *x, const char *file, tts_error *err)
{
    static const xmlChar rel_ns[] =
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    size_t len = 0;
    int missing = 0;
    char *wb = read_part(z, "xl/workbook.xml", &len, &missing, file, err), *rels;
    xmlDocPtr d, r;
    xmlNode *rroot;
    tts_status rc = TTS_OK;
    if (wb == NULL)
        return missing ? tts_err_set(err, TTS_ERR_ARG, "%s: not an Excel workbook (no "
                                     "xl/workbook.xml)", file)
                       : err->status;
    d = parse_xml(wb, len, file, "xl/workbook.xml", err);
    tts_free(wb);
    if (d == NULL)
        return err->status;
    rels = read_part(z, "xl/_rels/workbook.xml.rels", &len, &missing, file, err);
    if (rels == NULL) {
        xml.free_doc(d);
        return missing ? tts_err_set(err, TTS_ERR_ARG, "%s: no workbook relationships", file)
                       : err->status;
    }
    r = parse_xml(rels, len, file, "xl/_rels/workbook.xml.rels", err);
    tts_free(rels);
    if (r == NULL) {
        xml.free_doc(d);
        return err->status;
    }
    rroot = xml.root(r);
    for (xmlNode *n = xml.root(d)->children; n != NULL && rc == TTS_OK; n = n->next) {
        if (is(n, "workbookPr")) {
            xmlChar *v = xml.get_prop(n, (const xmlChar *)"date1904");
            x->date1904 = v != NULL && (xml.str_cmp(v, (const xmlChar *)"1") == 0 ||
                                        xml.str_cmp(v, (const xmlChar *)"true") == 0);
            xml_free(v);
        }
        if (!is(n, "sheets"))
            continue;
        for (xmlNode *s = n->children; s != NULL && rc == TTS_OK; s = s->next) {
            xmlChar *rid, *name;
            char part[256];
            if (!is(s, "sheet"))
                continue;
            rid = xml.get_ns_prop(s, (const xmlChar *)"id", rel_ns);
            name = xml.get_prop(s, (const xmlChar *)"name");
            part[0] = '\0';
            for (xmlNode *e = rroot != NULL ? rroot->children : NULL; e != NULL && rid != NULL;
                 e = e->next) {
                xmlChar *id, *target;
                if (!is(e, "Relationship"))
                    continue;
                id = xml.get_prop(e, (const xmlChar *)"Id");
                target = xml.get_prop(e, (const xmlChar *)"Target");
                if (id != NULL && target != NULL && xml.str_cmp(id, rid) == 0)
                    snprintf(part, sizeof(part), "%s%s", target[0] == '/' ? "" : "xl/",
                             (const char *)target + (target[0] == '/'));
                xml_free(id);
                xml_free(target);
            }
            if (part[0] == '\0')
                rc = tts_err_set(err, TTS_ERR_ARG, "%s: sheet \"%s\": its part is not named",
                                 file, name != NULL ? (const char *)name : "?");
            else if (!tts_grow(&x->sheets, &x->cap, x->n + 1, sizeof(*x->sheets)) ||
                     (x->sheets[x->n].name = tts_strdup(name != NULL ? (const char *)name
                                                                     : "")) == NULL)
                rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
            else if ((x->sheets[x->n].part = tts_strdup(part)) == NULL) {
                tts_free(x->sheets[x->n].name);
                rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
            } else
                x->n++;
            xml_free(rid);
            xml_free(name);
        }
    }
    xml.free_doc(d);
    xml.free_doc(r);
    if (rc == TTS_OK && x->n == 0)
        rc = tts_err_set(err, TTS_ERR_ARG, "%s: the workbook has no worksheet", file);
    return rc;
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

/*
 * One <c> cell's text into b; an error value or an unknown shared string is
 * an error. *number = 1 for a cell stored as a number (no t attribute or
 * t="n"), which is how Excel stores a date (a serial day number).
 */
static tts_status cell_text(const xmlNode *c, const strings *ss, tts_buf *b, int *number,
                            const char *where, tts_error *err)
{
    xmlChar *t = xml.get_prop(c, (const xmlChar *)"t");
    xmlChar *ref = xml.get_prop(c, (const xmlChar *)"r");
    tts_status rc = TTS_OK;
    *number = t == NULL || xml.str_cmp(t, (const xmlChar *)"n") == 0;
    if (t != NULL && xml.str_cmp(t, (const xmlChar *)"inlineStr") == 0) {
        text_of(c, b);
    } else {
        for (const xmlNode *v = c->children; v != NULL; v = v->next) {
            xmlChar *x;
            if (!is(v, "v"))
                continue;
            x = xml.content(v);
            if (t != NULL && xml.str_cmp(t, (const xmlChar *)"s") == 0) {
                char *end = NULL;
                unsigned long i = x != NULL ? strtoul((const char *)x, &end, 10) : 0;
                if (x == NULL || end == (char *)x || *end != '\0' || i >= ss->n)
                    rc = tts_err_set(err, TTS_ERR_SYNTAX,
                                     "%s: cell %s: no shared string %s", where,
                                     ref ? (const char *)ref : "?", x ? (const char *)x : "");
                else
                    tts_buf_puts(b, ss->items[i]);
            } else if (t != NULL && xml.str_cmp(t, (const xmlChar *)"e") == 0) {
                rc = tts_err_set(err, TTS_ERR_ARG, "%s: cell %s holds the error value %s",
                                 where, ref ? (const char *)ref : "?", x ? (const char *)x : "");
            } else if (t != NULL && xml.str_cmp(t, (const xmlChar *)"b") == 0) {
                tts_buf_puts(b, x != NULL && x[0] == '1' ? "TRUE" : "FALSE");
            } else if (x != NULL) {
                tts_buf_puts(b, (const char *)x); /* a number or a formula's text, as stored */
            }
            xml_free(x);
        }
    }
    xml_free(t);
    xml_free(ref);
    return rc;
}

/* Append a cell to row r of sheet s (cells arrive in column order; gaps are blank). */
static tts_status put_cell(tts_xlsx_sheet *s, tts_xlsx_row *r, long col, const char *text,
                           int number)
{
    if (!tts_grow(&r->cells, &r->cap, (size_t)col + 1, sizeof(*r->cells)))
        return TTS_ERR_NOMEM;
    for (; r->n < (size_t)col; r->n++) {
        r->cells[r->n].text = "";
        r->cells[r->n].number = 0;
    }
    if ((r->cells[r->n].text = tts_arena_strdup(s->arena, text)) == NULL)
        return TTS_ERR_NOMEM;
    r->cells[r->n++].number = number;
    return TTS_OK;
}

/* The rows of a worksheet's XML (root: <worksheet>) into s; errors are named by `where`. */
static tts_status sheet_rows(const xmlNode *root, const strings *ss, tts_xlsx_sheet *s,
                             const char *where, tts_error *err)
{
    long next_row = 1;
    for (const xmlNode *sd = root->children; sd != NULL; sd = sd->next) {
        if (!is(sd, "sheetData"))
            continue;
        for (const xmlNode *row = sd->children; row != NULL; row = row->next) {
            xmlChar *r;
            long rn, col = 0;
            tts_xlsx_row *out;
            if (!is(row, "row"))
                continue;
            r = xml.get_prop(row, (const xmlChar *)"r");
            rn = r != NULL ? strtol((const char *)r, NULL, 10) : next_row;
            xml_free(r);
            if (rn < next_row || rn > 1048576)
                return tts_err_set(err, TTS_ERR_SYNTAX, "%s: row %ld out of order", where, rn);
            if (!tts_grow(&s->rows, &s->cap, s->n_rows + 1, sizeof(*s->rows)))
                return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", where);
            out = &s->rows[s->n_rows++];
            memset(out, 0, sizeof(*out));
            out->row = rn;
            for (const xmlNode *c = row->children; c != NULL; c = c->next) {
                tts_buf cell = TTS_BUF_INIT;
                xmlChar *ref;
                long cn;
                int number = 0;
                tts_status rc;
                if (!is(c, "c"))
                    continue;
                ref = xml.get_prop(c, (const xmlChar *)"r");
                cn = ref != NULL ? column_of((const char *)ref) : col;
                xml_free(ref);
                if (cn < col)
                    return tts_err_set(err, TTS_ERR_SYNTAX,
                                       "%s: row %ld: a cell out of order or past column %d",
                                       where, rn, TTS_SHEET_MAX_COLUMNS);
                rc = cell_text(c, ss, &cell, &number, where, err);
                tts_buf_putc(&cell, '\0');
                if (rc == TTS_OK && tts_buf_failed(&cell))
                    rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", where);
                if (rc == TTS_OK && put_cell(s, out, cn, cell.data, number) != TTS_OK)
                    rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", where);
                tts_buf_free(&cell);
                if (rc != TTS_OK)
                    return rc;
                col = cn + 1;
            }
            next_row = rn + 1;
        }
    }
    return TTS_OK;
}

tts_status tts_xlsx_open(const char *path, const char *file, tts_xlsx **out, tts_error *err)
{
    int zerr = 0;
    tts_xlsx *x;
    tts_status rc;
    *out = NULL;
    if ((rc = libs_ready(file, err)) != TTS_OK)
        return rc;
    if ((x = tts_calloc(1, sizeof(*x))) == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
    if ((x->file = tts_strdup(file)) == NULL) {
        tts_free(x);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file);
    }
    if ((x->z = zip.open_archive(path, ZIP_RDONLY, &zerr)) == NULL)
        rc = tts_err_set(err, TTS_ERR_ARG, "%s: not an Excel workbook (not a zip archive)", file);
    else if ((rc = list_sheets(x->z, x, file, err)) == TTS_OK)
        rc = shared_strings(x->z, &x->ss, file, err);
    if (rc != TTS_OK) {
        tts_xlsx_close(x);
        return rc;
    }
    *out = x;
    return TTS_OK;
}

void tts_xlsx_close(tts_xlsx *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; i < x->n; i++) {
        tts_free(x->sheets[i].name);
        tts_free(x->sheets[i].part);
    }
    tts_free(x->sheets);
    strings_free(&x->ss);
    if (x->z != NULL)
        zip.discard(x->z);
    tts_free(x->file);
    tts_free(x);
}

size_t tts_xlsx_sheet_count(const tts_xlsx *x)
{
    return x->n;
}

const char *tts_xlsx_sheet_name(const tts_xlsx *x, size_t i)
{
    return i < x->n ? x->sheets[i].name : NULL;
}

int tts_xlsx_date1904(const tts_xlsx *x)
{
    return x->date1904;
}

void tts_xlsx_sheet_free(tts_xlsx_sheet *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_rows; i++)
        tts_free(s->rows[i].cells);
    tts_free(s->rows);
    tts_arena_free(s->arena);
    tts_free(s);
}

/* Sheet i read with its messages named by `where`. */
static tts_status read_sheet(tts_xlsx *x, size_t i, const char *where, tts_xlsx_sheet **out,
                             tts_error *err)
{
    int missing = 0;
    size_t dlen = 0;
    char *data;
    xmlDocPtr d = NULL;
    tts_xlsx_sheet *s;
    tts_status rc = TTS_OK;
    *out = NULL;
    if ((s = tts_calloc(1, sizeof(*s))) == NULL || (s->arena = tts_arena_new()) == NULL ||
        (s->name = tts_arena_strdup(s->arena, x->sheets[i].name)) == NULL) {
        tts_xlsx_sheet_free(s);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", where);
    }
    if ((data = read_part(x->z, x->sheets[i].part, &dlen, &missing, x->file, err)) == NULL)
        rc = missing ? tts_err_set(err, TTS_ERR_ARG, "%s: no worksheet part %s", where,
                                   x->sheets[i].part)
                     : err->status;
    if (rc == TTS_OK && (d = parse_xml(data, dlen, where, x->sheets[i].part, err)) == NULL)
        rc = err->status;
    if (rc == TTS_OK)
        rc = sheet_rows(xml.root(d), &x->ss, s, where, err);
    if (d != NULL)
        xml.free_doc(d);
    tts_free(data);
    if (rc != TTS_OK) {
        tts_xlsx_sheet_free(s);
        return rc;
    }
    *out = s;
    return TTS_OK;
}

tts_status tts_xlsx_sheet_read(tts_xlsx *x, size_t i, tts_xlsx_sheet **out, tts_error *err)
{
    char where[512];
    if (i >= x->n) {
        *out = NULL;
        return tts_err_set(err, TTS_ERR_ARG, "%s: no sheet %zu", x->file, i + 1);
    }
    snprintf(where, sizeof(where), "%s: sheet \"%s\"", x->file, x->sheets[i].name);
    return read_sheet(x, i, where, out, err);
}

tts_status tts_xlsx_to_csv(const char *path, const char *file, char **out, size_t *len,
                           tts_error *err)
{
    tts_xlsx *x = NULL;
    tts_xlsx_sheet *s = NULL;
    tts_buf b = TTS_BUF_INIT;
    tts_status rc;
    long next_row = 1;

    *out = NULL;
    /* x == NULL with TTS_OK cannot happen; the test tells analysers so */
    if ((rc = tts_xlsx_open(path, file, &x, err)) != TTS_OK || x == NULL)
        goto out;
    TTS_TRY(read_sheet(x, 0, file, &s, err));
    for (size_t i = 0; i < s->n_rows; i++) {
        const tts_xlsx_row *r = &s->rows[i];
        for (; next_row < r->row; next_row++) /* a missing row is a blank line */
            tts_buf_puts(&b, "\n");
        for (size_t c = 0; c < r->n; c++) {
            if (c > 0)
                tts_buf_putc(&b, ',');
            csv_cell(&b, r->cells[c].text);
        }
        tts_buf_putc(&b, '\n');
        next_row = r->row + 1;
    }
    tts_buf_putc(&b, '\0');
    if (tts_buf_failed(&b))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", file));
    *out = tts_buf_steal(&b, len);
    (*len)--;
out:
    tts_buf_free(&b);
    tts_xlsx_sheet_free(s);
    tts_xlsx_close(x);
    return rc;
}

void tts_xlsx_in_lib_version(char *out, size_t cap)
{
    /* libxml2 gives its version as digits: 21004 is 2.10.4 */
    long v;
    pthread_once(&libs_once, load_libs);
    if (!libs_loaded) {
        snprintf(out, cap, "libzip, libxml2 not available (%s)", libs_problem);
        return;
    }
    v = strtol(*xml.version, NULL, 10);
    snprintf(out, cap, "libzip %s, libxml2 %ld.%ld.%ld", zip.version(), v / 10000,
             v / 100 % 100, v % 100);
}
