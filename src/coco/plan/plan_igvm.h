/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_PLAN_PLAN_IGVM_H
#define CVMM_COCO_PLAN_PLAN_IGVM_H

#include "coco/coco_config.h"
#include "coco/plan/plan.h"
#include "igvm/load.h"
#include "util/err.h"

/*
 * The SEV-SNP launch plan of an IGVM file: the load of its SNP platform
 * (igvm/load.h) as plan operations, so that `cvmm measure --igvm` folds
 * exactly what a launch would execute (plan_measure()), as for firmware
 * launches.  docs/igvm.md has the table; per operation:
 *
 *   IGVM_OP_DATA     PLAN_SRC_DATA    NORMAL or UNMEASURED (its snp_type)
 *   IGVM_OP_ZERO     PLAN_SRC_ZERO    NORMAL (zeros, QEMU), ZERO (Cloud
 *                                     Hypervisor) or UNMEASURED
 *   IGVM_OP_SECRETS  PLAN_SRC_SECRETS SECRETS
 *   IGVM_OP_CPUID    PLAN_SRC_CPUID   CPUID (the launch fills the page)
 *   IGVM_OP_PARAM    PLAN_SRC_DATA    UNMEASURED, the filled area
 *
 * The plan owns copies of every byte (the load may be freed).  The vCPUs
 * are the file's SNP VP contexts, decoded with igvm_vmsa_decode() (so
 * vmsa_build() gives the file's page back byte for byte); a launch has
 * exactly one vCPU per context (@nr_vcpus must equal their number: cvmm
 * has no VMSA of its own for an AP of an IGVM guest).  The policy is the
 * file's GUEST_POLICY, else @coco's; SEV_FEATURES are the VMSAs' and an
 * explicit sev-features= must agree; the file's SNP_ID_BLOCK becomes the
 * launch-finish ID block (QEMU's conversion), HOST_DATA is @coco's.
 * Every operation lies in guest RAM (cvmm's layout for @mem_size) or in
 * the firmware window [4 GiB - 16 MiB, 4 GiB).
 */
struct plan_igvm_params {
	const struct igvm_load *load;		/* an SNP load, with host values */
	const struct coco_config *coco;		/* policy, sev-features=, host-data= */
	unsigned int nr_vcpus;
	uint64_t mem_size;
};

/* 0, -ENOMEM, or -EINVAL with the reason in @err. */
int plan_from_igvm(const struct plan_igvm_params *pp, struct launch_plan **out,
		   struct err_msg *err);

#endif
