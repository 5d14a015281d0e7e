/* SPDX-License-Identifier: MIT */
/*
 * OpenSSL (libcrypto) boundary. Every EVP object is freed on all paths and
 * OpenSSL errors are translated into tts_status here, never leaked upward.
 */
#include "sign.h"

#include <openssl/evp.h>

#include "error.h"
#include "mem.h"

struct tts_sha256 {
    EVP_MD_CTX *ctx;
};

tts_sha256 *tts_sha256_new(void)
{
    tts_sha256 *h = tts_calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
        tts_sha256_free(h);
        return NULL;
    }
    return h;
}

tts_status tts_sha256_update(tts_sha256 *h, const void *data, size_t len)
{
    if (len == 0)
        return TTS_OK;
    return EVP_DigestUpdate(h->ctx, data, len) == 1 ? TTS_OK : TTS_ERR_CRYPTO;
}

tts_status tts_sha256_final(tts_sha256 *h, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    tts_status rc = TTS_ERR_CRYPTO;
    if (EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == 32) {
        for (unsigned int i = 0; i < n; i++) {
            out[2 * i] = hex[md[i] >> 4];
            out[2 * i + 1] = hex[md[i] & 15];
        }
        out[64] = '\0';
        rc = TTS_OK;
    }
    tts_sha256_free(h);
    return rc;
}

void tts_sha256_free(tts_sha256 *h)
{
    if (h == NULL)
        return;
    EVP_MD_CTX_free(h->ctx);
    tts_free(h);
}

tts_status tts_sha256_hex(const void *data, size_t len, char out[65], tts_error *err)
{
    tts_sha256 *h = tts_sha256_new();
    if (h == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory computing SHA-256");
    if (tts_sha256_update(h, data, len) != TTS_OK) {
        tts_sha256_free(h);
        return tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
    }
    if (tts_sha256_final(h, out) != TTS_OK)
        return tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
    return TTS_OK;
}
