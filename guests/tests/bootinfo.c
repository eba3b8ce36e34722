// SPDX-License-Identifier: GPL-2.0-only
/* Print what the boot protocol delivered, for the harness to check. */
#include "guest.h"

void guest_main(const struct guest_boot *boot)
{
	unsigned int i;

	printf("bootinfo: protocol %s\n", boot->kind == BOOT_PVH ? "pvh" : "linux");
	printf("bootinfo: cmdline '%s'\n", boot->cmdline);
	for (i = 0; i < boot->nr_e820; i++)
		printf("bootinfo: e820 [mem 0x%016llx-0x%016llx] %u\n",
		       (unsigned long long)boot->e820[i].addr,
		       (unsigned long long)(boot->e820[i].addr + boot->e820[i].size - 1),
		       boot->e820[i].type);
	guest_exit(GUEST_PASS);
}
