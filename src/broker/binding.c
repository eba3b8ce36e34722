// SPDX-License-Identifier: GPL-2.0-only
/* Runtime-data binding and the tee-pubkey (see binding.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "broker/binding.h"
#include "jose/jcs.h"
#include "jose/jwk.h"
#include "util/err.h"

static int only_members(const json_t *jwk, const char *const *allowed,
			struct err_msg *why)
{
	const char *key;
	json_t *v;
	int i;

	json_object_foreach((json_t *)jwk, key, v) {
		for (i = 0; allowed[i]; i++)
			if (!strcmp(key, allowed[i]))
				break;
		if (!allowed[i])
			return err_fail(why, -EINVAL,
					"tee-pubkey: unexpected member \"%s\"", key);
		if (!json_is_string(v))
			return err_fail(why, -EINVAL,
					"tee-pubkey: \"%s\" must be a string", key);
	}
	for (i = 0; allowed[i]; i++)
		if (!json_object_get(jwk, allowed[i]))
			return err_fail(why, -EINVAL, "tee-pubkey: missing \"%s\"",
					allowed[i]);
	return 0;
}

static int check_shape(const json_t *jwk, bool allow_rsa1_5, enum jwe_alg *alg,
		       struct err_msg *why)
{
	static const char *const ec[] = { "kty", "crv", "alg", "x", "y", NULL };
	static const char *const rsa[] = { "kty", "alg", "n", "e", NULL };
	const char *kty = json_string_value(json_object_get(jwk, "kty"));
	const char *a = json_string_value(json_object_get(jwk, "alg"));
	const char *crv;

	if (!json_is_object(jwk) || !kty)
		return err_fail(why, -EINVAL, "tee-pubkey: expected a JWK object");
	if (!strcmp(kty, "EC")) {
		if (only_members(jwk, ec, why))
			return -EINVAL;
		crv = json_string_value(json_object_get(jwk, "crv"));
		if (strcmp(crv, "P-256") && strcmp(crv, "P-384") && strcmp(crv, "P-521"))
			return err_fail(why, -EINVAL,
					"tee-pubkey: curve %s is not supported", crv);
		if (strcmp(a, "ECDH-ES+A256KW"))
			return err_fail(why, -EINVAL,
					"tee-pubkey: alg %s does not fit an EC key", a);
		*alg = JWE_ECDH_ES_A256KW;
		return 0;
	}
	if (strcmp(kty, "RSA"))
		return err_fail(why, -EINVAL, "tee-pubkey: kty %s is not supported", kty);
	if (only_members(jwk, rsa, why))
		return -EINVAL;
	if (!strcmp(a, "RSA-OAEP-256")) {
		*alg = JWE_RSA_OAEP_256;
	} else if (!strcmp(a, "RSA1_5")) {
		if (!allow_rsa1_5)
			return err_fail(why, -EINVAL,
					"tee-pubkey: %s is refused (deprecated; the broker was not started with --allow-rsa1_5)",
					a);
		*alg = JWE_RSA1_5;
	} else {
		return err_fail(why, -EINVAL,
				"tee-pubkey: alg %s does not fit an RSA key", a);
	}
	return 0;
}

int tee_key_parse(const json_t *jwk, bool allow_rsa1_5, struct tee_key *k,
		  struct err_msg *why)
{
	struct err_msg kwhy;
	int ret;

	memset(k, 0, sizeof(*k));
	ret = check_shape(jwk, allow_rsa1_5, &k->alg, why);
	if (ret)
		return ret;
	ret = jwk_to_pkey(jwk, &k->pkey, &kwhy);
	if (ret == -EINVAL)
		return err_fail(why, -EINVAL, "tee-pubkey: %s", kwhy.msg);
	if (ret)
		return ret;
	k->jwk = json_deep_copy(jwk);
	if (!k->jwk) {
		tee_key_free(k);
		return -ENOMEM;
	}
	return 0;
}

void tee_key_free(struct tee_key *k)
{
	json_decref(k->jwk);
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof(*k));
}

int binding_report_data(const char *nonce, const json_t *tee_jwk,
			const char *additional_evidence, uint8_t out[64])
{
	json_t *rd = json_pack("{s:s,s:s,s:O}", "additional-evidence",
			       additional_evidence ? additional_evidence : "",
			       "nonce", nonce, "tee-pubkey", tee_jwk);
	int ret;

	if (!rd)
		return -ENOMEM;
	memset(out, 0, 64);
	ret = jcs_sha384(rd, out);
	json_decref(rd);
	return ret;
}
