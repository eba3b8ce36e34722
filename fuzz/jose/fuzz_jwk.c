// SPDX-License-Identifier: GPL-2.0-only
/*
 * JWK import: a key that imports must export to a JWK that imports to the
 * same key; the thumbprint of anything that imports must be computable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "jose/jwk.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(EVP_PKEY *k, const json_t *in)
{
	json_t *j = jwk_from_pkey(k, "x");
	EVP_PKEY *back = NULL;
	uint8_t t1[32], t2[32];

	if (!j || jwk_to_pkey(j, &back, NULL) || EVP_PKEY_eq(k, back) != 1)
		__builtin_trap();
	/* the same key, so the same RFC 7638 thumbprint */
	if (jwk_thumbprint(j, t1) || jwk_thumbprint(in, t2) || memcmp(t1, t2, 32))
		__builtin_trap();
	EVP_PKEY_free(back);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
			       NULL);
	EVP_PKEY *k = NULL;
	struct err_msg why;
	uint8_t t[32];

	if (!j)
		return 0;
	why.msg[0] = 1;
	if (!jwk_to_pkey(j, &k, &why))
		round_trip(k, j);
	else if (k || !memchr(why.msg, 0, sizeof(why.msg)))
		__builtin_trap();
	EVP_PKEY_free(k);
	k = NULL;
	if (!jwk_private_to_pkey(j, &k, &why))
		round_trip(k, j);
	EVP_PKEY_free(k);
	(void)jwk_thumbprint(j, t);
	json_decref(j);
	return 0;
}
