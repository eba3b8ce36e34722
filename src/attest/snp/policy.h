/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_SNP_POLICY_H
#define CVMM_ATTEST_SNP_POLICY_H

#include "attest/policy.h"
#include "attest/snp/report.h"
#include "attest/verdict.h"

/* Appraise a (verified) report against @p; failures go to @v as "policy.*". */
void snp_policy_check(const struct policy *p, const struct snp_report *r,
		      enum snp_product product, struct verdict *v);

#endif
