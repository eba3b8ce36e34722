/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_TOKEN_H
#define CVMM_BROKER_TOKEN_H

/*
 * The attestation token /kbs/v0/attest returns: an EAR (IETF RATS EAT
 * Attestation Result) JWT signed ES256 with the signer's public key in a
 * "jwk" header, as Trustee's attestation service issues it:
 *
 *   {"eat_profile":"tag:github.com,2023:veraison/ear","iat":…,"exp":…,
 *    "iss":"cvmm-broker","jti":"<session id>",
 *    "ear.verifier-id":{"build":"cvmm-broker <version>","developer":"cvmm"},
 *    "submods":{"cpu0":{"ear.status":"affirming",
 *      "ear.trustworthiness-vector":{"hardware":2,"instance-identity":2},
 *      "ear.veraison.policy-id":"cvmm-broker/evidence",
 *      "ear.veraison.annotated-evidence":{"<tee>":{claims},
 *        "report_data":"<hex>","runtime_data_claims":{"nonce","tee-pubkey"},
 *        "init_data":"<hex>"?, "test_evidence":true?}}}}
 *
 * "affirming" means the evidence verified and is bound to the session; the
 * per-resource policy is applied when a resource is requested.  A token
 * presented as "Authorization: Bearer" must verify under this broker's
 * key, be unexpired, and name a live session (jti).
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "broker/attestation.h"
#include "util/err.h"

struct token_signer {
	EVP_PKEY *key;			/* P-256 */
	json_t *header;			/* {"typ":"JWT","jwk":{…}} */
};

/*
 * @pem: a P-256 private key file, or NULL for an ephemeral key (tokens then
 * do not survive a restart, like sessions).  0 or -errno with @why.
 */
int token_signer_init(struct token_signer *s, const char *pem, struct err_msg *why);
void token_signer_free(struct token_signer *s);

/* Issue the token for @a and session @sid.  *jwt is free()d by the caller. */
int token_issue(const struct token_signer *s, const struct attestation *a,
		const json_t *runtime_data, const char *sid, int64_t iat,
		int64_t exp, char **jwt);

/*
 * Check a bearer token: signature under our key, not expired at @now, a
 * well-formed jti.  0 with the session id, -EINVAL/-EBADMSG/-EKEYEXPIRED
 * with @why.  @s NULL: under the key the token's header names (a fleet,
 * whose replicas sign with keys of their own; bsession.c then accepts it
 * only if it is exactly the token issued for its session).
 */
int token_check(const struct token_signer *s, const char *jwt, int64_t now,
		char sid[33], struct err_msg *why);

#endif
