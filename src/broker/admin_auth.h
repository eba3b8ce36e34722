/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_ADMIN_AUTH_H
#define CVMM_BROKER_ADMIN_AUTH_H

/*
 * Admin bearer tokens: a compact JWS signed by the admin's private key
 * (Ed25519 "EdDSA", ECDSA P-256 "ES256" or P-384 "ES384"); the broker holds
 * only the public key (--admin-key PUB.pem).  Claims:
 *   {"aud":"cvmm-broker-admin","iat":T,"exp":T+60,"jti":"<random hex>",
 *    "htm":"POST","htu":"/kbs/v0/resource/r/t/g","bsh":"<b64url SHA-256 of body>"}
 * A token is good for one request: its method, path and body hash must
 * match, its lifetime is at most ADMIN_TOKEN_MAX_S, and its jti is
 * remembered until it expires so it cannot be replayed — by every replica
 * of a fleet when jti_shared is set (fleet.h).
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "util/err.h"

#define ADMIN_TOKEN_TTL_S	60
#define ADMIN_TOKEN_MAX_S	300
#define ADMIN_LEEWAY_S		30
#define ADMIN_JTI_MAX		4096

struct admin_jti;

struct admin_auth {
	EVP_PKEY *pub;
	pthread_mutex_t lock;
	struct admin_jti *seen;		/* jtis until their expiry */
	size_t nseen;
	/* optional: claim @jti fleet-wide (0, -EEXIST: used on another replica) */
	int (*jti_shared)(void *ctx, const char *jti, int64_t exp);
	void *jti_ctx;
};

/* Load the public key (PEM).  0 or -errno with @why. */
int admin_auth_init(struct admin_auth *a, const char *pem, struct err_msg *why);
void admin_auth_free(struct admin_auth *a);

/* Check "Authorization: Bearer …" for this request.  0 or -EACCES with @why. */
int admin_auth_check(struct admin_auth *a, const char *authorization, const char *method,
		     const char *path, const uint8_t *body, size_t len, int64_t now,
		     struct err_msg *why);

/* Make a token (client side) into *token (free()). */
int admin_token_make(EVP_PKEY *priv, const char *method, const char *path,
		     const uint8_t *body, size_t len, int64_t now, char **token);

#endif
