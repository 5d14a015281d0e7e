/* SPDX-License-Identifier: MIT */
/*
 * The OFAC-compatible score (`--algorithm ofac`): an emulation of the
 * score of OFAC's Sanctions List Search from its published description
 * (OFAC FAQ 249, "How is the Score calculated?"): Jaro-Winkler of the
 * whole name entered against the whole list name, and name parts: each
 * part entered compared with the list name's parts by Jaro-Winkler and
 * Soundex, a composite of the parts; the higher of the two, 0-100.
 *
 * What FAQ 249 leaves open was settled on OFAC's own published outputs
 * (fixtures/peer/ofac-sls-scores.csv, measured in test_conformance), as
 * general rules, never per name:
 *   - names are compared as written (no "SURNAME, Given" reordering, legal
 *     forms kept as words), folded and split as tts_names_normalize does;
 *   - the composite is the mean over the parts entered of each part's best
 *     similarity with a list part; a best under OFAC_PART_MIN counts 0
 *     (FAQ 249's "at least 50 % similar");
 *   - parts of one or two letters are left out of the composite when a
 *     longer part was entered ("KIM JONG UN" is scored on KIM and JONG);
 *   - a list part with the same Soundex code moves the part's similarity
 *     OFAC_SOUNDEX_SHARE of the way to 1;
 *   - the result is rounded to whole points, as OFAC shows it.
 * Pure functions over their arguments: safe from any number of threads.
 */
#ifndef TTS_OFACSCORE_H
#define TTS_OFACSCORE_H

#include <stddef.h>

#include "util/buf.h"

#define OFAC_PART_MIN 0.5       /* a part's best similarity under this counts 0 */
#define OFAC_SOUNDEX_SHARE 0.1  /* same Soundex code: this share of the way to 1 */
#define OFAC_SHORT_PART 2       /* parts of at most this many bytes: left out (see above) */

/* How a query scored against one name, for the score and its explanation. */
typedef struct tts_ofac_detail {
    double whole; /* Jaro-Winkler of the whole strings */
    double parts; /* composite of the name parts */
    double score; /* the higher of the two, rounded to 0.01 */
    size_t n_parts, n_used; /* parts entered; parts in the composite */
} tts_ofac_detail;

/* Soundex code (letter and three digits) of the a-z letters of s[0..n) into out[5]; 0 when none. */
int tts_ofac_soundex(const char *s, size_t n, char out[5]);

/*
 * Score q against name: both are word lists separated by single spaces,
 * as tts_names_normalize writes them (with TTS_NAME_AS_WRITTEN). d may be
 * NULL. Returns the score in [0,1], in steps of 0.01.
 */
double tts_ofac_score(const char *q, const char *name, tts_ofac_detail *d);

/* Append the explanation of q against name (each part's best, composite, whole) to b. */
void tts_ofac_explain(const char *q, const char *name, tts_buf *b);

#endif
