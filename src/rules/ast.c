/* SPDX-License-Identifier: MIT */
/*
 * Syntax-tree allocation for the rule language (see ast.h).
 */
#include "rules/ast.h"

tts_node *tts_ast_node(tts_arena *a, tts_nkind kind, int line, int col, size_t off, size_t len)
{
    tts_node *n = tts_arena_alloc(a, sizeof(tts_node));
    if (n == NULL)
        return NULL;
    n->kind = (unsigned char)kind;
    n->line = line;
    n->col = col;
    n->off = off;
    n->len = len;
    n->nline = line;
    n->ncol = col;
    n->noff = off;
    n->nlen = len;
    n->lit = tts_val_null();
    n->slot = -1;
    return n;
}
