// SPDX-License-Identifier: GPL-2.0-only
/*
 * Static ACPI tables: FACS, FADT, MADT, MCFG, XSDT and the RSDP
 * (ACPI 6.4, chapter 5.2), laid out as QEMU's "etc/acpi/tables" and
 * "etc/acpi/rsdp" files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/acpi/build.h"
#include "arch/x86/layout.h"
#include "util/compiler.h"

/* FADT (revision 6, 276 bytes) field offsets. */
#define FADT_REVISION		6
#define FADT_MINOR		4
#define FADT_SIZE		276
#define FADT_FIRMWARE_CTRL	36
#define FADT_DSDT		40
#define FADT_PM_PROFILE		45
#define FADT_SCI_INT		46
#define FADT_SMI_CMD		48
#define FADT_PM1A_EVT_BLK	56
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM_TMR_BLK		76
#define FADT_PM1_EVT_LEN	88
#define FADT_PM1_CNT_LEN	89
#define FADT_PM_TMR_LEN		91
#define FADT_P_LVL2_LAT		96
#define FADT_P_LVL3_LAT		98
#define FADT_CENTURY		108
#define FADT_IAPC_BOOT_ARCH	109
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_MINOR_VERSION	131
#define FADT_X_FIRMWARE_CTRL	132
#define FADT_X_DSDT		140
#define FADT_X_PM1A_EVT_BLK	148
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM_TMR_BLK	208

/* FADT flags */
#define FADT_F_WBINVD			(1u << 0)
#define FADT_F_PROC_C1			(1u << 2)
#define FADT_F_PWR_BUTTON		(1u << 4)
#define FADT_F_SLP_BUTTON		(1u << 5)
#define FADT_F_TMR_VAL_EXT		(1u << 8)
#define FADT_F_RESET_REG_SUP		(1u << 10)
#define FADT_F_FORCE_APIC_PHYS_DEST	(1u << 19)

/* IA-PC boot architecture flags */
#define FADT_BOOT_LEGACY_DEVICES	(1u << 0)
#define FADT_BOOT_8042			(1u << 1)
#define FADT_BOOT_NO_VGA		(1u << 2)
#define FADT_BOOT_NO_CMOS_RTC		(1u << 5)

/* Generic Address Structure */
#define GAS_SYSTEM_IO		1
#define GAS_ACCESS_BYTE		1
#define GAS_ACCESS_WORD		2
#define GAS_ACCESS_DWORD	3

#define FACS_SIZE		64
#define FACS_ALIGN		64

/* MADT structure types */
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_OVERRIDE		2
#define MADT_LAPIC_NMI		4
#define MADT_X2APIC		9
#define MADT_X2APIC_NMI		10
#define MADT_PCAT_COMPAT	1
#define MADT_ENABLED		1
#define MADT_REVISION		5

#define RSDP_SIZE		36
#define RSDP_V1_SIZE		20

void acpi_config_init(struct acpi_config *cfg, uint32_t nr_vcpus)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_vcpus = nr_vcpus;
	/* Same IOAPIC id as the MP table: right after the LAPIC ids. */
	cfg->ioapic_id = (uint8_t)(nr_vcpus < 0xfe ? nr_vcpus : 0xfe);
	cfg->ioapic_addr = (uint32_t)IOAPIC_ADDR;
	cfg->ioapic_gsi_base = 0;
	cfg->lapic_addr = (uint32_t)LAPIC_ADDR;
	cfg->overrides[0] = (struct acpi_irq_override){
		.source = 0, .gsi = 2,
		.flags = ACPI_IRQ_ACTIVE_HIGH | ACPI_IRQ_EDGE,
	};
	cfg->overrides[1] = (struct acpi_irq_override){
		.source = ACPI_SCI_IRQ, .gsi = ACPI_SCI_IRQ,
		.flags = ACPI_IRQ_ACTIVE_HIGH | ACPI_IRQ_LEVEL,
	};
	cfg->nr_overrides = 2;
	cfg->lapic_nmi_lint = 1;

	cfg->sci_irq = ACPI_SCI_IRQ;
	cfg->pm1a_evt_port = PORT_ACPI_PM1_EVT;
	cfg->pm1a_cnt_port = PORT_ACPI_PM1_CNT;
	cfg->pm_tmr_port = PORT_ACPI_PM_TMR;
	cfg->reset_port = PORT_RESET_CF9;
	cfg->reset_value = ACPI_RESET_VALUE;
	cfg->has_rtc = true;
	cfg->slp_typ_s5 = ACPI_SLP_TYP_S5;

	cfg->com1 = true;
	cfg->com1_port = PORT_COM1;
	cfg->com1_irq = IRQ_COM1;

	cfg->ecam_base = PCI_ECAM_START;
	cfg->pci_mmio32_start = (uint32_t)PCI_MMIO32_START;
	cfg->pci_mmio32_end = (uint32_t)PCI_MMIO32_END;
	cfg->pci_io_start = 0x1000;
}

static uint32_t apic_id_of(const struct acpi_config *cfg, uint32_t i)
{
	return cfg->apic_ids ? cfg->apic_ids[i] : i;
}

static int config_check(const struct acpi_config *cfg)
{
	uint32_t i, j;

	if (cfg->nr_vcpus == 0 || cfg->nr_vcpus > ACPI_MAX_VCPUS ||
	    cfg->nr_overrides > ACPI_MAX_OVERRIDES ||
	    !cfg->pm1a_evt_port || !cfg->pm1a_cnt_port || cfg->sci_irq > 0xff)
		return -EINVAL;
	for (i = 0; i < cfg->nr_vcpus; i++) {
		if (apic_id_of(cfg, i) == UINT32_MAX)
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (apic_id_of(cfg, i) == apic_id_of(cfg, j))
				return -EINVAL;
	}
	if (cfg->com1 && (cfg->com1_irq > 15 || cfg->com1_port > 0xfff8))
		return -EINVAL;
	if (cfg->fw_cfg_port > 0xfff4)
		return -EINVAL;
	if (cfg->pci) {
		if (cfg->pci_mmio32_end <= cfg->pci_mmio32_start ||
		    !cfg->pci_io_start ||
		    (!cfg->ecam_off && (range_overflows(cfg->ecam_base, PCI_ECAM_SIZE) ||
					(cfg->ecam_base + PCI_ECAM_SIZE) > SZ_4G)))
			return -EINVAL;
		/* a hole strictly inside the window: two ranges remain */
		if (cfg->pci_mmio32_hole_end &&
		    (cfg->pci_mmio32_hole_start <= cfg->pci_mmio32_start ||
		     cfg->pci_mmio32_hole_end >= cfg->pci_mmio32_end ||
		     cfg->pci_mmio32_hole_end <= cfg->pci_mmio32_hole_start))
			return -EINVAL;
		if (cfg->pci_mmio64_size &&
		    (range_overflows(cfg->pci_mmio64_start,
				     cfg->pci_mmio64_size) ||
		     cfg->pci_mmio64_start + cfg->pci_mmio64_size == 0))
			return -EINVAL;
	}
	return 0;
}

uint32_t acpi_table_begin(struct acpi_builder *bld, enum acpi_file_id file,
			  const char sig[4], uint8_t revision)
{
	struct acpi_buf *b = &bld->files[file];
	uint32_t off;

	acpi_buf_align(b, 8);
	off = (uint32_t)b->len;
	acpi_buf_put(b, sig, 4);
	acpi_buf_u32(b, 0);			/* length, set at the end */
	acpi_buf_u8(b, revision);
	acpi_buf_u8(b, 0);			/* checksum, via a link */
	acpi_buf_put(b, ACPI_OEM_ID, 6);
	acpi_buf_put(b, ACPI_OEM_TABLE_PREFIX, 4);
	acpi_buf_put(b, sig, 4);		/* OEM table id "CVMM<sig>" */
	acpi_buf_u32(b, ACPI_OEM_REVISION);
	acpi_buf_put(b, ACPI_CREATOR_ID, 4);
	acpi_buf_u32(b, ACPI_CREATOR_REVISION);
	return off;
}

void acpi_table_end(struct acpi_builder *bld, enum acpi_file_id file,
		    uint32_t table)
{
	struct acpi_buf *b = &bld->files[file];
	uint32_t len = (uint32_t)(b->len - table);

	acpi_buf_set_u32(b, table + ACPI_HDR_LENGTH, len);
	acpi_add_checksum(bld, file, table + ACPI_HDR_CHECKSUM, table, len);
}

static uint32_t build_facs(struct acpi_builder *bld)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t off;

	acpi_buf_align(b, FACS_ALIGN);
	off = (uint32_t)b->len;
	acpi_buf_put(b, "FACS", 4);
	acpi_buf_u32(b, FACS_SIZE);
	acpi_buf_grow(b, FACS_SIZE - 8);
	acpi_buf_set_u8(b, off + 32, 2);	/* version */
	return off;
}

static void set_gas(struct acpi_buf *b, size_t off, uint8_t bits,
		    uint8_t access, uint64_t port)
{
	if (!port)
		return;
	acpi_buf_set_u8(b, off, GAS_SYSTEM_IO);
	acpi_buf_set_u8(b, off + 1, bits);
	acpi_buf_set_u8(b, off + 2, 0);
	acpi_buf_set_u8(b, off + 3, access);
	acpi_buf_set_u64(b, off + 4, port);
}

static uint32_t build_fadt(struct acpi_builder *bld,
			   const struct acpi_config *cfg,
			   uint32_t facs, uint32_t dsdt)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t t = acpi_table_begin(bld, ACPI_FILE_TABLES, "FACP",
				      FADT_REVISION);
	uint32_t flags = FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_SLP_BUTTON;
	uint16_t boot = FADT_BOOT_LEGACY_DEVICES | FADT_BOOT_NO_VGA;

	acpi_buf_grow(b, FADT_SIZE - ACPI_HEADER_SIZE);

	/* The 32-bit FIRMWARE_CTRL and DSDT stay 0: the X_ fields are used. */
	acpi_buf_set_u8(b, t + FADT_PM_PROFILE, 0);	/* unspecified */
	acpi_buf_set_u16(b, t + FADT_SCI_INT, cfg->sci_irq);
	/* SMI_CMD 0: no ACPI mode switch, SCI_EN is always set. */
	acpi_buf_set_u32(b, t + FADT_SMI_CMD, 0);
	acpi_buf_set_u32(b, t + FADT_PM1A_EVT_BLK, cfg->pm1a_evt_port);
	acpi_buf_set_u32(b, t + FADT_PM1A_CNT_BLK, cfg->pm1a_cnt_port);
	acpi_buf_set_u32(b, t + FADT_PM_TMR_BLK, cfg->pm_tmr_port);
	acpi_buf_set_u8(b, t + FADT_PM1_EVT_LEN, 4);
	acpi_buf_set_u8(b, t + FADT_PM1_CNT_LEN, 2);
	acpi_buf_set_u8(b, t + FADT_PM_TMR_LEN, cfg->pm_tmr_port ? 4 : 0);
	/* > 100 and > 1000: no C2, no C3 */
	acpi_buf_set_u16(b, t + FADT_P_LVL2_LAT, 0x0fff);
	acpi_buf_set_u16(b, t + FADT_P_LVL3_LAT, 0x0fff);
	acpi_buf_set_u8(b, t + FADT_CENTURY, cfg->rtc_century);
	if (cfg->has_i8042)
		boot |= FADT_BOOT_8042;
	if (!cfg->has_rtc)
		boot |= FADT_BOOT_NO_CMOS_RTC;
	acpi_buf_set_u16(b, t + FADT_IAPC_BOOT_ARCH, boot);

	if (!cfg->power_button)
		flags |= FADT_F_PWR_BUTTON;
	if (cfg->pm_tmr_32bit)
		flags |= FADT_F_TMR_VAL_EXT;
	if (cfg->reset_port)
		flags |= FADT_F_RESET_REG_SUP;
	if (cfg->nr_vcpus > 8)
		flags |= FADT_F_FORCE_APIC_PHYS_DEST;
	acpi_buf_set_u32(b, t + FADT_FLAGS, flags);
	set_gas(b, t + FADT_RESET_REG, 8, GAS_ACCESS_BYTE, cfg->reset_port);
	acpi_buf_set_u8(b, t + FADT_RESET_VALUE, cfg->reset_value);
	acpi_buf_set_u8(b, t + FADT_MINOR_VERSION, FADT_MINOR);

	acpi_buf_set_u64(b, t + FADT_X_FIRMWARE_CTRL, facs);
	acpi_add_pointer(bld, ACPI_FILE_TABLES, t + FADT_X_FIRMWARE_CTRL,
			 ACPI_FILE_TABLES, 8);
	acpi_buf_set_u64(b, t + FADT_X_DSDT, dsdt);
	acpi_add_pointer(bld, ACPI_FILE_TABLES, t + FADT_X_DSDT,
			 ACPI_FILE_TABLES, 8);
	set_gas(b, t + FADT_X_PM1A_EVT_BLK, 32, GAS_ACCESS_WORD,
		cfg->pm1a_evt_port);
	set_gas(b, t + FADT_X_PM1A_CNT_BLK, 16, GAS_ACCESS_WORD,
		cfg->pm1a_cnt_port);
	set_gas(b, t + FADT_X_PM_TMR_BLK, 32, GAS_ACCESS_DWORD,
		cfg->pm_tmr_port);
	acpi_table_end(bld, ACPI_FILE_TABLES, t);
	return t;
}

static uint32_t build_madt(struct acpi_builder *bld,
			   const struct acpi_config *cfg)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t t = acpi_table_begin(bld, ACPI_FILE_TABLES, "APIC",
				      MADT_REVISION);
	bool x2apic = false;
	uint32_t i;

	acpi_buf_u32(b, cfg->lapic_addr);
	acpi_buf_u32(b, MADT_PCAT_COMPAT);

	/* ACPI processor UID = vCPU index. */
	for (i = 0; i < cfg->nr_vcpus; i++) {
		uint32_t id = apic_id_of(cfg, i);

		if (id < 0xff && i < 0xff) {
			acpi_buf_u8(b, MADT_LAPIC);
			acpi_buf_u8(b, 8);
			acpi_buf_u8(b, (uint8_t)i);
			acpi_buf_u8(b, (uint8_t)id);
			acpi_buf_u32(b, MADT_ENABLED);
		} else {
			acpi_buf_u8(b, MADT_X2APIC);
			acpi_buf_u8(b, 16);
			acpi_buf_u16(b, 0);
			acpi_buf_u32(b, id);
			acpi_buf_u32(b, MADT_ENABLED);
			acpi_buf_u32(b, i);
			x2apic = true;
		}
	}

	acpi_buf_u8(b, MADT_IOAPIC);
	acpi_buf_u8(b, 12);
	acpi_buf_u8(b, cfg->ioapic_id);
	acpi_buf_u8(b, 0);
	acpi_buf_u32(b, cfg->ioapic_addr);
	acpi_buf_u32(b, cfg->ioapic_gsi_base);

	for (i = 0; i < cfg->nr_overrides; i++) {
		const struct acpi_irq_override *o = &cfg->overrides[i];

		acpi_buf_u8(b, MADT_OVERRIDE);
		acpi_buf_u8(b, 10);
		acpi_buf_u8(b, 0);		/* bus: ISA */
		acpi_buf_u8(b, o->source);
		acpi_buf_u32(b, o->gsi);
		acpi_buf_u16(b, o->flags);
	}

	/* LINT1 of every processor is the NMI pin. */
	acpi_buf_u8(b, MADT_LAPIC_NMI);
	acpi_buf_u8(b, 6);
	acpi_buf_u8(b, 0xff);			/* all processors */
	acpi_buf_u16(b, 0);			/* flags: conforming */
	acpi_buf_u8(b, cfg->lapic_nmi_lint);
	if (x2apic) {
		acpi_buf_u8(b, MADT_X2APIC_NMI);
		acpi_buf_u8(b, 12);
		acpi_buf_u16(b, 0);
		acpi_buf_u32(b, UINT32_MAX);	/* all processors */
		acpi_buf_u8(b, cfg->lapic_nmi_lint);
		acpi_buf_grow(b, 3);
	}
	acpi_table_end(bld, ACPI_FILE_TABLES, t);
	return t;
}

static uint32_t build_mcfg(struct acpi_builder *bld,
			   const struct acpi_config *cfg)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t t = acpi_table_begin(bld, ACPI_FILE_TABLES, "MCFG", 1);

	acpi_buf_u64(b, 0);			/* reserved */
	if (!cfg->ecam_off) {
		acpi_buf_u64(b, cfg->ecam_base);
		acpi_buf_u16(b, 0);		/* segment */
		acpi_buf_u8(b, 0);		/* start bus */
		acpi_buf_u8(b, 0xff);		/* end bus */
		acpi_buf_u32(b, 0);
	}
	acpi_table_end(bld, ACPI_FILE_TABLES, t);
	return t;
}

static uint32_t build_xsdt(struct acpi_builder *bld, const uint32_t *tables,
			   unsigned int nr)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t t = acpi_table_begin(bld, ACPI_FILE_TABLES, "XSDT", 1);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		uint32_t entry = (uint32_t)b->len;

		acpi_buf_u64(b, tables[i]);
		acpi_add_pointer(bld, ACPI_FILE_TABLES, entry,
				 ACPI_FILE_TABLES, 8);
	}
	acpi_table_end(bld, ACPI_FILE_TABLES, t);
	return t;
}

static void build_rsdp(struct acpi_builder *bld, uint32_t xsdt)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_RSDP];

	acpi_buf_put(b, "RSD PTR ", 8);
	acpi_buf_u8(b, 0);			/* checksum (first 20 bytes) */
	acpi_buf_put(b, ACPI_OEM_ID, 6);
	acpi_buf_u8(b, 2);			/* revision: ACPI 2.0+ */
	acpi_buf_u32(b, 0);			/* no RSDT */
	acpi_buf_u32(b, RSDP_SIZE);
	acpi_buf_u64(b, xsdt);
	acpi_buf_u8(b, 0);			/* extended checksum */
	acpi_buf_grow(b, 3);
	acpi_add_pointer(bld, ACPI_FILE_RSDP, 24, ACPI_FILE_TABLES, 8);
	acpi_add_checksum(bld, ACPI_FILE_RSDP, 8, 0, RSDP_V1_SIZE);
	acpi_add_checksum(bld, ACPI_FILE_RSDP, 32, 0, RSDP_SIZE);
}

static void builder_free(struct acpi_builder *bld)
{
	unsigned int i;

	for (i = 0; i < ACPI_NR_FILES; i++)
		acpi_buf_free(&bld->files[i]);
	free(bld->links);
}

int acpi_build(const struct acpi_config *cfg, struct acpi_tables *out)
{
	struct acpi_builder bld = { 0 };
	struct acpi_layout lay = { 0 };
	uint32_t entries[3];
	unsigned int nr = 0, i;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = config_check(cfg);
	if (ret)
		return ret;

	lay.facs = build_facs(&bld);
	lay.dsdt = acpi_build_dsdt(&bld, cfg);
	lay.fadt = build_fadt(&bld, cfg, lay.facs, lay.dsdt);
	entries[nr++] = lay.fadt;
	lay.madt = build_madt(&bld, cfg);
	entries[nr++] = lay.madt;
	if (cfg->pci) {
		lay.mcfg = build_mcfg(&bld, cfg);
		entries[nr++] = lay.mcfg;
	}
	lay.xsdt = build_xsdt(&bld, entries, nr);
	build_rsdp(&bld, lay.xsdt);

	ret = acpi_builder_err(&bld);
	if (ret) {
		builder_free(&bld);
		return ret;
	}
	out->files[ACPI_FILE_RSDP] = (struct acpi_file){
		.name = ACPI_RSDP_FILE_NAME, .align = 16,
		.zone = ACPI_ZONE_FSEG,
	};
	out->files[ACPI_FILE_TABLES] = (struct acpi_file){
		.name = ACPI_TABLES_FILE_NAME, .align = FACS_ALIGN,
		.zone = ACPI_ZONE_HIGH,
	};
	for (i = 0; i < ACPI_NR_FILES; i++) {
		out->files[i].data = bld.files[i].data;
		out->files[i].len = bld.files[i].len;
	}
	out->links = bld.links;
	out->nr_links = bld.nr_links;
	out->layout = lay;
	return 0;
}

int acpi_tables_pad(struct acpi_tables *t, size_t len)
{
	struct acpi_file *f = &t->files[ACPI_FILE_TABLES];
	uint8_t *p;

	if (f->len > len)
		return -E2BIG;
	p = realloc(f->data, len ? len : 1);
	if (!p)
		return -ENOMEM;
	memset(p + f->len, 0, len - f->len);
	f->data = p;
	f->len = len;
	return 0;
}

void acpi_tables_free(struct acpi_tables *t)
{
	unsigned int i;

	for (i = 0; i < ACPI_NR_FILES; i++)
		free(t->files[i].data);
	free(t->links);
	memset(t, 0, sizeof(*t));
}
