/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the evaluator over a fixed rule set. Every record the loader
 * accepts is screened with the shipped rules (rules/, or $TTS_FUZZ_RULES)
 * at a date picked from the input, with a deterministic stand-in for the
 * lists database: a name matches an entry when a hash of it says so, with a
 * sub-list and score taken from the same hash, so the list and ownership
 * rules run over fuzzed parties too. The findings are rendered as a JSON
 * report (matches, paths and evidence included).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tts_rules *g_rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("TTS_FUZZ_RULES");
    tts_error err;
    (void)argc;
    (void)argv;
    tts_init();
    tts_error_clear(&err);
    if (tts_rules_load_dir(dir != NULL && dir[0] != '\0' ? dir : "rules", NULL, &g_rules, &err) !=
        TTS_OK) {
        fprintf(stderr, "fuzz_eval: %s (run from the source tree or set TTS_FUZZ_RULES)\n",
                err.message);
        abort();
    }
    return 0;
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static char *sdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = tts_malloc(n);
    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

/* One match for about a quarter of all names, from the first source asked for. */
static tts_status fake_lookup(void *user, const char *name, const char *country,
                              const char *const *sources, size_t n_sources, double threshold,
                              tts_match **hits, size_t *n_hits, tts_error *err)
{
    static const char *const sublists[] = {"EL", "SDN", "DPL", "MEU", "UVL", ""};
    uint32_t h = hash(name) ^ (country != NULL ? hash(country) : 0);
    tts_match *m;
    (void)user;
    *hits = NULL;
    *n_hits = 0;
    if ((h & 3) != 0)
        return TTS_OK;
    if ((m = tts_calloc(1, sizeof(*m))) == NULL)
        return TTS_ERR_NOMEM;
    m->source = sdup(n_sources > 0 ? sources[0] : "us-csl");
    m->entry_id = sdup("fuzz-entry");
    m->name = sdup(name);
    m->matched = sdup(name);
    m->entry_sha256 = sdup("0000000000000000000000000000000000000000000000000000000000000000");
    m->sublist = sublists[(h >> 2) % 6][0] != '\0' ? sdup(sublists[(h >> 2) % 6]) : NULL;
    m->score = threshold + (1.0 - threshold) * (double)((h >> 8) & 0xff) / 255.0;
    if (m->source == NULL || m->entry_id == NULL || m->name == NULL || m->matched == NULL ||
        m->entry_sha256 == NULL) {
        tts_matches_free(m, 1);
        (void)err;
        return TTS_ERR_NOMEM;
    }
    *hits = m;
    *n_hits = 1;
    return TTS_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dates[] = {"2019-06-01", "2022-05-01", "2025-10-01", "2026-06-01",
                                        "2026-12-01"};
    tts_record *rec = NULL;
    tts_findings *f = NULL;
    tts_scan_opts so;
    tts_report_input in;
    tts_error err;
    char *out = NULL;
    size_t len = 0;

    if (g_rules == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    tts_error_clear(&err);
    if (tts_record_parse((const char *)data, size, "fuzz.json", &rec, &err) != TTS_OK)
        return 0;
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = tts_record_as_of(rec) != NULL ? tts_record_as_of(rec) : dates[size % 5];
    so.lookup = fake_lookup;
    if (tts_scan_record(g_rules, rec, &so, &f, &err) == TTS_OK) {
        memset(&in, 0, sizeof(in));
        in.size = sizeof(in);
        in.tool_version = "fuzz";
        in.generated_at = "2026-01-01T00:00:00Z";
        in.as_of = so.as_of;
        in.record = rec;
        in.rules = g_rules;
        in.findings = f;
        if (tts_report_render(&in, TTS_FORMAT_JSON, &out, &len, &err) == TTS_OK)
            tts_free(out);
        tts_findings_free(f);
    }
    tts_record_free(rec);
    return 0;
}
