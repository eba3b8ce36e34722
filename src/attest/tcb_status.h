/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TCB_STATUS_H
#define CVMM_ATTEST_TCB_STATUS_H

/*
 * Intel TCB statuses (PCS TCB info / QE identity "tcbStatus"), ordered
 * from best to worst; a policy minimum "X" accepts X and every better one.
 */
#include <stdbool.h>

enum tcb_status {
	TCB_UP_TO_DATE = 0,
	TCB_SW_HARDENING_NEEDED,
	TCB_CONFIGURATION_NEEDED,
	TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
	TCB_OUT_OF_DATE,
	TCB_OUT_OF_DATE_CONFIGURATION_NEEDED,
	TCB_REVOKED,
	TCB_STATUS_UNKNOWN,	/* no collateral, or an unrecognised string */
};

const char *tcb_status_name(enum tcb_status s);
/* -EINVAL for unknown names. */
int tcb_status_parse(const char *name, enum tcb_status *out);

/*
 * Combine the platform TCB level with the TDX module level or the QE
 * identity level the way Intel's QVL does (TdxModuleCheck.cpp,
 * TcbLevelCheck.cpp): an OutOfDate module/QE turns UpToDate and
 * SWHardeningNeeded into OutOfDate and the Configuration* statuses into
 * OutOfDateConfigurationNeeded; Revoked wins; otherwise the platform
 * status stands.
 */
enum tcb_status tcb_status_converge(enum tcb_status platform,
				    enum tcb_status other);

#endif
