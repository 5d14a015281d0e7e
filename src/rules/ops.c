/* SPDX-License-Identifier: MIT */
/*
 * Built-in functions of the rule language and their table (see ops.h).
 * Domain functions encode facts from ../shared/domain/facts.md:
 *  - resident_jp: FEFTA Art. 6 resident/non-resident rules (facts.md 1.8);
 *  - group_jp: Japan's export-control country groups (facts.md 1.7);
 *  - owned_percent: aggregate direct and indirect ownership (OFAC 50 Percent
 *    Rule, BIS Affiliates Rule; facts.md 5.4, 5.5), computed as a bounded
 *    fixed point so cross-shareholding cycles converge instead of looping.
 */
#include "rules/ops.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/dates.h"
#include "util/error.h"
#include "rules/chain.h"
#include "rules/evalctx.h"
#include "rules/rx.h"
#include "rules/findings.h"
#include "rules/schema.h"
#include "ttscreen/lists.h"

#define LISTED_DEFAULT_THRESHOLD 0.85

#define T(b)                                                                                       \
    {                                                                                              \
        TTS_T_##b, TTS_T_ERR, TTS_D_NONE                                                           \
    }
#define TD(b, d)                                                                                   \
    {                                                                                              \
        TTS_T_##b, TTS_T_ERR, TTS_D_##d                                                            \
    }
#define TL(e)                                                                                      \
    {                                                                                              \
        TTS_T_LIST, TTS_T_##e, TTS_D_NONE                                                          \
    }
#define NONE                                                                                       \
    {                                                                                              \
        TTS_T_ERR, TTS_T_ERR, TTS_D_NONE                                                           \
    }

typedef const tts_val cval;

static tts_val list_of(tts_val *items, size_t n)
{
    tts_val v = tts_val_null();
    v.k = TTS_T_LIST;
    v.n = n;
    v.u.items = items;
    return v;
}

/* ---- generic ------------------------------------------------------------------ */

static tts_status fn_exists(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)c;
    (void)n;
    tts_eval_fact(ev, &a[0]);
    *out = tts_val_bool(a[0].k != TTS_T_NULL);
    return TTS_OK;
}

static tts_status fn_len(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)ev;
    (void)c;
    (void)n;
    *out = a[0].k == TTS_T_LIST ? tts_val_num((double)a[0].n) : tts_val_null();
    return TTS_OK;
}

static tts_status change_case(tts_eval *ev, cval *a, tts_val *out, int upper)
{
    char *s;
    size_t len;
    if (a[0].k != TTS_T_STR) {
        *out = tts_val_null();
        return TTS_OK;
    }
    len = strlen(a[0].u.s);
    s = tts_arena_strndup(ev->arena, a[0].u.s, len);
    if (s == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < len; i++) {
        if (upper && s[i] >= 'a' && s[i] <= 'z')
            s[i] = (char)(s[i] - 'a' + 'A');
        else if (!upper && s[i] >= 'A' && s[i] <= 'Z')
            s[i] = (char)(s[i] - 'A' + 'a');
    }
    *out = tts_val_str(s);
    return TTS_OK;
}

static tts_status fn_lower(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)c;
    (void)n;
    return change_case(ev, a, out, 0);
}

static tts_status fn_upper(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)c;
    (void)n;
    return change_case(ev, a, out, 1);
}

static tts_status fn_contains(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)ev;
    (void)c;
    (void)n;
    *out = tts_val_bool(a[0].k == TTS_T_STR && a[1].k == TTS_T_STR &&
                        strstr(a[0].u.s, a[1].u.s) != NULL);
    return TTS_OK;
}

static tts_status fn_starts_with(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)ev;
    (void)c;
    (void)n;
    *out = tts_val_bool(a[0].k == TTS_T_STR && a[1].k == TTS_T_STR &&
                        strncmp(a[0].u.s, a[1].u.s, strlen(a[1].u.s)) == 0);
    return TTS_OK;
}

static tts_status fn_matches(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    int hit = 0;
    tts_status rc;
    (void)n;
    if (a[0].k != TTS_T_STR) {
        *out = tts_val_bool(0);
        return TTS_OK;
    }
    if (ev->rx == NULL && (ev->rx = tts_rx_scratch_new()) == NULL)
        return tts_eval_nomem(ev);
    rc = tts_rx_match(a[1].u.rx, ev->rx, a[0].u.s, strlen(a[0].u.s), &hit);
    if (rc == TTS_ERR_LIMIT)
        return tts_err_set(ev->err, rc, "%s:%d:%d: regular expression %s hit its match limit",
                           ev->src != NULL ? ev->src->path : "rules", c->line, c->col,
                           tts_rx_source(a[1].u.rx));
    if (rc != TTS_OK)
        return tts_eval_nomem(ev);
    *out = tts_val_bool(hit);
    return TTS_OK;
}

static tts_status fn_intersects(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    int hit = 0;
    (void)ev;
    (void)c;
    (void)n;
    for (size_t i = 0; a[0].k == TTS_T_LIST && i < a[0].n && !hit; i++)
        for (size_t j = 0; a[1].k == TTS_T_LIST && j < a[1].n && !hit; j++)
            hit = tts_val_equal(&a[0].u.items[i], &a[1].u.items[j]);
    *out = tts_val_bool(hit);
    return TTS_OK;
}

static tts_status fn_join(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    tts_buf b = TTS_BUF_INIT;
    char *s;
    (void)c;
    (void)n;
    for (size_t i = 0; a[0].k == TTS_T_LIST && i < a[0].n; i++) {
        if (i > 0 && a[1].k == TTS_T_STR)
            tts_buf_puts(&b, a[1].u.s);
        tts_val_render_text(&b, &a[0].u.items[i]);
    }
    tts_buf_putc(&b, '\0');
    s = tts_buf_failed(&b) ? NULL : tts_arena_strdup(ev->arena, b.data);
    tts_buf_free(&b);
    if (s == NULL)
        return tts_eval_nomem(ev);
    *out = tts_val_str(s);
    return TTS_OK;
}

/*
 * The value as a message prints it (a date as YYYY-MM-DD, a party by name),
 * so that a message can assemble text from values of different types with
 * join(); null gives "" rather than "unknown".
 */
static tts_status fn_text(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    tts_buf b = TTS_BUF_INIT;
    char *s;
    (void)c;
    (void)n;
    if (a[0].k != TTS_T_NULL)
        tts_val_render_text(&b, &a[0]);
    tts_buf_putc(&b, '\0');
    s = tts_buf_failed(&b) ? NULL : tts_arena_strdup(ev->arena, b.data);
    tts_buf_free(&b);
    if (s == NULL)
        return tts_eval_nomem(ev);
    *out = tts_val_str(s);
    return TTS_OK;
}

/* ---- dates -------------------------------------------------------------------- */


static tts_status fn_days_between(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)ev;
    (void)c;
    (void)n;
    if (a[0].k != TTS_T_DATE || a[1].k != TTS_T_DATE)
        *out = tts_val_null();
    else
        *out = tts_val_num((double)(tts_date_days(a[1].u.d) - tts_date_days(a[0].u.d)));
    return TTS_OK;
}

static int small_int(const tts_val *v, long *out)
{
    if (v->k != TTS_T_NUM || v->u.n < -1e6 || v->u.n > 1e6)
        return 0;
    *out = (long)v->u.n;
    return 1;
}

static tts_status fn_add_days(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    long k;
    (void)ev;
    (void)c;
    (void)n;
    if (a[0].k != TTS_T_DATE || !small_int(&a[1], &k))
        *out = tts_val_null();
    else
        *out = tts_val_date(tts_date_from_days(tts_date_days(a[0].u.d) + k));
    return TTS_OK;
}

static tts_status fn_add_months(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    long k;
    (void)ev;
    (void)n;
    if (a[0].k != TTS_T_DATE || !small_int(&a[1], &k))
        *out = tts_val_null();
    else
        *out = tts_val_date(
            tts_date_add_months(a[0].u.d, strcmp(c->name, "add_years") == 0 ? k * 12 : k));
    return TTS_OK;
}

/* ---- Japan -------------------------------------------------------------------- */

static int has_nationality(const tts_person *p, const char *cc)
{
    for (size_t i = 0; i < p->n_nationality; i++)
        if (strcmp(p->nationality[i], cc) == 0)
            return 1;
    return 0;
}

/* A foreign government or military affiliation in force on `as_of`. */
static int serves_foreign_state(const tts_person *p, tts_date as_of)
{
    for (size_t i = 0; i < p->n_affiliations; i++) {
        const tts_affiliation *a = &p->affiliations[i];
        if (a->kind != TTS_AFFIL_GOVERNMENT && a->kind != TTS_AFFIL_MILITARY)
            continue;
        if (strcmp(a->country, "JP") == 0 || a->country[0] == '\0')
            continue;
        if (a->since.y != 0 && tts_date_cmp(a->since, as_of) > 0)
            continue;
        if (a->until.y != 0 && tts_date_cmp(a->until, as_of) < 0)
            continue;
        return 1;
    }
    return 0;
}

/*
 * FEFTA residency of a person as of the screening date (facts.md 1.8):
 * a foreign national in Japan is resident at once when employed by a
 * Japanese party, otherwise after 6 months' stay; in the service of a
 * foreign government or military: non-resident. A Japanese national abroad
 * is non-resident when employed by a foreign party or abroad 2 years or
 * more; a stay abroad of unknown length counts as non-resident (the
 * conservative reading for export control).
 */
static int person_resident(const tts_person *p, tts_date as_of)
{
    int in_jp = strcmp(p->residence, "JP") == 0;
    int jp_employer = p->employer != NULL && strcmp(p->employer->country, "JP") == 0;
    if (serves_foreign_state(p, as_of))
        return 0;
    if (has_nationality(p, "JP")) {
        tts_date two_years;
        if (in_jp || p->residence[0] == '\0')
            return 1;
        if (p->employer != NULL && !jp_employer)
            return 0;
        if (p->resident_since.y == 0)
            return 0;
        two_years = tts_date_add_months(p->resident_since, 24);
        return two_years.y != 0 && tts_date_cmp(two_years, as_of) > 0;
    }
    if (!in_jp)
        return 0;
    if (jp_employer)
        return 1;
    if (p->resident_since.y == 0)
        return 0;
    {
        tts_date six = tts_date_add_months(p->resident_since, 6);
        return six.y != 0 && tts_date_cmp(six, as_of) <= 0;
    }
}

static tts_status fn_resident_jp(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)c;
    (void)n;
    if (a[0].k == TTS_T_PERSON)
        *out = tts_val_bool(person_resident(a[0].u.p, ev->as_of));
    else if (a[0].k == TTS_T_PARTY) /* legal persons: head office in Japan */
        *out = tts_val_bool(strcmp(((const tts_party *)a[0].u.p)->country, "JP") == 0);
    else
        *out = tts_val_null();
    return TTS_OK;
}

/*
 * Group A: Export Trade Control Order Appended Table 3, 27 countries
 * (facts.md 1.7). Korea was removed with effect from 28 Aug 2019 and
 * re-added with effect from 21 Jul 2023; in between it was in group B.
 * Group D: facts.md confirms only North Korea. Everything else: group C.
 */
static const char *jp_group(const char *cc, tts_date as_of)
{
    static const char *const group_a[] = {"AR", "AU", "AT", "BE", "BG", "CA", "CZ", "DK", "FI",
                                          "FR", "DE", "GR", "HU", "IE", "IT", "KR", "LU", "NL",
                                          "NZ", "NO", "PL", "PT", "ES", "SE", "CH", "GB", "US"};
    if (strcmp(cc, "KP") == 0)
        return "D";
    if (strcmp(cc, "KR") == 0) {
        tts_date out_from = {2019, 8, 28}, back_on = {2023, 7, 21};
        if (tts_date_cmp(as_of, out_from) >= 0 && tts_date_cmp(as_of, back_on) < 0)
            return "B";
        return "A";
    }
    for (size_t i = 0; i < sizeof(group_a) / sizeof(group_a[0]); i++)
        if (strcmp(cc, group_a[i]) == 0)
            return "A";
    return "C";
}

static tts_status fn_group_jp(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    (void)c;
    (void)n;
    /* Japan is not in its own groups: null. */
    *out = a[0].k == TTS_T_STR && tts_country_is_valid(a[0].u.s) && strcmp(a[0].u.s, "JP") != 0
               ? tts_val_str(jp_group(a[0].u.s, ev->as_of))
               : tts_val_null();
    return TTS_OK;
}

static tts_status fn_concern(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    const tts_def *d = c->lit.u.p; /* the set, resolved by the checker */
    int hit = 0;
    (void)ev;
    (void)n;
    for (size_t i = 0; d != NULL && a[0].k == TTS_T_STR && i < d->value.n && !hit; i++)
        hit = tts_val_equal(&a[0], &d->value.u.items[i]);
    *out = tts_val_bool(hit);
    return TTS_OK;
}

/* ---- chain and ownership -------------------------------------------------------- */

static tts_status fn_tier(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    tts_status rc = tts_eval_chain(ev);
    int t;
    (void)c;
    (void)n;
    if (rc != TTS_OK)
        return rc;
    t = a[0].k == TTS_T_PARTY ? ev->tier[((const tts_party *)a[0].u.p)->index] : -1;
    *out = t >= 0 ? tts_val_num(t) : tts_val_null();
    return TTS_OK;
}

/* path(p): parties from screened_for to p; hops(p): the transfers on that path. */
static tts_status fn_path(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    int hops = strcmp(c->name, "hops") == 0, t;
    const tts_party *p;
    tts_val *items;
    size_t k = 0;
    tts_status rc = tts_eval_chain(ev);
    (void)n;
    if (rc != TTS_OK)
        return rc;
    *out = list_of(NULL, 0);
    if (a[0].k != TTS_T_PARTY)
        return TTS_OK;
    p = a[0].u.p;
    t = ev->tier[p->index];
    if (t < 0)
        return TTS_OK;
    items = tts_arena_calloc(ev->arena, (size_t)t + 1, sizeof(tts_val));
    if (items == NULL)
        return tts_eval_nomem(ev);
    /* Walk back to screened_for, collecting in reverse, then flip. */
    for (; p != NULL; p = ev->parent[p->index]) {
        if (!hops)
            items[k++] = tts_val_elem(TTS_T_PARTY, p, NULL);
        else if (ev->via[p->index] != NULL)
            items[k++] = tts_val_elem(TTS_T_TRANSFER, ev->via[p->index], NULL);
    }
    for (size_t i = 0; i < k / 2; i++) {
        tts_val tmp = items[i];
        items[i] = items[k - 1 - i];
        items[k - 1 - i] = tmp;
    }
    *out = list_of(items, k);
    return TTS_OK;
}

static tts_status fn_owners(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    const tts_record *rec = ev->rec;
    tts_val *items;
    size_t k = 0;
    (void)c;
    (void)n;
    *out = list_of(NULL, 0);
    if (a[0].k != TTS_T_PARTY || rec->n_relations == 0)
        return TTS_OK;
    items = tts_arena_calloc(ev->arena, rec->n_relations, sizeof(tts_val));
    if (items == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < rec->n_relations; i++)
        if (rec->relations[i].type == TTS_REL_OWNS && rec->relations[i].to == a[0].u.p)
            items[k++] = tts_val_elem(TTS_T_PARTY, rec->relations[i].from, NULL);
    *out = list_of(items, k);
    return TTS_OK;
}

/*
 * Aggregate share of `target` held by the owner set, directly and through
 * chains of `owns` relations: own(x) = 1 for owners, otherwise the sum over
 * holdings h of own(holder) * h.percent / 100, capped at 1. Iterated to a
 * fixed point (bounded rounds), so cycles of cross-shareholdings converge.
 */
static tts_status fn_owned_percent(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    const tts_record *rec = ev->rec;
    size_t np = rec->n_parties;
    double *own, *next;
    unsigned char *is_owner;
    size_t target;
    (void)c;
    (void)n;
    *out = tts_val_null();
    if (a[1].k != TTS_T_PARTY || a[0].k != TTS_T_LIST || np == 0)
        return TTS_OK;
    target = ((const tts_party *)a[1].u.p)->index;
    own = tts_arena_calloc(ev->arena, np, sizeof(double));
    next = tts_arena_calloc(ev->arena, np, sizeof(double));
    is_owner = tts_arena_calloc(ev->arena, np, 1);
    if (own == NULL || next == NULL || is_owner == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < a[0].n; i++)
        if (a[0].u.items[i].k == TTS_T_PARTY)
            is_owner[((const tts_party *)a[0].u.items[i].u.p)->index] = 1;
    for (size_t i = 0; i < np; i++)
        own[i] = is_owner[i] ? 1.0 : 0.0;
    for (int round = 0; round < TTS_OWNERSHIP_MAX_ROUNDS; round++) {
        double delta = 0;
        /* Each round costs a pass over parties and relations: charge the budget. */
        ev->steps += np + rec->n_relations;
        if (ev->steps > TTS_EVAL_MAX_STEPS)
            return tts_err_set(ev->err, TTS_ERR_LIMIT,
                               "evaluation of one record took more than %lu steps",
                               TTS_EVAL_MAX_STEPS);
        for (size_t i = 0; i < np; i++)
            next[i] = is_owner[i] ? 1.0 : 0.0;
        for (size_t i = 0; i < rec->n_relations; i++) {
            const tts_relation *r = &rec->relations[i];
            if (r->type != TTS_REL_OWNS || !r->has_percent || is_owner[r->to->index])
                continue;
            next[r->to->index] += own[r->from->index] * r->percent / 100.0;
        }
        for (size_t i = 0; i < np; i++) {
            if (next[i] > 1.0)
                next[i] = 1.0;
            delta += next[i] > own[i] ? next[i] - own[i] : own[i] - next[i];
            own[i] = next[i];
        }
        if (delta < 1e-12)
            break;
    }
    /* Round to 1e-6 percent so evidence does not show floating-point noise. */
    *out = tts_val_num((double)(long long)(own[target] * 1e8 + 0.5) / 1e6);
    return TTS_OK;
}

/* ---- technology ------------------------------------------------------------------ */

tts_status tts_ops_classify(tts_eval *ev, const tts_def *d, const tts_val *text, tts_val *out)
{
    tts_val *items;
    size_t k = 0;
    *out = list_of(NULL, 0);
    if (d == NULL || text->k != TTS_T_STR || d->n_entries == 0)
        return TTS_OK;
    if (ev->rx == NULL && (ev->rx = tts_rx_scratch_new()) == NULL)
        return tts_eval_nomem(ev);
    items = tts_arena_calloc(ev->arena, d->n_entries, sizeof(tts_val));
    if (items == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < d->n_entries; i++) {
        int hit = 0, dup = 0;
        tts_status rc = tts_rx_match(d->entries[i].rx, ev->rx, text->u.s, strlen(text->u.s), &hit);
        if (rc == TTS_ERR_LIMIT)
            return tts_err_set(ev->err, rc,
                               "%s:%d: classification '%s' pattern %s hit its match "
                               "limit",
                               d->src->path, d->line, d->name, tts_rx_source(d->entries[i].rx));
        if (rc != TTS_OK)
            return tts_eval_nomem(ev);
        for (size_t j = 0; j < k && hit; j++)
            dup = strcmp(items[j].u.s, d->entries[i].label) == 0;
        if (hit && !dup)
            items[k++] = tts_val_str(d->entries[i].label);
    }
    *out = list_of(items, k);
    return TTS_OK;
}

static tts_status fn_fields(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    const tts_technology *t;
    tts_val desc;
    (void)n;
    *out = list_of(NULL, 0);
    if (a[0].k != TTS_T_TECH)
        return TTS_OK;
    t = a[0].u.p;
    if (t->n_fields > 0) {
        const tts_field *f = tts_schema_field(TTS_T_TECH, "fields", 6);
        if (tts_schema_get(f, &a[0], ev->arena, out) != 0)
            return tts_eval_nomem(ev);
        out->pk = 0; /* the call states its own evidence */
        return TTS_OK;
    }
    desc = tts_val_str(t->description);
    return tts_ops_classify(ev, c->lit.u.p, &desc, out); /* table resolved by the checker */
}

/* ---- lists and licences ------------------------------------------------------------ */

/* The answer to an identical earlier lookup in this scan, if any. */
static int memo_find(const tts_eval *ev, const void *who, double threshold,
                     const char *const *sources, size_t n_src, tts_val *out)
{
    for (size_t i = 0; i < ev->n_listed; i++) {
        const tts_listed_memo *m = &ev->listed[i];
        int same = m->who == who && m->threshold == threshold && m->n_sources == n_src;
        for (size_t j = 0; same && j < n_src; j++)
            same = strcmp(m->sources[j], sources[j]) == 0;
        if (same) {
            *out = m->result;
            return 1;
        }
    }
    return 0;
}

/* Remember a lookup's answer; list lookups are the costly part of a screening. */
static tts_status memo_add(tts_eval *ev, const void *who, double threshold,
                           const char *const *sources, size_t n_src, const tts_val *result)
{
    const char **copy = n_src ? tts_arena_calloc(ev->keep, n_src, sizeof(char *)) : NULL;
    if (n_src > 0 && copy == NULL)
        return tts_eval_nomem(ev);
    if (!tts_grow(&ev->listed, &ev->cap_listed, ev->n_listed + 1, sizeof(*ev->listed)))
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < n_src; i++)
        if ((copy[i] = tts_arena_strdup(ev->keep, sources[i])) == NULL)
            return tts_eval_nomem(ev);
    ev->listed[ev->n_listed].who = who;
    ev->listed[ev->n_listed].threshold = threshold;
    ev->listed[ev->n_listed].sources = copy;
    ev->listed[ev->n_listed].n_sources = n_src;
    ev->listed[ev->n_listed].result = *result;
    ev->n_listed++;
    return TTS_OK;
}

/* One name (or identifier) of a named element, with where the record holds it. */
typedef struct listed_name {
    const char *text;
    const char *key;   /* "name", "aliases", "organisation", "from", "identifiers" */
    long index;        /* under key: aliases[i]; -1 when none */
    const char *ident; /* identifiers: the scheme */
} listed_name;

/* The element's own JSON path, e.g. "$.people[0].affiliations[1]", into b. */
static void named_path(tts_buf *b, const tts_val *who)
{
    tts_val_elem_path(b, who->k, who->u.p, who->own);
}

/* "$.parties[2].aliases[0]" for one name of `who`, in the scan arena. */
static char *name_path(tts_eval *ev, const tts_val *who, const listed_name *nm)
{
    tts_buf b = TTS_BUF_INIT;
    char *s;
    named_path(&b, who);
    tts_buf_putc(&b, '.');
    tts_buf_puts(&b, nm->key);
    if (nm->ident != NULL) {
        tts_buf_putc(&b, '.');
        tts_buf_puts(&b, nm->ident);
    } else if (nm->index >= 0) {
        tts_buf_printf(&b, "[%ld]", nm->index);
    }
    s = tts_buf_failed(&b) ? NULL : tts_arena_strdup(ev->arena, b.data);
    tts_buf_free(&b);
    return s;
}

/*
 * Every name of the element that the lists are asked about: a party's name,
 * aliases and identifiers; a person's name; an affiliation's organisation; a
 * funding source given by name (a source party is screened as that party).
 * Returns how many were written to out (at most cap); *country the country
 * that qualifies the names, *want the entity type they may match ("person",
 * "organisation", or NULL for either).
 */
static size_t listed_names(const tts_val *who, listed_name *out, size_t cap, const char **country,
                           const char **want)
{
    const tts_party *p = NULL;
    size_t k = 0;
    *country = NULL;
    *want = NULL;
    if (who->k == TTS_T_FUNDING) {
        const tts_funding *f = who->u.p;
        if (f->from_party == NULL) {
            if (f->from_name != NULL && cap > 0)
                out[k++] = (listed_name){f->from_name, "from", -1, NULL};
            return k; /* a bare name: a person or an organisation */
        }
        p = f->from_party;
    } else if (who->k == TTS_T_PARTY) {
        p = who->u.p;
    } else if (who->k == TTS_T_PERSON) {
        const tts_person *per = who->u.p;
        *country = per->n_nationality > 0 ? per->nationality[0] : NULL; /* see fn_listed */
        *want = "person";
        if (cap > 0)
            out[k++] = (listed_name){per->name, "name", -1, NULL};
        return k;
    } else if (who->k == TTS_T_AFFIL) {
        const tts_affiliation *af = who->u.p;
        *country = af->country[0] != '\0' ? af->country : NULL;
        *want = "organisation";
        if (af->organisation != NULL && cap > 0)
            out[k++] = (listed_name){af->organisation, "organisation", -1, NULL};
        return k;
    } else {
        return 0;
    }
    *country = p->country[0] != '\0' ? p->country : NULL;
    *want = p->type == TTS_PARTY_PERSON ? "person" : "organisation";
    if (k < cap)
        out[k++] = (listed_name){p->name, "name", -1, NULL};
    for (size_t i = 0; i < p->n_aliases && k < cap; i++)
        out[k++] = (listed_name){p->aliases[i], "aliases", (long)i, NULL};
    for (size_t i = 0; i < p->n_identifiers && k < cap; i++)
        out[k++] = (listed_name){p->identifiers[i].value, "identifiers", -1,
                                 p->identifiers[i].key};
    return k;
}

/* A person is never an organisation's entry, nor an organisation a person's or a vessel's. */
static int entity_fits(const char *want, const char *entry_type)
{
    if (want == NULL || entry_type == NULL || entry_type[0] == '\0')
        return 1;
    return strcmp(want, entry_type) == 0;
}

static int source_wanted(const char *source, const char *const *sources, size_t n_src)
{
    if (n_src == 0)
        return 1;
    for (size_t i = 0; i < n_src; i++)
        if (source != NULL && strcmp(source, sources[i]) == 0)
            return 1;
    return 0;
}

/* Collected hits of every name; one per list entry, the best-scoring name's. */
typedef struct hit_set {
    tts_match *m;
    size_t n, cap;
} hit_set;

static void hit_set_free(hit_set *h)
{
    tts_matches_free(h->m, h->n);
    h->m = NULL;
    h->n = h->cap = 0;
}

/*
 * Take over the lookup's hits for one name: those the filters let through
 * join the set (a better score replaces an entry's earlier hit), the rest
 * are freed. Returns 0, or -1 out of memory (all of hits freed either way).
 */
static int hit_set_take(tts_eval *ev, hit_set *h, tts_match *hits, size_t n_hits,
                        const char *want, const char *const *sources, size_t n_src,
                        const char *path, const char *text)
{
    int rc = 0;
    for (size_t i = 0; i < n_hits; i++) {
        tts_match *x = &hits[i];
        size_t j;
        if (rc != 0 || !entity_fits(want, x->entry_type) ||
            !source_wanted(x->source, sources, n_src))
            continue;
        for (j = 0; j < h->n; j++)
            if (strcmp(h->m[j].source ? h->m[j].source : "", x->source ? x->source : "") == 0 &&
                strcmp(h->m[j].entry_id ? h->m[j].entry_id : "",
                       x->entry_id ? x->entry_id : "") == 0)
                break;
        if (j < h->n && h->m[j].score >= x->score)
            continue; /* an earlier name of the element matched this entry as well or better */
        tts_free(x->query);
        tts_free(x->queried);
        x->query = tts_strdup(path);
        x->queried = tts_strdup(text);
        if (x->query == NULL || x->queried == NULL) {
            rc = -1;
            continue;
        }
        if (j < h->n) {
            tts_match_clear(&h->m[j]);
            h->m[j] = *x;
            memset(x, 0, sizeof(*x));
            continue;
        }
        if (!tts_grow(&h->m, &h->cap, h->n + 1, sizeof(*h->m))) {
            rc = -1;
            continue;
        }
        h->m[h->n++] = *x;
        memset(x, 0, sizeof(*x));
    }
    (void)ev;
    tts_matches_free(hits, n_hits);
    return rc;
}

/* Best first; ties by source and entry id, so reports are deterministic. */
static int match_order(const void *pa, const void *pb)
{
    const tts_match *a = pa, *b = pb;
    int c;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    c = strcmp(a->source ? a->source : "", b->source ? b->source : "");
    return c != 0 ? c : strcmp(a->entry_id ? a->entry_id : "", b->entry_id ? b->entry_id : "");
}

static char *arena_dup(void *arena, const char *s)
{
    return tts_arena_strdup(arena, s);
}

/* A copy of m in the scan arena; NULL when out of memory. */
static tts_match *match_to_arena(tts_eval *ev, const tts_match *x)
{
    tts_match *m = tts_arena_calloc(ev->keep, 1, sizeof(tts_match));
    if (m == NULL || tts_match_copy_to(m, x, arena_dup, ev->keep) != 0)
        return NULL;
    return m;
}

int tts_ops_listed_option(const char *s, int *algorithm)
{
    static const char key[] = "algorithm=";
    if (strncmp(s, key, sizeof(key) - 1) != 0)
        return 0;
    s += sizeof(key) - 1;
    if (strcmp(s, "default") == 0)
        *algorithm = TTS_ALGORITHM_DEFAULT;
    else if (strcmp(s, "ofac") == 0)
        *algorithm = TTS_ALGORITHM_OFAC;
    else
        return -1;
    return 1;
}

/*
 * The hits of q's name on the lists `sources` (every list when n_src is 0),
 * caller-owned copies. A name is looked up once per scan in every list, with
 * the facts of `who` (its country, its identifiers), and each listed() that
 * asks it of some lists takes those lists' hits from that one answer: the
 * rules ask one name of up to seven sets of lists, and the search with a
 * set of lists gives the same hits as the search of all lists cut to that
 * set (no limit applies to a rule's lookup).
 */
static tts_status name_lookup(tts_eval *ev, const void *who, tts_lookup_query *q,
                              const char *const *sources, size_t n_src, tts_match **hits,
                              size_t *n_hits, tts_error *lerr)
{
    tts_name_memo *m = NULL;
    size_t k = 0;
    *hits = NULL;
    *n_hits = 0;
    for (size_t i = 0; i < ev->n_looked && m == NULL; i++)
        if (ev->looked[i].who == who && ev->looked[i].threshold == q->threshold &&
            ev->looked[i].algorithm == q->algorithm && strcmp(ev->looked[i].text, q->name) == 0)
            m = &ev->looked[i];
    if (m == NULL) {
        tts_match *all = NULL;
        size_t n_all = 0;
        tts_status rc;
        q->sources = NULL;
        q->n_sources = 0;
        rc = ev->opts->lookup_query != NULL
                 ? ev->opts->lookup_query(ev->opts->lookup_user, q, &all, &n_all, lerr)
             : q->algorithm != TTS_ALGORITHM_DEFAULT
                 ? ev->opts->lookup_algo(ev->opts->lookup_user, q->name, q->country, NULL, 0,
                                         q->threshold, q->algorithm, &all, &n_all, lerr)
                 : ev->opts->lookup(ev->opts->lookup_user, q->name, q->country, NULL, 0,
                                    q->threshold, &all, &n_all, lerr);
        if (rc != TTS_OK) {
            tts_matches_free(all, n_all);
            return rc;
        }
        if (!tts_grow(&ev->looked, &ev->cap_looked, ev->n_looked + 1, sizeof(*ev->looked))) {
            tts_matches_free(all, n_all);
            return tts_err_set(lerr, TTS_ERR_NOMEM, "out of memory");
        }
        m = &ev->looked[ev->n_looked++];
        m->who = who;
        m->text = q->name;
        m->threshold = q->threshold;
        m->algorithm = q->algorithm;
        m->hits = all;
        m->n = n_all;
    }
    if (m->n == 0)
        return TTS_OK;
    if ((*hits = tts_calloc(m->n, sizeof(tts_match))) == NULL)
        return tts_err_set(lerr, TTS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < m->n; i++) {
        if (!source_wanted(m->hits[i].source, sources, n_src))
            continue;
        if (tts_match_copy(&(*hits)[k], &m->hits[i]) != 0) {
            tts_matches_free(*hits, k);
            *hits = NULL;
            return tts_err_set(lerr, TTS_ERR_NOMEM, "out of memory");
        }
        k++;
    }
    *n_hits = k;
    return TTS_OK;
}

/*
 * The lookup question for the listed party or person a: everything but the
 * name; the identifiers are a party's (or a funder's), in the arena.
 */
static int lookup_query_of(tts_eval *ev, const cval *a, const char *country,
                           const char *const *sources, size_t n_src, double threshold,
                           int algorithm, tts_lookup_query *q)
{
    const tts_party *p = a->k == TTS_T_PARTY ? a->u.p
                         : a->k == TTS_T_FUNDING ? ((const tts_funding *)a->u.p)->from_party
                                                 : NULL;
    memset(q, 0, sizeof(*q));
    q->size = sizeof(*q);
    q->country = country;
    q->sources = sources;
    q->n_sources = n_src;
    q->threshold = threshold;
    q->algorithm = algorithm;
    q->skip_entry_hash = ev->opts->skip_entry_hash;
    if (p != NULL && p->n_identifiers > 0) {
        const char **sch = tts_arena_calloc(ev->arena, p->n_identifiers, sizeof(char *));
        const char **val = tts_arena_calloc(ev->arena, p->n_identifiers, sizeof(char *));
        if (sch == NULL || val == NULL)
            return -1;
        for (size_t i = 0; i < p->n_identifiers; i++) {
            sch[i] = p->identifiers[i].key;
            val[i] = p->identifiers[i].value;
        }
        q->id_schemes = sch;
        q->id_values = val;
        q->n_ids = p->n_identifiers;
    }
    return 0;
}

static tts_status fn_listed(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    int at = strcmp(c->name, "listed_at") == 0;
    size_t first = at ? 2 : 1, n_src = 0, n_names;
    const char *sources[TTS_RULES_MAX_ARGS * 16];
    const char *country = NULL, *want = NULL, *keys[TTS_RULES_MAX_ARGS * 16 + 1];
    int algorithm = TTS_ALGORITHM_DEFAULT;
    size_t n_keys = 0;
    listed_name *names;
    double threshold = at && a[1].k == TTS_T_NUM ? a[1].u.n : LISTED_DEFAULT_THRESHOLD;
    hit_set h = {NULL, 0, 0};
    tts_lookup_query q;
    tts_val *items;
    tts_status rc = TTS_OK;
    *out = list_of(NULL, 0);
    if (ev->opts->lookup == NULL)
        return TTS_OK; /* screening without lists (--no-lists): the report says so */
    n_names = 1;
    if (a[0].k == TTS_T_PARTY || (a[0].k == TTS_T_FUNDING &&
                                  ((const tts_funding *)a[0].u.p)->from_party != NULL)) {
        const tts_party *p = a[0].k == TTS_T_PARTY
                                 ? a[0].u.p
                                 : ((const tts_funding *)a[0].u.p)->from_party;
        n_names += p->n_aliases + p->n_identifiers;
    }
    names = tts_arena_calloc(ev->arena, n_names, sizeof(*names));
    if (names == NULL)
        return tts_eval_nomem(ev);
    n_names = listed_names(&a[0], names, n_names, &country, &want);
    if (n_names == 0)
        return TTS_OK;
    if (a[0].k == TTS_T_PERSON && ((const tts_person *)a[0].u.p)->n_nationality > 1) {
        /* every nationality qualifies the name: "CN;RU" */
        const tts_person *per = a[0].u.p;
        char *cs = tts_arena_calloc(ev->arena, per->n_nationality, 3);
        if (cs == NULL)
            return tts_eval_nomem(ev);
        for (size_t i = 0; i < per->n_nationality; i++) {
            memcpy(cs + 3 * i, per->nationality[i], 2);
            cs[3 * i + 2] = i + 1 < per->n_nationality ? ';' : '\0';
        }
        country = cs;
    }
    for (size_t i = first; i < n; i++) {
        int opt;
        if (a[i].k != TTS_T_STR)
            continue;
        opt = tts_ops_listed_option(a[i].u.s, &algorithm);
        if (opt < 0) /* the checker refuses a literal; this is a computed string */
            return tts_err_set(ev->err, TTS_ERR_ARG,
                               "record \"%s\": %s(): unknown option \"%.60s\" (algorithm=default "
                               "or algorithm=ofac)",
                               ev->rec->id, c->name, a[i].u.s);
        if (opt == 0)
            sources[n_src++] = a[i].u.s;
    }
    if (algorithm != TTS_ALGORITHM_DEFAULT && ev->opts->lookup_algo == NULL &&
        ev->opts->lookup_query == NULL)
        /* fail closed: never answer an OFAC-mode question with the default scores */
        return tts_err_set(ev->err, TTS_ERR_ARG,
                           "record \"%s\": %s(): this screening's list lookup has no "
                           "algorithm=ofac",
                           ev->rec->id, c->name);
    /* the memo key: the sources and the algorithm asked */
    for (size_t i = 0; i < n_src; i++)
        keys[n_keys++] = sources[i];
    if (algorithm != TTS_ALGORITHM_DEFAULT)
        keys[n_keys++] = "\001algorithm=ofac";
    if (memo_find(ev, a[0].u.p, threshold, keys, n_keys, out))
        return TTS_OK; /* the same question was asked earlier in this scan */
    if (lookup_query_of(ev, &a[0], country, sources, n_src, threshold, algorithm, &q) != 0)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < n_names && rc == TTS_OK; i++) {
        /* the lists know no record: name the record and the name's path in the message */
        tts_match *hits = NULL;
        size_t n_hits = 0;
        tts_error lerr;
        char *path = name_path(ev, &a[0], &names[i]);
        if (path == NULL) {
            rc = tts_eval_nomem(ev);
            break;
        }
        tts_error_clear(&lerr);
        if (names[i].ident != NULL) {
            if (ev->opts->lookup_ident == NULL)
                continue; /* no identifier lookup: the names are still screened */
            rc = ev->opts->lookup_ident(ev->opts->lookup_ident_user, names[i].ident,
                                        names[i].text, &hits, &n_hits, &lerr);
        } else {
            q.name = names[i].text;
            rc = name_lookup(ev, a[0].u.p, &q, sources, n_src, &hits, &n_hits, &lerr);
        }
        if (rc != TTS_OK) {
            tts_matches_free(hits, n_hits);
            tts_err_set(ev->err, rc, "record \"%s\": %s: list lookup: %s", ev->rec->id, path,
                        lerr.message);
            break;
        }
        /* identifiers identify: no entity-type filter for them */
        if (hit_set_take(ev, &h, hits, n_hits, names[i].ident != NULL ? NULL : want, sources,
                         n_src, path, names[i].text) != 0)
            rc = tts_eval_nomem(ev);
    }
    if (rc != TTS_OK) {
        hit_set_free(&h);
        return rc;
    }
    if (h.n > 1)
        qsort(h.m, h.n, sizeof(*h.m), match_order);
    items = h.n ? tts_arena_calloc(ev->keep, h.n, sizeof(tts_val)) : NULL;
    for (size_t i = 0; items != NULL && i < h.n; i++) {
        tts_match *m = match_to_arena(ev, &h.m[i]);
        if (m == NULL) {
            items = NULL;
            break;
        }
        items[i] = tts_val_elem(TTS_T_MATCH, m, NULL);
    }
    if (h.n > 0 && items == NULL) {
        hit_set_free(&h);
        return tts_eval_nomem(ev);
    }
    *out = list_of(items, h.n);
    hit_set_free(&h);
    return memo_add(ev, a[0].u.p, threshold, keys, n_keys, out);
}

/* sources(matches): the list sources of the matches, each once, in order. */
static tts_status fn_sources(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    tts_val *items;
    size_t k = 0;
    (void)c;
    (void)n;
    *out = list_of(NULL, 0);
    if (a[0].k != TTS_T_LIST || a[0].n == 0)
        return TTS_OK;
    items = tts_arena_calloc(ev->arena, a[0].n, sizeof(tts_val));
    if (items == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < a[0].n; i++) {
        const tts_match *m = a[0].u.items[i].u.p;
        int seen = 0;
        if (a[0].u.items[i].k != TTS_T_MATCH || m->source == NULL)
            continue;
        for (size_t j = 0; j < k && !seen; j++)
            seen = strcmp(items[j].u.s, m->source) == 0;
        if (!seen)
            items[k++] = tts_val_str(m->source);
    }
    *out = list_of(items, k);
    return TTS_OK;
}

/*
 * licensed(t, who): t carries a licence that had not expired on the
 * transfer date (the as-of date for an undated transfer) and names `who`
 * (a licence without `covers` names the transfer's recipient).
 */
static tts_status fn_licensed(tts_eval *ev, const tts_node *c, cval *a, size_t n, tts_val *out)
{
    const tts_transfer *t;
    const tts_licence *l;
    tts_date when;
    int covered = 0;
    (void)c;
    (void)n;
    *out = tts_val_bool(0);
    if (a[0].k != TTS_T_TRANSFER || (a[1].k != TTS_T_PARTY && a[1].k != TTS_T_PERSON))
        return TTS_OK;
    t = a[0].u.p;
    l = t->licence;
    if (l == NULL)
        return TTS_OK;
    when = t->date.y != 0 ? t->date : ev->as_of;
    if (l->expires.y != 0 && tts_date_cmp(l->expires, when) < 0)
        return TTS_OK;
    if (l->has_covers) {
        for (size_t i = 0; i < l->n_covers && !covered; i++)
            covered = l->covers[i] == a[1].u.p;
    } else {
        covered = a[1].u.p == (const void *)t->to_party || a[1].u.p == (const void *)t->to_person;
    }
    *out = tts_val_bool(covered);
    return TTS_OK;
}

/* ---- the table ------------------------------------------------------------------------ */

#define MANY SIZE_MAX

static const tts_builtin builtins[] = {
    {"exists",
     {T(ANY)},
     1,
     1,
     T(BOOL),
     "exists(any) -> bool",
     "true when the value is present (not null)",
     fn_exists,
     NULL,
     0},
    {"len",
     {TL(ERR)},
     1,
     1,
     T(NUM),
     "len(list) -> number",
     "number of items in a list",
     fn_len,
     NULL,
     0},
    {"lower",
     {T(STR)},
     1,
     1,
     T(STR),
     "lower(string) -> string",
     "ASCII lower case",
     fn_lower,
     NULL,
     0},
    {"upper",
     {T(STR)},
     1,
     1,
     T(STR),
     "upper(string) -> string",
     "ASCII upper case",
     fn_upper,
     NULL,
     0},
    {"contains",
     {T(STR), T(STR)},
     2,
     2,
     T(BOOL),
     "contains(string, string) -> bool",
     "true when the second string occurs in the first (case-sensitive)",
     fn_contains,
     NULL,
     1},
    {"starts_with",
     {T(STR), T(STR)},
     2,
     2,
     T(BOOL),
     "starts_with(string, string) -> bool",
     "true when the first string begins with the second",
     fn_starts_with,
     NULL,
     1},
    {"matches",
     {T(STR), T(REGEX)},
     2,
     2,
     T(BOOL),
     "matches(string, /regex/flags) -> bool",
     "PCRE2 search (flags i m s x u), compiled at load, match-limited",
     fn_matches,
     NULL,
     1},
    {"intersects",
     {TL(ERR), TL(ERR)},
     2,
     2,
     T(BOOL),
     "intersects(list, list) -> bool",
     "true when the lists share an item",
     fn_intersects,
     NULL,
     1},
    {"join",
     {TL(ERR), T(STR)},
     2,
     2,
     T(STR),
     "join(list, string) -> string",
     "items as text (names for parties, people, technologies) joined by the separator",
     fn_join,
     NULL,
     0},
    {"text",
     {T(ANY)},
     1,
     1,
     T(STR),
     "text(any) -> string",
     "the value as a message prints it (dates YYYY-MM-DD, parties by name); \"\" for null",
     fn_text,
     NULL,
     0},
    {"days_between",
     {T(DATE), T(DATE)},
     2,
     2,
     T(NUM),
     "days_between(date, date) -> number",
     "days from the first date to the second (negative when the second is earlier)",
     fn_days_between,
     NULL,
     0},
    {"add_days",
     {T(DATE), T(NUM)},
     2,
     2,
     T(DATE),
     "add_days(date, number) -> date",
     "the date moved by a number of days",
     fn_add_days,
     NULL,
     0},
    {"add_months",
     {T(DATE), T(NUM)},
     2,
     2,
     T(DATE),
     "add_months(date, number) -> date",
     "the date moved by calendar months (day clamped to the month's end)",
     fn_add_months,
     NULL,
     0},
    {"add_years",
     {T(DATE), T(NUM)},
     2,
     2,
     T(DATE),
     "add_years(date, number) -> date",
     "the date moved by calendar years (29 Feb becomes 28 Feb)",
     fn_add_months,
     NULL,
     0},
    {"resident_jp",
     {T(ACTOR)},
     1,
     1,
     T(BOOL),
     "resident_jp(actor) -> bool",
     "FEFTA resident as of the screening date (employed in Japan: at once; else 6 months' "
     "stay; parties: head office in Japan)",
     fn_resident_jp,
     NULL,
     1},
    {"group_jp",
     {TD(STR, COUNTRY)},
     1,
     1,
     TD(STR, JP_GROUP),
     "group_jp(country) -> string",
     "Japan's export-control country group A, B, C or D as of the screening date (null for JP)",
     fn_group_jp,
     NULL,
     0},
    {"concern",
     {TD(STR, COUNTRY)},
     1,
     1,
     T(BOOL),
     "concern(country) -> bool",
     "true when the country is in the rule files' set concern_countries",
     fn_concern,
     "concern_countries",
     1},
    {"tier",
     {T(PARTY)},
     1,
     1,
     T(NUM),
     "tier(party) -> number",
     "hops from screened_for through transfers and subcontracts (0 for itself, null when "
     "unreachable)",
     fn_tier,
     NULL,
     0},
    {"path",
     {T(PARTY)},
     1,
     1,
     TL(PARTY),
     "path(party) -> list of party",
     "parties from screened_for to the party (shortest, in record order)",
     fn_path,
     NULL,
     0},
    {"hops",
     {T(PARTY)},
     1,
     1,
     TL(TRANSFER),
     "hops(party) -> list of transfer",
     "the transfers along path(party) (subcontract relations carry none)",
     fn_path,
     NULL,
     0},
    {"owners",
     {T(PARTY)},
     1,
     1,
     TL(PARTY),
     "owners(party) -> list of party",
     "parties holding shares of the party directly (owns relations)",
     fn_owners,
     NULL,
     0},
    {"owned_percent",
     {TL(PARTY), T(PARTY)},
     2,
     2,
     T(NUM),
     "owned_percent(list of party, party) -> number",
     "aggregate direct and indirect percentage of the party held by the owners (cycle-safe)",
     fn_owned_percent,
     NULL,
     0},
    {"fields",
     {T(TECH)},
     1,
     1,
     TL(STR),
     "fields(technology) -> list of string",
     "the record's dual-use fields, else the labels of the rule files' 'classify fields' table",
     fn_fields,
     NULL,
     1},
    {"listed",
     {T(NAMED), T(STR), T(STR)},
     1,
     MANY,
     TL(MATCH),
     "listed(named, source...) -> list of match",
     "denied-party list entries matching any of its names (a party's name, aliases and "
     "identifiers; a person's name; an affiliation's organisation; a funding source), score >= "
     "0.85, optionally only the given sources; persons match only entries of persons or of "
     "unknown type, organisations only organisations or unknown; a string \"algorithm=ofac\" "
     "among the sources scores as OFAC's Sanctions List Search (docs/name-matching.md)",
     fn_listed,
     NULL,
     1},
    {"listed_at",
     {T(NAMED), T(NUM), T(STR)},
     2,
     MANY,
     TL(MATCH),
     "listed_at(named, number, source...) -> list of match",
     "as listed(), with an explicit score threshold in [0,1]",
     fn_listed,
     NULL,
     1},
    {"sources",
     {TL(MATCH)},
     1,
     1,
     TL(STR),
     "sources(list of match) -> list of string",
     "the list sources of the matches, each once, in order",
     fn_sources,
     NULL,
     0},
    {"licensed",
     {T(TRANSFER), T(ACTOR)},
     2,
     2,
     T(BOOL),
     "licensed(transfer, actor) -> bool",
     "the transfer's licence names the actor and had not expired on the transfer date",
     fn_licensed,
     NULL,
     1},
};

const tts_builtin *tts_ops_all(size_t *n)
{
    *n = sizeof(builtins) / sizeof(builtins[0]);
    return builtins;
}

const tts_builtin *tts_ops_find(const char *name)
{
    for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}
