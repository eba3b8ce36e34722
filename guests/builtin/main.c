// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest `cvmm boot` runs when no kernel is given: it greets with the
 * vCPU count (from the MP table) and the RAM size (from the e820 map the
 * VMM handed over) and powers the machine off through ACPI.  On a
 * machine without cvmm's ACPI PM registers (QEMU microvm, used by the
 * benchmark) it falls back to the isa-debug-exit port.
 */
#include "guest.h"

void guest_main(const struct guest_boot *boot)
{
	uint8_t ids[64];
	int cpus = mp_find_cpus(ids, 64);
	uint64_t mib = (boot_ram_total(boot) + (1ULL << 20) - 1) >> 20;

	if (cpus < 1)
		cpus = 1;
	printf("Hello from the cvmm built-in guest: %d vCPU%s, %llu MiB of RAM.\n",
	       cpus, cpus == 1 ? "" : "s", (unsigned long long)mib);
	printf("Powering off.\n");
	acpi_poweroff_or_exit();
}
