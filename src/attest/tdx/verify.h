/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_VERIFY_H
#define CVMM_ATTEST_TDX_VERIFY_H

/*
 * TDX quote verification: PCK chain to the Intel SGX Root CA, CRLs, the
 * quote signature by the attestation key, the QE report signature by the
 * PCK key, the attestation-key binding, the quoting enclave's identity,
 * the collateral (TCB info and QE identity: required by default, both or
 * neither) and the policy.
 */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/certs.h"
#include "attest/policy.h"
#include "attest/tdx/quote.h"
#include "attest/verdict.h"

struct tdx_trust {
	STACK_OF(X509) *anchors;	/* Intel SGX Root CA, or --ca */
	bool builtin;
};

/* @ca NULL: the built-in Intel SGX Root CA; else its self-signed certs. */
int tdx_trust_init(struct tdx_trust *t, STACK_OF(X509) *ca);
void tdx_trust_free(struct tdx_trust *t);

struct tdx_verify_opts {
	/* PCS responses as served (raw text), or NULL */
	const char *tcb_info;
	size_t tcb_info_len;
	const char *qe_identity;
	size_t qe_identity_len;
	STACK_OF(X509) *tcb_chain;	/* TCB Signing certificate (+ root) */
	/*
	 * --no-collateral: accept a quote without TCB info and QE identity
	 * (with a warning), unless the policy says "require_collateral": true.
	 */
	bool no_collateral;
	STACK_OF(X509_CRL) *crls;	/* PCK / root CRLs, may be NULL */
	int64_t at;
	const struct policy *policy;	/* NULL: default */
	struct chain_cache *cache;	/* NULL: no memo */
};

/*
 * Verify @quote.  Claims go to @claims, failures to @v.  If @parsed is
 * non-NULL and the quote decoded, it is filled (pointing into @quote).
 * Returns 0 whatever the verdict, or -ENOMEM.
 */
int tdx_quote_verify(const uint8_t *quote, size_t len, const struct tdx_trust *t,
	       const struct tdx_verify_opts *o, json_t *claims,
	       struct verdict *v, struct tdx_quote *parsed);

#endif
