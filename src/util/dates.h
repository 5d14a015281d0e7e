/* SPDX-License-Identifier: MIT */
/*
 * Calendar dates: the one place that knows the calendar (proleptic
 * Gregorian, years 1 to 9999). Public helpers built on it
 * (tts_days_between, tts_date_check) are declared in ttscreen.h.
 */
#ifndef TTS_DATES_H
#define TTS_DATES_H

/* A calendar date; y == 0 means absent. Always a real date when present. */
typedef struct tts_date {
    int y, m, d;
} tts_date;

/* Parse exactly "YYYY-MM-DD" as a real calendar date; 1 on success, 0 otherwise. */
int tts_date_parse(const char *s, tts_date *out /* OUT */);
/* Format into out[11]; "" when absent. */
void tts_date_format(tts_date d, char out[11]);
/* Days since 1970-01-01 (negative before). d must be present. */
long tts_date_days(tts_date d);
/* The date `days` days after 1970-01-01; absent (y == 0) outside years 1 to 9999. */
tts_date tts_date_from_days(long days);
/* Add months, clamping the day to the month's length (31 Aug + 6 months = 28/29 Feb);
 * absent outside years 1 to 9999. */
tts_date tts_date_add_months(tts_date d, long months);
/* <0, 0, >0 as a is before, equal to, after b. */
int tts_date_cmp(tts_date a, tts_date b);
/* Days of month m (1-12) of year y. */
int tts_days_in_month(int y, int m);

#endif
