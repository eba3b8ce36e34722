// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "attest/tdx/policy.h"
#include "util/bytes.h"
#include "util/num.h"

bool tdx_collateral_required(const struct policy *p, bool no_collateral)
{
	return p->tdx.require_collateral > 0 ||
	       (p->tdx.require_collateral < 0 && !no_collateral);
}

static void check_debug(const struct policy *p, const struct tdx_td_body *b,
			struct verdict *v)
{
	if (p->allow_debug)
		verdict_skip(v, "policy.debug", "the policy allows debug TDs");
	else if (get_le64(b->td_attributes) & TDX_ATTR_DEBUG)
		verdict_fail(v, "policy.debug",
			     "TD_ATTRIBUTES has DEBUG set (a debuggable TD)");
	else
		verdict_pass(v, "policy.debug");
}

static void check_values(const struct policy_tdx *t, const struct tdx_td_body *b,
			 struct verdict *v)
{
	static const char *const rtmr_check[4] = {
		"policy.rtmr0", "policy.rtmr1", "policy.rtmr2", "policy.rtmr3"
	};
	static const char *const rtmr_name[4] = {
		"RTMR0", "RTMR1", "RTMR2", "RTMR3"
	};
	int i;

	policy_values_check(&t->mrtd, b->mrtd, "policy.mrtd", "MRTD", v);
	for (i = 0; i < 4; i++)
		policy_values_check(&t->rtmr[i], b->rtmr[i], rtmr_check[i], rtmr_name[i], v);
	policy_values_check(&t->mrconfigid, b->mrconfigid, "policy.mrconfigid", "MRCONFIGID", v);
	policy_values_check(&t->mrowner, b->mrowner, "policy.mrowner", "MROWNER", v);
	policy_values_check(&t->mrownerconfig, b->mrownerconfig, "policy.mrownerconfig",
		     "MROWNERCONFIG", v);
	policy_values_check(&t->mrseam, b->mrseam, "policy.mrseam", "MRSEAM", v);
	policy_values_check(&t->xfam, b->xfam, "policy.xfam", "XFAM", v);
	policy_values_check(&t->td_attributes, b->td_attributes, "policy.td_attributes",
		     "TD_ATTRIBUTES", v);
}

static void check_minima(const struct policy_tdx *t, const struct tdx_quote *q,
			 const struct tdx_appraisal *a, struct verdict *v)
{
	char have[33], want[33];
	int i;

	if (!t->has_min_tee_tcb_svn) {
		verdict_skip(v, "policy.tee_tcb_svn", "the policy sets no minimum TEE_TCB_SVN");
	} else {
		for (i = 0; i < 16; i++)
			if (q->body.tee_tcb_svn[i] < t->min_tee_tcb_svn[i])
				break;
		hex_encode(q->body.tee_tcb_svn, 16, have);
		hex_encode(t->min_tee_tcb_svn, 16, want);
		if (i < 16)
			verdict_fail(v, "policy.tee_tcb_svn",
				     "TEE_TCB_SVN is %s, below the minimum %s in byte %d", have,
				     want, i);
		else
			verdict_pass(v, "policy.tee_tcb_svn");
	}
	if (t->min_qe_isvsvn < 0)
		verdict_skip(v, "policy.qe_isvsvn", "the policy sets no minimum QE ISVSVN");
	else if (q->qe_report.isvsvn < t->min_qe_isvsvn)
		verdict_fail(v, "policy.qe_isvsvn", "QE ISVSVN %u is below the minimum %lld",
			     q->qe_report.isvsvn, (long long)t->min_qe_isvsvn);
	else
		verdict_pass(v, "policy.qe_isvsvn");
	/* The PCESVN the PCK certificate certifies (QVL); the quote header has none. */
	if (t->min_pce_svn < 0)
		verdict_skip(v, "policy.pce_svn", "the policy sets no minimum PCESVN");
	else if (!a->has_pcesvn)
		verdict_fail(v, "policy.pce_svn",
			     "the PCESVN is unknown (the PCK certificate's SGX extension did not decode)");
	else if (a->pcesvn < t->min_pce_svn)
		verdict_fail(v, "policy.pce_svn",
			     "the PCK certificate's PCESVN %u is below the minimum %lld",
			     a->pcesvn, (long long)t->min_pce_svn);
	else
		verdict_pass(v, "policy.pce_svn");
}

static void check_collateral(const struct policy *p, const struct tdx_appraisal *a,
			     struct verdict *v)
{
	const struct policy_tdx *t = &p->tdx;

	if (a->collateral)
		verdict_pass(v, "policy.collateral");
	else if (tdx_collateral_required(p, a->no_collateral))
		verdict_fail(v, "policy.collateral",
			     "the policy requires collateral: the TCB info and QE identity (--tcb-info, --qe-identity, --tcb-chain); without them the TCB status is unknown (--no-collateral or \"require_collateral\": false accepts that)");
	else
		verdict_skip(v, "policy.collateral", "not required (%s)",
			     t->require_collateral == 0 ? "\"require_collateral\": false"
							: "--no-collateral");
	/* The status must be known whenever the policy relies on it. */
	if (a->status != TCB_STATUS_UNKNOWN) {
		if (a->status > t->min_tcb_status)
			verdict_fail(v, "policy.tcb_status",
				     "TCB status %s is below the minimum %s",
				     tcb_status_name(a->status),
				     tcb_status_name(t->min_tcb_status));
		else
			verdict_passf(v, "policy.tcb_status", "%s", tcb_status_name(a->status));
	} else if (a->collateral || t->has_min_tcb_status) {
		verdict_fail(v, "policy.tcb_status",
			     "the TCB status is unknown (%s), the policy requires at least %s",
			     a->collateral ? "the collateral did not evaluate" : "no collateral",
			     tcb_status_name(t->min_tcb_status));
	} else {
		verdict_skip(v, "policy.tcb_status", "no collateral: the TCB status is unknown");
	}
}

void tdx_policy_check(const struct policy *p, const struct tdx_quote *q,
		      const struct tdx_appraisal *a, struct verdict *v)
{
	check_debug(p, &q->body, v);
	policy_report_data_check(p, q->body.report_data, "REPORTDATA", v);
	check_values(&p->tdx, &q->body, v);
	check_minima(&p->tdx, q, a, v);
	check_collateral(p, a, v);
}
