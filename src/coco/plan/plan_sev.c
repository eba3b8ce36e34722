// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV and SEV-ES plan: the firmware image, the kernel-hashes table
 * when a kernel is measured, and (SEV-ES) one VMSA per vCPU from reset,
 * the APs at the SEV-ES reset block (see coco/plan/plan.h).
 */
#include <errno.h>

#include "coco/plan/plan_internal.h"
#include "measure/sev_hashes.h"

int plan_build_sev(struct builder *b)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct fw_table t;
	int ret;

	ret = fw_table_parse(p->fw, p->fw_len, &t, b->err);
	if (ret)
		return ret;
	ADD_OP(b, p->fw_gpa, p->fw_len, PLAN_SRC_DATA, p->fw, PLAN_OP_FIRMWARE, "firmware");
	if (pp->kernel) {
		ret = plan_hashes_table(b, &t, p->fw, false);
		if (ret)
			return ret;
		ADD_OP(b, p->hashes_gpa, SEV_HASHES_PADDED_LEN, PLAN_SRC_DATA,
		       p->hashes_table, PLAN_OP_KERNEL_HASHES, "kernel hashes");
	}
	if (p->type == COCO_SEV)
		return plan_alloc_vcpus(p, pp->nr_vcpus);
	ret = plan_ap_eip(b, &t, p->fw);
	if (ret)
		return ret;
	/* KVM's SEV-ES VMSAs carry no SEV features (no SNP, no debug swap) */
	return plan_es_vcpus(b, 0);
}

