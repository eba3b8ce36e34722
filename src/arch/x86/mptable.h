/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_MPTABLE_H
#define CVMM_ARCH_X86_MPTABLE_H

#include <stdint.h>

#include "mem/guest_mem.h"

/*
 * Intel MultiProcessor Specification 1.4 tables: how a kernel without
 * ACPI finds the vCPUs (one processor entry per APIC id), the IOAPIC and
 * the ISA interrupt routing.  Written at MPTABLE_START.
 */
int mptable_write(const struct guest_mem *mem, uint64_t gpa,
		  unsigned int nr_vcpus);
/* Bytes mptable_write() needs for @nr_vcpus. */
uint64_t mptable_size(unsigned int nr_vcpus);

#endif
