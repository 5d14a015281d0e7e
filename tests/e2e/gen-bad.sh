#!/bin/sh
# SPDX-License-Identifier: MIT
#
# gen-bad.sh OUTDIR: write the malformed records that are too large to keep
# in the repository (deep nesting, huge strings, an oversized record) into
# OUTDIR, each NAME.json with its golden NAME.expected (first line: exit
# status; then the exact standard error). The messages name each file as
# OUTDIR/NAME.json, so the runner must pass the files by that same path:
#   ttscreen screen --no-store --as-of 2026-01-01 --format jsonl OUTDIR/NAME.json
# The limits exercised are those of src/util/limits.h: 64 levels of nesting,
# 1 MiB per string, 64 MiB per record.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=${1%/}
mkdir -p "$out"

# repeat CHAR COUNT: COUNT copies of one ASCII character, no newline.
repeat()
{
    head -c "$2" /dev/zero | tr '\0' "$1"
}

head_fields='"format":"ttscreen-record/1","kind":"supply","screened_for":"p"'
party='{"id":"p","name":"Example K.K.","country":"JP","type":"company"}'

# expect NAME MESSAGE: golden file for OUTDIR/NAME.json, exit status 2.
expect()
{
    printf '2\n%s\n' "$2" > "$out/$1.expected"
}

# 10,000 nested arrays inside an unknown field: the JSON parser's own depth
# bound stops it long before the stack could overflow.
{
    printf '{%s,"id":"deep-10000","parties":[%s],"nest":' "$head_fields" "$party"
    repeat '[' 10000
    repeat ']' 10000
    printf '}\n'
} > "$out/nesting-10000.json"
prefix_len=$(printf '{%s,"id":"deep-10000","parties":[%s],"nest":' "$head_fields" "$party" | wc -c)
# jansson gives up at depth 2049 (its JSON_PARSER_MAX_DEPTH is 2048); the
# object itself is depth 1, so the 2048th '[' is the one rejected.
col=$((prefix_len + 2048))
expect nesting-10000 "$out/nesting-10000.json:1:$col: invalid JSON: maximum parsing depth reached near '['"

# A 50 MB string value (below the 64 MiB record limit, above the 1 MiB
# string limit).
{
    printf '{%s,"id":"string-50mb","parties":[%s],"title":"' "$head_fields" "$party"
    repeat 'a' 52428800
    printf '"}\n'
} > "$out/string-50mb.json"
expect string-50mb "$out/string-50mb.json: record \"string-50mb\": \$.title: string of 52428800 bytes exceeds the limit of 1048576 bytes"

# A party name one byte over 1 MiB, in a multi-byte script (3-byte UTF-8
# characters plus one ASCII byte), so the limit is counted in bytes.
{
    printf '{%s,"id":"name-1mib","parties":[{"id":"p","country":"JP","type":"company","name":"' \
        "$head_fields"
    # 1048577 = 3 * 349525 + 2: 349525 three-byte characters and "ab".
    repeat 'x' 349525 | sed "s/x/技/g"
    printf 'ab"}]}\n'
} > "$out/name-1mib.json"
expect name-1mib "$out/name-1mib.json: record \"name-1mib\": \$.parties[0].name: string of 1048577 bytes exceeds the limit of 1048576 bytes"

# A one-line record of 65 MiB: the reader stops buffering at 64 MiB and
# rejects the line before any parsing.
{
    printf '{%s,"id":"record-65mib","parties":[%s],"pad":"' "$head_fields" "$party"
    repeat 'a' 68157440
    printf '"}\n'
} > "$out/record-65mib.json"
expect record-65mib "$out/record-65mib.json:1: line longer than the limit of 67108864 bytes"
