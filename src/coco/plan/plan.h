/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_PLAN_PLAN_H
#define CVMM_COCO_PLAN_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "coco/coco_config.h"
#include "coco/fw/td_hob.h"
#include "measure/tdx.h"
#include "measure/vmsa.h"
#include "util/err.h"

/*
 * The launch plan: everything a confidential launch does to guest memory
 * and initial vCPU state, decided once from the firmware image's metadata
 * (GUID table, SEV metadata, SEV-ES reset block, kernel-hashes location,
 * TDVF descriptors) and the user's options, as plain data.  Three
 * consumers execute the same plan, so what is measured is what is launched:
 *
 *  - the KVM backends (coco/kvm_*.c) issue one ioctl per operation, in
 *    order, then set up the vCPUs and finish the launch;
 *  - the measurement model (plan_measure(), coco/plan_measure.c) folds the
 *    same operations into the digest the PSP / TDX module will report;
 *  - under --dry-run and in tests the same backends drive the simulated
 *    platform (coco/sim*.c), which checks the kernel's rules and measures
 *    what it was given.
 *
 * The plan follows QEMU's launch of OVMF exactly (so `--vmm cvmm` equals
 * `--vmm qemu` and published golden values stay valid); Oak stage0 images
 * carry the same metadata and take the same path.
 *
 * How each platform executes plan->ops[i] (gpa, len, src, data):
 *
 *  SEV / SEV-ES  the data is copied to guest RAM (or is the ROM mapping)
 *                and encrypted in place with KVM_SEV_LAUNCH_UPDATE_DATA
 *                {uaddr = hva of gpa, len}; len and gpa are 16-byte
 *                multiples.  Then, SEV-ES only, KVM_SEV_LAUNCH_UPDATE_VMSA
 *                once all vCPUs hold plan->vcpus[] state (KVM encrypts one
 *                VMSA per vCPU in vCPU index order); LAUNCH_MEASURE;
 *                LAUNCH_FINISH.
 *  SNP           KVM_SET_MEMORY_ATTRIBUTES(gpa, len, PRIVATE), then
 *                KVM_SEV_SNP_LAUNCH_UPDATE {gfn_start = gpa >> 12, uaddr,
 *                len, type = op->snp_type}, looped until len == 0 and
 *                retried on -EAGAIN; src says where the bytes come from
 *                (ZERO: uaddr is ignored; CPUID: the executor writes the
 *                page with snp_cpuid_page_build() from the very CPUID table
 *                it passes to KVM_SET_CPUID2; SECRETS: contents ignored).
 *                Then vCPU registers from plan->vcpus[], and
 *                KVM_SEV_SNP_LAUNCH_FINISH with plan->snp_finish (KVM adds
 *                the VMSAs, in vCPU index order, to the digest then).
 *  TDX           KVM_TDX_INIT_VM(attributes = plan->tdx_attr) before any
 *                vCPU; vCPUs created; KVM_TDX_INIT_VCPU(data =
 *                plan->tdx_hob_gpa) on each; per op (skipping tdx_aug ops):
 *                KVM_SET_MEMORY_ATTRIBUTES(PRIVATE), KVM_TDX_INIT_MEM_REGION
 *                {source = data or a zero buffer, gpa, nr_pages = len >> 12},
 *                flags = KVM_TDX_MEASURE_MEMORY_REGION iff op->tdx_measure,
 *                on a vCPU fd; then KVM_TDX_FINALIZE_VM.
 *
 * The plan owns every byte it points at (including a pristine copy of the
 * firmware image) and is never modified after plan_build(): a guest reset
 * executes the same plan again on a fresh VM.
 */

enum plan_vmm {
	PLAN_VMM_CVMM,		/* cvmm itself: identical to QEMU */
	PLAN_VMM_QEMU,
	PLAN_VMM_EC2,		/* AWS EC2's SNP launch (VMSA register details, CPUID page last) */
	PLAN_VMM_GCE,		/* Google GCE's SNP launch (SEC_MEM unmeasured, VMSA details) */
};

enum plan_src {
	PLAN_SRC_DATA,		/* op->data holds op->len bytes */
	PLAN_SRC_ZERO,		/* zero-filled memory */
	PLAN_SRC_CPUID,		/* SNP CPUID page, filled by the executor */
	PLAN_SRC_SECRETS,	/* SNP secrets page, filled by the PSP */
};

/* op->flags */
#define PLAN_OP_FIRMWARE	(1u << 0)	/* bytes of the firmware image */
#define PLAN_OP_SVSM		(1u << 1)	/* bytes of the SVSM image */
#define PLAN_OP_KERNEL_HASHES	(1u << 2)	/* the kernel-hashes table/page */

struct plan_op {
	uint64_t gpa;
	uint64_t len;
	enum plan_src src;
	const uint8_t *data;	/* PLAN_SRC_DATA: len bytes owned by the plan */
	uint8_t snp_type;	/* SNP: enum snp_page_type */
	bool tdx_measure;	/* TDX: MR.EXTEND the contents into MRTD */
	bool tdx_aug;		/* TDX: PAGE_AUG section, not added at launch */
	uint32_t flags;
	const char *what;	/* "firmware", "SEC_MEM", "BFV", ... */
};

/*
 * Initial state of one vCPU.  eip is the linear reset address: 0xfffffff0
 * for the BSP, the SEV-ES reset block's address for SEV-ES/SNP APs (which
 * KVM starts directly, without SIPI).  For SEV-ES/SNP, vmsa is the register
 * state exactly as it lands in the VMSA page; a KVM executor gives KVM every
 * field of it explicitly (coco/kvm_vmsa.c), none left at KVM's reset values
 * (which are not QEMU's), so the page KVM encrypts is vmsa_build(&vmsa)
 * byte for byte.  docs/coco.md lists every field and who sets it.
 */
struct plan_vcpu {
	uint32_t index;
	uint32_t eip;
	struct vmsa_state vmsa;	/* SEV-ES / SNP only */
};

struct plan_snp_finish {
	bool id_block_en;
	uint8_t id_block[96];
	uint8_t id_auth[4096];
	bool auth_key_en;	/* id_auth carries an author key */
	uint8_t host_data[32];
};

struct launch_plan {
	enum coco_type type;
	enum plan_vmm vmm;
	uint64_t policy;		/* SEV/SNP guest policy */
	uint64_t sev_features;		/* SNP: VMSA SEV_FEATURES */

	const uint8_t *fw;		/* pristine copy of the firmware image */
	size_t fw_len;
	uint64_t fw_gpa;		/* 4 GiB - fw_len */
	const uint8_t *svsm;		/* Coconut SVSM image, or NULL */
	size_t svsm_len;
	uint64_t svsm_gpa;

	unsigned int nr_ops;
	struct plan_op *ops;

	unsigned int nr_vcpus;
	struct plan_vcpu *vcpus;
	bool have_ap_eip;		/* SEV-ES reset block found */
	uint32_t ap_eip;

	bool have_hashes;		/* measured direct boot */
	uint64_t hashes_gpa;
	uint8_t hashes_table[176];

	struct plan_snp_finish snp_finish;

	uint64_t tdx_attr;		/* TD attributes for KVM_TDX_INIT_VM */
	uint64_t tdx_hob_gpa;		/* RCX of every vCPU (KVM_TDX_INIT_VCPU) */
	size_t tdx_hob_len;		/* bytes of HOB list in the TD_HOB section */

	/* private */
	uint8_t **bufs;
	unsigned int nr_bufs;
};

struct plan_params {
	const struct coco_config *coco;	/* type, policy, TD attributes */
	enum plan_vmm vmm;

	const uint8_t *fw;		/* firmware image, mapped to end at 4 GiB */
	size_t fw_len;
	/*
	 * The plan takes ownership of fw (a malloc'ed buffer the caller no
	 * longer touches) instead of copying it; it is freed by plan_free(),
	 * or by plan_build() on failure.
	 */
	bool give_fw;
	/*
	 * Or the plan refers to fw, which the caller keeps unchanged until
	 * plan_free() (cvmm measure maps the file read-only).
	 */
	bool borrow_fw;
	const uint8_t *kernel;		/* NULL: no kernel, no kernel hashes */
	size_t kernel_len;
	const uint8_t *initrd;		/* NULL: no initrd */
	size_t initrd_len;
	const char *cmdline;		/* NULL: no command line */

	unsigned int nr_vcpus;		/* >= 1 */
	uint32_t vcpu_sig;		/* CPUID 1 EAX: RDX at reset (SEV-ES/SNP) */
	uint64_t guest_features;	/* SNP SEV_FEATURES (bit 0 SNPActive) */

	const uint8_t *svsm;		/* SNP with a Coconut SVSM below the firmware */
	size_t svsm_len;
	uint64_t vars_size;		/* bytes of OVMF vars between SVSM and firmware */

	/*
	 * Guest RAM: the TD HOB describes it and every op outside the
	 * firmware must lie inside it.  NULL: plan_default_ram(mem_size);
	 * both empty (mem_size 0): no RAM bounds check, and TDX is refused.
	 */
	const struct td_ram_range *ram;
	unsigned int nr_ram;
	uint64_t mem_size;

	const uint8_t *id_block;	/* SNP: 96 bytes, or NULL */
	const uint8_t *id_auth;		/* SNP: 4096 bytes (with id_block) */
	bool auth_key_en;
};

#define PLAN_FW_MAX		(16ULL << 20)
#define PLAN_BSP_EIP		0xfffffff0u
#define PLAN_MAX_VCPUS		512

/* cvmm's RAM layout (arch/x86/layout.h): [0, min(size, 3G)) and the rest at 4 GiB. */
unsigned int plan_default_ram(uint64_t mem_size, struct td_ram_range ram[2]);

/*
 * Build the plan.  Returns 0, -ENOMEM, or -EINVAL with the reason in
 * @err (malformed metadata, a kernel the firmware cannot measure, ops
 * outside RAM or overlapping, ...).
 */
int plan_build(const struct plan_params *p, struct launch_plan **out,
	       struct err_msg *err);
void plan_free(struct launch_plan *plan);

/* The VMSA page of vCPU @idx (SEV-ES/SNP plans). */
int plan_vcpu_vmsa(const struct launch_plan *plan, unsigned int idx,
		   uint8_t page[VMSA_PAGE_SIZE]);

/* Measurement: coco/plan_measure.c */
struct plan_measure_opts {
	const uint8_t *snp_seed;	/* SNP: start from this 48-byte digest and
					   skip the firmware ops (--ovmf-hash) */
	bool firmware_only;		/* SNP: only the firmware ops (OVMF hash) */
	enum tdx_page_order tdx_order;	/* TDX: order of PAGE.ADD / MR.EXTEND */
};

struct plan_digest {
	size_t len;			/* 32 (SEV, SEV-ES) or 48 (SNP, TDX MRTD) */
	uint8_t d[48];
};

/*
 * The launch digest the hardware will report for this plan: SEV/SEV-ES
 * SHA-256 launch digest, SNP MEASUREMENT, TDX MRTD.
 */
int plan_measure(const struct launch_plan *plan, const struct plan_measure_opts *o,
		 struct plan_digest *out);

/* Human-readable dump (one line per op and vCPU) for --dry-run. */
void plan_print(const struct launch_plan *plan, FILE *f);
const char *plan_vmm_name(enum plan_vmm vmm);
int plan_vmm_parse(const char *s, enum plan_vmm *vmm);

#endif
