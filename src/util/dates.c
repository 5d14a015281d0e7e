/* SPDX-License-Identifier: MIT */
/*
 * The one calendar of the library (dates.h): ISO dates, day numbers in the
 * proleptic Gregorian calendar (Howard Hinnant's civil-from-days and
 * days-from-civil), month arithmetic, and the public date helpers of
 * ttscreen.h. Records, rules, lists and signatures all count days here.
 */
#include "util/dates.h"

#include <stdio.h>
#include <string.h>

#include "ttscreen.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int tts_days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int tts_date_parse(const char *s, tts_date *out)
{
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    const char *p = s;
    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < width[f]; i++, p++) {
            if (*p < '0' || *p > '9')
                return 0;
            v[f] = v[f] * 10 + (*p - '0');
        }
        if (f < 2 && *p++ != '-')
            return 0;
    }
    if (*p != '\0' || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > tts_days_in_month(v[0], v[1]))
        return 0;
    out->y = v[0];
    out->m = v[1];
    out->d = v[2];
    return 1;
}

void tts_date_format(tts_date d, char out[11])
{
    if (d.y == 0)
        out[0] = '\0';
    else
        snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
                 (unsigned)d.d % 100u);
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian calendar. */
long tts_date_days(tts_date d)
{
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int tts_date_cmp(tts_date a, tts_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

/* The calendar date at the start of s ("YYYY-MM-DD" or RFC 3339); 1 on success. */
static int date_prefix(const char *s, tts_date *out)
{
    char d[11];
    if (s == NULL || strlen(s) < 10 || (s[10] != '\0' && s[10] != 'T' && s[10] != 't' &&
                                        s[10] != ' '))
        return 0;
    memcpy(d, s, 10);
    d[10] = '\0';
    return tts_date_parse(d, out);
}

tts_status tts_days_between(const char *from, const char *to, long *days)
{
    tts_date a, b;
    if (!date_prefix(from, &a) || !date_prefix(to, &b))
        return TTS_ERR_ARG;
    *days = tts_date_days(b) - tts_date_days(a);
    return TTS_OK;
}

tts_status tts_date_check(const char *s)
{
    tts_date d;
    return tts_date_parse(s, &d) ? TTS_OK : TTS_ERR_ARG;
}

tts_date tts_date_from_days(long days)
{
    /* Civil-from-days (proleptic Gregorian), days since 1970-01-01. */
    long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    tts_date r;
    r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    r.y = (int)(yoe + era * 400 + (r.m <= 2));
    if (r.y < 1 || r.y > 9999)
        r.y = r.m = r.d = 0;
    return r;
}

/* Add months, clamping the day to the month's length (31 Aug + 6 months = 28/29 Feb). */
tts_date tts_date_add_months(tts_date d, long months)
{
    long total = (long)d.y * 12 + (d.m - 1) + months;
    tts_date r;
    if (total < 12 || total > 9999L * 12 + 11)
        return (tts_date){0, 0, 0};
    r.y = (int)(total / 12);
    r.m = (int)(total % 12) + 1;
    r.d = d.d > tts_days_in_month(r.y, r.m) ? tts_days_in_month(r.y, r.m) : d.d;
    return r;
}
