// SPDX-License-Identifier: GPL-2.0-only
/* Private JWKs -> EVP_PKEY, for test vectors and key files (see jwk.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "jose/jwk.h"
#include "jose/jwk_int.h"
#include "jose/jwk_util.h"
#include "jose/secret.h"
#include "util/err.h"

static int rsa_private(const json_t *jwk, EVP_PKEY **pkey, struct err_msg *why)
{
	static const char *const names[6] = { "d", "p", "q", "dp", "dq", "qi" };
	static const char *const params_names[6] = {
		OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
		OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1,
		OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	};
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = NULL, *e = NULL, *bn[6] = { 0 };
	OSSL_PARAM *params = NULL;
	int ret, i;

	if (!bld)
		return -ENOMEM;
	if (json_object_get(jwk, "oth")) {
		ret = err_fail(why, -EINVAL, "multi-prime RSA keys are not supported");
		goto out;
	}
	ret = jwk_rsa_public(jwk, bld, &n, &e, why);
	for (i = 0; i < 6 && !ret; i++) {
		ret = jwk_bn_member(jwk, names[i], &bn[i], why);
		if (!ret && !OSSL_PARAM_BLD_push_BN(bld, params_names[i], bn[i]))
			ret = -ENOMEM;
	}
	if (ret)
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ret = params ? jwk_pkey_from_params("RSA", params, EVP_PKEY_KEYPAIR,
					    pkey) : -ENOMEM;
	if (ret == -EINVAL)
		err_fail(why, ret, "inconsistent RSA private key");
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	for (i = 0; i < 6; i++)
		BN_clear_free(bn[i]);
	return ret;
}

static int private_to_pkey(const json_t *jwk, EVP_PKEY **pkey,
			   struct err_msg *why)
{
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	uint8_t *d = NULL;
	size_t dlen = 0;
	int ret;

	*pkey = NULL;
	if (!json_is_object(jwk) || !kty)
		return err_fail(why, -EINVAL, "JWK has no \"kty\"");
	if (!strcmp(kty, "RSA"))
		return rsa_private(jwk, pkey, why);
	if (strcmp(kty, "EC") && strcmp(kty, "OKP"))
		return err_fail(why, -EINVAL, "unsupported kty");
	ret = jose_b64_member(jwk, "d", 0, &d, &dlen, why);
	if (ret)
		return ret;
	if (!strcmp(kty, "EC"))
		ret = jwk_build_ec(jwk, d, dlen, pkey, why);
	else
		ret = jwk_build_okp(jwk, d, dlen, pkey, why);
	jose_free_secret(d, dlen);
	return ret;
}

int jwk_private_to_pkey(const json_t *jwk, EVP_PKEY **pkey,
			struct err_msg *why)
{
	int ret = private_to_pkey(jwk, pkey, why);

	return ret == -ENOENT ? -EINVAL : ret;	/* a missing member */
}
