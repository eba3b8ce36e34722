// SPDX-License-Identifier: GPL-2.0-only
/*
 * What each VMM's confidential launch does differently from QEMU's (the
 * reference, whose published golden values cvmm reproduces), one row per
 * VMM (`cvmm measure --vmm NAME`).  Everything that makes one VMM's
 * measurement differ from another's is a field here; the builders
 * (plan_snp.c) and the VMSA (plan_vcpu.c) only read it.
 *
 * Where the quirks were read (/work/shared/reference/attest-anchors.md
 * §1.4, §1.5): sev-snp-measure's snp_calc_launch_digest() and vmsa.py
 * (--vmm-type ec2 / gce) and virtee/sev's measurement tests.
 *   EC2  the CPUID page is issued after every other metadata section;
 *        VMSAs keep KVM's reset segment attributes (SS 0x92, TR 0x83, the
 *        BSP's CS 0x9a), RDX 0x600 (sev-snp-measure since 4a02bf04;
 *        virtee/sev still says 0), no FPU initialisation (MXCSR, FCW 0)
 *   GCE  SNP_SEC_MEM pages are UNMEASURED, not ZERO; QEMU's segments,
 *        G_PAT 0x00070106, RDX 0x600, MXCSR and FCW 0
 *   cvmm gives KVM QEMU's values field by field (coco/kvm/kvm_vmsa.c), so
 *        it is QEMU's row; only QEMU and cvmm model a Coconut SVSM.
 */
#include <errno.h>
#include <strings.h>

#include "coco/plan/plan_internal.h"
#include "util/compiler.h"

static const struct plan_vmm_quirks vmms[] = {
	[PLAN_VMM_CVMM] = { .name = "cvmm", .svsm = true },
	[PLAN_VMM_QEMU] = { .name = "qemu", .svsm = true },
	[PLAN_VMM_EC2] = {
		.name = "ec2",
		.cpuid_page_last = true,
		.kvm_reset_segments = true,
		.no_cpuid_signature = true,
		.no_fpu_init = true,
	},
	[PLAN_VMM_GCE] = {
		.name = "gce",
		.sec_mem_unmeasured = true,
		.no_cpuid_signature = true,
		.no_fpu_init = true,
		.g_pat = 0x00070106ULL,
	},
};

const struct plan_vmm_quirks *plan_vmm_quirks(enum plan_vmm vmm)
{
	if ((unsigned int)vmm >= ARRAY_SIZE(vmms))
		return &vmms[PLAN_VMM_QEMU];
	return &vmms[vmm];
}

const char *plan_vmm_name(enum plan_vmm vmm)
{
	if ((unsigned int)vmm >= ARRAY_SIZE(vmms))
		return "?";
	return vmms[vmm].name;
}

int plan_vmm_parse(const char *s, enum plan_vmm *vmm)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vmms); i++) {
		if (!strcasecmp(s, vmms[i].name)) {
			*vmm = (enum plan_vmm)i;
			return 0;
		}
	}
	return -EINVAL;
}
