/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cvmm's test firmware: a small ROM that boots a Linux bzImage the way Oak
 * stage0 does (fw_cfg, etc/e820, the setup header, the kernel at 32 MiB,
 * ACPI through etc/table-loader, the 64-bit entry point).
 *
 * The code runs in place from the ROM (large code model: the ROM is near
 * 4 GiB, its RAM is below 1 MiB).  reset.S includes this header for the
 * memory map below (the C declarations are hidden from the assembler);
 * fw.ld repeats the .data/.bss range 0x30000-0x40000.
 */
#ifndef FW_H
#define FW_H

/*
 * Low RAM, all of it below 640 KiB (the firmware assumes [0, 0xa0000) is
 * RAM, as stage0 does):
 *   0x01000          SNP secrets page       (SEV metadata; never touched)
 *   0x02000          SNP CPUID page         (SEV metadata; never touched)
 *   0x10000          kernel-hashes page, table at 0x10c00 (never touched)
 *   0x20000-0x80000  SEV SEC_MEM: the firmware's own working memory
 *     0x20000        page tables: PML4, PDPT, 4 PDs (4 GiB, 2 MiB pages)
 *     0x26000        fw_cfg DMA descriptor
 *     0x27000        zero page (struct boot_params) handed to Linux
 *     0x28000        kernel command line (up to 32 KiB)
 *     0x30000        .data and .bss
 *     0x40000        scratch: the setup sectors, then etc/table-loader
 *     0x60000-80000  stack
 *   0x80000-0x9fc00  "EBDA", e820 ACPI: the FSEG allocation zone (RSDP)
 *   0x9fc00-0xa0000  MP table (not stage0: the test kernel has no ACPI)
 *   0x100000         TDVF TD_HOB (8 KiB) and mailbox (4 KiB): metadata only
 */
#define FW_SECRETS_PAGE		0x1000
#define FW_CPUID_PAGE		0x2000
#define FW_HASHES_PAGE		0x10000
#define FW_HASHES_TABLE		0x10c00
#define FW_HASHES_TABLE_SIZE	0x400
#define FW_SEC_MEM_START	0x20000
#define FW_PML4			0x20000
#define FW_DMA_DESC		0x26000
#define FW_ZERO_PAGE		0x27000
#define FW_CMDLINE		0x28000
#define FW_CMDLINE_MAX		0x8000
#define FW_SCRATCH		0x40000
#define FW_SCRATCH_SIZE		0x20000
#define FW_STACK_TOP		0x80000
#define FW_SEC_MEM_END		0x80000
#define FW_EBDA_START		0x80000
#define FW_MPTABLE		0x9fc00
#define FW_EBDA_END		0xa0000
#define FW_LOW_END		0x100000
#define FW_TD_HOB		0x100000
#define FW_TD_HOB_SIZE		0x2000
#define FW_TD_MAILBOX		0x102000
#define FW_TD_MAILBOX_SIZE	0x1000

/* Where stage0 loads a relocatable bzImage's protected-mode kernel. */
#define FW_KERNEL_ADDR		0x2000000
/* stage0 identity-maps and places the initrd and ACPI below 1 GiB. */
#define FW_TOP_OF_MEMORY	0x40000000ULL
#define FW_ACPI_HIGH_SIZE	0x100000

#ifndef __ASSEMBLER__

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libc.h"		/* guests/lib: string functions, format_vprintf() */

/* Values written to the isa-debug-exit port on fatal errors (status (V << 1) | 1). */
#define DEBUG_EXIT_PORT		0xf4
enum fw_fail {
	FAIL_FW_CFG = 0x41,	/* no fw_cfg, bad signature or features */
	FAIL_DMA = 0x42,	/* a DMA transfer reported an error */
	FAIL_E820 = 0x43,	/* etc/e820 missing or malformed */
	FAIL_KERNEL = 0x44,	/* no kernel, bad setup header */
	FAIL_PLACEMENT = 0x45,	/* kernel/initrd/ACPI do not fit in RAM */
	FAIL_CMDLINE = 0x46,	/* malformed or too long command line */
	FAIL_ACPI = 0x47,	/* etc/table-loader invalid, bad RSDP */
	FAIL_EXCEPTION = 0x48,	/* CPU exception inside the firmware */
	FAIL_INTERNAL = 0x49,	/* returned from the kernel, ... */
};

/* struct boot_params offsets (Documentation/arch/x86/zero-page.rst, boot.rst) */
#define BP_ACPI_RSDP_ADDR	0x070
#define BP_E820_ENTRIES		0x1e8
#define BP_HDR			0x1f1
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_RELOCATABLE		0x234
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_SETUP_DATA		0x250
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_HDR_MAX_END		0x290	/* edd_mbr_sig_buffer starts here */
#define BP_E820_TABLE		0x2d0
#define BP_E820_MAX		128
#define BP_SIZE			0x1000

#define XLF_KERNEL_64		(1u << 0)

/* E820 types */
#define E820_RAM		1
#define E820_RESERVED		2
#define E820_ACPI		3
#define E820_NVS		4

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct e820_map {
	unsigned int n;
	struct e820_entry e[BP_E820_MAX];
};

/* ---- port I/O ---- */
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

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* Little-endian accessors for unaligned bytes (no unaligned casts). */
static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       (uint32_t)p[3];
}

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* 8-bit sum of @len bytes (ACPI and MP table checksums make it 0). */
static inline uint8_t sum8(const uint8_t *p, uint64_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

/* A physical address as a pointer (identity map), hidden from gcc's
 * object-size analysis, which would flag constant low addresses. */
static inline void *phys(uint64_t addr)
{
	void *p;

	__asm__("" : "=r"(p) : "0"(addr));
	return p;
}

/* ranges.c */
bool ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen);

/* console.c: COM1 and the 0x402 debug console */
void console_putc(char c);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void __attribute__((noreturn, format(printf, 2, 3))) fatal(enum fw_fail code,
							   const char *fmt, ...);

/* e820.c */
void e820_from_fw_cfg(struct e820_map *m);
void e820_insert(struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
bool e820_contains(const struct e820_map *m, uint64_t addr, uint64_t size, uint32_t type);
/* Stage0's find_suitable_dma_address: highest page-aligned RAM below 1 GiB. */
uint64_t e820_find_top(const struct e820_map *m, uint64_t size);
void e820_print(const struct e820_map *m);

/* acpi.c: run etc/table-loader; returns the RSDP address or 0 without ACPI */
uint64_t acpi_install(uint64_t high_zone);

/* mptable.c */
void mptable_write(uint64_t addr, unsigned int nr_cpus);

/* linux.c */
void __attribute__((noreturn)) linux_boot(void);

/* entry (reset.S) */
void __attribute__((noreturn)) jump_to_kernel(uint64_t entry, uint64_t zero_page);
void idt_install(void);

#endif /* !__ASSEMBLER__ */

#endif
