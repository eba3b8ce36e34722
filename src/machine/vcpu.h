/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_VCPU_H
#define CVMM_MACHINE_VCPU_H

#include <pthread.h>
#include <stdatomic.h>

#include "arch/x86/regs.h"
#include "machine/vm.h"

/* The signal that kicks a vCPU thread out of KVM_RUN. */
#define SIG_VCPU_KICK	(SIGRTMIN + 0)

/* Install the (empty) kick handler; once per process. */
int vcpu_signals_init(void);

/* Create the KVM vCPU and give it CPUID, MSRs, LAPIC LINT pins and FPU. */
int vcpu_create(struct vm *vm, struct vcpu *v, unsigned int index);
void vcpu_destroy(struct vcpu *v);
/* Load an initial register state (boot vCPU). */
int vcpu_set_boot_state(struct vcpu *v, const struct vcpu_boot_state *st);
int vcpu_get_sregs(struct vcpu *v, struct kvm_sregs *sregs);

/*
 * The exit in v->kvm.run after KVM_RUN returned 0: ports and MMIO to the
 * buses, system events, the irqchip's EOIs, the confidential exits
 * (vm_coco_handle_exit()); anything else stops the VM with one line.
 * Runs on the vCPU's thread (exported for tests).
 */
enum vcpu_exit_action vcpu_handle_exit(struct vcpu *v);

/*
 * vCPU threads are named "vcpu<index>" (Kata Containers finds them by that
 * name to pin them).
 */
int vcpu_start(struct vcpu *v);
/* Make the thread leave KVM_RUN (vm->stopping must already be set, or the gate closed). */
void vcpu_kick(struct vcpu *v);
void vcpu_join(struct vcpu *v);
/* Where the vCPU is (RIP and code), at info level; after it was joined. */
void vcpu_log_state(struct vcpu *v);

/*
 * Pausing a running VM (the API's vm.pause): the machine closes the gate
 * and kicks every vCPU out of KVM_RUN; a vCPU thread checks the gate
 * before each KVM_RUN and, while it is closed, parks on it instead of
 * re-entering the guest -- the exit it was handling is finished first, so
 * the guest resumes exactly where it stopped.  A parked vCPU tells the
 * guest's kvmclock it was stopped by the host (KVM_KVMCLOCK_CTRL; not for
 * confidential guests), so that Linux's soft-lockup watchdog does not fire
 * on resume.  Devices' event loops go on meanwhile: what they raise stays
 * pending in KVM's interrupt controller (IRR, posted interrupts) and is
 * delivered when the vCPUs run again; they fill at most the buffers the
 * guest posted before the pause.
 *
 * One gate per machine (vcpu_thread() finds it through v->vm->machine).
 */
struct vcpu_gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	atomic_bool closed;
	unsigned int parked;		/* vCPU threads waiting on the gate */
	unsigned int exited;		/* vCPU threads that ended */
};

void vcpu_gate_init(struct vcpu_gate *g);
void vcpu_gate_destroy(struct vcpu_gate *g);
/* Open, and forget the counts: before a VM's vCPU threads start (none runs). */
void vcpu_gate_reset(struct vcpu_gate *g);
/*
 * Close the gate, kick the vCPUs of @vm and wait until every one is parked
 * or has ended, for at most @timeout_ms: 0, or -ETIMEDOUT (the gate is
 * open again).
 */
int vcpu_gate_pause(struct vcpu_gate *g, struct vm *vm, int timeout_ms);
/* Open the gate and wake the parked vCPUs (also before they are joined). */
void vcpu_gate_resume(struct vcpu_gate *g);

#endif
