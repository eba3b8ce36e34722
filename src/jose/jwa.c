// SPDX-License-Identifier: GPL-2.0-only
/* JWA primitives on OpenSSL 3 EVP (see jwa.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "jose/jwa.h"
#include "jose/secret.h"
#include "util/bytes.h"

void jose_free_secret(void *p, size_t n)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, n);
	free(p);
}

int jwa_random(uint8_t *out, size_t len)
{
	if (len > INT_MAX)
		return -EINVAL;
	return RAND_bytes(out, (int)len) == 1 ? 0 : -EIO;
}

int jwa_ecdh(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t **z, size_t *zlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, peer, 1) <= 0) {
		ret = -EINVAL;
		goto out;
	}
	if (EVP_PKEY_derive(ctx, NULL, &len) <= 0 || !len)
		goto out;
	buf = malloc(len);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (EVP_PKEY_derive(ctx, buf, &len) <= 0) {
		jose_free_secret(buf, len);
		goto out;
	}
	*z = buf;
	*zlen = len;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

static uint8_t *put_lv(uint8_t *p, const uint8_t *d, size_t n)
{
	put_be32(p, (uint32_t)n);
	if (n)
		memcpy(p + 4, d, n);
	return p + 4 + n;
}

int jwa_concat_kdf(const uint8_t *z, size_t zlen, const char *alg,
		   const uint8_t *apu, size_t apulen,
		   const uint8_t *apv, size_t apvlen,
		   uint8_t *out, size_t outlen)
{
	size_t alglen = strlen(alg), ilen;
	EVP_KDF_CTX *kctx = NULL;
	EVP_KDF *kdf = NULL;
	OSSL_PARAM params[4];
	uint8_t *info, *p;
	int ret = -EIO;

	if (alglen > 1024 || apulen > 1 << 20 || apvlen > 1 << 20 ||
	    !outlen || outlen > 1 << 20)
		return -EINVAL;
	ilen = 4 + alglen + 4 + apulen + 4 + apvlen + 4;
	info = malloc(ilen);
	if (!info)
		return -ENOMEM;
	p = put_lv(info, (const uint8_t *)alg, alglen);
	p = put_lv(p, apu, apulen);
	p = put_lv(p, apv, apvlen);
	put_be32(p, (uint32_t)(outlen * 8));

	kdf = EVP_KDF_fetch(NULL, "SSKDF", NULL);
	kctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	if (!kctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						      (void *)z, zlen);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
						      info, ilen);
	params[3] = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, outlen, params) == 1)
		ret = 0;
out:
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	free(info);
	return ret;
}

static const EVP_CIPHER *wrap_cipher(size_t keklen)
{
	switch (keklen) {
	case 16: return EVP_aes_128_wrap();
	case 24: return EVP_aes_192_wrap();
	case 32: return EVP_aes_256_wrap();
	}
	return NULL;
}

static int aes_kw(int enc, const uint8_t *kek, size_t keklen,
		  const uint8_t *in, size_t len, uint8_t *out, size_t outlen)
{
	const EVP_CIPHER *c = wrap_cipher(keklen);
	EVP_CIPHER_CTX *ctx;
	int n = 0, m = 0, ret = enc ? -EIO : -EBADMSG;

	if (!c || len % 8 || len < (enc ? 16u : 24u) || len > 1 << 20)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex(ctx, c, NULL, kek, NULL, enc) != 1 ||
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1 ||
	    EVP_CipherFinal_ex(ctx, out + n, &m) != 1 ||
	    (size_t)(n + m) != outlen) {
		OPENSSL_cleanse(out, outlen);
		goto out;
	}
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int jwa_aes_kw_wrap(const uint8_t *kek, size_t keklen,
		    const uint8_t *in, size_t len, uint8_t *out)
{
	return aes_kw(1, kek, keklen, in, len, out, len + 8);
}

int jwa_aes_kw_unwrap(const uint8_t *kek, size_t keklen,
		      const uint8_t *in, size_t len, uint8_t *out)
{
	return aes_kw(0, kek, keklen, in, len, out, len - 8);
}

static const EVP_CIPHER *gcm_cipher(size_t keylen)
{
	switch (keylen) {
	case 16: return EVP_aes_128_gcm();
	case 24: return EVP_aes_192_gcm();
	case 32: return EVP_aes_256_gcm();
	}
	return NULL;
}

/*
 * One GCM pass.  Encrypt: @tag is written.  Decrypt: @tag is checked;
 * a mismatch cleanses @out and gives -EBADMSG.
 */
static int gcm(int enc, const uint8_t *key, size_t keylen, const uint8_t *iv,
	       const uint8_t *aad, size_t aadlen, const uint8_t *in, size_t len,
	       uint8_t *out, uint8_t *tag)
{
	const EVP_CIPHER *c = gcm_cipher(keylen);
	EVP_CIPHER_CTX *ctx;
	int n = 0, ret = -EIO;

	if (!c || len > INT_MAX || aadlen > INT_MAX)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, JWA_GCM_IV_LEN,
				NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc) != 1)
		goto out;
	if (aadlen && EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1)
		goto out;
	if (len && EVP_CipherUpdate(ctx, out, &n, in, (int)len) != 1)
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
					JWA_GCM_TAG_LEN, tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, out + (len ? n : 0), &n) != 1) {
		ret = enc ? -EIO : -EBADMSG;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
				       JWA_GCM_TAG_LEN, tag) != 1)
		goto out;
	ret = 0;
out:
	if (ret && len)
		OPENSSL_cleanse(out, len);
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int jwa_gcm_encrypt(const uint8_t *key, size_t keylen,
		    const uint8_t iv[JWA_GCM_IV_LEN],
		    const uint8_t *aad, size_t aadlen,
		    const uint8_t *in, size_t len,
		    uint8_t *out, uint8_t tag[JWA_GCM_TAG_LEN])
{
	return gcm(1, key, keylen, iv, aad, aadlen, in, len, out, tag);
}

int jwa_gcm_decrypt(const uint8_t *key, size_t keylen,
		    const uint8_t iv[JWA_GCM_IV_LEN],
		    const uint8_t *aad, size_t aadlen,
		    const uint8_t *in, size_t len,
		    const uint8_t tag[JWA_GCM_TAG_LEN], uint8_t *out)
{
	return gcm(0, key, keylen, iv, aad, aadlen, in, len, out,
		   (uint8_t *)tag);
}

static int rsa_ctx_pad(EVP_PKEY_CTX *ctx, enum jwa_rsa_pad pad)
{
	const EVP_MD *md = pad == JWA_RSA_OAEP_SHA256 ? EVP_sha256() : EVP_sha1();

	if (pad == JWA_RSA_PKCS1)
		return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
	return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) > 0 &&
	       EVP_PKEY_CTX_set_rsa_oaep_md(ctx, md) > 0 &&
	       EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0;
}

int jwa_rsa_encrypt(EVP_PKEY *pub, enum jwa_rsa_pad pad,
		    const uint8_t *in, size_t len,
		    uint8_t **out, size_t *outlen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
	uint8_t *buf = NULL;
	size_t n = 0;
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA ||
	    EVP_PKEY_encrypt_init(ctx) <= 0 || !rsa_ctx_pad(ctx, pad)) {
		ret = -EINVAL;
		goto out;
	}
	if (EVP_PKEY_encrypt(ctx, NULL, &n, in, len) <= 0)
		goto out;
	buf = malloc(n);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	if (EVP_PKEY_encrypt(ctx, buf, &n, in, len) <= 0) {
		free(buf);
		goto out;
	}
	*out = buf;
	*outlen = n;
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/* RSA decryption into @tmp (modulus size); returns the length or -1. */
static long rsa_raw_decrypt(EVP_PKEY *priv, enum jwa_rsa_pad pad,
			    const uint8_t *in, size_t len,
			    uint8_t *tmp, size_t tmplen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, priv, NULL);
	size_t n = tmplen;
	long ret = -1;

	if (ctx && EVP_PKEY_decrypt_init(ctx) > 0 && rsa_ctx_pad(ctx, pad) &&
	    EVP_PKEY_decrypt(ctx, tmp, &n, in, len) > 0)
		ret = (long)n;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

int jwa_rsa_decrypt(EVP_PKEY *priv, enum jwa_rsa_pad pad,
		    const uint8_t *in, size_t len,
		    uint8_t *out, size_t keylen)
{
	size_t modlen, i;
	uint8_t *tmp, *rnd = NULL, mask;
	long n;
	int ret;

	if (EVP_PKEY_get_base_id(priv) != EVP_PKEY_RSA || !keylen ||
	    EVP_PKEY_get_size(priv) <= 0)
		return -EINVAL;
	modlen = (size_t)EVP_PKEY_get_size(priv);
	if (keylen > modlen)
		return -EINVAL;
	tmp = calloc(1, modlen);
	if (!tmp)
		return -ENOMEM;
	if (pad == JWA_RSA_PKCS1) {
		/* RFC 7516 §11.5: a random CEK in place of a bad block */
		rnd = malloc(keylen);
		if (!rnd || jwa_random(rnd, keylen)) {
			ret = rnd ? -EIO : -ENOMEM;
			goto out;
		}
	}
	n = rsa_raw_decrypt(priv, pad, in, len, tmp, modlen);
	if (pad != JWA_RSA_PKCS1) {
		ret = n == (long)keylen ? 0 : -EBADMSG;
		if (!ret)
			memcpy(out, tmp, keylen);
		goto out;
	}
	/* constant-time select between the decrypted and the random key */
	mask = (uint8_t)-(uint8_t)(n == (long)keylen);
	for (i = 0; i < keylen; i++)
		out[i] = (uint8_t)((tmp[i] & mask) | (rnd[i] & (uint8_t)~mask));
	ret = 0;
out:
	jose_free_secret(tmp, modlen);
	jose_free_secret(rnd, keylen);
	return ret;
}
