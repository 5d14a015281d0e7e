/* SPDX-License-Identifier: MIT */
/*
 * mof-xlsx: the Ministry of Finance's consolidated list of persons subject
 * to asset freezes and other measures under the Foreign Exchange and
 * Foreign Trade Act (資産凍結等の措置の対象者, shisantouketsuYYYYMMDD.xlsx).
 * One worksheet per programme; in each, a header row starting with 告示日付
 * (the date of the public notice) within the first rows, then one row per
 * designation. Columns are found by their header text, never by position,
 * and a header this importer does not know is an error naming the file,
 * the sheet and the cell: a column of names or identifiers is never left
 * out unseen. A row whose 告示日付 says "YYYY.M.D削除" was removed from the
 * list and is not imported (a version that had it shows it gone in
 * `lists diff`). A sheet without a header row is an error unless it is the
 * workbook's index of programmes or a programme whose notice was repealed
 * as a whole (see skippable()). The workbook is read by xlsx/xlsx_in.c.
 */
#include "lists/import_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/dates.h"
#include "util/error.h"
#include "util/mem.h"
#include "lists/match/names.h"
#include "xlsx/xlsx_in.h"

/* What a column holds, by its header. */
typedef enum field {
    F_NONE,    /* a blank header: the column must be blank too */
    F_DATE,    /* 告示日付: notice date(s), revisions, the removal mark */
    F_NUMBER,  /* 告示番号 */
    F_NAME_JA, /* 日本語表記: the primary name */
    F_NAME_EN, /* 英語表記: the name in Latin letters */
    F_AKA,     /* aliases */
    F_FKA,     /* former names */
    F_ADDRESS,
    F_ID,      /* passport, ID and UN reference numbers: into ids */
    F_DAY,     /* a date column (birth, UN listing): Excel day numbers as dates, into remarks */
    F_REMARK   /* everything else the list says: into remarks with its header */
} field;

/*
 * Every header the published workbook uses (5 Mar 2026, all 41 designation
 * sheets), compared without white space. 確定に十分でない別名 ("aliases not
 * sufficient to identify", the UN's low-quality aliases) go to the remarks,
 * not the names: like OFAC's weak aliases they do not identify a party.
 */
static const struct {
    const char *text;
    field f;
} headers[] = {
    {"告示日付", F_DATE},
    {"告示番号", F_NUMBER},
    {"日本語表記", F_NAME_JA},
    {"英語表記", F_NAME_EN},
    {"別名", F_AKA},
    {"別称", F_AKA},
    {"別称・旧称", F_AKA},
    {"別称・別名", F_AKA},
    {"別名・別称", F_AKA},
    {"確定可能な別名", F_AKA},
    {"旧称", F_FKA},
    {"旧称・以前の呼称", F_FKA},
    {"過去の別名", F_FKA},
    {"以前の別名", F_FKA},
    {"住所", F_ADDRESS},
    {"所在地", F_ADDRESS},
    {"住所・所在地", F_ADDRESS},
    {"住所等", F_ADDRESS},
    {"活動地域・住所", F_ADDRESS},
    {"所在地・住所登録された事務所の住所", F_ADDRESS},
    {"旅券番号", F_ID},
    {"ID番号", F_ID},
    {"身分登録番号", F_ID},
    {"身分証番号", F_ID},
    {"国連参照番号", F_ID},
    {"生年月日", F_DAY},
    {"リスト掲載日", F_DAY},
    {"国連制裁員会による指定日", F_DAY},
    {"国連制裁委員会による指定日", F_DAY},
    {"確定に十分でない別名", F_REMARK},
    {"生年月日・出生地", F_REMARK},
    {"出生地", F_REMARK},
    {"出生地・出身地", F_REMARK},
    {"国籍", F_REMARK},
    {"称号", F_REMARK},
    {"役職", F_REMARK},
    {"肩書", F_REMARK},
    {"肩書等", F_REMARK},
    {"その他の情報", F_REMARK},
    {"詳細", F_REMARK},
    {"指定の根拠", F_REMARK},
    {"決議1483上の根拠", F_REMARK},
    {"電話", F_REMARK},
    {"電話番号", F_REMARK},
    {"FAX", F_REMARK},
};

#define HEADER_ROWS 10 /* the header row is looked for in the first rows of a sheet */

/* One sheet being imported. */
typedef struct msheet {
    tts_import_at *at;
    const tts_xlsx *wb;
    const tts_xlsx_sheet *s;
    const char *file;
    char key[256];   /* the sheet's name without its "N." and spaces: the entry ids' prefix */
    char where[600]; /* FILE (sheet "NAME"): the place the name normaliser's messages give */
    char prog[256];  /* the sheet's name, trimmed: the entries' programme */
    const char *type; /* "individual" or "entity" when the sheet's name says, else NULL */
    field *cols;     /* per column */
    const char **hdr; /* header text per column */
    size_t n_cols;
    size_t header;   /* index of the header row in s->rows */
} msheet;

static const char *cell(const tts_xlsx_row *r, size_t c)
{
    return c < r->n ? r->cells[c].text : "";
}

/* A UTF-8 white space this list uses: ASCII space, tab, CR, LF, U+3000, U+00A0. */
static size_t space_len(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80)
        return 3;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

/* s without any white space, into out[cap] (truncated). */
static void compact(const char *s, char *out, size_t cap)
{
    size_t n = 0, k;
    for (; *s != '\0' && n + 1 < cap; s += k ? k : 1) {
        k = space_len(s);
        if (k == 0)
            out[n++] = *s;
    }
    out[n] = '\0';
}

static int blank(const char *s)
{
    size_t k;
    for (; *s != '\0'; s += k)
        if ((k = space_len(s)) == 0)
            return 0;
    return 1;
}

/* s trimmed of white space at both ends, line breaks as spaces and, when `ascii`, full-width
 * parentheses as ASCII ones (which the importer's derived names understand), into b. */
static void clean_as(tts_buf *b, const char *s, size_t n, int ascii)
{
    size_t k;
    while (n > 0 && (k = space_len(s)) > 0 && k <= n) {
        s += k;
        n -= k;
    }
    for (;;) {
        size_t m = 0;
        if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\t'))
            m = 1;
        else if (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0)
            m = 3;
        else if (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0)
            m = 2;
        if (m == 0)
            break;
        n -= m;
    }
    tts_buf_reset(b);
    for (size_t i = 0; i < n; i++) {
        if (ascii && i + 3 <= n && memcmp(s + i, "\xEF\xBC\x88", 3) == 0) { /* （ */
            tts_buf_putc(b, '(');
            i += 2;
        } else if (ascii && i + 3 <= n && memcmp(s + i, "\xEF\xBC\x89", 3) == 0) { /* ） */
            tts_buf_putc(b, ')');
            i += 2;
        } else {
            tts_buf_putc(b, s[i] == '\n' || s[i] == '\r' ? ' ' : s[i]);
        }
    }
    tts_buf_puts(b, "");
}

static void clean(tts_buf *b, const char *s, size_t n)
{
    clean_as(b, s, n, 1);
}

/*
 * A name as published (trimmed) under `kind`, and, when it writes
 * parentheses full width ("ブテンボ・エアラインズ（BAL）"), also with ASCII
 * ones as a derived name, so that the form without them is stored as well.
 */
static tts_status add_name(const tts_import_at *at, int64_t row, const char *kind,
                           const char *name, unsigned flags, tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = tts_import_name(at, row, kind, name, flags, err);
    if (rc == TTS_OK && strstr(name, "\xEF\xBC\x88") != NULL) {
        clean(&b, name, strlen(name));
        rc = tts_buf_failed(&b) ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list")
                                : tts_import_name(at, row, "derived", b.data, flags, err);
    }
    tts_buf_free(&b);
    return rc;
}

static tts_status fail_at(const msheet *m, long row, long col, tts_status st, const char *what,
                          tts_error *err)
{
    char ref[16] = "";
    if (col >= 0) {
        char letters[8];
        int n = 0;
        long c = col + 1;
        while (c > 0 && n < 7) {
            letters[n++] = (char)('A' + (c - 1) % 26);
            c = (c - 1) / 26;
        }
        for (int i = 0; i < n; i++)
            ref[i] = letters[n - 1 - i];
        snprintf(ref + n, sizeof(ref) - (size_t)n, "%ld", row);
    }
    if (col >= 0)
        tts_err_set(err, st, "%s: sheet \"%s\": cell %s: %s", m->file, m->s->name, ref, what);
    else
        tts_err_set(err, st, "%s: sheet \"%s\": row %ld: %s", m->file, m->s->name, row, what);
    tts_err_locate(err, m->file, (int)row, col >= 0 ? (int)col + 1 : 0);
    return st;
}

/* ---- sheets that are not designations -------------------------------- */

/* Non-blank cells of a row. */
static size_t filled(const tts_xlsx_row *r)
{
    size_t n = 0;
    for (size_t c = 0; c < r->n; c++)
        n += !blank(r->cells[c].text);
    return n;
}

/* 1 when the workbook has a sheet named "N." followed by more (the index's row N). */
static int sheet_numbered(const tts_xlsx *wb, const char *num)
{
    size_t n = strlen(num);
    for (size_t i = 0; i < tts_xlsx_sheet_count(wb); i++) {
        const char *name = tts_xlsx_sheet_name(wb, i);
        if (strncmp(name, num, n) == 0 && name[n] == '.')
            return 1;
    }
    return 0;
}

/*
 * A sheet without a header row may be left out only when its content shows
 * it holds no designation:
 *   - the index (一覧 in the 2026 workbook): rows of prose in column A
 *     alone (what the file is, whom to tell of errors), and rows of a
 *     number N and a programme's title, where N is the number of one of the
 *     workbook's sheets ("N.title");
 *   - a programme repealed as a whole (【解除】リベリア and others): titles in
 *     column A alone and at least one 【...告示廃止】 ("notice repealed on").
 * Anything else without a header is an error: it could be designations in a
 * layout this importer does not know.
 */
static int skippable(const msheet *m)
{
    int numbered = 0, repealed = 0, other = 0;
    for (size_t i = 0; i < m->s->n_rows; i++) {
        const tts_xlsx_row *r = &m->s->rows[i];
        const char *a = cell(r, 0), *p = a;
        char c[512];
        size_t f = filled(r);
        if (f == 0)
            continue;
        compact(a, c, sizeof(c));
        while (isdigit((unsigned char)*p))
            p++;
        if (f == 2 && p != a && *p == '\0' && !blank(cell(r, 1)) && sheet_numbered(m->wb, a)) {
            numbered++;
        } else if (f == 1 && !blank(a)) {
            size_t n = strlen(c);
            if (strncmp(c, "【", 3) == 0 && n > 15 && strcmp(c + n - 15, "告示廃止】") == 0)
                repealed++;
        } else {
            other++;
        }
    }
    return other == 0 && (numbered > 0 || repealed > 0);
}

/* ---- the header ------------------------------------------------------- */

static field field_of(const char *text)
{
    char c[256];
    compact(text, c, sizeof(c));
    for (size_t i = 0; i < sizeof(headers) / sizeof(headers[0]); i++)
        if (strcmp(headers[i].text, c) == 0)
            return headers[i].f;
    return (field)-1;
}

/* Find the header row and read its columns; an unknown header is an error. */
static tts_status read_header(msheet *m, int *found, tts_error *err)
{
    const tts_xlsx_row *h = NULL;
    int have[F_REMARK + 1] = {0};
    *found = 0;
    for (size_t i = 0; i < m->s->n_rows && m->s->rows[i].row <= HEADER_ROWS; i++) {
        char c[32];
        compact(cell(&m->s->rows[i], 0), c, sizeof(c));
        if (strcmp(c, "告示日付") == 0) {
            h = &m->s->rows[i];
            m->header = i;
            break;
        }
    }
    if (h == NULL)
        return TTS_OK;
    *found = 1;
    m->n_cols = h->n;
    m->cols = tts_calloc(h->n, sizeof(*m->cols));
    m->hdr = tts_calloc(h->n, sizeof(*m->hdr));
    if (m->cols == NULL || m->hdr == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    for (size_t c = 0; c < h->n; c++) {
        field f = blank(h->cells[c].text) ? F_NONE : field_of(h->cells[c].text);
        char what[400];
        if ((int)f < 0) {
            snprintf(what, sizeof(what),
                     "header \"%.200s\" is not one the mof-xlsx importer knows (a column of the "
                     "Ministry of Finance's list must not be left out unread)",
                     h->cells[c].text);
            return fail_at(m, h->row, (long)c, TTS_ERR_SYNTAX, what, err);
        }
        if ((f == F_DATE || f == F_NUMBER || f == F_NAME_JA || f == F_NAME_EN) && have[f])
            return fail_at(m, h->row, (long)c, TTS_ERR_SYNTAX, "a second column of this header",
                           err);
        have[f] = 1;
        m->cols[c] = f;
        m->hdr[c] = h->cells[c].text;
    }
    if (m->cols[0] != F_DATE || !have[F_NUMBER] || !have[F_NAME_JA] || !have[F_NAME_EN])
        return fail_at(m, h->row, -1, TTS_ERR_SYNTAX,
                       "the header must have 告示日付 (first), 告示番号, 日本語表記 and 英語表記",
                       err);
    return TTS_OK;
}

/* ---- one designation -------------------------------------------------- */

/* "2001.9.22" (and trailing white space) as an ISO date into iso[11]; 0 when it is not one. */
static int notice_date(const char *s, size_t n, char iso[11], size_t *used)
{
    long part[3];
    size_t i = 0;
    tts_date d;
    char buf[16];
    for (int k = 0; k < 3; k++) {
        size_t start = i;
        part[k] = 0;
        while (i < n && isdigit((unsigned char)s[i]) && i - start < 5)
            part[k] = part[k] * 10 + (s[i++] - '0');
        if (i == start || (k < 2 && (i >= n || s[i++] != '.')))
            return 0;
    }
    snprintf(buf, sizeof(buf), "%04ld-%02ld-%02ld", part[0], part[1], part[2]);
    if (!tts_date_parse(buf, &d))
        return 0;
    memcpy(iso, buf, 11);
    *used = i;
    return 1;
}

/*
 * The 告示日付 cell: its first non-blank line is the date of the notice that
 * designated the entry (into listed_on); later lines are revisions
 * ("2012.3.27改訂") or the removal ("2011.11.18削除", maybe with a space) and
 * notes ("（38．と同一人物）"). *removed = 1 when a line is a removal; 削除
 * anywhere else is an error, so a removal is never misread either way.
 */
static tts_status read_dates(const msheet *m, long row, const char *v, char listed[11],
                             int *removed, tts_error *err)
{
    const char *p = v;
    int first = 1;
    *removed = 0;
    listed[0] = '\0';
    while (*p != '\0') {
        size_t n = strcspn(p, "\n"), used = 0;
        char iso[11], line[256];
        const char *rest;
        tts_buf b = TTS_BUF_INIT;
        clean(&b, p, n);
        if (tts_buf_failed(&b)) {
            tts_buf_free(&b);
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
        }
        snprintf(line, sizeof(line), "%s", b.data);
        tts_buf_free(&b);
        p += n + (p[n] == '\n');
        if (line[0] == '\0')
            continue;
        if (!notice_date(line, strlen(line), iso, &used)) {
            if (first)
                return fail_at(m, row, 0, TTS_ERR_SYNTAX,
                               "告示日付 does not start with a date (YYYY.M.D)", err);
            if (strstr(line, "削除") != NULL)
                return fail_at(m, row, 0, TTS_ERR_SYNTAX,
                               "削除 (removed) not after a date (YYYY.M.D削除)", err);
            continue;
        }
        rest = line + used;
        while (*rest == ' ')
            rest++;
        if (strcmp(rest, "削除") == 0)
            *removed = 1;
        else if (strstr(rest, "削除") != NULL)
            return fail_at(m, row, 0, TTS_ERR_SYNTAX, "削除 (removed) with more after it", err);
        if (first)
            memcpy(listed, iso, 11);
        first = 0;
    }
    if (first)
        return fail_at(m, row, 0, TTS_ERR_SYNTAX, "告示日付 is blank", err);
    return TTS_OK;
}

/* 告示番号 "12", "*1", "#3", "1(#48)", "1(*186)": the number into num[cap]. */
static int notice_number(const char *v, char *num, size_t cap)
{
    char c[64];
    size_t n = 0;
    const char *p = c;
    compact(v, c, sizeof(c));
    if (*p == '*' || *p == '#')
        p++;
    while (isdigit((unsigned char)p[n]))
        n++;
    if (n == 0 || n >= cap || (p[n] != '\0' && p[n] != '(' &&
                               strncmp(p + n, "\xEF\xBC\x88", 3) != 0))
        return 0;
    memcpy(num, p, n);
    num[n] = '\0';
    return 1;
}

/* The text of column c over rows [first, last], non-blank cells joined by a line break. */
static void column_text(const msheet *m, size_t first, size_t last, size_t c, int day,
                        tts_buf *out)
{
    tts_buf_reset(out);
    for (size_t i = first; i <= last; i++) {
        const tts_xlsx_row *r = &m->s->rows[i];
        const char *v = cell(r, c);
        if (blank(v))
            continue;
        if (out->len > 0)
            tts_buf_putc(out, '\n');
        if (day && c < r->n && r->cells[c].number) {
            /* an Excel serial day number: 25569 is 1970-01-01 (1900 system, past its
             * phantom 29 Feb 1900), 24107 in the 1904 system */
            char *end;
            long serial = strtol(v, &end, 10), base = tts_xlsx_date1904(m->wb) ? 24107 : 25569;
            tts_date d = tts_date_from_days(serial - base);
            char iso[11];
            if (*end == '\0' && serial > 60 && d.y != 0) {
                tts_date_format(d, iso);
                tts_buf_puts(out, iso);
                continue;
            }
        }
        tts_buf_puts(out, v);
    }
    tts_buf_puts(out, "");
}

/* "LABEL: value" appended to a "; "-separated text, the value on one line (an allocation
 * that fails marks `to` failed, which the caller checks once). */
static void labelled(tts_buf *to, const char *label, const char *value)
{
    tts_buf c = TTS_BUF_INIT, l = TTS_BUF_INIT;
    if (blank(value))
        return;
    clean(&c, value, strlen(value));
    clean(&l, label, strlen(label));
    if (tts_buf_failed(&c) || tts_buf_failed(&l)) {
        to->failed = 1;
    } else {
        if (to->len > 0)
            tts_buf_puts(to, "; ");
        if (label[0] != '\0')
            tts_buf_printf(to, "%s: ", l.data);
        tts_buf_puts(to, c.data);
    }
    tts_buf_free(&c);
    tts_buf_free(&l);
}

/* 1 when s starts with an enumerator "(a)", "（b）", "(aa)" as this list numbers aliases. */
static size_t enumerator(const char *s)
{
    size_t o = *s == '(' ? 1 : strncmp(s, "\xEF\xBC\x88", 3) == 0 ? 3 : 0, n = 0;
    if (o == 0)
        return 0;
    while (n < 3 && s[o + n] >= 'a' && s[o + n] <= 'z')
        n++;
    if (n == 0 || n == 3)
        return 0;
    if (s[o + n] == ')')
        return o + n + 1;
    if (strncmp(s + o + n, "\xEF\xBC\x89", 3) == 0)
        return o + n + 3;
    return 0;
}

/* One alias: the name as written and, when it names itself in Latin letters in
 * parentheses ("フランク・カコレレ（FRANK KAKORERE）"), that spelling too. */
static tts_status one_alias(const msheet *m, int64_t row, const char *kind, const char *s,
                            size_t n, unsigned flags, tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    clean(&b, s, n);
    if (tts_buf_failed(&b))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    else if (b.data[0] != '\0' && strcmp(b.data, "不明") != 0) {
        const char *o = strchr(b.data, '('), *c = o != NULL ? strchr(o, ')') : NULL;
        rc = tts_import_name(m->at, row, kind, b.data, flags, err);
        if (rc == TTS_OK && o != NULL && c != NULL && o != b.data && memchr(o + 1, '(', (size_t)(c - o - 1)) == NULL) {
            int latin = 0, spaces = 0;
            for (const char *q = o + 1; q < c; q++) {
                latin += isalpha((unsigned char)*q) != 0;
                spaces += *q == ' ';
            }
            if (latin > 0 && spaces > 0 && strncmp(o + 1, "original script", 15) != 0) {
                char *inner = tts_strndup(o + 1, (size_t)(c - o - 1));
                rc = inner == NULL ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list")
                                   : tts_import_name(m->at, row, kind, inner, flags, err);
                tts_free(inner);
            }
        }
    }
    tts_buf_free(&b);
    return rc;
}

/* s starts with the ASCII text t, in any case: its length, else 0. */
static size_t starts(const char *s, const char *t)
{
    size_t n = strlen(t);
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)t[i]))
            return 0;
    return n;
}

/* A separator between two aliases at p: its length, else 0. */
static size_t separator(const char *p, int and_too)
{
    size_t k;
    if (*p == ';')
        return 1;
    if (strncmp(p, "\xEF\xBC\x9B", 3) == 0 || strncmp(p, "\xE3\x80\x81", 3) == 0)
        return 3; /* ；、 */
    if (and_too && strncmp(p, "\xE5\x8F\x8A\xE3\x81\xB3", 6) == 0)
        return 6; /* 及び, in a list already separated by 、 */
    if (*p == ',' && ((k = starts(p + 1, " a.k.a.")) > 0 || (k = starts(p + 1, " f.k.a.")) > 0))
        return 1 + k;
    return enumerator(p);
}

/* The labels a line of aliases may start with: "別称、", "(別称)", "a.k.a.", "a.k.a.:". */
static const char *unlabel(const char *p)
{
    static const char *const ja[] = {"別称", "別名", "旧称", NULL};
    size_t k;
    for (int again = 1; again;) {
        again = 0;
        while (*p == ' ')
            p++;
        for (size_t i = 0; ja[i] != NULL; i++) {
            size_t n = strlen(ja[i]), o = *p == '(' ? 1 : 0;
            if (strncmp(p + o, ja[i], n) != 0)
                continue;
            if (o == 1 && p[o + n] == ')')
                k = o + n + 1;
            else if (o == 0 && (strncmp(p + n, "\xE3\x80\x81", 3) == 0 ||
                                strncmp(p + n, "\xEF\xBC\x9A", 3) == 0))
                k = n + 3; /* 、 or ： */
            else if (o == 0 && p[n] == ':')
                k = n + 1;
            else
                continue;
            p += k;
            again = 1;
        }
        if ((k = starts(p, "a.k.a.")) > 0 || (k = starts(p, "f.k.a.")) > 0) {
            p += k;
            if (*p == ':')
                p++;
            again = 1;
        }
    }
    return p;
}

/*
 * One line of an alias cell, cleaned (ASCII parentheses): a line wholly in
 * parentheses loses them, a label ("別称、", "a.k.a.") is dropped, and the
 * rest is split at ";", "；", "、", ", a.k.a.", numbered "(a)...(b)...", and
 * 及び when the line is a list separated by 、. Commas alone are not
 * separators: company names hold them.
 */
static tts_status alias_line(const msheet *m, int64_t row, const char *kind, char *line,
                             unsigned flags, tts_error *err)
{
    size_t n = strlen(line);
    int and_too = strstr(line, "\xE3\x80\x81") != NULL;
    const char *p, *start;
    tts_status rc = TTS_OK;
    if (n >= 2 && line[0] == '(' && line[n - 1] == ')') {
        int depth = 0, whole = 1;
        for (size_t i = 0; i < n && whole; i++) {
            depth += line[i] == '(' ? 1 : line[i] == ')' ? -1 : 0;
            whole = depth > 0 || i == n - 1;
        }
        if (whole) {
            line[n - 1] = '\0';
            line++;
        }
    }
    p = start = unlabel(line);
    while (rc == TTS_OK) {
        size_t k = *p == '\0' ? 1 : separator(p, and_too);
        if (k == 0) {
            p++;
            continue;
        }
        if (p > start) {
            const char *q = unlabel(start);
            if (p > q)
                rc = one_alias(m, row, kind, q, (size_t)(p - q), flags, err);
        }
        if (*p == '\0')
            break;
        p += k;
        start = p;
    }
    return rc;
}

/* An alias cell, line by line (each line cleaned first). */
static tts_status add_aliases(const msheet *m, int64_t row, const char *kind, const char *v,
                              unsigned flags, tts_error *err)
{
    tts_buf line = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    while (*v != '\0' && rc == TTS_OK) {
        size_t n = strcspn(v, "\n");
        clean(&line, v, n);
        if (tts_buf_failed(&line))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
        else
            rc = alias_line(m, row, kind, line.data, flags, err);
        v += n + (v[n] == '\n');
    }
    tts_buf_free(&line);
    return rc;
}

/* Rows [first, last] of the sheet: one designation and the rows that continue it. */
static tts_status add_entry(msheet *m, size_t first, size_t last, tts_error *err)
{
    const tts_xlsx_row *r = &m->s->rows[first];
    tts_buf col = TTS_BUF_INIT, ja = TTS_BUF_INIT, en = TTS_BUF_INIT, addr = TTS_BUF_INIT,
            ids = TTS_BUF_INIT, rem = TTS_BUF_INIT;
    tts_store_entry e;
    char listed[11], num[24], id[300];
    int removed = 0;
    int64_t row;
    unsigned flags = m->type != NULL && strcmp(m->type, "individual") == 0 ? TTS_NAME_PERSON : 0;
    tts_status rc = TTS_OK;

    m->at->line = (int)r->row;
    TTS_TRY(read_dates(m, r->row, cell(r, 0), listed, &removed, err));
    for (size_t c = 0; c < m->n_cols; c++)
        if (m->cols[c] == F_NUMBER && !notice_number(cell(r, c), num, sizeof(num)))
            TTS_FAIL(fail_at(m, r->row, (long)c, TTS_ERR_SYNTAX,
                             "告示番号 is not a number (N, *N, #N, N(#M))", err));
    if (removed)
        goto out; /* delisted: not imported; a version that had it shows it removed */
    for (size_t i = first; i <= last; i++) /* a value right of the header is unread */
        for (size_t c = m->n_cols; c < m->s->rows[i].n; c++)
            if (!blank(m->s->rows[i].cells[c].text))
                TTS_FAIL(fail_at(m, m->s->rows[i].row, (long)c, TTS_ERR_SYNTAX,
                                 "a value in a column without a header", err));
    for (size_t c = 0; c < m->n_cols; c++) {
        field f = m->cols[c];
        if (f == F_DATE || f == F_NUMBER) {
            labelled(&rem, m->hdr[c], cell(r, c));
            continue;
        }
        column_text(m, first, last, c, f == F_DAY, &col);
        if (tts_buf_failed(&col))
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list"));
        if (f == F_NAME_JA)
            clean_as(&ja, col.data, col.len, 0);
        else if (f == F_NAME_EN)
            clean_as(&en, col.data, col.len, 0);
        else if (f == F_ADDRESS && !blank(col.data) && strcmp(col.data, "不明") != 0)
            labelled(&addr, "", col.data);
        else if (f == F_ID && !blank(col.data) && strcmp(col.data, "不明") != 0)
            labelled(&ids, m->hdr[c], col.data);
        else if ((f == F_DAY || f == F_REMARK) && strcmp(col.data, "不明") != 0)
            labelled(&rem, m->hdr[c], col.data);
        else if (f == F_NONE && !blank(col.data))
            TTS_FAIL(fail_at(m, r->row, (long)c, TTS_ERR_SYNTAX,
                             "a value in a column without a header", err));
    }
    tts_buf_puts(&ja, "");
    tts_buf_puts(&en, "");
    tts_buf_puts(&addr, "");
    tts_buf_puts(&ids, "");
    tts_buf_puts(&rem, "");
    if (tts_buf_failed(&col) || tts_buf_failed(&ja) || tts_buf_failed(&en) ||
        tts_buf_failed(&addr) || tts_buf_failed(&ids) || tts_buf_failed(&rem))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list"));
    if (ja.data[0] == '\0' && en.data[0] == '\0') {
        /* the 2026 workbook has one (タリバーン関係者等 274, row 276: a date and a number,
         * nothing else, no 削除): nothing to match, so left out with a warning */
        if (m->at->counts->warnings++ == 0)
            snprintf(m->at->counts->warning, sizeof(m->at->counts->warning),
                     "%s: sheet \"%.40s\": row %ld: a designation without a name (日本語表記 "
                     "and 英語表記 blank, no 削除): not imported",
                     m->file, m->s->name, r->row);
        goto out;
    }
    snprintf(id, sizeof(id), "%s/%s", m->key, num);
    memset(&e, 0, sizeof(e));
    e.entry_id = id;
    e.name = ja.data[0] != '\0' ? ja.data : en.data;
    e.type = m->type;
    e.programs = m->prog;
    e.listed_on = listed;
    e.addresses = addr.data[0] != '\0' ? addr.data : NULL;
    e.ids = ids.data[0] != '\0' ? ids.data : NULL;
    e.remarks = rem.data[0] != '\0' ? rem.data : NULL;
    TTS_TRY(tts_import_entry(m->at, &e, &row, err));
    TTS_TRY(add_name(m->at, row, "primary", e.name, flags, err));
    if (ja.data[0] != '\0' && en.data[0] != '\0')
        TTS_TRY(add_name(m->at, row, "english", en.data, flags, err));
    for (size_t c = 0; c < m->n_cols; c++) {
        if (m->cols[c] != F_AKA && m->cols[c] != F_FKA)
            continue;
        column_text(m, first, last, c, 0, &col);
        if (tts_buf_failed(&col))
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list"));
        TTS_TRY(add_aliases(m, row, m->cols[c] == F_AKA ? "aka" : "fka", col.data, flags, err));
    }
out:
    tts_buf_free(&col);
    tts_buf_free(&ja);
    tts_buf_free(&en);
    tts_buf_free(&addr);
    tts_buf_free(&ids);
    tts_buf_free(&rem);
    return rc;
}

/* The name's programme and id prefix; the entries' type when the name says (個人)/(団体). */
static tts_status sheet_names(msheet *m, tts_error *err)
{
    const char *name = m->s->name, *p = name;
    tts_buf b = TTS_BUF_INIT;
    clean_as(&b, name, strlen(name), 0);
    snprintf(m->prog, sizeof(m->prog), "%s", b.data != NULL ? b.data : "");
    while (isdigit((unsigned char)*p))
        p++;
    if (p != name && *p == '.')
        p++;
    else
        p = name;
    clean_as(&b, p, strlen(p), 0);
    snprintf(m->key, sizeof(m->key), "%s", b.data != NULL ? b.data : "");
    if (tts_buf_failed(&b)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    }
    tts_buf_free(&b);
    m->type = strstr(name, "個人") != NULL && strstr(name, "団体") == NULL   ? "individual"
              : strstr(name, "団体") != NULL && strstr(name, "個人") == NULL ? "entity"
                                                                            : NULL;
    return TTS_OK;
}

static tts_status import_sheet(tts_import_at *at, tts_xlsx *wb, size_t i, const char *file,
                               tts_error *err)
{
    msheet m;
    tts_xlsx_sheet *s = NULL;
    tts_status rc;
    int found = 0;
    size_t first = 0;
    int open = 0;
    memset(&m, 0, sizeof(m));
    TTS_TRY(tts_xlsx_sheet_read(wb, i, &s, err));
    m.at = at;
    m.wb = wb;
    m.s = s;
    m.file = file;
    TTS_TRY(sheet_names(&m, err));
    snprintf(m.where, sizeof(m.where), "%s (sheet \"%s\")", file, s->name);
    at->path = m.where;
    TTS_TRY(read_header(&m, &found, err));
    if (!found) {
        if (!skippable(&m))
            TTS_FAIL(fail_at(&m, 1, -1, TTS_ERR_SYNTAX,
                             "no header row (告示日付 in column A within the first "
                             "10 rows), and not the index or a repealed programme",
                             err));
        goto out;
    }
    for (size_t k = m.header + 1; k < s->n_rows; k++) {
        const tts_xlsx_row *r = &s->rows[k];
        int a = !blank(cell(r, 0)), b = 0, names = 0;
        for (size_t c = 0; c < m.n_cols; c++) {
            b |= m.cols[c] == F_NUMBER && !blank(cell(r, c));
            names |= (m.cols[c] == F_NAME_JA || m.cols[c] == F_NAME_EN) && !blank(cell(r, c));
        }
        if (filled(r) == 0)
            continue;
        if (a != b)
            TTS_FAIL(fail_at(&m, r->row, -1, TTS_ERR_SYNTAX,
                             "告示日付 and 告示番号 must be given together", err));
        if (!a) {
            /* MOF merges a long entry's cells over several rows (the Somalia sheet): a row
             * without date, number or names continues the entry above it */
            if (names || !open)
                TTS_FAIL(fail_at(&m, r->row, -1, TTS_ERR_SYNTAX,
                                 "a row without 告示日付 and 告示番号 that continues no entry",
                                 err));
            continue;
        }
        if (open)
            TTS_TRY(add_entry(&m, first, k - 1, err));
        first = k;
        open = 1;
        /* the rows between entries that are blank are skipped by add_entry's column_text */
    }
    if (open)
        TTS_TRY(add_entry(&m, first, s->n_rows - 1, err));
out:
    tts_free(m.cols);
    tts_free(m.hdr);
    tts_xlsx_sheet_free(s);
    return rc;
}

tts_status tts_import_mof_xlsx(tts_import_at *at, const char *path, tts_error *err)
{
    tts_xlsx *wb = NULL;
    tts_status rc;
    TTS_TRY(tts_xlsx_open(path, path, &wb, err));
    for (size_t i = 0; i < tts_xlsx_sheet_count(wb); i++) {
        rc = import_sheet(at, wb, i, path, err);
        at->path = path; /* the sheet's name for messages lived in import_sheet */
        if (rc != TTS_OK)
            goto out;
    }
out:
    tts_xlsx_close(wb);
    return rc;
}
