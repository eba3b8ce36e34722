/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_TCB_H
#define CVMM_ATTEST_TDX_TCB_H

/*
 * TCB evaluation of a TDX quote against PCS collateral, following Intel's
 * QVL (TcbLevelCheck.cpp, TdxModuleCheck.cpp) and the description in
 * go-tdx-guest testing/testdata/README.md:
 *
 *  - platform level: the first TCB level (they are sorted best first)
 *    whose 16 SGX component SVNs and PCESVN are <= the PCK certificate's,
 *    and whose 16 TDX component SVNs are <= TEE_TCB_SVN (from index 2 when
 *    TEE_TCB_SVN[1], the TDX module major version, is non-zero);
 *  - TDX module: MRSIGNERSEAM and SEAM_ATTRIBUTES (under the mask) must
 *    match "tdxModule", or the identity "TDX_<TEE_TCB_SVN[1] as %02X>" of
 *    "tdxModuleIdentities", whose level is the first with isvsvn <=
 *    TEE_TCB_SVN[0];
 *  - QE identity: MISCSELECT and ATTRIBUTES under their masks, MRSIGNER
 *    and ISVPRODID must match; the level is the first with isvsvn <= the
 *    QE's ISVSVN;
 *  - the statuses converge as tcb_status_converge() describes (QVL rule;
 *    go-tdx-guest instead reports the module's status alone).
 */
#include <stdbool.h>

#include <jansson.h>

#include "attest/tcb_status.h"
#include "attest/tdx/collateral.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/quote.h"
#include "attest/verdict.h"

struct tdx_tcb_eval {
	bool matched;			/* a platform level was found */
	size_t level;			/* its index */
	enum tcb_status platform;
	bool has_module;		/* a module identity was used */
	char module_id[16];
	enum tcb_status module;
	enum tcb_status status;		/* platform ∘ module */
};

/*
 * Evaluate the quote's TCB.  Mismatches (FMSPC, PCE-ID, module identity,
 * no matching level) are added to @v; @out->status is TCB_STATUS_UNKNOWN
 * when no status could be determined.
 */
void tdx_tcb_evaluate(const struct tcb_info *ti, const struct tdx_pck_info *pck,
		      const struct tdx_td_body *td, struct tdx_tcb_eval *out,
		      struct verdict *v);

/* The QE identity status of @r, or TCB_STATUS_UNKNOWN with failures in @v. */
enum tcb_status tdx_qe_identity_evaluate(const struct qe_identity *qi,
					 const struct tdx_qe_report *r,
					 size_t *level, struct verdict *v);

json_t *tdx_tcb_eval_claims(const struct tcb_info *ti,
			    const struct tdx_tcb_eval *e);

#endif
