/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_JWE_H
#define CVMM_JOSE_JWE_H

/*
 * JSON Web Encryption (RFC 7516) as the KBS protocol uses it: one
 * recipient, content encryption A256GCM, key management
 *
 *   ECDH-ES+A256KW  ephemeral-static ECDH on the recipient's curve (P-256,
 *                   P-384, P-521), Concat KDF (SHA-256, AlgorithmID = the
 *                   alg name, apu/apv empty unless the header has them),
 *                   then AES-256 key wrap (RFC 3394) of the CEK;
 *   RSA-OAEP-256    RSAES-OAEP with SHA-256 and MGF1-SHA-256;
 *   RSA1_5          RSAES-PKCS1-v1_5, deprecated: encrypted only when the
 *                   caller names it, decrypted only with JWE_ALLOW_RSA1_5.
 *
 * Encryption emits the flattened JSON serialization
 *   {"protected","encrypted_key","iv","ciphertext","tag"}   (no "aad")
 * whose protected header is exactly the canonical (RFC 8785: compact,
 * key-sorted) JSON, e.g.
 *   {"alg":"ECDH-ES+A256KW","enc":"A256GCM","epk":{"crv":"P-256","kty":"EC","x":"…","y":"…"}}
 *   {"alg":"RSA-OAEP-256","enc":"A256GCM"}
 * so that a client recomputing the AAD from a re-serialized sorted header
 * (Trustee's guest-components) and a standard one (AAD = the protected
 * member as sent) agree.
 *
 * Decryption follows RFC 7516 (AAD = ASCII(protected as sent), plus
 * "." + aad when the JWE has an "aad" member) and is strict: members other
 * than protected/encrypted_key/iv/ciphertext/tag/aad/header, a "header"
 * (unprotected, where jwcrypto writes the epk) with anything but epk, apu,
 * apv, kid or with a member the protected header also has, a shared
 * "unprotected" header, "crit", "zip", an alg/enc outside the list above
 * (alg and enc must be protected), an alg that
 * does not fit the key, an epk that is not a public key on the recipient's
 * curve, an IV other than 96 bits or a tag other than 128 bits are all
 * refused.  Failures after the header checks (unwrap, RSA, GCM) give one
 * constant reason and take the same path, so RSA1_5 is no padding oracle
 * (a bad RSA1_5 block decrypts to a random CEK, RFC 7516 §11.5).
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "jose/secret.h"
#include "util/err.h"

enum jwe_alg {
	JWE_ECDH_ES_A256KW,
	JWE_RSA_OAEP_256,
	JWE_RSA1_5,
};

/* jwe_decrypt_ex() flags */
#define JWE_ALLOW_RSA1_5	(1u << 0)

/* Largest JWE plaintext / decoded segment accepted (64 MiB). */
#define JWE_MAX_PAYLOAD		(64u << 20)

/* "ECDH-ES+A256KW" -> JWE_ECDH_ES_A256KW, ...; -EINVAL if unknown. */
int jwe_alg_from_name(const char *name, enum jwe_alg *alg);
const char *jwe_alg_name(enum jwe_alg alg);

/*
 * Encrypt @len bytes for @recipient (a public or private key whose type
 * fits @alg: EC P-256/P-384/P-521 for ECDH-ES+A256KW, RSA >= 2048 bits for
 * the RSA algs).  *flattened is a new JSON object (json_decref() it).
 * Returns 0, -EINVAL (key does not fit alg), -ENOMEM, -EIO (OpenSSL).
 */
int jwe_encrypt(EVP_PKEY *recipient, enum jwe_alg alg,
		const uint8_t *pt, size_t len, json_t **flattened);

/*
 * Decrypt a flattened JWE object with the private key @priv.  *pt (with a
 * NUL byte after *len) must be freed with jose_free_secret(*pt, *len).
 * Returns 0; -EINVAL (malformed or refused JWE: reason in @why), -EBADMSG
 * (authentication/unwrap failed: "decryption failed"), -ENOMEM, -EIO.
 * Same as jwe_decrypt_ex(priv, flattened, 0, ...).
 */
int jwe_decrypt(EVP_PKEY *priv, const json_t *flattened,
		uint8_t **pt, size_t *len, struct err_msg *why);

/*
 * As jwe_decrypt(); @jwe is a flattened JWE object or a JSON string that
 * holds the compact serialization (five base64url parts).  @flags:
 * JWE_ALLOW_RSA1_5.
 */
int jwe_decrypt_ex(EVP_PKEY *priv, const json_t *jwe, unsigned flags,
		   uint8_t **pt, size_t *len, struct err_msg *why);

/* The compact serialization "P.K.IV.C.T" of a flattened JWE, or NULL. */
char *jwe_to_compact(const json_t *flattened);

#endif
