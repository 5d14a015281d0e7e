/* SPDX-License-Identifier: MIT */
/*
 * Audit reports (ttscreen-report/1). JSON is written by hand in the field
 * order of the report contract, compact for jsonl and indented for json;
 * the text form groups findings by severity for people. Nothing here reads
 * the clock or the environment: the caller supplies times and colour.
 */
#include "ttscreen/report.h"

#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "record/model.h"
#include "report/html.h"

tts_status tts_format_parse(const char *name, tts_format *out)
{
    static const char *const names[] = {"text", "json", "jsonl", "html"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (tts_format)i;
            return TTS_OK;
        }
    }
    return TTS_ERR_ARG;
}

static void json_str_array(tts_buf *b, char *const *items, size_t n)
{
    tts_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            tts_buf_putc(b, ',');
        tts_buf_json_cstr(b, items[i]);
    }
    tts_buf_putc(b, ']');
}

static void json_finding(tts_buf *b, const tts_finding *f)
{
    tts_buf_putc(b, '{');
    tts_buf_json_field(b, "rule", f->rule, 0);
    tts_buf_json_field(b, "severity", tts_severity_name(f->severity), 1);
    tts_buf_json_field(b, "title", f->title, 1);
    tts_buf_json_field(b, "citation", f->citation, 1);
    tts_buf_json_field(b, "message", f->message, 1);
    tts_buf_json_field(b, "subject", f->subject, 1);
    tts_buf_puts(b, ",\"path\":");
    json_str_array(b, f->path, f->n_path);
    tts_buf_puts(b, ",\"matches\":[");
    for (size_t i = 0; i < f->n_matches; i++) {
        const tts_match *m = &f->matches[i];
        tts_buf_puts(b, i > 0 ? ",{" : "{");
        tts_buf_json_field(b, "source", m->source, 0);
        tts_buf_json_field(b, "entry_id", m->entry_id, 1);
        tts_buf_json_field(b, "name", m->name, 1);
        tts_buf_json_field(b, "matched", m->matched, 1);
        tts_buf_printf(b, ",\"score\":%.4f", m->score);
        /* what the country and the identifiers did to the name's score */
        if (m->country_delta != 0.0 || m->ident_delta != 0.0 || m->exact_kept) {
            tts_buf_printf(b, ",\"name_score\":%.4f,\"country_adjustment\":%.4f", m->name_score,
                           m->country_delta);
            if (m->ident_delta != 0.0)
                tts_buf_printf(b, ",\"identifier_adjustment\":%.4f", m->ident_delta);
            if (m->exact_kept)
                tts_buf_puts(b, ",\"exact_name_kept\":true");
        }
        /* which of the deal's names matched, and what the list is */
        if (m->query != NULL)
            tts_buf_json_field(b, "query", m->query, 1);
        if (m->queried != NULL)
            tts_buf_json_field(b, "query_name", m->queried, 1);
        if (m->kind != NULL)
            tts_buf_json_field(b, "kind", m->kind, 1);
        if (m->entry_type != NULL)
            tts_buf_json_field(b, "entry_type", m->entry_type, 1);
        /* the entry's programmes and the law it rests on (data/list-citations.tsv) */
        if (m->programs != NULL)
            tts_buf_json_field(b, "programs", m->programs, 1);
        if (m->citation != NULL)
            tts_buf_json_field(b, "citation", m->citation, 1);
        tts_buf_putc(b, '}');
    }
    tts_buf_puts(b, "],\"evidence\":");
    json_str_array(b, f->evidence, f->n_evidence);
    if (f->cleared != NULL)
        tts_buf_json_field(b, "cleared", f->cleared, 1);
    tts_buf_putc(b, '}');
}

/* The raised findings (cleared == 0) or the cleared ones, as a JSON array. */
static void json_findings(tts_buf *b, const tts_findings *fs, int cleared)
{
    int first = 1;
    tts_buf_putc(b, '[');
    for (size_t i = 0; fs != NULL && i < tts_findings_count(fs); i++) {
        if ((tts_findings_get(fs, i)->cleared != NULL) != cleared)
            continue;
        if (!first)
            tts_buf_putc(b, ',');
        first = 0;
        json_finding(b, tts_findings_get(fs, i));
    }
    tts_buf_putc(b, ']');
}

/* The report as compact JSON (one line, no newline). */
static int no_lists(const tts_report_input *in) { return in->no_lists; }

static void json_report(tts_buf *b, const tts_report_input *in, const char *sha)
{
    const tts_findings *fs = in->findings;
    tts_buf_puts(b, "{\"format\":\"ttscreen-report/1\",\"tool\":{\"name\":\"ttscreen\"");
    tts_buf_json_field(b, "version", in->tool_version, 1);
    tts_buf_putc(b, '}');
    tts_buf_json_field(b, "generated_at", in->generated_at, 1);
    tts_buf_json_field(b, "as_of", in->as_of, 1);
    tts_buf_puts(b, ",\"record\":{");
    tts_buf_json_field(b, "id", tts_record_id(in->record), 0);
    tts_buf_json_field(b, "sha256", sha, 1);
    tts_buf_json_field(b, "title", tts_record_title(in->record), 1);
    tts_buf_json_field(b, "kind", tts_record_kind(in->record), 1);
    tts_buf_puts(b, "},\"rules\":{\"count\":");
    tts_buf_put_uint(b, tts_rules_count(in->rules));
    tts_buf_puts(b, ",\"sha256\":");
    tts_buf_json_cstr(b, tts_rules_sha256(in->rules));
    tts_buf_puts(b, "},\"lists\":[");
    for (size_t i = 0; i < in->n_lists; i++) {
        const tts_list_info *l = &in->lists[i];
        tts_buf_puts(b, i > 0 ? ",{" : "{");
        tts_buf_json_field(b, "source", l->source, 0);
        tts_buf_puts(b, ",\"entries\":");
        tts_buf_put_int(b, l->entries);
        if (l->fetched_at != NULL)
            tts_buf_json_field(b, "fetched_at", l->fetched_at, 1);
        if (l->imported_at != NULL)
            tts_buf_json_field(b, "imported_at", l->imported_at, 1);
        tts_buf_json_field(b, "sha256", l->sha256, 1);
        if (l->transport != NULL && strcmp(l->transport, "http") == 0)
            tts_buf_json_field(b, "transport", l->transport, 1);
        tts_buf_putc(b, '}');
    }
    tts_buf_putc(b, ']');
    tts_buf_puts(b, no_lists(in) ? ",\"lists_consulted\":false" : ",\"lists_consulted\":true");
    tts_buf_json_field(b, "verdict", tts_findings_verdict(fs), 1);
    tts_buf_puts(b, ",\"findings\":");
    json_findings(b, fs, 0);
    tts_buf_puts(b, ",\"cleared\":");
    json_findings(b, fs, 1);
    tts_buf_putc(b, '}');
}

/*
 * Re-indent compact JSON (as written above) with two spaces; empty arrays
 * and objects stay on one line. Strings are copied verbatim.
 */
static void json_indent(tts_buf *out, const char *s, size_t n)
{
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            tts_buf_putc(out, c);
            if (c == '\\' && i + 1 < n)
                tts_buf_putc(out, s[++i]);
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            tts_buf_putc(out, c);
            break;
        case '{':
        case '[':
            if (i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
                tts_buf_putc(out, c);
                tts_buf_putc(out, s[++i]);
                break;
            }
            depth++;
            tts_buf_printf(out, "%c\n%*s", c, depth * 2, "");
            break;
        case '}':
        case ']':
            depth--;
            tts_buf_printf(out, "\n%*s%c", depth * 2, "", c);
            break;
        case ',':
            tts_buf_printf(out, ",\n%*s", depth * 2, "");
            break;
        case ':':
            tts_buf_puts(out, ": ");
            break;
        default:
            tts_buf_putc(out, c);
        }
    }
}

static const char *sev_color(int sev)
{
    static const char *const colors[] = {"2", "36", "33", "31", "1;31"};
    return sev >= 0 && sev <= TTS_SEV_CRITICAL ? colors[sev] : "0";
}

static const char *verdict_color(const char *verdict)
{
    if (strcmp(verdict, "blocked") == 0)
        return "1;31";
    if (strcmp(verdict, "review") == 0)
        return "1;33";
    return "1;32";
}

/* Upper-case copy of a short ASCII word into out[16]. */
static const char *upper(const char *s, char out[16])
{
    size_t i = 0;
    for (; s[i] != '\0' && i < 15; i++)
        out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    out[i] = '\0';
    return out;
}

static void colored(tts_buf *b, int color, const char *code, const char *text)
{
    if (color)
        tts_buf_printf(b, "\033[%sm%s\033[0m", code, text);
    else
        tts_buf_puts(b, text);
}

/*
 * Text that came from a record, a list or a rule file, for a terminal: a
 * control character (a line break that would forge a report line, an
 * escape that would drive the terminal) is shown as \xHH or \u{HHHH}.
 */
static void put_text(tts_buf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    while (*p != '\0') {
        if (*p < 0x20 || *p == 0x7f) {
            tts_buf_printf(b, "\\x%02x", *p);
            p++;
        } else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            tts_buf_printf(b, "\\u{%04x}", p[1]);
            p += 2;
        } else {
            tts_buf_putc(b, (char)*p++);
        }
    }
}

/* "    LABEL      TEXT\n" with TEXT shown safely. */
static void text_line(tts_buf *b, const char *label, const char *text)
{
    tts_buf_printf(b, "    %-10s ", label);
    put_text(b, text);
    tts_buf_putc(b, '\n');
}

static void text_finding(tts_buf *b, const tts_finding *f)
{
    tts_buf_puts(b, "  ");
    put_text(b, f->title);
    tts_buf_puts(b, "  [");
    put_text(b, f->rule);
    tts_buf_puts(b, "]\n");
    text_line(b, "message", f->message);
    text_line(b, "citation", f->citation);
    text_line(b, "subject", f->subject);
    if (f->cleared != NULL)
        text_line(b, "cleared", f->cleared);
    if (f->n_path > 0) {
        tts_buf_printf(b, "    %-10s ", "path");
        for (size_t i = 0; i < f->n_path; i++) {
            tts_buf_puts(b, i > 0 ? " -> " : "");
            put_text(b, f->path[i]);
        }
        tts_buf_putc(b, '\n');
    }
    for (size_t i = 0; i < f->n_matches; i++) {
        const tts_match *m = &f->matches[i];
        tts_buf_printf(b, "    %-10s ", i == 0 ? "matches" : "");
        put_text(b, m->source);
        tts_buf_putc(b, ' ');
        put_text(b, m->entry_id);
        tts_buf_puts(b, " \"");
        put_text(b, m->name);
        tts_buf_puts(b, "\" (matched \"");
        put_text(b, m->matched);
        tts_buf_putc(b, '"');
        if (m->query != NULL) {
            tts_buf_puts(b, " by ");
            put_text(b, m->query);
        }
        tts_buf_printf(b, ", score %.2f", m->score);
        if (m->country_delta != 0.0 || m->ident_delta != 0.0 || m->exact_kept) {
            tts_buf_printf(b, ": name %.2f, country %+.2f", m->name_score, m->country_delta);
            if (m->ident_delta != 0.0)
                tts_buf_printf(b, ", identifier %+.2f", m->ident_delta);
            if (m->exact_kept)
                tts_buf_puts(b, ", an exact name kept at the threshold");
        }
        tts_buf_puts(b, ")\n");
    }
    for (size_t i = 0; i < f->n_evidence; i++)
        text_line(b, i == 0 ? "evidence" : "", f->evidence[i]);
}

static void text_report(tts_buf *b, const tts_report_input *in, const char *sha)
{
    const tts_findings *fs = in->findings;
    const char *verdict = tts_findings_verdict(fs);
    const char *title = tts_record_title(in->record);
    char up[16];
    size_t n = fs != NULL ? tts_findings_count(fs) : 0, n_cleared = 0;

    put_text(b, tts_record_id(in->record));
    tts_buf_puts(b, title ? ": " : "");
    put_text(b, title);
    tts_buf_putc(b, '\n');
    tts_buf_printf(b, "  %-10s ", "verdict");
    colored(b, in->color, verdict_color(verdict), upper(verdict, up));
    tts_buf_printf(b, "\n  %-10s %s\n", "kind", tts_record_kind(in->record));
    tts_buf_printf(b, "  %-10s %s\n", "as of", in->as_of);
    tts_buf_printf(b, "  %-10s %s\n", "generated", in->generated_at);
    tts_buf_printf(b, "  %-10s sha256 %s\n", "record", sha);
    tts_buf_printf(b, "  %-10s %zu rule%s, sha256 %s\n", "rules", tts_rules_count(in->rules),
                   tts_rules_count(in->rules) == 1 ? "" : "s", tts_rules_sha256(in->rules));
    if (no_lists(in))
        tts_buf_printf(b, "  %-10s NOT CONSULTED (--no-lists): no name was screened against a "
                          "denied-party list\n",
                       "lists");
    else if (in->n_lists == 0)
        tts_buf_printf(b, "  %-10s none consulted\n", "lists");
    for (size_t i = 0; i < in->n_lists; i++) {
        const tts_list_info *l = &in->lists[i];
        const char *when = l->fetched_at != NULL ? l->fetched_at : l->imported_at;
        tts_buf_printf(b, "  %-10s ", i == 0 ? "lists" : "");
        put_text(b, l->source);
        tts_buf_printf(b, ": %ld entries, %s %s, sha256 %.16s%s\n", l->entries,
                       l->fetched_at != NULL ? "fetched" : "imported", when ? when : "?",
                       l->sha256 ? l->sha256 : "",
                       l->transport != NULL && strcmp(l->transport, "http") == 0
                           ? ", DOWNLOADED OVER PLAIN HTTP (not authenticated)"
                           : "");
    }
    for (size_t i = 0; i < n; i++)
        n_cleared += tts_findings_get(fs, i)->cleared != NULL;
    tts_buf_printf(b, "  %-10s %zu", "findings", n - n_cleared);
    if (n_cleared > 0)
        tts_buf_printf(b, " (and %zu cleared by a reviewer)", n_cleared);
    tts_buf_putc(b, '\n');
    for (int sev = TTS_SEV_CRITICAL; sev >= TTS_SEV_INFO; sev--) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += (int)tts_findings_get(fs, i)->severity == sev && tts_findings_get(fs, i)->cleared == NULL;
        if (count == 0)
            continue;
        tts_buf_putc(b, '\n');
        colored(b, in->color, sev_color(sev), upper(tts_severity_name((tts_severity)sev), up));
        tts_buf_printf(b, " (%zu)\n", count);
        for (size_t i = 0; i < n; i++)
            if ((int)tts_findings_get(fs, i)->severity == sev && tts_findings_get(fs, i)->cleared == NULL)
                text_finding(b, tts_findings_get(fs, i));
    }
    if (n_cleared > 0) {
        tts_buf_putc(b, '\n');
        colored(b, in->color, "2", "CLEARED");
        tts_buf_printf(b, " (%zu)\n", n_cleared);
        for (size_t i = 0; i < n; i++)
            if (tts_findings_get(fs, i)->cleared != NULL)
                text_finding(b, tts_findings_get(fs, i));
    }
}

tts_status tts_report_render(const tts_report_input *given, tts_format fmt, char **out,
                             size_t *len, tts_error *err)
{
    tts_buf compact = TTS_BUF_INIT, b = TTS_BUF_INIT;
    tts_report_input full;
    const tts_report_input *in = &full;
    char sha[65];
    tts_status rc;

    *out = NULL;
    if (given == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "report: record, rules and dates are required");
    /* fields a caller built before they existed read as zero */
    memset(&full, 0, sizeof(full));
    memcpy(&full, given,
           given->size != 0 && given->size < sizeof(full) ? given->size : sizeof(full));
    if ( in->record == NULL || in->rules == NULL || in->as_of == NULL ||
        in->generated_at == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "report: record, rules and dates are required");
    rc = tts_record_sha256(in->record, sha, err);
    if (rc != TTS_OK)
        return rc;
    switch (fmt) {
    case TTS_FORMAT_JSON:
        json_report(&compact, in, sha);
        if (!tts_buf_failed(&compact))
            json_indent(&b, compact.data, compact.len);
        tts_buf_putc(&b, '\n');
        break;
    case TTS_FORMAT_JSONL:
        json_report(&b, in, sha);
        tts_buf_putc(&b, '\n');
        break;
    case TTS_FORMAT_TEXT:
        text_report(&b, in, sha);
        break;
    case TTS_FORMAT_HTML:
        rc = tts_html_render(in, &b, err);
        if (rc != TTS_OK) {
            tts_buf_free(&b);
            tts_buf_free(&compact);
            return rc;
        }
        break;
    default:
        tts_buf_free(&compact);
        return tts_err_set(err, TTS_ERR_ARG, "report: unknown format");
    }
    if (tts_buf_failed(&compact))
        b.failed = 1;
    tts_buf_free(&compact);
    if (tts_buf_failed(&b)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory rendering the report");
    }
    *out = tts_buf_steal(&b, len);
    return TTS_OK;
}
