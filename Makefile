# SPDX-License-Identifier: MIT
# ttscreen: GNU make + pkg-config. `make` builds ./ttscreen and build/libttscreen.a;
# `make check` runs every test; `make demo` screens the bundled fixtures.

PKG_CONFIG ?= pkg-config
DEPS       := jansson libcurl sqlite3 libcrypto libpcre2-8 libutf8proc icu-uc icu-i18n libzip libxml-2.0 xlsxwriter
TEST_DEPS  := cmocka
B          ?= build
PREFIX     ?= /usr/local
DESTDIR    ?=
CFLAGS     ?= -O2 -g
VERSION    := 0.1.0

# On a fresh machine, install missing libraries once, then carry on.
ifeq ($(filter clean distclean help,$(MAKECMDGOALS)),)
ifneq ($(shell $(PKG_CONFIG) --exists $(DEPS) $(TEST_DEPS) 2>/dev/null && echo ok),ok)
$(info ttscreen: installing missing build dependencies with scripts/install-deps)
DEPS_INSTALL := $(shell sh scripts/install-deps >&2 && echo ok)
ifneq ($(DEPS_INSTALL),ok)
$(error scripts/install-deps failed; install the packages it lists and run make again)
endif
endif
endif

WARN := -std=c11 -D_POSIX_C_SOURCE=200809L \
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
  -Wold-style-definition -Wformat=2 -Wcast-qual -Wwrite-strings -Wpointer-arith \
  -Wundef -Wvla -Wimplicit-fallthrough -Wnull-dereference
ifdef WERROR
  WARN += -Werror
endif
ifdef SANITIZE
  CFLAGS  += -O1 -g -fno-omit-frame-pointer -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
  LDFLAGS += -fsanitize=$(SANITIZE)
endif

DEP_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(DEPS)) -pthread
# Compiled against but loaded at run time by their first use, each by the one file that uses
# it: libcurl by the first download (src/net/fetch.c), ICU by the first name to transliterate
# (src/lists/match/names_translit.c), libzip and libxml2 by the first workbook read
# (src/xlsx/xlsx_in.c), libxlsxwriter by the first written (src/sheet/xlsx_out.c). Linked,
# their own libraries made every process start about four times slower (8 ms against 2 ms
# of CPU for an empty program), and most processes use none of them.
LAZY_DEPS   := libcurl icu-uc icu-i18n libzip libxml-2.0 xlsxwriter
LINK_DEPS   = $(filter-out $(LAZY_DEPS),$(DEPS))
DEP_LIBS    = $(shell $(PKG_CONFIG) --libs $(LINK_DEPS)) -lm -pthread -ldl
# The SONAME of package $(1)'s -dev library $(2).so, the name to dlopen: the .so in the
# package's libdir, else where the compiler finds it (xlsxwriter.pc names a wrong libdir).
soname = $(shell for f in "$$($(PKG_CONFIG) --variable=libdir $(1))/$(2).so" \
  "$$($(CC) -print-file-name=$(2).so)"; do test -f "$$f" && \
  { objdump -p "$$f" | awk '$$1 == "SONAME" {print $$2}'; break; }; done 2>/dev/null)
LIBCURL_SONAME := $(call soname,libcurl,libcurl)
LIBICUUC_SONAME := $(call soname,icu-uc,libicuuc)
LIBICUI18N_SONAME := $(call soname,icu-i18n,libicui18n)
LIBZIP_SONAME := $(call soname,libzip,libzip)
LIBXML2_SONAME := $(call soname,libxml-2.0,libxml2)
LIBXLSXWRITER_SONAME := $(call soname,xlsxwriter,libxlsxwriter)
ICU_MAJOR := $(firstword $(subst ., ,$(shell $(PKG_CONFIG) --modversion icu-uc 2>/dev/null)))
DEP_CFLAGS += -DTTS_LIBCURL_SONAME='"$(or $(LIBCURL_SONAME),libcurl.so.4)"' \
  -DTTS_LIBICUUC_SONAME='"$(or $(LIBICUUC_SONAME),libicuuc.so.$(ICU_MAJOR))"' \
  -DTTS_LIBICUI18N_SONAME='"$(or $(LIBICUI18N_SONAME),libicui18n.so.$(ICU_MAJOR))"' \
  -DTTS_LIBZIP_SONAME='"$(or $(LIBZIP_SONAME),libzip.so.4)"' \
  -DTTS_LIBXML2_SONAME='"$(or $(LIBXML2_SONAME),libxml2.so.2)"' \
  -DTTS_LIBXLSXWRITER_SONAME='"$(or $(LIBXLSXWRITER_SONAME),libxlsxwriter.so.4)"'

TEST_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(TEST_DEPS))
TEST_LIBS   = $(shell $(PKG_CONFIG) --libs $(TEST_DEPS))
# test_xlsx writes its workbooks with libzip itself
$(B)/tests/test_xlsx: TEST_LIBS += $(shell $(PKG_CONFIG) --libs libzip)

# The library: one folder per concern under src/ (docs/architecture.md), the CLI in src/cli.
LIB_DIRS := util xlsx net sign record store lists/match rules lists report sheet cases api
LIB_SRC := $(sort $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(patsubst src/%.c,$(B)/lib/%.o,$(LIB_SRC)) $(B)/gen/legal_forms.o $(B)/gen/list_citations.o \
           $(B)/gen/record_data.o $(B)/gen/legal_prepared.o
CLI_OBJ := $(patsubst src/cli/%.c,$(B)/cli/%.o,$(CLI_SRC))
UNIT    := $(patsubst tests/unit/test_%.c,$(B)/tests/test_%,$(sort $(wildcard tests/unit/test_*.c)))
PUB_HDR := $(sort $(wildcard include/*.h include/ttscreen/*.h))
PRIV_HDR := $(sort $(foreach d,$(LIB_DIRS),$(wildcard src/$(d)/*.h)))

# Quiet build lines ("CC file"); make V=1 shows full commands.
ifeq ($(V),1)
  Q :=
  say = @true
else
  Q := @
  say = @echo "  $(1) $(2)"
endif

all: ttscreen

$(B)/lib/%.o: src/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) -Iinclude -iquote src $(DEP_CFLAGS) $(WARN) -fvisibility=hidden $(CFLAGS) -MMD -MP -c $< -o $@

# The legal-forms table is data: data/legal-forms.tsv is built into the library as a C
# string (one table, no file to find at run time) and installed next to the rules.
$(B)/gen/legal_forms.c: data/legal-forms.tsv
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q){ echo '/* Generated from data/legal-forms.tsv by the Makefile: do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *tts_legal_forms_text(size_t *len);'; \
	  echo 'static const char text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	  echo '    ;'; \
	  echo 'const char *tts_legal_forms_text(size_t *len) { *len = sizeof(text) - 1; return text; }'; \
	} > $@.tmp
	$(Q)mv $@.tmp $@

# The list-citations table (data/list-citations.tsv: the law of each list source, sub-list
# and programme) is built in the same way.
$(B)/gen/list_citations.c: data/list-citations.tsv
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q){ echo '/* Generated from data/list-citations.tsv by the Makefile: do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  echo 'const char *tts_list_citations_text(size_t *len);'; \
	  echo 'static const char text[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	  echo '    ;'; \
	  echo 'const char *tts_list_citations_text(size_t *len) { *len = sizeof(text) - 1; return text; }'; \
	} > $@.tmp
	$(Q)mv $@.tmp $@

# The record schema and templates are data too: data/record-schema.json and
# data/templates/KIND.json become C strings, printed by `ttscreen record schema|template`.
RECORD_DATA := data/record-schema.json $(sort $(wildcard data/templates/*.json))
$(B)/gen/record_data.c: $(RECORD_DATA) Makefile
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q){ echo '/* Generated from data/record-schema.json and data/templates/ by the Makefile: do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  echo '#include <string.h>'; \
	  echo 'const char *tts_record_schema_json(size_t *len);'; \
	  echo 'const char *tts_record_template(const char *kind, size_t *len);'; \
	  echo 'const char *tts_record_template_kind(size_t i);'; \
	  echo 'static const char schema[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/^/    "/' -e 's/$$/\\n"/' data/record-schema.json; \
	  echo '    ;'; \
	  for t in $(sort $(wildcard data/templates/*.json)); do \
	    k=$$(basename $$t .json | tr -- - _); \
	    echo "static const char t_$$k[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/^/    "/' -e 's/$$/\\n"/' $$t; \
	    echo '    ;'; \
	  done; \
	  echo 'static const struct { const char *kind, *text; size_t len; } templates[] = {'; \
	  for t in $(sort $(wildcard data/templates/*.json)); do \
	    n=$$(basename $$t .json); k=$$(echo $$n | tr -- - _); \
	    echo "    {\"$$n\", t_$$k, sizeof(t_$$k) - 1},"; \
	  done; \
	  echo '};'; \
	  echo 'const char *tts_record_schema_json(size_t *len) { *len = sizeof(schema) - 1; return schema; }'; \
	  echo 'const char *tts_record_template(const char *kind, size_t *len)'; \
	  echo '{'; \
	  echo '    for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)'; \
	  echo '        if (strcmp(templates[i].kind, kind) == 0) { *len = templates[i].len; return templates[i].text; }'; \
	  echo '    return NULL;'; \
	  echo '}'; \
	  echo 'const char *tts_record_template_kind(size_t i)'; \
	  echo '{'; \
	  echo '    return i < sizeof(templates) / sizeof(templates[0]) ? templates[i].kind : NULL;'; \
	  echo '}'; \
	} > $@.tmp
	$(Q)mv $@.tmp $@

$(B)/gen/record_data.o: $(B)/gen/record_data.c
	$(call say,CC,$<)
	$(Q)$(CC) $(WARN) -Wno-overlength-strings -fvisibility=hidden $(CFLAGS) -c $< -o $@

$(B)/gen/legal_forms.o: $(B)/gen/legal_forms.c
	$(call say,CC,$<)
	$(Q)$(CC) $(WARN) -Wno-overlength-strings -fvisibility=hidden $(CFLAGS) -c $< -o $@

# The legal-forms table prepared at build time: src/tools/legal_prep.c, linked with the
# library's objects (and an empty prepared table), writes every form with its words as the
# name normaliser makes them (ICU for the non-Latin ones), so that the library loads the
# table without opening ICU's transliterator, which costs tens of milliseconds in every
# process whose names need none. test_names checks it against data/legal-forms.tsv.
$(B)/gen/legal_prepared_none.c:
	@mkdir -p $(@D)
	$(Q)printf '%s\n' '#include <stddef.h>' 'const char *tts_legal_forms_prepared(size_t *len);' \
	  'const char *tts_legal_forms_prepared(size_t *len) { *len = 0; return ""; }' > $@
$(B)/gen/legal-prep: src/tools/legal_prep.c $(filter-out $(B)/gen/legal_prepared.o,$(LIB_OBJ)) \
                     $(B)/gen/legal_prepared_none.c
	$(call say,LD,$@)
	$(Q)$(CC) -Iinclude -iquote src $(DEP_CFLAGS) $(WARN) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(DEP_LIBS)
$(B)/gen/legal_prepared.c: $(B)/gen/legal-prep
	$(call say,GEN,$@)
	$(Q)$(B)/gen/legal-prep > $@.tmp
	$(Q)mv $@.tmp $@
$(B)/gen/legal_prepared.o: $(B)/gen/legal_prepared.c
	$(call say,CC,$<)
	$(Q)$(CC) $(WARN) -Wno-overlength-strings -fvisibility=hidden $(CFLAGS) -c $< -o $@

$(B)/gen/list_citations.o: $(B)/gen/list_citations.c
	$(call say,CC,$<)
	$(Q)$(CC) $(WARN) -Wno-overlength-strings -fvisibility=hidden $(CFLAGS) -c $< -o $@

# No library folder on the include path: the CLI sees only the public API.
$(B)/cli/%.o: src/cli/%.c
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) -Iinclude $(WARN) -DTTS_RULES_DIR='"$(PREFIX)/share/ttscreen/rules"' $(CFLAGS) -MMD -MP -c $< -o $@

# The CLI bakes in the installed rules directory: rebuild it when PREFIX changes.
$(B)/cli/common.o: $(B)/prefix.stamp
$(B)/prefix.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

$(B)/libttscreen.a: $(LIB_OBJ)
	@rm -f $@
	$(call say,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(B)/ttscreen: $(CLI_OBJ) $(B)/libttscreen.a
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)

# Always the binary of the last build directory used (plain, ASan, clang).
ttscreen: $(B)/ttscreen FORCE
	@cmp -s $< $@ || cp $< $@

$(B)/tests/helpers.o: tests/unit/helpers.c tests/unit/helpers.h
	@mkdir -p $(@D)
	$(CC) -Iinclude -iquote src $(WARN) $(TEST_CFLAGS) $(CFLAGS) -c $< -o $@

$(B)/tests/quality.o: tests/unit/quality.c tests/unit/quality.h
	@mkdir -p $(@D)
	$(CC) -Iinclude -iquote src $(WARN) $(CFLAGS) -c $< -o $@

TEST_OBJ := $(B)/tests/helpers.o $(B)/tests/quality.o

$(B)/tests/test_%: tests/unit/test_%.c $(TEST_OBJ) $(B)/libttscreen.a $(PUB_HDR) $(PRIV_HDR)
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) -Iinclude -iquote src -iquote tests/unit $(WARN) $(TEST_CFLAGS) $(CFLAGS) \
	  -o $@ $< $(TEST_OBJ) $(B)/libttscreen.a $(LDFLAGS) $(DEP_LIBS) $(TEST_LIBS)

# Test-only HTTP server for the list-update tests (binds 127.0.0.1 only).
$(B)/tests/ttsd: tests/httpd/ttsd.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -Wall -Wextra $(CFLAGS) -o $@ $< $(LDFLAGS)

$(B)/tests/test_fetch: $(B)/tests/ttsd

# Speed figures (never part of `check`): see docs/benchmarks.md.
$(B)/bench_lists: tests/bench/bench_lists.c $(TEST_OBJ) $(B)/libttscreen.a
	$(CC) -Iinclude -iquote src -iquote tests/unit $(WARN) $(CFLAGS) \
	  -o $@ $< $(B)/tests/quality.o $(B)/libttscreen.a $(LDFLAGS) $(DEP_LIBS)

bench: $(B)/bench_lists $(B)/bench_scan ttscreen
	$(B)/bench_lists fixtures
	@sh tests/bench/process.sh ./ttscreen $(B)/bench
	@sh tests/bench/shards.sh ./ttscreen $(B)/bench
	@sh tests/bench/store.sh ./ttscreen $(B)/bench $(BENCH_RECORDS) $(BENCH_BEFORE)
	@sh tests/bench/rescreen.sh ./ttscreen $(B)/bench $(BENCH_CASES) $(BENCH_BEFORE)
	@sh tests/bench/batch.sh ./ttscreen $(B)/bench $(BENCH_NAMES)
	@sh tests/bench/jobs.sh ./ttscreen $(B)/bench $(BENCH_JOBS)
	@sh tests/bench/scale.sh ./ttscreen $(B)/bench_lists $(B)/bench "$(BENCH_LIST_SIZES)"
	$(B)/bench_scan $(BENCH_N)

check: unit e2e fuzz-replay symbols headercheck layering

unit: $(UNIT)
	@fail=0; for t in $(UNIT); do \
	  echo "== $$t"; FIXTURES=fixtures $$t || fail=1; \
	done; test $$fail = 0

e2e: $(B)/ttscreen $(B)/tests/ttsd
	sh tests/e2e/run.sh $(B)/ttscreen fixtures $(B)/e2e

# Every global symbol of the static library carries the tts_ prefix.
symbols: $(B)/libttscreen.a
	@bad=$$(nm -g --defined-only $(B)/libttscreen.a | awk 'NF==3 {print $$3}' | grep -v '^tts_' || true); \
	if [ -n "$$bad" ]; then echo "symbols without tts_ prefix:"; echo "$$bad"; exit 1; fi; \
	echo "symbols: every global symbol of libttscreen.a starts with tts_"

# The folders of the library in layer order, bottom first: a folder uses only the folders
# before it (by #include and by the symbols its objects take, read from the objects), and each
# third-party library is used by one folder only, never by the CLI (docs/architecture.md).
LAYER_ORDER := util xlsx net sign record store lists/match rules lists report sheet cases api
LAYERS := jansson.h:record pcre2.h:rules openssl/:sign sqlite3.h:store curl/:net \
  utf8proc.h:lists/match unicode/:lists/match zip.h:xlsx libxml/:xlsx xlsxwriter.h:sheet iconv.h:sheet
layering: $(LIB_OBJ)
	@sh scripts/check-layers "$(B)" "$(LAYER_ORDER)" "$(LAYERS)"

# Each header compiles on its own.
headercheck:
	@mkdir -p $(B)/hc
	@for h in $(PUB_HDR); do \
	  printf '#include "%s"\ntypedef int tts_hc_unit;\n' "$${h#include/}" > $(B)/hc/t.c; \
	  $(CC) -Iinclude $(WARN) -Werror -fsyntax-only $(B)/hc/t.c || { echo "headercheck: $$h"; exit 1; }; \
	done
	@for h in $(PRIV_HDR); do \
	  printf '#include "%s"\ntypedef int tts_hc_unit;\n' "$${h#src/}" > $(B)/hc/t.c; \
	  $(CC) -Iinclude -iquote src $(DEP_CFLAGS) $(WARN) -Werror -fsyntax-only $(B)/hc/t.c || { echo "headercheck: $$h"; exit 1; }; \
	done
	@echo "headercheck: $(words $(PUB_HDR) $(PRIV_HDR)) headers compile on their own"

# Fuzz targets: tests/fuzz/fuzz_NAME.c, seed directories listed in tests/fuzz/NAME.corpus,
# dictionary tests/fuzz/NAME.dict, crash reproducers in fixtures/fuzz-regress/NAME/.
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
REPLAY := $(patsubst %,$(B)/fuzz/replay_%,$(FUZZ_TARGETS))
FUZZ_SECONDS ?= 600

$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(B)/libttscreen.a
	@mkdir -p $(@D)
	$(call say,CC,$@)
	$(Q)$(CC) -Iinclude -iquote src $(WARN) $(CFLAGS) -o $@ $< tests/fuzz/replay.c \
	  $(B)/libttscreen.a $(LDFLAGS) $(DEP_LIBS)

# Replay every reproducer and seed through each target (no libFuzzer needed).
fuzz-replay: $(REPLAY)
	@for t in $(FUZZ_TARGETS); do \
	  $(B)/fuzz/replay_$$t fixtures/fuzz-regress/$$t $$(cat tests/fuzz/$$t.corpus 2>/dev/null) || exit 1; \
	done

fuzz:
	$(MAKE) B=build-fuzz CC=clang SANITIZE=fuzzer-no-link,address,undefined build-fuzz/libttscreen.a
	@for t in $(FUZZ_TARGETS); do \
	  echo "clang ... -o build-fuzz/fuzz_$$t"; \
	  clang -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -g -O1 -Iinclude \
	    -iquote src tests/fuzz/fuzz_$$t.c build-fuzz/libttscreen.a $(DEP_LIBS) \
	    -o build-fuzz/fuzz_$$t || exit 1; \
	done

# Run each fuzzer for FUZZ_SECONDS (default 600); new crashes land in build-fuzz/.
fuzz-run: fuzz
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build-fuzz/$$t- $$(test -f tests/fuzz/$$t.dict && echo -dict=tests/fuzz/$$t.dict) \
	    build-fuzz/corpus/$$t $$(cat tests/fuzz/$$t.corpus 2>/dev/null) || exit 1; \
	done

# Throughput of parsing + rule evaluation (docs/benchmarks.md); not part of check.
BENCH_N ?= 100000
# Entries of the generated lists of the scale bench (tests/bench/scale.sh), one database each.
# 5,000,000 takes about 10 minutes here (import 387 s at 7.4 GB peak; 10 GB of files kept in
# $(B)/bench/scale for the next run): on a smaller machine, BENCH_LIST_SIZES="100000 1000000".
BENCH_LIST_SIZES ?= 100000 1000000 5000000
# Stored cases of the delta-vs-full rescreen bench (tests/bench/rescreen.sh).
BENCH_CASES ?= 100000
# Records of the stored against --no-store bench (tests/bench/store.sh).
BENCH_RECORDS ?= 2000
# A ttscreen binary of an earlier commit to compare with in the same run (store.sh and
# rescreen.sh), e.g. git worktree add /tmp/before COMMIT && make -C /tmp/before ttscreen,
# then make bench BENCH_BEFORE=/tmp/before/ttscreen; empty: no comparison.
BENCH_BEFORE ?=
$(B)/bench_scan: tests/bench/bench_scan.c $(B)/libttscreen.a
	@mkdir -p $(@D)
	$(CC) -Iinclude $(WARN) $(CFLAGS) -o $@ $< $(B)/libttscreen.a $(LDFLAGS) $(DEP_LIBS)


demo: ttscreen
	@sh scripts/demo.sh ./ttscreen

# gcc's static analyser over every source file: any report fails.
ANALYZE_SRC := $(LIB_SRC) $(CLI_SRC)
analyze: $(patsubst %.c,$(B)/analyze/%.ok,$(ANALYZE_SRC))
	@echo "analyze: gcc -fanalyzer reports nothing in $(words $(ANALYZE_SRC)) files"
$(B)/analyze/%.ok: %.c $(PRIV_HDR) $(PUB_HDR)
	@mkdir -p $(@D)
	$(call say,ANALYZE,$<)
	$(Q)gcc -Iinclude -iquote src -iquote src/cli $(DEP_CFLAGS) $(WARN) -Werror -O1 \
	  -fanalyzer -c $< -o /dev/null && touch $@

# The golden end-to-end cases under valgrind (memcheck): any error or leak fails.
valgrind: $(B)/ttscreen
	@mkdir -p $(B)/vg
	@printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect "%s" "$$@"\n' "$$(pwd)/$(B)/ttscreen" > $(B)/vg/ttscreen
	@chmod +x $(B)/vg/ttscreen
	E2E_SUITES=none sh tests/e2e/run.sh $(B)/vg/ttscreen fixtures $(B)/e2e-valgrind

asan:
	$(MAKE) B=build-asan SANITIZE=address,undefined WERROR=1 check

install: $(B)/ttscreen
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/ttscreen $(DESTDIR)$(PREFIX)/share/ttscreen/rules \
	  $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/ttscreen $(DESTDIR)$(PREFIX)/bin/ttscreen
	install -m 644 $(B)/libttscreen.a $(DESTDIR)$(PREFIX)/lib/libttscreen.a
	install -m 644 include/ttscreen.h $(DESTDIR)$(PREFIX)/include/ttscreen.h
	install -m 644 include/ttscreen/*.h $(DESTDIR)$(PREFIX)/include/ttscreen/
	find rules -type f | while read -r f; do \
	  install -D -m 644 "$$f" "$(DESTDIR)$(PREFIX)/share/ttscreen/$$f"; done
	install -D -m 644 data/legal-forms.tsv $(DESTDIR)$(PREFIX)/share/ttscreen/data/legal-forms.tsv
	install -D -m 644 data/list-citations.tsv $(DESTDIR)$(PREFIX)/share/ttscreen/data/list-citations.tsv
	install -m 644 docs/ttscreen.1 $(DESTDIR)$(PREFIX)/share/man/man1/ttscreen.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' \
	  -e 's|@REQUIRES@|$(DEPS)|g' scripts/ttscreen.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ttscreen.pc

deps:
	$(PKG_CONFIG) --exists --print-errors $(DEPS) $(TEST_DEPS)

format:
	clang-format -i --style='{BasedOnStyle: LLVM, IndentWidth: 4, ColumnLimit: 100, BreakBeforeBraces: Linux, PointerAlignment: Right}' \
	  $(LIB_SRC) $(PRIV_HDR) src/cli/*.c include/*.h include/ttscreen/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build build-* ttscreen

.PHONY: FORCE analyze valgrind layering all check unit e2e fuzz fuzz-replay fuzz-run symbols headercheck bench demo asan install deps format clean tsan
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The threaded paths under ThreadSanitizer: test_jobs and tests/e2e/jobs.sh, with the library,
# the binary and the test built with -fsanitize=thread. Reports go to files (the suite keeps
# each command's standard error to compare it, which would hide them): any report fails, and
# the first is printed. No suppressions: none is needed.
TSAN_LOG := build-tsan/tsan
tsan:
	$(MAKE) B=build-tsan SANITIZE=thread WERROR=1 build-tsan/ttscreen build-tsan/tests/test_jobs
	@rm -rf $(TSAN_LOG) && mkdir -p $(TSAN_LOG)
	@export TSAN_OPTIONS="halt_on_error=1 exitcode=66 log_path=$(CURDIR)/$(TSAN_LOG)/report"; \
	unit=passed; e2e=passed; \
	FIXTURES=fixtures build-tsan/tests/test_jobs || unit=FAILED; \
	sh tests/e2e/jobs.sh build-tsan/ttscreen build-tsan/e2e-jobs || e2e=FAILED; \
	n=$$(ls $(TSAN_LOG) | wc -l); \
	if [ $$n -gt 0 ]; then \
	  first=$$(ls -tr $(TSAN_LOG)/report.* | head -n 1); \
	  echo "== the first ThreadSanitizer report ($$first)"; head -n 60 "$$first"; \
	fi; \
	echo "tsan: test_jobs $$unit, tests/e2e/jobs.sh $$e2e, $$n ThreadSanitizer reports"; \
	[ $$unit = passed ] && [ $$e2e = passed ] && [ $$n = 0 ]
