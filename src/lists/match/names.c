/* SPDX-License-Identifier: MIT */
/*
 * Name normalisation (see names.h): the only module that calls utf8proc.
 * The pipeline is decompose (NFKD + case fold + default-ignorables
 * removed) -> drop combining marks except kana voicing -> recompose ->
 * split into tokens on anything that is not a letter or a number, with Han,
 * kana and Hangul runs forming their own tokens -> join dotted initials ->
 * take legal forms out -> write tokens, legal forms and the glued form.
 * Everything is table driven so the list side and the query side can never
 * drift apart.
 */
#include "lists/match/names.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/lines.h"
#include "util/mem.h"
#include "lists/match/names_translit.h"


/* Traditional Chinese and Japanese shinjitai forms -> simplified, sorted by source. */
static const uint32_t han_fold[][2] = {
#include "lists/match/hanfold.inc"
};

typedef struct token {
    size_t off, len; /* bytes in the token buffer */
    int cjk;         /* Han / kana / Hangul run */
    int initials;    /* single letters joined across dots */
    int ncp;         /* code points */
    int dot_after;   /* the separator after it contained '.' */
    int legal;       /* taken out as a legal form */
    size_t strip_lo; /* cjk: bytes stripped at the start as legal forms */
    size_t strip_hi; /* cjk: bytes stripped at the end */
} token;

typedef struct tokens {
    tts_buf text; /* token bytes, back to back */
    token t[TTS_NAME_MAX_WORDS];
    size_t n;
} tokens;

int tts_names_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0 || cp < 0) {
            if (bad != NULL)
                *bad = i;
            return 0;
        }
        i += (size_t)k;
    }
    return 1;
}

static uint32_t fold_han(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(han_fold) / sizeof(han_fold[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (han_fold[mid][0] == cp)
            return han_fold[mid][1];
        if (han_fold[mid][0] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return cp;
}

static int is_kana(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF);
}

static int is_cjk(int32_t cp)
{
    return is_kana(cp) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
           (cp >= 0xAC00 && cp <= 0xD7AF) || cp == 0x3005;
}

static int is_apostrophe(int32_t cp)
{
    return cp == 0x27 || cp == 0x60 || cp == 0xB4 || cp == 0x2018 || cp == 0x2019 ||
           cp == 0x02BB || cp == 0x02BC;
}

/* ASCII letters and digits (the only ASCII code points of categories L, N, M) */
static int ascii_alnum(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static int is_mark(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0x80)
        return 0;
    c = utf8proc_category(cp);
    return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

static int is_word(int32_t cp)
{
    utf8proc_category_t c;
    if (cp < 0x80)
        return ascii_alnum(cp);
    c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_MN ||
           c == UTF8PROC_CATEGORY_MC;
}

/*
 * Decompose, fold and recompose `s` into UTF-32 (*out, caller frees with
 * tts_free, *n code points). Marks are dropped unless they follow kana, so
 * "Müller" becomes "muller" but ガ keeps its voicing.
 */
static tts_status to_utf32(const char *s, size_t len, int32_t **out, size_t *n, tts_error *err)
{
    const utf8proc_option_t opt =
        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;
    utf8proc_ssize_t cap = (utf8proc_ssize_t)len * 2 + 16, got;
    int32_t *buf = NULL;
    size_t w = 0, printable = 0;
    /*
     * Printable ASCII (most names): NFKC leaves it as it is, no code point
     * of it is default-ignorable or a mark, and case folding lowers A-Z,
     * so the code points are the bytes with A-Z lowered. The unit tests
     * compare this with the full path on the full-width forms.
     */
    while (printable < len && s[printable] >= 0x20 && s[printable] < 0x7F)
        printable++;
    if (printable == len) {
        buf = tts_malloc((len > 0 ? len : 1) * sizeof(int32_t));
        if (buf == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
        for (size_t i = 0; i < len; i++)
            buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + ('a' - 'A') : s[i];
        *out = buf;
        *n = len;
        return TTS_OK;
    }
    for (;;) {
        buf = tts_malloc((size_t)cap * sizeof(int32_t));
        if (buf == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
        got = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, buf, cap, opt);
        if (got < 0) {
            tts_free(buf);
            return tts_err_set(err, TTS_ERR_ARG, "name is not valid UTF-8: %s",
                               utf8proc_errmsg(got));
        }
        if (got <= cap)
            break;
        tts_free(buf);
        cap = got;
    }
    for (utf8proc_ssize_t i = 0; i < got; i++) {
        int32_t cp = buf[i];
        if (is_mark(cp) && !(w > 0 && (is_kana(buf[w - 1]) || is_mark(buf[w - 1]))))
            continue;
        buf[w++] = cp;
    }
    got = utf8proc_normalize_utf32(buf, (utf8proc_ssize_t)w, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (got < 0) {
        tts_free(buf);
        return tts_err_set(err, TTS_ERR_INTERNAL, "cannot recompose a name: %s",
                           utf8proc_errmsg(got));
    }
    *out = buf;
    *n = (size_t)got;
    return TTS_OK;
}

static void put_cp(tts_buf *b, int32_t cp)
{
    utf8proc_uint8_t tmp[4];
    utf8proc_ssize_t k = utf8proc_encode_char(cp, tmp);
    tts_buf_append(b, (const char *)tmp, (size_t)k);
}

/* Join single letters written with dots ("S.A.", "L.L.C.") into one token. */
static void join_initials(tokens *tk)
{
    size_t w = 0;
    for (size_t i = 0; i < tk->n; i++) {
        token *cur = &tk->t[i];
        if (w > 0 && !cur->cjk && cur->ncp == 1) {
            token *prev = &tk->t[w - 1];
            if (prev->dot_after && !prev->cjk && (prev->ncp == 1 || prev->initials) &&
                prev->off + prev->len == cur->off) {
                prev->len += cur->len;
                prev->ncp += 1;
                prev->initials = 1;
                prev->dot_after = cur->dot_after;
                continue;
            }
        }
        tk->t[w++] = *cur;
    }
    tk->n = w;
}

/*
 * Split the folded code points into tokens. Separators are written into
 * the buffer only as boundaries: tokens are back to back, so join_initials
 * can merge neighbours by extending a length.
 */
static tts_status split(const int32_t *cp, size_t n, tokens *tk, tts_error *err)
{
    int in = 0, cur_cjk = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t c = cp[i];
        int cjk;
        if (is_apostrophe(c))
            continue;
        if (!is_word(c) && !(is_mark(c) && in)) {
            if (in && c == '.')
                tk->t[tk->n - 1].dot_after = 1;
            in = 0;
            continue;
        }
        cjk = is_cjk(c);
        if (cjk)
            c = (int32_t)fold_han((uint32_t)c);
        if (!in || cjk != cur_cjk) {
            if (tk->n == TTS_NAME_MAX_WORDS)
                return tts_err_set(err, TTS_ERR_LIMIT,
                                   "name has more than %d words (TTS_NAME_MAX_WORDS)",
                                   TTS_NAME_MAX_WORDS);
            memset(&tk->t[tk->n], 0, sizeof(token));
            tk->t[tk->n].off = tk->text.len;
            tk->t[tk->n].cjk = cjk;
            tk->n++;
            in = 1;
            cur_cjk = cjk;
        }
        put_cp(&tk->text, c);
        tk->t[tk->n - 1].len = tk->text.len - tk->t[tk->n - 1].off;
        tk->t[tk->n - 1].ncp++;
    }
    if (tts_buf_failed(&tk->text))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
    return TTS_OK;
}

/* ---- Latin forms of other scripts (names_translit.c does the work) ---- */

/* Code points ICU writes for the Arabic / Hebrew ayin and hamza: dropped like apostrophes. */
static int is_latin_apostrophe(int32_t cp) { return cp == 0x02BE || cp == 0x02BF; }

/*
 * Append the words of a Latin form (UTF-8 from the transform) to tk as
 * tokens: split on anything that is not a letter or a number, apostrophes
 * dropped; join != 0 makes one token of all of it. The last token takes
 * dot_after. Every token is checked against TTS_NAME_MAX_WORDS.
 */
static tts_status add_latin(tokens *tk, const char *s, size_t n, int join, int dot_after,
                            tts_error *err)
{
    size_t i = 0;
    int in = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            return tts_err_set(err, TTS_ERR_INTERNAL, "transliteration gave invalid UTF-8");
        i += (size_t)k;
        if (is_apostrophe(c) || is_latin_apostrophe(c))
            continue;
        if (!is_word(c) && !(is_mark(c) && in)) {
            in = join ? in : 0;
            continue;
        }
        if (!in) {
            if (tk->n == TTS_NAME_MAX_WORDS)
                return tts_err_set(err, TTS_ERR_LIMIT,
                                   "name has more than %d words once transliterated "
                                   "(TTS_NAME_MAX_WORDS)",
                                   TTS_NAME_MAX_WORDS);
            memset(&tk->t[tk->n], 0, sizeof(token));
            tk->t[tk->n].off = tk->text.len;
            tk->n++;
            in = 1;
        }
        put_cp(&tk->text, c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        tk->t[tk->n - 1].len = tk->text.len - tk->t[tk->n - 1].off;
        tk->t[tk->n - 1].ncp++;
    }
    if (tk->n > 0 && in)
        tk->t[tk->n - 1].dot_after = dot_after;
    return TTS_OK;
}

/* Does the token hold a code point outside ASCII (letters ICU may map to Latin)? */
static int needs_latin(const tokens *tk, const token *t)
{
    for (size_t i = 0; i < t->len; i++)
        if ((unsigned char)tk->text.data[t->off + i] >= 0x80)
            return 1;
    return 0;
}

/*
 * Words outside Latin, Han, kana and Hangul (Cyrillic, Greek, Arabic,
 * Hebrew, Thai, ...) and Latin letters with no decomposition (ł, ø, ß)
 * are replaced by their Latin form before initials and legal forms are
 * looked at, so "ООО" is "ooo" and "Α. Παπαδόπουλος" has an initial. Han,
 * kana and Hangul runs stay as they are until their legal forms are taken
 * out (emit writes their Latin form). Builds a new token list in *out.
 */
static tts_status latin_words(const tokens *in, tokens *out, tts_error *err)
{
    tts_buf lat = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < in->n; i++) {
        const token *t = &in->t[i];
        if (t->cjk || !needs_latin(in, t)) {
            token c = *t;
            c.off = out->text.len;
            tts_buf_append(&out->text, in->text.data + t->off, t->len);
            if (out->n == TTS_NAME_MAX_WORDS)
                TTS_FAIL(tts_err_set(err, TTS_ERR_LIMIT,
                                     "name has more than %d words (TTS_NAME_MAX_WORDS)",
                                     TTS_NAME_MAX_WORDS));
            out->t[out->n++] = c;
            continue;
        }
        tts_buf_reset(&lat);
        TTS_TRY(tts_names_translit(in->text.data + t->off, t->len, &lat, err));
        if (tts_buf_failed(&lat))
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
        TTS_TRY(add_latin(out, lat.data != NULL ? lat.data : "", lat.len, 0, t->dot_after, err));
    }
    if (tts_buf_failed(&out->text))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
out:
    tts_buf_free(&lat);
    return rc;
}

/* Han code points among s[0..n) (UTF-8), and all code points. */
static void count_han(const char *s, size_t n, size_t *han, size_t *all)
{
    size_t i = 0;
    *han = *all = 0;
    while (i < n) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                              (utf8proc_ssize_t)(n - i), &c);
        if (k <= 0)
            break;
        i += (size_t)k;
        (*all)++;
        *han += is_cjk(c) && !is_kana(c) && !(c >= 0xAC00 && c <= 0xD7AF);
    }
}

/* ---- legal forms (the table is data/legal-forms.tsv, built in) ----------- */

/* The text of data/legal-forms.tsv, built in by the Makefile ($(B)/gen/legal_forms.c). */
const char *tts_legal_forms_text(size_t *len /* OUT */);
/* The same table prepared at build time by tts_names_legal_prepare ($(B)/gen/legal_prepared.c;
 * empty in the tool that prepares it). */
const char *tts_legal_forms_prepared(size_t *len /* OUT */);

#define LF_MAX 1024          /* forms in the table */
#define LF_POOL (64 * 1024)  /* bytes of their normalised words and classes */
#define LF_ANY 0             /* recognised at any word / either end of a run */
#define LF_EDGE 1            /* only as the first or last words of a name */
#define LF_TAIL 2            /* only at the end of a Han / kana / Hangul run */

typedef struct lform {
    const char *words; /* normalised words, single spaces (Latin), or the run's bytes (CJK) */
    size_t len;        /* bytes of words */
    size_t n_words;
    const char *cls; /* class recorded in tts_nname.legal */
    int where;       /* LF_ANY, LF_EDGE, LF_TAIL */
    int cjk;         /* a Han / kana / Hangul run */
    int line;        /* in the table */
} lform;

typedef struct ltable {
    lform f[LF_MAX];
    size_t n;
    char pool[LF_POOL];
    size_t used;
} ltable;

static ltable table;        /* the built-in table, parsed on first use */
static int table_ready;     /* under table_lock */
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static tts_status pre_tokens(const char *s, size_t len, tokens **out, tts_error *err);
static void tokens_free(tokens *tk);

static const char *pool_add(ltable *t, const char *s, size_t n)
{
    char *p;
    if (t->used + n + 1 > LF_POOL)
        return NULL;
    p = t->pool + t->used;
    memcpy(p, s, n);
    p[n] = '\0';
    t->used += n + 1;
    return p;
}

/* Latin forms by first word then most words first; CJK forms after them, longest first. */
static int cmp_lform(const void *a, const void *b)
{
    const lform *x = a, *y = b;
    size_t xl, yl;
    int c;
    if (x->cjk != y->cjk)
        return x->cjk - y->cjk;
    if (x->cjk) {
        if (x->len != y->len)
            return x->len < y->len ? 1 : -1;
        c = memcmp(x->words, y->words, x->len);
        return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
    }
    xl = strcspn(x->words, " ");
    yl = strcspn(y->words, " ");
    c = memcmp(x->words, y->words, xl < yl ? xl : yl);
    if (c != 0 || xl != yl)
        return c != 0 ? c : xl < yl ? -1 : 1;
    if (x->n_words != y->n_words)
        return x->n_words < y->n_words ? 1 : -1;
    c = strcmp(x->words, y->words);
    /* the same words from two rows (one class and place): in table order, so that every
       load of the table gives the same order */
    return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* An error in row `line` of the table: msg, then detail when given. */
static tts_status row_fail(tts_error *err, tts_status st, int line, const char *msg,
                           const char *detail)
{
    tts_err_set(err, st, "legal-forms.tsv:%d: %s%s%s", line, msg, detail != NULL ? ": " : "",
                detail != NULL ? detail : "");
    tts_err_locate(err, "legal-forms.tsv", line, 0);
    return st;
}

/* One row: "class TAB where TAB form". */
static tts_status parse_row(ltable *t, const char *s, size_t n, int line, tts_error *err)
{
    const char *tab1 = memchr(s, '\t', n), *tab2;
    tokens *tk = NULL;
    tts_status rc = TTS_OK;
    tts_buf w = TTS_BUF_INIT;
    tts_error ferr;
    lform *f;
    if (tab1 == NULL || (tab2 = memchr(tab1 + 1, '\t', n - (size_t)(tab1 + 1 - s))) == NULL)
        return row_fail(err, TTS_ERR_SYNTAX, line,
                        "expected class, where and form separated by tabs", NULL);
    if (t->n == LF_MAX)
        return row_fail(err, TTS_ERR_LIMIT, line, "more than 1024 forms (LF_MAX)", NULL);
    f = &t->f[t->n];
    memset(f, 0, sizeof(*f));
    f->line = line;
    if (tab1 == s || memchr(tab2 + 1, '\t', n - (size_t)(tab2 + 1 - s)) != NULL)
        return row_fail(err, TTS_ERR_SYNTAX, line, "empty class or more than 3 fields", NULL);
    for (const char *p = s; p < tab1; p++)
        if (!(*p >= 'a' && *p <= 'z'))
            return row_fail(err, TTS_ERR_SYNTAX, line, "class must be lower-case letters", NULL);
    if ((size_t)(tab2 - tab1 - 1) == 3 && memcmp(tab1 + 1, "any", 3) == 0)
        f->where = LF_ANY;
    else if ((size_t)(tab2 - tab1 - 1) == 4 && memcmp(tab1 + 1, "edge", 4) == 0)
        f->where = LF_EDGE;
    else if ((size_t)(tab2 - tab1 - 1) == 4 && memcmp(tab1 + 1, "tail", 4) == 0)
        f->where = LF_TAIL;
    else
        return row_fail(err, TTS_ERR_SYNTAX, line, "where must be any, edge or tail", NULL);
    tts_error_clear(&ferr);
    rc = pre_tokens(tab2 + 1, n - (size_t)(tab2 + 1 - s), &tk, &ferr);
    if (rc != TTS_OK)
        return row_fail(err, rc, line, "form", ferr.message);
    if (tk->n == 0 || (tk->t[0].cjk && tk->n != 1)) {
        rc = row_fail(err, TTS_ERR_SYNTAX, line,
                      "form has no letters, or mixes a Han / kana / Hangul run with other words",
                      NULL);
        goto out;
    }
    for (size_t i = 0; i < tk->n; i++) {
        if (i > 0)
            tts_buf_putc(&w, ' ');
        tts_buf_append(&w, tk->text.data + tk->t[i].off, tk->t[i].len);
        if (tk->t[i].cjk != tk->t[0].cjk) {
            rc = row_fail(err, TTS_ERR_SYNTAX, line, "form mixes scripts", NULL);
            goto out;
        }
    }
    f->cjk = tk->t[0].cjk;
    f->n_words = tk->n;
    f->len = w.len;
    f->words = tts_buf_failed(&w) ? NULL : pool_add(t, w.data, w.len);
    f->cls = pool_add(t, s, (size_t)(tab1 - s));
    if (f->words == NULL || f->cls == NULL) {
        rc = row_fail(err, tts_buf_failed(&w) ? TTS_ERR_NOMEM : TTS_ERR_LIMIT, line,
                      "out of room for the table (LF_POOL)", NULL);
        goto out;
    }
    t->n++;
out:
    tts_buf_free(&w);
    tokens_free(tk);
    return rc;
}

/*
 * Parse a legal-forms table (text of n bytes) into *t: every row checked,
 * the first bad one reported with its line; a form that normalises to the
 * same words as an earlier one must have the same class and place.
 */
static tts_status table_finish(ltable *t, tts_error *err);

static tts_status parse_table(ltable *t, const char *text, size_t n, tts_error *err)
{
    tts_lines it;
    const char *s;
    size_t l;
    memset(t, 0, sizeof(*t));
    t->used = 0;
    tts_lines_init(&it, text, n);
    while (tts_lines_next(&it, &s, &l)) {
        tts_status rc = parse_row(t, s, l, it.line, err);
        if (rc != TTS_OK)
            return rc;
    }
    return table_finish(t, err);
}

/* Sort the forms and refuse one listed twice with another class or place. */
static tts_status table_finish(ltable *t, tts_error *err)
{
    qsort(t->f, t->n, sizeof(lform), cmp_lform);
    for (size_t k = 1; k < t->n; k++)
        if (t->f[k].cjk == t->f[k - 1].cjk && t->f[k].len == t->f[k - 1].len &&
            memcmp(t->f[k].words, t->f[k - 1].words, t->f[k].len) == 0 &&
            (strcmp(t->f[k].cls, t->f[k - 1].cls) != 0 || t->f[k].where != t->f[k - 1].where))
            return row_fail(err, TTS_ERR_SEMANTIC, t->f[k].line,
                            "form listed twice with a different class or place", t->f[k].words);
    return TTS_OK;
}

tts_status tts_names_legal_check(const char *text, size_t len, size_t *n_forms, tts_error *err)
{
    static ltable scratch; /* only for tests and tools: one at a time */
    static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;
    tts_status rc;
    pthread_mutex_lock(&scratch_lock);
    rc = parse_table(&scratch, text, len, err);
    if (rc == TTS_OK && n_forms != NULL)
        *n_forms = scratch.n;
    pthread_mutex_unlock(&scratch_lock);
    return rc;
}

/*
 * A prepared table: one form per line, "line TAB class TAB where TAB cjk TAB
 * words" with the words as parse_row normalised them (so loading it needs no
 * transliteration: a process whose names are all ASCII never opens ICU's).
 */
static tts_status prepared_fail(tts_error *err, int line, const char *what)
{
    return tts_err_set(err, TTS_ERR_INTERNAL, "built-in prepared legal-forms table, line %d: %s",
                       line, what);
}

static tts_status load_prepared(ltable *t, const char *text, size_t n, tts_error *err)
{
    tts_lines it;
    const char *s;
    size_t l;
    memset(t, 0, sizeof(*t));
    tts_lines_init(&it, text, n);
    while (tts_lines_next(&it, &s, &l)) {
        const char *field[5], *end = s + l;
        size_t flen[5];
        lform *f;
        char num[16];
        int k = 0;
        for (const char *p = s; k < 5; k++) {
            const char *tab = k < 4 ? memchr(p, '\t', (size_t)(end - p)) : end;
            if (tab == NULL)
                return prepared_fail(err, it.line, "expected 5 fields");
            field[k] = p;
            flen[k] = (size_t)(tab - p);
            p = tab + 1;
        }
        if (t->n == LF_MAX || flen[0] == 0 || flen[0] >= sizeof(num) || flen[2] != 1 ||
            flen[3] != 1 || flen[4] == 0)
            return prepared_fail(err, it.line, "bad row");
        f = &t->f[t->n];
        memset(f, 0, sizeof(*f));
        memcpy(num, field[0], flen[0]);
        num[flen[0]] = '\0';
        f->line = atoi(num);
        f->where = field[2][0] - '0';
        f->cjk = field[3][0] == '1';
        f->cls = pool_add(t, field[1], flen[1]);
        f->words = pool_add(t, field[4], flen[4]);
        f->len = flen[4];
        f->n_words = 1;
        for (size_t i = 0; i < flen[4]; i++)
            f->n_words += !f->cjk && field[4][i] == ' ';
        if (f->cls == NULL || f->words == NULL || f->where < LF_ANY || f->where > LF_TAIL)
            return prepared_fail(err, it.line, "bad row or out of room (LF_POOL)");
        t->n++;
    }
    return table_finish(t, err);
}

tts_status tts_names_legal_prepare(const char *text, size_t len, tts_buf *out, tts_error *err)
{
    static ltable scratch; /* only for the build tool and tests: one at a time */
    static pthread_mutex_t scratch_lock = PTHREAD_MUTEX_INITIALIZER;
    tts_status rc;
    pthread_mutex_lock(&scratch_lock);
    rc = parse_table(&scratch, text, len, err);
    for (size_t i = 0; rc == TTS_OK && i < scratch.n; i++) {
        const lform *f = &scratch.f[i];
        tts_buf_printf(out, "%d\t%s\t%d\t%d\t", f->line, f->cls, f->where, f->cjk);
        tts_buf_append(out, f->words, f->len);
        tts_buf_putc(out, '\n');
    }
    pthread_mutex_unlock(&scratch_lock);
    if (rc == TTS_OK && tts_buf_failed(out))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory preparing the legal-forms table");
    return rc;
}

/* 1 when the two tables hold the same forms in the same order. */
static int tables_equal(const ltable *a, const ltable *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const lform *x = &a->f[i], *y = &b->f[i];
        if (x->len != y->len || x->n_words != y->n_words || x->where != y->where ||
            x->cjk != y->cjk || x->line != y->line || memcmp(x->words, y->words, x->len) != 0 ||
            strcmp(x->cls, y->cls) != 0)
            return 0;
    }
    return 1;
}

tts_status tts_names_legal_selfcheck(tts_error *err)
{
    static ltable raw, prep; /* only for tests: one at a time */
    static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;
    size_t n = 0, m = 0;
    const char *text = tts_legal_forms_text(&n), *ptext = tts_legal_forms_prepared(&m);
    tts_status rc;
    if (m == 0)
        return tts_err_set(err, TTS_ERR_INTERNAL, "no prepared legal-forms table is built in");
    pthread_mutex_lock(&check_lock);
    rc = parse_table(&raw, text, n, err);
    if (rc == TTS_OK)
        rc = load_prepared(&prep, ptext, m, err);
    if (rc == TTS_OK && !tables_equal(&raw, &prep))
        rc = tts_err_set(err, TTS_ERR_INTERNAL,
                         "the prepared legal-forms table differs from data/legal-forms.tsv "
                         "normalised now: rebuild it");
    pthread_mutex_unlock(&check_lock);
    return rc;
}

/* The built-in table, loaded once (again after a failure such as out of memory): the
 * prepared one, or the text when none is built in (the tool that prepares it). */
static tts_status legal_table(const ltable **out, tts_error *err)
{
    tts_status rc = TTS_OK;
    pthread_mutex_lock(&table_lock);
    if (!table_ready) {
        size_t len = 0, plen = 0;
        const char *text = tts_legal_forms_text(&len);
        const char *prep = tts_legal_forms_prepared(&plen);
        rc = plen > 0 ? load_prepared(&table, prep, plen, err)
                      : parse_table(&table, text, len, err);
        table_ready = rc == TTS_OK;
    }
    pthread_mutex_unlock(&table_lock);
    *out = &table;
    return rc;
}

/* Does the Latin form f match the tokens from i on? Returns tokens used. */
static size_t match_form(const tokens *tk, size_t i, const lform *f)
{
    size_t used = 0;
    const char *p = f->words;
    while (*p != '\0') {
        size_t wl = strcspn(p, " ");
        const token *t;
        if (i + used >= tk->n)
            return 0;
        t = &tk->t[i + used];
        if (t->cjk || t->len != wl || memcmp(tk->text.data + t->off, p, wl) != 0)
            return 0;
        used++;
        p += wl;
        if (*p == ' ')
            p++;
    }
    if (f->where == LF_EDGE && i != 0 && i + used != tk->n)
        return 0;
    return used;
}

/* First Latin form whose first word is the token (forms are sorted), or t->n when none. */
static size_t first_form(const ltable *lt, const char *s, size_t n)
{
    size_t lo = 0, hi = lt->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const lform *f = &lt->f[mid];
        size_t fl = strcspn(f->words, " ");
        int c = f->cjk ? 1 : memcmp(f->words, s, fl < n ? fl : n);
        if (c == 0)
            c = fl < n ? -1 : fl > n ? 1 : 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void add_legal(tts_buf *legal, const char *cls)
{
    /* each class once */
    const char *p = legal->data;
    size_t cl = strlen(cls);
    while (p != NULL && *p != '\0') {
        size_t wl = strcspn(p, " ");
        if (wl == cl && memcmp(p, cls, cl) == 0)
            return;
        p += wl;
        while (*p == ' ')
            p++;
    }
    if (legal->len > 0)
        tts_buf_putc(legal, ' ');
    tts_buf_puts(legal, cls);
}

/* Strip Han / kana / Hangul legal forms from both ends of a run; record them in `legal`. */
static void strip_cjk(const ltable *lt, const tokens *tk, token *t, tts_buf *legal)
{
    int again = 1;
    while (again) {
        again = 0;
        for (size_t k = 0; k < lt->n; k++) {
            const lform *f = &lt->f[k];
            size_t left = t->len - t->strip_lo - t->strip_hi;
            const char *body = tk->text.data + t->off + t->strip_lo;
            if (!f->cjk || f->len >= left)
                continue;
            if (memcmp(body + left - f->len, f->words, f->len) == 0)
                t->strip_hi += f->len;
            else if (f->where == LF_ANY && memcmp(body, f->words, f->len) == 0)
                t->strip_lo += f->len;
            else
                continue;
            add_legal(legal, f->cls);
            again = 1;
            break;
        }
    }
}

/* The class of a CJK form equal to the whole run, or NULL. */
static const char *whole_cjk_form(const ltable *lt, const tokens *tk, const token *t)
{
    for (size_t k = 0; k < lt->n; k++)
        if (lt->f[k].cjk && lt->f[k].len == t->len &&
            memcmp(lt->f[k].words, tk->text.data + t->off, t->len) == 0)
            return lt->f[k].cls;
    return NULL;
}

/* Mark legal-form tokens, unless that would leave no name at all. */
static void find_legal(const ltable *lt, tokens *tk, tts_buf *legal)
{
    size_t kept = 0;
    for (size_t i = 0; i < tk->n;) {
        size_t used = 0;
        const char *cls = NULL;
        token *t = &tk->t[i];
        if (t->cjk) {
            if ((cls = whole_cjk_form(lt, tk, t)) != NULL)
                used = 1;
            else
                strip_cjk(lt, tk, t, legal);
        } else {
            for (size_t f = first_form(lt, tk->text.data + t->off, t->len);
                 f < lt->n && !lt->f[f].cjk; f++) {
                size_t fl = strcspn(lt->f[f].words, " ");
                if (fl != t->len || memcmp(lt->f[f].words, tk->text.data + t->off, fl) != 0)
                    break;
                used = match_form(tk, i, &lt->f[f]);
                if (used > 0) {
                    cls = lt->f[f].cls;
                    break;
                }
            }
        }
        if (used == 0) {
            kept++;
            i++;
            continue;
        }
        add_legal(legal, cls);
        for (size_t k = 0; k < used; k++)
            tk->t[i + k].legal = 1;
        i += used;
    }
    if (kept == 0) {
        for (size_t i = 0; i < tk->n; i++)
            tk->t[i].legal = 0;
        tts_buf_reset(legal);
    }
}

/* "SURNAME, Given Names" -> "Given Names SURNAME" into b. */
static void reorder_person(const char *s, size_t len, tts_buf *b)
{
    const char *comma = memchr(s, ',', len);
    if (comma == NULL) {
        tts_buf_append(b, s, len);
        return;
    }
    tts_buf_append(b, comma + 1, len - (size_t)(comma + 1 - s));
    tts_buf_putc(b, ' ');
    tts_buf_append(b, s, (size_t)(comma - s));
}

/*
 * Write the Latin words of a Han / kana / Hangul run s[0..n) to toks
 * (space-separated) and, without spaces, to glued. Han of three or more
 * characters gives one word per syllable, so a short name finds the full
 * name containing it ("宁德时代" in "宁德时代新能源科技"); shorter Han and
 * kana / Hangul runs give one word, so that a two-character name matches
 * as a whole, not as two common syllables.
 */
static tts_status cjk_latin(const char *s, size_t n, tts_buf *toks, tts_error *err)
{
    tts_buf lat = TTS_BUF_INIT;
    tokens *tk = NULL;
    size_t han, all;
    tts_status rc = TTS_OK;
    if (n == 0)
        return TTS_OK;
    tk = tts_malloc(sizeof(*tk));
    if (tk == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
    tk->text = (tts_buf)TTS_BUF_INIT;
    tk->n = 0;
    count_han(s, n, &han, &all);
    TTS_TRY(tts_names_translit(s, n, &lat, err));
    TTS_TRY(add_latin(tk, lat.data != NULL ? lat.data : "", lat.len, !(han > 0 && all >= 3), 0,
                      err));
    for (size_t i = 0; i < tk->n; i++) {
        if (toks->len > 0)
            tts_buf_putc(toks, ' ');
        tts_buf_append(toks, tk->text.data + tk->t[i].off, tk->t[i].len);
    }
    if (tts_buf_failed(&lat) || tts_buf_failed(&tk->text))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
out:
    tts_buf_free(&lat);
    tokens_free(tk);
    return rc;
}

/* Append the words of toks (space-separated) without spaces to glued. */
static void glue(tts_buf *glued, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ')
            tts_buf_putc(glued, s[i]);
}

static tts_status emit(const tokens *tk, const tts_buf *legal, tts_nname *out, tts_error *err)
{
    tts_buf toks = TTS_BUF_INIT, glued = TTS_BUF_INIT, w = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < tk->n; i++) {
        const token *t = &tk->t[i];
        const char *b = tk->text.data + t->off;
        if (!t->cjk) {
            tts_buf_append(&glued, b, t->len);
            if (t->legal)
                continue;
            if (toks.len > 0)
                tts_buf_putc(&toks, ' ');
            tts_buf_append(&toks, b, t->len);
            continue;
        }
        /* a run: its legal forms in the glued form, its Latin words in both */
        tts_buf_reset(&w);
        TTS_TRY(cjk_latin(b, t->strip_lo, &w, err));
        glue(&glued, w.data != NULL ? w.data : "", w.len);
        tts_buf_reset(&w);
        TTS_TRY(cjk_latin(b + t->strip_lo, t->len - t->strip_lo - t->strip_hi, &w, err));
        glue(&glued, w.data != NULL ? w.data : "", w.len);
        if (!t->legal && w.len > 0) {
            if (toks.len > 0)
                tts_buf_putc(&toks, ' ');
            tts_buf_append(&toks, w.data, w.len);
        }
        tts_buf_reset(&w);
        TTS_TRY(cjk_latin(b + t->len - t->strip_hi, t->strip_hi, &w, err));
        glue(&glued, w.data != NULL ? w.data : "", w.len);
    }
    tts_buf_puts(&toks, "");
    tts_buf_puts(&glued, "");
    if (tts_buf_failed(&toks) || tts_buf_failed(&glued) || tts_buf_failed(&w))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    out->tokens = tts_buf_steal(&toks, NULL);
    out->glued = tts_buf_steal(&glued, NULL);
    out->legal = tts_strndup(legal->data != NULL ? legal->data : "", legal->len);
    if (out->tokens == NULL || out->glued == NULL || out->legal == NULL) {
        tts_nname_clear(out);
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    }
out:
    tts_buf_free(&toks);
    tts_buf_free(&glued);
    tts_buf_free(&w);
    return rc;
}

static void tokens_free(tokens *tk)
{
    if (tk == NULL)
        return;
    tts_buf_free(&tk->text);
    tts_free(tk);
}

static tokens *tokens_new(void)
{
    tokens *tk = tts_malloc(sizeof(*tk)); /* split() clears each token it starts */
    if (tk != NULL) {
        tk->text = (tts_buf)TTS_BUF_INIT;
        tk->n = 0;
    }
    return tk;
}

/*
 * The words of s before legal forms are looked at: folded code points
 * split into words, words of other scripts in Latin, dotted initials
 * joined. Names and the legal-forms table both go through it.
 */
static tts_status pre_tokens(const char *s, size_t len, tokens **out, tts_error *err)
{
    tts_status rc = TTS_OK;
    int32_t *cp = NULL;
    size_t n = 0;
    tokens *raw = NULL, *tk = NULL;
    *out = NULL;
    TTS_TRY(to_utf32(s, len, &cp, &n, err));
    raw = tokens_new();
    tk = tokens_new();
    if (raw == NULL || tk == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    TTS_TRY(split(cp, n, raw, err));
    TTS_TRY(latin_words(raw, tk, err));
    join_initials(tk);
    *out = tk;
    tk = NULL;
out:
    tokens_free(raw);
    tokens_free(tk);
    tts_free(cp);
    return rc;
}

tts_status tts_names_normalize(const char *s, size_t len, unsigned flags, tts_nname *out,
                               tts_error *err)
{
    tts_status rc = TTS_OK;
    tts_buf pre = TTS_BUF_INIT, legal = TTS_BUF_INIT;
    size_t bad = 0;
    tokens *tk = NULL;
    const ltable *lt = NULL;
    memset(out, 0, sizeof(*out));
    if (len > TTS_NAME_MAX_BYTES)
        return tts_err_set(err, TTS_ERR_LIMIT,
                           "name of %zu bytes is longer than the limit of %d bytes", len,
                           TTS_NAME_MAX_BYTES);
    if (!tts_names_utf8_valid(s, len, &bad))
        return tts_err_set(err, TTS_ERR_ARG, "name is not valid UTF-8 (byte %zu)", bad + 1);
    TTS_TRY(legal_table(&lt, err));
    if (flags & TTS_NAME_PERSON) {
        reorder_person(s, len, &pre);
        if (tts_buf_failed(&pre))
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
        s = pre.data != NULL ? pre.data : "";
        len = pre.len;
    }
    TTS_TRY(pre_tokens(s, len, &tk, err));
    /* a person has no legal form: "KIM, Se Gon" keeps its "Se" */
    if (!(flags & (TTS_NAME_PERSON | TTS_NAME_AS_WRITTEN)))
        find_legal(lt, tk, &legal);
    if (tts_buf_failed(&legal))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    rc = emit(tk, &legal, out, err);
    if (rc == TTS_OK && out->tokens[0] == '\0' && legal.len > 0) {
        /* only legal forms had Latin letters (the rest was marks or signs
         * with no reading): keep them as the name, as when nothing else is there */
        tts_nname_clear(out);
        for (size_t i = 0; i < tk->n; i++) {
            tk->t[i].legal = 0;
            tk->t[i].strip_lo = tk->t[i].strip_hi = 0;
        }
        tts_buf_reset(&legal);
        rc = emit(tk, &legal, out, err);
    }
out:
    tokens_free(tk);
    tts_buf_free(&pre);
    tts_buf_free(&legal);
    return rc;
}

void tts_nname_clear(tts_nname *n)
{
    if (n == NULL)
        return;
    tts_free(n->tokens);
    tts_free(n->legal);
    tts_free(n->glued);
    memset(n, 0, sizeof(*n));
}

void tts_names_lib_version(char *out, size_t cap)
{
    snprintf(out, cap, "utf8proc %s", utf8proc_version());
}
