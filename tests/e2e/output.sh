#!/bin/sh
# SPDX-License-Identifier: MIT
# What screen writes and what it refuses: -o onto a device, a FIFO or an
# input file; the report's file mode; an empty rule directory; actor names
# and reasons with control characters.
#   sh tests/e2e/output.sh BINARY SCRATCH
set -u
BIN=$1
S=$2
FX=${FIXTURES:-fixtures}
rm -rf "$S"
mkdir -p "$S"
export NO_COLOR=1 SOURCE_DATE_EPOCH=1767225600
unset TTSCREEN_RULES TTSCREEN_DB
passed=0
failed=0
SUITE=output
. "$(dirname "$0")/lib/scenario.sh"

REC="$FX/records/jp-only-joint-venture.json"
scr() { "$BIN" screen --no-store --no-lists --as-of 2026-01-01 "$@"; }

# -o onto a character device writes through and leaves the device a device
if [ "$(id -u)" = 0 ]; then
    mknod "$S/null" c 1 3 && chmod 666 "$S/null"
    run "-o onto a private character device" 0 -- scr -o "$S/null" "$REC"
    [ -c "$S/null" ] && ok || bad "-o replaced a character device with a regular file"
fi
run "-o /dev/null" 0 -- scr -o /dev/null "$REC"
[ -c /dev/null ] && ok || bad "/dev/null is no longer a character device"
# -o onto a FIFO: the reader gets the report, the FIFO stays a FIFO
mkfifo "$S/fifo"
cat "$S/fifo" >"$S/fifo.out" &
reader=$!
run "-o onto a FIFO" 0 -- scr -o "$S/fifo" "$REC"
wait $reader
[ -p "$S/fifo" ] && ok || bad "-o replaced a FIFO"
has "-o onto a FIFO: the reader got the report" "$S/fifo.out" "jp-only-joint-venture"
run "-o onto a FIFO with --sign" 2 -- scr -o "$S/fifo" --sign k.pem --cert c.pem "$REC"
has "--sign needs a regular file" "$S/err" "is not a regular file (a signed report needs one)"
# -o naming an input file is refused and the input is intact
cp "$REC" "$S/input.json"
sum=$(cksum <"$S/input.json")
run "-o naming the input" 2 -- scr -o "$S/input.json" "$S/input.json"
has "-o naming the input: the message" "$S/err" "is one of the input files"
[ "$(cksum <"$S/input.json")" = "$sum" ] && ok || bad "-o overwrote the input file"
# a new report gets the umask's mode, not 0600
(umask 022 && scr -o "$S/r.txt" "$REC" >/dev/null 2>&1)
[ "$(stat -c %a "$S/r.txt")" = 644 ] && ok || bad "report mode $(stat -c %a "$S/r.txt"), expected 644 under umask 022"
(umask 077 && scr -o "$S/r2.txt" "$REC" >/dev/null 2>&1)
[ "$(stat -c %a "$S/r2.txt")" = 600 ] && ok || bad "report mode $(stat -c %a "$S/r2.txt"), expected 600 under umask 077"

# an empty rule directory, or one of comments only, screens nothing: an error
mkdir -p "$S/empty" "$S/comments"
printf '# nothing here yet\n' >"$S/comments/a.rules"
run "empty rule directory" 2 -- scr --rules "$S/empty" "$REC"
has "empty rule directory: the message" "$S/err" "screen: no rules in $S/empty"
run "comments-only rule directory" 2 -- scr --rules "$S/comments" "$REC"
run "rules check on an empty directory" 2 -- "$BIN" rules check "$S/empty"
has "rules check: the message" "$S/err" "no rules in $S/empty"
run "rescreen with an empty rule directory" 2 -- "$BIN" rescreen --no-lists --db "$S/c.db" --rules "$S/empty"

# actor names and reasons are one line of text: control characters refused
DB="$S/c.db"
run "a newline in --by" 2 -- "$BIN" screen --db "$DB" --no-lists --by "$(printf 'eve\naudit: 99 rows verified')" "$REC"
has "a newline in --by: the message" "$S/err" "control character"
run "an escape in --by" 2 -- "$BIN" screen --db "$DB" --no-lists --by "$(printf 'eve\033[2J')" "$REC"
run "a plain --by" 0 -- "$BIN" screen --db "$DB" --no-lists --as-of 2026-01-01 --by "Eve Ōno" "$REC"
run "a control character in --reason" 2 -- "$BIN" cases decide jp-only-joint-venture --db "$DB" \
    --disposition cleared --by carol --reason "$(printf 'ok\033]0;x\007')"
run "the audit chain still holds" 0 -- "$BIN" audit verify --db "$DB"

# rule strings are one line of UTF-8; record text with control characters is shown escaped
mkdir -p "$S/ctl"
printf 'rule t.c {\n revision 1\n title "bad\\n title"\n severity low\n citation "c"\n when kind == "sale"\n message "m"\n}\n' >"$S/ctl/a.rules"
run "a line break in a rule title" 2 -- "$BIN" rules check "$S/ctl"
has "a line break in a rule title: the place" "$S/err" "a.rules:3:8: error: a string must be one line of valid UTF-8"
record "$S/esc.json" "$REC" '
r["title"] = "Deal \u001b[2J\nverdict    CLEAR"
r["parties"][1]["name"] = "Evil\u009bCo"'
run "control characters in record text" 0 -- scr "$S/esc.json"
if grep -q "$(printf '\033')" "$S/out"; then bad "an escape from the record reached the terminal" "$S/out"; else ok; fi
has "the title's escape is shown" "$S/out" 'Deal \x1b[2J\x0averdict    CLEAR'
[ "$(grep -c '^  verdict' "$S/out")" = 1 ] && ok || bad "a record forged a verdict line" "$S/out"

# --- -V / --version: ttscreen's version, then each linked library as it reports itself ----
for opt in -V --version; do
    "$BIN" $opt >"$S/version" 2>"$S/err" && ok || bad "$opt exits 0" "$S/err"
    head -1 "$S/version" | grep -Eq '^ttscreen [0-9]+\.[0-9]+\.[0-9]+$' && ok ||
        bad "$opt: first line is ttscreen's version" "$S/version"
    for lib in libcurl OpenSSL SQLite PCRE2 jansson utf8proc ICU libzip libxml2 libxlsxwriter iconv; do
        grep -Eq "^  (.*, )?$lib .*[0-9]" "$S/version" && ok || bad "$opt names $lib and its version" "$S/version"
    done
done

echo "output: $passed passed, $failed failed"
[ "$failed" = 0 ]
