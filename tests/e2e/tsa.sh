#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests of trusted timestamps: `screen --sign ... --tsa URL` against a
# local RFC 3161 authority (tests/httpd/ttsd answering with `openssl ts -reply`,
# configuration tests/httpd/tsa.cnf, test keys fixtures/keys/tsa*), checked by
# the stock openssl cms and openssl ts commands and by `ttscreen verify`; and every
# way the authority can fail, each of which must leave no report and no signature.
#
#   sh tests/e2e/tsa.sh BINARY SCRATCH
#
# Prints one line per case and "N passed, M failed"; exits 1 on any failure.
# Network: only the test server on 127.0.0.1 (and 127.0.0.1:1, where nothing listens).
set -u
BIN=$1
S=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KEYS=${FIXTURES:-$ROOT/fixtures}/keys
case $KEYS in /*) ;; *) KEYS=$(pwd)/$KEYS ;; esac
rm -rf "$S"
mkdir -p "$S/k" "$S/rules" "$S/tsa"
S=$(cd "$S" && pwd)
cp "$KEYS"/* "$S/k/"
chmod 600 "$S"/k/*.key
K=$S/k
cp "$K/tsa.key" "$K/tsa.crt" "$K/tsa-ca.crt" "$S/tsa/"
export TTS_TSA_DIR=$S/tsa
passed=0
failed=0
SERVER_PID=

. "$(dirname "$0")/lib/check.sh"
quiet_rules "$S/rules"
nothing_left() { # NAME REPORT
    if [ ! -e "$2" ] && [ ! -e "$2.p7s" ] && ! ls "$2".tmp* >/dev/null 2>&1; then
        pass "$1"
    else
        fail "$1 ($(ls "$2"* 2>/dev/null | tr '\n' ' '))"
    fi
}
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; :; }
trap cleanup EXIT INT TERM

# Extract from a .p7s (stock tools only) the DER token into TOKEN and the signature
# value it time-stamps into SIGVAL: the SEQUENCE two lines below the attribute's OID,
# and the SignerInfo's last OCTET STRING (depth 5).
extract() { # P7S TOKEN SIGVAL
    openssl cms -cmsout -inform PEM -in "$1" -outform DER -out "$S/x.der" 2>/dev/null || return 1
    openssl asn1parse -inform DER -in "$S/x.der" >"$S/x.txt" || return 1
    tok=$(awk '/:id-smime-aa-timeStampToken/ {getline; getline; sub(/:.*/, ""); print $1; exit}' "$S/x.txt")
    sv=$(awk '/d=5 .*prim: OCTET STRING/ {sub(/:.*/, ""); o = $1} END {print o}' "$S/x.txt")
    [ -n "$tok" ] && [ -n "$sv" ] || return 1
    openssl asn1parse -inform DER -in "$S/x.der" -strparse "$tok" -noout -out "$2" >/dev/null &&
        openssl asn1parse -inform DER -in "$S/x.der" -strparse "$sv" -noout -out "$3" >/dev/null
}

TTSD=${TTSD:-$(dirname "$BIN")/tests/ttsd}
if [ ! -x "$TTSD" ]; then
    TTSD=$S/ttsd
    cc -std=c11 -O1 -o "$TTSD" "$ROOT/tests/httpd/ttsd.c" || fail "build the test server"
fi
"$TTSD" "$ROOT/fixtures/lists" "$ROOT/tests/httpd/tsa.cnf" >"$S/port" &
SERVER_PID=$!
i=0
while [ ! -s "$S/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(cat "$S/port")
TSA=http://127.0.0.1:$PORT/tsa

cat >"$S/rec.json" <<'JSON'
{"format":"ttscreen-record/1","id":"acme-battery-1","title":"Cell chemistry co-development","kind":"co-development","screened_for":"acme","parties":[{"id":"acme","name":"Acme KK","country":"JP","type":"company"},{"id":"sub","name":"Sub Co","country":"VN","type":"company"}],"relations":[{"from":"acme","to":"sub","type":"subcontracts"}]}
JSON
screen() { "$BIN" screen --no-store --no-lists --rules "$S/rules" --format json "$@" "$S/rec.json"; }
cd "$S" || exit 2

# ------------------------------------------------ time-stamped signatures
for a in p256 rsa3072 ed25519; do
    expect "$a: sign with --tsa" 0 screen -o "$a.json" --sign "$K/$a.key" --cert "$K/$a.crt" --tsa "$TSA"
    [ -s "$a.json" ] && [ -s "$a.json.p7s" ] && pass "$a: report and signature written" ||
        fail "$a: report or signature missing"
    expect "$a: ttscreen verify" 0 "$BIN" verify "$a.json" --cert "$K/$a.crt"
    grep_out "$a: verify prints the timestamp" \
        "timestamp: *20[0-9-]*T[0-9:]*Z by O = Test TSA, CN = ttscreen test time-stamp authority (token imprint and signature verified; TSA certificate not checked)"
    if [ "$a" != ed25519 ]; then
        if openssl cms -verify -binary -inform PEM -in "$a.json.p7s" -content "$a.json" \
            -CAfile "$K/$a.crt" -purpose any >/dev/null 2>"$S/err"; then
            pass "$a: openssl cms -verify still accepts the signature"
        else
            fail "$a: openssl cms -verify still accepts the signature"
        fi
    fi
    if extract "$a.json.p7s" "$a.tsr" "$a.sigval"; then
        pass "$a: token extracted with openssl asn1parse"
    else
        fail "$a: token extracted with openssl asn1parse"
    fi
    if openssl ts -verify -token_in -in "$a.tsr" -data "$a.sigval" -CAfile "$K/tsa-ca.crt" \
        >"$S/out" 2>"$S/err" && grep -q 'Verification: OK' "$S/out"; then
        pass "$a: openssl ts -verify accepts the token over the signature value"
    else
        fail "$a: openssl ts -verify accepts the token over the signature value"
    fi
    if openssl ts -verify -token_in -in "$a.tsr" -data "$a.json" -CAfile "$K/tsa-ca.crt" \
        >/dev/null 2>&1; then
        fail "$a: openssl ts -verify rejects the token over other data"
    else
        pass "$a: openssl ts -verify rejects the token over other data"
    fi
done
openssl ts -reply -token_in -in p256.tsr -token_out -text >"$S/out" 2>/dev/null
grep_out "token: SHA-256 imprint" "Hash Algorithm: sha256"
grep_out "token: a nonce was sent" "Nonce: 0x"
grep_out "token: names the authority" "TSA: DirName:/O=Test TSA/CN=ttscreen test time-stamp authority"
want=$(openssl dgst -sha256 -binary p256.sigval | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
openssl asn1parse -inform DER -in p256.tsr >"$S/out" 2>&1
grep_out "token: imprint is the SHA-256 of the signature value" "$want"

# Tampering: the report, or the signature value the token covers.
cp p256.json t.json && printf ' ' >>t.json && cp p256.json.p7s t.json.p7s
expect "time-stamped: changed report fails" 1 "$BIN" verify t.json --cert "$K/p256.crt"
grep_err "time-stamped: changed report reason" "content changed"
# The token of one signature grafted onto another signature of another report
# (RSA-3072: signature values, and so the two DER layouts, have equal lengths).
sed 's/acme-battery-1/acme-battery-9/' "$S/rec.json" >"$S/rec9.json"
expect "second rsa3072 report" 0 "$BIN" screen --no-store --no-lists --rules "$S/rules" --format json -o r9.json \
    --sign "$K/rsa3072.key" --cert "$K/rsa3072.crt" --tsa "$TSA" "$S/rec9.json"
openssl cms -cmsout -inform PEM -in rsa3072.json.p7s -outform DER -out a.der 2>/dev/null
openssl cms -cmsout -inform PEM -in r9.json.p7s -outform DER -out b.der 2>/dev/null
ta=$(openssl asn1parse -inform DER -in a.der | awk '/:id-smime-aa-timeStampToken/ {getline; getline; sub(/:.*/, ""); print $1; exit}')
tb=$(openssl asn1parse -inform DER -in b.der | awk '/:id-smime-aa-timeStampToken/ {getline; getline; sub(/:.*/, ""); print $1; exit}')
if [ -n "$ta" ] && [ "$ta" = "$tb" ] && [ "$(wc -c <a.der)" = "$(wc -c <b.der)" ]; then
    { head -c "$ta" a.der; tail -c +"$((ta + 1))" b.der; } >graft.der
    openssl cms -cmsout -inform DER -in graft.der -outform PEM -out graft.p7s 2>/dev/null
    expect "token of another signature: verify fails" 1 "$BIN" verify rsa3072.json --sig graft.p7s --cert "$K/rsa3072.crt"
    grep_err "token of another signature: reason" "bad timestamp: the token's message imprint does not match the signature"
    one_line_err "token of another signature: one line"
    if openssl cms -verify -binary -inform PEM -in graft.p7s -content rsa3072.json \
        -CAfile "$K/rsa3072.crt" -purpose any >/dev/null 2>&1; then
        pass "grafted token: the CMS signature itself is still valid"
    else
        fail "grafted token: the CMS signature itself is still valid"
    fi
    # A damaged token signature (last byte of the token: the TSA's signature value).
    end=$(($(wc -c <a.der) - 1))
    cp a.der bad-tok.der
    b=$(od -An -tu1 -j "$end" -N1 a.der | tr -d ' ')
    printf "$(printf '\\%03o' $(((b ^ 1) & 255)))" | dd of=bad-tok.der bs=1 seek="$end" count=1 conv=notrunc 2>/dev/null
    openssl cms -cmsout -inform DER -in bad-tok.der -outform PEM -out bad-tok.p7s 2>/dev/null
    expect "damaged token signature: verify fails" 1 "$BIN" verify rsa3072.json --sig bad-tok.p7s --cert "$K/rsa3072.crt"
    grep_err "damaged token signature: reason" "bad timestamp: the time-stamp token's signature does not verify"
else
    fail "graft: the two signatures have different layouts ($ta, $tb)"
fi
# A fixed time-stamped signature (fixtures/keys/tsa-report.txt.p7s), made once.
expect "fixture: verify" 0 "$BIN" verify "$K/tsa-report.txt" --cert "$K/p256.crt"
grep_out "fixture: timestamp" "timestamp: *20[0-9-]*T[0-9:]*Z by O = Test TSA, CN = ttscreen test time-stamp authority"
if extract "$K/tsa-report.txt.p7s" fix.tsr fix.sigval &&
    openssl ts -verify -token_in -in fix.tsr -data fix.sigval -CAfile "$K/tsa-ca.crt" >/dev/null 2>&1; then
    pass "fixture: openssl ts -verify accepts its token"
else
    fail "fixture: openssl ts -verify accepts its token"
fi
# Without --tsa, verify says there is no timestamp.
expect "no --tsa: sign" 0 screen -o plain.json --sign "$K/p256.key" --cert "$K/p256.crt"
expect "no --tsa: verify" 0 "$BIN" verify plain.json --cert "$K/p256.crt"
grep_out "no --tsa: verify says so" "timestamp: *(none: the signing time is the signer's own claim)"

# --------------------------------------- a failing authority: nothing written
tsa_fails() { # NAME URL STDERR_PATTERN
    expect "$1: screen fails" 2 screen -o "f.json" --sign "$K/p256.key" --cert "$K/p256.crt" --tsa "$2"
    grep_err "$1: message" "$3"
    one_line_err "$1: one line"
    nothing_left "$1: no report, no signature" f.json
}
tsa_fails "unreachable" "http://127.0.0.1:1/tsa" "^timestamp: http://127.0.0.1:1/tsa: .*connect"
tsa_fails "HTTP 500" "$TSA/500" "^timestamp: $TSA/500: HTTP status 500"
tsa_fails "garbage reply" "$TSA/garbage" "^timestamp: $TSA/garbage: the answer is not an RFC 3161 time-stamp response"
tsa_fails "wrong nonce" "$TSA/nonce" "^timestamp: $TSA/nonce: the token's nonce does not match the request"
tsa_fails "wrong imprint" "$TSA/imprint" "^timestamp: $TSA/imprint: the token's message imprint does not match the signature"
tsa_fails "rejection" "$TSA/reject" "^timestamp: $TSA/reject: the time-stamp authority granted no token: status rejection (badDataFormat)"
tsa_fails "404" "http://127.0.0.1:$PORT/missing" "HTTP status 404"

# An existing report and signature survive a failed run untouched.
cp p256.json keep.json && cp p256.json.p7s keep.json.p7s
sum=$(cat keep.json keep.json.p7s | cksum)
expect "failed timestamp keeps the previous pair: screen fails" 2 screen -o keep.json \
    --sign "$K/p256.key" --cert "$K/p256.crt" --tsa "$TSA/nonce"
[ "$(cat keep.json keep.json.p7s | cksum)" = "$sum" ] && pass "previous report and signature unchanged" ||
    fail "previous report and signature changed"
expect "previous pair still verifies" 0 "$BIN" verify keep.json --cert "$K/p256.crt"

# Usage.
expect "--tsa without --sign" 2 screen -o u.json --tsa "$TSA"
grep_err "--tsa without --sign message" "go with --sign"
expect "--tsa with a file URL" 2 screen -o u.json --sign "$K/p256.key" --cert "$K/p256.crt" --tsa "file:///etc/passwd"
grep_err "--tsa file URL message" "expected an http:// or https:// URL"
nothing_left "bad --tsa: nothing written" u.json

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
