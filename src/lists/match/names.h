/* SPDX-License-Identifier: MIT */
/*
 * Name normalisation for denied-party matching (the only utf8proc user).
 * List names and queries go through exactly the same steps, so equal
 * inputs in different scripts or widths meet in one canonical form:
 * NFKC + case folding, diacritics removed (kana voicing marks kept),
 * apostrophes dropped, other punctuation to spaces, words of other scripts
 * written in Latin letters through ICU (names_translit.h), dotted initials
 * joined ("S.A." -> "sa"), "SURNAME, Given" reordered for persons, legal
 * forms (the table data/legal-forms.tsv, built into the library) taken
 * out of the token list into their classes ("jsc", "ltd"), traditional /
 * Japanese Han forms folded to simplified ones before Han is read as
 * pinyin. The same name in the same script always gives the same form.
 */
#ifndef TTS_NAMES_H
#define TTS_NAMES_H

#include <stddef.h>

#include "ttscreen/status.h"
#include "util/buf.h"

/*
 * The version of tts_names_normalize's output. Raise it with every change
 * that gives any name other tokens, legal classes or glued form: lists
 * store the tokens made at import, and a list normalised by another version
 * is refused for screening until it is imported again (a query normalised
 * today could miss tokens made yesterday).
 */
#define TTS_NAMES_VERSION 1

/* Flags for tts_names_normalize. */
#define TTS_NAME_PERSON 1u /* "SURNAME, Given Names" -> "Given Names SURNAME"; no legal forms */
#define TTS_NAME_AS_WRITTEN 2u /* legal forms stay words of the name (the OFAC-compatible score) */

/* Hard bound on the bytes of one name (input), TTS_NAME_MAX_BYTES; longer is TTS_ERR_LIMIT. */
#include "util/limits.h"

typedef struct tts_nname {
    char *tokens; /* name tokens without legal forms, single spaces; caller owns */
    char *legal;  /* classes of the legal forms found ("jsc", "co ltd"), or ""; caller owns */
    char *glued;  /* every token, legal forms included, without spaces; caller owns */
} tts_nname;

/*
 * Normalise `s` (len bytes of UTF-8). On success fills *out (free its
 * strings with tts_nname_clear). Invalid UTF-8 is TTS_ERR_ARG; a name over
 * TTS_NAME_MAX_BYTES is TTS_ERR_LIMIT.
 */
tts_status tts_names_normalize(const char *s, size_t len, unsigned flags, tts_nname *out,
                               tts_error *err);

/* Free the strings of n and zero it; accepts NULL members. */
void tts_nname_clear(tts_nname *n);

/*
 * Check a legal-forms table (the text of data/legal-forms.tsv, len bytes):
 * every row parses, and a form listed twice has one class. *n_forms gets
 * the number of forms. Errors name the line (source "legal-forms.tsv").
 * The library uses the copy of data/legal-forms.tsv built into it.
 */
tts_status tts_names_legal_check(const char *text, size_t len, size_t *n_forms /* OUT */,
                                 tts_error *err);

/*
 * The table prepared for the library (appended to out): each form with its
 * words as the normaliser makes them, so that the built-in copy loads
 * without transliterating (the build runs this on data/legal-forms.tsv).
 */
tts_status tts_names_legal_prepare(const char *text, size_t len, tts_buf *out, tts_error *err);

/* TTS_OK when the built-in prepared table holds what data/legal-forms.tsv gives now. */
tts_status tts_names_legal_selfcheck(tts_error *err);

/* 1 when s (len bytes) is valid UTF-8; *bad gets the byte offset of the first error. */
int tts_names_utf8_valid(const char *s, size_t len, size_t *bad /* OUT */);

/* The version of utf8proc linked at run time, into out[cap] (for --version). */
void tts_names_lib_version(char *out, size_t cap);

#endif
