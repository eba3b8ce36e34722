/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_ACPI_ACPI_H
#define CVMM_ARCH_X86_ACPI_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/guest_mem.h"

/*
 * ACPI tables for a cvmm x86 machine: RSDP, XSDT, FADT (+ FACS), DSDT,
 * MADT and (with PCI) MCFG.
 *
 * acpi_build() produces two "files" in the form QEMU hands them to firmware
 * over fw_cfg: "etc/acpi/rsdp" (the RSDP alone) and "etc/acpi/tables"
 * (everything else).  Pointer fields inside them hold offsets relative to
 * the file they point into, and checksum fields hold 0; the ordered link
 * list records, for every pointer and checksum, how to fix it up once the
 * files have addresses.  Two consumers:
 *
 *   - direct boot: acpi_install() places both files in guest RAM, applies
 *     the links with the real addresses and writes the result;
 *   - firmware boot: acpi_table_loader() serializes the links as QEMU's
 *     "etc/table-loader" command stream (ALLOCATE, ADD_POINTER,
 *     ADD_CHECKSUM) which OVMF, SeaBIOS and Oak stage0 execute; the two
 *     files are served unchanged (fw_cfg files ACPI_FILE_*_NAME).
 */

#define ACPI_OEM_ID		"CVMM  "	/* 6 bytes */
#define ACPI_OEM_TABLE_PREFIX	"CVMM"		/* + the table signature */
#define ACPI_OEM_REVISION	1
#define ACPI_CREATOR_ID		"CVMM"
#define ACPI_CREATOR_REVISION	1

#define ACPI_MAX_VCPUS		1024
#define ACPI_MAX_OVERRIDES	16

#define ACPI_RSDP_FILE_NAME	"etc/acpi/rsdp"
#define ACPI_TABLES_FILE_NAME	"etc/acpi/tables"
#define ACPI_LOADER_FILE_NAME	"etc/table-loader"

/* MPS INTI flags of an interrupt source override (MADT). */
#define ACPI_IRQ_POLARITY_CONFORMS	0x0
#define ACPI_IRQ_ACTIVE_HIGH		0x1
#define ACPI_IRQ_ACTIVE_LOW		0x3
#define ACPI_IRQ_TRIGGER_CONFORMS	(0x0 << 2)
#define ACPI_IRQ_EDGE			(0x1 << 2)
#define ACPI_IRQ_LEVEL			(0x3 << 2)

struct acpi_irq_override {
	uint8_t source;		/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* ACPI_IRQ_* */
};

struct acpi_config {
	/* CPUs: MADT Local APIC (id < 255) or Local x2APIC entries. */
	uint32_t nr_vcpus;		/* 1 .. ACPI_MAX_VCPUS */
	const uint32_t *apic_ids;	/* nr_vcpus ids, or NULL for 0..n-1 */

	uint8_t ioapic_id;
	uint32_t ioapic_addr;
	uint32_t ioapic_gsi_base;
	uint32_t lapic_addr;
	unsigned int nr_overrides;
	struct acpi_irq_override overrides[ACPI_MAX_OVERRIDES];
	uint8_t lapic_nmi_lint;		/* LINT pin wired to NMI (1) */

	/* FADT: fixed hardware at I/O ports. */
	uint16_t sci_irq;
	uint16_t pm1a_evt_port;		/* PM1a_EVT_BLK, 4 bytes */
	uint16_t pm1a_cnt_port;		/* PM1a_CNT_BLK, 2 bytes */
	uint16_t pm_tmr_port;		/* PM_TMR_BLK, 4 bytes; 0 = none */
	bool pm_tmr_32bit;		/* TMR_VAL_EXT */
	uint16_t reset_port;		/* RESET_REG (SystemIO); 0 = none */
	uint8_t reset_value;
	uint8_t rtc_century;		/* CMOS index of the century, 0 = none */
	bool has_rtc;			/* CMOS RTC at 0x70 */
	bool has_i8042;
	bool power_button;		/* fixed-feature power button in PM1 */
	uint8_t slp_typ_s5;		/* \_S5 = Package {typ, typ, 0, 0} */

	/* DSDT devices. */
	bool com1;
	uint16_t com1_port;
	uint8_t com1_irq;
	uint16_t fw_cfg_port;		/* QEMU0002 device, 0 = none */

	/* PCI root bridge (PNP0A08) + MCFG; all ignored unless @pci. */
	bool pci;
	uint64_t ecam_base;		/* 256 buses: 256 MiB */
	bool ecam_off;			/* not decoded now: an MCFG without entries */
	uint32_t pci_mmio32_start;
	uint32_t pci_mmio32_end;	/* exclusive */
	uint32_t pci_mmio32_hole_start;	/* [start, end) cut out of the window */
	uint32_t pci_mmio32_hole_end;	/*   (the ECAM inside it); 0, 0: none */
	uint64_t pci_mmio64_start;
	uint64_t pci_mmio64_size;	/* 0 = no 64-bit window */
	uint16_t pci_io_start;		/* I/O window start (0x1000) .. 0xffff */
	bool pci_intx;			/* emit _PRT: slot s, pin p -> */
	uint32_t pci_intx_gsi[4];	/*   pci_intx_gsi[(s + p) % 4]  */
	bool pci_prt_table;		/*   or, when set, pci_prt_gsi[s][p] */
	uint32_t pci_prt_gsi[32][4];
};

/*
 * Defaults from arch/x86/layout.h for @nr_vcpus CPUs with APIC IDs
 * 0..n-1: IOAPIC, ISA IRQ0 -> GSI 2 (edge), SCI override (level,
 * active high), PM ports, reset at 0xcf9, COM1, \_S5, RTC present, no
 * i8042, no PCI.
 */
void acpi_config_init(struct acpi_config *cfg, uint32_t nr_vcpus);

enum acpi_file_id {
	ACPI_FILE_RSDP = 0,
	ACPI_FILE_TABLES = 1,
	ACPI_NR_FILES
};

/* Allocation zones of the table-loader ALLOCATE command. */
#define ACPI_ZONE_HIGH		1
#define ACPI_ZONE_FSEG		2

struct acpi_file {
	const char *name;	/* ACPI_*_FILE_NAME */
	uint8_t *data;
	size_t len;
	uint32_t align;		/* power of two */
	uint8_t zone;		/* ACPI_ZONE_* */
};

enum acpi_link_kind {
	ACPI_LINK_POINTER = 1,	/* file[offset..+size] += address(target) */
	ACPI_LINK_CHECKSUM,	/* file[offset] -= sum8(file[start..+length]) */
};

struct acpi_link {
	enum acpi_link_kind kind;
	enum acpi_file_id file;
	uint32_t offset;
	/* ACPI_LINK_POINTER */
	enum acpi_file_id target;
	uint8_t size;		/* 1, 2, 4 or 8 */
	/* ACPI_LINK_CHECKSUM */
	uint32_t start;
	uint32_t length;
};

/* Offsets of the tables inside ACPI_FILE_TABLES (for tests and logs). */
struct acpi_layout {
	uint32_t facs, dsdt, fadt, madt, mcfg, xsdt;	/* mcfg 0 = none */
};

struct acpi_tables {
	struct acpi_file files[ACPI_NR_FILES];
	struct acpi_link *links;	/* in the order they must be applied */
	unsigned int nr_links;
	struct acpi_layout layout;
};

/* Returns 0, -EINVAL for a bad config, -ENOMEM/-E2BIG. */
int acpi_build(const struct acpi_config *cfg, struct acpi_tables *out);
void acpi_tables_free(struct acpi_tables *t);
/*
 * Pad the tables file with zeroes to @len bytes, so that tables rebuilt
 * after the guest moved something (the ECAM, the PM block) keep the size
 * firmware saw in the fw_cfg directory (QEMU pads to 128 KiB for the same
 * reason).  -E2BIG if the tables are longer, -ENOMEM.
 */
int acpi_tables_pad(struct acpi_tables *t, size_t len);

/*
 * Apply the links of @t to copies of the files placed at @addrs (guest
 * physical addresses).  @out[i] gets a malloc'd copy of file i, patched.
 * Returns 0, -EINVAL if a link is out of range or a pointer does not fit
 * its field, -ENOMEM.
 */
int acpi_link_files(const struct acpi_tables *t,
		    const uint64_t addrs[ACPI_NR_FILES],
		    uint8_t *out[ACPI_NR_FILES]);

/*
 * Direct boot: write the RSDP at @base (16-byte aligned; use
 * ACPI_TABLES_START so it lies in 0xe0000..0xfffff where Linux scans) and
 * the tables right after it (64-byte aligned), everything inside
 * [@base, @base + @max).  *@rsdp_gpa gets the RSDP address (for
 * boot_params.acpi_rsdp_addr).  Returns 0, -EINVAL (misaligned),
 * -ENOSPC (does not fit @max), -EFAULT (not guest RAM), -ENOMEM.
 */
int acpi_install(const struct acpi_tables *t, const struct guest_mem *mem,
		 uint64_t base, uint64_t max, uint64_t *rsdp_gpa);

/*
 * Firmware boot: the "etc/table-loader" contents (ACPI_LOADER_CMD_SIZE
 * bytes per command).  *@out is malloc'd; the caller frees it.
 */
#define ACPI_LOADER_CMD_SIZE		128
#define ACPI_LOADER_FNAME_SIZE		56
#define ACPI_LOADER_ALLOCATE		1
#define ACPI_LOADER_ADD_POINTER		2
#define ACPI_LOADER_ADD_CHECKSUM	3
#define ACPI_LOADER_WRITE_POINTER	4

int acpi_table_loader(const struct acpi_tables *t, uint8_t **out,
		      size_t *out_len);

#endif
