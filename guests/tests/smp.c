// SPDX-License-Identifier: GPL-2.0-only
/* Bring up every vCPU listed in the MP table with INIT-SIPI-SIPI. */
#include "guest.h"

#define LAPIC_ID	0xfee00020ULL

static volatile int ap_count;
static volatile uint8_t seen_ids[64];

static void ap_main(int index)
{
	uint8_t id = (uint8_t)(mmio_read32(LAPIC_ID) >> 24);

	seen_ids[index] = id;
	__atomic_fetch_add(&ap_count, 1, __ATOMIC_SEQ_CST);
	printf("smp: AP %d up (APIC id %u)\n", index, id);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_main(const struct guest_boot *boot)
{
	uint8_t ids[64];
	int n = mp_find_cpus(ids, 64), started, i, j;
	unsigned long spins = 400000000;

	if (n < 1) {
		printf("smp: no MP table\n");
		guest_exit(GUEST_FAIL);
	}
	printf("smp: MP table lists %d vCPUs\n", n);
	seen_ids[0] = (uint8_t)(mmio_read32(LAPIC_ID) >> 24);
	started = smp_start_aps(ids, n, ap_main);
	while (ap_count < n - 1 && --spins)
		cpu_relax();
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (seen_ids[i] == seen_ids[j]) {
				printf("smp: duplicate APIC id %u\n", seen_ids[i]);
				guest_exit(GUEST_FAIL);
			}
	printf("smp: %d/%d vCPUs running\n", ap_count + 1, n);
	guest_exit(started == n - 1 && ap_count == n - 1 ? GUEST_PASS : GUEST_FAIL);
}
