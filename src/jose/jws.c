// SPDX-License-Identifier: GPL-2.0-only
/* Compact JWS with ES256/ES384/ES512/EdDSA (see jws.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "jose/b64url.h"
#include "jose/jcs.h"
#include "jose/jwk.h"
#include "jose/jwk_util.h"
#include "jose/jws.h"
#include "jose/jws_int.h"
#include "jose/sbuf.h"

static const struct jws_alg algs[] = {
	{ "ES256", "P-256", "SHA256", 64 },
	{ "ES384", "P-384", "SHA384", 96 },
	{ "ES512", "P-521", "SHA512", 132 },
	{ "EdDSA", "Ed25519", NULL, 64 },
};

const struct jws_alg *jws_alg_of_key(const EVP_PKEY *key)
{
	const char *crv = jwk_pkey_crv(key);
	size_t i;

	for (i = 0; crv && i < ARRAY_SIZE(algs); i++)
		if (!strcmp(algs[i].crv, crv))
			return &algs[i];
	return NULL;
}

const struct jws_alg *jws_alg_by_name(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(algs); i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

const char *jws_alg_for_key(const EVP_PKEY *key)
{
	const struct jws_alg *a = jws_alg_of_key(key);

	return a ? a->name : NULL;
}

/* DER ECDSA signature -> R||S, each @n bytes. */
static int der_to_raw(const uint8_t *der, size_t len, size_t n, uint8_t *raw)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	int ret = -EIO;

	if (!sig)
		return -EIO;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, (int)n) == (int)n &&
	    BN_bn2binpad(s, raw + n, (int)n) == (int)n)
		ret = 0;
	ECDSA_SIG_free(sig);
	return ret;
}

/* R||S (2 * @n bytes) -> DER in a fresh buffer. */
int jws_raw_to_der(const uint8_t *raw, size_t n, uint8_t **der, size_t *len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)n, NULL);
	BIGNUM *s = BN_bin2bn(raw + n, (int)n, NULL);
	unsigned char *out = NULL;
	int dlen, ret = -ENOMEM;

	if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s))
		goto fail;
	r = s = NULL;
	dlen = i2d_ECDSA_SIG(sig, &out);
	if (dlen <= 0)
		goto fail;
	*der = out;
	*len = (size_t)dlen;
	ret = 0;
fail:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return ret;
}

static int sign_raw(EVP_PKEY *key, const struct jws_alg *a,
		    const char *msg, size_t len, uint8_t *out, size_t *outlen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t der[160];
	size_t dlen = sizeof(der);
	int ret = -EIO;

	if (!ctx)
		return -ENOMEM;
	if (EVP_DigestSignInit_ex(ctx, NULL, a->md, NULL, NULL, key, NULL) != 1 ||
	    EVP_DigestSign(ctx, a->md ? der : out, &dlen,
			   (const uint8_t *)msg, len) != 1)
		goto out;
	if (!a->md) {
		ret = dlen == 64 ? 0 : -EIO;
		*outlen = 64;
	} else {
		ret = der_to_raw(der, dlen, a->siglen / 2, out);
		*outlen = a->siglen;
	}
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* The header {"alg":@alg} + @extra, canonical. */
static int make_header(const char *alg, const json_t *extra, char **out)
{
	json_t *h = json_object();
	int ret = -ENOMEM;

	if (!h)
		return -ENOMEM;
	if (extra && (!json_is_object(extra) || json_object_get(extra, "alg"))) {
		ret = -EINVAL;
		goto out;
	}
	if ((extra && json_object_update(h, (json_t *)extra)) ||
	    json_object_set_new(h, "alg", json_string(alg)))
		goto out;
	ret = jcs_serialize(h, out, NULL);
out:
	json_decref(h);
	return ret;
}

static void add_b64(struct sbuf *b, const void *d, size_t n)
{
	char *s = b64url_encode(d, n);

	if (!s)
		b->err = -ENOMEM;
	else
		sbuf_adds(b, s);
	free(s);
}

int jws_sign(EVP_PKEY *key, const char *alg, const json_t *header_extra,
	     const json_t *claims, char **compact)
{
	const struct jws_alg *a = jws_alg_of_key(key);
	char *h = NULL, *p = NULL;
	struct sbuf b = { 0 };
	uint8_t sig[132];
	size_t siglen = 0;
	int ret;

	if (!a || !alg || strcmp(a->name, alg) || !json_is_object(claims))
		return -EINVAL;
	ret = make_header(alg, header_extra, &h);
	if (!ret && !(p = json_dumps(claims, JSON_COMPACT | JSON_SORT_KEYS |
				      JSON_REAL_PRECISION(17))))
		ret = -ENOMEM;
	if (ret)
		goto out;
	add_b64(&b, h, strlen(h));
	sbuf_addc(&b, '.');
	add_b64(&b, p, strlen(p));
	ret = b.err;
	if (!ret)
		ret = sign_raw(key, a, b.p, b.len, sig, &siglen);
	if (ret)
		goto out;
	sbuf_addc(&b, '.');
	add_b64(&b, sig, siglen);
	ret = sbuf_finish(&b, compact, NULL);
out:
	free(b.p);
	free(h);
	free(p);
	return ret;
}
