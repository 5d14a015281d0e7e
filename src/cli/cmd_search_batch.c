/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen search --batch FILE`: screen every row of a counterparty sheet
 * in one process. Each input row is carried through to the output beside
 * its candidates (one output row per candidate, or the best only), in CSV
 * (UTF-8 with a byte order mark, so spreadsheet programs read it right),
 * JSON Lines, JSON or text. A row that cannot be screened (an empty name, a
 * country that is not an ISO code) is an error naming file, row and column;
 * with --skip-bad the other rows are still screened, and the exit status
 * stays 2 so that no unscreened row passes as clear.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

typedef struct batch {
    const cli_batch_opts *o;
    tts_lists *lists;
    tts_sheet *sheet;
    tts_sheet_writer *xlsx;
    const char **xcells; /* input cells + match cells of one xlsx row */
    FILE *out;
    long rows, bad, with_hits;
    int first_json;
    cli_progress progress;
    /* --store */
    tts_rules *rules;
    tts_cases *cases;
    tts_list_info *info;
    size_t n_info;
    char now[32], today[11];
    const char *actor;
    long stored, store_findings;
    int ids_col;      /* the "identifiers" column, or -1 */
    int read_end, stopped; /* the sheet is read to its end (or its error); the batch stopped */
    char case_id[160]; /* the case of the row being written ("" when it was not kept) */
} batch;

/* A CSV cell: quoted when it holds a separator, a quote or a line break. */
static void csv_cell(FILE *fp, const char *s, int first)
{
    if (!first)
        fputc(',', fp);
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static const char *const match_cols[] = {
    "match_list",       "match_entry_id",   "match_name",       "match_matched",
    "match_score",      "match_country",    "match_programs",   "match_type",
    "match_listed_on",  "match_source_url", "match_name_score", "match_country_adjustment",
    "match_identifier_adjustment"};
#define N_MATCH_COLS (sizeof(match_cols) / sizeof(match_cols[0]))

/* The numbers a match's cells print, formatted. */
typedef struct match_nums {
    char score[16], name[16], country[16], ident[16];
} match_nums;

/*
 * The cells of match h in the order of match_cols (NULL: empty; all NULL
 * without a match): the score, then what the name alone scored and what the
 * row's country and identifiers added or took (tts_lists_search).
 */
static void match_cells(const tts_match *h, match_nums *nb, const char *m[N_MATCH_COLS])
{
    memset(m, 0, N_MATCH_COLS * sizeof(*m));
    if (h == NULL)
        return;
    snprintf(nb->score, sizeof(nb->score), "%.4f", h->score);
    snprintf(nb->name, sizeof(nb->name), "%.4f", h->name_score);
    snprintf(nb->country, sizeof(nb->country), "%.4f", h->country_delta);
    snprintf(nb->ident, sizeof(nb->ident), "%.4f", h->ident_delta);
    m[0] = h->source;
    m[1] = h->entry_id;
    m[2] = h->name;
    m[3] = h->matched;
    m[4] = nb->score;
    m[5] = h->country;
    m[6] = h->programs;
    m[7] = h->entry_type;
    m[8] = h->listed_on;
    m[9] = h->source_url;
    m[10] = nb->name;
    m[11] = nb->country;
    m[12] = nb->ident;
}

static void csv_header(batch *b)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    fputs("\xEF\xBB\xBF", b->out); /* UTF-8 byte order mark */
    for (size_t i = 0; i < n; i++)
        csv_cell(b->out, tts_sheet_column(b->sheet, i), i == 0);
    for (size_t i = 0; i < N_MATCH_COLS; i++)
        csv_cell(b->out, match_cols[i], n == 0 && i == 0);
    if (b->o->store)
        csv_cell(b->out, "case_id", 0);
    fputs("\r\n", b->out);
}

static void csv_row(batch *b, const char *const *cells, const tts_match *h)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    match_nums nb;
    const char *m[N_MATCH_COLS];
    match_cells(h, &nb, m);
    for (size_t i = 0; i < n; i++)
        csv_cell(b->out, cells[i], i == 0);
    for (size_t i = 0; i < N_MATCH_COLS; i++)
        csv_cell(b->out, m[i], n == 0 && i == 0);
    if (b->o->store)
        csv_cell(b->out, b->case_id, 0);
    fputs("\r\n", b->out);
}

/* Text as HTML: the five markup characters escaped, control characters shown as U+FFFD. */
static void html_text(FILE *fp, const char *s)
{
    for (; s != NULL && *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                fputs("\xEF\xBF\xBD", fp);
            else
                fputc(c, fp);
        }
    }
}

/* A self-contained page: one table, the input columns then the match's, matches marked. */
static void html_header(batch *b)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<title>ttscreen search: ",
          b->out);
    html_text(b->out, b->o->file);
    fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:1em}"
          "table{border-collapse:collapse;font-size:90%}"
          "th,td{border:1px solid #bbb;padding:.2em .4em;text-align:left;vertical-align:top}"
          "th{background:#eee}tr.match td{background:#ffe08a}"
          "tr.match td.m{font-weight:bold}\n</style>\n</head>\n<body>\n<h1>ttscreen search: ",
          b->out);
    html_text(b->out, b->o->file);
    fputs("</h1>\n<p>Rows with a candidate at or above the threshold are highlighted; every "
          "input column is shown beside the candidate.</p>\n<table>\n<thead><tr>",
          b->out);
    for (size_t i = 0; i < n; i++) {
        fputs("<th>", b->out);
        html_text(b->out, tts_sheet_column(b->sheet, i));
        fputs("</th>", b->out);
    }
    for (size_t i = 0; i < N_MATCH_COLS; i++)
        fprintf(b->out, "<th>%s</th>", match_cols[i]);
    if (b->o->store)
        fputs("<th>case_id</th>", b->out);
    fputs("</tr></thead>\n<tbody>\n", b->out);
}

static void html_row(batch *b, const char *const *cells, const tts_match *h)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    match_nums nb;
    const char *m[N_MATCH_COLS];
    match_cells(h, &nb, m);
    fputs(h != NULL ? "<tr class=\"match\">" : "<tr>", b->out);
    for (size_t i = 0; i < n; i++) {
        fputs("<td>", b->out);
        html_text(b->out, cells[i]);
        fputs("</td>", b->out);
    }
    for (size_t i = 0; i < N_MATCH_COLS; i++) {
        fputs("<td class=\"m\">", b->out);
        html_text(b->out, m[i]);
        fputs("</td>", b->out);
    }
    if (b->o->store) {
        fputs("<td>", b->out);
        html_text(b->out, b->case_id);
        fputs("</td>", b->out);
    }
    fputs("</tr>\n", b->out);
}

/* An xlsx row: the input cells, then the match's; -1 on a write error (printed). */
static int xlsx_row(batch *b, const char *const *cells, const tts_match *h)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    match_nums nb;
    const char *m[N_MATCH_COLS];
    tts_error err;
    tts_error_clear(&err);
    match_cells(h, &nb, m);
    for (size_t i = 0; i < n; i++)
        b->xcells[i] = cells[i];
    for (size_t i = 0; i < N_MATCH_COLS; i++)
        b->xcells[n + i] = m[i] != NULL ? m[i] : "";
    if (b->o->store)
        b->xcells[n + N_MATCH_COLS] = b->case_id;
    if (tts_sheet_writer_row(b->xlsx, b->xcells, h != NULL, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    return 0;
}

static tts_status xlsx_open(batch *b, tts_error *err)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    size_t extra = b->o->store ? 1 : 0; /* the case_id column */
    b->xcells = calloc(n + N_MATCH_COLS + extra, sizeof(char *));
    if (b->xcells == NULL)
        return TTS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        b->xcells[i] = tts_sheet_column(b->sheet, i);
    for (size_t i = 0; i < N_MATCH_COLS; i++)
        b->xcells[n + i] = match_cols[i];
    if (extra)
        b->xcells[n + N_MATCH_COLS] = "case_id";
    return tts_sheet_writer_open(b->o->out, b->xcells, n + N_MATCH_COLS + extra, (int)n + 4,
                                 &b->xlsx, err);
}

static void json_row(batch *b, const char *const *cells, long row, const tts_match *hits,
                     size_t n_hits)
{
    size_t n = tts_sheet_n_columns(b->sheet);
    FILE *fp = b->out;
    if (b->o->format == CLI_BATCH_JSON)
        fputs(b->first_json ? "[" : ",\n", fp);
    b->first_json = 0;
    fprintf(fp, "{\"row\":%ld,", row);
    if (b->o->store) {
        fputs("\"case_id\":", fp);
        cli_json_str(fp, b->case_id[0] != '\0' ? b->case_id : NULL);
        fputc(',', fp);
    }
    fputs("\"input\":{", fp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc(',', fp);
        cli_json_str(fp, tts_sheet_column(b->sheet, i));
        fputc(':', fp);
        cli_json_str(fp, cells[i]);
    }
    fputs("},\"matches\":[", fp);
    for (size_t i = 0; i < n_hits; i++) {
        const tts_match *h = &hits[i];
        fputs(i > 0 ? ",{\"source\":" : "{\"source\":", fp);
        cli_json_str(fp, h->source);
        fputs(",\"entry_id\":", fp);
        cli_json_str(fp, h->entry_id);
        fputs(",\"name\":", fp);
        cli_json_str(fp, h->name);
        fputs(",\"matched\":", fp);
        cli_json_str(fp, h->matched);
        fprintf(fp, ",\"score\":%.4f,", h->score);
        cli_json_facts(fp, h);
        fputs("\"country\":", fp);
        cli_json_str(fp, h->country);
        fputs(",\"programs\":", fp);
        cli_json_list(fp, h->programs);
        fputs(",\"entry_type\":", fp);
        cli_json_str(fp, h->entry_type);
        fputs(",\"listed_on\":", fp);
        cli_json_str(fp, h->listed_on);
        fputs(",\"source_url\":", fp);
        cli_json_str(fp, h->source_url);
        fputc('}', fp);
    }
    fputs("]}", fp);
    if (b->o->format == CLI_BATCH_JSONL)
        fputc('\n', fp);
}

static void text_row(batch *b, const char *name, long row, const tts_match *hits,
                     size_t n_hits)
{
    char kept[192] = "";
    if (b->o->store)
        snprintf(kept, sizeof(kept), " (case %s)", b->case_id[0] != '\0' ? b->case_id : "not kept");
    if (n_hits == 0) {
        fprintf(b->out, "row %ld  %s%s: no candidate\n", row, name, kept);
        return;
    }
    fprintf(b->out, "row %ld  %s%s:\n", row, name, kept);
    for (size_t i = 0; i < n_hits; i++)
        fprintf(b->out, "    %.3f  %s  %s  %s\n", hits[i].score, hits[i].source,
                hits[i].entry_id, hits[i].name);
}

/*
 * A row's cell for a role, trimmed of blanks at both ends into buf; "" when
 * none; NULL when it does not fit (never cut: a cut name would be screened
 * as another name).
 */
static const char *role_cell(const batch *b, const char *const *cells, tts_sheet_role role, char *buf,
                             size_t cap)
{
    int col = tts_sheet_role_column(b->sheet, role);
    const char *s = col >= 0 ? cells[col] : "";
    size_t n;
    while (*s == ' ' || *s == '\t')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= cap)
        return NULL;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return buf;
}

static void bad_row(batch *b, long row, tts_sheet_role role, const char *what)
{
    int col = tts_sheet_role_column(b->sheet, role);
    cli_error("%s:%ld: column %d (%s): %s%s", b->o->file, row, col + 1,
              col >= 0 ? tts_sheet_column(b->sheet, (size_t)col) : "?", what,
              b->o->skip_bad ? " (row skipped: it was not screened)" : "");
    b->bad++;
}

/* ---- --store: a row kept as a counterparty case ---- */

/*
 * The key a row without an id is known by, into out (cap bytes; -1 when it
 * does not fit): the name with runs of blanks (space, tab, the ideographic
 * space U+3000) as one space and none at either end, full-width ASCII
 * (U+FF01-U+FF5E) read as ASCII, ASCII letters in lower case; then U+001F
 * and the country. So "ＡＣＭＥ  Corp" and "acme corp" of one country are one
 * counterparty; any other difference in the name makes another.
 */
static int name_key(const char *name, const char *country, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t n = 0;
    int blank = 0;
    while (*p != '\0') {
        unsigned c = *p++;
        if (c == 0xE3 && p[0] == 0x80 && p[1] == 0x80) { /* U+3000 */
            p += 2;
            c = ' ';
        } else if (c == 0xEF && ((p[0] == 0xBC && p[1] >= 0x81 && p[1] <= 0xBF) ||
                                 (p[0] == 0xBD && p[1] >= 0x80 && p[1] <= 0x9E))) {
            c = 0x21 + (p[0] == 0xBC ? p[1] - 0x81 : p[1] - 0x80 + 0x3F); /* U+FF01.. */
            p += 2;
        }
        if (c == ' ' || c == '\t') {
            blank = n > 0;
            continue;
        }
        if (blank && n + 1 < cap)
            out[n++] = ' ';
        blank = 0;
        if (n + 1 >= cap)
            return -1;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    if (n + 4 >= cap)
        return -1;
    out[n++] = '\x1f';
    out[n++] = country[0];
    out[n++] = country[1];
    out[n] = '\0';
    return 0;
}

/* The record id of a row's case: cp-ID when the id column is a valid id, else cp- and 24 hex
 * digits of SHA-256 over the row's name key (name_key), stable across runs. */
static int case_id(const char *id, const char *name, const char *country, char out[160])
{
    size_t n = id != NULL ? strlen(id) : 0, ok = n > 0 && n <= 120;
    char sha[65], key[TTS_CLI_NAME_MAX + 8];
    tts_error err;
    for (size_t i = 0; ok && i < n; i++) {
        char c = id[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    }
    if (ok) {
        snprintf(out, 160, "cp-%.120s", id);
        return 0;
    }
    tts_error_clear(&err);
    if (name_key(name, country, key, sizeof(key)) != 0 ||
        tts_digest_sha256(key, strlen(key), sha, &err) != TTS_OK)
        return -1;
    snprintf(out, 160, "cp-%.24s", sha);
    return 0;
}

/*
 * The "identifiers" cell of a row ("lei:529900...; duns:12345678") as the
 * members of a party's identifiers object, written to fp; NULL when the row
 * has none, else "" when all is well or what is wrong (cli_identifiers_parse):
 * never dropped, as a lost identifier would go unscreened.
 */
static const char *write_identifiers(FILE *fp, const char *cell, char *why, size_t cap)
{
    cli_identifiers ids;
    if (cli_identifiers_parse(cell, &ids, why, cap) != 0)
        return why;
    for (size_t i = 0; i < ids.n; i++) {
        fputs(i == 0 ? "" : ",", fp);
        cli_json_str(fp, ids.scheme[i]);
        fputc(':', fp);
        cli_json_str(fp, ids.value[i]);
    }
    return ids.n == 0 ? NULL : "";
}

/* The party type of a sheet's type cell: the record's vocabulary, else a company. */
static const char *party_type(const char *t)
{
    static const char *const known[] = {"company", "university", "research-institute",
                                        "government", "military", "person"};
    if (strcmp(t, "individual") == 0 || strcmp(t, "個人") == 0)
        return "person";
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(t, known[i]) == 0)
            return known[i];
    return "company";
}

/*
 * The ttscreen-record/1 of a counterparty row: a supply record of the
 * screening organisation (--org-country) and the counterparty, with its
 * name, aliases (';'-separated), country, type and identifiers (the members
 * of its identifiers object, or NULL), marked by the top-level
 * "counterparty" member (how the case file tells the kinds apart). A person
 * is a party of type person: unlike an entry of `people`, it keeps the
 * row's aliases and identifiers, and the list rules read both alike.
 */
static char *counterparty_record(batch *b, const char *id, const char *sheet_id, const char *name,
                                 const char *aliases, const char *country, const char *type,
                                 const char *idents, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    if (fp == NULL)
        return NULL;
    fputs("{\"format\":\"ttscreen-record/1\",\"id\":", fp);
    cli_json_str(fp, id);
    fputs(",\"kind\":\"supply\",\"title\":", fp);
    cli_json_str(fp, name);
    fputs(",\"screened_for\":\"screening-organisation\",\"parties\":[{\"id\":"
          "\"screening-organisation\",\"name\":\"screening organisation\",\"country\":", fp);
    cli_json_str(fp, b->o->org_country != NULL ? b->o->org_country : "JP");
    fputs(",\"type\":\"company\"},{\"id\":\"counterparty\",\"name\":", fp);
    cli_json_str(fp, name);
    fputs(",\"country\":", fp);
    cli_json_str(fp, country);
    fputs(",\"type\":", fp);
    cli_json_str(fp, party_type(type));
    fputs(",\"aliases\":[", fp);
    for (const char *p = aliases, *first = p; p != NULL && *p != '\0';) {
        size_t n = strcspn(p, ";");
        char one[TTS_CLI_NAME_MAX];
        while (n > 0 && (*p == ' ' || *p == '\t')) {
            p++;
            n--;
        }
        if (n > 0 && n < sizeof(one)) {
            memcpy(one, p, n);
            one[n] = '\0';
            if (p != first)
                fputc(',', fp);
            cli_json_str(fp, one);
        }
        p += n;
        if (*p == ';')
            p++;
    }
    fputc(']', fp);
    if (idents != NULL)
        fprintf(fp, ",\"identifiers\":{%s}", idents);
    fputs("}],\"counterparty\":{\"sheet_id\":", fp);
    cli_json_str(fp, sheet_id);
    fputs("}}", fp);
    if (fclose(fp) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The identifiers cell of a row as JSON members into *out (NULL: none); -1 (reported) if bad. */
static int row_identifiers(batch *b, const char *const *cells, long row, char **out)
{
    char why[160], *text = NULL;
    size_t len = 0;
    const char *res;
    FILE *fp;
    *out = NULL;
    if (b->ids_col < 0)
        return 0;
    if ((fp = open_memstream(&text, &len)) == NULL)
        return -1;
    res = write_identifiers(fp, cells[b->ids_col], why, sizeof(why));
    if (fclose(fp) != 0 || (res != NULL && res[0] != '\0')) {
        if (res != NULL && res[0] != '\0') {
            cli_error("%s:%ld: column %d (%s): %s%s", b->o->file, row, b->ids_col + 1,
                      tts_sheet_column(b->sheet, (size_t)b->ids_col), res,
                      b->o->skip_bad ? " (row not kept under watch)" : "");
            b->bad++;
        } else {
            cli_error("%s:%ld: out of memory", b->o->file, row);
            b->bad++;
        }
        free(text);
        return -1;
    }
    if (res == NULL)
        free(text);
    else
        *out = text;
    return 0;
}

/*
 * Screen the row as a counterparty case and store it, its case id in
 * b->case_id; -1 when it could not be kept (reported, counted as bad).
 */
static int store_row(batch *b, const char *const *cells, long row, const char *name,
                     const char *country, const char *type)
{
    char idcell[256], aliases[TTS_CLI_NAME_MAX], id[160], *text = NULL, *idents = NULL;
    size_t len = 0;
    tts_record *rec = NULL;
    tts_screen_opts so;
    tts_screen_result res;
    tts_error err;
    int rc = -1;
    b->case_id[0] = '\0';
    if (country[0] == '\0') {
        bad_row(b, row, TTS_SHEET_COUNTRY,
                "a counterparty kept under watch (--store) needs its country");
        return -1;
    }
    if (row_identifiers(b, cells, row, &idents) != 0)
        return -1;
    if (role_cell(b, cells, TTS_SHEET_ID, idcell, sizeof(idcell)) == NULL)
        idcell[0] = '\0';
    if (role_cell(b, cells, TTS_SHEET_ALIASES, aliases, sizeof(aliases)) == NULL)
        aliases[0] = '\0';
    if (case_id(idcell, name, country, id) != 0 ||
        (text = counterparty_record(b, id, idcell, name, aliases, country, type, idents,
                                    &len)) == NULL) {
        cli_error("%s:%ld: out of memory", b->o->file, row);
        b->bad++;
        free(idents);
        return -1;
    }
    tts_error_clear(&err);
    memset(&res, 0, sizeof(res));
    if (tts_record_parse(text, len, b->o->file, &rec, &err) != TTS_OK) {
        cli_error("%s:%ld: %s", b->o->file, row, err.message);
        goto out;
    }
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.rules = b->rules;
    so.lists = b->lists;
    so.list_info = b->info;
    so.n_lists = b->n_info;
    so.cases = b->cases;
    so.store = 1;
    so.as_of = b->o->as_of;
    so.today = b->today;
    so.at = b->now;
    so.actor = b->actor;
    so.tool_version = tts_version();
    if (tts_screen_record(&so, rec, &res, &err) != TTS_OK) {
        cli_error("%s:%ld: %s", b->o->file, row, err.message);
        goto out;
    }
    b->stored++;
    b->store_findings += strcmp(tts_findings_verdict(res.findings), "clear") != 0;
    snprintf(b->case_id, sizeof(b->case_id), "%s", id);
    rc = 0;
out:
    if (rc != 0)
        b->bad++;
    tts_screen_result_clear(&res);
    tts_record_free(rec);
    free(text);
    free(idents);
    return rc;
}

/* --store: the rules, the case file and the lists consulted, as screen opens them. */
static int store_open(batch *b)
{
    tts_error err;
    tts_error_clear(&err);
    if (cli_now(b->now, b->today) != 0 || cli_today(b->today) != 0)
        return -1;
    if (b->o->org_country != NULL &&
        !(strlen(b->o->org_country) == 2 && b->o->org_country[0] >= 'A' &&
          b->o->org_country[0] <= 'Z' && b->o->org_country[1] >= 'A' &&
          b->o->org_country[1] <= 'Z')) {
        cli_error("search: --org-country must be an ISO 3166 alpha-2 code, got '%s'",
                  b->o->org_country);
        return -1;
    }
    if (b->o->as_of != NULL && tts_date_check(b->o->as_of) != TTS_OK) {
        cli_error("search: --as-of must be a date YYYY-MM-DD, got '%s'", b->o->as_of);
        return -1;
    }
    if (cli_load_rules("search", cli_rules_dir(b->o->rules_dir), &b->rules) != 0)
        return -1;
    if (tts_lists_info(b->lists, &b->info, &b->n_info, &err) != TTS_OK ||
        tts_cases_open(b->o->db, 0, &b->cases, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    if (cli_lists_ready("search", b->o->db, b->info, b->n_info, 0, NULL, b->today) != 0)
        return -1;
    b->actor = cli_actor(b->o->by);
    return 0;
}

static void store_close(batch *b)
{
    tts_cases_close(b->cases);
    tts_list_info_free(b->info, b->n_info);
    tts_rules_free(b->rules);
    b->cases = NULL;
    b->info = NULL;
    b->rules = NULL;
}

/* The column headed "identifiers" (ASCII case ignored), or -1. */
static int identifiers_column(const tts_sheet *sh)
{
    for (size_t i = 0; i < tts_sheet_n_columns(sh); i++) {
        const char *h = tts_sheet_column(sh, i), *want = "identifiers";
        size_t k = 0;
        while (h[k] != '\0' && want[k] != '\0' &&
               (h[k] == want[k] || (h[k] >= 'A' && h[k] <= 'Z' && h[k] - 'A' + 'a' == want[k])))
            k++;
        if (h[k] == '\0' && want[k] == '\0')
            return (int)i;
    }
    return -1;
}

/* Screen one row; -1 on an error that ends the batch. */
/* A country cell upper-cased in place: 1 when empty or an ISO 3166 alpha-2 code. */
static int country_code(char *c)
{
    if (c[0] == '\0')
        return 1;
    if (strlen(c) == 2 && c[0] >= 'a' && c[0] <= 'z' && c[1] >= 'a' && c[1] <= 'z') {
        c[0] = (char)(c[0] - 'a' + 'A');
        c[1] = (char)(c[1] - 'a' + 'A');
    }
    return strlen(c) == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
}

/*
 * The row's identifiers cell into *ids. One that cannot be read is a bad
 * row: reported and counted here, or by store_row with --store (where it
 * also keeps the row from the watch); with --skip-bad the name is still
 * screened, without the identifiers (ids->n 0). -1 when the batch stops.
 */
/* What a row's own cells say is wrong with it, found on a worker, said in row order. */
enum row_fault {
    ROW_OK,
    ROW_NAME_LONG,
    ROW_COUNTRY_UNREADABLE,
    ROW_NAME_EMPTY,
    ROW_COUNTRY_BAD,
    ROW_SEARCH_FAILED
};

/*
 * One row on its way (ttscreen/jobs.h): its cells copied from the sheet,
 * searched on a worker, then counted, kept and written in row order.
 */
typedef struct row_slot {
    char **cells; /* owned copies, tts_sheet_n_columns() of them */
    long row;
    int end;      /* not a row: the sheet's read error (err) ends the batch here */
    enum row_fault fault;
    char name[TTS_CLI_NAME_MAX], country[16], type[64];
    char why[160];
    int ids_bad; /* the identifiers cell could not be read (why) */
    cli_identifiers ids;
    tts_search_result *r;
    tts_error err;
} row_slot;

/* A worker's part: the row's cells checked and its name searched (no output). */
static void row_search(const batch *b, row_slot *sl)
{
    const char *const *cells = (const char *const *)sl->cells;
    tts_search_opts so;

    tts_error_clear(&sl->err);
    if (role_cell(b, cells, TTS_SHEET_NAME, sl->name, sizeof(sl->name)) == NULL) {
        sl->fault = ROW_NAME_LONG;
        return;
    }
    if (role_cell(b, cells, TTS_SHEET_COUNTRY, sl->country, sizeof(sl->country)) == NULL) {
        sl->fault = ROW_COUNTRY_UNREADABLE;
        return;
    }
    if (role_cell(b, cells, TTS_SHEET_TYPE, sl->type, sizeof(sl->type)) == NULL)
        sl->type[0] = '\0'; /* a type we cannot read filters nothing: every entry may match */
    if (sl->name[0] == '\0') {
        sl->fault = ROW_NAME_EMPTY;
        return;
    }
    if (!country_code(sl->country)) {
        sl->fault = ROW_COUNTRY_BAD;
        return;
    }
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.country = sl->country[0] != '\0' ? sl->country : NULL;
    so.threshold = b->o->threshold;
    so.limit = b->o->limit;
    so.sources = b->o->sources;
    so.n_sources = b->o->n_sources;
    if (b->ids_col >= 0) {
        /* the row's identifiers qualify its candidates' scores as a party's do */
        if (cli_identifiers_parse(cells[b->ids_col], &sl->ids, sl->why, sizeof(sl->why)) != 0) {
            /* a kept row's record names the bad identifiers itself; else the row is bad,
               and with --skip-bad still searched by its name */
            sl->ids.n = 0;
            sl->ids_bad = !b->o->store;
        }
        so.id_schemes = sl->ids.scheme;
        so.id_values = sl->ids.value;
        so.n_ids = sl->ids.n;
    }
    if (tts_lists_search(b->lists, sl->name, &so, &sl->r, &sl->err) != TTS_OK) {
        tts_search_result_free(sl->r);
        sl->r = NULL;
        sl->fault = ROW_SEARCH_FAILED;
    }
}

/* In row order: the row's fault said, or its candidates counted, kept and written. */
static int row_emit(batch *b, row_slot *sl)
{
    const char *const *cells = (const char *const *)sl->cells;
    long row = sl->row;
    const char *want = NULL, *type = sl->type;
    tts_search_result *r = sl->r;
    size_t kept = 0;

    if (sl->ids_bad) {
        cli_error("%s:%ld: column %d (%s): %s", b->o->file, row, b->ids_col + 1,
                  tts_sheet_column(b->sheet, (size_t)b->ids_col), sl->why);
        b->bad++;
        if (!b->o->skip_bad)
            return -1;
    }
    switch (sl->fault) {
    case ROW_OK:
        break;
    case ROW_NAME_LONG:
        bad_row(b, row, TTS_SHEET_NAME, "name longer than 4096 bytes (TTS_NAME_MAX_BYTES)");
        return b->o->skip_bad ? 0 : -1;
    case ROW_COUNTRY_UNREADABLE:
    case ROW_COUNTRY_BAD:
        bad_row(b, row, TTS_SHEET_COUNTRY, "not an ISO 3166 alpha-2 country code");
        return b->o->skip_bad ? 0 : -1;
    case ROW_NAME_EMPTY:
        bad_row(b, row, TTS_SHEET_NAME, "empty name");
        return b->o->skip_bad ? 0 : -1;
    case ROW_SEARCH_FAILED:
        /* the lists said no to this name (too long, ...): a bad row, not a clear one */
        cli_error("%s:%ld: %s", b->o->file, row, sl->err.message);
        b->bad++;
        return b->o->skip_bad ? 0 : -1;
    }
    /* a person matches entries of persons or of unknown type; an organisation the others */
    if (type[0] != '\0')
        want = strcmp(type, "person") == 0 || strcmp(type, "individual") == 0 ||
                       strcmp(type, "個人") == 0
                   ? "person"
                   : "organisation";
    for (size_t i = 0; i < r->n; i++) {
        const char *et = r->hits[i].entry_type;
        if (want != NULL && et != NULL && et[0] != '\0' && strcmp(et, want) != 0)
            continue;
        if (kept != i) {
            tts_match tmp = r->hits[kept];
            r->hits[kept] = r->hits[i];
            r->hits[i] = tmp;
        }
        kept++;
    }
    if (b->o->best_only && kept > 1)
        kept = 1;
    b->rows++;
    b->with_hits += kept > 0;
    /* kept before it is written, so that its line names the case (or says it was not kept) */
    if (b->o->store && store_row(b, cells, row, sl->name, sl->country, type) != 0 &&
        !b->o->skip_bad)
        return -1; /* counted as a bad row: it is not under watch */
    switch (b->o->format) {
    case CLI_BATCH_XLSX:
        if (kept == 0 && xlsx_row(b, cells, NULL) != 0)
            return -1;
        for (size_t i = 0; i < kept; i++)
            if (xlsx_row(b, cells, &r->hits[i]) != 0)
                return -1;
        break;
    case CLI_BATCH_CSV:
        if (kept == 0)
            csv_row(b, cells, NULL);
        for (size_t i = 0; i < kept; i++)
            csv_row(b, cells, &r->hits[i]);
        break;
    case CLI_BATCH_HTML:
        if (kept == 0)
            html_row(b, cells, NULL);
        for (size_t i = 0; i < kept; i++)
            html_row(b, cells, &r->hits[i]);
        break;
    case CLI_BATCH_JSON:
    case CLI_BATCH_JSONL:
        json_row(b, cells, row, r->hits, kept);
        break;
    default:
        text_row(b, sl->name, row, r->hits, kept);
        break;
    }
    return 0;
}

static void row_release(void *user, void *slot)
{
    row_slot *sl = slot;
    (void)user;
    free(sl->cells);
    tts_search_result_free(sl->r);
    sl->cells = NULL;
    sl->r = NULL;
}

/* The next row of the sheet, copied (its cells live only until the next read). */
static int row_produce(void *user, void *slot)
{
    batch *b = user;
    row_slot *sl = slot;
    const char *const *cells;
    size_t n = tts_sheet_n_columns(b->sheet);
    tts_status rc;
    if (b->read_end)
        return 0;
    tts_error_clear(&sl->err);
    rc = tts_sheet_next(b->sheet, &cells, &sl->row, &sl->err);
    if (rc == TTS_ERR_EOF) {
        b->read_end = 1;
        return 0;
    }
    if (rc == TTS_OK) {
        /* one block: the cell pointers, then the cells' bytes */
        size_t slots = n > 0 ? n : 1, bytes = slots * sizeof(char *);
        char **copy;
        for (size_t i = 0; i < n; i++)
            if (cells[i] != NULL)
                bytes += strlen(cells[i]) + 1;
        if ((copy = malloc(bytes)) == NULL) {
            rc = TTS_ERR_NOMEM;
        } else {
            char *p = (char *)(copy + slots);
            for (size_t i = 0; i < n; i++) {
                size_t len = cells[i] != NULL ? strlen(cells[i]) + 1 : 0;
                copy[i] = cells[i] != NULL ? p : NULL;
                if (len > 0)
                    memcpy(p, cells[i], len);
                p += len;
            }
        }
        sl->cells = copy; /* released with the slot (row_release) */
    }
    if (rc == TTS_ERR_NOMEM && sl->err.status == TTS_OK) {
        sl->err.status = rc;
        snprintf(sl->err.message, sizeof(sl->err.message), "%s: out of memory", b->o->file);
    }
    if (rc != TTS_OK) {
        sl->end = 1;
        b->read_end = 1;
    }
    return 1;
}

static void row_work(void *user, void *slot)
{
    row_slot *sl = slot;
    if (!sl->end)
        row_search(user, sl);
}

static int row_consume(void *user, void *slot)
{
    batch *b = user;
    row_slot *sl = slot;
    int stop = 0;
    if (sl->end) {
        cli_report(&sl->err);
        stop = 1;
    } else if (row_emit(b, sl) != 0) {
        stop = 1;
    } else {
        cli_progress_step(&b->progress, b->rows + b->bad);
    }
    if (stop)
        b->stopped = 1;
    row_release(user, slot);
    return stop;
}

int cli_search_batch(const cli_batch_opts *o, tts_lists *lists)
{
    batch b;
    tts_sheet_opts so;
    const tts_jobs_ops ops = {sizeof(tts_jobs_ops), row_produce, row_work, row_consume,
                              row_release};
    tts_error err;
    int stopped;

    memset(&b, 0, sizeof(b));
    b.o = o;
    b.lists = lists;
    b.out = stdout;
    b.first_json = 1;
    tts_error_clear(&err);
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.format = o->input_format;
    so.encoding = o->encoding;
    so.column[TTS_SHEET_NAME] = o->name_column;
    so.column[TTS_SHEET_COUNTRY] = o->country_column;
    so.column[TTS_SHEET_ID] = o->id_column;
    so.column[TTS_SHEET_TYPE] = o->type_column;
    if (tts_sheet_open(o->path, &so, &b.sheet, &err) != TTS_OK) {
        cli_report(&err);
        return EXIT_ERROR;
    }
    b.ids_col = identifiers_column(b.sheet);
    if (o->format == CLI_BATCH_XLSX && xlsx_open(&b, &err) != TTS_OK) {
        if (err.message[0] != '\0')
            cli_report(&err);
        else
            cli_error("out of memory");
        free(b.xcells);
        tts_sheet_close(b.sheet);
        return EXIT_ERROR;
    }
    if (o->format != CLI_BATCH_XLSX && o->out != NULL &&
        (b.out = fopen(o->out, "w")) == NULL) {
        cli_error("%s: cannot write", o->out);
        tts_sheet_close(b.sheet);
        return EXIT_ERROR;
    }
    if (o->store && store_open(&b) != 0) {
        store_close(&b);
        if (b.out != stdout)
            fclose(b.out);
        tts_sheet_close(b.sheet);
        return EXIT_ERROR;
    }
    if (o->format == CLI_BATCH_CSV)
        csv_header(&b);
    else if (o->format == CLI_BATCH_HTML)
        html_header(&b);
    /* results printed on the same terminal would mix with it: then none */
    cli_progress_start(&b.progress, "search", "rows", -1,
                       o->quiet || (o->out == NULL && isatty(STDOUT_FILENO)));
    if (tts_jobs_run(o->jobs, sizeof(row_slot), &ops, &b, &err) != TTS_OK) {
        cli_report(&err);
        b.stopped = 1;
    }
    stopped = b.stopped;
    cli_progress_end(&b.progress);
    if (o->format == CLI_BATCH_JSON)
        fputs(b.first_json ? "[]\n" : "]\n", b.out);
    else if (o->format == CLI_BATCH_HTML)
        fprintf(b.out, "</tbody>\n</table>\n<p>%ld rows, %ld with candidates, %ld bad%s.</p>\n"
                       "</body>\n</html>\n",
                b.rows, b.with_hits, b.bad, stopped ? "; the batch stopped at an error" : "");
    if (fflush(b.out) != 0 || ferror(b.out)) {
        cli_error("%s: write error", o->out != NULL ? o->out : "standard output");
        stopped = 1;
    }
    if (b.out != stdout)
        fclose(b.out);
    if (b.xlsx != NULL) {
        /* a batch that stopped leaves no workbook behind */
        if (tts_sheet_writer_close(b.xlsx, !stopped, &err) != TTS_OK) {
            cli_report(&err);
            stopped = 1;
        }
        free(b.xcells);
    }
    /* a batch stopped by an error says so in that error's one line, with no summary after it;
       rows already kept as cases before the error are still said */
    if (!o->quiet && !stopped)
        fprintf(stderr, "search: %s (%s): %ld rows screened, %ld with candidates, %ld bad\n",
                o->file, tts_sheet_encoding(b.sheet), b.rows, b.with_hits, b.bad);
    if (o->store && !o->quiet && (!stopped || b.stored > 0))
        fprintf(stderr, "search: %ld rows kept as counterparty cases in %s, %ld not clear\n",
                b.stored, o->db, b.store_findings);
    store_close(&b);
    tts_sheet_close(b.sheet);
    if (stopped || b.bad > 0)
        return EXIT_ERROR;
    /* a kept row's screening may find what its name did not (an identifier): not clear either */
    return b.with_hits > 0 || b.store_findings > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
