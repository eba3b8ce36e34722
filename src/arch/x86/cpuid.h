/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_CPUID_H
#define CVMM_ARCH_X86_CPUID_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm/uapi.h"

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

struct cpuid_feature {
	const char *name;
	uint32_t function;
	uint32_t index;
	enum cpuid_reg reg;
	uint8_t bit;
};

enum cpu_vendor { CPU_VENDOR_OTHER, CPU_VENDOR_INTEL, CPU_VENDOR_AMD };

struct cpuid_config {
	unsigned int nr_vcpus;
	bool tsc_deadline;		/* KVM_CAP_TSC_DEADLINE_TIMER */
	/* "+name" / "-name" edits applied after the defaults, in order */
	char *const *edits;
	unsigned int nr_edits;
	bool have_sig;			/* --cpu model=/sig=: the signature to report */
	uint32_t sig;
};

/* Look a feature up by name (as /proc/cpuinfo spells it); NULL if unknown. */
const struct cpuid_feature *cpuid_feature_find(const char *name);
/* Number of known features and the i-th one (for --help listings). */
unsigned int cpuid_feature_count(void);
const struct cpuid_feature *cpuid_feature_at(unsigned int i);

enum cpu_vendor cpuid_vendor(const struct kvm_cpuid2 *cpuid);

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *cpuid,
				    uint32_t function, uint32_t index);
uint32_t *cpuid_reg_ptr(struct kvm_cpuid_entry2 *e, enum cpuid_reg reg);

/*
 * Build the guest CPUID table from KVM_GET_SUPPORTED_CPUID: hypervisor
 * bit, topology for nr_vcpus (one socket, one thread per core), TSC
 * deadline when KVM has it, the defaults that let Linux run on this
 * machine's KVM (CX16 hidden; XSAVEERPTR advertised on AMD) and the
 * user's edits.  Prints "cvmm: --cpu: ..." and returns -EINVAL for an
 * unknown feature name.  The result is allocated (free()).
 */
int cpuid_build(const struct kvm_cpuid2 *supported,
		const struct cpuid_config *cfg, struct kvm_cpuid2 **out);

/* Patch the per-vCPU fields (APIC IDs in leaves 1, 0xb, 0x1f, 0x8000001e). */
void cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t apic_id);

/* Processor signature (leaf 1 EAX), e.g. the reset value of EDX. */
uint32_t cpuid_signature(const struct kvm_cpuid2 *cpuid);
/*
 * Report @sig as the processor signature: leaf 1 EAX and, where the table
 * has it, leaf 0x80000001 EAX (AMD mirrors the signature there).
 */
void cpuid_set_signature(struct kvm_cpuid2 *cpuid, uint32_t sig);
/* This CPU's signature (the CPUID instruction's leaf 1 EAX). */
uint32_t cpuid_host_signature(void);

#endif
