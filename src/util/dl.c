/* SPDX-License-Identifier: MIT */
/* Loading a library by its first use (see dl.h). */
#include "util/dl.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

void *tts_dl_open(const char *soname, const char *what, char *problem, size_t cap)
{
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        const char *why = dlerror();
        snprintf(problem, cap, "cannot load %s: %s", what, why != NULL ? why : soname);
    }
    return lib;
}

int tts_dl_sym(void *lib, const char *what, const char *name, void *fn, size_t size,
               char *problem, size_t cap)
{
    void *p = dlsym(lib, name);
    if (p == NULL || size != sizeof(p)) {
        snprintf(problem, cap, "cannot load %s: no %s", what, name);
        return -1;
    }
    memcpy(fn, &p, size);
    return 0;
}
