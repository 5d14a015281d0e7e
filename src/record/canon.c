/* SPDX-License-Identifier: MIT */
/*
 * Canonical JSON text of a record (see canon.h): compact, keys sorted as
 * unsigned bytes, strings escaped as jansson's dump_string does without
 * JSON_ENSURE_ASCII and JSON_ESCAPE_SLASH ("\\u%04X" for other control
 * bytes, upper-case hex; DEL and bytes >= 0x80 copied). The output must
 * stay byte-identical to jansson 2.14's json_dumps(v, JSON_COMPACT |
 * JSON_SORT_KEYS): tests/unit/test_canon.c compares the two on every
 * fixture and on generated values. The writer recurses once per level of
 * nesting; that is acceptable because a record is at most
 * TTS_JSON_MAX_DEPTH deep (the loader checks before), and the writer also
 * refuses containers past TTS_CANON_MAX_DEPTH itself (a frame is a few
 * hundred bytes), so deep or cyclic input made by hand cannot exhaust the stack.
 */
#include "record/canon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

/* Keys of an object sorted on the stack up to this many; more go to the heap. */
#define SMALL_KEYS 16

typedef struct entry {
    const char *key;
    size_t len;
    json_t *value;
} entry;

/* 1 for the bytes a JSON string must escape: control bytes, '"' and '\\'. */
static const unsigned char needs_escape[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20: '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50: '\\' */
};

static int write_value(const json_t *v, tts_buf *out, int depth);

/*
 * A quoted string: each run of bytes that needs no escape is appended in
 * one call, so the cost is one table look-up per byte and one append per
 * escape. Control bytes without a short form become \u00XX, upper case,
 * as jansson's "\\u%04X".
 */
static void write_string(const char *s, size_t len, tts_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    tts_buf_putc(out, '"');
    for (; i < len; i++) {
        unsigned char c = p[i];
        char esc[6] = {'\\', 'u', '0', '0', 0, 0};
        size_t n = 2;
        if (!needs_escape[c])
            continue;
        tts_buf_append(out, s + run, i - run);
        run = i + 1;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            n = 6;
            break;
        }
        tts_buf_append(out, esc, n);
    }
    tts_buf_append(out, s + run, len - run);
    tts_buf_putc(out, '"');
}

/*
 * Reals are rare in records and their text (%.17g, a ".0" added when it
 * would read as an integer, the locale's decimal point undone) is
 * jansson's own, so jansson writes them: JSON_ENCODE_ANY lets a lone real
 * be the root, and a real needs at most 24 bytes.
 */
static int write_real(const json_t *v, tts_buf *out)
{
    char text[64];
    size_t n = json_dumpb(v, text, sizeof(text), JSON_ENCODE_ANY | JSON_COMPACT);
    if (n == 0 || n > sizeof(text)) {
        out->failed = 1; /* jansson could not allocate: reals are always finite */
        return -1;
    }
    tts_buf_append(out, text, n);
    return 0;
}

/* Order of jansson's compare_keys: memcmp over the shorter key, then the shorter first. */
static int compare_entries(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int r = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
    if (r != 0)
        return r;
    return a->len < b->len ? -1 : a->len > b->len;
}

static void sort_entries(entry *e, size_t n)
{
    if (n > SMALL_KEYS) {
        qsort(e, n, sizeof(*e), compare_entries);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        entry t = e[i];
        size_t j = i;
        for (; j > 0 && compare_entries(&e[j - 1], &t) > 0; j--)
            e[j] = e[j - 1];
        e[j] = t;
    }
}

/*
 * An object: its members gathered with their key lengths (keys may hold
 * NUL), sorted, written. jansson's iterator wants a non-const object; it
 * only reads, so the const is dropped through uintptr_t.
 */
static int write_object(const json_t *obj, tts_buf *out, int depth)
{
    entry small[SMALL_KEYS];
    entry *e = small;
    json_t *o = (json_t *)(uintptr_t)obj;
    size_t n = json_object_size(obj), i = 0;
    int rc = 0;
    void *it;
    if (n == 0) {
        tts_buf_append(out, "{}", 2);
        return 0;
    }
    if (n > SMALL_KEYS && (e = tts_malloc(n * sizeof(*e))) == NULL) {
        out->failed = 1; /* the text cannot be whole: the buffer says so, as on its own failures */
        return -1;
    }
    for (it = json_object_iter(o); it != NULL && i < n; it = json_object_iter_next(o, it), i++) {
        e[i].key = json_object_iter_key(it);
        e[i].len = json_object_iter_key_len(it);
        e[i].value = json_object_iter_value(it);
    }
    sort_entries(e, i);
    tts_buf_putc(out, '{');
    for (size_t k = 0; k < i && rc == 0; k++) {
        if (k > 0)
            tts_buf_putc(out, ',');
        write_string(e[k].key, e[k].len, out);
        tts_buf_putc(out, ':');
        rc = write_value(e[k].value, out, depth + 1);
    }
    tts_buf_putc(out, '}');
    if (e != small)
        tts_free(e);
    return rc;
}

static int write_array(const json_t *arr, tts_buf *out, int depth)
{
    size_t n = json_array_size(arr);
    tts_buf_putc(out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            tts_buf_putc(out, ',');
        if (write_value(json_array_get(arr, i), out, depth + 1) != 0)
            return -1;
    }
    tts_buf_putc(out, ']');
    return 0;
}

/*
 * One value; depth is the nesting of the containers around it plus one (the
 * root is 1), counted as jansson's parser counts, so a container is refused
 * only past a depth jansson could not have parsed.
 */
static int write_value(const json_t *v, tts_buf *out, int depth)
{
    if (v == NULL)
        return -1;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return depth > TTS_CANON_MAX_DEPTH ? -1 : write_object(v, out, depth);
    case JSON_ARRAY:
        return depth > TTS_CANON_MAX_DEPTH ? -1 : write_array(v, out, depth);
    case JSON_STRING:
        write_string(json_string_value(v), json_string_length(v), out);
        return 0;
    case JSON_INTEGER:
        tts_buf_put_int(out, (long long)json_integer_value(v));
        return 0;
    case JSON_REAL:
        return write_real(v, out);
    case JSON_TRUE:
        tts_buf_append(out, "true", 4);
        return 0;
    case JSON_FALSE:
        tts_buf_append(out, "false", 5);
        return 0;
    case JSON_NULL:
        tts_buf_append(out, "null", 4);
        return 0;
    }
    return -1;
}

int tts_json_canonical(const json_t *v, tts_buf *out)
{
    if (write_value(v, out, 1) != 0)
        return -1;
    return tts_buf_failed(out) ? -1 : 0;
}
