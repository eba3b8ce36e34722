/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Q35 probe ROM (q35probe*.c): OVMF's PlatformPei sequence against a
 * Q35 chipset, one printed line per result.  The same ROM runs under cvmm
 * and under QEMU -M q35; tests/firmware/q35-check.sh compares the two
 * transcripts byte for byte after masking time values (printed as
 * "~<decimal>").
 */
#ifndef Q35PROBE_H
#define Q35PROBE_H

#include "fw.h"

#define PR			"q35probe: "

/* Q35 host bridge (00:00.0) and ICH9 LPC (00:1f.0) registers */
#define MCH_PCIEXBAR		0x60
#define LPC_DEV			31
#define LPC_PMBASE		0x40
#define LPC_ACPI_CNTL		0x44
#define LPC_ACPI_EN		0x80
#define LPC_PIRQA		0x60
#define LPC_PIRQE		0x68
#define LPC_RCBA		0xf0
#define PM_BASE_OVMF		0x600
#define PM1_CNT			4
#define PM_TMR			8
#define PM1_SCI_EN		0x0001
#define PM1_SLP_EN		0x2000

#define ECAM_2022		0xb0000000u	/* edk2-stable202211 */
#define ECAM_2023		0xe0000000u	/* edk2-stable202305 and later */
#define PCI_WINDOW_END		0xfc000000u

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t mmio_read32(uint64_t addr)
{
	return *(volatile uint32_t *)phys(addr);
}

static inline uint16_t mmio_read16(uint64_t addr)
{
	return *(volatile uint16_t *)phys(addr);
}

static inline uint8_t mmio_read8(uint64_t addr)
{
	return *(volatile uint8_t *)phys(addr);
}

static inline void mmio_write32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)phys(addr) = v;
}

static inline void mmio_write16(uint64_t addr, uint16_t v)
{
	*(volatile uint16_t *)phys(addr) = v;
}

static inline void mmio_write8(uint64_t addr, uint8_t v)
{
	*(volatile uint8_t *)phys(addr) = v;
}

/* q35probe_pci.c: configuration space through ports 0xcf8/0xcfc */
uint32_t conf1_read32(unsigned int dev, unsigned int off);
uint16_t conf1_read16(unsigned int dev, unsigned int off);
uint8_t conf1_read8(unsigned int dev, unsigned int off);
void conf1_write32(unsigned int dev, unsigned int off, uint32_t v);
void conf1_write16(unsigned int dev, unsigned int off, uint16_t v);
void conf1_write8(unsigned int dev, unsigned int off, uint8_t v);

/* ... and through the ECAM at @ecam */
uint64_t ecam_addr(uint32_t ecam, unsigned int dev, unsigned int off);

/*
 * Size every memory BAR of bus 0 (through the ECAM at @ecam), assign them
 * bottom-up from @base (largest first, naturally aligned, below @limit),
 * turn memory decoding on and check a virtio device answers at its BAR.
 */
void pci_assign_bars(uint32_t ecam, uint32_t base, uint32_t limit, const char *what);
/* Scan bus 0 through the ECAM at @ecam and print what is there. */
void pci_scan(uint32_t ecam);
/* OVMF's BDS: PIRQ routes, each device's Interrupt Line, then INTx delivery. */
void pci_pirq(uint32_t ecam);
/* q35probe_irq.c: a virtio device at @dev asserts INTA (PIRQ @pirq, ISA @irq). */
void pci_intx(uint32_t ecam, unsigned int dev, unsigned int pirq, unsigned int irq);
/* q35probe_acpi.c: MCFG, FACP and \_S5 as firmware would read them now. */
void probe_acpi(void);
void probe_kernel_items(void);
/* q35probe.c: the PM timer at the programmed PMBASE (24 bits). */
uint32_t probe_pm_now(void);

#endif
