/* SPDX-License-Identifier: MIT */
/*
 * Match-quality measurements shared by test_nameidx (asserts the targets)
 * and the bench program: self-recall over every name of a list, and recall
 * of the indexed search against the exhaustive one on perturbed queries
 * (letter swaps, dropped letters, reordered tokens, removed legal forms)
 * from a fixed seed.
 */
#ifndef TTS_TEST_QUALITY_H
#define TTS_TEST_QUALITY_H

#include <stddef.h>
#include <stdint.h>

#include "ttscreen.h"

/* Deterministic generator (xorshift64*), so every run measures the same queries. */
uint64_t tts_q_rand(uint64_t *state);

/* Write a perturbed copy of name (ASCII-oriented; other bytes pass through) into out[cap]. */
void tts_q_perturb(const char *name, uint64_t *state, char *out, size_t cap);

#endif
