// SPDX-License-Identifier: GPL-2.0-only
/*
 * Broker answers as the RCAR client reads them: the challenge, the token,
 * an error body, Set-Cookie lines, and the resource JWE (decrypted with a
 * tee key made once per process).
 */
#include <stdint.h>
#include <string.h>

#include "agent/rcar.h"
#include "jose/secret.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static EVP_PKEY *key;
	const char *s = (const char *)data;
	char nonce[RCAR_NONCE_MAX], why[256], out[300], sess[RCAR_SESSION_MAX];
	uint8_t *secret;
	size_t n;

	if (!key)
		key = rcar_tee_key("P-256");
	if (!rcar_parse_challenge(s, size, nonce, sizeof(nonce), why, sizeof(why)) &&
	    (!nonce[0] || strlen(nonce) >= RCAR_NONCE_MAX))
		__builtin_trap();
	rcar_parse_token(s, size, why, sizeof(why));
	rcar_error_reason(403, s, size, out, sizeof(out));
	for (n = 0; n < strlen(out); n++)
		if (out[n] < 0x20 || out[n] > 0x7e)
			__builtin_trap();		/* one printable line */
	if (rcar_parse_set_cookie(s, size, sess, sizeof(sess)) == 1 && !sess[0])
		__builtin_trap();
	if (key && !rcar_decrypt_resource(key, s, size, &secret, &n, why, sizeof(why)))
		jose_free_secret(secret, n);
	return 0;
}
