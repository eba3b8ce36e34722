/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_KVM_KVM_COCO_H
#define CVMM_COCO_KVM_KVM_COCO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coco/certs.h"
#include "coco/stage.h"
#include "coco/plan/plan.h"
#include "kvm/kvm.h"
#include "mem/guest_mem.h"
#include "util/err.h"

/*
 * Executing a launch plan (coco/plan/plan.h) on KVM.  Each confidential
 * platform is one struct coco_platform_ops: SEV and SEV-ES (kvm_sev.c),
 * SEV-SNP (kvm_snp.c), TDX (kvm_tdx.c); kvm_common.c picks the table
 * once, from plan->type, and has what they share.  Every ioctl goes
 * through struct kvm_vm / kvm_vcpu (kvm/kvm.h), so the same code drives
 * the real /dev/kvm and the simulated platform (sim/sim.h).
 *
 * The caller (machine/coco.c) fills a struct coco_kvm and calls, in the
 * order of coco/stage.h (a call out of order fails with -EPROTO):
 *
 *   coco_kvm_prepare()         before KVM_CREATE_VM: the platform, the
 *                              VM type, what the VM build changes
 *   coco_kvm_vm_init()         right after it: SEV INIT/INIT2 +
 *                              LAUNCH_START; SNP INIT2 + LAUNCH_START;
 *                              TDX vCPU limit, capabilities, MapGPA
 *                              exits; guest_memfd (SNP, TDX)
 *   coco_kvm_vm_ready()        once the irqchip exists, before any vCPU:
 *                              TDX APIC bus cycle, TSC, INIT_VM
 *   coco_kvm_memory_added()    per RAM region: SEV REG_REGION, SNP/TDX
 *                              private attribute
 *   coco_kvm_vcpu_created()    per vCPU (TDX INIT_VCPU with the HOB GPA)
 *   coco_kvm_launch()          the plan's operations, vCPU state, finish
 *   coco_kvm_convert()         at run time: private<->shared conversions
 *
 * Errors are returned as -errno with one clause in c->err ("KVM_SEV_SNP_
 * LAUNCH_UPDATE of CPUID at 0x...: the PSP rejected ... (status 0x16)").
 *
 * A new platform: its plan builder (coco/plan), its measurement
 * (plan_measure.c), one file here with its ops table, one row in
 * kvm_common.c's table, and the simulator's side (src/sim).
 */

#define COCO_GMEM_ALIGN		(1ULL << 21)

struct coco_kvm;

struct coco_platform_ops {
	const char *name;		/* "SEV-SNP": "this host has no SEV-SNP" */
	/* KVM_CREATE_VM type, and its name in "KVM does not offer the SNP VM type" */
	unsigned long vm_type;
	const char *vm_type_name;
	/* SEV, SEV-ES: a KVM without the type runs them on the default type (legacy INIT) */
	bool legacy_on_default_type;

	/* what the platform changes in how the VM is built */
	bool private_mem;		/* guest_memfd; RAM starts private */
	bool split_irqchip;		/* LAPICs in KVM, IOAPIC and PIC in the VMM */
	bool sets_regs;			/* the launch owns every vCPU's registers */
	bool vcpu_state_protected;	/* KVM refuses LAPIC and FPU state */
	bool needs_sev_fd;		/* /dev/sev in every KVM_MEMORY_ENCRYPT_OP */
	/* optional: hide what the platform's guests cannot have (before vCPU 0's table is copied) */
	void (*mask_cpuid)(struct kvm_cpuid2 *cpuid);

	/* the steps of coco/stage.h; NULL: nothing to do */
	int (*vm_init)(struct coco_kvm *c);
	int (*vm_ready)(struct coco_kvm *c);
	int (*memory_added)(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva);
	int (*vcpu_created)(struct coco_kvm *c, struct kvm_vcpu *v);
	int (*launch)(struct coco_kvm *c);
};

extern const struct coco_platform_ops coco_sev_ops;
extern const struct coco_platform_ops coco_sev_es_ops;
extern const struct coco_platform_ops coco_snp_ops;
extern const struct coco_platform_ops coco_tdx_ops;

/* The platform of @type (NULL for COCO_NONE or an unknown type). */
const struct coco_platform_ops *coco_platform(enum coco_type type);

struct coco_kvm {
	const struct launch_plan *plan;
	struct kvm_vm *vm;
	const struct guest_mem *mem;	/* guest RAM as this process maps it */
	int sev_fd;			/* /dev/sev for SEV, SEV-ES, SNP */
	int gmem_fd;			/* SNP, TDX */

	/* set by coco_kvm_prepare() */
	const struct coco_platform_ops *ops;
	enum coco_stage stage;
	unsigned long vm_type;
	bool legacy_sev;		/* KVM_SEV_INIT/ES_INIT on the default type */

	/* vCPUs, in index order, as the caller creates them */
	unsigned int nr_vcpus;
	struct kvm_vcpu **vcpus;
	/* the table given to KVM_SET_CPUID2 of vCPU 0 (SNP CPUID page, TDX INIT_VM) */
	const struct kvm_cpuid2 *cpuid;

	/*
	 * SNP: the certificate table for guests' extended report requests
	 * (certs=DIR; NULL: none).  vm_init enables KVM_EXIT_SNP_REQ_CERTS
	 * when this KVM has it (certs_enabled), else says why not in
	 * certs_skipped (the caller prints it: guests then get no table).
	 */
	const struct coco_certs *certs;
	bool certs_enabled;
	const char *certs_skipped;

	/* TDX */
	struct cvmm_kvm_tdx_capabilities tdx_caps;
	struct kvm_cpuid2 *tdx_caps_cpuid;
	uint64_t tdx_xfam;
	uint32_t tsc_khz;		/* 0: the host's */

	/* results */
	uint8_t sev_measurement[64];	/* LAUNCH_MEASURE blob (SEV, SEV-ES) */
	uint32_t sev_measurement_len;
	uint32_t fw_error;		/* last PSP status (kvm_sev_cmd.error) */
	uint64_t hw_error;		/* last TDX SEAMCALL status */

	struct err_msg *err;
};

/* ---- kvm_common.c: the steps, in order ---- */

/*
 * Pick the platform for plan->type and the KVM_CREATE_VM type from what
 * KVM offers (@vm_types, the KVM_CAP_VM_TYPES bitmap; 0 on kernels
 * without it): SEV/SEV-ES use their own VM type with KVM_SEV_INIT2 when
 * offered and the default type with the legacy KVM_SEV_INIT/ES_INIT
 * otherwise; SNP and TDX need their types.  -ENODEV with "KVM does not
 * offer the SNP VM type (KVM_CAP_VM_TYPES 0x...): this host has no
 * SEV-SNP" in c->err.
 */
int coco_kvm_prepare(struct coco_kvm *c, uint64_t vm_types);
/* Right after KVM_CREATE_VM; with private memory also the guest_memfd for RAM ending at @ram_end. */
int coco_kvm_vm_init(struct coco_kvm *c, uint64_t ram_end);
/* The irqchip exists and no vCPU yet: TDX APIC bus cycle, TSC, INIT_VM (others: 0). */
int coco_kvm_vm_ready(struct coco_kvm *c);
int coco_kvm_memory_added(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva);
int coco_kvm_vcpu_created(struct coco_kvm *c, unsigned int index, struct kvm_vcpu *v);
int coco_kvm_launch(struct coco_kvm *c);
void coco_kvm_release(struct coco_kvm *c);

/* ---- kvm_common.c: what the platforms share ---- */

/* One KVM_MEMORY_ENCRYPT_OP with a struct kvm_sev_cmd; PSP status in c->fw_error. */
int coco_sev_cmd(struct coco_kvm *c, uint32_t id, void *data);
/* "<what>: <strerror> (PSP status 0x..)" in c->err after a failed coco_sev_cmd(); returns @ret. */
int coco_sev_fail(struct coco_kvm *c, const char *what, int ret);
/* One KVM_MEMORY_ENCRYPT_OP with a struct kvm_tdx_cmd on @fd (VM or vCPU). */
int coco_tdx_cmd(struct coco_kvm *c, struct kvm_sys *sys, int fd, uint32_t id,
		 uint32_t flags, void *data);
/*
 * SNP and TDX: have KVM pass KVM_HC_MAP_GPA_RANGE (page-state changes,
 * MapGPA) to userspace.  -ENODEV (with c->err) when this KVM cannot.
 */
int coco_kvm_enable_map_gpa(struct coco_kvm *c);
/* SNP and TDX memory_added: guest RAM starts private, as the firmware expects. */
int coco_kvm_set_private(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva);

/* ---- kvm_vmsa.c ---- */
/*
 * SEV-ES, SNP: give every vCPU every field of its plan->vcpus[].vmsa
 * explicitly (KVM_SET_SREGS, _REGS, _DEBUGREGS, _XCRS, _MSRS for PAT and
 * XSS, _FPU), none left at KVM's reset value, so the VMSA KVM encrypts is
 * the plan's byte for byte.
 */
int coco_kvm_set_vcpu_regs(struct coco_kvm *c);

/*
 * A guest's private<->shared conversion (KVM_HC_MAP_GPA_RANGE or
 * KVM_EXIT_MEMORY_FAULT): check that [gpa, gpa + size) is page aligned,
 * does not wrap and lies in guest RAM, set the attribute, and when
 * @discard drop the copy that is no longer used (the shared mapping's
 * pages on to-private, the guest_memfd pages on to-shared).  -EINVAL
 * (with c->err) for a range the guest should not have asked for.
 */
int coco_kvm_convert(struct coco_kvm *c, uint64_t gpa, uint64_t size,
		     bool to_private, bool discard);

/* SNP CPUID page from a KVM CPUID table (coco/snp_cpuid.h). */
int coco_snp_cpuid_page(const struct kvm_cpuid2 *cpuid, uint8_t page[4096],
			struct err_msg *err);
/*
 * Describe how the PSP corrected the CPUID page (@mine as written,
 * @psp as the PSP rewrote it) in one clause: "leaf 0x7.0 EBX 0x... ->
 * 0x..., ..." (at most @len bytes).  Returns the number of entries that
 * differ.
 */
unsigned int coco_snp_cpuid_diff(const uint8_t mine[4096], const uint8_t psp[4096],
				 char *buf, size_t len);

/* ---- kvm_tdx.c ---- */
/*
 * The CPUID entries for KVM_TDX_INIT_VM: every entry of @board whose
 * (function, index) the TDX module lets the VMM configure, with only the
 * configurable bits.  KVM_TDX_CAPABILITIES reports its entries without
 * KVM_CPUID_FLAG_SIGNIFCANT_INDEX even for indexed leaves, so caps
 * entries are matched as indexed (exact index); a board entry without
 * the flag is looked up as subleaf 0.  Each output entry keeps the board
 * entry's flags, so KVM matches it to exactly one configurable leaf.
 * @out must have room for @board->nent entries.  Leaf 0x80000008
 * EAX[23:16] (the TD's GPAW, KVM's interface for it) is set to 52 when
 * the board's EAX[23:16] (KVM_GET_SUPPORTED_CPUID's largest mappable GPA
 * width: 48 at most without 5-level EPT) allows it, else 48.
 */
void coco_tdx_filter_cpuid(const struct kvm_cpuid2 *board, const struct kvm_cpuid2 *caps,
			   struct kvm_cpuid2 *out);

#endif
