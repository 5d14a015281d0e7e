/* SPDX-License-Identifier: MIT */
/*
 * ISO 3166-1 alpha-2 country codes. The shape check is the contract's
 * minimum: two upper-case ASCII letters.
 */
#include "model.h"

int tts_country_is_valid(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] == '\0';
}
