// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arch/x86/cpuid.h"
#include "arch/x86/insn.h"
#include "machine/coco.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "machine/vcpu.h"
#include "sandbox/sandbox.h"
#include "util/log.h"

#define MSR_IA32_MISC_ENABLE		0x000001a0
#define MISC_ENABLE_FAST_STRING		(1ULL << 0)

#define APIC_LVT0			0x350
#define APIC_LVT1			0x360
#define APIC_MODE_NMI			0x4
#define APIC_MODE_EXTINT		0x7

static void kick_handler(int sig)
{
	(void)sig;
}

int vcpu_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kick_handler;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	return sigaction(SIG_VCPU_KICK, &sa, NULL) < 0 ? -errno : 0;
}

static int vcpu_set_msrs(struct vcpu *v)
{
	/* struct kvm_msrs ends in a flexible array: build it in a buffer */
	union {
		struct kvm_msrs hdr;
		uint8_t buf[sizeof(struct kvm_msrs) + 1 * sizeof(struct kvm_msr_entry)];
	} msrs;
	int ret;

	memset(&msrs, 0, sizeof(msrs));
	msrs.hdr.nmsrs = 1;
	msrs.hdr.entries[0].index = MSR_IA32_MISC_ENABLE;
	msrs.hdr.entries[0].data = MISC_ENABLE_FAST_STRING;
	ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_MSRS, &msrs);
	if (ret >= 0 && ret != (int)msrs.hdr.nmsrs)
		return -EINVAL;	/* KVM stopped at the first MSR it refused */
	return ret < 0 ? ret : 0;
}

static void lvt_set_mode(struct kvm_lapic_state *l, unsigned int reg, uint32_t mode)
{
	uint32_t val;

	memcpy(&val, &l->regs[reg], 4);
	val = (val & ~0x700U) | mode << 8;
	memcpy(&l->regs[reg], &val, 4);
}

/* LINT0 = ExtINT (the 8259), LINT1 = NMI, as the MP table says. */
static int vcpu_set_lint(struct vcpu *v)
{
	struct kvm_lapic_state l;
	int ret;

	ret = kvm_vcpu_ioctl(&v->kvm, KVM_GET_LAPIC, &l);
	if (ret < 0)
		return ret;
	lvt_set_mode(&l, APIC_LVT0, APIC_MODE_EXTINT);
	lvt_set_mode(&l, APIC_LVT1, APIC_MODE_NMI);
	ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_LAPIC, &l);
	return ret < 0 ? ret : 0;
}

static int vcpu_set_fpu(struct vcpu *v)
{
	struct kvm_fpu fpu = { .fcw = 0x37f, .mxcsr = 0x1f80 };
	int ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_FPU, &fpu);

	return ret < 0 ? ret : 0;
}

int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int index)
{
	struct kvm_cpuid2 *cpuid;
	size_t size;
	int ret;

	memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->index = index;
	ret = kvm_vcpu_create(&vm->kvm, index, &v->kvm);
	if (ret)
		return log_errno("KVM_CREATE_VCPU", ret);

	size = sizeof(*cpuid) + vm->cpuid->nent * sizeof(cpuid->entries[0]);
	cpuid = kvm_cpuid2_alloc(vm->cpuid->nent);
	if (!cpuid)
		return -ENOMEM;
	memcpy(cpuid, vm->cpuid, size);
	cpuid_set_apic_id(cpuid, index);
	ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_CPUID2, cpuid);
	free(cpuid);
	if (ret < 0)
		return log_errno("KVM_SET_CPUID2", ret);
	ret = vcpu_set_msrs(v);
	if (ret)
		return log_errno("KVM_SET_MSRS", ret);
	if (vm->coco_props.vcpu_state_protected)
		return 0;	/* TDX: KVM refuses LAPIC and FPU state (-EINVAL) */
	ret = vcpu_set_lint(v);
	if (ret)
		return log_errno("KVM_SET_LAPIC", ret);
	ret = vcpu_set_fpu(v);
	if (ret)
		return log_errno("KVM_SET_FPU", ret);
	return 0;
}

void vcpu_destroy(struct vcpu *v)
{
	kvm_vcpu_destroy(&v->kvm);
}

int vcpu_get_sregs(struct vcpu *v, struct kvm_sregs *sregs)
{
	int ret = kvm_vcpu_ioctl(&v->kvm, KVM_GET_SREGS, sregs);

	return ret < 0 ? ret : 0;
}

int vcpu_set_boot_state(struct vcpu *v, const struct vcpu_boot_state *st)
{
	int ret;

	ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_SREGS, (void *)&st->sregs);
	if (ret < 0)
		return log_errno("KVM_SET_SREGS", ret);
	ret = kvm_vcpu_ioctl(&v->kvm, KVM_SET_REGS, (void *)&st->regs);
	if (ret < 0)
		return log_errno("KVM_SET_REGS", ret);
	return 0;
}

/* ------------------------------------------------------------------ */
/* exits */

static void describe_rip_insn(struct vcpu *v, char *buf, size_t len,
			      const char **insn_class);

/* Linear address of RIP and the bytes there, for diagnoses. */
static void describe_rip(struct vcpu *v, char *buf, size_t len)
{
	describe_rip_insn(v, buf, len, NULL);
}

/* As describe_rip(); *@insn_class names a known-unemulated instruction. */
static void describe_rip_insn(struct vcpu *v, char *buf, size_t len,
			      const char **insn_class)
{
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_translation tr;
	uint8_t insn[8];
	uint64_t lin;
	int n;

	if (kvm_vcpu_ioctl(&v->kvm, KVM_GET_REGS, &regs) < 0 ||
	    kvm_vcpu_ioctl(&v->kvm, KVM_GET_SREGS, &sregs) < 0) {
		snprintf(buf, len, "RIP unknown");
		return;
	}
	lin = sregs.cs.base + regs.rip;
	n = snprintf(buf, len, "RIP 0x%llx (CS 0x%x base 0x%llx, CR0 0x%llx)",
		     (unsigned long long)regs.rip, sregs.cs.selector,
		     (unsigned long long)sregs.cs.base,
		     (unsigned long long)sregs.cr0);
	memset(&tr, 0, sizeof(tr));
	tr.linear_address = lin;
	if (n < 0 || (size_t)n >= len)
		return;
	if (kvm_vcpu_ioctl(&v->kvm, KVM_TRANSLATE, &tr) < 0 || !tr.valid)
		return;
	if (guest_mem_read(&v->vm->mem, tr.physical_address, insn, sizeof(insn)))
		return;
	snprintf(buf + n, len - (size_t)n,
		 ", code %02x %02x %02x %02x %02x %02x %02x %02x",
		 insn[0], insn[1], insn[2], insn[3], insn[4], insn[5], insn[6], insn[7]);
	if (insn_class)
		*insn_class = insn_describe_unemulated(insn, sizeof(insn));
}

static enum vcpu_exit_action handle_io(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	size_t total = (size_t)run->io.size * run->io.count;
	uint32_t i;

	/* The data area lies inside the kvm_run mapping; KVM guarantees it. */
	if (run->io.data_offset + total > v->vm->kvm.sys->run_size) {
		vm_stop(v->vm, VM_HOST_ERROR, EXIT_ERROR, "vCPU %u: malformed exit %s",
			v->index, kvm_exit_reason_name(run->exit_reason));
		return VCPU_EXIT_STOP;
	}
	for (i = 0; i < run->io.count; i++) {
		int ret = io_bus_dispatch(&v->vm->pio, run->io.port,
					  data + (size_t)i * run->io.size,
					  run->io.size,
					  run->io.direction == KVM_EXIT_IO_OUT);

		if (ret == -ENOENT)
			log_debug("unhandled port %s 0x%x size %u",
				  run->io.direction == KVM_EXIT_IO_OUT ? "write" : "read",
				  run->io.port, run->io.size);
	}
	return VCPU_EXIT_CONTINUE;
}

static enum vcpu_exit_action handle_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	uint32_t len = run->mmio.len;
	int ret;

	if (len > sizeof(run->mmio.data))
		len = sizeof(run->mmio.data);
	ret = io_bus_dispatch(&v->vm->mmio, run->mmio.phys_addr, run->mmio.data,
			      len, run->mmio.is_write);
	if (ret == -ENOENT)
		log_debug("unhandled MMIO %s 0x%llx size %u",
			  run->mmio.is_write ? "write" : "read",
			  (unsigned long long)run->mmio.phys_addr, len);
	return VCPU_EXIT_CONTINUE;
}

static enum vcpu_exit_action handle_system_event(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	char where[160];

	switch (run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		vm_stop(v->vm, VM_POWEROFF, EXIT_POWEROFF, NULL);
		return VCPU_EXIT_STOP;
	case KVM_SYSTEM_EVENT_RESET:
		vm_stop(v->vm, VM_RESET, EXIT_RESET, NULL);
		return VCPU_EXIT_STOP;
	case KVM_SYSTEM_EVENT_CRASH:
		describe_rip(v, where, sizeof(where));
		vm_stop(v->vm, VM_GUEST_FATAL, EXIT_GUEST_FATAL,
			"vCPU %u: the guest reported a crash at %s", v->index, where);
		return VCPU_EXIT_STOP;
	case KVM_SYSTEM_EVENT_SEV_TERM:
	case KVM_SYSTEM_EVENT_TDX_FATAL:
		/* reason, error code (R12, not data[0]) and message: coco.c */
		vm_coco_guest_fatal(v);
		return VCPU_EXIT_STOP;
	}
	vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
		"vCPU %u: unknown KVM system event %u", v->index,
		run->system_event.type);
	return VCPU_EXIT_STOP;
}

static enum vcpu_exit_action handle_internal_error(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	const char *insn = NULL;
	char where[160];

	describe_rip_insn(v, where, sizeof(where), &insn);
	if (run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
		vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
			"vCPU %u: the host's KVM cannot emulate %s at %s "
			"(exit INTERNAL_ERROR, emulation failure): this host's KVM cannot run "
			"this guest code, a hardware-virtualized KVM can",
			v->index, insn ? insn : "the instruction", where);
	else
		vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
			"vCPU %u: KVM internal error, suberror %u, at %s",
			v->index, run->internal.suberror, where);
	return VCPU_EXIT_STOP;
}

enum vcpu_exit_action vcpu_handle_exit(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	enum vcpu_exit_action act;
	char where[160];

	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(v);
	case KVM_EXIT_MMIO:
		return handle_mmio(v);
	case KVM_EXIT_SYSTEM_EVENT:
		return handle_system_event(v);
	case KVM_EXIT_SHUTDOWN:
		describe_rip(v, where, sizeof(where));
		vm_stop(v->vm, VM_TRIPLE_FAULT, EXIT_TRIPLE_FAULT,
			"vCPU %u: guest triple fault (exit SHUTDOWN) at %s",
			v->index, where);
		return VCPU_EXIT_STOP;
	case KVM_EXIT_INTERNAL_ERROR:
		return handle_internal_error(v);
	case KVM_EXIT_FAIL_ENTRY:
		vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
			"vCPU %u: KVM could not enter the guest (exit FAIL_ENTRY, "
			"hardware reason 0x%llx)", v->index,
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return VCPU_EXIT_STOP;
	case KVM_EXIT_HLT:
		/* Only without an in-kernel LAPIC: nothing can wake us. */
		vm_stop(v->vm, VM_POWEROFF, EXIT_POWEROFF, NULL);
		return VCPU_EXIT_STOP;
	case KVM_EXIT_INTR:
		return VCPU_EXIT_CONTINUE;
	case KVM_EXIT_IOAPIC_EOI:
		/* split irqchip: a level-triggered vector's EOI for cvmm's IOAPIC */
		if (irqchip_eoi(&v->vm->irqchip, run->eoi.vector))
			return VCPU_EXIT_CONTINUE;
		break;
	}
	act = vm_coco_handle_exit(v, 0);
	if (act != VCPU_EXIT_NOT_MINE)
		return act;
	describe_rip(v, where, sizeof(where));
	vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
		"vCPU %u: unexpected KVM exit %s (%u) at %s", v->index,
		kvm_exit_reason_name(run->exit_reason), run->exit_reason, where);
	return VCPU_EXIT_STOP;
}

/* KVM_RUN failed: a memory fault may be a conversion the guest asked for implicitly. */
static enum vcpu_exit_action vcpu_run_failed(struct vcpu *v, int ret)
{
	if (ret == -EFAULT && v->kvm.run->exit_reason == KVM_EXIT_MEMORY_FAULT) {
		enum vcpu_exit_action act = vm_coco_handle_exit(v, ret);

		if (act != VCPU_EXIT_NOT_MINE)
			return act;
	}
	vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR, "vCPU %u: KVM_RUN failed: %s",
		v->index, strerror(-ret));
	return VCPU_EXIT_STOP;
}

/* ------------------------------------------------------------------ */
/* pausing (see vcpu.h) */

void vcpu_gate_init(struct vcpu_gate *g)
{
	pthread_condattr_t a;

	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cond, &a);
	pthread_condattr_destroy(&a);
	atomic_init(&g->closed, false);
	g->parked = g->exited = 0;
}

void vcpu_gate_destroy(struct vcpu_gate *g)
{
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
}

void vcpu_gate_reset(struct vcpu_gate *g)
{
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->closed, false);
	g->parked = g->exited = 0;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

void vcpu_gate_resume(struct vcpu_gate *g)
{
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->closed, false);
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

int vcpu_gate_pause(struct vcpu_gate *g, struct vm *vm, int timeout_ms)
{
	struct timespec dl;
	unsigned int i;
	int ret = 0;

	atomic_store(&g->closed, true);
	atomic_thread_fence(memory_order_seq_cst);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	clock_gettime(CLOCK_MONOTONIC, &dl);
	dl.tv_sec += timeout_ms / 1000;
	dl.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&g->lock);
	while (g->parked + g->exited < vm->nr_vcpus && ret != ETIMEDOUT)
		ret = pthread_cond_timedwait(&g->cond, &g->lock, &dl);
	ret = g->parked + g->exited < vm->nr_vcpus ? -ETIMEDOUT : 0;
	pthread_mutex_unlock(&g->lock);
	if (ret)
		vcpu_gate_resume(g);
	return ret;
}

/* Wait on the closed gate (the guest is paused) until it opens or the VM stops. */
static void vcpu_park(struct vcpu *v, struct vcpu_gate *g)
{
	struct vm *vm = v->vm;

	/* the guest's kvmclock says "stopped by the host": no soft-lockup report */
	if (!vm->coco)
		kvm_vcpu_ioctl(&v->kvm, KVM_KVMCLOCK_CTRL, NULL);
	pthread_mutex_lock(&g->lock);
	g->parked++;
	pthread_cond_broadcast(&g->cond);
	while (atomic_load(&g->closed) && !atomic_load(&vm->stopping))
		pthread_cond_wait(&g->cond, &g->lock);
	g->parked--;
	pthread_mutex_unlock(&g->lock);
}

static void vcpu_exited(struct vcpu_gate *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->exited++;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	struct vcpu_gate *g = vm->machine ? &vm->machine->gate : NULL;
	enum vcpu_exit_action act;
	char name[16];
	sigset_t set;
	int ret;

	snprintf(name, sizeof(name), "vcpu%u", v->index);
	pthread_setname_np(pthread_self(), name);
	sigemptyset(&set);
	sigaddset(&set, SIG_VCPU_KICK);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	sandbox_thread_enter(&sandbox_table_vcpu);

	while (!atomic_load(&vm->stopping)) {
		if (g && atomic_load(&g->closed)) {
			vcpu_park(v, g);
			continue;
		}
		ret = kvm_vcpu_run(&v->kvm);
		if (ret == -EINTR || ret == -EAGAIN) {
			v->kvm.run->immediate_exit = 0;
			/* a kick after this store is seen by the next KVM_RUN; one before, here */
			atomic_thread_fence(memory_order_seq_cst);
			continue;
		}
		act = ret < 0 ? vcpu_run_failed(v, ret) : vcpu_handle_exit(v);
		if (act == VCPU_EXIT_STOP)
			break;
	}
	vcpu_exited(g);
	return NULL;
}

int vcpu_start(struct vcpu *v)
{
	int ret = pthread_create(&v->thread, NULL, vcpu_thread, v);

	if (ret)
		return -ret;
	v->thread_started = true;
	return 0;
}

void vcpu_kick(struct vcpu *v)
{
	if (!v->thread_started)
		return;
	v->kvm.run->immediate_exit = 1;
	pthread_kill(v->thread, SIG_VCPU_KICK);
}

void vcpu_log_state(struct vcpu *v)
{
	char where[160];

	describe_rip(v, where, sizeof(where));
	log_info("vCPU %u stopped at %s", v->index, where);
}

void vcpu_join(struct vcpu *v)
{
	if (!v->thread_started)
		return;
	pthread_join(v->thread, NULL);
	v->thread_started = false;
}
