// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bring up every vCPU listed in the MP table with INIT-SIPI-SIPI, each
 * with its own APIC ID; as many as the command line's "smp.cpus=N" when
 * it says so.
 */
#include "guest.h"
#include "ucall.h"

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

/* "smp.cpus=N" on the command line, or -1 */
static int cmdline_cpus(const char *cmdline)
{
	const char *p = strstr(cmdline, "smp.cpus=");
	int n = 0;

	if (!p)
		return -1;
	for (p += 9; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	return n;
}

void guest_main(const struct guest_boot *boot)
{
	uint8_t ids[64];
	int n = mp_find_cpus(ids, 64), started, i, j;
	unsigned long spins = 400000000;

	GUEST_ASSERT_MSG(n >= 1, "no MP table");
	printf("smp: MP table lists %d vCPUs\n", n);
	if (cmdline_cpus(boot->cmdline) >= 0)
		GUEST_ASSERT_EQ(n, cmdline_cpus(boot->cmdline));
	seen_ids[0] = (uint8_t)(mmio_read32(LAPIC_ID) >> 24);
	started = smp_start_aps(ids, n, ap_main);
	while (ap_count < n - 1 && --spins)
		cpu_relax();
	printf("smp: %d/%d vCPUs running\n", ap_count + 1, n);
	GUEST_ASSERT_EQ(started, n - 1);
	GUEST_ASSERT_EQ(ap_count, n - 1);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			GUEST_ASSERT_MSG(seen_ids[i] != seen_ids[j], "vCPUs %d and %d have APIC "
					 "id %u", j, i, seen_ids[i]);
	GUEST_DONE();
}
