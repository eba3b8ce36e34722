// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"

#define TRAMP_BASE	0x10000
#define LAPIC		0xfee00000ULL
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define ICR_INIT	0x00004500	/* INIT, level assert */
#define ICR_STARTUP	0x00004600
#define ICR_BUSY	0x00001000

extern const uint8_t trampoline_start[], trampoline_end[];
extern uint8_t tramp_param_cr3[], tramp_param_stack[], tramp_param_entry[];
extern uint8_t tramp_param_index[], tramp_param_started[];

#define AP_STACK_SIZE	4096
static uint8_t ap_stacks[63][AP_STACK_SIZE] __attribute__((aligned(16)));

static void delay(unsigned long n)
{
	while (n--)
		cpu_relax();
}

static void *param(uint8_t *sym)
{
	return (void *)(uintptr_t)(TRAMP_BASE + (sym - (uint8_t *)trampoline_start));
}

static void send_ipi(uint8_t apic_id, uint32_t lo)
{
	int spins = 1000000;

	mmio_write32(LAPIC + APIC_ICR_HI, (uint32_t)apic_id << 24);
	mmio_write32(LAPIC + APIC_ICR_LO, lo);
	while ((mmio_read32(LAPIC + APIC_ICR_LO) & ICR_BUSY) && --spins)
		cpu_relax();
}

int smp_start_aps(const uint8_t *apic_ids, int nr, ap_main_t ap_main)
{
	uint64_t cr3;
	int i, started = 0;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	memcpy((void *)TRAMP_BASE, trampoline_start,
	       (size_t)(trampoline_end - trampoline_start));
	for (i = 1; i < nr && i <= 63; i++) {
		volatile uint32_t *flag = param(tramp_param_started);
		unsigned long spins = 200000000;

		*(uint64_t *)param(tramp_param_cr3) = cr3;
		*(uint64_t *)param(tramp_param_stack) =
			(uint64_t)(uintptr_t)(ap_stacks[i - 1] + AP_STACK_SIZE);
		*(uint64_t *)param(tramp_param_entry) = (uint64_t)(uintptr_t)ap_main;
		*(uint32_t *)param(tramp_param_index) = (uint32_t)i;
		*flag = 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);

		send_ipi(apic_ids[i], ICR_INIT);
		delay(10000);
		send_ipi(apic_ids[i], ICR_STARTUP | (TRAMP_BASE >> 12));
		delay(1000);
		if (!*flag)
			send_ipi(apic_ids[i], ICR_STARTUP | (TRAMP_BASE >> 12));
		while (!*flag && --spins)
			cpu_relax();
		if (!*flag) {
			printf("smp: AP with APIC id %u did not start\n", apic_ids[i]);
			continue;
		}
		started++;
	}
	return started;
}
