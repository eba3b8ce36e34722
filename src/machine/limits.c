// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "machine/limits.h"
#include "util/log.h"
#include "util/num.h"

uint64_t limits_max_ram(unsigned int phys_bits)
{
	uint64_t space;

	if (phys_bits >= 64)
		return UINT64_MAX;
	space = 1ULL << phys_bits;
	if (space <= HIGH_RAM_START)
		return space < LOW_RAM_END ? space : LOW_RAM_END;
	return space - HIGH_RAM_START + LOW_RAM_END;
}

unsigned int limits_slots(uint64_t size)
{
	uint64_t low, high, more;

	e820_ram_split(size, &low, &high);
	if (high <= LIMITS_SLOT_MAX)
		return LIMITS_FIXED_SLOTS;
	more = (high - LIMITS_SLOT_MAX + LIMITS_SLOT_MAX - 1) / LIMITS_SLOT_MAX;
	return LIMITS_FIXED_SLOTS + (unsigned int)more;
}

int limits_check_memory(uint64_t size, const struct mem_limits *l)
{
	char want[32], max[32];

	size_format(size, want, sizeof(want));
	if (l->phys_bits && size > limits_max_ram(l->phys_bits)) {
		size_format(limits_max_ram(l->phys_bits), max, sizeof(max));
		log_err("--memory", "size=%s: this host's KVM gives guests %u-bit physical "
			"addresses, room for at most %s of RAM", want, l->phys_bits, max);
		return -E2BIG;
	}
	if (l->nr_memslots > 0 && limits_slots(size) > (unsigned int)l->nr_memslots) {
		log_err("--memory", "size=%s: needs %u memory slots, this host's KVM has %d",
			want, limits_slots(size), l->nr_memslots);
		return -ENOSPC;
	}
	if (l->host_mem && size > l->host_mem) {
		log_err("--memory", "size=%s is more than this host's RAM and swap "
			"(%llu MiB)", want, (unsigned long long)(l->host_mem >> 20));
		return -ENOMEM;
	}
	return 0;
}
