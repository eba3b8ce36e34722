// SPDX-License-Identifier: GPL-2.0-only
/* Public JWK export, key generation, RFC 7638 thumbprints (see jwk.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>

#include "jose/b64url.h"
#include "jose/jcs.h"
#include "jose/jwk.h"
#include "jose/jwk_util.h"

/* Set member @name to base64url(@d) (@n bytes). */
static int set_b64(json_t *o, const char *name, const uint8_t *d, size_t n)
{
	char *s = b64url_encode(d, n);
	int ret = s ? json_object_set_new(o, name, json_string(s)) : -1;

	free(s);
	return ret ? -ENOMEM : 0;
}

/* Set member @name to the big-endian BIGNUM @bn, @pad bytes (0: minimal). */
static int set_bn(json_t *o, const char *name, const BIGNUM *bn, size_t pad)
{
	size_t n = pad ? pad : (size_t)BN_num_bytes(bn);
	uint8_t *b = malloc(n ? n : 1);
	int ret = -ENOMEM;

	if (b && BN_bn2binpad(bn, b, (int)n) == (int)n)
		ret = set_b64(o, name, b, n);
	free(b);
	return ret;
}

static int export_ec(const EVP_PKEY *pkey, json_t *o)
{
	const struct jose_curve *c = jose_curve_of(pkey);
	BIGNUM *x = NULL, *y = NULL;
	int ret = -EINVAL;

	if (!c)
		return -EINVAL;
	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y))
		goto out;
	ret = -ENOMEM;
	if (json_object_set_new(o, "kty", json_string("EC")) ||
	    json_object_set_new(o, "crv", json_string(c->crv)))
		goto out;
	ret = set_bn(o, "x", x, c->len);
	if (!ret)
		ret = set_bn(o, "y", y, c->len);
out:
	BN_free(x);
	BN_free(y);
	return ret;
}

static int export_rsa(const EVP_PKEY *pkey, json_t *o)
{
	BIGNUM *n = NULL, *e = NULL;
	int ret = -EINVAL;

	if (!EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e))
		goto out;
	ret = json_object_set_new(o, "kty", json_string("RSA")) ? -ENOMEM : 0;
	if (!ret)
		ret = set_bn(o, "n", n, 0);
	if (!ret)
		ret = set_bn(o, "e", e, 0);
out:
	BN_free(n);
	BN_free(e);
	return ret;
}

static int export_okp(const EVP_PKEY *pkey, json_t *o)
{
	uint8_t x[32];
	size_t n = sizeof(x);

	if (!EVP_PKEY_get_raw_public_key(pkey, x, &n) || n != 32)
		return -EINVAL;
	if (json_object_set_new(o, "kty", json_string("OKP")) ||
	    json_object_set_new(o, "crv", json_string("Ed25519")))
		return -ENOMEM;
	return set_b64(o, "x", x, n);
}

json_t *jwk_from_pkey(const EVP_PKEY *pkey, const char *alg)
{
	json_t *o = json_object();
	int ret = -ENOMEM;

	if (!o || !pkey)
		goto fail;
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_EC:
		ret = export_ec(pkey, o);
		break;
	case EVP_PKEY_RSA:
		ret = export_rsa(pkey, o);
		break;
	case EVP_PKEY_ED25519:
		ret = export_okp(pkey, o);
		alg = NULL;
		break;
	default:
		goto fail;
	}
	if (!ret && alg && json_object_set_new(o, "alg", json_string(alg)))
		ret = -ENOMEM;
	if (!ret)
		return o;
fail:
	json_decref(o);
	return NULL;
}

EVP_PKEY *jwk_generate(const char *kind)
{
	if (!kind)
		return NULL;
	if (jose_curve_by_crv(kind))
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", kind);
	if (!strcmp(kind, "RSA-2048"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	if (!strcmp(kind, "RSA-3072"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
	if (!strcmp(kind, "RSA-4096"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)4096);
	if (!strcmp(kind, "Ed25519"))
		return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	return NULL;
}

int jwk_thumbprint(const json_t *jwk, uint8_t out[32])
{
	static const char *const ec[] = { "crv", "kty", "x", "y", NULL };
	static const char *const rsa[] = { "e", "kty", "n", NULL };
	static const char *const okp[] = { "crv", "kty", "x", NULL };
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	const char *const *names;
	unsigned int mdlen = 0;
	json_t *req;
	size_t len;
	char *s;
	int ret;

	if (!kty)
		return -EINVAL;
	names = !strcmp(kty, "EC") ? ec : !strcmp(kty, "RSA") ? rsa :
		!strcmp(kty, "OKP") ? okp : NULL;
	if (!names)
		return -EINVAL;
	req = json_object();
	if (!req)
		return -ENOMEM;
	for (ret = 0; *names && !ret; names++) {
		json_t *v = json_object_get(jwk, *names);

		if (!json_is_string(v))
			ret = -EINVAL;
		else if (json_object_set(req, *names, v))
			ret = -ENOMEM;
	}
	if (!ret)
		ret = jcs_serialize(req, &s, &len);
	json_decref(req);
	if (ret)
		return ret;
	if (!EVP_Digest(s, len, out, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		ret = -EIO;
	free(s);
	return ret;
}

const char *jwk_pkey_crv(const EVP_PKEY *pkey)
{
	const struct jose_curve *c = jose_curve_of(pkey);

	if (c)
		return c->crv;
	if (pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519)
		return "Ed25519";
	return NULL;
}

int jwk_pkey_is_rsa(const EVP_PKEY *pkey)
{
	return pkey && EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA;
}
