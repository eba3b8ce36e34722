/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tiny runtime of cvmm's freestanding guests: port I/O, a COM1
 * console with printf, the boot information the VMM handed over, the MP
 * table, power control and an SMP bring-up helper.  Guests report to the
 * test harness over COM1 and leave through the debug-exit port.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libc.h"

#define BOOT_LINUX	1
#define BOOT_PVH	2

/* Values written to the debug-exit port: cvmm exits with (V << 1) | 1. */
#define GUEST_PASS	0x20	/* exit status 65 */
#define GUEST_FAIL	0x21	/* exit status 67 */
#define DEBUG_EXIT_PORT	0xf4

#define E820_RAM	1

struct guest_e820 {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct guest_boot {
	int kind;			/* BOOT_LINUX or BOOT_PVH */
	unsigned int nr_e820;
	struct guest_e820 e820[32];
	const char *cmdline;
};

/* implemented by each guest */
void guest_main(const struct guest_boot *boot);

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}


/* console.c */
void console_putc(char c);
void console_puts(const char *s);
int vprintf(const char *fmt, va_list ap);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* boot.c */
uint64_t boot_ram_total(const struct guest_boot *boot);
uint64_t boot_ram_end(const struct guest_boot *boot);

/* mptable.c: number of enabled processors and their APIC ids */
int mp_find_cpus(uint8_t *apic_ids, int max);

/* power.c */
void __attribute__((noreturn)) guest_exit(uint8_t value);
void __attribute__((noreturn)) acpi_poweroff(void);
/* ACPI S5, or where that does nothing, the debug-exit port */
void __attribute__((noreturn)) acpi_poweroff_or_exit(void);
void __attribute__((noreturn)) reset_i8042(void);
void __attribute__((noreturn)) reset_cf9(void);
uint8_t cmos_read(uint8_t index);
void cmos_write(uint8_t index, uint8_t value);

/* smp.c: start every AP in @apic_ids; each runs ap_main(index) */
typedef void (*ap_main_t)(int index);
int smp_start_aps(const uint8_t *apic_ids, int nr, ap_main_t ap_main);

#endif
