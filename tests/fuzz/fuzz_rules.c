/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the rule compiler (lexer, parser, type checker, regex
 * compilation), then evaluation of every rule set it accepts over a fixed
 * record that exercises chains, ownership cycles, people and licences.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tts_record *g_rec;

static const char record_json[] =
    "{\"format\":\"ttscreen-record/"
    "1\",\"id\":\"fz\",\"kind\":\"subcontract\",\"screened_for\":\"a\","
    "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"JP\",\"type\":\"company\"},"
    "{\"id\":\"b\",\"name\":\"B\",\"country\":\"CN\",\"type\":\"company\",\"state_owned\":true},"
    "{\"id\":\"c\",\"name\":\"C\",\"country\":\"SG\",\"type\":\"company\"}],"
    "\"relations\":[{\"from\":\"b\",\"to\":\"c\",\"type\":\"owns\",\"percent\":60},"
    "{\"from\":\"c\",\"to\":\"b\",\"type\":\"owns\",\"percent\":40},"
    "{\"from\":\"a\",\"to\":\"c\",\"type\":\"subcontracts\"}],"
    "\"technologies\":[{\"id\":\"t\",\"description\":\"battery laser\",\"control\":{\"jp\":\"1\"},"
    "\"classified\":\"jp-esi\"}],"
    "\"transfers\":[{\"technology\":\"t\",\"from\":\"a\",\"to\":\"c\",\"form\":\"blueprint\"},"
    "{\"technology\":\"t\",\"from\":\"c\",\"to\":\"b\",\"form\":\"software\",\"date\":\"2025-01-"
    "01\","
    "\"licence\":{\"authority\":\"METI\",\"expires\":\"2024-01-01\"}},"
    "{\"technology\":\"t\",\"from\":\"b\",\"to\":\"a\",\"form\":\"software\"},"
    "{\"technology\":\"t\",\"from\":\"a\",\"to\":\"p\",\"form\":\"training\"}],"
    "\"people\":[{\"id\":\"p\",\"name\":\"P\",\"nationality\":[\"CN\",\"JP\"],\"residence\":\"JP\","
    "\"resident_since\":\"2025-01-01\",\"employer\":\"a\",\"access\":[\"t\"],"
    "\"affiliations\":[{\"organisation\":\"O\",\"country\":\"CN\",\"kind\":\"talent-program\","
    "\"disclosed\":false}],\"clearance\":{\"regime\":\"jp-esi\",\"level\":\"secret\","
    "\"expires\":\"2025-01-01\"}}],"
    "\"funding\":[{\"from\":\"Foreign Fund\",\"to\":\"p\",\"amount\":5,\"disclosed\":false}],"
    "\"controls\":{\"export_control_program\":false}}";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tts_error err;
    (void)argc;
    (void)argv;
    tts_init();
    tts_error_clear(&err);
    if (tts_record_parse(record_json, sizeof(record_json) - 1, "fuzz.json", &g_rec, &err) != TTS_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_rules *rules = NULL;
    tts_findings *f = NULL;
    tts_scan_opts so;
    tts_error err;
    if (g_rec == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    tts_error_clear(&err);
    if (tts_rules_compile_string((const char *)data, size, "fuzz.rules", NULL, &rules, &err) !=
        TTS_OK)
        return 0;
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = "2026-01-01";
    if (tts_scan_record(rules, g_rec, &so, &f, &err) == TTS_OK)
        tts_findings_free(f);
    tts_rules_free(rules);
    return 0;
}
