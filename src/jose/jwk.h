/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWK_H
#define CVMM_JOSE_JWK_H

/*
 * JSON Web Keys (RFC 7517/7518 §6, RFC 8037 for OKP) <-> OpenSSL EVP_PKEY.
 *
 * Supported: EC P-256, P-384, P-521 ("kty":"EC"), RSA with a modulus of
 * 2048 bits or more ("kty":"RSA"), Ed25519 ("kty":"OKP").  Coordinates are
 * fixed-length big-endian base64url (32/48/66 bytes); RSA "n"/"e" are
 * minimal big-endian (a leading zero byte is refused, as RFC 7518 §6.3.1.1
 * asks).
 *
 * Members other than the key material ("alg", "kid", "use", ...) are not
 * looked at: whether extra members are allowed is the caller's business
 * (the KBS tee-pubkey allows none).
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "util/err.h"

/*
 * Public key from a public JWK.  Refuses private members (d, p, q, dp, dq,
 * qi, oth, k), unknown kty/crv, coordinates of the wrong length, points
 * not on the curve, RSA keys below 2048 bits or with an even/1 exponent.
 * Returns 0 (*pkey set; EVP_PKEY_free() it), -EINVAL with a reason in @why
 * (may be NULL) for a bad JWK, -ENOMEM.
 */
int jwk_to_pkey(const json_t *jwk, EVP_PKEY **pkey, struct err_msg *why);

/*
 * Private key from a private JWK (EC/OKP with "d", RSA with d, p, q, dp,
 * dq, qi): for test vectors and key files.  The private scalar of EC keys
 * must match the public point.  Same errors as jwk_to_pkey().
 */
int jwk_private_to_pkey(const json_t *jwk, EVP_PKEY **pkey,
			struct err_msg *why);

/*
 * The public JWK of @pkey with exactly the members {kty,crv,alg?,x,y}
 * (EC), {kty,alg?,n,e} (RSA) or {kty,crv,x} (OKP; @alg is ignored).
 * @alg (e.g. "ECDH-ES+A256KW", "RSA-OAEP-256"; NULL: none) is copied as
 * given.  NULL on ENOMEM or an unsupported key.
 */
json_t *jwk_from_pkey(const EVP_PKEY *pkey, const char *alg);

/*
 * A fresh key pair: @kind is "P-256", "P-384", "P-521", "RSA-2048",
 * "RSA-3072", "RSA-4096" or "Ed25519".  NULL for an unknown kind or when
 * OpenSSL fails.
 */
EVP_PKEY *jwk_generate(const char *kind);

/*
 * RFC 7638 thumbprint: SHA-256 of the canonical JSON of the required
 * members only (EC: crv,kty,x,y; RSA: e,kty,n; OKP: crv,kty,x).  The JWK
 * is not otherwise validated (use jwk_to_pkey() for that).
 * Returns 0, -EINVAL (missing/non-string members, unknown kty), -ENOMEM.
 */
int jwk_thumbprint(const json_t *jwk, uint8_t out[32]);

/*
 * The curve of an EC/OKP key as its JWK "crv" ("P-256", "P-384", "P-521",
 * "Ed25519"), or NULL (RSA, other curves).
 */
const char *jwk_pkey_crv(const EVP_PKEY *pkey);

/* Is @pkey an RSA key? */
int jwk_pkey_is_rsa(const EVP_PKEY *pkey);

#endif
