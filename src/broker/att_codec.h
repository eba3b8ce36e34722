/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_ATT_CODEC_H
#define CVMM_BROKER_ATT_CODEC_H

/*
 * An attestation result (attestation.h) as text, so that the replica that
 * verified the evidence at /attest can publish it in the shared store and
 * any other replica can appraise it at /resource:
 *
 *   {"v":1,"tee":"snp"|"tdx","key":<tee-pubkey JWK>,"evidence":"<base64>",
 *    "claims":{…},"measurement":"<hex>","evidence_digest":"<hex>",
 *    "report_data":"<hex 64 bytes>","init_field":"<hex ≤ 48 bytes>",
 *    "has_init_data":bool,"test_evidence":bool}
 *
 * The evidence is the report or quote that verified (the policy is applied
 * to it again at each request), the key the JWK the secret is sealed to.
 * The store is trusted, but the decoder still checks every field.
 */
#include "broker/attestation.h"

#define ATT_EVIDENCE_MAX	(1u << 20)

/* The text of @a (free()), or NULL when out of memory. */
char *att_encode(const struct attestation *a);
/* A new attestation from @text: 0, -EINVAL (malformed), -ENOMEM. */
int att_decode(const char *text, size_t len, struct attestation **out);

#endif
