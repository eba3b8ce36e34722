/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_RCAR_H
#define CVMM_AGENT_RCAR_H

/*
 * The messages of Trustee's KBS "RCAR" protocol 0.4.0 (docs/agent.md,
 * reference key-broker.md), without transport:
 *
 *   POST /kbs/v0/auth      {"version":"0.4.0","tee":"snp"|"tdx","extra-params":{}}
 *                          -> {"nonce":N,...} + Set-Cookie kbs-session-id
 *   POST /kbs/v0/attest    {"runtime-data":{"nonce":N,"tee-pubkey":JWK},
 *                           "tee-evidence":{"primary_evidence":E,
 *                                           "additional_evidence":""}}
 *                          -> {"token":JWT}
 *   GET  /kbs/v0/resource/REPO/TYPE/TAG -> flattened JWE for the tee key
 *
 * The evidence is bound to the session and the tee key by its REPORT_DATA:
 * SHA-384 of the RFC 8785 canonical JSON of
 * {"additional-evidence":"","nonce":N,"tee-pubkey":JWK}, zero-padded to 64
 * bytes.  The tee key is ephemeral: made for one run, never stored.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "agent/evidence.h"

#define RCAR_VERSION		"0.4.0"
#define RCAR_NONCE_MAX		512
#define RCAR_RESPONSE_MAX	(1u << 20)
#define RCAR_SESSION_MAX	256

/* The tee key: @type "P-256", "P-521" or "RSA" (2048-bit, RSA-OAEP-256). */
EVP_PKEY *rcar_tee_key(const char *type);

/* Its public JWK as the protocol wants it: {kty,crv,alg,x,y} / {kty,alg,n,e}. */
json_t *rcar_tee_jwk(EVP_PKEY *key);

/* The auth request body (free()). */
char *rcar_auth_body(enum agent_tee tee);

/*
 * The nonce of an auth answer: a non-empty string of printable ASCII, at
 * most RCAR_NONCE_MAX - 1 characters.  Returns 0 or -EBADMSG with @why.
 */
int rcar_parse_challenge(const char *body, size_t len, char *nonce,
			 size_t nsize, char *why, size_t whylen);

/* REPORT_DATA for @nonce and @jwk (the binding above). */
int rcar_report_data(const char *nonce, const json_t *jwk, uint8_t out[64]);

/* The attest request body (free()); @primary is the evidence JSON. */
char *rcar_attest_body(const char *nonce, const json_t *jwk, const json_t *primary);

/*
 * The token of an attest answer: {"token":"<h>.<p>.<s>"} with three
 * non-empty base64url parts.  The agent does not trust the token for
 * anything (only the JWE below matters), it only checks its shape.
 */
int rcar_parse_token(const char *body, size_t len, char *why, size_t whylen);

/*
 * The value of a "Set-Cookie: kbs-session-id=V; ..." header line (@line
 * without CRLF): V into @out.  Returns 1 when found, 0 for any other
 * header, -EBADMSG for a session id that is empty, too long or not
 * [0-9A-Za-z_-].
 */
int rcar_parse_set_cookie(const char *line, size_t len, char *out, size_t outlen);

/*
 * One printable line for a refusal: "HTTP <status>: <Variant>: <detail>"
 * from Trustee's error body {"type":".../errors/<Variant>","detail":...},
 * or the start of the body when it is not one.
 */
void rcar_error_reason(long status, const char *body, size_t len,
		       char *out, size_t outlen);

/*
 * Decrypt the resource answer (a flattened JWE) with the tee key.
 * *secret is freed with jose_free_secret(*secret, *slen).  Returns 0,
 * -EBADMSG (not a JWE, refused or failed decryption) with @why, -ENOMEM.
 */
int rcar_decrypt_resource(EVP_PKEY *key, const char *body, size_t len,
			  uint8_t **secret, size_t *slen, char *why, size_t whylen);

#endif
