/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_REGS_H
#define CVMM_ARCH_X86_REGS_H

#include <stdint.h>

#include "kvm/uapi.h"
#include "mem/guest_mem.h"

/*
 * Initial vCPU states for the three ways cvmm enters a guest:
 *   - 64-bit Linux boot protocol: long mode, paging on with an identity
 *     map of the first 4 GiB, RSI = zero page;
 *   - PVH: 32-bit protected mode, paging off, EBX = hvm_start_info;
 *   - firmware: the x86 reset state (CS base 0xffff0000, RIP 0xfff0).
 */
struct vcpu_boot_state {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
};

/* Write the boot GDT and the identity-map page tables into guest memory. */
int regs_setup_long_mode_tables(const struct guest_mem *mem);
int regs_setup_protected_mode_gdt(const struct guest_mem *mem);

/* @sregs must be the vCPU's current state (from KVM_GET_SREGS). */
void regs_long_mode(struct vcpu_boot_state *st, uint64_t rip, uint64_t rsi);
void regs_protected_mode(struct vcpu_boot_state *st, uint32_t eip, uint32_t ebx);
void regs_reset_vector(struct vcpu_boot_state *st, uint32_t cpu_signature);

#endif
