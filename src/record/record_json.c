/* SPDX-License-Identifier: MIT */
/*
 * Element-at-a-time reader of one array of objects in a JSON text (see
 * record_json.h). The few structural characters around the array ({ , : [ ]
 * }) are scanned here; every value, member name and element is parsed by
 * jansson on its own (JSON_DISABLE_EOF_CHECK), which gives back the bytes it
 * consumed, so syntax checking stays jansson's.
 */
#include "record/record_json.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"
#include "record/record_jansson.h"

enum { ST_MEMBERS, ST_FIRST, ST_AFTER, ST_TAIL, ST_DONE };

struct tts_jlist {
    const char *data;
    size_t len, pos;
    int line, col;        /* of data[pos] */
    const char *file;
    char key[64];         /* member holding the array; "" for a bare array */
    int state;
    int bare;
    size_t index;         /* of the current element */
    size_t seen;          /* elements parsed so far */
    int item_line, item_col;
    json_t *item;
};

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Move to `to`, counting lines and (UTF-8 character) columns. */
static void advance(tts_jlist *r, size_t to)
{
    for (; r->pos < to && r->pos < r->len; r->pos++) {
        unsigned char c = (unsigned char)r->data[r->pos];
        if (c == '\n') {
            r->line++;
            r->col = 1;
        } else if ((c & 0xC0) != 0x80) {
            r->col++;
        }
    }
}

static void skip_ws(tts_jlist *r)
{
    size_t p = r->pos;
    while (p < r->len && is_ws(r->data[p]))
        p++;
    advance(r, p);
}

__attribute__((format(printf, 6, 7))) static tts_status failf(tts_jlist *r, int line, int col,
                                                              tts_status st, tts_error *err,
                                                              const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    tts_err_set(err, st, "%s:%d:%d: %s", r->file, line, col, msg);
    tts_err_locate(err, r->file, line, col);
    return st;
}

/* Path of the current element: "results[12]" or "[12]" for a bare array. */
static void elem_path(const tts_jlist *r, char *out, size_t n)
{
    snprintf(out, n, "%s[%zu]", r->key, r->index);
}

/*
 * Parse one value at the current position (any type when `any`); on
 * success the position moves past it. `where` names it in messages.
 */
static tts_status parse_value(tts_jlist *r, int any, const char *where, json_t **out,
                              tts_error *err)
{
    json_error_t jerr;
    int oom = 0;
    size_t flags = JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK | (any ? JSON_DECODE_ANY : 0);
    json_t *v = tts_record_jload(r->data + r->pos, r->len - r->pos, flags, &jerr, &oom);
    *out = NULL;
    if (v == NULL) {
        char detail[4 * JSON_ERROR_TEXT_LENGTH];
        int line = r->line, col = r->col;
        if (oom)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory reading JSON", r->file);
        if (jerr.line > 1) {
            line = r->line + jerr.line - 1;
            col = jerr.column > 0 ? jerr.column : 1;
        } else if (jerr.column > 0) {
            col = r->col + jerr.column - 1;
        }
        tts_err_printable(jerr.text, strlen(jerr.text), detail, sizeof(detail));
        return failf(r, line, col, TTS_ERR_JSON, err, "%s: invalid JSON: %s", where, detail);
    }
    if (jerr.position < 0 || (size_t)jerr.position > r->len - r->pos) {
        json_decref(v);
        return failf(r, r->line, r->col, TTS_ERR_INTERNAL, err, "%s: JSON reader lost its place",
                     where);
    }
    advance(r, r->pos + (size_t)jerr.position);
    *out = v;
    return TTS_OK;
}

/* Expect character c (after white space). */
static tts_status expect(tts_jlist *r, char c, const char *what, tts_error *err)
{
    skip_ws(r);
    if (r->pos < r->len && r->data[r->pos] == c) {
        advance(r, r->pos + 1);
        return TTS_OK;
    }
    if (r->pos >= r->len)
        return failf(r, r->line, r->col, TTS_ERR_JSON, err,
                     "invalid JSON: %s, found the end of the file", what);
    return failf(r, r->line, r->col, TTS_ERR_JSON, err, "invalid JSON: %s", what);
}

/*
 * Walk the members of the top-level object until the array member (state
 * ST_FIRST, positioned after its '[') or the end of the object (ST_DONE).
 */
static tts_status members(tts_jlist *r, int after_comma, tts_error *err)
{
    tts_status rc;
    for (;;) {
        json_t *k = NULL, *v = NULL;
        int found;
        skip_ws(r);
        if (r->pos < r->len && r->data[r->pos] == '}' && !after_comma) {
            advance(r, r->pos + 1);
            if (r->state == ST_MEMBERS)
                return failf(r, r->line, r->col, TTS_ERR_JSON, err,
                             "$: no \"%s\" array", r->key);
            r->state = ST_DONE;
            break;
        }
        if (r->pos >= r->len || r->data[r->pos] != '"')
            return expect(r, '"',
                          after_comma ? "expected a member name" : "expected a member name or '}'",
                          err);
        after_comma = 0;
        if ((rc = parse_value(r, 1, "$", &k, err)) != TTS_OK)
            return rc;
        found = strcmp(json_string_value(k), r->key) == 0;
        json_decref(k);
        if ((rc = expect(r, ':', "expected ':' after a member name", err)) != TTS_OK)
            return rc;
        skip_ws(r);
        if (found) {
            if (r->state != ST_MEMBERS)
                return failf(r, r->line, r->col, TTS_ERR_JSON, err, "$.%s: duplicate member",
                             r->key);
            if (r->pos >= r->len || r->data[r->pos] != '[')
                return failf(r, r->line, r->col, TTS_ERR_JSON, err, "$.%s: expected an array",
                             r->key);
            advance(r, r->pos + 1);
            r->state = ST_FIRST;
            return TTS_OK;
        }
        if ((rc = parse_value(r, 1, "$", &v, err)) != TTS_OK)
            return rc;
        json_decref(v);
        skip_ws(r);
        if (r->pos < r->len && r->data[r->pos] == ',') {
            advance(r, r->pos + 1);
            after_comma = 1;
            continue;
        }
        if (r->pos < r->len && r->data[r->pos] == '}')
            continue;
        return expect(r, ',', "expected ',' or '}' after a member", err);
    }
    skip_ws(r);
    if (r->pos < r->len)
        return failf(r, r->line, r->col, TTS_ERR_JSON, err,
                     "invalid JSON: text after the end of the document");
    return TTS_OK;
}

tts_status tts_jlist_open(const char *data, size_t len, const char *file, const char *key,
                          tts_jlist **out, tts_error *err)
{
    tts_jlist *r;
    tts_status rc;
    *out = NULL;
    r = tts_calloc(1, sizeof(*r));
    if (r == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory reading JSON", file);
    r->data = data;
    r->len = len;
    r->file = file;
    r->line = 1;
    r->col = 1;
    snprintf(r->key, sizeof(r->key), "%s", key != NULL ? key : "");
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    skip_ws(r);
    if (r->pos < len && data[r->pos] == '[') {
        advance(r, r->pos + 1);
        r->bare = 1;
        r->key[0] = '\0';
        r->state = ST_FIRST;
    } else if (r->pos < len && data[r->pos] == '{' && key != NULL) {
        advance(r, r->pos + 1);
        r->state = ST_MEMBERS;
        if ((rc = members(r, 0, err)) != TTS_OK) {
            tts_jlist_free(r);
            return rc;
        }
    } else {
        rc = failf(r, r->line, r->col, TTS_ERR_JSON, err,
                   key != NULL ? "$: expected an object with a \"%s\" array, or an array"
                               : "$: expected an array%s",
                   key != NULL ? key : "");
        tts_jlist_free(r);
        return rc;
    }
    *out = r;
    return TTS_OK;
}

tts_status tts_jlist_next(tts_jlist *r, int *more, tts_error *err)
{
    char where[96];
    tts_status rc;
    json_t *v = NULL;
    *more = 0;
    json_decref(r->item);
    r->item = NULL;
    if (r->state == ST_DONE)
        return TTS_OK;
    skip_ws(r);
    if (r->state == ST_AFTER || r->state == ST_FIRST) {
        int first = r->state == ST_FIRST;
        if (r->pos < r->len && r->data[r->pos] == ']') {
            advance(r, r->pos + 1);
            if (r->bare) {
                r->state = ST_DONE;
                skip_ws(r);
                if (r->pos < r->len)
                    return failf(r, r->line, r->col, TTS_ERR_JSON, err,
                                 "invalid JSON: text after the end of the document");
                return TTS_OK;
            }
            r->state = ST_TAIL;
            skip_ws(r);
            if (r->pos < r->len && r->data[r->pos] == ',') {
                advance(r, r->pos + 1);
                return members(r, 1, err);
            }
            if (r->pos >= r->len || r->data[r->pos] != '}')
                return expect(r, ',', "expected ',' or '}' after a member", err);
            return members(r, 0, err);
        }
        if (!first) {
            if ((rc = expect(r, ',', "expected ',' or ']' after an array element", err)) != TTS_OK)
                return rc;
            skip_ws(r);
        }
        r->index = r->seen++;
        r->item_line = r->line;
        r->item_col = r->col;
        elem_path(r, where, sizeof(where));
        if ((rc = parse_value(r, 1, where, &v, err)) != TTS_OK)
            return rc;
        r->state = ST_AFTER;
        if (!json_is_object(v)) {
            rc = failf(r, r->item_line, r->item_col, TTS_ERR_JSON, err,
                       "%s: expected an object, found %s", where, tts_record_json_type(v));
            json_decref(v);
            return rc;
        }
        r->item = v;
        *more = 1;
        return TTS_OK;
    }
    return failf(r, r->line, r->col, TTS_ERR_INTERNAL, err, "JSON reader used after the end");
}

size_t tts_jlist_index(const tts_jlist *r)
{
    return r->index;
}

int tts_jlist_line(const tts_jlist *r)
{
    return r->item_line;
}

void tts_jlist_free(tts_jlist *r)
{
    if (r == NULL)
        return;
    json_decref(r->item);
    tts_free(r);
}

tts_status tts_jlist_fail(tts_jlist *r, const char *key, tts_status st, const char *msg,
                          tts_error *err)
{
    char where[96];
    elem_path(r, where, sizeof(where));
    return failf(r, r->item_line, r->item_col, st, err, "%s%s%s: %s", where, key ? "." : "",
                 key ? key : "", msg);
}

/*
 * Read v as text; integers are replaced in the tree by their decimal
 * string (set through `replace`) so the text lives as long as the element.
 */
static tts_status as_text(tts_jlist *r, json_t *v, const char *path, const char **out,
                          int (*replace)(json_t *parent, const void *slot, json_t *nv),
                          json_t *parent, const void *slot, tts_error *err)
{
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return TTS_OK;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return TTS_OK;
    }
    if (json_is_integer(v)) {
        char num[32];
        json_t *s;
        snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = json_string(num);
        if (s == NULL || replace(parent, slot, s) != 0)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory reading JSON", r->file);
        /* parent now holds s (the _new setters take the reference) */
        *out = json_string_value(s);
        return TTS_OK;
    }
    return failf(r, r->item_line, r->item_col, TTS_ERR_JSON, err, "%s: expected a string, found %s",
                 path, tts_record_json_type(v));
}

static int replace_member(json_t *obj, const void *key, json_t *nv)
{
    return json_object_set_new(obj, key, nv);
}

static int replace_index(json_t *arr, const void *index, json_t *nv)
{
    return json_array_set_new(arr, *(const size_t *)index, nv);
}

tts_status tts_jlist_string(tts_jlist *r, const char *key, const char **out, tts_error *err)
{
    char path[160];
    json_t *v = r->item != NULL ? json_object_get(r->item, key) : NULL;
    snprintf(path, sizeof(path), "%s[%zu].%s", r->key, r->index, key);
    return as_text(r, v, path, out, replace_member, r->item, key, err);
}

tts_status tts_jlist_count(tts_jlist *r, const char *key, size_t *n, tts_error *err)
{
    json_t *v = r->item != NULL ? json_object_get(r->item, key) : NULL;
    (void)err;
    if (v == NULL || json_is_null(v))
        *n = 0;
    else if (json_is_array(v))
        *n = json_array_size(v);
    else
        *n = 1;
    return TTS_OK;
}

tts_status tts_jlist_item(tts_jlist *r, const char *key, size_t i, const char *field,
                          const char **out, tts_error *err)
{
    char path[192];
    json_t *arr = r->item != NULL ? json_object_get(r->item, key) : NULL, *v = arr;
    size_t ix = i;
    *out = NULL;
    if (arr == NULL || json_is_null(arr))
        return TTS_OK;
    if (json_is_array(arr)) {
        v = json_array_get(arr, i);
        snprintf(path, sizeof(path), "%s[%zu].%s[%zu]", r->key, r->index, key, i);
    } else {
        snprintf(path, sizeof(path), "%s[%zu].%s", r->key, r->index, key);
    }
    if (v == NULL || json_is_null(v))
        return TTS_OK;
    if (field == NULL) {
        if (json_is_array(arr))
            return as_text(r, v, path, out, replace_index, arr, &ix, err);
        return as_text(r, v, path, out, replace_member, r->item, key, err);
    }
    if (!json_is_object(v))
        return failf(r, r->item_line, r->item_col, TTS_ERR_JSON, err,
                     "%s: expected an object, found %s", path, tts_record_json_type(v));
    {
        size_t n = strlen(path);
        snprintf(path + n, sizeof(path) - n, ".%s", field);
    }
    return as_text(r, json_object_get(v, field), path, out, replace_member, v, field, err);
}

tts_status tts_json_flat_object(const char *text, size_t len, const char *file, long line,
                                tts_json_member_fn cb, void *user, tts_error *err)
{
    json_error_t jerr;
    int oom = 0;
    json_t *o = tts_record_jload(text, len, 0, &jerr, &oom), *v;
    const char *key;
    tts_status rc = TTS_OK;
    if (o == NULL)
        return oom ? tts_err_set(err, TTS_ERR_NOMEM, "%s:%ld: out of memory", file, line)
                   : tts_err_set(err, TTS_ERR_JSON, "%s:%ld:%d: %s", file, line, jerr.column,
                                 jerr.text);
    if (!json_is_object(o)) {
        rc = tts_err_set(err, TTS_ERR_JSON, "%s:%ld: expected an object, found %s", file, line,
                         tts_record_json_type(o));
        json_decref(o);
        return rc;
    }
    json_object_foreach(o, key, v)
    {
        char num[64];
        const char *val = NULL;
        if (json_is_string(v))
            val = json_string_value(v);
        else if (json_is_integer(v))
            snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v)), val = num;
        else if (json_is_real(v))
            snprintf(num, sizeof(num), "%.17g", json_real_value(v)), val = num;
        else if (json_is_boolean(v))
            val = json_is_true(v) ? "true" : "false";
        else if (!json_is_null(v)) {
            rc = tts_err_set(err, TTS_ERR_JSON, "%s:%ld: member \"%s\": expected a string, "
                             "number, boolean or null, found %s",
                             file, line, key, tts_record_json_type(v));
            break;
        }
        if (cb(user, key, val) != 0) {
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s:%ld: out of memory", file, line);
            break;
        }
    }
    json_decref(o);
    return rc;
}

/* ---- a read-only view of JSON values (tts_json_each_value) ---- */

static const json_t *J(const tts_jnode *v)
{
    return (const json_t *)(const void *)v;
}

int tts_jnode_is_object(const tts_jnode *v)
{
    return v != NULL && json_is_object(J(v));
}

const tts_jnode *tts_jnode_member(const tts_jnode *v, const char *key)
{
    const json_t *m = v != NULL && json_is_object(J(v)) ? json_object_get(J(v), key) : NULL;
    return (const tts_jnode *)(const void *)m;
}

const char *tts_jnode_string(const tts_jnode *v)
{
    return v != NULL && json_is_string(J(v)) ? json_string_value(J(v)) : NULL;
}

int tts_jnode_long(const tts_jnode *v, long *out)
{
    json_int_t i;
    if (v == NULL || !json_is_integer(J(v)))
        return 0;
    i = json_integer_value(J(v));
    if (i < LONG_MIN || i > LONG_MAX)
        return 0;
    *out = (long)i;
    return 1;
}

size_t tts_jnode_count(const tts_jnode *v)
{
    return v != NULL && json_is_array(J(v)) ? json_array_size(J(v)) : 0;
}

const tts_jnode *tts_jnode_at(const tts_jnode *v, size_t i)
{
    const json_t *e = v != NULL && json_is_array(J(v)) ? json_array_get(J(v), i) : NULL;
    return (const tts_jnode *)(const void *)e;
}

/* Nesting depth of v (a scalar is 0); stops counting past limit. */
static int depth_of(const json_t *v, int limit)
{
    int deepest = 0;
    if (limit < 0)
        return 1;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v) && deepest <= limit; i++) {
            int d = depth_of(json_array_get(v, i), limit - 1);
            if (d > deepest)
                deepest = d;
        }
        return deepest + 1;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *m;
        json_object_foreach((json_t *)(uintptr_t)v, k, m) {
            int d = depth_of(m, limit - 1);
            if (d > deepest)
                deepest = d;
            if (deepest > limit)
                break;
        }
        return deepest + 1;
    }
    return 0;
}

/* Line and column (1-based, in characters) of byte offset off of data. */
static void place(const char *data, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static tts_status json_fail(tts_error *err, const char *label, const char *data, size_t off,
                            const char *what)
{
    int line, col;
    place(data, off, &line, &col);
    tts_err_set(err, TTS_ERR_JSON, "%s: line %d, column %d: %s", label, line, col, what);
    tts_err_locate(err, NULL, line, col);
    return TTS_ERR_JSON;
}

tts_status tts_json_each_value(const char *data, size_t len, const char *label, int max_depth,
                               tts_jnode_fn fn, void *user, tts_error *err)
{
    size_t off = 0;
    for (;;) {
        json_error_t jerr;
        json_t *v;
        int oom = 0;
        tts_status rc;
        while (off < len && (data[off] == ' ' || data[off] == '\t' || data[off] == '\n' ||
                             data[off] == '\r'))
            off++;
        if (off >= len)
            return TTS_OK;
        v = tts_record_jload(data + off, len - off, JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY,
                             &jerr, &oom);
        if (v == NULL) {
            if (oom)
                return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
            return json_fail(err, label, data,
                             off + (jerr.position > 0 ? (size_t)jerr.position - 1 : 0),
                             jerr.text);
        }
        if (depth_of(v, max_depth) > max_depth) {
            json_decref(v);
            return json_fail(err, label, data, off, "nesting too deep");
        }
        rc = fn(user, (const tts_jnode *)(const void *)v, err);
        json_decref(v);
        if (rc == TTS_ERR_JSON) { /* the caller's complaint about this value, placed at it */
            char what[sizeof(err->message)];
            snprintf(what, sizeof(what), "%s", err->message);
            return json_fail(err, label, data, off, what);
        }
        if (rc != TTS_OK)
            return rc;
        off += (size_t)jerr.position;
    }
}

