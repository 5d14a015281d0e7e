/* SPDX-License-Identifier: MIT */
/*
 * Regular expressions of the rule language: the only PCRE2 user. Patterns
 * are compiled once when a rule file is loaded (UTF-8 mode, JIT when the
 * platform has it) and matched with a match limit and a depth limit, so a
 * pathological pattern fails the scan with TTS_ERR_LIMIT instead of hanging.
 * PCRE2 allocates through tts_malloc/tts_free.
 */
#ifndef TTS_RX_H
#define TTS_RX_H

#include <stddef.h>

#include "ttscreen/status.h"

typedef struct tts_rx tts_rx;
typedef struct tts_rx_scratch tts_rx_scratch;

/*
 * Compile pattern[0..len) with flags ("i", "m", "s", "x", "u" in any
 * combination). The regex is linked into *chain, which owns it (free the
 * chain with tts_rx_free_chain). On a bad pattern returns NULL with a
 * message in msg and the pattern offset in *erroff; on out of memory
 * returns NULL with *erroff = (size_t)-1.
 */
tts_rx *tts_rx_compile(void **chain, const char *pattern, size_t len, const char *flags, char *msg,
                       size_t msg_len, size_t *erroff);
/* Free every regex linked into chain. Accepts NULL. */
void tts_rx_free_chain(void *chain);
/* The pattern as written between the slashes, with its flags: "/…/i". Borrowed. */
const char *tts_rx_source(const tts_rx *rx);

/* Per-scan matching state (not shared between threads). Accepts NULL in free. */
tts_rx_scratch *tts_rx_scratch_new(void);
void tts_rx_scratch_free(tts_rx_scratch *s);
/*
 * Match s[0..len) against rx. *hit receives 1 or 0. TTS_ERR_LIMIT when the
 * match or depth limit was hit, TTS_ERR_NOMEM, or TTS_OK.
 */
tts_status tts_rx_match(const tts_rx *rx, tts_rx_scratch *scratch, const char *s, size_t len,
                        int *hit);

/* The version of PCRE2 linked at run time, into out[cap] (for --version). */
void tts_rx_lib_version(char *out, size_t cap);

#endif
