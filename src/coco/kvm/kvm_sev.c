// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV and SEV-ES launch on KVM (Documentation/virt/kvm/x86/amd-memory-
 * encryption.rst): KVM_SEV_INIT2 on the SEV/SEV-ES VM types, or the legacy
 * KVM_SEV_INIT/ES_INIT on the default type; LAUNCH_START; one
 * LAUNCH_UPDATE_DATA per plan operation, in place in guest RAM; SEV-ES:
 * vCPU registers and LAUNCH_UPDATE_VMSA; LAUNCH_MEASURE; LAUNCH_FINISH.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "coco/kvm/kvm_coco.h"
#include "util/log.h"

static int sev_vm_init(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	struct cvmm_kvm_sev_init init;
	struct kvm_sev_launch_start start;
	bool es = p->type == COCO_SEV_ES;
	int ret;

	if (p->policy > 0xffffffffULL) {
		err_set(c->err, "the SEV guest policy 0x%" PRIx64 " does not fit 32 bits",
			p->policy);
		return -EINVAL;
	}
	if (c->legacy_sev) {
		ret = coco_sev_cmd(c, es ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL);
		if (!ret && es)
			log_warn("--coco", "this KVM only has the legacy KVM_SEV_ES_INIT: "
				 "its VMSAs carry no FPU state, so the launch digest differs "
				 "from `cvmm measure`");
	} else {
		memset(&init, 0, sizeof(init));
		ret = coco_sev_cmd(c, CVMM_KVM_SEV_INIT2, &init);
	}
	if (ret == -ENOTTY) {
		err_set(c->err, "KVM has no %s (KVM_MEMORY_ENCRYPT_OP is not supported): "
			"this host has no %s", es ? "SEV-ES" : "SEV", es ? "SEV-ES" : "SEV");
		return -ENODEV;
	}
	if (ret)
		return coco_sev_fail(c, c->legacy_sev ? (es ? "KVM_SEV_ES_INIT" :
						     "KVM_SEV_INIT") : "KVM_SEV_INIT2", ret);
	memset(&start, 0, sizeof(start));
	start.policy = (uint32_t)p->policy;
	ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_START, &start);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_LAUNCH_START", ret);
	return 0;
}

static int sev_launch(struct coco_kvm *c)
{
	const struct launch_plan *p = c->plan;
	struct kvm_sev_launch_measure m;
	unsigned int i;
	char what[96];
	int ret;

	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];
		struct kvm_sev_launch_update_data u;
		uint8_t *hva;

		hva = guest_mem_ptr(c->mem, o->gpa, o->len);
		if (!hva || o->len > UINT32_MAX) {
			err_set(c->err, "%s at 0x%" PRIx64 " (0x%" PRIx64 " bytes) is not "
				"in guest RAM", o->what, o->gpa, o->len);
			return -EINVAL;
		}
		/* encrypted in place: guest RAM must hold exactly the plan's bytes */
		if (o->src == PLAN_SRC_DATA) {
			if (hva != o->data)
				memcpy(hva, o->data, o->len);
		} else {
			memset(hva, 0, o->len);
		}
		u.uaddr = (uint64_t)(uintptr_t)hva;
		u.len = (uint32_t)o->len;
		ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_UPDATE_DATA, &u);
		if (ret) {
			snprintf(what, sizeof(what), "KVM_SEV_LAUNCH_UPDATE_DATA of %s at 0x%"
				 PRIx64, o->what, o->gpa);
			return coco_sev_fail(c, what, ret);
		}
	}
	if (p->type == COCO_SEV_ES) {
		ret = coco_kvm_set_vcpu_regs(c);
		if (ret)
			return ret;
		/* KVM encrypts every vCPU's VMSA, in vCPU index order */
		ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL);
		if (ret)
			return coco_sev_fail(c, "KVM_SEV_LAUNCH_UPDATE_VMSA", ret);
	}
	/*
	 * Length query: the PSP answers INVALID_LEN and KVM passes that on
	 * as -EIO, so only the returned length counts (as in QEMU).
	 */
	memset(&m, 0, sizeof(m));
	ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_MEASURE, &m);
	if (!m.len && ret)
		return coco_sev_fail(c, "KVM_SEV_LAUNCH_MEASURE", ret);
	if (!m.len || m.len > sizeof(c->sev_measurement)) {
		err_set(c->err, "KVM_SEV_LAUNCH_MEASURE: unexpected length %u", m.len);
		return -EIO;
	}
	m.uaddr = (uint64_t)(uintptr_t)c->sev_measurement;
	ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_MEASURE, &m);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_LAUNCH_MEASURE", ret);
	c->sev_measurement_len = m.len;
	ret = coco_sev_cmd(c, KVM_SEV_LAUNCH_FINISH, NULL);
	if (ret)
		return coco_sev_fail(c, "KVM_SEV_LAUNCH_FINISH", ret);
	return 0;
}

/* pin it: the PSP encrypts it in place, the ASID tags it */
static int sev_memory_added(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva)
{
	struct kvm_enc_region r = { .addr = (uint64_t)(uintptr_t)hva, .size = size };
	int ret = kvm_vm_ioctl(c->vm, KVM_MEMORY_ENCRYPT_REG_REGION, &r);

	if (ret < 0) {
		err_set(c->err, "KVM_MEMORY_ENCRYPT_REG_REGION of 0x%" PRIx64 " bytes at 0x%"
			PRIx64 ": %s%s", size, gpa, strerror(-ret),
			ret == -ENOMEM ? " (raise RLIMIT_MEMLOCK)" : "");
		return ret;
	}
	return 0;
}

/* Plain SEV boots from the reset vector like any VM: the loader sets the BSP. */
const struct coco_platform_ops coco_sev_ops = {
	.name = "SEV",
	.vm_type = KVM_X86_SEV_VM,
	.vm_type_name = "SEV",
	.legacy_on_default_type = true,
	.needs_sev_fd = true,
	.vm_init = sev_vm_init,
	.memory_added = sev_memory_added,
	.launch = sev_launch,
};

const struct coco_platform_ops coco_sev_es_ops = {
	.name = "SEV-ES",
	.vm_type = KVM_X86_SEV_ES_VM,
	.vm_type_name = "SEV-ES",
	.legacy_on_default_type = true,
	.sets_regs = true,
	.needs_sev_fd = true,
	.vm_init = sev_vm_init,
	.memory_added = sev_memory_added,
	.launch = sev_launch,
};
