/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_VERIFIER_H
#define CVMM_BROKER_VERIFIER_H

/*
 * /kbs/v0/attest: check an Attestation message against its session and
 * verify the evidence with the project's attestation library.
 *
 * The evidence must verify completely (signatures, certificate chains to
 * the vendor roots, TCB/HWID binding, TDX collateral when present) and
 * carry the session binding (REPORT_DATA) and, when init-data is sent, its
 * digest (HOST_DATA / MRCONFIGID).  Policy is not applied here: each
 * resource's policy is applied to the verified evidence when the resource
 * is requested (rpolicy.h).
 *
 * Test roots (--test-roots): evidence whose chain fails against the
 * vendor roots is tried against them; if it verifies, the attestation is
 * marked test_evidence and every decision about it is logged as such.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "attest/snp/verify.h"
#include "attest/tdx/verify.h"
#include "attest/verdict.h"
#include "broker/attestation.h"
#include "broker/kds.h"
#include "util/err.h"

struct verifier {
	struct snp_trust snp;
	struct tdx_trust tdx;
	bool have_test;
	struct snp_trust snp_test;
	struct tdx_trust tdx_test;
	char *certs_dir;		/* offline certificates / collateral, or NULL */
	struct kds *kds;		/* --kds-url, or NULL */
	bool allow_rsa1_5;
};

/* 0 or -errno with @why (bad --test-roots file, ...). */
int verifier_init(struct verifier *vf, const char *test_roots, const char *certs_dir,
		  const char *kds_url, bool allow_rsa1_5, struct err_msg *why);
void verifier_free(struct verifier *vf);

/*
 * Appraise the Attestation message @body for a session of TEE @tee whose
 * nonce is @nonce, at Unix time @now.  Returns
 *   0        evidence verified: *out is the new attestation (with
 *            *runtime_data, the runtime-data claims for the token);
 *   -EACCES  the evidence was refused: failures in @v;
 *   -EINVAL  the message is malformed (400): @why;
 *   -EPERM   the nonce is not the session's (@why);
 *   -EAGAIN  a certificate cannot be fetched now (KDS back-off; @why);
 *   -ENOMEM.
 * On -EACCES *out may still be set (for the audit record) and must be
 * released.
 */
int verifier_attest(const struct verifier *vf, enum tee_type tee, const char *nonce,
		    const json_t *body, int64_t now, struct attestation **out,
		    json_t **runtime_data, struct verdict *v, struct err_msg *why);

/*
 * This thread's memo of the last verified certificate chain (attest/certs.h
 * chain_cache: an exact match of leaf, anchors and time is needed), freed
 * when the thread exits.  NULL when out of memory (no memo then).
 */
struct chain_cache *verifier_cache(void);

/* The attest-time policy: only what cannot be a per-resource choice. */
void verifier_policy(struct policy *p);

/* Internal: the two evidence verifiers (verify_snp.c, verify_tdx.c). */
int verify_snp(const struct verifier *vf, const json_t *primary, int64_t now,
	       struct attestation *a, struct verdict *v, struct err_msg *why);
int verify_tdx(const struct verifier *vf, const json_t *primary, int64_t now,
	       struct attestation *a, struct verdict *v, struct err_msg *why);
/* SHA-384 of @n bytes as 96 hex digits. */
void digest_hex(const uint8_t *p, size_t n, char out[97]);

#endif
