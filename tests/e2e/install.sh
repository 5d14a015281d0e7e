#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install PREFIX=... DESTDIR=...` installs binary, library, headers, pkg-config file, rules
# and man page; the installed binary finds the installed rules from any directory, and a
# program built against the installed library and header links and runs.
#   sh tests/e2e/install.sh BINARY SCRATCH
set -u
S=$2
rm -rf "$S"
mkdir -p "$S"
S=$(cd "$S" && pwd)
D="$S/dest"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL install: $1"; }

# a build directory of its own, so the tree the other tests run is never rebuilt under them
if ! make -s install B="$S/build" CFLAGS=-O0 PREFIX=/opt/tts DESTDIR="$D" >"$S/make.log" 2>&1; then
    bad "make install failed: $(tail -3 "$S/make.log")"
    echo "install: $passed passed, $failed failed"
    exit 1
fi
for f in bin/ttscreen lib/libttscreen.a include/ttscreen.h include/ttscreen/record.h \
    lib/pkgconfig/ttscreen.pc share/man/man1/ttscreen.1 share/ttscreen/rules/README.md; do
    [ -f "$D/opt/tts/$f" ] && ok || bad "missing $f"
done
n_src=$(find rules -name '*.rules' | wc -l)
n_dst=$(find "$D/opt/tts/share/ttscreen/rules" -name '*.rules' | wc -l)
[ "$n_src" = "$n_dst" ] && ok || bad "installed $n_dst rule files, the tree has $n_src"
grep -q '^prefix=/opt/tts$' "$D/opt/tts/lib/pkgconfig/ttscreen.pc" && ok || bad "ttscreen.pc prefix"
# From an empty directory (no ./rules) the binary finds the installed rules only when they are
# where PREFIX says; point it there through the environment as a packager would test.
(cd "$S" && TTSCREEN_RULES="$D/opt/tts/share/ttscreen/rules" "$D/opt/tts/bin/ttscreen" rules list) \
    >"$S/list.out" 2>"$S/list.err"
[ $? = 0 ] && [ "$(wc -l <"$S/list.out")" -ge "$n_src" ] && ok || bad "installed rules do not list: $(head -2 "$S/list.err")"
strings "$D/opt/tts/bin/ttscreen" | grep -q '^/opt/tts/share/ttscreen/rules$' && ok ||
    bad "the binary does not look for rules under PREFIX"
cat >"$S/use.c" <<'C'
#include <stdio.h>
#include <ttscreen.h>
int main(void) { tts_init(); printf("%s\n", tts_version()); tts_fini(); return 0; }
C
if PKG_CONFIG_PATH="$D/opt/tts/lib/pkgconfig" cc -o "$S/use" "$S/use.c" \
    -I"$D/opt/tts/include" -L"$D/opt/tts/lib" -lttscreen \
    $(pkg-config --libs jansson libcurl sqlite3 libcrypto libpcre2-8 libutf8proc) -lm 2>"$S/cc.err" &&
    [ "$("$S/use")" = "$("$D/opt/tts/bin/ttscreen" --version | head -1 | cut -d' ' -f2)" ]; then ok; else
    bad "a program using the installed library: $(head -3 "$S/cc.err")"
fi
man -l "$D/opt/tts/share/man/man1/ttscreen.1" >/dev/null 2>"$S/man.err" && [ ! -s "$S/man.err" ] && ok ||
    bad "man page: $(head -2 "$S/man.err")"
echo "install: $passed passed, $failed failed"
[ "$failed" = 0 ]
