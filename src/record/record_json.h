/* SPDX-License-Identifier: MIT */
/*
 * A reader for large JSON documents that hold one array of objects: either
 * the array itself, or an object with the array under a named member
 * ({"results": [...], ...}; the other members are checked and skipped).
 * Elements are parsed one at a time, so memory is the text plus one
 * element. Typed getters read the members of the current element; every
 * error is one line "FILE:LINE:COL: PATH: message", PATH being the JSON path
 * (results[12].name) and LINE:COL the place jansson reports for bad syntax,
 * or where the element starts for a wrong type.
 */
#ifndef TTS_RECORD_JSON_H
#define TTS_RECORD_JSON_H

#include <stddef.h>

#include "ttscreen/status.h"

typedef struct tts_jlist tts_jlist;

/*
 * Start reading data[0..len) (not copied: it must outlive the reader).
 * `file` names the text in messages; `key` is the member holding the array
 * when the text is an object. A UTF-8 byte order mark is skipped.
 */
tts_status tts_jlist_open(const char *data, size_t len, const char *file, const char *key,
                          tts_jlist **out, tts_error *err);

/* Parse the next element, which must be an object; *more = 0 after the last. */
tts_status tts_jlist_next(tts_jlist *r, int *more, tts_error *err);

/* Index of the current element (0-based) and the line where it starts. */
size_t tts_jlist_index(const tts_jlist *r);
int tts_jlist_line(const tts_jlist *r);

void tts_jlist_free(tts_jlist *r);

/*
 * Member `key` of the current element as text: a string, or an integer
 * written in decimal. Absent or null gives *out = NULL. The text lives
 * until the next tts_jlist_next.
 */
tts_status tts_jlist_string(tts_jlist *r, const char *key, const char **out, tts_error *err);

/*
 * Number of values of member `key`: the length of an array, 1 for a lone
 * value, 0 when absent or null.
 */
tts_status tts_jlist_count(tts_jlist *r, const char *key, size_t *n, tts_error *err);

/*
 * Value i of member `key` (see tts_jlist_count). With field == NULL the
 * value itself is read as text; otherwise the value must be an object (or
 * null) and its member `field` is read as text. Absent or null gives NULL.
 */
tts_status tts_jlist_item(tts_jlist *r, const char *key, size_t i, const char *field,
                          const char **out, tts_error *err);

/* Fail with a message about member `key` (may be NULL) of the current element. */
tts_status tts_jlist_fail(tts_jlist *r, const char *key, tts_status st, const char *msg,
                          tts_error *err);

/*
 * One JSON object of scalar members, as text (a JSON Lines row of a
 * counterparty sheet): each member in document order goes to cb as
 * key and value (strings as they are, numbers and booleans as written,
 * null as NULL). An array or object member, or text that is not one
 * object, is an error "FILE:LINE: ..." (line = `line`). cb returning
 * non-zero stops with TTS_ERR_NOMEM.
 */
typedef int (*tts_json_member_fn)(void *user, const char *key, const char *value);
tts_status tts_json_flat_object(const char *text, size_t len, const char *file, long line,
                                tts_json_member_fn cb, void *user, tts_error *err);

/*
 * A read-only view of parsed JSON values, for other modules that read
 * untrusted JSON documents (signed reports) without a parser of their own.
 * Nodes live until the callback of tts_json_each_value returns.
 */
typedef struct tts_jnode tts_jnode;

/*
 * Parse data as one JSON value or a sequence of values separated by
 * whitespace (JSON Lines) and call fn for each in order; fn returns a
 * status (not TTS_OK stops with it; TTS_ERR_JSON with a message "what is
 * wrong" becomes "LABEL: line L, column C: what is wrong", placed at the
 * value). Values nested deeper than max_depth
 * arrays and objects are refused. Errors: TTS_ERR_JSON "LABEL: line L,
 * column C: message" with the place located in err, TTS_ERR_NOMEM.
 */
typedef tts_status (*tts_jnode_fn)(void *user, const tts_jnode *v, tts_error *err);
tts_status tts_json_each_value(const char *data, size_t len, const char *label, int max_depth,
                               tts_jnode_fn fn, void *user, tts_error *err);

/* 1 when v is an object. */
int tts_jnode_is_object(const tts_jnode *v);
/* Member key of object v, or NULL (v not an object, or no such member). */
const tts_jnode *tts_jnode_member(const tts_jnode *v, const char *key);
/* The text of a string value, or NULL for any other value. */
const char *tts_jnode_string(const tts_jnode *v);
/* 1 and *out when v is an integer that fits a long, else 0. */
int tts_jnode_long(const tts_jnode *v, long *out);
/* Length of an array (0 for any other value), and its element i (NULL past the end). */
size_t tts_jnode_count(const tts_jnode *v);
const tts_jnode *tts_jnode_at(const tts_jnode *v, size_t i);

#endif
