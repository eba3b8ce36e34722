// SPDX-License-Identifier: GPL-2.0-only
/*
 * The DSDT, written as AML directly:
 *
 *   Name (\_S5, Package (4) { typ, typ, 0, 0 })
 *   Scope (\_SB) {
 *     Device (COM1) { _HID PNP0501, _UID 1, _STA 0xf,
 *                     _CRS { IO (port, 8), IRQNoFlags (irq) } }
 *     Device (FWCF) { _HID "QEMU0002", _STA 0xb, _CRS { IO (port, 12) } }
 *     Device (PCI0) { _HID PNP0A08, _CID PNP0A03, _SEG 0, _BBN 0, _UID 0,
 *                     _CRS { buses 0-255, IO 0xcf8/8, IO window,
 *                            MMIO32 window (two ranges around a hole),
 *                            [MMIO64 window] }, [_PRT] }
 *     Device (MRES) { _HID PNP0C02, _CRS { Memory32Fixed (ECAM) } }  [ECAM on]
 *   }
 */
#include "arch/x86/acpi/aml.h"
#include "arch/x86/acpi/build.h"
#include "arch/x86/layout.h"

#define DSDT_REVISION	2	/* 64-bit integers */

/*
 * Device (@name) { _HID @hid (EISA id), _UID @uid, _STA 0xf, _CRS @res };
 * frees @res.
 */
static void build_pnp_device(struct acpi_buf *b, const char *name,
			     const char *hid, uint64_t uid, struct acpi_buf *res)
{
	size_t dev = aml_device_begin(b, name);

	aml_name_eisaid(b, "_HID", hid);
	aml_name_integer(b, "_UID", uid);
	aml_name_integer(b, "_STA", 0xf);
	aml_name(b, "_CRS");
	aml_resource_template(b, res);
	aml_end(b, dev);
	acpi_buf_free(res);
}

static void build_com1(struct acpi_buf *b, const struct acpi_config *cfg)
{
	struct acpi_buf res;

	acpi_buf_init(&res);
	aml_res_io(&res, cfg->com1_port, cfg->com1_port, 1, 8);
	aml_res_irq_noflags(&res, (uint16_t)(1u << cfg->com1_irq));
	build_pnp_device(b, "COM1", "PNP0501", 1, &res);
}

/* QEMU's fw_cfg device, so Linux's qemu_fw_cfg driver can find it. */
static void build_fw_cfg(struct acpi_buf *b, const struct acpi_config *cfg)
{
	struct acpi_buf res;
	size_t dev;

	acpi_buf_init(&res);
	aml_res_io(&res, cfg->fw_cfg_port, cfg->fw_cfg_port, 1, 12);

	dev = aml_device_begin(b, "FWCF");
	aml_name_string_obj(b, "_HID", "QEMU0002");
	aml_name_integer(b, "_STA", 0xb);	/* present, enabled, no UI */
	aml_name(b, "_CRS");
	aml_resource_template(b, &res);
	aml_end(b, dev);
	acpi_buf_free(&res);
}

/* _PRT: legacy INTx routing straight to GSIs (no link devices). */
static void build_prt(struct acpi_buf *b, const struct acpi_config *cfg)
{
	unsigned int slot, pin;
	size_t pkg;

	aml_name(b, "_PRT");
	pkg = aml_package_begin(b, 32 * 4);
	for (slot = 0; slot < 32; slot++) {
		for (pin = 0; pin < 4; pin++) {
			size_t e = aml_package_begin(b, 4);

			aml_integer(b, ((uint64_t)slot << 16) | 0xffff);
			aml_integer(b, pin);
			aml_integer(b, 0);	/* Source: none, GSI below */
			aml_integer(b, cfg->pci_prt_table ? cfg->pci_prt_gsi[slot][pin] :
				    cfg->pci_intx_gsi[(slot + pin) % 4]);
			aml_end(b, e);
		}
	}
	aml_end(b, pkg);
}

static void build_pci(struct acpi_buf *b, const struct acpi_config *cfg)
{
	struct acpi_buf res;
	size_t dev;

	acpi_buf_init(&res);
	aml_res_word_bus(&res, 0, 0xff);
	aml_res_io(&res, PORT_PCI_CONFIG, PORT_PCI_CONFIG, 1, 8);
	aml_res_word_io(&res, cfg->pci_io_start, 0xffff);
	if (cfg->pci_mmio32_hole_end) {
		aml_res_dword_mem(&res, false, cfg->pci_mmio32_start,
				  cfg->pci_mmio32_hole_start - 1);
		aml_res_dword_mem(&res, false, cfg->pci_mmio32_hole_end,
				  cfg->pci_mmio32_end - 1);
	} else {
		aml_res_dword_mem(&res, false, cfg->pci_mmio32_start,
				  cfg->pci_mmio32_end - 1);
	}
	if (cfg->pci_mmio64_size)
		aml_res_qword_mem(&res, true, cfg->pci_mmio64_start,
				  cfg->pci_mmio64_start +
				  cfg->pci_mmio64_size - 1);

	dev = aml_device_begin(b, "PCI0");
	aml_name_eisaid(b, "_HID", "PNP0A08");
	aml_name_eisaid(b, "_CID", "PNP0A03");
	aml_name_integer(b, "_SEG", 0);
	aml_name_integer(b, "_BBN", 0);
	aml_name_integer(b, "_UID", 0);
	aml_name_integer(b, "_STA", 0xf);
	aml_name(b, "_CRS");
	aml_resource_template(b, &res);
	if (cfg->pci_intx)
		build_prt(b, cfg);
	aml_end(b, dev);
	acpi_buf_free(&res);

	/* Motherboard resources: the ECAM, so Linux trusts the MCFG. */
	if (cfg->ecam_off)
		return;
	acpi_buf_init(&res);
	aml_res_mem32_fixed(&res, true, (uint32_t)cfg->ecam_base,
			    (uint32_t)PCI_ECAM_SIZE);
	build_pnp_device(b, "MRES", "PNP0C02", 0, &res);
}

uint32_t acpi_build_dsdt(struct acpi_builder *bld,
			 const struct acpi_config *cfg)
{
	struct acpi_buf *b = &bld->files[ACPI_FILE_TABLES];
	uint32_t t = acpi_table_begin(bld, ACPI_FILE_TABLES, "DSDT",
				      DSDT_REVISION);
	size_t pkg, sb;

	aml_name(b, "\\_S5");
	pkg = aml_package_begin(b, 4);
	aml_integer(b, cfg->slp_typ_s5);
	aml_integer(b, cfg->slp_typ_s5);
	aml_integer(b, 0);
	aml_integer(b, 0);
	aml_end(b, pkg);

	sb = aml_scope_begin(b, "\\_SB");
	if (cfg->com1)
		build_com1(b, cfg);
	if (cfg->fw_cfg_port)
		build_fw_cfg(b, cfg);
	if (cfg->pci)
		build_pci(b, cfg);
	aml_end(b, sb);

	acpi_table_end(bld, ACPI_FILE_TABLES, t);
	return t;
}
