/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWS_H
#define CVMM_JOSE_JWS_H

/*
 * Compact JWS (RFC 7515) / JWT (RFC 7519) with asymmetric keys only:
 *
 *   ES256  ECDSA P-256 + SHA-256, signature R||S 64 bytes
 *   ES384  ECDSA P-384 + SHA-384, 96 bytes
 *   ES512  ECDSA P-521 + SHA-512, 132 bytes
 *   EdDSA  Ed25519 (RFC 8037), 64 bytes
 *
 * The broker's EAR token is ES256 with a "jwk" header; admin bearer tokens
 * are EdDSA or ES256.  Verification matches "alg" strictly against the
 * key's type and curve ("none", HMAC and RSA algs are refused, so there is
 * no alg confusion), refuses "crit" and "b64", and wants R||S of exactly
 * the curve's length.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "util/err.h"

/* Largest compact JWS accepted by jws_verify() (16 MiB). */
#define JWS_MAX_LEN	(16u << 20)

/*
 * The JWS alg that fits @key ("ES256" for P-256, "ES384", "ES512",
 * "EdDSA"), or NULL.
 */
const char *jws_alg_for_key(const EVP_PKEY *key);

/*
 * Sign @claims (a JSON object, serialized compactly with sorted keys by
 * jansson, so 64-bit integers such as TCB values stay exact) with the
 * private @key.  The header is {"alg":@alg} plus the members of
 * @header_extra (NULL or an object without "alg", e.g.
 * {"typ":"JWT","jwk":{…}}), serialized canonically (RFC 8785).
 * *compact is "H.P.S" (free() it).
 * Returns 0, -EINVAL (alg does not fit the key, bad header_extra, claims
 * not an object), -ENOMEM, -EIO.
 */
int jws_sign(EVP_PKEY *key, const char *alg, const json_t *header_extra,
	     const json_t *claims, char **compact);

/*
 * Verify a compact JWS whose payload is a JSON object.  @key NULL: use
 * the public key in the "jwk" header — this proves only that the token is
 * intact under the key it names; the caller must decide whether that key
 * is trusted (e.g. by its jwk_thumbprint()).
 * On success *header and *claims (each may be NULL if not wanted) are new
 * references.  Returns 0, -EINVAL (malformed, refused header), -EBADMSG
 * (bad signature), -ENOMEM; @why says which.
 */
int jws_verify(const char *compact, EVP_PKEY *key, json_t **header,
	       json_t **claims, struct err_msg *why);

/*
 * JWT time claims: "exp" (required when @need_exp) must be > @now -
 * @leeway, "nbf" and "iat" (if present) <= @now + @leeway; all must be
 * numbers.  Returns 0, -EINVAL (missing or non-numeric claim) or
 * -EKEYEXPIRED (expired or not yet valid), with a reason in @why.
 */
int jwt_check_time(const json_t *claims, time_t now, long leeway,
		   int need_exp, struct err_msg *why);

#endif
