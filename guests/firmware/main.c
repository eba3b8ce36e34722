// SPDX-License-Identifier: GPL-2.0-only
/* The 64-bit C entry of the test firmware, and its exception handler. */
#include "fw.h"
#include "fw_cfg.h"

void fw_main(void);
void fw_exception(const uint64_t *frame);

#define IDT_ENTRIES	32

extern const uint8_t exception_stubs[];	/* reset.S: 16 bytes per vector */
static uint8_t idt[IDT_ENTRIES * 16] __attribute__((aligned(16)));

void idt_install(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uint64_t base;
	} idtr = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	unsigned int i;

	for (i = 0; i < IDT_ENTRIES; i++) {
		uint64_t h = (uint64_t)(uintptr_t)exception_stubs + i * 16;
		uint8_t *g = idt + i * 16;

		put_le16(g, (uint16_t)h);
		put_le16(g + 2, 0x10);			/* 64-bit code selector */
		g[4] = 0;
		g[5] = 0x8e;				/* present, interrupt gate */
		put_le16(g + 6, (uint16_t)(h >> 16));
		put_le32(g + 8, (uint32_t)(h >> 32));
		put_le32(g + 12, 0);
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* frame: vector, error code, then the CPU's RIP, CS, RFLAGS, RSP, SS */
void fw_exception(const uint64_t *frame)
{
	uint64_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	fatal(FAIL_EXCEPTION, "CPU exception %llu (error 0x%llx) at rip 0x%llx, "
	      "rsp 0x%llx, cr2 0x%llx", (unsigned long long)frame[0],
	      (unsigned long long)frame[1], (unsigned long long)frame[2],
	      (unsigned long long)frame[5], (unsigned long long)cr2);
}

/*
 * Not stage0: on a Q35 chipset (host bridge 8086:29c0) place the ICH9 PM
 * block at 0x600 as OVMF's SEC does (PMBASE, then ACPI_EN), so the ACPI
 * power-off the FADT describes works for the kernel.
 */
static uint32_t conf1_read(unsigned int dev, unsigned int off)
{
	uint32_t v;

	outl(0xcf8, 0x80000000u | dev << 11 | off);
	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)0xcfc));
	return v;
}

static void conf1_write(unsigned int dev, unsigned int off, uint32_t v)
{
	outl(0xcf8, 0x80000000u | dev << 11 | off);
	outl(0xcfc, v);
}

static void chipset_init(void)
{
	uint32_t cntl;

	if (conf1_read(0, 0) != 0x29c08086)
		return;
	cntl = conf1_read(31, 0x44);
	if (!(cntl & 0x80)) {
		conf1_write(31, 0x40, (conf1_read(31, 0x40) & ~0xff80u) | 0x600);
		conf1_write(31, 0x44, cntl | 0x80);
	}
	printf("cvmm-testfw: Q35: ICH9 PM block at 0x%x\n", conf1_read(31, 0x40) & 0xff80);
}

void fw_main(void)
{
	printf("cvmm-testfw: long mode, C code running from the ROM\n");
	idt_install();
	chipset_init();
	fw_cfg_init();
	linux_boot();
}
