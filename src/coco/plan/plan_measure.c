// SPDX-License-Identifier: GPL-2.0-only
/*
 * The measurement model: walk a launch plan and fold it into the digest
 * the PSP or the TDX module computes, with the pure primitives of measure/.
 */
#include <errno.h>
#include <string.h>

#include "coco/plan/plan.h"
#include "measure/sev.h"
#include "measure/snp.h"
#include "measure/tdx.h"

static int measure_sev(const struct launch_plan *p, struct plan_digest *out)
{
	uint8_t page[VMSA_PAGE_SIZE];
	struct sev_ld ld;
	unsigned int i;
	int ret;

	ret = sev_ld_init(&ld);
	if (ret)
		return ret;
	for (i = 0; !ret && i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];

		if (o->src == PLAN_SRC_DATA)
			ret = sev_ld_update(&ld, o->data, (size_t)o->len);
		else
			ret = sev_ld_update_zero(&ld, o->len);
	}
	if (p->type == COCO_SEV_ES) {
		for (i = 0; !ret && i < p->nr_vcpus; i++) {
			vmsa_build(&p->vcpus[i].vmsa, page);
			ret = sev_ld_update(&ld, page, sizeof(page));
		}
	}
	if (!ret)
		ret = sev_ld_final(&ld, out->d);
	sev_ld_free(&ld);
	out->len = SEV_LD_LEN;
	return ret;
}

static int measure_snp(const struct launch_plan *p, const struct plan_measure_opts *o,
		       struct plan_digest *out)
{
	uint8_t page[VMSA_PAGE_SIZE];
	struct snp_gctx g;
	unsigned int i;
	int ret;

	if (o->snp_seed && o->firmware_only)
		return -EINVAL;
	ret = snp_gctx_init(&g, o->snp_seed);
	if (ret)
		return ret;
	for (i = 0; !ret && i < p->nr_ops; i++) {
		const struct plan_op *op = &p->ops[i];
		bool fw = op->flags & PLAN_OP_FIRMWARE;

		if ((o->snp_seed && fw) || (o->firmware_only && !fw))
			continue;
		ret = snp_gctx_update_pages(&g, op->snp_type, op->gpa,
					    op->src == PLAN_SRC_DATA ? op->data : NULL,
					    op->len);
	}
	for (i = 0; !ret && !o->firmware_only && i < p->nr_vcpus; i++) {
		vmsa_build(&p->vcpus[i].vmsa, page);
		ret = snp_gctx_update_vmsa(&g, page);
	}
	memcpy(out->d, g.ld, SNP_LD_LEN);
	out->len = SNP_LD_LEN;
	snp_gctx_free(&g);
	return ret;
}

static int measure_tdx(const struct launch_plan *p, const struct plan_measure_opts *o,
		       struct plan_digest *out)
{
	struct tdx_mrtd m;
	unsigned int i;
	int ret;

	ret = tdx_mrtd_init(&m);
	if (ret)
		return ret;
	for (i = 0; !ret && i < p->nr_ops; i++) {
		const struct plan_op *op = &p->ops[i];

		if (op->tdx_aug)
			continue;
		ret = tdx_mrtd_add_region(&m, op->gpa, op->len,
					  op->src == PLAN_SRC_DATA ? op->data : NULL,
					  op->src == PLAN_SRC_DATA ? op->len : 0,
					  op->tdx_measure, o->tdx_order);
	}
	if (!ret)
		ret = tdx_mrtd_final(&m, out->d);
	tdx_mrtd_free(&m);
	out->len = TDX_MR_LEN;
	return ret;
}

int plan_measure(const struct launch_plan *p, const struct plan_measure_opts *o,
		 struct plan_digest *out)
{
	static const struct plan_measure_opts defaults;

	if (!o)
		o = &defaults;
	memset(out, 0, sizeof(*out));
	if ((o->snp_seed || o->firmware_only) && p->type != COCO_SNP)
		return -EINVAL;
	switch (p->type) {
	case COCO_SEV:
	case COCO_SEV_ES:
		return measure_sev(p, out);
	case COCO_SNP:
		return measure_snp(p, o, out);
	case COCO_TDX:
		return measure_tdx(p, o, out);
	default:
		return -EINVAL;
	}
}
