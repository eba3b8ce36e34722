// SPDX-License-Identifier: GPL-2.0-only
/* Compact JWS verification and JWT time checks (see jws.h). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>

#include "jose/b64url.h"
#include "jose/jwk.h"
#include "jose/jwk_util.h"
#include "jose/jws.h"
#include "jose/jws_int.h"
#include "util/err.h"

static json_t *load_object(const uint8_t *d, size_t n)
{
	json_t *v = json_loadb((const char *)d, n, JSON_REJECT_DUPLICATES, NULL);

	if (json_is_object(v))
		return v;
	json_decref(v);
	return NULL;
}

/* Decode a base64url JSON-object part. */
static int part_object(const char *s, size_t n, const char *what, json_t **out,
		       struct err_msg *why)
{
	uint8_t *d;
	size_t len;

	if (b64url_decode(s, n, &d, &len))
		return err_fail(why, -EINVAL, "JWS %s is not base64url", what);
	*out = load_object(d, len);
	free(d);
	if (!*out)
		return err_fail(why, -EINVAL, "JWS %s is not a JSON object", what);
	return 0;
}

/* EVP_DigestVerify of @sig (R||S for ECDSA) over @msg. */
static int verify_raw(EVP_PKEY *key, const struct jws_alg *a, const char *msg,
		      size_t len, const uint8_t *sig, size_t siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *der = NULL;
	int ret = -EBADMSG;

	if (!ctx)
		return -ENOMEM;
	if (a->md) {
		ret = jws_raw_to_der(sig, siglen / 2, &der, &siglen);
		if (ret)
			goto out;
		sig = der;
		ret = -EBADMSG;
	}
	if (EVP_DigestVerifyInit_ex(ctx, NULL, a->md, NULL, NULL, key,
				    NULL) == 1 &&
	    EVP_DigestVerify(ctx, sig, siglen, (const uint8_t *)msg, len) == 1)
		ret = 0;
out:
	ERR_clear_error();
	OPENSSL_free(der);
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* The key to verify with (@key or the "jwk" header) and the alg index. */
static int pick_key(const json_t *hdr, EVP_PKEY *key, EVP_PKEY **own,
		    const struct jws_alg **a, struct err_msg *why)
{
	const char *alg = json_string_value(json_object_get(hdr, "alg"));
	const char *crv;
	int ret;

	*own = NULL;
	if (json_object_get(hdr, "crit") || json_object_get(hdr, "b64"))
		return err_fail(why, -EINVAL, "JWS header has \"crit\" or \"b64\"");
	*a = jws_alg_by_name(alg);
	if (!*a)
		return err_fail(why, -EINVAL, "JWS alg is not supported");
	if (!key) {
		struct err_msg tmp = { "" };

		ret = jwk_to_pkey(json_object_get(hdr, "jwk"), own, &tmp);
		if (ret)
			return err_fail(why, ret, "JWS \"jwk\" header: %s", tmp.msg);
		key = *own;
	}
	crv = jwk_pkey_crv(key);
	if (!crv || strcmp(crv, (*a)->crv))
		return err_fail(why, -EINVAL, "JWS alg %s does not fit the key", alg);
	return 0;
}

int jws_verify(const char *compact, EVP_PKEY *key, json_t **header,
	       json_t **claims, struct err_msg *why)
{
	const char *d1, *d2;
	json_t *hdr = NULL, *cl = NULL;
	EVP_PKEY *own = NULL;
	uint8_t *sig = NULL;
	const struct jws_alg *a = NULL;
	size_t n, siglen;
	int ret;

	n = compact ? strnlen(compact, JWS_MAX_LEN + 1) : 0;
	if (!n || n > JWS_MAX_LEN)
		return err_fail(why, -EINVAL, "JWS is empty or too long");
	d1 = strchr(compact, '.');
	d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d2 || strchr(d2 + 1, '.'))
		return err_fail(why, -EINVAL, "JWS has not 3 parts");
	ret = part_object(compact, (size_t)(d1 - compact), "header", &hdr,
			  why);
	if (!ret)
		ret = pick_key(hdr, key, &own, &a, why);
	if (ret)
		goto out;
	if (b64url_decode(d2 + 1, strlen(d2 + 1), &sig, &siglen)) {
		ret = err_fail(why, -EINVAL, "JWS signature is not base64url");
		goto out;
	}
	if (siglen != a->siglen) {
		ret = err_fail(why, -EINVAL, "JWS signature has %zu bytes, not %zu",
			       siglen, a->siglen);
		goto out;
	}
	ret = verify_raw(key ? key : own, a, compact, (size_t)(d2 - compact),
			 sig, siglen);
	if (ret == -EBADMSG)
		err_fail(why, ret, "JWS signature does not verify");
	/* the payload is parsed only once it is authentic */
	if (!ret)
		ret = part_object(d1 + 1, (size_t)(d2 - d1 - 1), "payload", &cl,
				  why);
out:
	if (!ret && header) {
		*header = hdr;
		hdr = NULL;
	}
	if (!ret && claims) {
		*claims = cl;
		cl = NULL;
	}
	json_decref(hdr);
	json_decref(cl);
	EVP_PKEY_free(own);
	free(sig);
	return ret;
}

/* A numeric claim @name into *t; 1 if present, 0 if absent, <0 if bad. */
static int time_claim(const json_t *claims, const char *name, double *t,
		      struct err_msg *why)
{
	json_t *v = json_object_get(claims, name);

	if (!v)
		return 0;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return err_fail(why, -EINVAL, "JWT \"%s\" is not a number", name);
	*t = json_number_value(v);
	return 1;
}

int jwt_check_time(const json_t *claims, time_t now, long leeway,
		   int need_exp, struct err_msg *why)
{
	double t, lo = (double)now - (double)leeway, hi = (double)now + (double)leeway;
	int ret;

	if (!json_is_object(claims))
		return err_fail(why, -EINVAL, "JWT claims are not an object");
	ret = time_claim(claims, "exp", &t, why);
	if (ret < 0)
		return ret;
	if (!ret && need_exp)
		return err_fail(why, -EINVAL, "JWT has no \"exp\"");
	if (ret && t <= lo)
		return err_fail(why, -EKEYEXPIRED, "JWT has expired");
	ret = time_claim(claims, "nbf", &t, why);
	if (ret < 0)
		return ret;
	if (ret && t > hi)
		return err_fail(why, -EKEYEXPIRED, "JWT is not valid yet");
	ret = time_claim(claims, "iat", &t, why);
	if (ret < 0)
		return ret;
	if (ret && t > hi)
		return err_fail(why, -EKEYEXPIRED, "JWT was issued in the future");
	return 0;
}
