/* SPDX-License-Identifier: MIT */
/*
 * HTML audit report. The page is built in one pass into a tts_buf: header
 * (verdict, record, dates, rule set, lists), the subcontractor chain and
 * ownership graph as inline SVG with the parties that carry findings
 * marked, findings grouped by severity, list matches, and how to check the
 * signature. Invariants: every string from the input goes through
 * tts_html_escape(); the page loads nothing (a Content-Security-Policy of
 * default-src 'none' backs this up); the graph is bounded (MAX_NODES,
 * MAX_EDGES) and laid out by breadth-first tiers from the screened party,
 * so cycles cannot loop.
 */
#include "report/html.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"
#include "record/model.h"
#include "sign/ossl.h"

#define MAX_NODES 300
#define MAX_EDGES 2000
#define NAME_CHARS 26
#define COL_W 290
#define ROW_H 66
#define BOX_W 190
#define BOX_H 46
#define MARGIN 24

void tts_html_escape(tts_buf *b, const char *s)
{
    const char *run = s;
    if (s == NULL)
        return;
    for (const char *p = s;; p++) {
        unsigned char c = (unsigned char)*p;
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\n' && c != '\t' && c != 0) || c == 0x7f)
                rep = "&#xFFFD;";
        }
        if (rep == NULL && c != 0)
            continue;
        tts_buf_append(b, run, (size_t)(p - run));
        if (c == 0)
            return;
        tts_buf_puts(b, rep);
        run = p + 1;
    }
}

/* Escape at most `chars` UTF-8 characters of s, adding an ellipsis when cut. */
static void escape_short(tts_buf *b, const char *s, size_t chars)
{
    size_t n = 0, i = 0, len;
    char *cut;
    if (s == NULL)
        return;
    len = strlen(s);
    while (i < len && n < chars) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    if (i >= len) {
        tts_html_escape(b, s);
        return;
    }
    cut = tts_strndup(s, i);
    if (cut == NULL) {
        b->failed = 1;
        return;
    }
    tts_html_escape(b, cut);
    tts_buf_puts(b, "\xe2\x80\xa6");
    tts_free(cut);
}

static void tag_text(tts_buf *b, const char *tag, const char *cls, const char *s)
{
    tts_buf_printf(b, "<%s", tag);
    if (cls != NULL)
        tts_buf_printf(b, " class=\"%s\"", cls);
    tts_buf_putc(b, '>');
    tts_html_escape(b, s);
    tts_buf_printf(b, "</%s>", tag);
}

/* One <dt>/<dd> pair; an absent value shows as a dash. */
static void dl_item(tts_buf *b, const char *term, const char *value)
{
    tts_buf_printf(b, "<dt>%s</dt><dd>", term);
    if (value != NULL && value[0] != '\0')
        tts_html_escape(b, value);
    else
        tts_buf_puts(b, "&mdash;");
    tts_buf_puts(b, "</dd>\n");
}

static const char css[] =
    "<style>\n"
    ":root{--crit:#a40000;--high:#d2400b;--med:#b07800;--low:#3a6ea5;--info:#666;"
    "--clear:#1f7a1f}\n"
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;"
    "max-width:60rem;padding:1rem 1.5rem;color:#1a1a1a;line-height:1.45}\n"
    "header{border-left:.6rem solid var(--info);padding:.2rem 1rem;margin-bottom:1rem}\n"
    "header.blocked{border-color:var(--crit)}header.review{border-color:var(--med)}"
    "header.clear{border-color:var(--clear)}\n"
    ".verdict{font-size:1.5rem;font-weight:700;text-transform:uppercase;margin:.2rem 0}\n"
    ".blocked .verdict{color:var(--crit)}.review .verdict{color:var(--med)}"
    ".clear .verdict{color:var(--clear)}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}\n"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
    "code,.hash{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85em;"
    "overflow-wrap:anywhere}\n"
    "table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.9rem}\n"
    "th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}\nth{background:#eee}\n"
    ".finding{border:1px solid #ccc;border-left:.4rem solid var(--info);padding:.4rem .8rem;"
    "margin:.6rem 0;break-inside:avoid}\n"
    ".sev-critical{border-left-color:var(--crit)}.sev-high{border-left-color:var(--high)}"
    ".sev-medium{border-left-color:var(--med)}.sev-low{border-left-color:var(--low)}\n"
    ".finding h4{margin:.1rem 0}.rule{color:#555;font-size:.85rem;margin:0}\n"
    ".graph{overflow-x:auto;border:1px solid #ddd}.graph svg{max-width:100%;height:auto}"
    "svg text{font-size:12px;"
    "font-family:system-ui,sans-serif}\n"
    "svg .box{fill:#fff;stroke:#555;stroke-width:1.2}svg .screened .box{stroke:#000;"
    "stroke-width:3}\n"
    "svg .mark-critical .box{stroke:var(--crit);stroke-width:3;fill:#fde8e8}"
    "svg .mark-high .box{stroke:var(--high);stroke-width:3;fill:#fdeee6}\n"
    "svg .mark-medium .box{stroke:var(--med);stroke-width:2.5;fill:#fdf6e3}"
    "svg .mark-low .box,svg .mark-info .box{stroke:var(--low);stroke-width:2}\n"
    "svg .person .box{rx:18px}svg .edge{fill:none;stroke:#335;stroke-width:1.3}\n"
    "svg .own{stroke-dasharray:6 3;stroke:#6a3d9a}svg .xfer{stroke:#1f5fa8;stroke-width:2}\n"
    "svg .other{stroke-dasharray:2 3}svg .lbl{font-size:10px;fill:#333;paint-order:stroke;stroke:#fff;stroke-width:3px}"
    "svg .sub{font-size:10px;fill:#444}\n"
    ".legend span{margin-right:1rem;font-size:.85rem}\n"
    "pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere}\n"
    "@media print{body{max-width:none;padding:0;font-size:10.5pt}"
    "header,.finding,svg *{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "section{break-inside:auto}h2,h3{break-after:avoid}.graph{overflow:visible;border:0}"
    "a{color:inherit;text-decoration:none}}\n"
    "</style>\n";

/* ------------------------------------------------------------------ graph */

typedef struct gnode {
    const char *id;
    const char *name;
    const char *country;
    const char *type;
    int layer, row;
    int mark; /* highest severity of a finding about it, -1 none */
} gnode;

typedef struct gedge {
    int from, to;
    const char *cls;
    char label[96];
} gedge;

typedef struct graph {
    gnode *nodes;
    size_t n_nodes;
    size_t n_parties; /* nodes[0..n_parties) are the record's parties */
    gedge *edges;
    size_t n_edges;
    int n_layers, max_rows;
} graph;

static int party_node(const tts_party *p)
{
    return p != NULL ? (int)p->index : -1;
}

/* People who receive transfers are drawn too, after the parties. */
static int person_node(graph *g, const tts_record *rec, const tts_person *p)
{
    const char *id = p->id;
    for (size_t i = g->n_parties; i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].id, id) == 0)
            return (int)i;
    if (g->n_nodes >= MAX_NODES)
        return -1;
    (void)rec;
    g->nodes[g->n_nodes].id = p->id;
    g->nodes[g->n_nodes].name = p->name;
    g->nodes[g->n_nodes].country = p->n_nationality > 0 ? p->nationality[0] : "";
    g->nodes[g->n_nodes].type = "person";
    g->nodes[g->n_nodes].mark = -1;
    return (int)g->n_nodes++;
}

static void add_edge(graph *g, int from, int to, const char *cls, const char *label)
{
    gedge *e;
    if (from < 0 || to < 0 || g->n_edges >= MAX_EDGES)
        return;
    e = &g->edges[g->n_edges++];
    e->from = from;
    e->to = to;
    e->cls = cls;
    snprintf(e->label, sizeof(e->label), "%s", label);
}

/* Index after a JSON-path prefix such as "$.parties[", or -1. */
static long subject_index(const char *subject, const char *prefix)
{
    size_t n = strlen(prefix);
    char *end = NULL;
    long v;
    if (subject == NULL || strncmp(subject, prefix, n) != 0)
        return -1;
    v = strtol(subject + n, &end, 10);
    return end != subject + n && *end == ']' && v >= 0 ? v : -1;
}

static void mark(graph *g, int node, int sev)
{
    if (node >= 0 && (size_t)node < g->n_nodes && g->nodes[node].mark < sev)
        g->nodes[node].mark = sev;
}

static int node_by_id(const graph *g, const char *id)
{
    for (size_t i = 0; id != NULL && i < g->n_nodes; i++)
        if (strcmp(g->nodes[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* Which drawn party or person each finding is about. */
static void mark_findings(graph *g, const tts_record *rec, const tts_findings *fs)
{
    for (size_t i = 0; fs != NULL && i < tts_findings_count(fs); i++) {
        const tts_finding *f = tts_findings_get(fs, i);
        int sev = (int)f->severity;
        long k;
        if (f->cleared != NULL)
            continue; /* cleared by a reviewer: not a mark on the graph */
        if (f->n_path > 0)
            mark(g, node_by_id(g, f->path[f->n_path - 1]), sev);
        if ((k = subject_index(f->subject, "$.parties[")) >= 0 && (size_t)k < rec->n_parties)
            mark(g, (int)k, sev);
        if ((k = subject_index(f->subject, "$.relations[")) >= 0 && (size_t)k < rec->n_relations)
            mark(g, party_node(rec->relations[k].to), sev);
        if ((k = subject_index(f->subject, "$.transfers[")) >= 0 && (size_t)k < rec->n_transfers) {
            const tts_transfer *t = &rec->transfers[k];
            mark(g, t->to_party != NULL ? party_node(t->to_party)
                                        : node_by_id(g, t->to_person ? t->to_person->id : NULL),
                 sev);
        }
        if ((k = subject_index(f->subject, "$.people[")) >= 0 && (size_t)k < rec->n_people)
            mark(g, node_by_id(g, rec->people[k].id), sev);
    }
}

/* Breadth-first tiers from the screened party over edges in both directions. */
static tts_status layout(graph *g, int root)
{
    int *queue = tts_calloc(g->n_nodes + 1, sizeof(int));
    int *rows = tts_calloc(g->n_nodes + 2, sizeof(int));
    size_t head = 0, tail = 0;
    int max_layer = 0;
    if (queue == NULL || rows == NULL) {
        tts_free(queue);
        tts_free(rows);
        return TTS_ERR_NOMEM;
    }
    for (size_t i = 0; i < g->n_nodes; i++)
        g->nodes[i].layer = -1;
    if (root >= 0) {
        g->nodes[root].layer = 0;
        queue[tail++] = root;
    }
    while (head < tail) {
        int u = queue[head++];
        for (size_t e = 0; e < g->n_edges; e++) {
            int v = g->edges[e].from == u ? g->edges[e].to
                                          : g->edges[e].to == u ? g->edges[e].from : -1;
            if (v >= 0 && g->nodes[v].layer < 0) {
                g->nodes[v].layer = g->nodes[u].layer + 1;
                if (g->nodes[v].layer > max_layer)
                    max_layer = g->nodes[v].layer;
                queue[tail++] = v;
            }
        }
    }
    /* Parties not connected to the screened one get a column of their own. */
    for (size_t i = 0; i < g->n_nodes; i++)
        if (g->nodes[i].layer < 0)
            g->nodes[i].layer = root >= 0 && tail < g->n_nodes ? max_layer + 1 : 0;
    g->n_layers = 0;
    g->max_rows = 0;
    for (size_t i = 0; i < g->n_nodes; i++) {
        int l = g->nodes[i].layer;
        g->nodes[i].row = rows[l]++;
        if (rows[l] > g->max_rows)
            g->max_rows = rows[l];
        if (l + 1 > g->n_layers)
            g->n_layers = l + 1;
    }
    tts_free(queue);
    tts_free(rows);
    return TTS_OK;
}

static tts_status build_graph(graph *g, const tts_record *rec, const tts_findings *fs)
{
    char label[96];
    memset(g, 0, sizeof(*g));
    if (rec->n_parties > MAX_NODES)
        return TTS_ERR_LIMIT;
    g->nodes = tts_calloc(MAX_NODES, sizeof(gnode));
    g->edges = tts_calloc(MAX_EDGES, sizeof(gedge));
    if (g->nodes == NULL || g->edges == NULL)
        return TTS_ERR_NOMEM;
    for (size_t i = 0; i < rec->n_parties; i++) {
        const tts_party *p = &rec->parties[i];
        g->nodes[i].id = p->id;
        g->nodes[i].name = p->name;
        g->nodes[i].country = p->country;
        g->nodes[i].type = tts_model_party_type_name(p->type);
        g->nodes[i].mark = -1;
    }
    g->n_nodes = g->n_parties = rec->n_parties;
    for (size_t i = 0; i < rec->n_relations; i++) {
        const tts_relation *r = &rec->relations[i];
        int own = r->type == TTS_REL_OWNS || r->type == TTS_REL_CONTROLS;
        int chain = r->type == TTS_REL_SUBCONTRACTS || r->type == TTS_REL_SUPPLIES;
        if (r->has_percent)
            snprintf(label, sizeof(label), "%s %.4g%%", tts_model_relation_type_name(r->type),
                     r->percent);
        else
            snprintf(label, sizeof(label), "%s", tts_model_relation_type_name(r->type));
        add_edge(g, party_node(r->from), party_node(r->to),
                 own ? "edge own" : chain ? "edge" : "edge other", label);
    }
    for (size_t i = 0; i < rec->n_transfers; i++) {
        const tts_transfer *t = &rec->transfers[i];
        int to = t->to_party != NULL ? party_node(t->to_party)
                 : t->to_person != NULL ? person_node(g, rec, t->to_person)
                                        : -1;
        snprintf(label, sizeof(label), "transfer %s", tts_model_form_name(t->form));
        add_edge(g, party_node(t->from), to, "edge xfer", label);
    }
    mark_findings(g, rec, fs);
    return layout(g, party_node(rec->screened_for));
}

static void graph_free(graph *g)
{
    tts_free(g->nodes);
    tts_free(g->edges);
}

static const char *sev_class(int sev)
{
    static const char *const names[] = {"info", "low", "medium", "high", "critical"};
    return sev >= 0 && sev <= 4 ? names[sev] : "none";
}

static void svg_edge(tts_buf *b, const graph *g, const gedge *e, size_t k)
{
    const gnode *a = &g->nodes[e->from], *c = &g->nodes[e->to];
    int ax = MARGIN + a->layer * COL_W, ay = MARGIN + a->row * ROW_H + BOX_H / 2;
    int cx = MARGIN + c->layer * COL_W, cy = MARGIN + c->row * ROW_H + BOX_H / 2;
    int x1, x2, mx, my;
    if (c->layer > a->layer) {
        x1 = ax + BOX_W;
        x2 = cx;
    } else if (c->layer < a->layer) {
        x1 = ax;
        x2 = cx + BOX_W;
    } else {
        x1 = ax + BOX_W;
        x2 = cx + BOX_W;
    }
    mx = (x1 + x2) / 2 + (c->layer == a->layer ? 40 : 0);
    my = (ay + cy) / 2 + (int)(k % 4) * 13 - 13;
    tts_buf_printf(b, "<path class=\"%s\" d=\"M%d %d Q%d %d %d %d\" marker-end=\"url(#arrow)\">"
                      "<title>",
                   e->cls, x1, ay, mx, my, x2, cy);
    tts_html_escape(b, a->id);
    tts_buf_puts(b, " \xe2\x86\x92 ");
    tts_html_escape(b, c->id);
    tts_buf_puts(b, ": ");
    tts_html_escape(b, e->label);
    tts_buf_printf(b, "</title></path>\n<text class=\"lbl\" x=\"%d\" y=\"%d\" "
                      "text-anchor=\"middle\">",
                   mx, my - 3);
    tts_html_escape(b, e->label);
    tts_buf_puts(b, "</text>\n");
}

static void svg_node(tts_buf *b, const graph *g, size_t i, int screened)
{
    const gnode *n = &g->nodes[i];
    int x = MARGIN + n->layer * COL_W, y = MARGIN + n->row * ROW_H;
    tts_buf_printf(b, "<g class=\"node%s%s%s%s\" data-id=\"", screened ? " screened" : "",
                   n->mark >= 0 ? " mark-" : "", n->mark >= 0 ? sev_class(n->mark) : "",
                   strcmp(n->type, "person") == 0 ? " person" : "");
    tts_html_escape(b, n->id);
    tts_buf_puts(b, "\"><title>");
    tts_html_escape(b, n->name);
    tts_buf_puts(b, " (");
    tts_html_escape(b, n->id);
    tts_buf_puts(b, ")</title>");
    tts_buf_printf(b, "<rect class=\"box\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>",
                   x, y, BOX_W, BOX_H);
    tts_buf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 8, y + 18);
    escape_short(b, n->name, NAME_CHARS);
    tts_buf_printf(b, "</text><text class=\"sub\" x=\"%d\" y=\"%d\">", x + 8, y + 35);
    escape_short(b, n->id, 14);
    tts_buf_puts(b, " \xc2\xb7 ");
    tts_html_escape(b, n->country[0] != '\0' ? n->country : "?");
    tts_buf_puts(b, " \xc2\xb7 ");
    tts_html_escape(b, n->type);
    if (n->mark >= 0)
        tts_buf_printf(b, " \xc2\xb7 \xe2\x9a\xa0 %s", sev_class(n->mark));
    tts_buf_puts(b, "</text></g>\n");
}

static void svg_graph(tts_buf *b, const graph *g, int root)
{
    int w = 2 * MARGIN + (g->n_layers > 0 ? (g->n_layers - 1) * COL_W + BOX_W : BOX_W) + 40;
    int h = 2 * MARGIN + (g->max_rows > 0 ? (g->max_rows - 1) * ROW_H + BOX_H : BOX_H);
    tts_buf_printf(b, "<div class=\"graph\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
                      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                      "aria-label=\"subcontractor chain and ownership graph\">\n",
                   w, h, w, h);
    tts_buf_puts(b, "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" "
                    "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                    "<path d=\"M0 0 L10 5 L0 10 z\" fill=\"#335\"/></marker></defs>\n");
    for (size_t e = 0; e < g->n_edges; e++)
        svg_edge(b, g, &g->edges[e], e);
    for (size_t i = 0; i < g->n_nodes; i++)
        svg_node(b, g, i, (int)i == root);
    tts_buf_puts(b, "</svg></div>\n<p class=\"legend\"><span>&#9632; thick black: screened "
                    "organisation</span><span>solid: subcontracts / supplies</span>"
                    "<span>blue: technology transfer</span><span>dashed purple: owns / "
                    "controls</span><span>dotted: employs / funds</span><span>coloured box: "
                    "party with a finding</span></p>\n");
}

/* The graph as a table too: readable in print and by screen readers. */
static void party_table(tts_buf *b, const graph *g)
{
    tts_buf_puts(b, "<table class=\"parties\"><thead><tr><th>Tier</th><th>Id</th><th>Name</th>"
                    "<th>Country</th><th>Type</th><th>Findings</th></tr></thead><tbody>\n");
    for (int l = 0; l < g->n_layers; l++)
        for (size_t i = 0; i < g->n_nodes; i++) {
            const gnode *n = &g->nodes[i];
            if (n->layer != l)
                continue;
            tts_buf_printf(b, "<tr><td>%d</td>", l);
            tag_text(b, "td", NULL, n->id);
            tag_text(b, "td", NULL, n->name);
            tag_text(b, "td", NULL, n->country);
            tag_text(b, "td", NULL, n->type);
            tag_text(b, "td", NULL, n->mark >= 0 ? sev_class(n->mark) : "");
            tts_buf_puts(b, "</tr>\n");
        }
    tts_buf_puts(b, "</tbody></table>\n");
}

static tts_status chain_section(tts_buf *b, const tts_report_input *in)
{
    graph g;
    tts_status rc = build_graph(&g, in->record, in->findings);
    int root = party_node(in->record->screened_for);
    tts_buf_puts(b, "<section id=\"chain\"><h2>Subcontractor chain and ownership</h2>\n");
    if (rc == TTS_ERR_LIMIT) {
        tts_buf_printf(b, "<p>The record has %zu parties, more than the %d this page draws.</p>"
                          "\n",
                       in->record->n_parties, MAX_NODES);
        rc = TTS_OK;
    } else if (rc == TTS_OK) {
        svg_graph(b, &g, root);
        party_table(b, &g);
    }
    tts_buf_puts(b, "</section>\n");
    graph_free(&g);
    return rc;
}

/* --------------------------------------------------------------- findings */

/* Party ids of a chain path shown with their names: "Acme KK (acme) → ...". */
static void finding_path(tts_buf *b, const tts_record *rec, const tts_finding *f)
{
    tts_buf_puts(b, "<dt>Path</dt><dd>");
    for (size_t i = 0; i < f->n_path; i++) {
        const char *name = NULL;
        for (size_t k = 0; k < rec->n_parties; k++)
            if (strcmp(rec->parties[k].id, f->path[i]) == 0)
                name = rec->parties[k].name;
        if (i > 0)
            tts_buf_puts(b, " \xe2\x86\x92 ");
        if (name != NULL) {
            tts_html_escape(b, name);
            tts_buf_puts(b, " (<code>");
            tts_html_escape(b, f->path[i]);
            tts_buf_puts(b, "</code>)");
        } else {
            tag_text(b, "code", NULL, f->path[i]);
        }
    }
    tts_buf_puts(b, "</dd>\n");
}

static void match_rows(tts_buf *b, const tts_finding *f, int with_rule)
{
    for (size_t i = 0; i < f->n_matches; i++) {
        const tts_match *m = &f->matches[i];
        tts_buf_puts(b, "<tr>");
        if (with_rule)
            tag_text(b, "td", "hash", f->rule);
        tag_text(b, "td", NULL, m->source);
        tag_text(b, "td", "hash", m->entry_id);
        tag_text(b, "td", NULL, m->name);
        tag_text(b, "td", NULL, m->matched);
        tts_buf_puts(b, "<td>");
        if (m->queried != NULL)
            tts_html_escape(b, m->queried);
        if (m->query != NULL) {
            tts_buf_puts(b, " <code>");
            tts_html_escape(b, m->query);
            tts_buf_puts(b, "</code>");
        }
        tts_buf_puts(b, "</td>");
        tts_buf_printf(b, "<td>%.2f", m->score);
        if (m->country_delta != 0.0 || m->ident_delta != 0.0 || m->exact_kept) {
            tts_buf_printf(b, " (name %.2f, country %+.2f", m->name_score, m->country_delta);
            if (m->ident_delta != 0.0)
                tts_buf_printf(b, ", identifier %+.2f", m->ident_delta);
            tts_buf_puts(b, ")");
        }
        tts_buf_puts(b, "</td></tr>\n");
    }
}

static const char match_head[] = "<th>List</th><th>Entry</th><th>Listed name</th>"
                                 "<th>Matched name or alias</th><th>Name in the deal</th><th>Score</th></tr></thead>"
                                 "<tbody>\n";

static void finding_html(tts_buf *b, const tts_record *rec, const tts_finding *f)
{
    tts_buf_printf(b, "<article class=\"finding sev-%s\">", sev_class((int)f->severity));
    tag_text(b, "h4", NULL, f->title);
    tts_buf_puts(b, "<p class=\"rule\"><code>");
    tts_html_escape(b, f->rule);
    tts_buf_printf(b, "</code> rev. %d &middot; %s &middot; ", f->revision,
                   sev_class((int)f->severity));
    tts_html_escape(b, f->citation);
    tts_buf_puts(b, "</p>\n");
    tag_text(b, "p", "message", f->message);
    if (f->cleared != NULL)
        tag_text(b, "p", "cleared", f->cleared);
    tts_buf_puts(b, "<dl class=\"meta\">");
    tts_buf_puts(b, "<dt>Subject</dt><dd><code>");
    tts_html_escape(b, f->subject);
    tts_buf_puts(b, "</code></dd>\n");
    if (f->n_path > 0)
        finding_path(b, rec, f);
    tts_buf_puts(b, "</dl>\n");
    if (f->n_evidence > 0) {
        tts_buf_puts(b, "<p>Evidence:</p><ul class=\"evidence\">");
        for (size_t i = 0; i < f->n_evidence; i++) {
            tts_buf_puts(b, "<li><code>");
            tts_html_escape(b, f->evidence[i]);
            tts_buf_puts(b, "</code></li>");
        }
        tts_buf_puts(b, "</ul>\n");
    }
    if (f->n_matches > 0) {
        tts_buf_printf(b, "<table class=\"matches\"><thead><tr>%s", match_head);
        match_rows(b, f, 0);
        tts_buf_puts(b, "</tbody></table>\n");
    }
    tts_buf_puts(b, "</article>\n");
}

static void findings_section(tts_buf *b, const tts_report_input *in)
{
    static const char *const heads[] = {"Info", "Low", "Medium", "High", "Critical"};
    const tts_findings *fs = in->findings;
    size_t n = fs != NULL ? tts_findings_count(fs) : 0, n_matches = 0, n_cleared = 0;
    for (size_t i = 0; i < n; i++)
        n_cleared += tts_findings_get(fs, i)->cleared != NULL;
    tts_buf_printf(b, "<section id=\"findings\"><h2>Findings (%zu)</h2>\n", n - n_cleared);
    if (n == n_cleared)
        tts_buf_puts(b, "<p>No rule matched this record.</p>\n");
    for (int sev = TTS_SEV_CRITICAL; sev >= TTS_SEV_INFO; sev--) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += (int)tts_findings_get(fs, i)->severity == sev && tts_findings_get(fs, i)->cleared == NULL;
        if (count == 0)
            continue;
        tts_buf_printf(b, "<h3 class=\"sev-%s\">%s (%zu)</h3>\n", sev_class(sev), heads[sev],
                       count);
        for (size_t i = 0; i < n; i++)
            if ((int)tts_findings_get(fs, i)->severity == sev && tts_findings_get(fs, i)->cleared == NULL)
                finding_html(b, in->record, tts_findings_get(fs, i));
    }
    if (n_cleared > 0) {
        /* reviewers' standing decisions: shown, not raised */
        tts_buf_printf(b, "<h3 class=\"cleared\">Cleared by reviewers (%zu)</h3>\n", n_cleared);
        for (size_t i = 0; i < n; i++)
            if (tts_findings_get(fs, i)->cleared != NULL)
                finding_html(b, in->record, tts_findings_get(fs, i));
    }
    tts_buf_puts(b, "</section>\n<section id=\"matches\"><h2>List matches</h2>\n");
    for (size_t i = 0; i < n; i++)
        n_matches += tts_findings_get(fs, i)->n_matches;
    if (n_matches == 0) {
        tts_buf_puts(b, "<p>No denied-party list entry matched.</p>\n");
    } else {
        tts_buf_printf(b, "<table class=\"matches\"><thead><tr><th>Rule</th>%s", match_head);
        for (size_t i = 0; i < n; i++)
            match_rows(b, tts_findings_get(fs, i), 1);
        tts_buf_puts(b, "</tbody></table>\n");
    }
    tts_buf_puts(b, "</section>\n");
}

/* ------------------------------------------------------------------ page */

static void header_section(tts_buf *b, const tts_report_input *in, const char *sha)
{
    const char *verdict = tts_findings_verdict(in->findings);
    tts_buf_printf(b, "<header class=\"%s\"><h1>Technology-transfer screening report</h1>\n"
                      "<p class=\"verdict\">Verdict: %s</p>\n<dl class=\"meta\">\n",
                   verdict, verdict);
    dl_item(b, "Record", tts_record_id(in->record));
    dl_item(b, "Title", tts_record_title(in->record));
    dl_item(b, "Kind", tts_record_kind(in->record));
    tts_buf_puts(b, "<dt>Record SHA-256</dt><dd class=\"hash\">");
    tts_html_escape(b, sha);
    tts_buf_puts(b, "</dd>\n");
    dl_item(b, "As of", in->as_of);
    dl_item(b, "Generated", in->generated_at);
    tts_buf_printf(b, "<dt>Rules</dt><dd>%zu rules, SHA-256 <span class=\"hash\">",
                   tts_rules_count(in->rules));
    tts_html_escape(b, tts_rules_sha256(in->rules));
    tts_buf_puts(b, "</span></dd>\n");
    dl_item(b, "Tool", in->tool_version != NULL ? in->tool_version : "ttscreen");
    tts_buf_puts(b, "</dl></header>\n");
}

static void lists_section(tts_buf *b, const tts_report_input *in)
{
    tts_buf_puts(b, "<section id=\"lists\"><h2>Lists consulted</h2>\n");
    if (in->no_lists) {
        tts_buf_puts(b, "<p class=\"no-lists\"><strong>Not consulted (--no-lists):</strong> no "
                        "name in this deal was screened against a denied-party list.</p>\n");
    } else if (in->n_lists == 0) {
        tts_buf_puts(b, "<p>No denied-party list was loaded for this screening.</p>\n");
    } else {
        tts_buf_puts(b, "<table><thead><tr><th>List</th><th>Entries</th><th>Version</th>"
                        "<th>SHA-256</th></tr></thead><tbody>\n");
        for (size_t i = 0; i < in->n_lists; i++) {
            const tts_list_info *l = &in->lists[i];
            tts_buf_puts(b, "<tr>");
            tag_text(b, "td", NULL, l->source);
            tts_buf_printf(b, "<td>%ld</td>", l->entries);
            tts_buf_puts(b, "<td>");
            if (l->fetched_at != NULL) {
                tts_buf_puts(b, "fetched ");
                tts_html_escape(b, l->fetched_at);
            } else if (l->imported_at != NULL) {
                tts_buf_puts(b, "imported ");
                tts_html_escape(b, l->imported_at);
            }
            if (l->transport != NULL && strcmp(l->transport, "http") == 0)
                tts_buf_puts(b, " <strong>over plain HTTP (not authenticated)</strong>");
            tts_buf_puts(b, "</td>");
            tag_text(b, "td", "hash", l->sha256);
            tts_buf_puts(b, "</tr>\n");
        }
        tts_buf_puts(b, "</tbody></table>\n");
    }
    tts_buf_puts(b, "</section>\n");
}

static void verify_section(tts_buf *b)
{
    tts_buf_puts(
        b, "<section id=\"verify\"><h2>Checking this report</h2>\n"
           "<p>When this file was written with <code>--sign</code>, a detached signature "
           "<code>REPORT.html.p7s</code> lies next to it. Anyone can check that this file is "
           "unchanged and who signed it, with stock OpenSSL:</p>\n"
           "<pre>openssl cms -verify -binary -inform PEM -in REPORT.html.p7s \\\n"
           "    -content REPORT.html -CAfile CERT.pem -purpose any &gt;/dev/null</pre>\n"
           "<p>or with ttscreen: <code>ttscreen verify REPORT.html --cert CERT.pem</code>. "
           "Any changed byte makes both fail.</p>\n</section>\n");
}

tts_status tts_html_render(const tts_report_input *in, tts_buf *out, tts_error *err)
{
    char sha[65];
    tts_status rc;
    if (in == NULL || in->record == NULL || in->rules == NULL || in->as_of == NULL ||
        in->generated_at == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "report: record, rules and dates are required");
    rc = tts_record_sha256(in->record, sha, err);
    if (rc != TTS_OK)
        return rc;
    tts_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                      "'none'; style-src 'unsafe-inline'\">\n"
                      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<meta name=\"generator\" content=\"ttscreen ");
    tts_html_escape(out, in->tool_version);
    tts_buf_puts(out, "\">\n<title>Screening report: ");
    tts_html_escape(out, tts_record_id(in->record));
    tts_buf_puts(out, "</title>\n");
    tts_buf_puts(out, css);
    tts_buf_puts(out, "</head><body>\n");
    header_section(out, in, sha);
    lists_section(out, in);
    rc = chain_section(out, in);
    if (rc == TTS_OK) {
        findings_section(out, in);
        verify_section(out);
        tts_buf_puts(out, "<footer><p>Generated by ttscreen ");
        tts_html_escape(out, in->tool_version);
        tts_buf_puts(out, ".</p></footer>\n</body></html>\n");
    }
    if (rc == TTS_ERR_NOMEM || tts_buf_failed(out))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory rendering the HTML report");
    return rc;
}
