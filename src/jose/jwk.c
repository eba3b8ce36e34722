// SPDX-License-Identifier: GPL-2.0-only
/* Public JWKs <-> EVP_PKEY (see jwk.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "jose/b64url.h"
#include "jose/jwk.h"
#include "jose/jwk_int.h"
#include "jose/jwk_util.h"
#include "util/err.h"

static const char *const private_members[] = {
	"d", "p", "q", "dp", "dq", "qi", "oth", "k",
};

/*
 * A key built from @params passes OpenSSL's public (EC: the point is on
 * the curve and of the right order) or pairwise check.  RSA public keys
 * get only the structural checks of jwk_rsa_public(): OpenSSL's RSA
 * public check (SP 800-56B) runs a randomized primality test on n, which
 * would accept or refuse some hostile moduli at random.
 */
int jwk_pkey_from_params(const char *type, OSSL_PARAM *params,
			 int selection, EVP_PKEY **out)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY_CTX *chk = NULL;
	EVP_PKEY *pkey = NULL;
	int ret = -EINVAL;

	if (!ctx)
		return -ENOMEM;
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		goto out;
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!chk) {
		ret = -ENOMEM;
		goto out;
	}
	if (selection == EVP_PKEY_PUBLIC_KEY ?
	    strcmp(type, "RSA") && EVP_PKEY_public_check(chk) != 1 :
	    EVP_PKEY_pairwise_check(chk) != 1)
		goto out;
	*out = pkey;
	pkey = NULL;
	ret = 0;
out:
	ERR_clear_error();
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

int jwk_build_ec(const json_t *jwk, const uint8_t *d, size_t dlen,
		 EVP_PKEY **pkey, struct err_msg *why)
{
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	const struct jose_curve *c = jose_curve_by_crv(crv);
	uint8_t *x = NULL, *y = NULL, pt[1 + 2 * 66];
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	BIGNUM *priv = NULL;
	size_t xl, yl;
	int ret;

	if (!c)
		return err_fail(why, -EINVAL, "unsupported EC curve");
	ret = jose_b64_member(jwk, "x", c->len, &x, &xl, why);
	if (!ret)
		ret = jose_b64_member(jwk, "y", c->len, &y, &yl, why);
	if (ret)
		goto out;
	if (d && dlen != c->len) {
		ret = err_fail(why, -EINVAL, "\"d\" has the wrong length");
		goto out;
	}
	pt[0] = 4;
	memcpy(pt + 1, x, c->len);
	memcpy(pt + 1 + c->len, y, c->len);
	ret = -ENOMEM;
	bld = OSSL_PARAM_BLD_new();
	if (!bld || (d && !(priv = BN_secure_new())) ||
	    (d && !BN_bin2bn(d, (int)dlen, priv)) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     c->group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
					      1 + 2 * c->len) ||
	    (d && !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)))
		goto out;
	ret = jwk_pkey_from_params("EC", params, d ? EVP_PKEY_KEYPAIR :
			       EVP_PKEY_PUBLIC_KEY, pkey);
	if (ret == -EINVAL)
		err_fail(why, ret, d ? "EC private key does not match its public point" :
			 "EC point is not on the curve");
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(priv);
	free(x);
	free(y);
	return ret;
}

/* A minimal big-endian integer member (no leading zero byte). */
int jwk_bn_member(const json_t *jwk, const char *name, BIGNUM **bn,
		  struct err_msg *why)
{
	uint8_t *b;
	size_t n;
	int ret = jose_b64_member(jwk, name, 0, &b, &n, why);

	if (ret)
		return ret;
	if (!n || b[0] == 0 || n > 2048) {
		free(b);
		return err_fail(why, -EINVAL, "\"%s\" is not a minimal positive integer",
				name);
	}
	*bn = BN_secure_new();
	if (!*bn || !BN_bin2bn(b, (int)n, *bn)) {
		BN_free(*bn);
		*bn = NULL;
		ret = -ENOMEM;
	}
	OPENSSL_cleanse(b, n);
	free(b);
	return ret;
}

/* Check n and e of an RSA JWK and push them to @bld. */
int jwk_rsa_public(const json_t *jwk, OSSL_PARAM_BLD *bld, BIGNUM **n,
		   BIGNUM **e, struct err_msg *why)
{
	int ret = jwk_bn_member(jwk, "n", n, why);

	if (!ret)
		ret = jwk_bn_member(jwk, "e", e, why);
	if (ret)
		return ret;
	if (BN_num_bits(*n) < 2048 || BN_num_bits(*n) > 16384)
		return err_fail(why, -EINVAL,
				"RSA modulus of %d bits (2048 to 16384 accepted)",
				BN_num_bits(*n));
	if (!BN_is_odd(*n) || !BN_is_odd(*e) || BN_is_one(*e) ||
	    BN_num_bits(*e) > 64)
		return err_fail(why, -EINVAL, "bad RSA exponent or modulus");
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, *n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, *e))
		return -ENOMEM;
	return 0;
}

static int rsa_to_pkey(const json_t *jwk, EVP_PKEY **pkey, struct err_msg *why)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	BIGNUM *n = NULL, *e = NULL;
	int ret = -ENOMEM;

	if (!bld)
		return -ENOMEM;
	ret = jwk_rsa_public(jwk, bld, &n, &e, why);
	if (ret)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ret = params ? jwk_pkey_from_params("RSA", params, EVP_PKEY_PUBLIC_KEY,
					pkey) : -ENOMEM;
	if (ret == -EINVAL)
		err_fail(why, ret, "OpenSSL refuses the RSA key");
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return ret;
}

int jwk_build_okp(const json_t *jwk, const uint8_t *d, size_t dlen,
		  EVP_PKEY **pkey, struct err_msg *why)
{
	const char *crv = json_string_value(json_object_get(jwk, "crv"));
	uint8_t *x = NULL, pub[32];
	size_t xl, pl = sizeof(pub);
	int ret;

	if (!crv || strcmp(crv, "Ed25519"))
		return err_fail(why, -EINVAL, "unsupported OKP curve");
	ret = jose_b64_member(jwk, "x", 32, &x, &xl, why);
	if (ret)
		return ret;
	if (d && dlen != 32)
		ret = err_fail(why, -EINVAL, "\"d\" has the wrong length");
	else if (d)
		*pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, d, 32);
	else
		*pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, x, 32);
	if (!ret && !*pkey)
		ret = -ENOMEM;
	if (!ret && d && (!EVP_PKEY_get_raw_public_key(*pkey, pub, &pl) ||
			  pl != 32 || memcmp(pub, x, 32))) {
		EVP_PKEY_free(*pkey);
		*pkey = NULL;
		ret = err_fail(why, -EINVAL, "Ed25519 private key does not match \"x\"");
	}
	free(x);
	return ret;
}

static int to_pkey(const json_t *jwk, EVP_PKEY **pkey, struct err_msg *why)
{
	const char *kty;
	size_t i;

	*pkey = NULL;
	if (!json_is_object(jwk))
		return err_fail(why, -EINVAL, "JWK is not an object");
	for (i = 0; i < ARRAY_SIZE(private_members); i++)
		if (json_object_get(jwk, private_members[i]))
			return err_fail(why, -EINVAL, "JWK has the private member \"%s\"",
					private_members[i]);
	kty = json_string_value(json_object_get(jwk, "kty"));
	if (!kty)
		return err_fail(why, -EINVAL, "JWK has no \"kty\"");
	if (!strcmp(kty, "EC"))
		return jwk_build_ec(jwk, NULL, 0, pkey, why);
	if (!strcmp(kty, "RSA"))
		return rsa_to_pkey(jwk, pkey, why);
	if (!strcmp(kty, "OKP"))
		return jwk_build_okp(jwk, NULL, 0, pkey, why);
	return err_fail(why, -EINVAL, "unsupported kty");
}

int jwk_to_pkey(const json_t *jwk, EVP_PKEY **pkey, struct err_msg *why)
{
	int ret = to_pkey(jwk, pkey, why);

	return ret == -ENOENT ? -EINVAL : ret;	/* a missing member */
}
