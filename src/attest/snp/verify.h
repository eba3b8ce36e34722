/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SNP_VERIFY_H
#define CVMM_ATTEST_SNP_VERIFY_H

/*
 * SEV-SNP report verification: certificate chain VCEK/VLEK → ASK/ASVK →
 * ARK, optional CRLs, binding of the VCEK/VLEK to the report (TCB, HWID,
 * key type), the report signature, then the policy.
 */
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/certs.h"
#include "attest/policy.h"
#include "attest/verdict.h"

/* Trust anchors and known intermediates; built once, used many times. */
struct snp_trust {
	STACK_OF(X509) *anchors;	/* self-signed ARKs */
	STACK_OF(X509) *intermediates;	/* ASKs / ASVKs */
};

/*
 * @ca NULL: the built-in Milan/Genoa/Turin roots.  Otherwise the
 * certificates of a --ca file: its self-signed ones become the only
 * anchors, the others intermediates.  -EINVAL when @ca has no root.
 */
int snp_trust_init(struct snp_trust *t, STACK_OF(X509) *ca);
void snp_trust_free(struct snp_trust *t);

struct snp_verify_opts {
	STACK_OF(X509) *certs;		/* VCEK/VLEK (+ ASK/ARK), untrusted */
	STACK_OF(X509_CRL) *crls;	/* may be NULL */
	int64_t at;			/* validity time, seconds since epoch */
	const struct policy *policy;	/* NULL: the default policy */
	struct chain_cache *cache;	/* NULL: no memo */
};

/*
 * Verify a report.  Decoded claims are added to @claims ("report",
 * "product", "certificates", ...), failures to @v.  Returns 0 whatever
 * the verdict, or -ENOMEM.
 */
int snp_report_verify(const uint8_t *report, size_t len, const struct snp_trust *t,
	       const struct snp_verify_opts *o, json_t *claims,
	       struct verdict *v);

#endif
