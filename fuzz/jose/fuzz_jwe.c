// SPDX-License-Identifier: GPL-2.0-only
/*
 * JWE decryption (flattened JSON, or the compact form when the input is
 * not JSON) with fixed P-256, P-384 and RSA-2048 keys (fuzz_keys.h), so
 * that the seeds decrypt.  A success must give a buffer, a failure none
 * and one NUL-terminated reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_keys.h"
#include "jose/jwe.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static EVP_PKEY *keys[3];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	keys[0] = fuzz_key(FUZZ_KEY_P256);
	keys[1] = fuzz_key(FUZZ_KEY_P384);
	keys[2] = fuzz_key(FUZZ_KEY_RSA);
	return 0;
}

static void try(EVP_PKEY *k, const json_t *jwe)
{
	uint8_t *pt = NULL;
	size_t n = 0;
	struct err_msg why;
	int ret;

	why.msg[0] = 1;
	ret = jwe_decrypt_ex(k, jwe, JWE_ALLOW_RSA1_5, &pt, &n, &why);
	if (ret) {
		if (pt || n || !memchr(why.msg, 0, sizeof(why.msg)))
			__builtin_trap();
		return;
	}
	if (!pt || pt[n] != 0)
		__builtin_trap();
	jose_free_secret(pt, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *jwe = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
				 NULL);
	size_t i;

	if (!keys[0])
		LLVMFuzzerInitialize(NULL, NULL);
	if (!jwe)
		jwe = json_stringn_nocheck((const char *)data, size);
	for (i = 0; jwe && i < 3; i++)
		try(keys[i], jwe);
	json_decref(jwe);
	return 0;
}
