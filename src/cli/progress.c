/* SPDX-License-Identifier: MIT */
/*
 * One progress line on standard error for long work (batch search, batch
 * screen, rescreen, list import and update): "WHAT: DONE[/TOTAL] ROWS,
 * N/s[, about S s left]", rewritten in place with a carriage return a few
 * times a second and erased at the end, so the lines printed afterwards
 * (and standard output, which it never touches) read as without it. Shown
 * only when standard error is a terminal and --quiet is not given: a pipe,
 * a file or a scheduler's log never receives it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* At most this many updates a second. */
#define PROGRESS_HZ 4

/* The line on the terminal now, if any: an error message erases it first. */
static cli_progress *active;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *what, const char *unit, long total,
                        int quiet)
{
    memset(p, 0, sizeof(*p));
    p->what = what;
    p->unit = unit;
    p->total = total;
    p->on = !quiet && isatty(STDERR_FILENO);
    p->start = p->last = now_s();
    if (p->on) {
        /* the line appears at once, so that even short work shows it has begun */
        fprintf(stderr, "\r%s: 0 %s\033[K", p->what, p->unit);
        fflush(stderr);
        p->shown = 1;
        active = p;
    }
}

void cli_progress_interrupt(void)
{
    if (active != NULL && active->on && active->shown) {
        fputs("\r\033[K", stderr);
        active->last = 0; /* drawn again at the next step */
    }
}

void cli_progress_step(cli_progress *p, long done)
{
    double t, rate;
    if (!p->on)
        return;
    t = now_s();
    if (t - p->last < 1.0 / PROGRESS_HZ)
        return;
    p->last = t;
    rate = t > p->start ? (double)done / (t - p->start) : 0;
    if (p->total > 0)
        fprintf(stderr, "\r%s: %ld/%ld %s, %.0f/s", p->what, done, p->total, p->unit, rate);
    else
        fprintf(stderr, "\r%s: %ld %s, %.0f/s", p->what, done, p->unit, rate);
    if (p->total > done && rate > 0)
        fprintf(stderr, ", about %.0f s left", (double)(p->total - done) / rate);
    fputs("\033[K", stderr);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->on && p->shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    p->on = 0;
    if (active == p)
        active = NULL;
}
