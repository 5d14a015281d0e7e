#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerate the test-only keys and certificates in fixtures/keys/ with the
# stock openssl tool. These keys are public (committed) and must never sign
# anything real. Run from the repository root: sh scripts/make-test-keys.sh
#
#   p256.key/.crt        EC P-256 key, self-signed certificate (CA:TRUE)
#   ed25519.key/.crt     Ed25519 key, self-signed certificate
#   rsa3072.key/.crt     RSA-3072 key, self-signed certificate
#   other.key/.crt       a second P-256 signer (the "wrong certificate")
#   expired.key/.crt     P-256, certificate valid 2020-01-01 .. 2021-01-01 only
#   certsign.key/.crt    P-256, keyUsage keyCertSign only (not for signatures)
#   certsign-report.txt(.p7s) a report signed with it by stock openssl
#   ca.key/.crt          organisation root CA (P-256)
#   inter.key/.crt       intermediate CA issued by ca
#   leaf.key/.crt        signer issued by inter; chain.pem = inter.crt
#   enc-p256.key         p256.key encrypted with the passphrase in enc-p256.pass
#   expired-report.txt(.p7s) a report signed with the expired certificate
#   tsa-ca.key/.crt      root CA of the test time-stamp authority (P-256)
#   tsa.key/.crt         test time-stamp authority (RSA-2048) issued by tsa-ca
#                        (extendedKeyUsage critical,timeStamping), used by
#                        tests/httpd/ttsd with tests/httpd/tsa.cnf
#   tsa-report.txt(.p7s) a report signed with p256 and time-stamped by the test TSA
#                        (tts_sign_file with tsa_url against tests/httpd/ttsd; not remade here:
#                        a fixed verify case and a seed of the verify fuzz target)
set -eu
umask 077
out=${1:-fixtures/keys}
mkdir -p "$out"
cd "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ext="$tmp/ext.cnf"
cat > "$ext" <<'CNF'
[ signer_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,digitalSignature,nonRepudiation,keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ inter_ca ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,digitalSignature,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ certsign_only ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ tsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF

selfsigned() { # name subject keyopts...
    name=$1 subj=$2
    shift 2
    openssl genpkey "$@" -out "$name.key" 2>/dev/null
    openssl req -new -x509 -key "$name.key" -subj "$subj" -days 36500 \
        -config "$ext" -extensions signer_ca -out "$name.crt"
}

selfsigned p256 "/O=Test Org P-256/CN=ttscreen test signer p256" \
    -algorithm EC -pkeyopt ec_paramgen_curve:P-256
selfsigned ed25519 "/O=Test Org Ed25519/CN=ttscreen test signer ed25519" -algorithm ED25519
selfsigned rsa3072 "/O=Test Org RSA/CN=ttscreen test signer rsa3072" \
    -algorithm RSA -pkeyopt rsa_keygen_bits:3072
selfsigned other "/O=Other Org/CN=someone else" -algorithm EC -pkeyopt ec_paramgen_curve:P-256
selfsigned ca "/O=Test Org PKI/CN=Test Org Root CA" -algorithm EC -pkeyopt ec_paramgen_curve:P-256

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out certsign.key 2>/dev/null
openssl req -new -x509 -key certsign.key -subj "/O=Test Org/CN=certificate signing only" \
    -days 36500 -config "$ext" -extensions certsign_only -out certsign.crt
printf '{"format":"ttscreen-report/1","note":"signed with a certificate not for signatures"}\n' \
    > certsign-report.txt
openssl cms -sign -binary -outform PEM -in certsign-report.txt -signer certsign.crt \
    -inkey certsign.key -out certsign-report.txt.p7s

# Expired: `openssl ca` is the stock way to set explicit validity dates.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out expired.key 2>/dev/null
mkdir -p "$tmp/ca"
: > "$tmp/ca/index.txt"
cat > "$tmp/ca.cnf" <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = $tmp/ca
database = \$dir/index.txt
new_certs_dir = \$dir
serial = \$dir/serial
default_md = sha256
policy = anything
copy_extensions = none
unique_subject = no
[ anything ]
organizationName = optional
commonName = supplied
CNF
echo 1000 > "$tmp/ca/serial"
openssl req -new -key expired.key -subj "/O=Test Org Expired/CN=ttscreen expired signer" \
    -out "$tmp/expired.csr"
openssl ca -batch -config "$tmp/ca.cnf" -selfsign -keyfile expired.key -in "$tmp/expired.csr" \
    -startdate 20200101000000Z -enddate 20210101000000Z -extfile "$ext" -extensions signer_ca \
    -notext -out expired.crt 2>/dev/null

# Organisation PKI: root -> intermediate -> leaf.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out inter.key 2>/dev/null
openssl req -new -key inter.key -subj "/O=Test Org PKI/CN=Test Org Signing CA" -out "$tmp/inter.csr"
openssl x509 -req -in "$tmp/inter.csr" -CA ca.crt -CAkey ca.key -set_serial 2 -days 36500 \
    -extfile "$ext" -extensions inter_ca -out inter.crt 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out leaf.key 2>/dev/null
openssl req -new -key leaf.key -subj "/O=Test Org/CN=compliance officer" -out "$tmp/leaf.csr"
openssl x509 -req -in "$tmp/leaf.csr" -CA inter.crt -CAkey inter.key -set_serial 3 -days 36500 \
    -extfile "$ext" -extensions leaf -out leaf.crt 2>/dev/null
cp inter.crt chain.pem

# Passphrase-protected copy of p256.key.
printf 'correct horse battery staple\n' > enc-p256.pass
openssl pkcs8 -topk8 -v2 aes-256-cbc -in p256.key -passout file:enc-p256.pass -out enc-p256.key

# A report signed with the expired certificate (signing time = now, after expiry).
printf '{"format":"ttscreen-report/1","note":"signed with an expired certificate"}\n' \
    > expired-report.txt
openssl cms -sign -binary -outform PEM -in expired-report.txt -signer expired.crt \
    -inkey expired.key -out expired-report.txt.p7s

# Test time-stamp authority: its own root, and the TSA certificate under it.
tsa_keys() {
    selfsigned tsa-ca "/O=Test TSA PKI/CN=Test TSA Root CA" -algorithm EC \
        -pkeyopt ec_paramgen_curve:P-256
    # RSA: its signatures, and so its tokens, have one length (tests/e2e/tsa.sh relies on it).
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out tsa.key 2>/dev/null
    openssl req -new -key tsa.key -subj "/O=Test TSA/CN=ttscreen test time-stamp authority" \
        -out "$tmp/tsa.csr"
    openssl x509 -req -in "$tmp/tsa.csr" -CA tsa-ca.crt -CAkey tsa-ca.key -set_serial 4 \
        -days 36500 -extfile "$ext" -extensions tsa -out tsa.crt 2>/dev/null
}
tsa_keys

chmod 600 ./*.key
chmod 644 ./*.crt chain.pem enc-p256.pass ./*-report.txt ./*-report.txt.p7s
echo "test keys written to $(pwd)"
