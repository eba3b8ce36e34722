// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compact JWS verification, with the key from the "jwk" header and with
 * fixed ES256 and Ed25519 keys (fuzz_keys.h, the seeds' signers).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz_keys.h"
#include "jose/jws.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static EVP_PKEY *keys[2];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	keys[0] = fuzz_key(FUZZ_KEY_ES256);
	keys[1] = fuzz_key(FUZZ_KEY_ED25519);
	return 0;
}

static void try(const char *tok, EVP_PKEY *k)
{
	json_t *h = NULL, *c = NULL;
	struct err_msg why;
	int ret;

	why.msg[0] = 1;
	ret = jws_verify(tok, k, &h, &c, &why);
	if (ret) {
		if (h || c || !memchr(why.msg, 0, sizeof(why.msg)))
			__builtin_trap();
		return;
	}
	if (!json_is_object(h) || !json_is_object(c))
		__builtin_trap();
	(void)jwt_check_time(c, 1700000000, 60, 1, &why);
	json_decref(h);
	json_decref(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok;

	if (!keys[0])
		LLVMFuzzerInitialize(NULL, NULL);
	tok = malloc(size + 1);
	if (!tok)
		return 0;
	memcpy(tok, data, size);
	tok[size] = 0;
	try(tok, NULL);
	try(tok, keys[0]);
	try(tok, keys[1]);
	free(tok);
	return 0;
}
