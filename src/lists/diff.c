/* SPDX-License-Identifier: MIT */
/*
 * The public face of list versions (ttscreen/versions.h): the change
 * between two stored versions of a source, its rendering and its one-line
 * summary. Versions and their changes are kept by listver.c, which the
 * importer (listdb.c) calls inside its transaction; this file sits above
 * both and reads them through the lists handle.
 */
#include "lists/listver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists/listdb.h"
#include "store/store_listver.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

/* ---- public: diffs ---- */

typedef struct vers_ctx {
    long from, to;
    int from_found, to_found;
    long newest;
    tts_arena *arena;
    const char *from_at, *to_at;
    long entries;
    int oom;
} vers_ctx;

static int vers_row(void *u, const tts_store_version *v)
{
    vers_ctx *c = u;
    c->newest = v->version;
    if (v->version == c->from) {
        c->from_found = 1;
        c->from_at = tts_arena_strdup(c->arena, v->imported_at ? v->imported_at : "");
        c->oom |= c->from_at == NULL;
    }
    if (v->version == c->to) {
        c->to_found = 1;
        c->entries = v->entries;
        c->to_at = tts_arena_strdup(c->arena, v->imported_at ? v->imported_at : "");
        c->oom |= c->to_at == NULL;
    }
    return 0;
}

/* The diff object and its arena: one allocation to free. */
typedef struct diff_box {
    tts_list_diff d;
    tts_listver_net net;
    tts_arena *arena;
} diff_box;

void tts_list_diff_free(tts_list_diff *d)
{
    diff_box *b = (diff_box *)d; /* d is the first member */
    if (d == NULL)
        return;
    tts_listver_net_free(&b->net);
    tts_arena_free(b->arena);
    tts_free(b);
}

tts_status tts_lists_diff(tts_lists *l, const char *source, long from, long to, tts_list_diff **out,
                          tts_error *err)
{
    tts_store *st = tts_listdb_store(l);
    diff_box *b = NULL;
    vers_ctx vc;
    long newest = 0;
    int exists = 0;
    char sha[65];
    tts_status rc;
    *out = NULL;
    TTS_TRY(tts_store_source_sha256(st, source, sha, &exists, err));
    TTS_TRY(tts_listver_latest(st, source, &newest, NULL, err));
    if (!exists && newest == 0)
        return tts_err_set(err, TTS_ERR_ARG, "lists diff: no list \"%s\" in the database", source);
    if (newest == 0)
        return tts_err_set(err, TTS_ERR_ARG,
                           "lists diff: list \"%s\" has no stored versions yet (they are kept "
                           "from its next import or update on)",
                           source);
    if (to == TTS_LIST_VERSION_NONE)
        to = from != TTS_LIST_VERSION_NONE && from >= newest ? from : newest;
    if (from == TTS_LIST_VERSION_NONE)
        from = to - 1;
    if (to < 1 || to > newest)
        return tts_err_set(err, TTS_ERR_ARG,
                           "lists diff: list \"%s\" has no version %ld "
                           "(versions 1 to %ld)",
                           source, to, newest);
    if (from < 0 || from > newest)
        return tts_err_set(err, TTS_ERR_ARG,
                           "lists diff: list \"%s\" has no version %ld "
                           "(versions 1 to %ld)",
                           source, from, newest);
    if (from > to)
        return tts_err_set(err, TTS_ERR_ARG, "lists diff: --from %ld is newer than --to %ld", from,
                           to);
    b = tts_calloc(1, sizeof(*b));
    if (b == NULL || (b->arena = tts_arena_new()) == NULL) {
        tts_free(b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    memset(&vc, 0, sizeof(vc));
    vc.from = from;
    vc.to = to;
    vc.arena = b->arena;
    rc = tts_store_versions_each(st, source, vers_row, &vc, err);
    if (rc == TTS_OK && vc.oom)
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (rc == TTS_OK)
        rc = tts_listver_changes(st, source, from, to, &b->net, err);
    if (rc == TTS_OK && (b->d.source = tts_arena_strdup(b->arena, source)) == NULL)
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (rc != TTS_OK) {
        tts_list_diff_free(&b->d);
        return rc;
    }
    b->d.from = from;
    b->d.to = to;
    b->d.from_imported_at = from > 0 ? vc.from_at : NULL;
    b->d.to_imported_at = vc.to_at;
    b->d.entries = vc.entries;
    b->d.items = b->net.items;
    b->d.n = b->net.n;
    for (size_t i = 0; i < b->d.n; i++) {
        const char *c = b->d.items[i].change;
        b->d.added += c[0] == 'a';
        b->d.removed += c[0] == 'r';
        b->d.changed += c[0] == 'c';
    }
    *out = &b->d;
    return TTS_OK;
out:
    return rc;
}

tts_status tts_lists_version(tts_lists *l, const char *source, long *version, tts_error *err)
{
    return tts_listver_latest(tts_listdb_store(l), source, version, NULL, err);
}

tts_status tts_list_diff_render(const tts_list_diff *d, tts_format fmt, char **out, size_t *len,
                                tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    *out = NULL;
    if (fmt == TTS_FORMAT_JSON) {
        tts_buf_puts(&b, "{\"source\":");
        tts_buf_json_cstr(&b, d->source);
        tts_buf_printf(&b, ",\"from\":%ld,\"to\":%ld", d->from, d->to);
        tts_buf_json_field(&b, "from_imported_at", d->from_imported_at, 1);
        tts_buf_json_field(&b, "to_imported_at", d->to_imported_at, 1);
        tts_buf_printf(&b,
                       ",\"entries\":%ld,\"added\":%ld,\"removed\":%ld,\"changed\":%ld,"
                       "\"changes\":[",
                       d->entries, d->added, d->removed, d->changed);
        for (size_t i = 0; i < d->n; i++) {
            const tts_list_change *c = &d->items[i];
            tts_buf_puts(&b, i > 0 ? ",{" : "{");
            tts_buf_json_field(&b, "change", c->change, 0);
            tts_buf_json_field(&b, "entry_id", c->entry_id, 1);
            tts_buf_json_field(&b, "name", c->name, 1);
            tts_buf_json_field(&b, "old_sha256", c->old_sha256, 1);
            tts_buf_json_field(&b, "new_sha256", c->new_sha256, 1);
            tts_buf_putc(&b, '}');
        }
        tts_buf_puts(&b, "]}\n");
    } else {
        tts_buf_printf(&b, "%s: version %ld -> %ld", d->source, d->from, d->to);
        if (d->to_imported_at != NULL)
            tts_buf_printf(&b, " (imported %s)", d->to_imported_at);
        {
            char line[96];
            tts_list_diff_summary(d, line, sizeof(line));
            tts_buf_printf(&b, ": %s\n", line);
        }
        for (size_t i = 0; i < d->n; i++) {
            const tts_list_change *c = &d->items[i];
            char sign = c->change[0] == 'a' ? '+' : c->change[0] == 'r' ? '-' : '~';
            tts_buf_printf(&b, "  %c %s  %s\n", sign, c->entry_id, c->name);
        }
    }
    if (tts_buf_failed(&b)) {
        tts_buf_free(&b);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    *out = tts_buf_steal(&b, len);
    return TTS_OK;
}

void tts_list_diff_summary(const tts_list_diff *d, char *out, size_t cap)
{
    char digits[32], grouped[48];
    int n = snprintf(digits, sizeof(digits), "%ld", d->entries), k = 0;
    for (int i = 0; i < n && k < (int)sizeof(grouped) - 2; i++) {
        if (i > 0 && digits[0] != '-' && (n - i) % 3 == 0)
            grouped[k++] = ',';
        grouped[k++] = digits[i];
    }
    grouped[k] = '\0';
    snprintf(out, cap, "%s entr%s, +%ld -%ld ~%ld", grouped, d->entries == 1 ? "y" : "ies",
             d->added, d->removed, d->changed);
}
