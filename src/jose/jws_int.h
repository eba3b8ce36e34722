/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWS_INT_H
#define CVMM_JOSE_JWS_INT_H

/* Shared by jws.c and jws_verify.c.  Internal to src/jose. */
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

struct jws_alg {
	const char *name;
	const char *crv;	/* jwk_pkey_crv() of the key */
	const char *md;		/* NULL: EdDSA (no pre-hash) */
	size_t siglen;		/* raw signature: R||S or Ed25519 */
};

const struct jws_alg *jws_alg_by_name(const char *name);
const struct jws_alg *jws_alg_of_key(const EVP_PKEY *key);

/* R||S (2 * @n bytes) -> DER (OPENSSL_free() it). */
int jws_raw_to_der(const uint8_t *raw, size_t n, uint8_t **der, size_t *len);

#endif
