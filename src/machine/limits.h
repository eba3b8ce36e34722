/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_LIMITS_H
#define CVMM_MACHINE_LIMITS_H

#include <stdint.h>

/*
 * What the host allows for guest RAM, checked before anything is built
 * (pure: the numbers come from KVM and sysinfo(2) in machine.c).
 *
 * KVM refuses a memslot larger than 2^31 - 1 pages, so RAM is mapped in
 * slots of at most LIMITS_SLOT_MAX bytes; the guest's physical address
 * width (CPUID 0x80000008 as KVM offers it) bounds where RAM may end.
 */
#define LIMITS_SLOT_MAX		(4ULL << 40)	/* 4 TiB, below KVM's 8 TiB - 4 KiB */
#define LIMITS_FIXED_SLOTS	3		/* low RAM, the ROM, first high slot */

struct mem_limits {
	unsigned int phys_bits;		/* guest physical address bits; 0: unknown */
	int nr_memslots;		/* KVM_CAP_NR_MEMSLOTS; <= 0: unknown */
	uint64_t host_mem;		/* host RAM + swap in bytes; 0: unknown */
};

/* The most guest RAM whose top lies inside @phys_bits of address space. */
uint64_t limits_max_ram(unsigned int phys_bits);
/* Memslots that @size bytes of guest RAM take (with the ROM's). */
unsigned int limits_slots(uint64_t size);
/*
 * 0 when @size bytes of RAM fit; -E2BIG (address space), -ENOSPC
 * (memslots) or -ENOMEM (more than the host's RAM and swap) after one line
 * "cvmm: --memory: ...".  Guest RAM is allocated as the guest touches it,
 * but RAM the host cannot back is no use, and KVMs that shadow guest page
 * tables allocate 8 bytes per 4 KiB guest page when the memslot is made:
 * a 64 TiB guest took a 23 GiB host down that way.
 */
int limits_check_memory(uint64_t size, const struct mem_limits *l);

#endif
