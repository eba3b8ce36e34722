// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the boot protocol delivered: the protocol this image was built
 * for and an e820 map with RAM at 0 and across 1 MiB.  The command line
 * and the e820 lines are printed: the harness compares them with what it
 * gave cvmm (and cvmm's -v map), under cvmm, its test firmware and QEMU.
 */
#include "guest.h"
#include "ucall.h"

void guest_main(const struct guest_boot *boot)
{
	bool low = false, high = false;
	unsigned int i;

	printf("bootinfo: protocol %s\n", boot->kind == BOOT_PVH ? "pvh" : "linux");
	printf("bootinfo: cmdline '%s'\n", boot->cmdline);
	for (i = 0; i < boot->nr_e820; i++) {
		const struct guest_e820 *e = &boot->e820[i];

		printf("bootinfo: e820 [mem 0x%016llx-0x%016llx] %u\n",
		       (unsigned long long)e->addr, (unsigned long long)(e->addr + e->size - 1),
		       e->type);
		if (e->type == E820_RAM && e->addr == 0)
			low = true;
		if (e->type == E820_RAM && e->addr <= 0x100000 && e->addr + e->size > 0x200000)
			high = true;
	}
#ifdef GUEST_FORMAT_ELF
	GUEST_ASSERT_EQ(boot->kind, BOOT_PVH);
#else
	GUEST_ASSERT_EQ(boot->kind, BOOT_LINUX);
#endif
	GUEST_ASSERT(low);
	GUEST_ASSERT(high);
	GUEST_DONE();
}
