/* SPDX-License-Identifier: MIT */
/*
 * Screening throughput benchmark (`make bench`): generates a batch of
 * realistic records (10 parties, 10 transfers, 5 people, 3 relations,
 * 4 technologies each) as JSON Lines with a fixed pseudo-random seed,
 * compiles 40 rules built from the engine's rule templates, then parses
 * and screens every record (JSON parsing included, list matching
 * excluded: no lookup callback). Prints records per second and the peak
 * resident set size after the first tenth and at the end, so a leak or
 * growth across the batch shows.
 *
 *   bench_scan [N]   (default 100000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ttscreen.h"

static unsigned long rng = 12345;

static unsigned rnd(unsigned n)
{
    rng = rng * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned)((rng >> 33) % n);
}

static const char *const countries[] = {"JP", "JP", "JP", "JP", "US", "US", "DE", "KR", "GB", "CN"};
static const char *const types[] = {"company", "university", "research-institute", "government",
                                    "military"};
static const char *const forms[] = {"technical-data", "blueprint",      "software",
                                    "training",       "joint-research", "source-code"};
static const char *const descs[] = {"Lithium-ion battery cathode process data",
                                    "Semiconductor wafer lithography recipes",
                                    "Laser diode design files",
                                    "Machine learning model for image sensors",
                                    "Composite airframe layup procedures",
                                    "Robot arm control software"};
static const char *const jp_items[] = {"1", "2(1)", "10", "non-listed", "non-listed", "15"};

/* One record as a JSON line into buf. */
static size_t gen_record(char *buf, size_t cap, unsigned long k)
{
    size_t n = 0;
#define P(...) (n += (size_t)snprintf(buf + n, cap - n, __VA_ARGS__))
    P("{\"format\":\"ttscreen-record/1\",\"id\":\"bench-%lu\",\"kind\":\"co-development\","
      "\"date\":\"2025-0%u-1%u\",\"screened_for\":\"p0\",\"parties\":[",
      k, 1 + rnd(9), rnd(10));
    for (int i = 0; i < 10; i++)
        P("%s{\"id\":\"p%d\",\"name\":\"Party %lu-%d Co., "
          "Ltd.\",\"country\":\"%s\",\"type\":\"%s\","
          "\"state_owned\":%s,\"aliases\":[\"P%d\"]}",
          i ? "," : "", i, k, i, i == 0 ? "JP" : countries[rnd(10)], types[rnd(5)],
          rnd(4) == 0 ? "true" : "false", i);
    P("],\"technologies\":[");
    for (int i = 0; i < 4; i++)
        P("%s{\"id\":\"t%d\",\"description\":\"%s\",\"control\":{\"jp\":\"%s\"}%s}", i ? "," : "",
          i, descs[rnd(6)], jp_items[rnd(6)], rnd(3) == 0 ? ",\"classified\":\"jp-esi\"" : "");
    P("],\"transfers\":[");
    for (int i = 0; i < 10; i++) {
        unsigned from = i < 3 ? 0 : rnd(10), to = 1 + rnd(9);
        P("%s{\"id\":\"x%d\",\"technology\":\"t%u\",\"from\":\"p%u\",\"to\":\"p%u\",\"form\":\"%"
          "s\","
          "\"date\":\"2025-%02u-01\"%s}",
          i ? "," : "", i, rnd(4), from, to == from ? (to % 9) + 1 : to, forms[rnd(6)], 1 + rnd(12),
          rnd(3) == 0 ? ",\"licence\":{\"authority\":\"METI\",\"number\":\"L-1\",\"expires\":"
                        "\"2026-06-30\"}"
                      : "");
    }
    P("],\"relations\":[{\"from\":\"p%u\",\"to\":\"p%u\",\"type\":\"owns\",\"percent\":%u},"
      "{\"from\":\"p0\",\"to\":\"p%u\",\"type\":\"subcontracts\"},"
      "{\"from\":\"p%u\",\"to\":\"p%u\",\"type\":\"owns\",\"percent\":%u}],\"people\":[",
      4 + rnd(6), 1 + rnd(3), 10 + rnd(80), 1 + rnd(9), 1 + rnd(3), 4 + rnd(6), 10 + rnd(80));
    for (int i = 0; i < 5; i++)
        P("%s{\"id\":\"h%d\",\"name\":\"Person %d\",\"nationality\":\"%s\",\"residence\":\"JP\","
          "\"resident_since\":\"202%u-04-01\",\"employer\":\"p0\",\"access\":[\"t%u\"],"
          "\"affiliations\":[{\"organisation\":\"Org\",\"country\":\"CN\",\"kind\":\"%s\","
          "\"disclosed\":%s}]%s}",
          i ? "," : "", i, i, countries[rnd(10)], rnd(6), rnd(4),
          rnd(2) ? "talent-program" : "employment", rnd(2) ? "true" : "false",
          rnd(3) == 0 ? ",\"clearance\":{\"regime\":\"jp-esi\",\"level\":\"secret\","
                        "\"granted\":\"2015-01-01\",\"expires\":\"2025-01-01\"}"
                      : "");
    P("],\"controls\":{\"export_control_program\":%s,\"as_of\":\"2026-01-01\"}}\n",
      rnd(2) ? "true" : "false");
#undef P
    return n;
}

/* Eight rule templates, instantiated five times each with different constants. */
static const char *const templates[] = {
    "for t in transfers\n when controlled_jp(t.technology) and not resident_jp(t.to) and not "
    "licensed(t, t.to) and t.to.country != \"@CC@\"\n message \"{t.from.name} to {t.to.name} "
    "({t.to.country})\"\n",
    "for p in chain\n when not resident_jp(p) and p.country != \"@CC@\" and any h in hops(p): "
    "controlled_jp(h.technology) and not licensed(h, h.to)\n message \"{p.name} tier {tier(p)}\"\n "
    "path path(p)\n",
    "for p in people\n when p.country != \"@CC@\" and any a in p.affiliations: a.kind == "
    "\"talent-program\" "
    "and a.disclosed == false\n message \"{p.name}\"\n",
    "for p in people\n when exists(p.clearance) and p.clearance.expires < as_of and p.country != "
    "\"@CC@\" and "
    "any t in p.access: t.classified == \"jp-esi\"\n message \"{p.name} expired "
    "{p.clearance.expires}\"\n",
    "for p in parties\n when p.country != \"@CC@\" and owned_percent(filter(o in parties: "
    "concern(o.country)), p) >= 50\n"
    " message \"{p.name}\"\n",
    "for t in transfers\n when \"batteries\" in fields(t.technology) and t.to.country != \"@CC@\" "
    "and "
    "concern(t.to.country)\n message \"{t.technology.description} to {t.to.name}\"\n",
    "when controls.export_control_program != true and screened_for.country != \"@CC@\" and any t "
    "in "
    "technologies: controlled_jp(t)\n message \"{screened_for.name}\"\n",
    "for p in parties\n when p.state_owned == true and p.country != \"@CC@\" and count(t in "
    "transfers: "
    "t.to == p) >= 2\n message \"{p.name} received {count(t in transfers: t.to == p)}\"\n",
};

static char *build_rules(void)
{
    static const char *const cc[] = {"US", "DE", "GB", "FR", "IT"};
    size_t cap = 65536, n = 0;
    char *s = malloc(cap);
    if (s == NULL)
        return NULL;
    n += (size_t)snprintf(s + n, cap - n,
                          "set concern_countries = [\"CN\", \"RU\", \"KP\", \"IR\"]\n"
                          "predicate controlled_jp(t: technology) = exists(t.control.jp) and "
                          "t.control.jp != \"non-listed\"\n"
                          "classify fields {\n \"batteries\": /lithium|battery|cathode/i\n"
                          " \"semiconductors\": /semiconductor|wafer|lithograph/i\n"
                          " \"lasers\": /\\blasers?\\b/i\n \"robotics\": /robot/i\n}\n");
    for (int i = 0; i < 40; i++) {
        n += (size_t)snprintf(s + n, cap - n,
                              "rule bench.r%02d {\n revision 1\n title \"Bench %d\"\n severity %s\n"
                              " citation \"Bench\"\n ",
                              i, i, i % 3 == 0 ? "high" : "medium");
        {
            /* Each template holds one @CC@: the country this instance excludes. */
            const char *t = templates[i % 8], *hole = strstr(t, "@CC@");
            n += (size_t)snprintf(s + n, cap - n, "%.*s%s%s", (int)(hole - t), t, cc[i / 8],
                                  hole + 4);
        }
        n += (size_t)snprintf(s + n, cap - n, "}\n");
    }
    return s;
}

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    char *rules_text = build_rules(), line[65536];
    tts_rules *rules = NULL;
    tts_error err;
    struct timespec t0, t1, a, b, c;
    double parse_s = 0, scan_s = 0;
    unsigned long findings = 0, bytes = 0;
    long rss_tenth = 0;
    double secs;
    if (n == 0 || rules_text == NULL || tts_init() != TTS_OK)
        return 2;
    tts_error_clear(&err);
    if (tts_rules_compile_string(rules_text, strlen(rules_text), "bench.rules", NULL, &rules,
                                 &err) != TTS_OK) {
        fprintf(stderr, "bench: %s\n", err.message);
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned long k = 0; k < n; k++) {
        size_t len = gen_record(line, sizeof(line), k);
        tts_record *rec = NULL;
        tts_findings *f = NULL;
        tts_scan_opts so;
        bytes += len;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (tts_record_parse(line, len, "bench", &rec, &err) != TTS_OK) {
            fprintf(stderr, "bench: record %lu: %s\n", k, err.message);
            return 2;
        }
        memset(&so, 0, sizeof(so));
        so.size = sizeof(so);
        so.as_of = "2026-01-01";
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (tts_scan_record(rules, rec, &so, &f, &err) != TTS_OK) {
            fprintf(stderr, "bench: scan %lu: %s\n", k, err.message);
            return 2;
        }
        clock_gettime(CLOCK_MONOTONIC, &c);
        parse_s += (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
        scan_s += (double)(c.tv_sec - b.tv_sec) + (double)(c.tv_nsec - b.tv_nsec) / 1e9;
        findings += tts_findings_count(f);
        tts_findings_free(f);
        tts_record_free(rec);
        if (k + 1 == n / 10)
            rss_tenth = max_rss_kb();
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("bench: %lu records (%.0f bytes each on average), %zu rules, %lu findings\n", n,
           (double)bytes / (double)n, tts_rules_count(rules), findings);
    printf("bench: %.2f s in all (record generation included): %.0f records/s\n", secs,
           (double)n / secs);
    printf("bench: parsing %.2f s (%.0f records/s), rule evaluation %.2f s (%.0f records/s), "
           "parsing + evaluation %.0f records/s\n",
           parse_s, (double)n / parse_s, scan_s, (double)n / scan_s,
           (double)n / (parse_s + scan_s));
    printf("bench: peak RSS %ld KiB after %lu records, %ld KiB after %lu\n", rss_tenth, n / 10,
           max_rss_kb(), n);
    tts_rules_free(rules);
    free(rules_text);
    tts_fini();
    return 0;
}
