/* SPDX-License-Identifier: MIT */
/*
 * The law each list entry rests on: the table data/list-citations.tsv (built
 * into the library) maps a list source, an entry's CSL sub-list and its
 * programmes to a citation. Lookups give every match its citation; a rule
 * that says `list_citation` cites the matches' citations.
 */
#ifndef TTS_LIST_CITATIONS_H
#define TTS_LIST_CITATIONS_H

#include <stddef.h>

#include "ttscreen/status.h"

/*
 * Check a list-citations table (the text of data/list-citations.tsv, len
 * bytes): every row has four fields, none empty, and the citation is one
 * line. *n_rows gets the number of rows. Errors name the line (source
 * "list-citations.tsv").
 */
tts_status tts_citations_check(const char *text, size_t len, size_t *n_rows /* OUT */,
                               tts_error *err);

/*
 * The citation of an entry of list `source`, CSL sub-list `sublist` (NULL or
 * "" when none) and programmes `programs` (';'-separated, or NULL), from the
 * built-in table: each programme with a row of its own gives that row's
 * citation (each once, joined with "; "); else the first row of the source
 * and sub-list for any programme. *out is a new string (tts_free) or NULL when
 * no row fits.
 */
tts_status tts_citations_for(const char *source, const char *sublist, const char *programs,
                             char **out /* OUT */, tts_error *err);

#endif
