/* SPDX-License-Identifier: MIT */
/*
 * Libraries loaded by their first use (dlopen) instead of linked: a process
 * maps and relocates every linked library at start, and most never use
 * libcurl, ICU, libzip, libxml2 or libxlsxwriter. A library or symbol that
 * cannot be had leaves its reason in `problem` (one line, naming `what`),
 * which the caller turns into the error of the operation that needed it.
 */
#ifndef TTS_DL_H
#define TTS_DL_H

#include <stddef.h>

/* soname opened (RTLD_NOW, RTLD_LOCAL), or NULL: "cannot load WHAT: REASON" in problem. */
void *tts_dl_open(const char *soname, const char *what, char *problem, size_t cap);
/*
 * Symbol name of lib into *fn, a pointer of size bytes (copied: ISO C has no
 * cast between object and function pointers). 0, or -1 with "cannot load
 * WHAT: no NAME" in problem.
 */
int tts_dl_sym(void *lib, const char *what, const char *name, void *fn, size_t size,
               char *problem, size_t cap);

#endif
