/* SPDX-License-Identifier: MIT */
/*
 * Counterparty sheets (ttscreen/sheet.h): the whole text is read (bounded),
 * converted to UTF-8 with iconv when it is UTF-16 or a Japanese legacy
 * encoding, checked, then split into rows on demand. CSV follows RFC 4180
 * (quoted cells may hold separators, quotes as "" and line breaks); TSV has
 * no quoting; JSON Lines rows are flat objects whose keys make the header.
 */
#include "ttscreen/sheet.h"

#include <iconv.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/mem.h"
#include "record/record_json.h"
#include "sheet/xlsx.h"
#include "xlsx/xlsx_in.h"

enum { FMT_CSV, FMT_TSV, FMT_JSONL, FMT_XLSX };

struct tts_sheet {
    char file[256];
    const char *encoding;
    char *text; /* UTF-8, NUL-terminated */
    size_t len, pos;
    int format;
    long row; /* rows read so far (the header is row 1) */
    char **header;
    size_t n_header;
    int role[TTS_SHEET_N_ROLES];
    /* the current row */
    tts_buf cellbuf;
    size_t *offs;
    const char **cells;
    size_t cap_cells;
    /* JSON Lines: lines already split, their keys mapped onto the header */
    struct jrow {
        char **cells; /* by header column; NULL: the row has no such key */
        size_t n;
        long line;
    } *jrows;
    size_t n_jrows, next_jrow;
};

/* ---- reading and decoding ---------------------------------------------------------- */

static tts_status read_stdin(char **out, size_t *len, tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        if (b.len + n > TTS_SHEET_MAX_BYTES) {
            tts_buf_free(&b);
            return tts_err_set(err, TTS_ERR_LIMIT,
                               "<stdin>: more than %ld bytes (TTS_SHEET_MAX_BYTES)",
                               (long)TTS_SHEET_MAX_BYTES);
        }
        tts_buf_append(&b, chunk, n);
    }
    if (ferror(stdin)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_IO, "<stdin>: read error");
    }
    tts_buf_putc(&b, '\0');
    if (tts_buf_failed(&b)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "<stdin>: out of memory");
    }
    *out = tts_buf_steal(&b, len);
    (*len)--;
    return TTS_OK;
}

/* Offset of the first byte that is not UTF-8, or len when all of it is. */
static size_t utf8_bad_at(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = p[i], n, cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
        if (n == 0 || i + n >= len)
            return i;
        cp = c & (0x3fu >> n);
        for (unsigned k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += n + 1;
    }
    return len;
}

/*
 * Offset of the first control character other than tab, CR and LF (C0,
 * DEL, C1 U+0080-U+009F) in UTF-8 text, or len when there is none: no name
 * to screen holds one, and a decoding that makes them is the wrong one.
 */
static size_t control_at(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
            return i;
        if (c == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
            return i;
    }
    return len;
}

/* The row (1-based line, counting line feeds) holding byte offset off. */
static long row_of(const char *p, size_t off)
{
    long r = 1;
    for (size_t i = 0; i < off; i++)
        r += p[i] == '\n';
    return r;
}

/*
 * Convert in[0..len) from `from` to UTF-8 with iconv; *bad is the input
 * offset where conversion failed (len when it did not). Returns NULL with
 * *bad < len on bad input, NULL with *bad == len when out of memory.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
/* gcc -fanalyzer takes iconv_open for an allocator and the (iconv_t)-1 failure for a leak */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-malloc-leak"
#endif
static char *convert(const char *from, const char *in, size_t len, size_t *out_len, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    size_t cap = len * 3 + 16, left_in = len, left_out;
    char *out, *ip = (char *)(uintptr_t)in, *op;
    *bad = len;
    if (cd == (iconv_t)-1)
        return NULL;
    if (len > (SIZE_MAX - 16) / 3 || (out = tts_malloc(cap)) == NULL) {
        iconv_close(cd);
        return NULL;
    }
    op = out;
    left_out = cap - 1;
    if (iconv(cd, &ip, &left_in, &op, &left_out) == (size_t)-1) {
        *bad = (size_t)(ip - in);
        tts_free(out);
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    *op = '\0';
    *out_len = (size_t)(op - out);
    return out;
}
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic pop
#endif

/* Names accepted for --encoding, and the iconv name each stands for. */
static const struct {
    const char *name, *iconv, *label;
} encodings[] = {
    {"utf-8", NULL, "utf-8"},       {"utf8", NULL, "utf-8"},
    {"utf-16", "UTF-16", "utf-16"}, {"shift_jis", "CP932", "cp932"},
    {"sjis", "CP932", "cp932"},     {"cp932", "CP932", "cp932"},
    {"euc-jp", "EUC-JP", "euc-jp"}, {"eucjp", "EUC-JP", "euc-jp"},
};

static tts_status decode(tts_sheet *s, char *raw, size_t len, const char *want, tts_error *err)
{
    const unsigned char *u = (const unsigned char *)raw;
    size_t bad = 0, out_len = 0, start = 0;
    const char *from = NULL;
    char *text = NULL;
    if (want != NULL) {
        size_t i;
        for (i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++)
            if (strcasecmp(want, encodings[i].name) == 0)
                break;
        if (i == sizeof(encodings) / sizeof(encodings[0]))
            return tts_err_set(err, TTS_ERR_ARG,
                               "--encoding '%s': expected utf-8, utf-16, shift_jis (cp932) or "
                               "euc-jp",
                               want);
        from = encodings[i].iconv;
        s->encoding = encodings[i].label;
    } else if (len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        from = "UTF-16";
        s->encoding = u[0] == 0xff ? "utf-16le" : "utf-16be";
    } else {
        s->encoding = "utf-8";
    }
    if (from == NULL) {
        if (len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        bad = start + utf8_bad_at(u + start, len - start);
        if (bad == len) {
            memmove(raw, raw + start, len - start + 1);
            s->text = raw;
            s->len = len - start;
            return TTS_OK;
        }
        if (want != NULL)
            return tts_err_set(err, TTS_ERR_ARG, "%s:%ld: byte %zu is not UTF-8", s->file,
                               row_of(raw, bad), bad);
        /* not UTF-8: the legacy Japanese encodings, the commoner first; a reading that
           makes control characters is not the file's encoding */
        if ((text = convert("CP932", raw, len, &out_len, &bad)) != NULL &&
            control_at((const unsigned char *)text, out_len) == out_len)
            s->encoding = "cp932";
        else if (text != NULL || bad < len) {
            tts_free(text);
            if ((text = convert("EUC-JP", raw, len, &out_len, &bad)) != NULL &&
                control_at((const unsigned char *)text, out_len) != out_len) {
                tts_free(text);
                text = NULL;
                bad = 0;
            }
            if (text != NULL)
                s->encoding = "euc-jp";
        }
        if (text == NULL && bad == len)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory converting", s->file);
        if (text == NULL) {
            size_t first = start + utf8_bad_at(u + start, len - start);
            return tts_err_set(err, TTS_ERR_ARG,
                               "%s:%ld: byte %zu is not UTF-8, and the file is not Shift_JIS "
                               "(CP932) or EUC-JP either (give --encoding)",
                               s->file, row_of(raw, first), first);
        }
    } else if ((text = convert(from, raw, len, &out_len, &bad)) == NULL) {
        if (bad == len)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory converting", s->file);
        return tts_err_set(err, TTS_ERR_ARG, "%s:%ld: byte %zu is not %s", s->file,
                           row_of(raw, bad), bad, s->encoding);
    }
    tts_free(raw);
    start = out_len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    memmove(text, text + start, out_len - start + 1);
    s->text = text;
    s->len = out_len - start;
    return TTS_OK;
}

/* ---- headers and roles ------------------------------------------------------------- */

/* The header as compared: full-width ASCII folded, ASCII lower case, '-' and ' ' as '_'. */
static void header_key(const char *h, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)h;
    size_t k = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    while (*p != '\0' && k + 4 < cap) {
        unsigned c = *p;
        /* U+FF01..U+FF5E (EF BC 81 .. EF BD 9E) are full-width forms of '!'..'~' */
        if (c == 0xef && (p[1] == 0xbc || p[1] == 0xbd) && p[2] >= 0x80 && p[2] <= 0xbf) {
            unsigned cp = 0xf000u | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
            if (cp >= 0xff01 && cp <= 0xff5e) {
                c = cp - 0xff01 + 0x21;
                p += 3;
                goto ascii;
            }
        }
        if (c == 0xe3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 ideographic space */
            c = ' ';
            p += 3;
            goto ascii;
        }
        if (c >= 0x80) {
            out[k++] = (char)c;
            p++;
            continue;
        }
        p++;
    ascii:
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c == '-' || c == ' ')
            c = '_';
        out[k++] = (char)c;
    }
    while (k > 0 && (out[k - 1] == '_' || out[k - 1] == '\t' || out[k - 1] == '\r'))
        k--;
    out[k] = '\0';
}

/* Headers that name each role, compared as header_key() writes them. */
static const char *const role_names[TTS_SHEET_N_ROLES][12] = {
    [TTS_SHEET_NAME] = {"name", "full_name", "company", "company_name", "vendor", "vendor_name",
                        "counterparty", "名称", "氏名", "名前", "会社名", "取引先名"},
    [TTS_SHEET_COUNTRY] = {"country", "country_code", "国", "国名", "所在国", "国・地域"},
    [TTS_SHEET_ID] = {"id", "code", "vendor_id", "customer_id", "取引先コード", "コード",
                      "番号"},
    [TTS_SHEET_TYPE] = {"type", "entity_type", "種別", "区分"},
    [TTS_SHEET_ALIASES] = {"aliases", "alias", "aka", "別名", "別称"},
    [TTS_SHEET_NATIONALITY] = {"nationality", "citizenship", "国籍"},
    [TTS_SHEET_BIRTH_DATE] = {"birth_date", "date_of_birth", "dob", "birthdate", "生年月日"},
};

static const char *const role_labels[TTS_SHEET_N_ROLES] = {
    "name", "country", "id", "type", "aliases", "nationality", "birth_date"};

static tts_status find_roles(tts_sheet *s, const tts_sheet_opts *o, tts_error *err)
{
    char key[256], want[256];
    for (int r = 0; r < TTS_SHEET_N_ROLES; r++) {
        s->role[r] = -1;
        if (o != NULL && o->column[r] != NULL)
            header_key(o->column[r], want, sizeof(want));
        for (size_t i = 0; i < s->n_header && s->role[r] < 0; i++) {
            header_key(s->header[i], key, sizeof(key));
            if (o != NULL && o->column[r] != NULL) {
                if (strcmp(key, want) == 0)
                    s->role[r] = (int)i;
                continue;
            }
            for (size_t k = 0; k < 12 && role_names[r][k] != NULL; k++)
                if (strcmp(key, role_names[r][k]) == 0)
                    s->role[r] = (int)i;
        }
        if (o != NULL && o->column[r] != NULL && s->role[r] < 0)
            return tts_err_set(err, TTS_ERR_ARG, "%s:1: no column '%s' (--%s-column)", s->file,
                               o->column[r], role_labels[r]);
    }
    if (s->role[TTS_SHEET_NAME] < 0)
        return tts_err_set(err, TTS_ERR_ARG,
                           "%s:1: no name column (a header such as name, company, 名称 or "
                           "氏名; or give --name-column)",
                           s->file);
    return TTS_OK;
}

/* ---- CSV and TSV ------------------------------------------------------------------- */

/*
 * Split the next row into s->cells; 0 at the end of the text. Cells are
 * copied into s->cellbuf (quotes undone).
 */
static tts_status split_row(tts_sheet *s, size_t *n_out, int *more, tts_error *err)
{
    char sep = s->format == FMT_TSV ? '\t' : ',';
    size_t start = s->pos, n = 0;
    int quoted = 0, done = 0;
    long first_row;
    *more = 0;
    *n_out = 0;
    if (s->pos >= s->len)
        return TTS_OK;
    s->row++;
    first_row = s->row;
    tts_buf_reset(&s->cellbuf);
    while (!done) {
        /* one cell */
        if (!tts_grow(&s->offs, &s->cap_cells, n + 1, sizeof(*s->offs)))
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
        if (n >= TTS_SHEET_MAX_COLUMNS)
            return tts_err_set(err, TTS_ERR_LIMIT, "%s:%ld: more than %d columns", s->file,
                               s->row, TTS_SHEET_MAX_COLUMNS);
        s->offs[n++] = s->cellbuf.len;
        quoted = s->format == FMT_CSV && s->pos < s->len && s->text[s->pos] == '"';
        if (quoted)
            s->pos++;
        for (;;) {
            char c = s->pos < s->len ? s->text[s->pos] : '\0';
            if (s->pos - start > TTS_LIST_MAX_ROW_BYTES)
                return tts_err_set(err, TTS_ERR_LIMIT,
                                   "%s:%ld: row longer than %d bytes (TTS_LIST_MAX_ROW_BYTES)",
                                   s->file, s->row, TTS_LIST_MAX_ROW_BYTES);
            if (s->pos >= s->len) {
                if (quoted)
                    return tts_err_set(err, TTS_ERR_SYNTAX, "%s:%ld: column %zu: unclosed quote",
                                       s->file, first_row, n);
                done = 1;
                break;
            }
            if (quoted) {
                if (c == '"' && s->pos + 1 < s->len && s->text[s->pos + 1] == '"') {
                    tts_buf_putc(&s->cellbuf, '"');
                    s->pos += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = 0;
                    s->pos++;
                    c = s->pos < s->len ? s->text[s->pos] : '\0';
                    if (c != sep && c != '\n' && c != '\r' && c != '\0')
                        return tts_err_set(err, TTS_ERR_SYNTAX,
                                           "%s:%ld: column %zu: text after a closing quote",
                                           s->file, s->row, n);
                    continue;
                }
                if (c == '\n')
                    s->row++; /* a line break inside a quoted cell */
                tts_buf_putc(&s->cellbuf, c);
                s->pos++;
                continue;
            }
            if (c == sep) {
                s->pos++;
                break;
            }
            if (c == '\r' || c == '\n') {
                s->pos += c == '\r' && s->pos + 1 < s->len && s->text[s->pos + 1] == '\n' ? 2 : 1;
                done = 1;
                break;
            }
            tts_buf_putc(&s->cellbuf, c);
            s->pos++;
        }
        tts_buf_putc(&s->cellbuf, '\0');
    }
    if (tts_buf_failed(&s->cellbuf))
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
    *n_out = n;
    *more = 1;
    return TTS_OK;
}

static tts_status set_cells(tts_sheet *s, size_t n)
{
    size_t want = s->n_header > n ? s->n_header : n;
    const char **cells = tts_realloc(s->cells, (want + 1) * sizeof(char *));
    if (cells == NULL)
        return TTS_ERR_NOMEM;
    s->cells = cells;
    for (size_t i = 0; i < want; i++)
        cells[i] = i < n ? s->cellbuf.data + s->offs[i] : "";
    return TTS_OK;
}

static tts_status csv_header(tts_sheet *s, tts_error *err)
{
    size_t n = 0;
    int more = 0;
    tts_status rc = split_row(s, &n, &more, err);
    if (rc != TTS_OK)
        return rc;
    if (!more)
        return tts_err_set(err, TTS_ERR_ARG, "%s: empty: no header row", s->file);
    s->header = tts_calloc(n, sizeof(char *));
    if (s->header == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
    for (size_t i = 0; i < n; i++)
        if ((s->header[s->n_header++] = tts_strdup(s->cellbuf.data + s->offs[i])) == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
    return TTS_OK;
}

/* ---- JSON Lines -------------------------------------------------------------------- */

typedef struct jrow_ctx {
    tts_sheet *s;
    char **cells; /* grows with the header */
    size_t n;
} jrow_ctx;

static int jmember(void *user, const char *key, const char *value)
{
    jrow_ctx *c = user;
    tts_sheet *s = c->s;
    size_t i;
    for (i = 0; i < s->n_header; i++)
        if (strcmp(s->header[i], key) == 0)
            break;
    if (i == s->n_header) {
        char **h = tts_realloc(s->header, (s->n_header + 1) * sizeof(char *));
        if (h == NULL)
            return 1;
        s->header = h;
        if ((h[s->n_header] = tts_strdup(key)) == NULL)
            return 1;
        s->n_header++;
    }
    if (i >= c->n) {
        char **cells = tts_realloc(c->cells, (i + 1) * sizeof(char *));
        if (cells == NULL)
            return 1;
        for (size_t k = c->n; k <= i; k++)
            cells[k] = NULL;
        c->cells = cells;
        c->n = i + 1;
    }
    tts_free(c->cells[i]);
    c->cells[i] = tts_strdup(value != NULL ? value : "");
    return c->cells[i] == NULL;
}

/* Split every line first: the header is the union of the rows' keys, in order of appearance. */
static tts_status jsonl_load(tts_sheet *s, tts_error *err)
{
    size_t pos = 0, cap = 0;
    long line = 0;
    while (pos < s->len) {
        size_t end = pos;
        jrow_ctx c = {s, NULL, 0};
        tts_status rc;
        while (end < s->len && s->text[end] != '\n')
            end++;
        line++;
        if (end - pos > TTS_LIST_MAX_ROW_BYTES)
            return tts_err_set(err, TTS_ERR_LIMIT,
                               "%s:%ld: line longer than %d bytes (TTS_LIST_MAX_ROW_BYTES)",
                               s->file, line, TTS_LIST_MAX_ROW_BYTES);
        {
            size_t a = pos, b = end;
            while (a < b && (s->text[a] == ' ' || s->text[a] == '\t' || s->text[a] == '\r'))
                a++;
            while (b > a && (s->text[b - 1] == ' ' || s->text[b - 1] == '\t' ||
                             s->text[b - 1] == '\r'))
                b--;
            if (a == b) {
                pos = end + 1;
                continue; /* blank line */
            }
            rc = tts_json_flat_object(s->text + a, b - a, s->file, line, jmember, &c, err);
        }
        if (rc == TTS_OK && !tts_grow(&s->jrows, &cap, s->n_jrows + 1, sizeof(*s->jrows)))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
        if (rc != TTS_OK) {
            for (size_t i = 0; i < c.n; i++)
                tts_free(c.cells[i]);
            tts_free(c.cells);
            return rc;
        }
        s->jrows[s->n_jrows].cells = c.cells;
        s->jrows[s->n_jrows].n = c.n;
        s->jrows[s->n_jrows++].line = line;
        pos = end + 1;
    }
    if (s->n_jrows == 0)
        return tts_err_set(err, TTS_ERR_ARG, "%s: empty: no row", s->file);
    return TTS_OK;
}

/* ---- the public face --------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

tts_status tts_sheet_open(const char *path, const tts_sheet_opts *given, tts_sheet **out,
                          tts_error *err)
{
    tts_sheet_opts o;
    tts_sheet *s;
    char *raw = NULL;
    size_t len = 0;
    tts_status rc;

    *out = NULL;
    memset(&o, 0, sizeof(o));
    if (given != NULL)
        memcpy(&o, given, given->size != 0 && given->size < sizeof(o) ? given->size : sizeof(o));
    s = tts_calloc(1, sizeof(*s));
    if (s == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    snprintf(s->file, sizeof(s->file), "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    if (o.format == NULL)
        s->format = ends_with(path, ".tsv") || ends_with(path, ".tab") ? FMT_TSV
                    : ends_with(path, ".jsonl") || ends_with(path, ".ndjson") ? FMT_JSONL
                    : ends_with(path, ".xlsx")                                ? FMT_XLSX
                                                                               : FMT_CSV;
    else if (strcmp(o.format, "csv") == 0)
        s->format = FMT_CSV;
    else if (strcmp(o.format, "tsv") == 0)
        s->format = FMT_TSV;
    else if (strcmp(o.format, "jsonl") == 0)
        s->format = FMT_JSONL;
    else if (strcmp(o.format, "xlsx") == 0)
        s->format = FMT_XLSX;
    else {
        tts_sheet_close(s);
        return tts_err_set(err, TTS_ERR_ARG, "input format '%s': expected csv, tsv, jsonl or xlsx",
                           o.format);
    }
    if (s->format == FMT_XLSX && strcmp(path, "-") == 0) {
        tts_sheet_close(s);
        return tts_err_set(err, TTS_ERR_ARG, "an Excel workbook is read from a file, not from "
                                             "standard input");
    }
    if (s->format == FMT_XLSX) {
        /* the workbook's first sheet as UTF-8 CSV: from here on it is read like any CSV */
        rc = tts_xlsx_to_csv(path, s->file, &raw, &len, err);
        s->format = FMT_CSV;
        if (rc == TTS_OK && o.encoding == NULL)
            o.encoding = "utf-8";
    } else {
        rc = strcmp(path, "-") == 0
                 ? read_stdin(&raw, &len, err)
                 : tts_fileio_read(path, TTS_SHEET_MAX_BYTES, 0, 0, &raw, &len, err);
    }
    if (rc == TTS_OK)
        rc = decode(s, raw, len, o.encoding, err);
    else
        raw = NULL;
    if (rc != TTS_OK && s->text != raw)
        tts_free(raw);
    if (rc == TTS_OK) {
        size_t at = control_at((const unsigned char *)s->text, s->len);
        if (at < s->len)
            rc = tts_err_set(err, TTS_ERR_ARG, "%s:%ld: %s at byte %zu", s->file,
                             row_of(s->text, at),
                             s->text[at] == '\0' ? "a NUL byte" : "a control character", at);
    }
    if (rc == TTS_OK)
        rc = s->format == FMT_JSONL ? jsonl_load(s, err) : csv_header(s, err);
    if (rc == TTS_OK)
        rc = find_roles(s, &o, err);
    if (rc != TTS_OK) {
        tts_sheet_close(s);
        return rc;
    }
    *out = s;
    return TTS_OK;
}

tts_status tts_sheet_next(tts_sheet *s, const char *const **cells, long *row, tts_error *err)
{
    size_t n = 0;
    int more = 0;
    tts_status rc;
    *cells = NULL;
    if (s->format == FMT_JSONL) {
        const struct jrow *r;
        const char **c;
        if (s->next_jrow >= s->n_jrows)
            return TTS_ERR_EOF;
        r = &s->jrows[s->next_jrow++];
        *row = r->line;
        c = tts_realloc(s->cells, (s->n_header + 1) * sizeof(char *));
        if (c == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
        s->cells = c;
        for (size_t i = 0; i < s->n_header; i++)
            c[i] = i < r->n && r->cells[i] != NULL ? r->cells[i] : "";
        *cells = c;
        return TTS_OK;
    }
    do {
        long before = s->row;
        if ((rc = split_row(s, &n, &more, err)) != TTS_OK)
            return rc;
        if (!more)
            return TTS_ERR_EOF;
        *row = before + 1;
        /* a blank line is no row */
    } while (n == 1 && s->cellbuf.data[s->offs[0]] == '\0');
    if (n > s->n_header)
        return tts_err_set(err, TTS_ERR_SYNTAX, "%s:%ld: %zu cells, the header has %zu columns",
                           s->file, *row, n, s->n_header);
    if (set_cells(s, n) != TTS_OK)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", s->file);
    *cells = s->cells;
    return TTS_OK;
}

void tts_sheet_close(tts_sheet *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n_header; i++)
        tts_free(s->header[i]);
    tts_free(s->header);
    for (size_t r = 0; r < s->n_jrows; r++) {
        for (size_t i = 0; i < s->jrows[r].n; i++)
            tts_free(s->jrows[r].cells[i]);
        tts_free(s->jrows[r].cells);
    }
    tts_free(s->jrows);
    tts_buf_free(&s->cellbuf);
    tts_free(s->offs);
    tts_free(s->cells);
    tts_free(s->text);
    tts_free(s);
}

const char *tts_sheet_encoding(const tts_sheet *s)
{
    return s->encoding;
}

size_t tts_sheet_n_columns(const tts_sheet *s)
{
    return s->n_header;
}

const char *tts_sheet_column(const tts_sheet *s, size_t i)
{
    return i < s->n_header ? s->header[i] : NULL;
}

int tts_sheet_role_column(const tts_sheet *s, tts_sheet_role role)
{
    return (unsigned)role < TTS_SHEET_N_ROLES ? s->role[role] : -1;
}

void tts_sheet_iconv_version(char *out, size_t cap)
{
#ifdef __GLIBC__
    snprintf(out, cap, "iconv (GNU C Library %s)", gnu_get_libc_version());
#else
    snprintf(out, cap, "iconv (C library)");
#endif
}
