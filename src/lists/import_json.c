/* SPDX-License-Identifier: MIT */
/*
 * csl-json: the trade.gov Consolidated Screening List as JSON, the shape the
 * CSL search API returns and the JSON download serves: an object with a
 * "results" array (a bare array of the same objects is accepted too), one
 * object per listed party. Fields, as published in the API documentation
 * (developer.trade.gov "Consolidated Screening List API", fields per source
 * list; https://github.com/GovWizely/developerportal,
 * _posts/v2/2015-02-24-csl.md): id, source, entity_number, type, programs[],
 * name, title, addresses[] of {address, city, state, postal_code, country},
 * federal_register_notice, start_date, end_date, standard_order,
 * license_requirement, license_policy, call_sign, vessel_type,
 * gross_tonnage, gross_registered_tonnage, vessel_flag, vessel_owner,
 * remarks, source_list_url, alt_names[], citizenships[], dates_of_birth[],
 * nationalities[], places_of_birth[], source_information_url, ids[] of
 * {type, number, country, issue_date, expiration_date}.
 *
 * The mapping is csl-csv's (import.c): the same id rule (id or _id, else
 * SUBLIST-entity_number, else SUBLIST-rowN), the sub-list code from
 * "source" into the sublist column, programs falling back to the sub-list,
 * countries from the addresses, citizenships and nationalities, and every
 * name through the same normaliser. The reader (record_json.c) parses one
 * element at a time; errors name the file, line, column and JSON path.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "lists/import_int.h"
#include "lists/match/names.h"
#include "record/record_json.h"

static const char *nz(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static int is_code(const char *s, size_t n)
{
    return n == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

/* Add the country codes in one value ("IR", "CN, HK", "Iran" as a name). */
static void add_codes(tts_buf *set, const char *v)
{
    const char *p = v;
    while (*p != '\0') {
        size_t n = strcspn(p, ";,");
        const char *s = p;
        while (n > 0 && *s == ' ') {
            s++;
            n--;
        }
        while (n > 0 && s[n - 1] == ' ')
            n--;
        if (is_code(s, n)) {
            tts_import_add_code(set, s, n);
        } else if (n > 0 && n < 64) {
            char name[64];
            const char *cc;
            memcpy(name, s, n);
            name[n] = '\0';
            if ((cc = tts_import_country_code(name)) != NULL)
                tts_import_add_code(set, cc, strlen(cc));
        }
        p += strcspn(p, ";,");
        if (*p != '\0')
            p++;
    }
}

/* Values of an array-of-strings member joined by "; "; codes of each into cc when given. */
static tts_status join_strings(tts_jlist *r, const char *key, tts_buf *out, tts_buf *cc,
                               tts_error *err)
{
    size_t n;
    tts_status rc = tts_jlist_count(r, key, &n, err);
    for (size_t i = 0; i < n && rc == TTS_OK; i++) {
        const char *v;
        rc = tts_jlist_item(r, key, i, NULL, &v, err);
        if (rc != TTS_OK || nz(v) == NULL)
            continue;
        if (out != NULL) {
            if (out->len > 0)
                tts_buf_puts(out, "; ");
            tts_buf_puts(out, v);
        }
        if (cc != NULL)
            add_codes(cc, v);
    }
    return rc;
}

/*
 * Objects of an array member as text, "; " between objects and ", "
 * between the named fields; the country field of each also into cc.
 */
static tts_status join_objects(tts_jlist *r, const char *key, const char *const *fields,
                               const char *country_field, tts_buf *out, tts_buf *cc,
                               tts_error *err)
{
    size_t n;
    tts_status rc = tts_jlist_count(r, key, &n, err);
    for (size_t i = 0; i < n && rc == TTS_OK; i++) {
        size_t start = out->len;
        int any = 0;
        if (start > 0)
            tts_buf_puts(out, "; ");
        for (size_t f = 0; fields[f] != NULL && rc == TTS_OK; f++) {
            const char *v;
            rc = tts_jlist_item(r, key, i, fields[f], &v, err);
            if (rc != TTS_OK || nz(v) == NULL)
                continue;
            if (any)
                tts_buf_puts(out, ", ");
            tts_buf_puts(out, v);
            any = 1;
            if (cc != NULL && strcmp(fields[f], country_field) == 0)
                add_codes(cc, v);
        }
        if (!any) { /* an empty object adds nothing, not a stray "; " */
            out->len = start;
            if (out->data != NULL)
                out->data[start] = '\0';
        }
    }
    return rc;
}

static tts_status csl_entry(const tts_import_at *base, tts_jlist *r, tts_error *err)
{
    static const char *const addr_fields[] = {"address", "city", "state", "postal_code",
                                              "country", NULL};
    static const char *const id_fields[] = {"type", "number", "country", NULL};
    tts_import_at at = *base;
    tts_buf programs = TTS_BUF_INIT, addrs = TTS_BUF_INIT, ids = TTS_BUF_INIT, cc = TTS_BUF_INIT;
    tts_store_entry e;
    const char *id, *source, *entnum, *type, *name;
    char eid[160], sub[16];
    unsigned flags;
    int64_t row;
    size_t n_alt;
    tts_status rc;

    at.line = tts_jlist_line(r);
    memset(&e, 0, sizeof(e));
    TTS_TRY(tts_jlist_string(r, "id", &id, err));
    if (nz(id) == NULL)
        TTS_TRY(tts_jlist_string(r, "_id", &id, err));
    TTS_TRY(tts_jlist_string(r, "source", &source, err));
    TTS_TRY(tts_jlist_string(r, "entity_number", &entnum, err));
    TTS_TRY(tts_jlist_string(r, "type", &type, err));
    TTS_TRY(tts_jlist_string(r, "name", &name, err));
    if (nz(name) == NULL)
        TTS_TRY(tts_jlist_fail(r, "name", TTS_ERR_SYNTAX, "entry without a name", err));
    tts_import_csl_sublist(source != NULL ? source : "", sub);
    if (nz(id) != NULL)
        snprintf(eid, sizeof(eid), "%s", id);
    else if (nz(entnum) != NULL)
        snprintf(eid, sizeof(eid), "%s-%s", sub[0] != '\0' ? sub : "CSL", entnum);
    else
        snprintf(eid, sizeof(eid), "%s-row%zu", sub[0] != '\0' ? sub : "CSL",
                 tts_jlist_index(r) + 1);
    TTS_TRY(join_strings(r, "programs", &programs, NULL, err));
    TTS_TRY(join_objects(r, "addresses", addr_fields, "country", &addrs, &cc, err));
    TTS_TRY(join_strings(r, "citizenships", NULL, &cc, err));
    TTS_TRY(join_strings(r, "nationalities", NULL, &cc, err));
    TTS_TRY(join_objects(r, "ids", id_fields, "", &ids, NULL, err));
    tts_buf_puts(&programs, "");
    tts_buf_puts(&addrs, "");
    tts_buf_puts(&ids, "");
    tts_buf_puts(&cc, "");
    if (tts_buf_failed(&programs) || tts_buf_failed(&addrs) || tts_buf_failed(&ids) ||
        tts_buf_failed(&cc))
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory importing a list"));
    e.entry_id = eid;
    e.name = name;
    e.type = nz(type);
    e.country = nz(cc.data);
    e.programs = nz(programs.data) != NULL ? programs.data : nz(sub);
    TTS_TRY(tts_jlist_string(r, "start_date", &e.listed_on, err));
    TTS_TRY(tts_jlist_string(r, "end_date", &e.end_date, err));
    TTS_TRY(tts_jlist_string(r, "remarks", &e.remarks, err));
    TTS_TRY(tts_jlist_string(r, "source_list_url", &e.source_url, err));
    e.listed_on = nz(e.listed_on);
    e.end_date = nz(e.end_date);
    e.remarks = nz(e.remarks);
    e.source_url = nz(e.source_url);
    e.addresses = nz(addrs.data);
    e.ids = nz(ids.data);
    e.sublist = nz(sub);
    TTS_TRY(tts_import_entry(&at, &e, &row, err));
    flags = type != NULL && strcmp(type, "Individual") == 0 ? TTS_NAME_PERSON : 0;
    TTS_TRY(tts_import_name(&at, row, "primary", name, flags, err));
    TTS_TRY(tts_jlist_count(r, "alt_names", &n_alt, err));
    for (size_t i = 0; i < n_alt; i++) {
        const char *alias;
        TTS_TRY(tts_jlist_item(r, "alt_names", i, NULL, &alias, err));
        if (alias != NULL)
            TTS_TRY(tts_import_name(&at, row, "aka", alias, flags, err));
    }
out:
    tts_buf_free(&programs);
    tts_buf_free(&addrs);
    tts_buf_free(&ids);
    tts_buf_free(&cc);
    return rc;
}

tts_status tts_import_csl_json(const tts_import_at *at, const char *data, size_t len,
                               tts_error *err)
{
    tts_jlist *r = NULL;
    tts_status rc;
    int more = 1;
    TTS_TRY(tts_jlist_open(data, len, at->path, "results", &r, err));
    for (;;) {
        TTS_TRY(tts_jlist_next(r, &more, err));
        if (!more)
            break;
        TTS_TRY(csl_entry(at, r, err));
    }
out:
    tts_jlist_free(r);
    return rc;
}
