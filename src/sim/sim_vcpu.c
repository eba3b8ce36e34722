// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's vCPUs: KVM_CREATE_VCPU (kvm_vm_ioctl_create_
 * vcpu(), tdx_vcpu_create()) and the vCPU ioctls other than KVM_RUN:
 * CPUID, MSRs, LAPIC, registers, FPU, XCRs, debug registers and the TDX
 * vCPU commands.  The registers themselves are AMD's, in sim_svm.c.
 * [Kn]/[Sn]/[Tn] tags refer to the rule table in docs/coco.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sim/sim_internal.h"
#include "util/compiler.h"

#define KVM_MAX_VCPU_IDS	1024

int sim_vcpu_create(struct sim_vm *vm, unsigned long id)
{
	struct sim *s = vm->sim;
	struct sim_vcpu *v;
	unsigned int i;
	int fd;

	/* kvm_vm_ioctl_create_vcpu() [K13] */
	if (id >= KVM_MAX_VCPU_IDS)
		return sim_fail(s, -EINVAL, "KVM_CREATE_VCPU %lu: out of range", id);
	if (vm->nr_vcpus >= vm->max_vcpus)	/* [T8] */
		return sim_fail(s, -EINVAL, "KVM_CREATE_VCPU: the VM has its %u vCPUs (KVM_CAP_MAX_"
				"VCPUS%s)", vm->max_vcpus, vm->type == KVM_X86_TDX_VM ?
				"; a TD gets one per present host CPU" : "");
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->id == id)
			return sim_fail(s, -EEXIST, "KVM_CREATE_VCPU %lu: exists", id);
	if (vm->type == KVM_X86_TDX_VM) {
		/* tdx_vcpu_create() [T7] */
		if (vm->td != TD_INITIALIZED)
			return sim_fail(s, -EIO, "KVM_CREATE_VCPU %s KVM_TDX_%s_VM",
					vm->td == TD_UNINIT ? "before" : "after",
					vm->td == TD_UNINIT ? "INIT" : "FINALIZE");
		if (vm->irqchip != IRQCHIP_SPLIT)
			return sim_fail(s, -EINVAL, "KVM_CREATE_VCPU: a TD needs the split irqchip "
					"(an in-kernel LAPIC, no in-kernel IOAPIC)");
	}
	if (sim_order(vm, COCO_STEP_VCPU))
		return -EINVAL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vm = vm;
	v->id = (uint32_t)id;
	v->index = vm->nr_vcpus;
	v->script_index = -1;
	v->run = mmap(NULL, SIM_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (v->run == MAP_FAILED) {
		free(v);
		return -ENOMEM;
	}
	sim_svm_reset(v);
	if (vm->type == KVM_X86_TDX_VM) {
		v->fpu_confidential = true;
		v->protected_state = !(vm->td_attr & 1);	/* ATTR.DEBUG */
	}
	fd = sim_obj_new(s, SIM_VCPU, v, "cvmm-sim-vcpu");
	if (fd < 0) {
		sim_vcpu_free(v);
		return fd;
	}
	v->fd = fd;
	vm->vcpus[vm->nr_vcpus++] = v;
	vm->refs++;
	return fd;
}

void sim_vcpu_free(struct sim_vcpu *v)
{
	munmap(v->run, SIM_RUN_SIZE);
	free(v->cpuid);
	free(v);
}

/* ------------------------------------------------------------------ */
/* MSRs */

/* tdx_has_emulated_msr() for the MSRs a VMM sets at vCPU creation [T11] */
static bool tdx_msr_writable(uint32_t index)
{
	switch (index) {
	case 0x1a0:		/* MISC_ENABLE */
	case 0x277:		/* PAT */
	case 0x6e0:		/* TSC_DEADLINE */
	case 0x179: case 0x17a:	/* MCG_CAP, MCG_STATUS */
		return true;
	}
	return (index >= 0x200 && index <= 0x2ff) || (index >= 0x800 && index <= 0x8ff &&
						       index != 0x808 && index != 0x80b);
}

/* KVM_SET_MSRS: the number of MSRs set, stopping at the first refused [K18] */
static int set_msrs(struct sim_vcpu *v, const struct kvm_msrs *m)
{
	uint32_t i;

	if (m->nmsrs > 1024)
		return -E2BIG;
	for (i = 0; i < m->nmsrs; i++) {
		bool ok = v->vm->type == KVM_X86_TDX_VM ? tdx_msr_writable(m->entries[i].index) :
			  sim_svm_set_msr(v, m->entries[i].index, m->entries[i].data);

		if (!ok) {
			sim_fail(v->vm->sim, -EINVAL, "KVM_SET_MSRS: MSR 0x%x = 0x%llx refused%s; "
				 "stopped after %u", m->entries[i].index,
				 (unsigned long long)m->entries[i].data,
				 v->vm->type == KVM_X86_TDX_VM ? " (not one KVM emulates for a TD, "
				 "tdx_has_emulated_msr())" : "", i);
			break;
		}
	}
	return (int)i;
}

static int get_msrs(struct sim_vcpu *v, struct kvm_msrs *m)
{
	uint32_t i;

	if (m->nmsrs > 1024)
		return -E2BIG;
	for (i = 0; i < m->nmsrs; i++)
		m->entries[i].data = sim_svm_get_msr(v, m->entries[i].index);
	return (int)i;
}

/* ------------------------------------------------------------------ */
/* ioctls */

/*
 * Register access once the state is protected [K19]: -EINVAL on the VM
 * types with has_protected_state.  The legacy SEV-ES type goes on: GPRs
 * and debug registers still reach vcpu->arch (which nothing reads any
 * more), KVM_SET_SREGS does nothing, KVM_GET_SREGS shows only EFER and
 * the APIC base, the FPU and XCRs are ignored.
 */
static bool refused(struct sim_vcpu *v, int *ret, const char *what)
{
	if (!v->protected_state || !v->vm->has_protected_state)
		return false;
	*ret = sim_fail(v->vm->sim, -EINVAL, "%s: the vCPU state is protected", what);
	return true;
}

static int set_cpuid(struct sim_vcpu *v, const struct kvm_cpuid2 *c)
{
	struct kvm_cpuid2 *n;

	if (c->nent > SIM_MAX_CPUID)
		return -E2BIG;
	n = kvm_cpuid2_alloc(c->nent);
	if (!n)
		return -ENOMEM;
	memcpy(n->entries, c->entries, c->nent * sizeof(c->entries[0]));
	free(v->cpuid);
	v->cpuid = n;
	return 0;
}

static int get_cpuid(struct sim_vcpu *v, struct kvm_cpuid2 *c)
{
	uint32_t n = v->cpuid ? v->cpuid->nent : 0;

	if (c->nent < n) {
		c->nent = n;
		return -E2BIG;
	}
	c->nent = n;
	if (n)
		memcpy(c->entries, v->cpuid->entries, n * sizeof(c->entries[0]));
	return 0;
}

static int lapic(struct sim_vcpu *v, unsigned long req, void *arg)
{
	if (v->vm->irqchip == IRQCHIP_NONE)
		return -EINVAL;
	if (v->vm->type == KVM_X86_TDX_VM)	/* guest_apic_protected [T10] */
		return sim_fail(v->vm->sim, -EINVAL, "KVM_%s_LAPIC on a TDX vCPU",
				req == KVM_GET_LAPIC ? "GET" : "SET");
	if (req == KVM_GET_LAPIC)
		memset(arg, 0, sizeof(struct kvm_lapic_state));
	v->has_lapic_state = true;
	return 0;
}

static int regs(struct sim_vcpu *v, unsigned long req, void *arg)
{
	struct kvm_regs *r = arg;
	int ret;

	if (req == KVM_GET_REGS) {
		if (refused(v, &ret, "KVM_GET_REGS"))
			return ret;
		sim_svm_get_regs(v, r);
		return 0;
	}
	if (refused(v, &ret, "KVM_SET_REGS"))
		return ret;
	sim_svm_set_regs(v, r);
	return 0;
}

static int sregs(struct sim_vcpu *v, unsigned long req, void *arg)
{
	int ret;

	if (req == KVM_GET_SREGS) {
		struct kvm_sregs *sr = arg;

		if (refused(v, &ret, "KVM_GET_SREGS"))
			return ret;
		sim_svm_get_sregs(v, sr);
		if (v->protected_state) {	/* __get_sregs_common(): skip_protected_regs */
			uint64_t efer = sr->efer, apic_base = sr->apic_base;

			memset(sr, 0, sizeof(*sr));
			sr->efer = efer;
			sr->apic_base = apic_base;
		}
		return 0;
	}
	if (refused(v, &ret, "KVM_SET_SREGS"))
		return ret;
	if (v->protected_state)
		return 0;	/* __set_sregs_common() stops there */
	return sim_svm_set_sregs(v, arg);
}

static int fpu(struct sim_vcpu *v, unsigned long req, void *arg)
{
	if (v->fpu_confidential)
		return v->vm->has_protected_state ?
		       sim_fail(v->vm->sim, -EINVAL, "KVM_%s_FPU: the FPU state is confidential",
				req == KVM_GET_FPU ? "GET" : "SET") : 0;
	if (req == KVM_GET_FPU)
		memcpy(arg, &v->fpu, sizeof(v->fpu));
	else
		memcpy(&v->fpu, arg, sizeof(v->fpu));
	return 0;
}

static int xcrs(struct sim_vcpu *v, unsigned long req, struct kvm_xcrs *x)
{
	if (v->fpu_confidential)
		return v->vm->has_protected_state ?
		       sim_fail(v->vm->sim, -EINVAL, "KVM_*_XCRS: the FPU state is confidential") : 0;
	if (req == KVM_SET_XCRS)
		return sim_svm_set_xcrs(v, x);
	memset(x, 0, sizeof(*x));
	x->nr_xcrs = 1;
	x->xcrs[0].value = v->xcr0;
	return 0;
}

static int debugregs(struct sim_vcpu *v, unsigned long req, struct kvm_debugregs *d)
{
	int ret;

	if (refused(v, &ret, "KVM_*_DEBUGREGS"))
		return ret;
	if (req == KVM_SET_DEBUGREGS)
		return sim_svm_set_debugregs(v, d);
	memset(d, 0, sizeof(*d));
	d->dr6 = v->dr6;
	d->dr7 = v->dr7;
	return 0;
}

static int set_cpuid_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return set_cpuid(v, arg);
}

static int get_cpuid_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return get_cpuid(v, arg);
}

static int set_msrs_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return set_msrs(v, arg);
}

static int get_msrs_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return get_msrs(v, arg);
}

static int xcrs_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return xcrs(v, req, arg);
}

static int debugregs_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return debugregs(v, req, arg);
}

static int translate(struct sim_vcpu *v, unsigned long req, void *arg)
{
	struct kvm_translation *t = arg;

	if (v->protected_state)
		return -EINVAL;
	t->physical_address = t->linear_address;
	t->valid = 1;
	return 0;
}

static int mp_state(struct sim_vcpu *v, unsigned long req, void *arg)
{
	return 0;
}

static int encrypt_op(struct sim_vcpu *v, unsigned long req, void *arg)
{
	if (v->vm->type == KVM_X86_TDX_VM)
		return sim_tdx_vcpu_ioctl(v, arg);
	return -ENOTTY;
}

/* The vCPU ioctls the simulator knows (KVM_RUN is sim.c's); others are -ENOTTY. */
static const struct {
	unsigned long req;
	int (*fn)(struct sim_vcpu *v, unsigned long req, void *arg);
} vcpu_ioctls[] = {
	{ KVM_SET_CPUID2, set_cpuid_ioctl },
	{ KVM_GET_CPUID2, get_cpuid_ioctl },
	{ KVM_SET_MSRS, set_msrs_ioctl },
	{ KVM_GET_MSRS, get_msrs_ioctl },
	{ KVM_GET_LAPIC, lapic },
	{ KVM_SET_LAPIC, lapic },
	{ KVM_GET_REGS, regs },
	{ KVM_SET_REGS, regs },
	{ KVM_GET_SREGS, sregs },
	{ KVM_SET_SREGS, sregs },
	{ KVM_GET_FPU, fpu },
	{ KVM_SET_FPU, fpu },
	{ KVM_GET_XCRS, xcrs_ioctl },
	{ KVM_SET_XCRS, xcrs_ioctl },
	{ KVM_GET_DEBUGREGS, debugregs_ioctl },
	{ KVM_SET_DEBUGREGS, debugregs_ioctl },
	{ KVM_TRANSLATE, translate },
	{ KVM_GET_MP_STATE, mp_state },
	{ KVM_SET_MP_STATE, mp_state },
	{ KVM_MEMORY_ENCRYPT_OP, encrypt_op },
};

int sim_vcpu_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vcpu_ioctls); i++)
		if (vcpu_ioctls[i].req == req)
			return vcpu_ioctls[i].fn(v, req, arg);
	return -ENOTTY;
}
