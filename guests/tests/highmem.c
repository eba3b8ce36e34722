// SPDX-License-Identifier: GPL-2.0-only
/* RAM above 4 GiB: present in the e820 map, readable and writable. */
#include "guest.h"

#define GiB (1ULL << 30)

static int check(uint64_t addr, uint64_t pattern)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;

	*p = pattern;
	if (*p != pattern) {
		printf("highmem: mismatch at 0x%llx\n", (unsigned long long)addr);
		return 0;
	}
	return 1;
}

void guest_main(const struct guest_boot *boot)
{
	uint64_t end = boot_ram_end(boot), high = 0;
	unsigned int i;
	int ok = 1;

	for (i = 0; i < boot->nr_e820; i++) {
		printf("highmem: e820 0x%llx-0x%llx type %u\n",
		       (unsigned long long)boot->e820[i].addr,
		       (unsigned long long)(boot->e820[i].addr + boot->e820[i].size - 1),
		       boot->e820[i].type);
		if (boot->e820[i].type == E820_RAM && boot->e820[i].addr >= 4 * GiB)
			high += boot->e820[i].size;
	}
	if (!high || end > 16 * GiB) {
		printf("highmem: need RAM above 4 GiB and below 16 GiB (end 0x%llx)\n",
		       (unsigned long long)end);
		guest_exit(GUEST_FAIL);
	}
	ok &= check(4 * GiB, 0x1122334455667788ULL);
	ok &= check(4 * GiB + high / 2, 0x8877665544332211ULL);
	ok &= check(end - 8, 0xa5a5a5a55a5a5a5aULL);
	ok &= check(0x200000, 0x0102030405060708ULL);
	ok &= *(volatile uint64_t *)(uintptr_t)(4 * GiB) == 0x1122334455667788ULL;
	printf("highmem: %llu MiB above 4 GiB, RAM ends at 0x%llx: %s\n",
	       (unsigned long long)(high >> 20), (unsigned long long)end,
	       ok ? "ok" : "FAILED");
	guest_exit(ok ? GUEST_PASS : GUEST_FAIL);
}
