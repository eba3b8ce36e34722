// SPDX-License-Identifier: GPL-2.0-only
#include "guest.h"

static void __attribute__((noreturn)) halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_exit(uint8_t value)
{
	outb(DEBUG_EXIT_PORT, value);
	halt_forever();
}

/*
 * PM1a_CNT at 0x604 (cvmm's machine; OVMF's PMBASE on the Q35 persona),
 * SLP_EN with the \_S5 of both: 5 on cvmm's machine, then 0 on Q35 (as
 * QEMU's q35 and pc); the first that matches powers off.
 */
static void pm1_soft_off(void)
{
	outw(0x604, (5 << 10) | (1 << 13));
	outw(0x604, (0 << 10) | (1 << 13));
}

void acpi_poweroff(void)
{
	pm1_soft_off();
	halt_forever();
}

void reset_i8042(void)
{
	outb(0x64, 0xfe);
	halt_forever();
}

void reset_cf9(void)
{
	outb(0xcf9, 0x02);
	outb(0xcf9, 0x06);
	halt_forever();
}

uint8_t cmos_read(uint8_t index)
{
	outb(0x70, index);
	return inb(0x71);
}

void cmos_write(uint8_t index, uint8_t value)
{
	outb(0x70, index);
	outb(0x71, value);
}

void acpi_poweroff_or_exit(void)
{
	int i;

	pm1_soft_off();
	for (i = 0; i < 1000; i++)
		cpu_relax();
	outb(DEBUG_EXIT_PORT, GUEST_PASS);
	halt_forever();
}
