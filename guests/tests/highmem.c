// SPDX-License-Identifier: GPL-2.0-only
/*
 * RAM above 4 GiB: present in the e820 map, readable and writable; as
 * much as the command line's "highmem.mib=N" when it says so.
 */
#include "guest.h"
#include "ucall.h"

#define GiB (1ULL << 30)

static void check(uint64_t addr, uint64_t pattern)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;

	*p = pattern;
	GUEST_ASSERT_MSG(*p == pattern, "RAM at 0x%llx", (unsigned long long)addr);
}

/* The number after "@key=" on the command line, or 0. */
static uint64_t cmdline_num(const char *cmdline, const char *key)
{
	const char *p = strstr(cmdline, key);
	uint64_t v = 0;

	if (!p)
		return 0;
	for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t end = boot_ram_end(boot), high = 0;
	uint64_t want = cmdline_num(boot->cmdline, "highmem.mib=");
	unsigned int i;

	for (i = 0; i < boot->nr_e820; i++) {
		printf("highmem: e820 0x%llx-0x%llx type %u\n",
		       (unsigned long long)boot->e820[i].addr,
		       (unsigned long long)(boot->e820[i].addr + boot->e820[i].size - 1),
		       boot->e820[i].type);
		if (boot->e820[i].type == E820_RAM && boot->e820[i].addr >= 4 * GiB)
			high += boot->e820[i].size;
	}
	GUEST_ASSERT_MSG(high, "no RAM above 4 GiB");
	if (want)
		GUEST_ASSERT_EQ(high >> 20, want);
	GUEST_ASSERT_MSG(end <= 16 * GiB, "RAM ends at 0x%llx", (unsigned long long)end);
	check(4 * GiB, 0x1122334455667788ULL);
	check(4 * GiB + high / 2, 0x8877665544332211ULL);
	check(end - 8, 0xa5a5a5a55a5a5a5aULL);
	check(0x200000, 0x0102030405060708ULL);
	GUEST_ASSERT_EQ(*(volatile uint64_t *)(uintptr_t)(4 * GiB), 0x1122334455667788ULL);
	printf("highmem: %llu MiB above 4 GiB, RAM ends at 0x%llx: ok\n",
	       (unsigned long long)(high >> 20), (unsigned long long)end);
	GUEST_DONE();
}
