/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_IGVM_LOAD_H
#define CVMM_IGVM_LOAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "igvm/igvm.h"

/*
 * What loading one platform of an IGVM file does, as plain data: the
 * ordered memory operations, the vCPU contexts, the policy and ID block,
 * the parameter areas filled with the host's values.  A launch executes
 * the operations in order; igvm_load_snp_digest() folds the very same
 * operations into the SNP launch digest, so what is measured is what is
 * loaded (the same rule as coco/plan.h, which this maps onto).
 *
 * The rules are QEMU's (backends/igvm.c with target/i386/sev.c), which
 * cvmm's SNP launch mirrors; docs/igvm.md lists them and where
 * igvmmeasure and Cloud Hypervisor differ:
 *
 *  - PAGE_DATA, in file order; consecutive pages with the same attributes
 *    and contiguous GPAs become one operation.  A page without file data
 *    is zero-filled: SNP measures it as a NORMAL page of zeros
 *    (IGVM_ZERO_AS_NORMAL, QEMU) or with the ZERO page type
 *    (IGVM_ZERO_AS_ZERO, Cloud Hypervisor on KVM).  UNMEASURED pages,
 *    SECRETS and CPUID pages get their SNP types.  The SHARED flag is
 *    recorded but changes nothing (QEMU and igvmmeasure ignore it).
 *    A 2 MiB page is 512 4 KiB pages; one with file data is refused.
 *  - PARAMETER_INSERT: every page of the area, UNMEASURED, in one operation.
 *  - VP_CONTEXT: SNP VMSAs are measured after all pages, in vCPU index
 *    order, wherever the directive stands (KVM measures them at
 *    SNP_LAUNCH_FINISH); a native context sets vCPU 0's registers.
 *  - REQUIRED_MEMORY and ERROR_RANGE: listed, not loaded.
 */

enum igvm_zero_pages {
	IGVM_ZERO_AS_NORMAL,		/* QEMU (default) */
	IGVM_ZERO_AS_ZERO,		/* Cloud Hypervisor on KVM */
};
const char *igvm_zero_name(enum igvm_zero_pages z);
int igvm_zero_parse(const char *s, enum igvm_zero_pages *z);

enum igvm_op_kind {
	IGVM_OP_DATA,			/* op->data holds op->len bytes */
	IGVM_OP_ZERO,			/* zero-filled */
	IGVM_OP_SECRETS,		/* SNP secrets page (contents ignored) */
	IGVM_OP_CPUID,			/* SNP CPUID page: the launch fills it;
					   data = the file's template or NULL */
	IGVM_OP_PARAM,			/* an inserted parameter area (data) */
};

struct igvm_op {
	uint64_t gpa;
	uint64_t len;			/* multiple of 4 KiB */
	enum igvm_op_kind kind;
	uint8_t snp_type;		/* enum snp_page_type (measure/snp.h) */
	bool measured;			/* contents part of the measurement */
	bool shared;			/* PAGE_DATA SHARED flag */
	const uint8_t *data;		/* DATA, PARAM, CPUID template: owned */
	uint32_t off;			/* file offset of the first record */
};

struct igvm_range {
	uint64_t gpa;
	uint64_t len;
	uint32_t flags;
	uint32_t off;
};

/* What the host gives the guest through parameter areas. */
struct igvm_mem_entry {
	uint64_t gpa;
	uint64_t len;
	uint16_t type;			/* enum igvm_mem_type */
};
struct igvm_host {
	const struct igvm_mem_entry *mem;	/* MEMORY_MAP (any order) */
	unsigned int nr_mem;
	uint32_t vp_count;			/* VP_COUNT */
	const char *cmdline;			/* COMMAND_LINE; NULL = "" */
	bool memory_is_shared;			/* ENVIRONMENT_INFO bit 0 */
};

struct igvm_load {
	const struct igvm_platform *platform;
	enum igvm_zero_pages zero;

	unsigned int nr_ops;
	struct igvm_op *ops;

	unsigned int nr_vmsas;		/* SNP: vCPUs 0..n-1 */
	uint8_t (*vmsas)[4096];
	uint64_t sev_features;		/* SNP: the VMSAs' (all equal) */
	bool have_native_ctx;		/* native: vCPU 0's context */
	struct igvm_native_ctx native_ctx;

	bool have_policy;
	uint64_t policy;
	bool have_id_block;
	struct igvm_snp_id_block id_block;

	unsigned int nr_required, nr_error;
	struct igvm_range *required;	/* REQUIRED_MEMORY */
	struct igvm_range *error;	/* ERROR_RANGE (host visible) */

	/* private */
	uint8_t **bufs;
	unsigned int nr_bufs;
};

/*
 * Build the load of platform @p (native, SNP or TDX).  @host fills the
 * parameter areas; NULL leaves them at their initial contents (they are
 * never measured) and accepts every parameter type, which is enough for
 * the digest.  With @host, a parameter cvmm cannot provide (SRAT, MADT,
 * SLIT, PPTT, MMIO ranges, device tree), a memory map or command line
 * that does not fit its area is an error.  SNP VMSAs are checked with
 * igvm_vmsa_decode() unless @any_vmsa.  Returns 0, -EINVAL (@err) or -ENOMEM.
 */
int igvm_load_build(const struct igvm_file *f, const struct igvm_platform *p,
		    const struct igvm_host *host, enum igvm_zero_pages zero,
		    bool any_vmsa, struct igvm_load **out, struct err_msg *err);
void igvm_load_free(struct igvm_load *l);

/*
 * Append a VMSA page for the next vCPU (a launch with more vCPUs than the
 * file has contexts gives the APs its own VMSAs; KVM measures one per vCPU).
 */
int igvm_load_add_vmsa(struct igvm_load *l, const uint8_t page[4096]);

/* Called for every page folded into the digest (tests, --verbose). */
typedef void (*igvm_page_cb)(void *ctx, uint64_t gpa, unsigned int snp_type,
			     const uint8_t ld[48]);

/* The SNP launch digest of an SNP load: its ops, then its VMSAs. */
int igvm_load_snp_digest(const struct igvm_load *l, igvm_page_cb cb, void *ctx,
			 uint8_t digest[48]);

/*
 * The SNP launch digest of platform @p of @f (default: the file's SNP
 * platform) with zero-page semantics @zero: igvm_load_build() without host
 * values, then igvm_load_snp_digest().
 */
int igvm_snp_digest(const struct igvm_file *f, const struct igvm_platform *p,
		    enum igvm_zero_pages zero, uint8_t digest[48], struct err_msg *err);

/* One line per op, vCPU and setting. */
void igvm_load_print(const struct igvm_load *l, FILE *out);

#endif
