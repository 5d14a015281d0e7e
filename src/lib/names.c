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
#include "names.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

#include "buf.h"
#include "error.h"
#include "mem.h"


/* Traditional Chinese and Japanese shinjitai forms -> simplified, sorted by source. */
static const uint32_t han_fold[][2] = {
#include "hanfold.inc"
};

/* Latin-script legal forms: token sequence -> canonical form. Longest first per start. */
typedef struct legal_form {
    const char *seq;   /* normalised tokens, single spaces */
    const char *canon; /* canonical form recorded in tts_nname.legal */
} legal_form;

static const legal_form latin_forms[] = {
    {"open joint stock company", "ojsc"},
    {"closed joint stock company", "cjsc"},
    {"public joint stock company", "pjsc"},
    {"joint stock company", "jsc"},
    {"limited liability company", "llc"},
    {"limited liability partnership", "llp"},
    {"private limited company", "pvt ltd"},
    {"public limited company", "plc"},
    {"kabushiki kaisha", "kk"},
    {"kabushikigaisha", "kk"},
    {"yugen kaisha", "yk"},
    {"godo kaisha", "gk"},
    {"sociedad anonima", "sa"},
    {"societe anonyme", "sa"},
    {"sdn bhd", "sdn bhd"},
    {"private limited", "pvt ltd"},
    {"pvt ltd", "pvt ltd"},
    {"pte ltd", "pte ltd"},
    {"co ltd", "co ltd"},
    {"company limited", "co ltd"},
    {"co limited", "co ltd"},
    {"company", "co"},
    {"co", "co"},
    {"limited", "ltd"},
    {"ltd", "ltd"},
    {"corporation", "corp"},
    {"corp", "corp"},
    {"incorporated", "inc"},
    {"inc", "inc"},
    {"llc", "llc"},
    {"llp", "llp"},
    {"gmbh", "gmbh"},
    {"ag", "ag"},
    {"sa", "sa"},
    {"jsc", "jsc"},
    {"ojsc", "ojsc"},
    {"cjsc", "cjsc"},
    {"pjsc", "pjsc"},
    {"oao", "ojsc"},
    {"zao", "cjsc"},
    {"pao", "pjsc"},
    {"ooo", "llc"},
    {"tov", "llc"},
    {"pvt", "pvt ltd"},
    {"plc", "plc"},
    {"bv", "bv"},
    {"nv", "nv"},
    {"srl", "srl"},
    {"spa", "spa"},
    {"sarl", "sarl"},
    {"sas", "sas"},
    {"kk", "kk"},
    {"pte", "pte ltd"},
    {"bhd", "bhd"},
    {"fze", "fze"},
    {"fzco", "fzco"},
    {"fzc", "fzc"},
    {"ltda", "ltda"},
    {"group", "group"},
};

/* Han-script legal forms, stripped from the end (and, for Japanese, the start) of a run. */
static const legal_form han_forms[] = {
    {"股份有限公司", "jsc"},     {"有限责任公司", "llc"}, {"集团有限公司", "group ltd"},
    {"有限公司", "ltd"},         {"株式会社", "kk"},      {"有限会社", "yk"},
    {"合同会社", "gk"},          {"集团", "group"},       {"公司", "co"},
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

/* Does the sequence `seq` (space-separated) match the tokens from i on? Returns tokens used. */
static size_t match_seq(const tokens *tk, size_t i, const char *seq)
{
    size_t used = 0;
    const char *p = seq;
    /* most tokens differ from a form at the first byte */
    if (i >= tk->n || tk->t[i].len == 0 || tk->text.data[tk->t[i].off] != seq[0])
        return 0;
    while (*p != '\0') {
        const char *sp = strchr(p, ' ');
        size_t wl = sp != NULL ? (size_t)(sp - p) : strlen(p);
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
    return used;
}

static void add_legal(tts_buf *legal, const char *canon)
{
    if (legal->len > 0)
        tts_buf_putc(legal, ' ');
    tts_buf_puts(legal, canon);
}

/* Strip Han legal forms from both ends of a Han run; record them in `legal`. */
static void strip_han(const tokens *tk, token *t, tts_buf *legal)
{
    int again = 1;
    while (again) {
        again = 0;
        for (size_t f = 0; f < sizeof(han_forms) / sizeof(han_forms[0]); f++) {
            const char *s = han_forms[f].seq;
            size_t fl = strlen(s), left = t->len - t->strip_lo - t->strip_hi;
            const char *body = tk->text.data + t->off + t->strip_lo;
            if (fl >= left)
                continue;
            if (memcmp(body + left - fl, s, fl) == 0) {
                t->strip_hi += fl;
            } else if (memcmp(body, s, fl) == 0 && strcmp(han_forms[f].canon, "co") != 0 &&
                       strcmp(han_forms[f].canon, "group") != 0) {
                t->strip_lo += fl;
            } else {
                continue;
            }
            add_legal(legal, han_forms[f].canon);
            again = 1;
            break;
        }
    }
}

/* Mark legal-form tokens, unless that would leave no name at all. */
static void find_legal(tokens *tk, tts_buf *legal)
{
    size_t kept = 0;
    for (size_t i = 0; i < tk->n;) {
        size_t used = 0;
        const char *canon = NULL;
        token *t = &tk->t[i];
        if (t->cjk) {
            if (t->ncp == 1 && (memcmp(tk->text.data + t->off, "株", t->len) == 0)) {
                canon = "kk";
                used = 1;
            } else {
                strip_han(tk, t, legal);
            }
        } else {
            for (size_t f = 0; f < sizeof(latin_forms) / sizeof(latin_forms[0]); f++) {
                used = match_seq(tk, i, latin_forms[f].seq);
                if (used > 0) {
                    canon = latin_forms[f].canon;
                    break;
                }
            }
        }
        if (used == 0) {
            kept++;
            i++;
            continue;
        }
        add_legal(legal, canon);
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

static tts_status emit(const tokens *tk, const tts_buf *legal, tts_nname *out, tts_error *err)
{
    tts_buf toks = TTS_BUF_INIT, glued = TTS_BUF_INIT;
    for (size_t i = 0; i < tk->n; i++) {
        const token *t = &tk->t[i];
        tts_buf_append(&glued, tk->text.data + t->off, t->len);
        if (t->legal || t->len == t->strip_lo + t->strip_hi)
            continue;
        if (toks.len > 0)
            tts_buf_putc(&toks, ' ');
        tts_buf_append(&toks, tk->text.data + t->off + t->strip_lo,
                       t->len - t->strip_lo - t->strip_hi);
    }
    tts_buf_puts(&toks, "");
    tts_buf_puts(&glued, "");
    out->tokens = tts_buf_steal(&toks, NULL);
    out->glued = tts_buf_steal(&glued, NULL);
    out->legal = tts_strndup(legal->data != NULL ? legal->data : "", legal->len);
    if (out->tokens == NULL || out->glued == NULL || out->legal == NULL ||
        tts_buf_failed(&toks) || tts_buf_failed(&glued)) {
        tts_nname_clear(out);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name");
    }
    return TTS_OK;
}

tts_status tts_names_normalize(const char *s, size_t len, unsigned flags, tts_nname *out,
                               tts_error *err)
{
    tts_status rc = TTS_OK;
    tts_buf pre = TTS_BUF_INIT, legal = TTS_BUF_INIT;
    int32_t *cp = NULL;
    size_t n = 0, bad = 0;
    tokens *tk = NULL;
    memset(out, 0, sizeof(*out));
    if (len > TTS_NAME_MAX_BYTES)
        return tts_err_set(err, TTS_ERR_LIMIT,
                           "name of %zu bytes is longer than the limit of %d bytes", len,
                           TTS_NAME_MAX_BYTES);
    if (!tts_names_utf8_valid(s, len, &bad))
        return tts_err_set(err, TTS_ERR_ARG, "name is not valid UTF-8 (byte %zu)", bad + 1);
    if (flags & TTS_NAME_PERSON) {
        reorder_person(s, len, &pre);
        if (tts_buf_failed(&pre))
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
        s = pre.data != NULL ? pre.data : "";
        len = pre.len;
    }
    TTS_TRY(to_utf32(s, len, &cp, &n, err));
    tk = tts_malloc(sizeof(*tk)); /* split() clears each token it starts */
    if (tk == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    tk->text = (tts_buf)TTS_BUF_INIT;
    tk->n = 0;
    TTS_TRY(split(cp, n, tk, err));
    join_initials(tk);
    find_legal(tk, &legal);
    if (tts_buf_failed(&legal))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory normalising a name"));
    rc = emit(tk, &legal, out, err);
out:
    if (tk != NULL)
        tts_buf_free(&tk->text);
    tts_free(tk);
    tts_free(cp);
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
