// SPDX-License-Identifier: GPL-2.0-only
/*
 * An Intel MP 1.4 table for FW_CFG_NB_CPUS processors (APIC ids 0..n-1),
 * an ISA bus, the IOAPIC and the ISA interrupts (IRQ0 on pin 2), in the
 * last KiB below 640 KiB where Linux looks for it.  Not something stage0
 * does (it relies on the ACPI MADT): the project's test kernel is built
 * without ACPI, so this is how it learns the vCPU count behind firmware.
 */
#include "fw.h"

#define LAPIC_ADDR	0xfee00000u
#define IOAPIC_ADDR	0xfec00000u
#define MP_MAX_CPUS	32		/* fits the 1 KiB area */
#define NR_ISA_IRQS	16

void mptable_write(uint64_t addr, unsigned int nr_cpus)
{
	uint8_t *mpf = phys(addr), *mpc = mpf + 16, *p = mpc + 44;
	uint8_t ioapic_id = (uint8_t)nr_cpus;
	unsigned int i, entries = 0;

	if (nr_cpus > MP_MAX_CPUS) {
		printf("cvmm-testfw: %u CPUs: the MP table lists the first %d\n",
		       nr_cpus, MP_MAX_CPUS);
		nr_cpus = MP_MAX_CPUS;
		ioapic_id = MP_MAX_CPUS;
	}
	memset(mpf, 0, FW_EBDA_END - addr);
	for (i = 0; i < nr_cpus; i++, entries++, p += 20) {
		p[0] = 0;			/* processor */
		p[1] = (uint8_t)i;		/* local APIC id */
		p[2] = 0x14;			/* local APIC version */
		p[3] = i ? 1 : 3;		/* enabled, BSP */
		put_le32(p + 4, 0x600);		/* signature */
		put_le32(p + 8, 0x201);		/* features: FPU, APIC */
	}
	p[0] = 1;				/* bus 0: ISA */
	memcpy(p + 2, "ISA   ", 6);
	p += 8;
	p[0] = 2;				/* IOAPIC */
	p[1] = ioapic_id;
	p[2] = 0x11;
	p[3] = 1;
	put_le32(p + 4, IOAPIC_ADDR);
	p += 8;
	entries += 2;
	for (i = 0; i < NR_ISA_IRQS; i++) {
		if (i == 2)
			continue;		/* pin 2 carries IRQ0 */
		p[0] = 3;			/* I/O interrupt, INT, bus default */
		p[4] = 0;			/* source bus */
		p[5] = (uint8_t)i;		/* bus IRQ */
		p[6] = ioapic_id;
		p[7] = (uint8_t)(i ? i : 2);
		p += 8;
		entries++;
	}
	p[0] = 4;				/* LINT0: ExtINT */
	p[1] = 3;
	p[6] = 0xff;
	p[7] = 0;
	p += 8;
	p[0] = 4;				/* LINT1: NMI */
	p[1] = 1;
	p[6] = 0xff;
	p[7] = 1;
	p += 8;
	entries += 2;

	memcpy(mpc, "PCMP", 4);
	put_le16(mpc + 4, (uint16_t)(p - mpc));
	mpc[6] = 4;				/* spec 1.4 */
	memcpy(mpc + 8, "CVMMTFW ", 8);
	memcpy(mpc + 16, "000000000000", 12);
	put_le16(mpc + 34, (uint16_t)entries);
	put_le32(mpc + 36, LAPIC_ADDR);
	mpc[7] = (uint8_t)-sum8(mpc, (uint64_t)(p - mpc));

	memcpy(mpf, "_MP_", 4);
	put_le32(mpf + 4, (uint32_t)(addr + 16));
	mpf[8] = 1;				/* length in paragraphs */
	mpf[9] = 4;
	mpf[10] = (uint8_t)-sum8(mpf, 16);
	printf("cvmm-testfw: MP table for %u CPUs at 0x%llx\n", nr_cpus,
	       (unsigned long long)addr);
}
