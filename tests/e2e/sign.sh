#!/bin/sh
# SPDX-License-Identifier: MIT
# End-to-end tests of signed reports: keygen, screen --sign, verify, and
# interoperability with the stock openssl cms command in both directions.
#
#   sh tests/e2e/sign.sh BINARY SCRATCH
#
# Prints one line per case and "N passed, M failed"; exits 1 on any failure.
# Fixture keys (fixtures/keys, made by scripts/make-test-keys.sh) are copied
# into SCRATCH with mode 0600 first: git does not keep file modes.
set -u
BIN=$1
S=$2
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
KEYS=${FIXTURES:-fixtures}/keys
rm -rf "$S"
mkdir -p "$S/k" "$S/rules"
S=$(cd "$S" && pwd)
cp "$KEYS"/* "$S/k/"
chmod 600 "$S"/k/*.key
K=$S/k
passed=0
failed=0

. "$(dirname "$0")/lib/check.sh"
quiet_rules "$S/rules"
ossl_ok() { # NAME REPORT SIG CAFILE
    if openssl cms -verify -binary -inform PEM -in "$3" -content "$2" -CAfile "$4" -purpose any \
        >/dev/null 2>"$S/err"; then pass "$1"; else fail "$1"; fi
}
ossl_bad() {
    if openssl cms -verify -binary -inform PEM -in "$3" -content "$2" -CAfile "$4" -purpose any \
        >/dev/null 2>"$S/err"; then fail "$1 (openssl accepted it)"; else pass "$1"; fi
}
mode_of() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }
# Flip one byte at OFFSET of FILE into OUT.
flip() {
    cp "$1" "$3"
    b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "$(printf '\\%03o' $(((b ^ 1) & 255)))" |
        dd of="$3" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# A small record to screen (an empty rule set keeps the report deterministic in shape).
cat >"$S/rec.json" <<'JSON'
{"format":"ttscreen-record/1","id":"acme-battery-1","title":"Cell chemistry co-development","kind":"co-development","screened_for":"acme","parties":[{"id":"acme","name":"Acme KK","country":"JP","type":"company"},{"id":"sub","name":"Sub Co","country":"VN","type":"company"}],"relations":[{"from":"acme","to":"sub","type":"subcontracts"}]}
JSON
screen() { "$BIN" screen --no-store --no-lists --rules "$S/rules" --format json "$@" "$S/rec.json"; }

# ---------------------------------------------------------------- keygen
cd "$S" || exit 2
expect "keygen p256" 0 "$BIN" keygen --key g.key --cert g.crt --subject "/O=Acme Corp/CN=Export Control"
[ "$(mode_of g.key)" = 600 ] && pass "keygen key mode 0600" || fail "keygen key mode $(mode_of g.key)"
(umask 000 && "$BIN" keygen --key u.key --cert u.crt >/dev/null 2>&1)
[ "$(mode_of u.key)" = 600 ] && pass "keygen key mode 0600 under umask 000" || fail "umask 000: mode $(mode_of u.key)"
openssl x509 -in g.crt -noout -subject -ext basicConstraints,keyUsage >"$S/out" 2>&1
grep_out "keygen subject" "O = Acme Corp, CN = Export Control"
grep_out "keygen CA:TRUE" "CA:TRUE"
grep_out "keygen keyUsage" "Digital Signature"
sum_before=$(cat g.key g.crt | cksum)
expect "keygen refuses an existing key" 2 "$BIN" keygen --key g.key --cert other.crt
grep_err "keygen names the existing file" "g.key: already exists"
[ ! -e other.crt ] && pass "keygen left nothing behind" || fail "keygen created other.crt"
expect "keygen refuses an existing cert" 2 "$BIN" keygen --key new.key --cert g.crt
[ ! -e new.key ] && pass "keygen left no key behind" || fail "keygen created new.key"
[ "$(cat g.key g.crt | cksum)" = "$sum_before" ] && pass "existing files unchanged" || fail "existing files changed"
expect "keygen --force" 0 "$BIN" keygen --key g.key --cert g.crt --force --subject "/O=Acme Corp/CN=Export Control"
fp=$(openssl x509 -in g.crt -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
grep_out "keygen prints the certificate fingerprint" "fingerprint: $fp"
[ "$(cat g.key g.crt | cksum)" != "$sum_before" ] && pass "--force replaced the files" || fail "--force kept old files"
[ "$(mode_of g.key)" = 600 ] && pass "--force key mode 0600" || fail "--force key mode $(mode_of g.key)"
ls g.key.tmp* g.crt.tmp* >/dev/null 2>&1 && fail "temporary files left" || pass "no temporary files left"
expect "keygen ed25519" 0 "$BIN" keygen --key e.key --cert e.crt --algorithm ed25519
expect "keygen rsa3072" 0 "$BIN" keygen --key r.key --cert r.crt --algorithm rsa3072 --days 30
openssl x509 -in r.crt -noout -text >"$S/out" 2>&1
grep_out "rsa3072 key size" "3072 bit"
expect "keygen bad algorithm" 2 "$BIN" keygen --key x.key --cert x.crt --algorithm dsa
expect "keygen bad days" 2 "$BIN" keygen --key x.key --cert x.crt --days 0
expect "keygen bad subject" 2 "$BIN" keygen --key x.key --cert x.crt --subject "CN=no slash"
expect "keygen unknown subject attribute" 2 "$BIN" keygen --key x.key --cert x.crt --subject "/XX=1"
expect "keygen without --cert" 2 "$BIN" keygen --key x.key
expect "keygen pass: is refused" 2 "$BIN" keygen --key x.key --cert x.crt --pass pass:secret
[ ! -e x.key ] && pass "failed keygen wrote no key" || fail "failed keygen wrote x.key"
TTS_PASS='s3cret phrase' expect "keygen --pass env" 0 "$BIN" keygen --key p.key --cert p.crt --pass env:TTS_PASS
grep -q "ENCRYPTED PRIVATE KEY" p.key && pass "key is encrypted" || fail "key is not encrypted"
TTS_PASS='s3cret phrase' openssl pkey -in p.key -passin env:TTS_PASS -noout 2>/dev/null &&
    pass "openssl decrypts the key" || fail "openssl cannot decrypt the key"
expect "keygen --pass env unset" 2 env -u TTS_UNSET_VAR "$BIN" keygen --key q.key --cert q.crt --pass env:TTS_UNSET_VAR
grep_err "names the variable" "TTS_UNSET_VAR is not set"

# ------------------------------------------------- screen --sign, options
expect "--sign without -o" 2 screen --sign g.key --cert g.crt
grep_err "--sign without -o message" "needs -o"
expect "--sign without --cert" 2 screen -o x.json --sign g.key
expect "--cert without --sign" 2 screen -o x.json --cert g.crt
expect "--tsa needs an http(s) URL" 2 screen -o x.json --sign g.key --cert g.crt --tsa ftp://127.0.0.1/
[ ! -e x.json ] && pass "bad --tsa writes no report" || fail "bad --tsa wrote a report"
expect "sign with keygen key" 0 screen -o g.json --sign g.key --cert g.crt
ossl_ok "openssl cms accepts keygen certificate" g.json g.json.p7s g.crt
expect "verify keygen signature" 0 "$BIN" verify g.json --cert g.crt
grep_out "verify prints the signer" "signer: *O = Acme Corp, CN = Export Control"
grep_out "verify prints the signing time" "signing time: *20[0-9][0-9]-"
fp=$(openssl x509 -in g.crt -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
grep_out "verify prints the certificate fingerprint" "cert sha256: *$fp"
grep_out "verify prints the record id" "record: *acme-battery-1"
grep_out "verify prints the verdict" "verdict: *clear"
grep_out "verify prints the rules sha256" "rules sha256: *[0-9a-f]\{64\}"
expect "sign with encrypted key" 0 env TTS_PASS='s3cret phrase' "$BIN" screen --no-store --no-lists --rules "$S/rules" --format json -o p.json --sign p.key --cert p.crt --pass env:TTS_PASS "$S/rec.json"
expect "verify encrypted-key signature" 0 "$BIN" verify p.json --cert p.crt
expect "encrypted key without --pass" 2 screen -o p2.json --sign p.key --cert p.crt
grep_err "asks for a passphrase" "encrypted"
printf 'wrong\n' >wrong.pass
expect "wrong passphrase" 2 screen -o p2.json --sign p.key --cert p.crt --pass file:wrong.pass
expect "key does not match the certificate" 2 screen -o x.json --sign g.key --cert r.crt
grep_err "mismatch message" "does not match"
expect "expired certificate cannot sign" 2 screen -o x.json --sign "$K/expired.key" --cert "$K/expired.crt"
grep_err "expired signing message" "expired on 2021-01-01"

# A JSON Lines report of two records: verify summarises both.
sed 's/acme-battery-1/acme-battery-2/' "$S/rec.json" >"$S/rec2.json"
expect "sign a jsonl report" 0 "$BIN" screen --no-store --no-lists --rules "$S/rules" --format jsonl -o two.jsonl \
    --sign g.key --cert g.crt "$S/rec.json" "$S/rec2.json"
expect "verify a jsonl report" 0 "$BIN" verify two.jsonl --cert g.crt
grep_out "jsonl: first record" "record: *acme-battery-1"
grep_out "jsonl: second record" "record: *acme-battery-2"
ossl_ok "jsonl: openssl cms accepts" two.jsonl two.jsonl.p7s g.crt
# Text and HTML reports are signed the same way (HTML once the format is available).
expect "sign a text report" 0 "$BIN" screen --no-store --no-lists --rules "$S/rules" --format text -o r.txt \
    --sign g.key --cert g.crt "$S/rec.json"
expect "verify a text report" 0 "$BIN" verify r.txt --cert g.crt
ossl_ok "text: openssl cms accepts" r.txt r.txt.p7s g.crt
if "$BIN" screen --no-store --no-lists --rules "$S/rules" --format html -o probe.html "$S/rec.json" >/dev/null 2>&1; then
    expect "sign an html report" 0 "$BIN" screen --no-store --no-lists --rules "$S/rules" --format html \
        -o r.html --sign g.key --cert g.crt "$S/rec.json"
    expect "verify an html report" 0 "$BIN" verify r.html --cert g.crt
    ossl_ok "html: openssl cms accepts" r.html r.html.p7s g.crt
else
    echo "skip html report signing: --format html is not available in this build"
fi
[ ! -e x.json.p7s ] || rm -f x.json.p7s
expect "a failed screen writes no signature" 2 "$BIN" screen --no-store --no-lists --rules "$S/rules" --format json \
    -o bad.json --sign g.key --cert g.crt "$S/nonexistent.json"
[ ! -e bad.json.p7s ] && pass "no signature after a failed screen" || fail "signature written after a failed screen"

# --------------------------------------------------------- key permissions
cp g.key loose.key && chmod 644 loose.key
expect "group/other-readable key refused" 2 screen -o x.json --sign loose.key --cert g.crt
grep_err "permission message" "mode 0644"
expect "--insecure-key-permissions" 0 screen -o x.json --sign loose.key --cert g.crt --insecure-key-permissions
ln -s loose.key link-loose.key
expect "symlink to a readable key refused" 2 screen -o x.json --sign link-loose.key --cert g.crt
ln -s g.key link-ok.key
expect "symlink to a 0600 key accepted" 0 screen -o x.json --sign link-ok.key --cert g.crt

# ------------------------------------ algorithms: round trip and tampering
roundtrip() { # NAME KEY CERT TRUSTOPT TRUSTFILE [--chain FILE]
    n=$1 key=$2 crt=$3 topt=$4 tfile=$5
    shift 5
    expect "$n: sign" 0 screen -o "$n.json" --sign "$key" --cert "$crt" "$@"
    expect "$n: verify" 0 "$BIN" verify "$n.json" "$topt" "$tfile"
    if [ "$n" != ed25519 ]; then
        ossl_ok "$n: openssl cms -verify accepts" "$n.json" "$n.json.p7s" "$tfile"
    fi
    size=$(wc -c <"$n.json" | tr -d ' ')
    for off in 0 $((size / 2)) $((size - 1)); do
        flip "$n.json" "$off" "$n-t.json"
        cp "$n.json.p7s" "$n-t.json.p7s"
        expect "$n: byte $off flipped fails" 1 "$BIN" verify "$n-t.json" "$topt" "$tfile"
        grep_err "$n: byte $off reason" "content changed"
        [ "$n" != ed25519 ] && ossl_bad "$n: openssl rejects byte $off flipped" "$n-t.json" "$n-t.json.p7s" "$tfile"
    done
    printf ' ' >>"$n-t.json"
    expect "$n: appended byte fails" 1 "$BIN" verify "$n-t.json" --sig "$n.json.p7s" "$topt" "$tfile"
    head -c 400 "$n.json.p7s" >"$n-trunc.p7s"
    expect "$n: truncated signature fails" 1 "$BIN" verify "$n.json" --sig "$n-trunc.p7s" "$topt" "$tfile"
    grep_err "$n: truncated reason" "malformed signature"
    expect "$n: different certificate fails" 1 "$BIN" verify "$n.json" --cert "$K/other.crt"
    grep_err "$n: different certificate reason" "wrong signer"
    [ "$n" != ed25519 ] && ossl_bad "$n: openssl rejects a different CA" "$n.json" "$n.json.p7s" "$K/other.crt"
}
roundtrip p256 "$K/p256.key" "$K/p256.crt" --cert "$K/p256.crt"
roundtrip rsa3072 "$K/rsa3072.key" "$K/rsa3072.crt" --cert "$K/rsa3072.crt"
roundtrip ed25519 "$K/ed25519.key" "$K/ed25519.crt" --cert "$K/ed25519.crt"
roundtrip chain "$K/leaf.key" "$K/leaf.crt" --ca "$K/ca.crt" --chain "$K/chain.pem"
expect "chain: verify against the intermediate as --cert" 0 "$BIN" verify chain.json --cert "$K/inter.crt"
expect "chain: unrelated CA fails" 1 "$BIN" verify chain.json --ca "$K/p256.crt"
grep_err "chain: unrelated CA reason" "wrong signer"
expect "chain without --chain: root alone cannot reach the leaf" 0 screen -o nochain.json --sign "$K/leaf.key" --cert "$K/leaf.crt"
expect "chain without --chain fails against the root" 1 "$BIN" verify nochain.json --ca "$K/ca.crt"
expect "ed25519 key from keygen" 0 screen -o ek.json --sign e.key --cert e.crt
expect "ed25519 keygen signature verifies" 0 "$BIN" verify ek.json --cert e.crt
grep_out "ed25519 key type" "key: *Ed25519"

# Ed25519: stock OpenSSL 3 cannot process RFC 8419 CMS, so check the
# signature independently: rebuild the signed-attributes DER (SET OF) from
# the parsed structure and verify it with `openssl pkeyutl -rawin`.
if command -v python3 >/dev/null 2>&1; then
    openssl cms -cmsout -inform PEM -in ed25519.json.p7s -outform DER -out ed.der 2>/dev/null
    python3 - ed.der ed-attrs.der ed-sig.bin <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
def tlv(b, i):
    t = b[i]; l = b[i + 1]; j = i + 2
    if l & 0x80:
        n = l & 0x7f; l = int.from_bytes(b[j:j + n], 'big'); j += n
    return t, j, l
def children(b, start, end):
    out = []; i = start
    while i < end:
        t, j, l = tlv(b, i); out.append((t, i, j, l)); i = j + l
    return out
t, j, l = tlv(d, 0)                      # ContentInfo
ci = children(d, j, j + l)
t, j, l = tlv(d, ci[1][2])               # [0] EXPLICIT -> SignedData
sd = children(d, j, j + l)
si_set = [c for c in sd if c[0] == 0x31][-1]
sis = children(d, si_set[2], si_set[2] + si_set[3])
t, i, j, l = sis[0]
fields = children(d, j, j + l)
attrs = [f for f in fields if f[0] == 0xa0][0]
sig = [f for f in fields if f[0] == 0x04][-1]
a = bytearray(d[attrs[1]:attrs[2] + attrs[3]]); a[0] = 0x31
open(sys.argv[2], 'wb').write(bytes(a))
open(sys.argv[3], 'wb').write(d[sig[2]:sig[2] + sig[3]])
PY
    openssl x509 -in "$K/ed25519.crt" -pubkey -noout >ed-pub.pem
    if openssl pkeyutl -verify -pubin -inkey ed-pub.pem -rawin -in ed-attrs.der \
        -sigfile ed-sig.bin >/dev/null 2>&1; then
        pass "ed25519: independent pkeyutl check of the signed attributes"
    else
        fail "ed25519: independent pkeyutl check of the signed attributes"
    fi
    openssl dgst -sha512 -binary ed25519.json >ed-md.bin
    if openssl asn1parse -inform DER -in ed-attrs.der 2>/dev/null | grep -qi \
        "$(od -An -tx1 ed-md.bin | tr -d ' \n' | tr a-f A-F)"; then
        pass "ed25519: messageDigest is the report's SHA-512"
    else
        fail "ed25519: messageDigest is the report's SHA-512"
    fi
fi

# ------------------------------------ signatures made by stock openssl cms
printf '{"format":"ttscreen-report/1","record":{"id":"ext-1"},"verdict":"review"}\n' >ext.json
for a in p256 rsa3072; do
    openssl cms -sign -binary -outform PEM -in ext.json -signer "$K/$a.crt" -inkey "$K/$a.key" \
        -out "ext-$a.p7s" 2>/dev/null
    expect "openssl-made $a signature verifies" 0 "$BIN" verify ext.json --sig "ext-$a.p7s" --cert "$K/$a.crt"
    flip ext.json 5 ext-t.json
    expect "openssl-made $a signature, tampered report" 1 "$BIN" verify ext-t.json --sig "ext-$a.p7s" --cert "$K/$a.crt"
done
openssl cms -sign -binary -outform PEM -in ext.json -signer "$K/leaf.crt" -inkey "$K/leaf.key" \
    -certfile "$K/chain.pem" -out ext-chain.p7s 2>/dev/null
expect "openssl-made chain signature verifies with --ca" 0 "$BIN" verify ext.json --sig ext-chain.p7s --ca "$K/ca.crt"
openssl cms -sign -binary -nocerts -outform PEM -in ext.json -signer "$K/p256.crt" -inkey "$K/p256.key" \
    -out ext-nocerts.p7s 2>/dev/null
expect "signature without embedded certificate, pinned --cert" 0 "$BIN" verify ext.json --sig ext-nocerts.p7s --cert "$K/p256.crt"
expect "signature without embedded certificate, other --cert" 1 "$BIN" verify ext.json --sig ext-nocerts.p7s --cert "$K/other.crt"
grep_err "no embedded certificate reason" "wrong signer"
openssl cms -sign -binary -outform PEM -in ext.json -signer "$K/p256.crt" -inkey "$K/p256.key" \
    -out ext-attached.p7s -nodetach 2>/dev/null
expect "attached (non-detached) signature refused" 1 "$BIN" verify ext.json --sig ext-attached.p7s --cert "$K/p256.crt"
grep_err "attached reason" "not a detached signature"

# ---------------------------------------------------------------- expired
expect "expired certificate at signing time" 1 "$BIN" verify "$K/expired-report.txt" --cert "$K/expired.crt"
grep_err "expired reason" "expired certificate"

# A certificate whose key usage excludes signatures: not accepted as a signer.
expect "certificate not for signatures" 1 "$BIN" verify "$K/certsign-report.txt" --cert "$K/certsign.crt"
grep_err "not-for-signatures reason" "untrusted certificate.*not for digital signatures"
expect "cannot sign with a certificate not for signatures" 2 screen -o x.json --sign "$K/certsign.key" --cert "$K/certsign.crt"
grep_err "not-for-signatures signing message" "does not allow digital signatures"

# ------------------------------------------------------------ bad usage/input
expect "verify: missing report" 2 "$BIN" verify nonexistent.json --cert g.crt
expect "verify: missing signature" 2 "$BIN" verify g.json --sig nonexistent.p7s --cert g.crt
expect "verify: unreadable certificate" 2 "$BIN" verify g.json --cert nonexistent.crt
expect "verify: certificate file holds no certificate" 2 "$BIN" verify g.json --cert ext.json
expect "verify: both --cert and --ca" 2 "$BIN" verify g.json --cert g.crt --ca g.crt
expect "verify: neither --cert nor --ca" 2 "$BIN" verify g.json
expect "verify: no report" 2 "$BIN" verify --cert g.crt
printf 'not a signature\n' >junk.p7s
expect "verify: junk signature" 1 "$BIN" verify g.json --sig junk.p7s --cert g.crt
grep_err "junk reason" "malformed signature"
cp g.json.p7s damaged.p7s
sed -i.bak '3s/^\(.\{10\}\)./\1A/;3s/^\(.\{11\}\)./\1B/' damaged.p7s
expect "verify: damaged signature fails" 1 "$BIN" verify g.json --sig damaged.p7s --cert g.crt
grep_err "damaged signature reason" "signature"
for a in p256 rsa3072; do
    openssl cms -cmsout -inform PEM -in "$a.json.p7s" -outform DER -out "$a.der" 2>/dev/null
    flip "$a.der" $(($(wc -c <"$a.der" | tr -d ' ') - 1)) "$a-bad.der"
    openssl cms -cmsout -inform DER -in "$a-bad.der" -outform PEM -out "$a-badsig.p7s" 2>/dev/null
    expect "$a: damaged signature value fails" 1 "$BIN" verify "$a.json" --sig "$a-badsig.p7s" --cert "$K/$a.crt"
    grep_err "$a: damaged signature value reason" "bad signature"
    ossl_bad "$a: openssl rejects the damaged signature value" "$a.json" "$a-badsig.p7s" "$K/$a.crt"
done
expect "verify --help" 0 "$BIN" verify --help
expect "keygen --help" 0 "$BIN" keygen --help

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
