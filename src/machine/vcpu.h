/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_VCPU_H
#define CVMM_MACHINE_VCPU_H

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

int vcpu_start(struct vcpu *v);
/* Make the thread leave KVM_RUN (vm->stopping must already be set). */
void vcpu_kick(struct vcpu *v);
void vcpu_join(struct vcpu *v);
/* Where the vCPU is (RIP and code), at info level; after it was joined. */
void vcpu_log_state(struct vcpu *v);

#endif
