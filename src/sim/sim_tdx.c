// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated TDX module behind KVM_MEMORY_ENCRYPT_OP on a TDX VM:
 * KVM_TDX_CAPABILITIES, KVM_TDX_INIT_VM (setup_tdparams() with KVM's
 * CPUID matching, then the module's check of configurable bits),
 * KVM_TDX_INIT_VCPU, KVM_TDX_INIT_MEM_REGION (kvm_gmem_populate() rules,
 * TDH.MEM.PAGE.ADD and 16 TDH.MR.EXTEND per page into MRTD) and
 * KVM_TDX_FINALIZE_VM, with the errno arch/x86/kvm/vmx/tdx.c returns.
 */
#include <errno.h>
#include <string.h>

#include "sim/sim_internal.h"

#define TDX_OPERAND_INVALID	0xC000010000000000ULL
#define TDX_EPT_ENTRY_STATE_INCORRECT 0xC000060500000000ULL
#define TD_ATTR_DEBUG		(1ULL << 0)
#define MAX_CPUID_ENTRIES	256
#define TSX_BITS		((1u << 4) | (1u << 11))	/* 7.0 EBX HLE, RTM */
#define WAITPKG_BIT		(1u << 5)			/* 7.0 ECX */

void sim_tdx_free(struct sim_vm *vm)
{
	if (vm->mrtd_open)
		tdx_mrtd_free(&vm->mrtd);
	vm->mrtd_open = false;
}

static int tdx_caps(struct sim_vm *vm, struct cvmm_kvm_tdx_cmd *cmd)
{
	struct sim *s = vm->sim;
	uint8_t *buf = (uint8_t *)(uintptr_t)cmd->data;
	struct cvmm_kvm_tdx_capabilities *caps = (void *)buf;
	struct kvm_cpuid_entry2 conf[64];
	struct kvm_cpuid2 *cpuid;
	unsigned int n, i;

	if (cmd->flags)
		return sim_fail(s, -EINVAL, "KVM_TDX_CAPABILITIES: flags 0x%x", cmd->flags);
	if (!buf)
		return -EFAULT;
	cpuid = (struct kvm_cpuid2 *)(buf + sizeof(*caps));
	n = sim_tdx_cpuid_config(conf, 64);
	if (cpuid->nent < n)	/* tdx_get_capabilities() [T1] */
		return sim_fail(s, -E2BIG, "KVM_TDX_CAPABILITIES: room for %u CPUID entries, "
				"%u needed", cpuid->nent, n);
	memset(caps, 0, sizeof(*caps));
	caps->supported_attrs = sim_tdx_supported_attrs();
	caps->supported_xfam = sim_tdx_supported_xfam();
	caps->user_tdvmcallinfo_1_r11 = TDVMCALLINFO_GET_QUOTE |
					TDVMCALLINFO_SETUP_EVENT_NOTIFY_INTERRUPT;
	cpuid->nent = n;
	for (i = 0; i < n; i++) {
		cpuid->entries[i] = conf[i];
		/* like td_init_cpuid_entry2(): KVM forgets SIGNIFICANT_INDEX */
		cpuid->entries[i].flags = s->cfg.tdx_caps_sig_index ?
					  KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0;
		if (conf[i].function == 0x80000008)
			cpuid->entries[i].eax |= 0xff << 16;	/* GPAW is configurable */
	}
	return 0;
}

/* kvm_find_cpuid_entry2(): an entry without SIGNIFICANT_INDEX matches any index */
static const struct kvm_cpuid_entry2 *find_entry(const struct kvm_cpuid2 *c, uint32_t fn,
						 uint32_t idx)
{
	uint32_t i;

	for (i = 0; i < c->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == fn &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == idx))
			return e;
	}
	return NULL;
}

/* setup_tdparams_eptp_controls(): GPAW 48, or 52 with 5-level EPT [T4] */
static int tdx_gpaw(struct sim *s, const struct kvm_cpuid2 *cpuid, unsigned int *gpaw)
{
	const struct kvm_cpuid_entry2 *e = find_entry(cpuid, 0x80000008, 0);

	if (!e)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: no CPUID 0x80000008 (GPAW)");
	*gpaw = (e->eax >> 16) & 0xff;
	if (*gpaw != 48 && *gpaw != 52)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: GPAW %u (48 or 52)", *gpaw);
	if (*gpaw == 52 && s->cfg.tdx_ept_4level)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: GPAW 52 needs 5-level EPT, which "
				"this CPU lacks");
	return 0;
}

static int tdx_init_vm(struct sim_vm *vm, struct cvmm_kvm_tdx_cmd *cmd)
{
	struct sim *s = vm->sim;
	uint8_t *buf = (uint8_t *)(uintptr_t)cmd->data;
	struct cvmm_kvm_tdx_init_vm *init = (void *)buf;
	struct kvm_cpuid_entry2 conf[64];
	const struct kvm_cpuid_entry2 *e;
	const struct kvm_cpuid2 *cpuid;
	unsigned int n, i, copied = 0, gpaw = 0;
	int ret;

	if (vm->td != TD_UNINIT)	/* tdx_td_init() [T2] */
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM twice");
	if (cmd->flags)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: flags 0x%x", cmd->flags);
	if (!buf)
		return -EFAULT;
	cpuid = (const struct kvm_cpuid2 *)(buf + sizeof(*init));
	if (cpuid->nent > MAX_CPUID_ENTRIES)
		return sim_fail(s, -E2BIG, "KVM_TDX_INIT_VM: %u CPUID entries", cpuid->nent);
	if (!sim_all_zero(init->reserved, sizeof(init->reserved)) || cpuid->padding)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: reserved fields set");
	/* setup_tdparams() [T3]; (no vCPU can exist yet: [T7]) */
	if (init->attributes & ~sim_tdx_supported_attrs())
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: attributes 0x%llx not supported",
				(unsigned long long)init->attributes);
	if (init->xfam & ~sim_tdx_supported_xfam())
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: XFAM 0x%llx not supported",
				(unsigned long long)init->xfam);
	ret = tdx_gpaw(s, cpuid, &gpaw);
	if (ret)
		return ret;
	n = sim_tdx_cpuid_config(conf, 64);
	for (i = 0; i < n; i++) {
		uint32_t eax, ebx, ecx, edx;

		e = find_entry(cpuid, conf[i].function, conf[i].index);
		if (!e)
			continue;
		if ((e->function == 7 && e->index == 0 &&
		     ((e->ebx & TSX_BITS) || (e->ecx & WAITPKG_BIT))))
			return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: TSX/WAITPKG in CPUID 7");
		copied++;
		eax = e->eax;
		if (conf[i].function == 0x80000008)
			eax &= ~0x00ff0000u;	/* KVM clears GPAW before the module sees it */
		ebx = e->ebx;
		ecx = e->ecx;
		edx = e->edx;
		/* TDH.MNG.INIT: only configurable bits may be set [T5] */
		if ((eax & ~conf[i].eax) || (ebx & ~conf[i].ebx) ||
		    (ecx & ~conf[i].ecx) || (edx & ~conf[i].edx)) {
			cmd->hw_error = TDX_OPERAND_INVALID;
			return sim_fail(s, -EINVAL, "TDH.MNG.INIT: CPUID 0x%x.%u sets bits the "
					"module does not let the VMM configure (eax 0x%x ebx 0x%x "
					"ecx 0x%x edx 0x%x)", conf[i].function, conf[i].index,
					eax & ~conf[i].eax, ebx & ~conf[i].ebx,
					ecx & ~conf[i].ecx, edx & ~conf[i].edx);
		}
	}
	if (copied != cpuid->nent)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VM: %u CPUID entries, %u of them "
				"matched a configurable leaf", cpuid->nent, copied);
	if (s->eagain_left) {	/* [T6] */
		s->eagain_left--;
		return sim_fail(s, -EAGAIN, "TDH.MNG.CREATE: TDX_RND_NO_ENTROPY");
	}
	if (tdx_mrtd_init(&vm->mrtd))
		return -ENOMEM;
	vm->mrtd_open = true;
	vm->td_attr = init->attributes;
	vm->td_xfam = init->xfam | 0x3;		/* XFAM fixed1: x87, SSE */
	vm->td_gpaw = gpaw;
	vm->td = TD_INITIALIZED;
	vm->rec.tdx_attr = vm->td_attr;
	vm->rec.tdx_xfam = vm->td_xfam;
	vm->rec.tsc_khz = vm->tsc_khz / 25000 * 25000;	/* TDX_TSC_KHZ_TO_25MHZ */
	return 0;
}

static int tdx_finalize(struct sim_vm *vm, struct cvmm_kvm_tdx_cmd *cmd)
{
	uint8_t mrtd[TDX_MR_LEN];
	int ret;

	if (vm->td != TD_INITIALIZED)	/* tdx_td_finalize() [T17] */
		return sim_fail(vm->sim, -EINVAL, "KVM_TDX_FINALIZE_VM %s",
				vm->td == TD_RUNNABLE ? "twice" : "before KVM_TDX_INIT_VM");
	if (cmd->data || cmd->flags)
		return sim_fail(vm->sim, -EINVAL, "KVM_TDX_FINALIZE_VM: data/flags set");
	if (sim_order(vm, COCO_STEP_LAUNCH))
		return -EINVAL;
	ret = tdx_mrtd_final(&vm->mrtd, mrtd);
	if (ret)
		return ret;
	vm->td = TD_RUNNABLE;
	sim_record_launch(vm, mrtd, TDX_MR_LEN);
	return 0;
}

int sim_tdx_vm_ioctl(struct sim_vm *vm, void *arg)
{
	struct cvmm_kvm_tdx_cmd *cmd = arg;

	if (!cmd)
		return -EFAULT;
	if (cmd->hw_error)
		return sim_fail(vm->sim, -EINVAL, "KVM_MEMORY_ENCRYPT_OP: hw_error must be 0");
	switch (cmd->id) {
	case CVMM_KVM_TDX_CAPABILITIES:
		return tdx_caps(vm, cmd);
	case CVMM_KVM_TDX_INIT_VM:
		return tdx_init_vm(vm, cmd);
	case CVMM_KVM_TDX_FINALIZE_VM:
		return tdx_finalize(vm, cmd);
	}
	return sim_fail(vm->sim, -EINVAL, "TDX command %u on the VM fd", cmd->id);
}

static int tdx_init_vcpu(struct sim_vcpu *v, struct cvmm_kvm_tdx_cmd *cmd)
{
	struct sim *s = v->vm->sim;
	const struct kvm_cpuid_entry2 *leaf1;

	if (cmd->flags)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VCPU: flags 0x%x", cmd->flags);
	if (v->td_initialized)	/* tdx_vcpu_init() [T9] */
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VCPU twice");
	/* kvm_apic_set_base(x2APIC) needs CPUID.1:ECX.x2APIC: KVM_SET_CPUID2 first */
	leaf1 = v->cpuid ? find_entry(v->cpuid, 1, 0) : NULL;
	if (!leaf1 || !(leaf1->ecx & (1u << 21)))
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_VCPU: the vCPU's CPUID has no x2APIC "
				"(KVM_SET_CPUID2 first)");
	v->td_initialized = true;
	v->td_rcx = cmd->data;
	return 0;
}

static bool gpa_private(const struct sim_vm *vm, uint64_t gpa)
{
	return !(gpa & (1ULL << (vm->td_gpaw - 1)));
}

static int tdx_add_page(struct sim_vm *vm, uint64_t gpa, const uint8_t *src, bool measure)
{
	const struct sim_slot *slot = sim_slot_find(vm, gpa);
	unsigned int i;
	int ret;

	/* kvm_gmem_populate() [T13] */
	if (!slot || !slot->gmem)
		return sim_fail(vm->sim, -EINVAL, "KVM_TDX_INIT_MEM_REGION: GPA 0x%llx is not in "
				"a guest_memfd memslot", (unsigned long long)gpa);
	if (slot->gmem == SIM_SLOT_GMEM_CLOSED)
		return -EFAULT;
	if (!sim_ranges_covers(&vm->private, gpa, gpa + SIM_PAGE))
		return sim_fail(vm->sim, -EINVAL, "KVM_TDX_INIT_MEM_REGION: GPA 0x%llx is not "
				"private (KVM_SET_MEMORY_ATTRIBUTES first)", (unsigned long long)gpa);
	/* a guest_memfd page populated already [T14] */
	if (sim_ranges_overlaps(&vm->launched, gpa, gpa + SIM_PAGE))
		return sim_fail(vm->sim, -EEXIST, "KVM_TDX_INIT_MEM_REGION: GPA 0x%llx was "
				"added already", (unsigned long long)gpa);
	ret = tdx_mrtd_page_add(&vm->mrtd, gpa);
	for (i = 0; !ret && measure && i < SIM_PAGE; i += TDX_EXTEND_CHUNK)
		ret = tdx_mrtd_extend(&vm->mrtd, gpa + i, src + i);
	if (!ret)
		ret = sim_gmem_write(slot, gpa, src, SIM_PAGE);
	if (!ret)
		ret = sim_ranges_set(&vm->launched, gpa, gpa + SIM_PAGE, true);
	return ret;
}

static int tdx_init_mem_region(struct sim_vcpu *v, struct cvmm_kvm_tdx_cmd *cmd)
{
	struct sim_vm *vm = v->vm;
	struct sim *s = vm->sim;
	struct cvmm_kvm_tdx_init_mem_region *r = (void *)(uintptr_t)cmd->data;
	unsigned int done = 0;
	uint64_t end;

	if (!v->td_initialized)	/* tdx_vcpu_init_mem_region() [T12] */
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_MEM_REGION before KVM_TDX_INIT_VCPU");
	if (cmd->flags & ~KVM_TDX_MEASURE_MEMORY_REGION)
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_MEM_REGION: flags 0x%x", cmd->flags);
	if (!r)
		return -EFAULT;
	end = r->gpa + (r->nr_pages << 12);
	if ((r->source_addr | r->gpa) & (SIM_PAGE - 1) || !r->nr_pages ||
	    r->nr_pages > (UINT64_MAX >> 12) || end <= r->gpa ||
	    !gpa_private(vm, r->gpa) || !gpa_private(vm, end - 1))
		return sim_fail(s, -EINVAL, "KVM_TDX_INIT_MEM_REGION: bad region 0x%llx+%llu "
				"pages from 0x%llx", (unsigned long long)r->gpa,
				(unsigned long long)r->nr_pages,
				(unsigned long long)r->source_addr);
	while (r->nr_pages) {
		const uint8_t *src;
		int ret;

		if (s->cfg.tdx_interrupt_pages && done == s->cfg.tdx_interrupt_pages) /* [T15] */
			return sim_fail(s, -EINTR, "KVM_TDX_INIT_MEM_REGION: interrupted");
		src = sim_user_ptr(vm, r->source_addr, SIM_PAGE);
		if (!src)
			return sim_fail(s, -EFAULT, "KVM_TDX_INIT_MEM_REGION: source 0x%llx is "
					"not memory the simulator knows",
					(unsigned long long)r->source_addr);
		ret = tdx_add_page(vm, r->gpa, src, cmd->flags & KVM_TDX_MEASURE_MEMORY_REGION);
		if (ret)
			return ret;
		r->source_addr += SIM_PAGE;
		r->gpa += SIM_PAGE;
		r->nr_pages--;
		done++;
	}
	return 0;
}

int sim_tdx_vcpu_ioctl(struct sim_vcpu *v, void *arg)
{
	struct sim_vm *vm = v->vm;
	struct cvmm_kvm_tdx_cmd *cmd = arg;

	/* tdx_vcpu_ioctl() [T16] */
	if (vm->td == TD_UNINIT || vm->td == TD_RUNNABLE)
		return sim_fail(vm->sim, -EINVAL, "TDX vCPU command %s",
				vm->td == TD_UNINIT ? "before KVM_TDX_INIT_VM" :
				"after KVM_TDX_FINALIZE_VM");
	if (!cmd)
		return -EFAULT;
	if (cmd->hw_error)
		return sim_fail(vm->sim, -EINVAL, "KVM_MEMORY_ENCRYPT_OP: hw_error must be 0");
	switch (cmd->id) {
	case CVMM_KVM_TDX_INIT_VCPU:
		return tdx_init_vcpu(v, cmd);
	case CVMM_KVM_TDX_INIT_MEM_REGION:
		return tdx_init_mem_region(v, cmd);
	}
	return sim_fail(vm->sim, -EINVAL, "TDX command %u on a vCPU fd", cmd->id);
}
