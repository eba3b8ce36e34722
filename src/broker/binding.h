/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_BINDING_H
#define CVMM_BROKER_BINDING_H

/*
 * What binds evidence to a KBS session (key-broker.md "Binding"):
 *
 *   REPORT_DATA = SHA-384(JCS({"additional-evidence": <as sent>,
 *                              "nonce": <the session's nonce>,
 *                              "tee-pubkey": <JWK>})) ‖ 16 zero bytes
 *
 * The tee-pubkey is the JWK Trustee's kbs-types accept: exactly
 * {"kty":"EC","crv":"P-256"|"P-384"|"P-521","alg":"ECDH-ES+A256KW","x","y"}
 * or {"kty":"RSA","alg":"RSA-OAEP-256"|"RSA1_5","n","e"}; any other member
 * is refused (Trustee rebuilds the JWK from these fields, so a client that
 * hashed extra members could never match).  RSA1_5 is refused unless the
 * broker allows it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "jose/jwe.h"
#include "util/err.h"

struct tee_key {
	json_t *jwk;			/* canonical members only */
	EVP_PKEY *pkey;
	enum jwe_alg alg;
};

/* Validate @jwk.  0 or -EINVAL (reason in @why) / -ENOMEM. */
int tee_key_parse(const json_t *jwk, bool allow_rsa1_5, struct tee_key *k,
		  struct err_msg *why);
void tee_key_free(struct tee_key *k);

/* The 64-byte REPORT_DATA / REPORTDATA the evidence must carry. */
int binding_report_data(const char *nonce, const json_t *tee_jwk,
			const char *additional_evidence, uint8_t out[64]);

#endif
