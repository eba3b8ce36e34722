/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_POLICY_H
#define CVMM_ATTEST_TDX_POLICY_H

#include <stdbool.h>

#include "attest/policy.h"
#include "attest/tcb_status.h"
#include "attest/tdx_quote.h"
#include "attest/verdict.h"

/*
 * Appraise a verified quote against @p.  @have_tcb says whether TCB info
 * was evaluated (@status is then meaningful), @have_qe whether a QE
 * identity was.
 */
void tdx_policy_check(const struct policy *p, const struct tdx_quote *q,
		      bool have_tcb, bool have_qe, enum tcb_status status,
		      struct verdict *v);

#endif
