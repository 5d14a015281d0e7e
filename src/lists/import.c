/* SPDX-License-Identifier: MIT */
/*
 * List importers (see import.h). A small strict CSV reader (RFC 4180
 * quoting, ',' or '\t' separators, CRLF or LF, records spanning lines
 * inside quotes) feeds one function per format. Files are read whole,
 * checked for valid UTF-8 first (error with line and column), hashed, and
 * never modified. Names are normalised here, once, and stored with the
 * entry so searching never normalises list names again.
 */
#include "lists/import.h"
#include "lists/import_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/mem.h"
#include "record/model.h"
#include "lists/match/names.h"
#include "sign/ossl.h"


/* ---- file reading ------------------------------------------------- */

typedef struct file {
    const char *path;
    char *data;
    size_t len;
} file;

/* Read path whole; reject empty files, files over the limit and invalid UTF-8. */
static tts_status read_file(const char *path, file *f, tts_error *err)
{
    size_t bad = 0;
    tts_status rc;
    f->path = path;
    f->data = NULL;
    f->len = 0;
    rc = tts_fileio_read(path, (size_t)TTS_IMPORT_MAX_BYTES, 0, 0, &f->data, &f->len, err);
    if (rc != TTS_OK)
        return rc;
    if (f->len == 0) {
        tts_free(f->data);
        f->data = NULL;
        return tts_err_set(err, TTS_ERR_SYNTAX, "%s: empty list file", path);
    }
    {
        /* a NUL would end every C string that holds the field: "Evil\0Corp" read as "Evil" */
        const char *nul = memchr(f->data, '\0', f->len);
        if (nul != NULL) {
            int line = 1, colno = 1;
            for (const char *q = f->data; q < nul; q++) {
                if (*q == '\n') {
                    line++;
                    colno = 1;
                } else {
                    colno++;
                }
            }
            tts_free(f->data);
            f->data = NULL;
            tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d:%d: NUL byte (a list file is text)", path,
                        line, colno);
            tts_err_locate(err, path, line, colno);
            return TTS_ERR_SYNTAX;
        }
    }
    if (!tts_names_utf8_valid(f->data, f->len, &bad)) {
        int line = 1, colno = 1;
        for (size_t i = 0; i < bad; i++) {
            if (f->data[i] == '\n') {
                line++;
                colno = 1;
            } else {
                colno++;
            }
        }
        tts_free(f->data);
        f->data = NULL;
        tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d:%d: invalid UTF-8", path, line, colno);
        tts_err_locate(err, path, line, colno);
        return TTS_ERR_SYNTAX;
    }
    return TTS_OK;
}

/* ---- CSV ------------------------------------------------------------ */

typedef struct csv {
    const file *f;
    size_t pos;
    int line;      /* line of the next character */
    int rec_line;  /* line where the current record started */
    char sep;
    tts_buf buf;   /* unescaped fields, NUL-separated */
    size_t off[TTS_LIST_MAX_FIELDS];
    size_t n;
} csv;

static void csv_init(csv *c, const file *f, char sep)
{
    memset(c, 0, sizeof(*c));
    c->f = f;
    c->sep = sep;
    c->line = 1;
    if (f->len >= 3 && memcmp(f->data, "\xEF\xBB\xBF", 3) == 0)
        c->pos = 3;
}

static tts_status csv_fail(csv *c, int line, tts_error *err, const char *msg)
{
    tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d: %s", c->f->path, line, msg);
    tts_err_locate(err, c->f->path, line, 0);
    return TTS_ERR_SYNTAX;
}

/* Field i of the current record, NUL-terminated, OFAC's "-0-" null as "". */
static const char *fld(const csv *c, size_t i)
{
    const char *v;
    if (i >= c->n)
        return "";
    v = c->buf.data + c->off[i];
    if (strcmp(v, "-0-") == 0)
        return "";
    return v;
}

/* Parse one quoted field starting at the opening quote. */
static tts_status csv_quoted(csv *c, tts_error *err)
{
    const char *d = c->f->data;
    int start = c->line;
    c->pos++;
    for (;;) {
        if (c->pos >= c->f->len)
            return csv_fail(c, start, err, "unterminated quoted field");
        if (d[c->pos] == '"') {
            if (c->pos + 1 < c->f->len && d[c->pos + 1] == '"') {
                tts_buf_putc(&c->buf, '"');
                c->pos += 2;
                continue;
            }
            c->pos++;
            break;
        }
        if (d[c->pos] == '\n')
            c->line++;
        tts_buf_putc(&c->buf, d[c->pos++]);
    }
    while (c->pos < c->f->len && d[c->pos] == ' ')
        c->pos++;
    if (c->pos < c->f->len && d[c->pos] != c->sep && d[c->pos] != '\r' && d[c->pos] != '\n')
        return csv_fail(c, c->line, err, "unexpected character after a closing quote");
    return TTS_OK;
}

/*
 * Read the next record into c->buf / c->off. *eof = 1 when there is none.
 * Blank lines are skipped. Leading/trailing spaces of unquoted fields are
 * trimmed (OFAC writes "-0- ").
 */
static tts_status csv_next(csv *c, int *eof, tts_error *err)
{
    const char *d = c->f->data;
    size_t start;
    tts_status rc;
    *eof = 0;
    while (c->pos < c->f->len && (d[c->pos] == '\n' || d[c->pos] == '\r')) {
        if (d[c->pos] == '\n')
            c->line++;
        c->pos++;
    }
    if (c->pos >= c->f->len || (c->f->len - c->pos == 1 && d[c->pos] == 0x1a)) {
        *eof = 1;
        return TTS_OK;
    }
    tts_buf_reset(&c->buf);
    c->n = 0;
    c->rec_line = c->line;
    start = c->pos;
    for (;;) {
        size_t s, e;
        if (c->n == TTS_LIST_MAX_FIELDS)
            return csv_fail(c, c->rec_line, err,
                            "more than " TTS_STR(TTS_LIST_MAX_FIELDS) " columns (the limit)");
        c->off[c->n++] = c->buf.len;
        while (c->pos < c->f->len && d[c->pos] == ' ')
            c->pos++;
        if (c->pos < c->f->len && d[c->pos] == '"') {
            if ((rc = csv_quoted(c, err)) != TTS_OK)
                return rc;
        } else {
            s = c->pos;
            while (c->pos < c->f->len && d[c->pos] != c->sep && d[c->pos] != '\n' &&
                   d[c->pos] != '\r') {
                if (d[c->pos] == '"')
                    return csv_fail(c, c->line, err, "quote inside an unquoted field");
                c->pos++;
            }
            e = c->pos;
            while (e > s && d[e - 1] == ' ')
                e--;
            tts_buf_append(&c->buf, d + s, e - s);
        }
        tts_buf_putc(&c->buf, '\0');
        if (c->pos < c->f->len && d[c->pos] == c->sep) {
            c->pos++;
            continue;
        }
        if (c->pos < c->f->len && d[c->pos] == '\r')
            c->pos++;
        if (c->pos < c->f->len && d[c->pos] == '\n') {
            c->pos++;
            c->line++;
        }
        break;
    }
    if (c->pos - start > TTS_LIST_MAX_ROW_BYTES) {
        tts_err_set(err, TTS_ERR_LIMIT,
                    "%s:%d: row of %zu bytes is longer than the limit of %d bytes (TTS_LIST_MAX_ROW_BYTES)",
                    c->f->path, c->rec_line, c->pos - start, TTS_LIST_MAX_ROW_BYTES);
        tts_err_locate(err, c->f->path, c->rec_line, 0);
        return TTS_ERR_LIMIT;
    }
    if (tts_buf_failed(&c->buf))
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", c->f->path);
    return TTS_OK;
}

static tts_status csv_want(csv *c, size_t n, tts_error *err)
{
    char msg[96];
    if (c->n == n)
        return TTS_OK;
    snprintf(msg, sizeof(msg), "expected %zu columns, found %zu", n, c->n);
    return csv_fail(c, c->rec_line, err, msg);
}

/* ---- adding entries -------------------------------------------------- */

/* Where entries go (import_int.h); the importers below call it ctx. */
typedef tts_import_at ctx;

/* Add each ';'-separated alias of list. */
static tts_status add_aliases(ctx *x, int64_t entry, const char *list, unsigned flags,
                              tts_error *err)
{
    tts_buf one = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    const char *p = list;
    while (*p != '\0' && rc == TTS_OK) {
        size_t n = strcspn(p, ";");
        tts_buf_reset(&one);
        tts_buf_append(&one, p, n);
        if (tts_buf_failed(&one))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
        else
            rc = tts_import_name(x, entry, "aka", one.data, flags, err);
        p += n;
        if (*p == ';')
            p++;
    }
    tts_buf_free(&one);
    return rc;
}

static const char *nz(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

/* Count a warning about the current row; the first one is kept with its place. */
static void warn_row(tts_import_counts *counts, const char *path, int line, const char *what)
{
    if (counts->warnings++ == 0)
        snprintf(counts->warning, sizeof(counts->warning), "%s:%d: %s", path, line, what);
}

static int is_code(const char *s, size_t n)
{
    return n == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

/* ---- ttscreen-csv ---------------------------------------------------- */

/* Every ';'-separated code of v must be an assigned ISO 3166-1 alpha-2 country. */
static tts_status check_countries(csv *c, const char *v, tts_error *err)
{
    char code[8], msg[96];
    while (*v != '\0') {
        size_t n = strcspn(v, ";");
        if (n == 0 || n >= sizeof(code))
            goto bad;
        memcpy(code, v, n);
        code[n] = '\0';
        if (!tts_country_is_valid(code))
            goto bad;
        v += n;
        if (*v == ';')
            v++;
    }
    return TTS_OK;
bad:
    snprintf(msg, sizeof(msg), "unknown country \"%.*s\" (ISO 3166-1 alpha-2 codes, ';' between)",
             (int)(strcspn(v, ";") < 16 ? strcspn(v, ";") : 16), v);
    return csv_fail(c, c->rec_line, err, msg);
}

/* 1 when v is a real calendar day written MM/DD/YYYY (as BIS writes them). */
static int us_date_ok(const char *v)
{
    char iso[11];
    tts_date d;
    if (strlen(v) != 10 || v[2] != '/' || v[5] != '/')
        return 0;
    snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", v + 6, v, v + 3);
    return tts_date_parse(iso, &d);
}

static tts_status import_ttscreen(tts_store *s, int64_t sid, const file *f,
                                  tts_import_counts *counts, tts_error *err)
{
    static const char *const hdr[] = {"id",       "name",      "aliases",   "country",
                                      "programs", "listed_on", "source_url"};
    csv c;
    ctx x = {s, sid, counts, f->path, 0};
    tts_status rc;
    int eof;
    csv_init(&c, f, ',');
    TTS_TRY(csv_next(&c, &eof, err));
    if (eof)
        TTS_TRY(csv_fail(&c, 1, err, "no header"));
    TTS_TRY(csv_want(&c, 7, err));
    for (size_t i = 0; i < 7; i++)
        if (strcmp(fld(&c, i), hdr[i]) != 0)
            TTS_TRY(csv_fail(&c, c.rec_line, err,
                             "header must be id,name,aliases,country,programs,listed_on,"
                             "source_url"));
    for (;;) {
        tts_store_entry e;
        tts_date day;
        int64_t row;
        TTS_TRY(csv_next(&c, &eof, err));
        if (eof)
            break;
        x.line = c.rec_line;
        TTS_TRY(csv_want(&c, 7, err));
        if (fld(&c, 0)[0] == '\0')
            TTS_TRY(csv_fail(&c, c.rec_line, err, "entry without an id"));
        TTS_TRY(check_countries(&c, fld(&c, 3), err));
        if (fld(&c, 5)[0] != '\0' && !tts_date_parse(fld(&c, 5), &day))
            TTS_TRY(csv_fail(&c, c.rec_line, err,
                             "listed_on is not a date (YYYY-MM-DD, a real calendar day)"));
        memset(&e, 0, sizeof(e));
        e.entry_id = fld(&c, 0);
        e.name = fld(&c, 1);
        e.country = nz(fld(&c, 3));
        e.programs = nz(fld(&c, 4));
        e.listed_on = nz(fld(&c, 5));
        e.source_url = nz(fld(&c, 6));
        TTS_TRY(tts_import_entry(&x, &e, &row, err));
        TTS_TRY(tts_import_name(&x, row, "primary", e.name, 0, err));
        TTS_TRY(add_aliases(&x, row, fld(&c, 2), 0, err));
    }
out:
    tts_buf_free(&c.buf);
    return rc;
}

/* ---- dpl-tsv ------------------------------------------------------- */

static tts_status import_dpl(tts_store *s, int64_t sid, const file *f, tts_import_counts *counts,
                             tts_error *err)
{
    csv c;
    ctx x = {s, sid, counts, f->path, 0};
    tts_status rc;
    int eof;
    long row_no = 0;
    csv_init(&c, f, '\t');
    TTS_TRY(csv_next(&c, &eof, err));
    if (eof || c.n != 12 || strcmp(fld(&c, 0), "Name") != 0)
        TTS_TRY(csv_fail(&c, 1, err, "not a BIS Denied Persons List file (12 tab-separated "
                                     "columns starting with Name)"));
    for (;;) {
        tts_store_entry e;
        tts_buf addr = TTS_BUF_INIT;
        char id[32];
        int64_t row;
        TTS_TRY(csv_next(&c, &eof, err));
        if (eof)
            break;
        x.line = c.rec_line;
        TTS_TRY(csv_want(&c, 12, err));
        for (int k = 6; k <= 7; k++)
            if (fld(&c, (size_t)k)[0] != '\0' && !us_date_ok(fld(&c, (size_t)k)))
                TTS_TRY(csv_fail(&c, c.rec_line, err,
                                 k == 6 ? "Effective_Date is not a date (MM/DD/YYYY, a real day)"
                                        : "Expiration_Date is not a date (MM/DD/YYYY, a real day)"));
        if (fld(&c, 4)[0] != '\0' && !tts_country_is_valid(fld(&c, 4))) {
            /* BIS writes a few countries otherwise ("PRC"): kept without a country, counted */
            char what[96];
            snprintf(what, sizeof(what), "unknown country \"%.16s\": the entry has no country",
                     fld(&c, 4));
            warn_row(counts, f->path, c.rec_line, what);
        }
        snprintf(id, sizeof(id), "%ld", ++row_no);
        tts_buf_printf(&addr, "%s, %s, %s, %s, %s", fld(&c, 1), fld(&c, 2), fld(&c, 3),
                       fld(&c, 5), fld(&c, 4));
        memset(&e, 0, sizeof(e));
        e.entry_id = id;
        e.name = fld(&c, 0);
        e.type = NULL;
        e.country = tts_country_is_valid(fld(&c, 4)) ? fld(&c, 4) : NULL;
        e.programs = "DPL";
        e.listed_on = nz(fld(&c, 6));
        e.end_date = nz(fld(&c, 7));
        e.addresses = addr.data;
        e.remarks = nz(fld(&c, 11));
        e.sublist = "DPL";
        rc = tts_buf_failed(&addr) ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory")
                                   : tts_import_entry(&x, &e, &row, err);
        tts_buf_free(&addr);
        if (rc != TTS_OK)
            goto out;
        TTS_TRY(tts_import_name(&x, row, "primary", e.name, 0, err));
    }
out:
    tts_buf_free(&c.buf);
    return rc;
}

/* ---- csl-csv ------------------------------------------------------- */

enum { C_ID, C_SOURCE, C_ENTNUM, C_TYPE, C_PROGRAMS, C_NAME, C_ADDRESSES, C_START, C_END,
       C_REMARKS, C_LISTURL, C_ALT, C_CITIZEN, C_NATIONAL, C_IDS, C_COUNT };

static const char *const csl_cols[C_COUNT] = {
    "_id",     "source",          "entity_number", "type",      "programs",
    "name",    "addresses",       "start_date",    "end_date",  "remarks",
    "source_list_url", "alt_names", "citizenships", "nationalities", "ids"};

/* Country codes of a CSL row: last ", CC" of each address, citizenships, nationalities. */
static void csl_countries(const csv *c, const int *col, tts_buf *out)
{
    const char *p = col[C_ADDRESSES] >= 0 ? fld(c, (size_t)col[C_ADDRESSES]) : "";
    while (*p != '\0') {
        size_t n = strcspn(p, ";");
        const char *end = p + n, *q = end;
        while (q > p && q[-1] == ' ')
            q--;
        if (q - p >= 2 && is_code(q - 2, 2) && (q - p == 2 || q[-3] == ' ' || q[-3] == ','))
            tts_import_add_code(out, q - 2, 2);
        p = *end == ';' ? end + 1 : end;
    }
    for (int k = C_CITIZEN; k <= C_NATIONAL; k++) {
        p = col[k] >= 0 ? fld(c, (size_t)col[k]) : "";
        while (*p != '\0') {
            size_t n = strcspn(p, ";,");
            const char *s = p;
            while (*s == ' ' && n > 0) {
                s++;
                n--;
            }
            while (n > 0 && s[n - 1] == ' ')
                n--;
            if (is_code(s, n))
                tts_import_add_code(out, s, n);
            p += strcspn(p, ";,");
            if (*p != '\0')
                p++;
        }
    }
}

static tts_status csl_row(ctx *x, const csv *c, const int *col, long row_no, tts_error *err)
{
    tts_store_entry e;
    tts_buf countries = TTS_BUF_INIT;
    char id[160], sub[16];
    const char *type;
    int64_t row;
    tts_status rc;
#define COL(k) (col[k] >= 0 ? fld(c, (size_t)col[k]) : "")
    tts_import_csl_sublist(COL(C_SOURCE), sub);
    if (COL(C_ID)[0] != '\0')
        snprintf(id, sizeof(id), "%s", COL(C_ID));
    else if (COL(C_ENTNUM)[0] != '\0')
        snprintf(id, sizeof(id), "%s-%s", sub[0] != '\0' ? sub : "CSL", COL(C_ENTNUM));
    else
        snprintf(id, sizeof(id), "%s-row%ld", sub[0] != '\0' ? sub : "CSL", row_no);
    csl_countries(c, col, &countries);
    tts_buf_puts(&countries, "");
    type = COL(C_TYPE);
    memset(&e, 0, sizeof(e));
    e.entry_id = id;
    e.name = COL(C_NAME);
    e.type = nz(type);
    e.country = nz(countries.data);
    e.programs = nz(COL(C_PROGRAMS)) != NULL ? COL(C_PROGRAMS) : nz(sub);
    e.listed_on = nz(COL(C_START));
    e.end_date = nz(COL(C_END));
    e.addresses = nz(COL(C_ADDRESSES));
    e.ids = nz(COL(C_IDS));
    e.remarks = nz(COL(C_REMARKS));
    e.source_url = nz(COL(C_LISTURL));
    e.sublist = nz(sub);
    if (tts_buf_failed(&countries))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    else
        rc = tts_import_entry(x, &e, &row, err);
    tts_buf_free(&countries);
    if (rc == TTS_OK) {
        unsigned fl = strcmp(type, "Individual") == 0 ? TTS_NAME_PERSON : 0;
        rc = tts_import_name(x, row, "primary", COL(C_NAME), fl, err);
        if (rc == TTS_OK)
            rc = add_aliases(x, row, COL(C_ALT), fl, err);
    }
#undef COL
    return rc;
}

static tts_status import_csl(tts_store *s, int64_t sid, const file *f, tts_import_counts *counts,
                             tts_error *err)
{
    csv c;
    ctx x = {s, sid, counts, f->path, 0};
    tts_status rc;
    int eof, col[C_COUNT];
    size_t ncols;
    long row_no = 0;
    csv_init(&c, f, ',');
    TTS_TRY(csv_next(&c, &eof, err));
    if (eof)
        TTS_TRY(csv_fail(&c, 1, err, "no header"));
    ncols = c.n;
    for (int k = 0; k < C_COUNT; k++) {
        col[k] = -1;
        for (size_t i = 0; i < c.n; i++)
            if (strcmp(fld(&c, i), csl_cols[k]) == 0)
                col[k] = (int)i;
    }
    if (col[C_NAME] < 0 || col[C_SOURCE] < 0)
        TTS_TRY(csv_fail(&c, 1, err,
                         "not a Consolidated Screening List CSV (no 'source' and 'name' columns)"));
    for (;;) {
        TTS_TRY(csv_next(&c, &eof, err));
        if (eof)
            break;
        x.line = c.rec_line;
        TTS_TRY(csv_want(&c, ncols, err));
        TTS_TRY(csl_row(&x, &c, col, ++row_no, err));
    }
out:
    tts_buf_free(&c.buf);
    return rc;
}

/* ---- sdn-csv ------------------------------------------------------- */

typedef struct extra {
    long ent, seq;
    char *a, *b; /* alt: kind, name; add: country code or name, address */
    int line;    /* where it was read */
    int used;    /* sdn.csv has its entry */
} extra;

typedef struct extras {
    extra *v;
    size_t n, cap;
    const char *path;
} extras;

static void extras_free(extras *e)
{
    for (size_t i = 0; i < e->n; i++) {
        tts_free(e->v[i].a);
        tts_free(e->v[i].b);
    }
    tts_free(e->v);
    memset(e, 0, sizeof(*e));
}

static int cmp_extra(const void *p, const void *q)
{
    const extra *a = p, *b = q;
    if (a->ent != b->ent)
        return a->ent < b->ent ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int parse_long(const char *s, long *v)
{
    char *end;
    errno = 0;
    *v = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

static tts_status extras_push(extras *e, long ent, const char *a, const char *b, int line,
                              tts_error *err)
{
    if (!tts_grow(&e->v, &e->cap, e->n + 1, sizeof(*e->v)))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    e->v[e->n].ent = ent;
    e->v[e->n].seq = (long)e->n;
    e->v[e->n].a = tts_strdup(a);
    e->v[e->n].b = tts_strdup(b);
    e->v[e->n].line = line;
    e->v[e->n].used = 0;
    e->n++;
    if (e->v[e->n - 1].a == NULL || e->v[e->n - 1].b == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    return TTS_OK;
}

/* Read alt.csv (5 columns), add.csv (6) or sdn_comments.csv (2) into e. */
static tts_status read_extras(const file *f, size_t cols, extras *e, tts_error *err)
{
    csv c;
    tts_status rc = TTS_OK;
    int eof;
    e->path = f->path;
    csv_init(&c, f, ',');
    for (;;) {
        long ent;
        TTS_TRY(csv_next(&c, &eof, err));
        if (eof)
            break;
        TTS_TRY(csv_want(&c, cols, err));
        if (!parse_long(fld(&c, 0), &ent))
            TTS_TRY(csv_fail(&c, c.rec_line, err, "entry number is not a number"));
        if (cols == 2) {
            TTS_TRY(extras_push(e, ent, "", fld(&c, 1), c.rec_line, err));
        } else if (cols == 5) {
            TTS_TRY(extras_push(e, ent, fld(&c, 2), fld(&c, 3), c.rec_line, err));
        } else {
            tts_buf addr = TTS_BUF_INIT;
            const char *cc = tts_import_country_code(fld(&c, 4));
            tts_buf_printf(&addr, "%s%s%s%s%s", fld(&c, 2), fld(&c, 2)[0] ? ", " : "", fld(&c, 3),
                           fld(&c, 3)[0] ? ", " : "", fld(&c, 4));
            rc = tts_buf_failed(&addr)
                     ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list")
                     : extras_push(e, ent, cc != NULL ? cc : "", addr.data, c.rec_line, err);
            tts_buf_free(&addr);
            if (rc != TTS_OK)
                goto out;
        }
    }
    if (e->n > 1)
        qsort(e->v, e->n, sizeof(extra), cmp_extra);
out:
    tts_buf_free(&c.buf);
    return rc;
}

/* First index in e with ent >= want. */
static size_t extras_find(const extras *e, long want)
{
    size_t lo = 0, hi = e->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (e->v[mid].ent < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* "SDGT] [IFSR" -> "SDGT;IFSR" into b. */
static void sdn_programs(const char *p, tts_buf *b)
{
    for (; *p != '\0'; p++) {
        if (*p == ']' || *p == '[')
            continue;
        if (*p == ' ' && b->len > 0 && b->data[b->len - 1] != ';' && p[1] == '[')
            tts_buf_putc(b, ';');
        else
            tts_buf_putc(b, *p);
    }
    tts_buf_puts(b, "");
}

/*
 * sdn.csv's remarks and their continuation: OFAC cuts the remarks field at
 * 1,000 characters and publishes the rest in sdn_comments.csv (entry
 * number, remarks continued), cut mid-word, so the parts join as they are.
 */
static void sdn_remarks(const char *first, extras *more, long ent, tts_buf *b)
{
    tts_buf_puts(b, first);
    for (size_t i = extras_find(more, ent); i < more->n && more->v[i].ent == ent; i++) {
        more->v[i].used = 1;
        tts_buf_puts(b, more->v[i].b);
    }
    tts_buf_puts(b, "");
}

static tts_status sdn_row(ctx *x, const csv *c, extras *alt, extras *add, extras *more,
                          tts_error *err)
{
    tts_store_entry e;
    tts_buf prog = TTS_BUF_INIT, addrs = TTS_BUF_INIT, cc = TTS_BUF_INIT, rem = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    long ent;
    int64_t row;
    const char *type = fld(c, 2);
    unsigned fl = strcmp(type, "individual") == 0 ? TTS_NAME_PERSON : 0;
    if (!parse_long(fld(c, 0), &ent)) {
        tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d: entry number is not a number", x->path, x->line);
        tts_err_locate(err, x->path, x->line, 0);
        return TTS_ERR_SYNTAX;
    }
    sdn_programs(fld(c, 3), &prog);
    for (size_t i = extras_find(add, ent); i < add->n && add->v[i].ent == ent; i++) {
        add->v[i].used = 1;
        if (addrs.len > 0)
            tts_buf_puts(&addrs, "; ");
        tts_buf_puts(&addrs, add->v[i].b);
        if (add->v[i].a[0] != '\0')
            tts_import_add_code(&cc, add->v[i].a, 2);
    }
    tts_buf_puts(&addrs, "");
    tts_buf_puts(&cc, "");
    memset(&e, 0, sizeof(e));
    e.entry_id = fld(c, 0);
    e.name = fld(c, 1);
    e.type = type[0] != '\0' ? type : "entity";
    e.country = nz(cc.data);
    e.programs = nz(prog.data);
    e.addresses = nz(addrs.data);
    sdn_remarks(fld(c, 11), more, ent, &rem);
    e.remarks = nz(rem.data);
    e.sublist = "SDN";
    if (tts_buf_failed(&prog) || tts_buf_failed(&addrs) || tts_buf_failed(&cc) ||
        tts_buf_failed(&rem))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list"));
    TTS_TRY(tts_import_entry(x, &e, &row, err));
    TTS_TRY(tts_import_name(x, row, "primary", e.name, fl, err));
    for (size_t i = extras_find(alt, ent); i < alt->n && alt->v[i].ent == ent; i++) {
        alt->v[i].used = 1;
        TTS_TRY(tts_import_name(x, row, alt->v[i].a[0] != '\0' ? alt->v[i].a : "aka",
                                  alt->v[i].b, fl, err));
    }
out:
    tts_buf_free(&prog);
    tts_buf_free(&addrs);
    tts_buf_free(&cc);
    tts_buf_free(&rem);
    return rc;
}

/*
 * alt.csv and add.csv rows whose entity sdn.csv does not list: reported
 * (counted, the first by file and line), not imported. OFAC's published
 * files carry such rows (the 2025 files: aliases and addresses of entries
 * removed from sdn.csv), so they warn instead of failing the import.
 */
static void orphans(const extras *e, const char *what, tts_import_counts *counts)
{
    for (size_t i = 0; i < e->n; i++) {
        char msg[120];
        if (e->v[i].used)
            continue;
        snprintf(msg, sizeof(msg), "%s of entity %ld, which sdn.csv does not list: not imported",
                 what, e->v[i].ent);
        warn_row(counts, e->path, e->v[i].line, msg);
    }
}

/* Columns of a file's first record (0 when empty). */
static size_t first_cols(const file *f, tts_error *err, tts_status *rc)
{
    csv c;
    int eof = 0;
    size_t n = 0;
    csv_init(&c, f, ',');
    *rc = csv_next(&c, &eof, err);
    if (*rc == TTS_OK && !eof)
        n = c.n;
    tts_buf_free(&c.buf);
    return n;
}

static tts_status import_sdn(tts_store *s, int64_t sid, const file *fs, size_t n_files,
                             tts_import_counts *counts, tts_error *err)
{
    extras alt = {NULL, 0, 0, NULL}, add = {NULL, 0, 0, NULL}, more = {NULL, 0, 0, NULL};
    const file *main_file = NULL;
    tts_status rc = TTS_OK;
    csv c;
    int eof;
    ctx x = {s, sid, counts, NULL, 0};
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < n_files; i++) {
        size_t cols = first_cols(&fs[i], err, &rc);
        if (rc != TTS_OK)
            goto out;
        if (cols == 12 && main_file == NULL)
            main_file = &fs[i];
        else if (cols == 5 && alt.n == 0)
            TTS_TRY(read_extras(&fs[i], 5, &alt, err));
        else if (cols == 6 && add.n == 0)
            TTS_TRY(read_extras(&fs[i], 6, &add, err));
        else if (cols == 2 && more.n == 0)
            TTS_TRY(read_extras(&fs[i], 2, &more, err));
        else
            TTS_FAIL(tts_err_set(err, TTS_ERR_SYNTAX,
                                "%s:1: not an OFAC sdn.csv (12 columns), alt.csv (5), add.csv "
                                "(6) or sdn_comments.csv (2): found %zu columns",
                                fs[i].path, cols));
    }
    if (main_file == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_ARG, "sdn-csv needs the sdn.csv file (12 columns)"));
    x.path = main_file->path;
    csv_init(&c, main_file, ',');
    for (;;) {
        TTS_TRY(csv_next(&c, &eof, err));
        if (eof)
            break;
        x.line = c.rec_line;
        TTS_TRY(csv_want(&c, 12, err));
        TTS_TRY(sdn_row(&x, &c, &alt, &add, &more, err));
    }
    orphans(&alt, "alias", counts);
    orphans(&add, "address", counts);
    orphans(&more, "remarks continued", counts);
out:
    tts_buf_free(&c.buf);
    extras_free(&alt);
    extras_free(&add);
    extras_free(&more);
    return rc;
}

/* ---- entry point --------------------------------------------------- */

/* The formats read as text files, by name. */
static tts_status import_text(tts_store *s, int64_t source_id, const char *format, const file *fs,
                              size_t n_files, tts_import_counts *counts, tts_error *err)
{
    if (strcmp(format, "sdn-csv") == 0)
        return import_sdn(s, source_id, fs, n_files, counts, err);
    if (strcmp(format, "csl-csv") == 0)
        return import_csl(s, source_id, &fs[0], counts, err);
    if (strcmp(format, "dpl-tsv") == 0)
        return import_dpl(s, source_id, &fs[0], counts, err);
    if (strcmp(format, "csl-json") == 0) {
        tts_import_at at = {s, source_id, counts, fs[0].path, 0};
        return tts_import_csl_json(&at, fs[0].data, fs[0].len, err);
    }
    return import_ttscreen(s, source_id, &fs[0], counts, err);
}

int tts_import_format_known(const char *format)
{
    return strcmp(format, "csl-csv") == 0 || strcmp(format, "sdn-csv") == 0 ||
           strcmp(format, "dpl-tsv") == 0 || strcmp(format, "ttscreen-csv") == 0 ||
           strcmp(format, "csl-json") == 0 || strcmp(format, "mof-xlsx") == 0;
}

tts_status tts_import_files(tts_store *s, int64_t source_id, const char *format,
                            const char *const *files, size_t n_files, tts_import_counts *counts,
                            tts_error *err)
{
    file fs[4];
    size_t nread = 0;
    memset(fs, 0, sizeof(fs));
    tts_status rc = TTS_OK;
    tts_sha256 *h = NULL;
    {
        /* the caller's progress callback survives the reset */
        void (*progress)(void *, long) = counts->progress;
        void *user = counts->progress_user;
        memset(counts, 0, sizeof(*counts));
        counts->progress = progress;
        counts->progress_user = user;
    }
    if (!tts_import_format_known(format))
        return tts_err_set(err, TTS_ERR_ARG,
                           "unknown list format '%s' (csl-csv, csl-json, sdn-csv, dpl-tsv, "
                           "ttscreen-csv, mof-xlsx)",
                           format);
    if (n_files == 0 || n_files > (strcmp(format, "sdn-csv") == 0 ? 4u : 1u))
        return tts_err_set(err, TTS_ERR_ARG, "format %s takes %s", format,
                           strcmp(format, "sdn-csv") == 0 ? "sdn.csv and optionally alt.csv, "
                                                            "add.csv, sdn_comments.csv"
                                                          : "exactly one file");
    h = tts_sha256_new();
    if (h == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "cannot start a SHA-256 hash");
    if (strcmp(format, "mof-xlsx") == 0) {
        /* a workbook is a zip archive, not text: hashed as it is, read by xlsx/ */
        tts_import_at at = {s, source_id, counts, files[0], 0};
        TTS_TRY(tts_fileio_read(files[0], (size_t)TTS_IMPORT_MAX_BYTES, 0, 0, &fs[0].data,
                                &fs[0].len, err));
        TTS_TRY(tts_sha256_update(h, fs[0].data, fs[0].len));
        rc = tts_import_mof_xlsx(&at, files[0], err);
    } else {
        for (; nread < n_files; nread++) {
            TTS_TRY(read_file(files[nread], &fs[nread], err));
            TTS_TRY(tts_sha256_update(h, fs[nread].data, fs[nread].len));
        }
        rc = import_text(s, source_id, format, fs, n_files, counts, err);
    }
    if (rc == TTS_OK && counts->entries == 0)
        rc = tts_err_set(err, TTS_ERR_SYNTAX, "%s: no entries", files[0]);
    if (rc == TTS_OK) {
        rc = tts_sha256_final(h, counts->sha256);
        h = NULL;
        if (rc != TTS_OK)
            tts_err_set(err, rc, "cannot finish a SHA-256 hash");
    }
out:
    tts_sha256_free(h);
    for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
        tts_free(fs[i].data);
    return rc;
}
