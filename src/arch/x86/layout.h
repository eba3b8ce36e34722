/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_LAYOUT_H
#define CVMM_ARCH_X86_LAYOUT_H

/*
 * The guest physical and I/O port map of a cvmm x86-64 machine.
 *
 *   0x0000_0000 .. 0x0009_fc00   RAM (boot structures below, see BOOT_*)
 *   0x0009_fc00 .. 0x000a_0000   reserved: EBDA, holds the MP table
 *   0x000a_0000 .. 0x000e_0000   hole (legacy VGA/option ROM area)
 *   0x000e_0000 .. 0x0010_0000   reserved: ACPI tables (direct boot), BIOS
 *   0x0010_0000 .. LOW_RAM_END   RAM
 *   0xc000_0000 .. 0xe000_0000   PCI MMIO window (32-bit BARs)
 *   0xe000_0000 .. 0xf000_0000   PCIe ECAM (256 buses)
 *   0xfec0_0000                  IOAPIC
 *   0xfee0_0000                  local APICs
 *   0xfeff_c000 .. 0xff00_0000   KVM identity map + TSS (3 pages)
 *   4 GiB - ROM size .. 4 GiB    firmware ROM (up to 16 MiB)
 *   0x1_0000_0000 ..             RAM above 4 GiB when RAM > LOW_RAM_END
 *
 * The Q35 persona (--machine q35, the default with --firmware) differs as
 * QEMU's -M q35: RAM stays below 4 GiB up to 2.75 GiB, a larger RAM has
 * 2 GiB below and the rest above 4 GiB (confidential launches keep the
 * split above, which their launch plans measure); the 32-bit BAR window
 * is [top of low RAM, 0xfc00_0000) minus the ECAM, which the guest places
 * with PCIEXBAR; BARs are pre-assigned from 0xc000_0000; the ACPI PM block
 * is where the guest's PMBASE puts it (0x600 for OVMF).
 */

#define LOW_RAM_END		0xc0000000ULL		/* 3 GiB */
#define HIGH_RAM_START		0x100000000ULL		/* 4 GiB */

#define EBDA_START		0x9fc00ULL
#define EBDA_END		0xa0000ULL
#define BIOS_AREA_START		0xe0000ULL
#define BIOS_AREA_END		0x100000ULL
#define HIMEM_START		0x100000ULL

#define MPTABLE_START		0xf0000ULL		/* inside the BIOS area Linux scans */
#define ACPI_TABLES_START	BIOS_AREA_START		/* direct boot */
#define ACPI_TABLES_MAX		0x10000ULL		/* 0xe0000..0xf0000 */

#define PCI_MMIO32_START	0xc0000000ULL
#define PCI_MMIO32_END		0xe0000000ULL
#define PCI_ECAM_START		0xe0000000ULL
#define PCI_ECAM_SIZE		0x10000000ULL
#define Q35_LOW_RAM_ALL_BELOW	0xb0000000ULL		/* all RAM low below 2.75 GiB */
#define Q35_LOW_RAM_SPLIT	0x80000000ULL		/* else 2 GiB low */
#define Q35_PCI_WINDOW_END	0xfc000000ULL
#define IOAPIC_ADDR		0xfec00000ULL
#define LAPIC_ADDR		0xfee00000ULL
#define KVM_IDENTITY_MAP_ADDR	0xfeffc000ULL
#define KVM_TSS_ADDR		0xfeffd000ULL
#define FIRMWARE_MAX_SIZE	(16ULL << 20)
#define FIRMWARE_END		0x100000000ULL

/* Boot structures written by the VMM for direct kernel boots. */
#define BOOT_GDT_ADDR		0x500ULL
#define BOOT_IDT_ADDR		0x540ULL		/* after the 5-entry GDT */
#define BOOT_PML4_ADDR		0x1000ULL
#define BOOT_PDPT_ADDR		0x2000ULL
#define BOOT_PD_ADDR		0x3000ULL		/* 4 pages: 4 GiB of 2 MiB pages */
#define BOOT_PARAMS_ADDR	0x7000ULL		/* zero page / hvm_start_info */
#define BOOT_PVH_MEMMAP_ADDR	0x8000ULL
#define BOOT_CMDLINE_ADDR	0x20000ULL
#define BOOT_CMDLINE_MAX	0x10000ULL
#define BOOT_STACK_TOP		0x8ff0ULL
#define KERNEL_DEFAULT_ADDR	0x1000000ULL		/* 16 MiB */

/* I/O ports */
#define PORT_COM1		0x3f8
#define IRQ_COM1		4
#define PORT_I8042_DATA		0x60
#define PORT_I8042_CMD		0x64
#define PORT_CMOS		0x70
#define PORT_RESET_CF9		0xcf9
#define PORT_PCI_CONFIG		0xcf8
#define PORT_DEBUGCON		0x402
#define PORT_FW_CFG		0x510
#define PORT_FW_CFG_DMA		0x514
#define PORT_ACPI_PM1_EVT	0x600		/* PM1a_EVT_BLK, 4 bytes */
#define PORT_ACPI_PM1_CNT	0x604		/* PM1a_CNT_BLK, 2 bytes */
#define PORT_ACPI_PM_TMR	0x608		/* PM_TMR_BLK, 4 bytes */
#define PORT_Q35_PM_BASE	0x600		/* OVMF's PMBASE (the ACPI tables' until set) */
#define ACPI_SCI_IRQ		9
#define ACPI_SLP_TYP_S5		5		/* value of \_S5 and SLP_TYP for power-off */
#define ACPI_RESET_VALUE	0x06		/* FADT RESET_REG: write 6 to 0xcf9 */

#endif
