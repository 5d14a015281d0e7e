/* SPDX-License-Identifier: MIT */
/* The list-citations table (citations.h): parsed once, read by every lookup. */
#include "lists/citations.h"

#include <pthread.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/lines.h"
#include "util/mem.h"

/* The text of data/list-citations.tsv, built in by the Makefile ($(B)/gen/list_citations.c). */
const char *tts_list_citations_text(size_t *len /* OUT */);

#define CT_MAX 512 /* rows in the table */

/* A row: its four fields as spans of the table's text (not NUL-terminated). */
typedef struct crow {
    const char *f[4]; /* source, sublist, program, citation */
    size_t n[4];
    int line;
} crow;

typedef struct ctable {
    crow r[CT_MAX];
    size_t n;
} ctable;

static ctable table; /* spans of the built-in text: parsing allocates nothing */
static int table_state; /* 0 not parsed, 1 ready, -1 broken; under table_lock */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static tts_status row_fail(tts_error *err, int line, const char *msg)
{
    tts_err_set(err, TTS_ERR_SYNTAX, "list-citations.tsv:%d: %s", line, msg);
    tts_err_locate(err, "list-citations.tsv", line, 0);
    return TTS_ERR_SYNTAX;
}

/* Parse text (n bytes, which must outlive t) into t. */
static tts_status parse_table(ctable *t, const char *text, size_t n, tts_error *err)
{
    tts_lines it;
    const char *s;
    size_t l;
    memset(t, 0, sizeof(*t));
    tts_lines_init(&it, text, n);
    while (tts_lines_next(&it, &s, &l)) {
        const char *start;
        size_t k = 0;
        int line = it.line;
        crow *r = &t->r[t->n < CT_MAX ? t->n : CT_MAX - 1];
        if (memchr(s, '\r', l) != NULL)
            return row_fail(err, line, "a carriage return inside the row");
        if (t->n == CT_MAX)
            return row_fail(err, line, "more than 512 rows (CT_MAX)");
        start = s;
        for (size_t j = 0; j <= l; j++)
            if (j == l || s[j] == '\t') {
                if (k == 4)
                    return row_fail(err, line, "more than 4 fields (source, sublist, program, "
                                               "citation separated by tabs)");
                r->f[k] = start;
                r->n[k++] = (size_t)(s + j - start);
                start = s + j + 1;
            }
        if (k != 4)
            return row_fail(err, line,
                            "expected source, sublist, program and citation separated by tabs");
        for (size_t j = 0; j < 4; j++)
            if (r->n[j] == 0)
                return row_fail(err, line, "an empty field");
        r->line = line;
        t->n++;
    }
    return TTS_OK;
}

tts_status tts_citations_check(const char *text, size_t len, size_t *n_rows, tts_error *err)
{
    static ctable scratch; /* only for tests and tools: one at a time */
    static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;
    tts_status rc;
    pthread_mutex_lock(&scratch_lock);
    rc = parse_table(&scratch, text, len, err);
    if (rc == TTS_OK && n_rows != NULL)
        *n_rows = scratch.n;
    pthread_mutex_unlock(&scratch_lock);
    return rc;
}

/* The built-in table, parsed on first use; NULL with err set when it does not parse. */
static const ctable *built_in(tts_error *err)
{
    const ctable *t = NULL;
    pthread_mutex_lock(&table_lock);
    if (table_state == 0) {
        size_t len;
        const char *text = tts_list_citations_text(&len);
        tts_error perr;
        tts_error_clear(&perr);
        table_state = parse_table(&table, text, len, &perr) == TTS_OK ? 1 : -1;
    }
    if (table_state == 1)
        t = &table;
    pthread_mutex_unlock(&table_lock);
    if (t == NULL)
        tts_err_set(err, TTS_ERR_INTERNAL,
                    "the built-in list-citations.tsv does not parse (rebuild the library)");
    return t;
}

/* Field k of row r is the n bytes at s. */
static int field_is(const crow *r, int k, const char *s, size_t n)
{
    return r->n[k] == n && memcmp(r->f[k], s, n) == 0;
}

/* Row r is for this source and sub-list ("" when none). */
static int row_fits(const crow *r, const char *source, const char *sublist)
{
    if (!field_is(r, 0, source, strlen(source)))
        return 0;
    if (field_is(r, 1, "*", 1))
        return 1;
    if (sublist[0] == '\0')
        return field_is(r, 1, "-", 1);
    return field_is(r, 1, sublist, strlen(sublist));
}

/* Append the citation of row r to b unless an earlier row gave the same one. */
static void add_once(tts_buf *b, const crow **given, size_t *n_given, const crow *r)
{
    for (size_t i = 0; i < *n_given; i++)
        if (field_is(given[i], 3, r->f[3], r->n[3]))
            return;
    given[(*n_given)++] = r;
    if (b->len > 0)
        tts_buf_puts(b, "; ");
    tts_buf_append(b, r->f[3], r->n[3]);
}

tts_status tts_citations_for(const char *source, const char *sublist, const char *programs,
                             char **out, tts_error *err)
{
    const ctable *t;
    const crow *given[CT_MAX];
    size_t n_given = 0;
    tts_buf b = TTS_BUF_INIT;
    *out = NULL;
    if (source == NULL)
        return TTS_OK;
    if ((t = built_in(err)) == NULL)
        return TTS_ERR_INTERNAL;
    if (sublist == NULL)
        sublist = "";
    for (const char *p = programs; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ";");
        const char *q = p;
        size_t m = n;
        while (m > 0 && (*q == ' ' || *q == '\t'))
            q++, m--;
        while (m > 0 && (q[m - 1] == ' ' || q[m - 1] == '\t'))
            m--;
        for (size_t i = 0; m > 0 && i < t->n; i++)
            if (!field_is(&t->r[i], 2, "*", 1) && field_is(&t->r[i], 2, q, m) &&
                row_fits(&t->r[i], source, sublist)) {
                add_once(&b, given, &n_given, &t->r[i]);
                break;
            }
        p += n;
        if (*p == ';')
            p++;
    }
    if (b.len == 0)
        for (size_t i = 0; i < t->n; i++)
            if (field_is(&t->r[i], 2, "*", 1) && row_fits(&t->r[i], source, sublist)) {
                add_once(&b, given, &n_given, &t->r[i]);
                break;
            }
    if (tts_buf_failed(&b)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory finding a list citation");
    }
    if (b.len > 0 && (*out = tts_buf_steal(&b, NULL)) == NULL) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory finding a list citation");
    }
    tts_buf_free(&b);
    return TTS_OK;
}
