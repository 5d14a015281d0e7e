/* SPDX-License-Identifier: MIT */
/*
 * The subcontracting chain from the record's screened_for party: who is
 * reached, at which tier, through which transfer or relation.
 */
#ifndef TTS_CHAIN_H
#define TTS_CHAIN_H

#include "rules/evalctx.h"

/* Compute ev's chain (tier, parent, via, chain) on first use; later calls return at once. */
tts_status tts_eval_chain(tts_eval *ev);

#endif
