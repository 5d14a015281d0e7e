/* SPDX-License-Identifier: MIT */
/*
 * List versions (public face in ttscreen/versions.h): the snapshot of a
 * source's entries and content hashes taken around an import, the
 * comparison of two snapshots, the net change over a run of versions, and
 * the two hooks the import calls inside its transaction.
 */
#ifndef TTS_LISTVER_H
#define TTS_LISTVER_H

#include <stddef.h>

#include "util/mem.h"
#include "store/store.h"
#include "ttscreen/versions.h"

typedef struct tts_listver_ent {
    const char *entry_id;
    const char *name;
    const char *sha256; /* content hash (tts_store_entry_sha256) */
} tts_listver_ent;

/* The entries of one source at one moment, sorted by entry id (strcmp). */
typedef struct tts_listver_snap {
    tts_arena *arena; /* owns every string */
    tts_listver_ent *items;
    size_t n, cap;
    int existed;     /* the source existed */
    char sha256[65]; /* the source's stored content hash ("" when none) */
} tts_listver_snap;

/* Accepts a zeroed snapshot. */
void tts_listver_snap_free(tts_listver_snap *s);

/* Read source's entries and hashes from the store into *s (zeroed first). */
tts_status tts_listver_snapshot(tts_store *st, const char *source, tts_listver_snap *s,
                                tts_error *err);

/*
 * Called once per difference between two snapshots, by entry id: change is
 * "added" (old NULL), "removed" (new NULL) or "changed". Nonzero stops.
 */
typedef int (*tts_listver_emit)(void *user, const char *change, const tts_listver_ent *old,
                                const tts_listver_ent *now);

/* Walk old and now (both sorted) in step; returns the first nonzero emit, else 0. */
int tts_listver_compare(const tts_listver_ent *old, size_t n_old, const tts_listver_ent *now,
                        size_t n_now, tts_listver_emit emit, void *user);

/*
 * The net change over a run of versions: feed the change rows of each
 * version in order (tts_listver_net_add), then tts_listver_net_finish
 * gives one change per entry that differs between the first version's
 * predecessor and the last one (an entry added then removed is no change;
 * changed twice is one change), sorted by entry id.
 */
typedef struct tts_listver_net {
    tts_arena *arena;
    tts_list_change *items;
    size_t n, cap;
    int failed;
} tts_listver_net;

void tts_listver_net_add(tts_listver_net *net, const char *entry_id, const char *name,
                         const char *old_sha256, const char *new_sha256);
/* Sort, merge and classify; TTS_ERR_NOMEM when an add failed. */
tts_status tts_listver_net_finish(tts_listver_net *net, tts_error *err);
void tts_listver_net_free(tts_listver_net *net);

/*
 * Import hooks, inside the import's transaction: before the stored entries
 * are replaced, snapshot them; after the new ones are written, compare and
 * record the new version and its changes (a source imported before
 * versions were kept first gets its old contents recorded as a version).
 */
tts_status tts_listver_before(tts_store *st, const char *source, tts_listver_snap *before,
                              tts_error *err);
tts_status tts_listver_after(tts_store *st, const char *source, const tts_listver_snap *before,
                             const char *imported_at, const char *sha256, long entries,
                             tts_error *err);

/*
 * The net change of source from version `from` to `to` (from < to) into
 * *net (zeroed first). Both must exist (from may be 0).
 */
tts_status tts_listver_changes(tts_store *st, const char *source, long from, long to,
                               tts_listver_net *net, tts_error *err);

/* The newest version of source with content hash sha256; 0 when none. */
tts_status tts_listver_by_sha(tts_store *st, const char *source, const char *sha256, long *version,
                              tts_error *err);

/* The newest version of source (0 when none) and its content hash (copied, may be NULL). */
tts_status tts_listver_latest(tts_store *st, const char *source, long *version, char sha[65],
                              tts_error *err);

#endif
