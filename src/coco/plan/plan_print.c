// SPDX-License-Identifier: GPL-2.0-only
#include <inttypes.h>

#include "coco/plan/plan.h"
#include "measure/snp.h"

static const char *src_name(enum plan_src src)
{
	switch (src) {
	case PLAN_SRC_DATA:
		return "data";
	case PLAN_SRC_ZERO:
		return "zero";
	case PLAN_SRC_CPUID:
		return "cpuid-table";
	case PLAN_SRC_SECRETS:
		return "psp-secrets";
	}
	return "?";
}

void plan_print(const struct launch_plan *p, FILE *f)
{
	unsigned int i;

	fprintf(f, "plan: %s, vmm %s, firmware 0x%zx bytes at 0x%" PRIx64 "\n",
		coco_type_name(p->type), plan_vmm_name(p->vmm), p->fw_len, p->fw_gpa);
	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];

		fprintf(f, "  op %2u: gpa 0x%09" PRIx64 " len 0x%08" PRIx64 " %-11s %-14s",
			i, o->gpa, o->len, src_name(o->src), o->what);
		if (p->type == COCO_SNP)
			fprintf(f, " %s", snp_page_type_name((enum snp_page_type)o->snp_type));
		if (p->type == COCO_TDX)
			fprintf(f, "%s%s", o->tdx_measure ? " MR.EXTEND" : "",
				o->tdx_aug ? " PAGE.AUG" : "");
		fputc('\n', f);
	}
	for (i = 0; i < p->nr_vcpus; i++) {
		const struct plan_vcpu *v = &p->vcpus[i];

		fprintf(f, "  vcpu %u: eip 0x%08x", v->index, v->eip);
		if (p->type == COCO_SEV_ES || p->type == COCO_SNP)
			fprintf(f, " cs %04x:%08" PRIx64 " rip 0x%" PRIx64 " rdx 0x%" PRIx64
				" sev_features 0x%" PRIx64, v->vmsa.seg[VMSA_CS].selector,
				v->vmsa.seg[VMSA_CS].base, v->vmsa.rip, v->vmsa.rdx,
				v->vmsa.sev_features);
		if (p->type == COCO_TDX)
			fprintf(f, " rcx (TD HOB) 0x%" PRIx64, p->tdx_hob_gpa);
		fputc('\n', f);
	}
	if (p->type == COCO_TDX)
		fprintf(f, "  td attributes 0x%" PRIx64 ", TD HOB %zu bytes\n",
			p->tdx_attr, p->tdx_hob_len);
	if (p->type == COCO_SNP)
		fprintf(f, "  policy 0x%" PRIx64 ", id block %s\n", p->policy,
			p->snp_finish.id_block_en ? "yes" : "no");
}
