/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_ATTEST_TDX_COMMON_H
#define CVMM_TESTS_ATTEST_TDX_COMMON_H

/* Shared by the TDX test programs: run a verification, check the verdict. */
#include <stdbool.h>

#include "attest/policy.h"
#include "attest/tdx_verify.h"
#include "attest/verdict.h"

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

void expect_ok(struct verdict *v);
/* Exactly the checks in @list (NULL-terminated) failed. */
void expect_only(struct verdict *v, const char *const *list);

#define EXPECT_ONLY(v, ...) do {					\
	static const char *const l_[] = { __VA_ARGS__, NULL };		\
	struct verdict v_ = (v);					\
	expect_only(&v_, l_);						\
} while (0)

/* A member by dotted path ("quote.td.mrtd"). */
json_t *jget(json_t *o, const char *path);

#endif
