// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP launch on KVM (Documentation/virt/kvm/x86/amd-memory-
 * encryption.rst): the VMSA features and policy checked against what this
 * host takes, KVM_SEV_INIT2 on the SNP VM type, KVM_CAP_EXIT_HYPERCALL
 * for KVM_HC_MAP_GPA_RANGE, SNP_LAUNCH_START; per plan operation the
 * private attribute and SNP_LAUNCH_UPDATE looped until len == 0 (retried
 * on -EAGAIN) from the shared mapping of guest RAM; the vCPU registers;
 * SNP_LAUNCH_FINISH with the optional ID block, ID auth and host data
 * (KVM adds the VMSAs to the digest then).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "coco/kvm/kvm_coco.h"
#include "arch/x86/cpuid.h"
#include "measure/snp.h"

#define PAGE_SIZE		4096ULL
#define SNP_UPDATE_RETRIES	10000
#define SNP_POLICY_MBO		(1ULL << 17)
/* API version, SMT, bit 17, MIGRATE_MA, DEBUG, SINGLE_SOCKET (SNP_POLICY_MASK_VALID) */
#define SNP_POLICY_BITS_BEFORE_6_18	0x1fffffULL

/* A KVM_X86_GRP_SEV attribute of /dev/kvm (sev_dev_get_attr()): -ENXIO when unknown. */
static int sev_attr(struct coco_kvm *c, uint64_t attr, uint64_t *val)
{
	struct kvm_device_attr a;

	memset(&a, 0, sizeof(a));
	a.group = KVM_X86_GRP_SEV;
	a.attr = attr;
	a.addr = (uint64_t)(uintptr_t)val;
	return kvm_sys_ioctl(c->vm->sys, c->vm->sys->fd, KVM_GET_DEVICE_ATTR, &a);
}

static int check_vmsa_features(struct coco_kvm *c, uint64_t features)
{
	uint64_t supported = 0;
	int ret;

	if (!features)
		return 0;
	ret = sev_attr(c, KVM_X86_SEV_VMSA_FEATURES, &supported);
	if (ret < 0) {
		err_set(c->err, "sev-features=0x%" PRIx64 ": this KVM has no "
			"KVM_X86_SEV_VMSA_FEATURES (Linux 6.10 or later takes VMSA features)",
			(uint64_t)(features | SVM_SEV_FEAT_SNP_ACTIVE));
		return -EINVAL;
	}
	if (features & ~supported) {
		err_set(c->err, "sev-features=0x%" PRIx64 ": this KVM does not offer "
			"0x%" PRIx64 " (KVM_X86_SEV_VMSA_FEATURES: 0x%" PRIx64 "; DebugSwap "
			"needs the CPU's and kvm_amd.debug_swap)",
			(uint64_t)(features | SVM_SEV_FEAT_SNP_ACTIVE),
			features & ~supported, supported);
		return -EINVAL;
	}
	return 0;
}

/*
 * The policy bits KVM takes: since Linux 6.18 the firmware's, reported as
 * KVM_X86_SNP_POLICY_BITS; before, KVM's fixed SNP_POLICY_MASK_VALID.
 * snp_launch_start() refuses others, and a policy without bit 17, with a
 * bare -EINVAL: say which bits, before anything is launched.
 */
static int check_policy(struct coco_kvm *c, uint64_t policy)
{
	const char *whose = "KVM_X86_SNP_POLICY_BITS";
	uint64_t bits = 0;

	if (sev_attr(c, KVM_X86_SNP_POLICY_BITS, &bits) < 0) {
		bits = SNP_POLICY_BITS_BEFORE_6_18;
		whose = "what KVM takes before Linux 6.18";
	}
	if (policy & ~bits) {
		err_set(c->err, "the SNP policy 0x%" PRIx64 " sets bits 0x%" PRIx64 " this "
			"host does not support (%s: 0x%" PRIx64 ")", policy, policy & ~bits,
			whose, bits);
		return -EINVAL;
	}
	if (!(policy & SNP_POLICY_MBO)) {
		err_set(c->err, "the SNP policy 0x%" PRIx64 " lacks bit 17, which must be "
			"set (e.g. policy=0x30000)", policy);
		return -EINVAL;
	}
	return 0;
}

/*
 * certs=DIR: have KVM ask for the certificate table on every extended
 * report request (KVM_EXIT_SNP_REQ_CERTS, Linux 7.0), which must be
 * enabled before any vCPU exists.  A KVM without it (the device attribute
 * KVM_X86_SEV_SNP_REQ_CERTS unknown, -ENXIO) answers such requests with
 * an empty table itself: that is not an error, only a lost feature.
 */
static int snp_enable_certs(struct coco_kvm *c)
{
	uint64_t on = 0;
	int ret;

	if (!c->certs)
		return 0;
	if (sev_attr(c, KVM_X86_SEV_SNP_REQ_CERTS, &on) < 0 || !on) {
		c->certs_skipped = "this KVM has no certificate-request exit "
				   "(KVM_X86_SEV_SNP_REQ_CERTS, Linux 7.0): guests get an "
				   "empty certificate table";
		return 0;
	}
	ret = coco_sev_cmd(c, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_SNP_ENABLE_REQ_CERTS", ret);
	c->certs_enabled = true;
	return 0;
}

static int snp_vm_init(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	struct cvmm_kvm_sev_snp_launch_start start;
	struct cvmm_kvm_sev_init init;
	int ret;

	memset(&init, 0, sizeof(init));
	/* KVM adds SNPActive itself; INIT2 takes only the optional features */
	init.vmsa_features = p->sev_features & ~SVM_SEV_FEAT_SNP_ACTIVE;
	ret = check_vmsa_features(c, init.vmsa_features);
	if (!ret)
		ret = check_policy(c, p->policy);
	if (ret)
		return ret;
	ret = coco_sev_cmd(c, CVMM_KVM_SEV_INIT2, &init);
	if (ret == -ENOTTY) {
		err_set(c->err, "KVM has no SEV-SNP (KVM_MEMORY_ENCRYPT_OP is not "
			"supported): this host has no SEV-SNP");
		return -ENODEV;
	}
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_INIT2", ret);

	/* page-state changes reach us as KVM_HC_MAP_GPA_RANGE exits */
	ret = coco_kvm_enable_map_gpa(c);
	if (ret)
		return ret;

	memset(&start, 0, sizeof(start));
	start.policy = p->policy;
	ret = coco_sev_cmd(c, CVMM_KVM_SEV_SNP_LAUNCH_START, &start);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_SNP_LAUNCH_START", ret);
	return snp_enable_certs(c);
}

/* SNP_LAUNCH_UPDATE until the whole range is done. */
static int snp_update(struct coco_kvm *c, const struct plan_op *o, uint64_t uaddr)
{
	struct cvmm_kvm_sev_snp_launch_update u;
	unsigned int stuck = 0;
	char what[96];
	int ret;

	memset(&u, 0, sizeof(u));
	u.gfn_start = o->gpa >> 12;
	u.uaddr = o->snp_type == SNP_PAGE_ZERO ? 0 : uaddr;
	u.len = o->len;
	u.type = o->snp_type;
	snprintf(what, sizeof(what), "KVM_SEV_SNP_LAUNCH_UPDATE of %s at 0x%" PRIx64,
		 o->what, o->gpa);
	while (u.len) {
		uint64_t before = u.len;

		ret = coco_sev_cmd(c, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u);
		if (ret == -EAGAIN || (!ret && u.len >= before)) {
			if (++stuck > SNP_UPDATE_RETRIES) {
				err_set(c->err, "%s: no progress after %d attempts", what,
					SNP_UPDATE_RETRIES);
				return -EIO;
			}
			continue;
		}
		if (ret)
			return coco_sev_fail(c, what, ret);
		if (u.len > before) {
			err_set(c->err, "%s: KVM reported more left than before", what);
			return -EIO;
		}
		stuck = 0;
	}
	if (u.gfn_start << 12 != o->gpa + o->len) {
		err_set(c->err, "%s: ended at GFN 0x%llx, expected 0x%" PRIx64, what,
			(unsigned long long)u.gfn_start, (o->gpa + o->len) >> 12);
		return -EIO;
	}
	return 0;
}

static int snp_cpuid_update(struct coco_kvm *c, const struct plan_op *o, uint8_t *hva)
{
	uint8_t mine[4096];
	char diff[200];
	unsigned int n;
	int ret;

	if (o->len != PAGE_SIZE) {
		err_set(c->err, "the SNP CPUID section is 0x%" PRIx64 " bytes, not a page",
			o->len);
		return -EINVAL;
	}
	ret = coco_snp_cpuid_page(c->cpuid, mine, c->err);
	if (ret)
		return ret;
	memcpy(hva, mine, sizeof(mine));
	ret = snp_update(c, o, (uint64_t)(uintptr_t)hva);
	if (ret == -EIO && c->fw_error == CVMM_SEV_RET_INVALID_PARAM) {
		/* KVM copied the PSP's corrected page back to our source */
		n = coco_snp_cpuid_diff(mine, hva, diff, sizeof(diff));
		err_set(c->err, "the PSP rejected the CPUID page at 0x%" PRIx64 " (%u "
			"value%s it would accept differently: %s)", o->gpa, n,
			n == 1 ? "" : "s", n ? diff : "none reported");
	}
	return ret;
}

static int snp_launch(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	struct cvmm_kvm_sev_snp_launch_finish fin;
	unsigned int i;
	int ret;

	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];
		uint8_t *hva = guest_mem_ptr(c->mem, o->gpa, o->len);

		if (!hva) {
			err_set(c->err, "%s at 0x%" PRIx64 " (0x%" PRIx64 " bytes) is not "
				"in guest RAM", o->what, o->gpa, o->len);
			return -EINVAL;
		}
		switch (o->src) {
		case PLAN_SRC_DATA:
			if (hva != o->data)
				memcpy(hva, o->data, o->len);
			break;
		case PLAN_SRC_SECRETS:
			memset(hva, 0, o->len);		/* the PSP fills it */
			break;
		case PLAN_SRC_ZERO:
		case PLAN_SRC_CPUID:
			break;
		}
		ret = kvm_vm_set_memory_attributes(c->vm, o->gpa, o->len,
						   KVM_MEMORY_ATTRIBUTE_PRIVATE);
		if (ret < 0) {
			err_set(c->err, "KVM_SET_MEMORY_ATTRIBUTES(private) of %s at 0x%"
				PRIx64 ": %s", o->what, o->gpa, strerror(-ret));
			return ret;
		}
		if (o->src == PLAN_SRC_CPUID)
			ret = snp_cpuid_update(c, o, hva);
		else
			ret = snp_update(c, o, (uint64_t)(uintptr_t)hva);
		if (ret)
			return ret;
	}
	ret = coco_kvm_set_vcpu_regs(c);
	if (ret)
		return ret;

	memset(&fin, 0, sizeof(fin));
	if (p->snp_finish.id_block_en) {
		fin.id_block_en = 1;
		fin.id_block_uaddr = (uint64_t)(uintptr_t)p->snp_finish.id_block;
		fin.id_auth_uaddr = (uint64_t)(uintptr_t)p->snp_finish.id_auth;
		fin.auth_key_en = p->snp_finish.auth_key_en;
	}
	memcpy(fin.host_data, p->snp_finish.host_data, sizeof(fin.host_data));
	ret = coco_sev_cmd(c, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_SNP_LAUNCH_FINISH", ret);
	return 0;
}

/*
 * SEV-SNP guests cannot use these (the PSP rejects a CPUID page that has
 * them), as QEMU's sev_snp_mask_cpuid_features() and Alioth.
 */
static void snp_mask_cpuid(struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpuid_entry2 *e;

	e = cpuid_find(cpuid, 1, 0);
	if (e)
		e->ecx &= ~(1u << 24);			/* TSC_DEADLINE */
	e = cpuid_find(cpuid, 7, 0);
	if (e) {
		e->ebx &= ~(1u << 1);			/* TSC_ADJUST */
		e->edx &= ~0xfc000000u;			/* SPEC_CTRL, STIBP, L1D_FLUSH,
							   ARCH_CAPABILITIES, CORE_CAPS, SSBD */
	}
	e = cpuid_find(cpuid, 0x80000008, 0);
	if (e)
		e->ebx &= ~(1u << 25);			/* VIRT_SSBD */
}

const struct coco_platform_ops coco_snp_ops = {
	.name = "SEV-SNP",
	.vm_type = KVM_X86_SNP_VM,
	.vm_type_name = "SNP",
	.private_mem = true,
	.sets_regs = true,
	.needs_sev_fd = true,
	.mask_cpuid = snp_mask_cpuid,
	.vm_init = snp_vm_init,
	.memory_added = coco_kvm_set_private,
	.launch = snp_launch,
};
