/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_VERIFY_INTERNAL_H
#define CVMM_CLI_VERIFY_INTERNAL_H

/*
 * Private to cvmm verify: verify.c parses the command line and runs the
 * verifications, verify_inputs.c reads and checks what they are given
 * (files, policy, roots, CRLs, collateral).  Usage and I/O errors are
 * logged ("cvmm: <what>: <why>") and returned as a negative errno;
 * malformed evidence is recorded in the verdict instead.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509.h>

#include "attest/policy.h"
#include "attest/snp/verify.h"
#include "attest/tdx/verify.h"
#include "attest/verdict.h"

#define MAX_EVIDENCE	(1u << 20)	/* reports, quotes, certificates, collateral */
#define MAX_LOG		(64u << 20)	/* CCEL log areas */
#define MAX_CRLS	8
#define MAX_REPEAT	100000000ULL

enum exit_code { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_USAGE = 2 };

/* The command line. */
struct args {
	const char *pos[2];
	int npos;
	const char *certs_dir, *vcek, *ca, *auxblob, *policy, *at;
	const char *tcb_info, *qe_identity, *tcb_chain, *quote;
	const char *crl[MAX_CRLS];
	int ncrl;
	bool no_collateral;
	uint64_t repeat;
};

/* Shared inputs of both verifiers. */
struct common {
	int64_t at;
	struct policy policy;
	bool have_policy;
	STACK_OF(X509) *ca;
	STACK_OF(X509_CRL) *crls;
};

/* A whole file; "-" is stdin (documented for the evidence). */
int verify_read_file(const char *path, size_t max, uint8_t **data, size_t *len);

/*
 * --at, --policy, --ca: configuration (usage errors).  --crl: evidence, a
 * malformed CRL is recorded in @v.  Free with verify_common_free().
 */
int verify_load_common(const struct args *a, struct common *c, struct verdict *v);
void verify_common_free(struct common *c);

/* snp_trust_init() or tdx_trust_init() failed with @ret: say why. */
int verify_trust_error(const struct args *a, int ret);

/*
 * --vcek, --certs and --auxblob: certificates to @certs, CRLs to @crls;
 * malformed ones are evidence, recorded in @v.
 */
int verify_load_snp_certs(const struct args *a, STACK_OF(X509) *certs,
			  STACK_OF(X509_CRL) *crls, struct verdict *v);

/* The TDX trust, collateral and options (@in is initialised here). */
struct tdx_inputs {
	struct tdx_trust trust;
	struct tdx_verify_opts o;
	STACK_OF(X509) *tcb_chain;
	uint8_t *tcb_info, *qe_identity;
};

int verify_load_tdx(const struct args *a, struct common *c, struct tdx_inputs *in,
		    struct verdict *v);
void verify_tdx_inputs_free(struct tdx_inputs *in);

#endif
