/* SPDX-License-Identifier: MIT */
/*
 * What every list importer shares (import_int.h): adding entries and their
 * names to the store the same way for every format (one normalisation
 * path, one count), country names to codes, and the CSL helpers both CSL
 * formats use. import.c (CSV formats and the dispatcher) and import_json.c
 * (CSL JSON) sit above it.
 */
#include "lists/import_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lists/import.h"
#include "lists/match/names.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

static const struct {
    const char *name, *code;
} country_names[] = {
#include "record/countryname.inc"
};

const char *tts_import_country_code(const char *name)
{
    char low[64];
    size_t n = strlen(name), lo = 0, hi = sizeof(country_names) / sizeof(country_names[0]);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    if (n == 0 || n >= sizeof(low))
        return NULL;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)name[i]);
    low[n] = '\0';
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(country_names[mid].name, low);
        if (c == 0)
            return country_names[mid].code;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

tts_status tts_import_name_one(const tts_import_at *x, int64_t entry, const char *kind,
                               const char *name, unsigned flags, tts_error *err)
{
    tts_nname n;
    tts_status rc;
    size_t len = strlen(name);
    while (len > 0 && isspace((unsigned char)name[len - 1]))
        len--;
    while (len > 0 && isspace((unsigned char)*name)) {
        name++;
        len--;
    }
    if (len == 0)
        return TTS_OK;
    {
        /* the normaliser knows no file: prefix its message with ours */
        tts_error nerr;
        tts_error_clear(&nerr);
        rc = tts_names_normalize(name, len, flags, &n, &nerr);
        if (rc != TTS_OK) {
            tts_err_set(err, rc, "%s:%d: %s", x->path, x->line, nerr.message);
            tts_err_locate(err, x->path, x->line, 0);
            return rc;
        }
    }
    {
        char *copy = tts_strndup(name, len);
        if (copy == NULL) {
            tts_nname_clear(&n);
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
        }
        rc = tts_store_name_add(x->s, entry, kind, copy, n.tokens, n.legal, n.glued, err);
        tts_free(copy);
    }
    tts_nname_clear(&n);
    if (rc == TTS_OK && strcmp(kind, "primary") != 0 && strcmp(kind, "derived") != 0)
        x->counts->aliases++;
    return rc;
}

/*
 * List names often end in a parenthesised acronym or note: "China Electronics
 * Technology Group Corporation 13th Research Institute (CETC 13)". A query
 * without it would lose to the unmatched tokens, so the name is also stored
 * without its parenthesised parts, as kind "derived". Nothing is derived when
 * the brackets do not balance or nothing would be left.
 */
tts_status tts_import_name(const tts_import_at *x, int64_t entry, const char *kind,
                           const char *name, unsigned flags, tts_error *err)
{
    tts_buf base = TTS_BUF_INIT;
    tts_status rc = tts_import_name_one(x, entry, kind, name, flags, err);
    int depth = 0, changed = 0, words = 0, space = 1;
    if (rc != TTS_OK || strchr(name, '(') == NULL)
        return rc;
    for (const char *p = name; *p != '\0' && depth >= 0; p++) {
        if (*p == '(') {
            depth++;
            changed = 1;
        } else if (*p == ')') {
            depth--;
        } else if (depth == 0) {
            int sp = isspace((unsigned char)*p) != 0;
            if (!sp && space)
                words++;
            if (!(sp && space))
                tts_buf_append(&base, sp ? " " : p, 1);
            space = sp;
        }
    }
    if (tts_buf_failed(&base)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list");
    } else if (depth == 0 && changed && words > 0) {
        tts_buf_puts(&base, "");
        rc = tts_buf_failed(&base)
                 ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list")
                 : tts_import_name_one(x, entry, "derived", base.data, flags, err);
    }
    tts_buf_free(&base);
    return rc;
}

tts_status tts_import_entry(const tts_import_at *x, const tts_store_entry *e, int64_t *rowid,
                            tts_error *err)
{
    tts_status rc;
    int dup = 0;
    if (e->name == NULL || e->name[0] == '\0') {
        tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d: entry without a name", x->path, x->line);
        tts_err_locate(err, x->path, x->line, 0);
        return TTS_ERR_SYNTAX;
    }
    /* one id, one entry: a second row of the same id would be shown apart or replace it */
    TTS_TRY(tts_store_entry_exists(x->s, x->source_id, e->entry_id, &dup, err));
    if (dup) {
        tts_err_set(err, TTS_ERR_SYNTAX,
                    "%s:%d: duplicate entry id \"%.100s\" (an earlier row has it)", x->path,
                    x->line, e->entry_id);
        tts_err_locate(err, x->path, x->line, 0);
        return TTS_ERR_SYNTAX;
    }
    rc = tts_store_entry_add(x->s, x->source_id, e, rowid, err);
    if (rc == TTS_OK && ++x->counts->entries % 1000 == 0 && x->counts->progress != NULL)
        x->counts->progress(x->counts->progress_user, x->counts->entries);
out:
    return rc;
}

/* Append code to a ';'-separated set unless present. */
void tts_import_add_code(tts_buf *set, const char *code, size_t n)
{
    const char *p = set->data;
    while (p != NULL && *p != '\0') {
        size_t k = strcspn(p, ";");
        if (k == n && memcmp(p, code, n) == 0)
            return;
        p += k;
        if (*p == ';')
            p++;
    }
    if (set->len > 0)
        tts_buf_putc(set, ';');
    tts_buf_append(set, code, n);
}

/* "Entity List (EL) - Bureau of Industry and Security" -> "EL". */
void tts_import_csl_sublist(const char *source, char out[16])
{
    const char *o = strchr(source, '('), *e = o != NULL ? strchr(o, ')') : NULL;
    out[0] = '\0';
    if (o != NULL && e != NULL && e - o - 1 > 0 && e - o - 1 < 16)
        snprintf(out, 16, "%.*s", (int)(e - o - 1), o + 1);
}
