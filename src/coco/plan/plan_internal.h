/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_PLAN_PLAN_INTERNAL_H
#define CVMM_COCO_PLAN_PLAN_INTERNAL_H

#include "coco/fw/fw_table.h"
#include "coco/plan/plan.h"

/*
 * Shared by the plan builder (plan.c: the common part and the checks;
 * plan_sev.c, plan_snp.c, plan_tdx.c: one platform each), the VMMs' quirks
 * (plan_vmm.c) and the vCPU states (plan_vcpu.c).
 */

#define PLAN_FOUR_GB		0x100000000ULL
#define PLAN_PAGE_SIZE		4096ULL
#define PLAN_LOW_RAM_LIMIT	0xc0000000ULL	/* arch/x86/layout.h LOW_RAM_END */

struct builder {
	const struct plan_params *pp;
	struct launch_plan *plan;
	unsigned int cap;
	struct td_ram_range ram_default[2];
	const struct td_ram_range *ram;
	unsigned int nr_ram;
	struct err_msg *err;
};

/* A zeroed buffer of @len bytes the plan owns (freed by plan_free()). */
uint8_t *plan_alloc(struct launch_plan *p, size_t len);
/* Append an op; NULL when out of memory. */
struct plan_op *plan_add_op(struct builder *b, uint64_t gpa, uint64_t len,
			    enum plan_src src, const uint8_t *data, uint32_t flags,
			    const char *what);
#define ADD_OP(b, ...) do { if (!plan_add_op(b, __VA_ARGS__)) return -ENOMEM; } while (0)

/* The kernel-hashes table (SEV, SNP measured direct boot) into plan->hashes_*. */
int plan_hashes_table(struct builder *b, const struct fw_table *t, const uint8_t *img,
		      bool snp);
/* The SEV-ES reset block: plan->ap_eip (needed with more than one vCPU). */
int plan_ap_eip(struct builder *b, const struct fw_table *t, const uint8_t *img);
/* plan->vcpus: @n vCPUs, the BSP at PLAN_BSP_EIP. */
int plan_alloc_vcpus(struct launch_plan *p, unsigned int n);
/* SEV-ES and SNP vCPUs from reset with @features, the VMSA as the plan's VMM builds it. */
int plan_es_vcpus(struct builder *b, uint64_t features);

/* One builder per platform. */
int plan_build_sev(struct builder *b);
int plan_build_snp(struct builder *b);
int plan_build_tdx(struct builder *b);

/*
 * How a VMM's launch differs from QEMU's, the reference: one row per VMM
 * in plan_vmm.c, each quirk with where it was read.  Every difference
 * between `cvmm measure --vmm` values lives there.
 */
struct plan_vmm_quirks {
	const char *name;		/* "ec2", for --vmm */
	bool svsm;			/* an SVSM launch is modelled */
	/* SNP metadata pages (plan_snp.c) */
	bool sec_mem_unmeasured;	/* SNP_SEC_MEM as UNMEASURED pages, not ZERO */
	bool cpuid_page_last;		/* the CPUID page after every other section */
	/* the VMSA (plan_vcpu.c) */
	bool kvm_reset_segments;	/* SS 0x92, TR 0x83, the BSP's CS 0x9a */
	bool no_cpuid_signature;	/* RDX 0x600 instead of the CPUID signature */
	bool no_fpu_init;		/* MXCSR and FCW 0 */
	uint64_t g_pat;			/* 0: 0x0007040600070406 */
};

const struct plan_vmm_quirks *plan_vmm_quirks(enum plan_vmm vmm);

void plan_vcpu_reset_state(enum plan_vmm vmm, uint32_t eip, bool bsp,
			   uint32_t sig, uint64_t features, struct vmsa_state *v);
void plan_vcpu_svsm_state(uint32_t eip, uint32_t sig, struct vmsa_state *v);

#endif
