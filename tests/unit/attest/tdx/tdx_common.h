/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ATTEST_TDX_COMMON_H
#define CVMM_TESTS_ATTEST_TDX_COMMON_H

/* Shared by the TDX test programs: data files, parsing, verification runs. */
#include <stdbool.h>

#include "attest/policy.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/quote.h"
#include "attest/tdx/verify.h"
#include "attest/verdict.h"
#include "helpers.h"

struct tdx_run {
	const char *quote;		/* data file, or NULL with buf/len */
	const uint8_t *buf;
	size_t len;
	const char *at;
	const char *tcb_info, *qe_identity, *tcb_chain;
	const char *crl[4];
	const char *ca;			/* NULL: built-in root */
	const struct policy *policy;
	bool no_collateral;		/* --no-collateral */
	/* in memory instead of data files (the private test PKI) */
	const char *tcb_info_text, *qe_identity_text;
	STACK_OF(X509) *tcb_chain_sk, *ca_sk;
	STACK_OF(X509_CRL) *crl_sk;
};

/* Verify; returns the verdict (free it) and optionally the claims. */
struct verdict tdx_run(const struct tdx_run *r, json_t **claims);

/* Data files (tests/data/attest). */
#define SPR	"go-tdx-guest/tdx_prod_quote_SPR_E4.dat"
#define V5	"go-tdx-guest/quote_v5_sample.dat"
#define Q4	"trustee/tdx_quote_4.dat"
#define Q5	"trustee/tdx_quote_5.dat"
#define Q6	"trustee/tdx_quote_6.dat"
#define COS	"go-tdx-guest/ccel/cos-113-tdx-quote.dat"
#define GTI	"go-tdx-guest/sample_tcbInfo_response"
#define GTI5	"go-tdx-guest/sample_tcbinfo_response_v5"
#define GQE	"go-tdx-guest/sample_qeIdentity_response"
#define GCHAIN	"go-tdx-guest/tcbInfoIssuerChain.pem"
#define TTI	"trustee/tcbInfo.json"
#define TQE	"trustee/enclaveIdentity.json"

/* The real quotes, their layout and a time inside their PCK chain's validity. */
struct quote_file {
	const char *file;
	unsigned version, body_type;
	size_t trailing;
	const char *at;
};
extern const struct quote_file quotes[6];

/* tdx_quote_parse() that fails the test (with the reason) on an error. */
void tdx_parse_ok(const uint8_t *b, size_t len, struct tdx_quote *q);

/* A quote data file, decoded, with its PCK certificate's SGX extension. */
struct parsed {
	uint8_t *buf;
	struct tdx_quote q;
	struct tdx_pck_info pck;
};
void load_quote(const char *file, struct parsed *p);

/* The public key of the first certificate of a chain file. */
EVP_PKEY *signer_of(const char *chain);
/*
 * Split PCS document @file at member @key and verify its signature with
 * @chain's key; *@text is the file (free it), *@body the signed span.
 */
int doc_verify(const char *file, const char *key, const char *chain,
	       char **text, const char **body, size_t *blen);
/* Verify and parse a TCB info / QE identity document; fails the test on error. */
void parse_ti(const char *file, struct tcb_info *ti);
void parse_qi(const char *file, struct qe_identity *qi);

#endif
