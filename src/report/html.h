/* SPDX-License-Identifier: MIT */
/*
 * The HTML audit report: one self-contained page (inline CSS and SVG; no
 * script, font, image or any other external resource, enforced by a
 * Content-Security-Policy) that prints well. Every string that comes from
 * the record, the rules or the lists is HTML-escaped.
 */
#ifndef TTS_HTML_H
#define TTS_HTML_H

#include "ttscreen/report.h"
#include "ttscreen/status.h"
#include "util/buf.h"

/*
 * Append the page for `in` (borrowed; record, rules and dates required) to
 * *out. Returns TTS_OK, TTS_ERR_ARG when inputs are missing, TTS_ERR_NOMEM
 * when the buffer could not grow (out is then incomplete).
 */
tts_status tts_html_render(const tts_report_input *in, tts_buf *out, tts_error *err);

/* Append s HTML-escaped (&<>"' and control characters); NULL appends nothing. */
void tts_html_escape(tts_buf *b, const char *s);

#endif
