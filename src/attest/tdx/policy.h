/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_POLICY_H
#define CVMM_ATTEST_TDX_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include "attest/policy.h"
#include "attest/tcb_status.h"
#include "attest/tdx/quote.h"
#include "attest/verdict.h"

/* What the verification established besides the quote's own fields. */
struct tdx_appraisal {
	bool collateral;		/* TCB info and QE identity were both given */
	bool no_collateral;		/* the caller accepts a quote without them */
	enum tcb_status status;		/* TCB_STATUS_UNKNOWN when not evaluated */
	bool has_pcesvn;		/* the PCK certificate's SGX extension decoded */
	uint16_t pcesvn;		/* the PCESVN it certifies */
};

/*
 * Is collateral required?  Yes unless the policy says
 * "require_collateral": false, or it says nothing and @no_collateral
 * (--no-collateral) is set.
 */
bool tdx_collateral_required(const struct policy *p, bool no_collateral);

/*
 * Appraise a verified quote against @p.  A key that needs a value the
 * verification did not establish (min_tcb_status without a TCB status,
 * min_pce_svn without a PCK extension) fails.
 */
void tdx_policy_check(const struct policy *p, const struct tdx_quote *q,
		      const struct tdx_appraisal *a, struct verdict *v);

#endif
