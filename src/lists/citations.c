/* SPDX-License-Identifier: MIT */
/* The list-citations table (citations.h): parsed once, read by every lookup. */
#include "lists/citations.h"

#include <pthread.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

/* The text of data/list-citations.tsv, built in by the Makefile ($(B)/gen/list_citations.c). */
const char *tts_list_citations_text(size_t *len /* OUT */);

#define CT_MAX 512 /* rows in the table */

typedef struct crow {
    const char *source, *sublist, *program, *citation; /* NUL-terminated, in the table's copy */
    int line;
} crow;

typedef struct ctable {
    crow r[CT_MAX];
    size_t n;
    char *text; /* the table's text with its TABs and newlines made NULs */
} ctable;

static ctable table;
static int table_state; /* 0 not parsed, 1 ready, -1 broken; under table_lock */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static tts_status row_fail(tts_error *err, int line, const char *msg)
{
    tts_err_set(err, TTS_ERR_SYNTAX, "list-citations.tsv:%d: %s", line, msg);
    tts_err_locate(err, "list-citations.tsv", line, 0);
    return TTS_ERR_SYNTAX;
}

/* Parse text (n bytes) into t, which takes a copy of it. */
static tts_status parse_table(ctable *t, const char *text, size_t n, tts_error *err)
{
    size_t i = 0;
    int line = 0;
    memset(t, 0, sizeof(*t));
    if ((t->text = tts_malloc(n + 1)) == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading list-citations.tsv");
    memcpy(t->text, text, n);
    t->text[n] = '\0';
    while (i < n) {
        char *s = t->text + i, *nl = memchr(s, '\n', n - i), *f[4];
        size_t l = nl != NULL ? (size_t)(nl - s) : n - i, k = 0;
        i += l + (nl != NULL);
        line++;
        s[l] = '\0';
        if (l > 0 && s[l - 1] == '\r')
            s[--l] = '\0';
        if (l == 0 || s[0] == '#')
            continue;
        if (memchr(s, '\r', l) != NULL)
            return row_fail(err, line, "a carriage return inside the row");
        f[k++] = s;
        for (char *p = s; *p != '\0'; p++)
            if (*p == '\t') {
                if (k == 4)
                    return row_fail(err, line, "more than 4 fields (source, sublist, program, "
                                               "citation separated by tabs)");
                *p = '\0';
                f[k++] = p + 1;
            }
        if (k != 4)
            return row_fail(err, line,
                            "expected source, sublist, program and citation separated by tabs");
        for (size_t j = 0; j < 4; j++)
            if (f[j][0] == '\0')
                return row_fail(err, line, "an empty field");
        if (t->n == CT_MAX)
            return row_fail(err, line, "more than 512 rows (CT_MAX)");
        t->r[t->n].source = f[0];
        t->r[t->n].sublist = f[1];
        t->r[t->n].program = f[2];
        t->r[t->n].citation = f[3];
        t->r[t->n].line = line;
        t->n++;
    }
    return TTS_OK;
}

tts_status tts_citations_check(const char *text, size_t len, size_t *n_rows, tts_error *err)
{
    ctable *t = tts_calloc(1, sizeof(*t));
    tts_status rc;
    if (t == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading list-citations.tsv");
    rc = parse_table(t, text, len, err);
    if (rc == TTS_OK && n_rows != NULL)
        *n_rows = t->n;
    tts_free(t->text);
    tts_free(t);
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
        if (parse_table(&table, text, len, &perr) == TTS_OK) {
            table_state = 1;
        } else {
            tts_free(table.text);
            memset(&table, 0, sizeof(table));
            table_state = -1;
        }
    }
    if (table_state == 1)
        t = &table;
    pthread_mutex_unlock(&table_lock);
    if (t == NULL)
        tts_err_set(err, TTS_ERR_INTERNAL,
                    "the built-in list-citations.tsv does not parse (rebuild the library)");
    return t;
}

/* Row r is for this source and sub-list ("" when none). */
static int row_fits(const crow *r, const char *source, const char *sublist)
{
    if (strcmp(r->source, source) != 0)
        return 0;
    if (strcmp(r->sublist, "*") == 0)
        return 1;
    if (sublist[0] == '\0')
        return strcmp(r->sublist, "-") == 0;
    return strcmp(r->sublist, sublist) == 0;
}

/* Append citation c to b unless it is there already ("; " between). */
static void add_once(tts_buf *b, const char *c)
{
    size_t n = strlen(c);
    for (const char *p = b->data; p != NULL && (p = strstr(p, c)) != NULL; p += n)
        if ((p == b->data || (p >= b->data + 2 && p[-2] == ';' && p[-1] == ' ')) &&
            (p[n] == '\0' || (p[n] == ';' && p[n + 1] == ' ')))
            return;
    if (b->len > 0)
        tts_buf_puts(b, "; ");
    tts_buf_append(b, c, n);
}

tts_status tts_citations_for(const char *source, const char *sublist, const char *programs,
                             char **out, tts_error *err)
{
    const ctable *t;
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
            if (strcmp(t->r[i].program, "*") != 0 && strlen(t->r[i].program) == m &&
                memcmp(t->r[i].program, q, m) == 0 && row_fits(&t->r[i], source, sublist)) {
                add_once(&b, t->r[i].citation);
                break;
            }
        p += n;
        if (*p == ';')
            p++;
    }
    if (b.len == 0)
        for (size_t i = 0; i < t->n; i++)
            if (strcmp(t->r[i].program, "*") == 0 && row_fits(&t->r[i], source, sublist)) {
                add_once(&b, t->r[i].citation);
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
