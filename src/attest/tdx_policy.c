// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "attest/bytes.h"
#include "attest/tdx_policy.h"

void tdx_policy_check(const struct policy *p, const struct tdx_quote *q,
		      bool have_tcb, bool have_qe, enum tcb_status status,
		      struct verdict *v)
{
	const struct policy_tdx *t = &p->tdx;
	const struct tdx_td_body *b = &q->body;
	static const char *const rtmr_check[4] = {
		"policy.rtmr0", "policy.rtmr1", "policy.rtmr2", "policy.rtmr3"
	};
	static const char *const rtmr_name[4] = {
		"RTMR0", "RTMR1", "RTMR2", "RTMR3"
	};
	int i;

	if (!p->allow_debug && (get_le64(b->td_attributes) & TDX_ATTR_DEBUG))
		verdict_fail(v, "policy.debug",
			     "TD_ATTRIBUTES has DEBUG set (a debuggable TD)");
	if (p->has_report_data && memcmp(p->report_data, b->report_data, 64))
		verdict_fail(v, "policy.report_data",
			     "REPORTDATA does not match the expected value");
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
	if (t->has_min_tee_tcb_svn) {
		for (i = 0; i < 16; i++) {
			if (b->tee_tcb_svn[i] < t->min_tee_tcb_svn[i]) {
				verdict_fail(v, "policy.tee_tcb_svn",
					     "TEE_TCB_SVN[%d] %u is below the minimum %u", i,
					     b->tee_tcb_svn[i], t->min_tee_tcb_svn[i]);
				break;
			}
		}
	}
	if (t->min_qe_isvsvn >= 0 && q->qe_report.isvsvn < t->min_qe_isvsvn)
		verdict_fail(v, "policy.qe_isvsvn", "QE ISVSVN %u is below the minimum %lld",
			     q->qe_report.isvsvn, (long long)t->min_qe_isvsvn);
	if (t->min_pce_svn >= 0 && q->pce_svn < t->min_pce_svn)
		verdict_fail(v, "policy.pce_svn", "PCE SVN %u is below the minimum %lld",
			     q->pce_svn, (long long)t->min_pce_svn);
	if (t->require_collateral && (!have_tcb || !have_qe))
		verdict_fail(v, "policy.collateral",
			     "the policy requires collateral (--tcb-info and --qe-identity)");
	if (!have_tcb)
		return;
	if (status == TCB_STATUS_UNKNOWN)
		return;		/* the evaluation already failed */
	if (status > t->min_tcb_status)
		verdict_fail(v, "policy.tcb_status",
			     "TCB status %s is below the minimum %s",
			     tcb_status_name(status), tcb_status_name(t->min_tcb_status));
}
