// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "arch/x86/mptable.h"
#include "util/compiler.h"

struct mpf_intel {
	char signature[4];		/* "_MP_" */
	uint32_t physptr;
	uint8_t length;			/* in 16-byte units: 1 */
	uint8_t specification;		/* 4 = MP spec 1.4 */
	uint8_t checksum;
	uint8_t feature1;
	uint8_t feature2;
	uint8_t feature3[3];
} __packed;

struct mpc_table {
	char signature[4];		/* "PCMP" */
	uint16_t length;
	uint8_t spec;
	uint8_t checksum;
	char oem[8];
	char productid[12];
	uint32_t oemptr;
	uint16_t oemsize;
	uint16_t oemcount;
	uint32_t lapic;
	uint32_t reserved;
} __packed;

struct mpc_cpu {
	uint8_t type;			/* 0 */
	uint8_t apicid;
	uint8_t apicver;
	uint8_t cpuflag;		/* bit0 enabled, bit1 BSP */
	uint32_t cpufeature;
	uint32_t featureflag;
	uint32_t reserved[2];
} __packed;

struct mpc_bus {
	uint8_t type;			/* 1 */
	uint8_t busid;
	char bustype[6];
} __packed;

struct mpc_ioapic {
	uint8_t type;			/* 2 */
	uint8_t apicid;
	uint8_t apicver;
	uint8_t flags;
	uint32_t apicaddr;
} __packed;

struct mpc_intsrc {
	uint8_t type;			/* 3 = I/O interrupt, 4 = local */
	uint8_t irqtype;		/* 0 INT, 1 NMI, 3 ExtINT */
	uint16_t irqflag;
	uint8_t srcbus;
	uint8_t srcbusirq;
	uint8_t dstapic;
	uint8_t dstirq;
} __packed;

BUILD_BUG_ON(sizeof(struct mpf_intel) != 16);
BUILD_BUG_ON(sizeof(struct mpc_table) != 44);
BUILD_BUG_ON(sizeof(struct mpc_cpu) != 20);
BUILD_BUG_ON(sizeof(struct mpc_intsrc) != 8);

#define MP_APIC_VERSION		0x14
#define MP_NR_ISA_IRQS		16

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return (uint8_t)-sum;
}

uint64_t mptable_size(unsigned int nr_vcpus)
{
	return sizeof(struct mpf_intel) + sizeof(struct mpc_table) +
	       nr_vcpus * sizeof(struct mpc_cpu) + sizeof(struct mpc_bus) +
	       sizeof(struct mpc_ioapic) +
	       /* ISA IRQs but 2 (IRQ 0 takes pin 2), then LINT0 and LINT1 */
	       (MP_NR_ISA_IRQS - 1 + 2) * sizeof(struct mpc_intsrc);
}

/* One processor entry per vCPU (APIC ID = index), vCPU 0 the BSP. */
static uint8_t *mp_cpus(uint8_t *p, unsigned int nr_vcpus)
{
	unsigned int i;

	for (i = 0; i < nr_vcpus; i++) {
		struct mpc_cpu cpu = {
			.type = 0, .apicid = (uint8_t)i, .apicver = MP_APIC_VERSION,
			.cpuflag = 1 | (i == 0 ? 2 : 0),
			.cpufeature = 0x600, .featureflag = 0x201,	/* FPU, APIC */
		};

		memcpy(p, &cpu, sizeof(cpu));
		p += sizeof(cpu);
	}
	return p;
}

/* The ISA bus, the IOAPIC, the ISA IRQs on its pins and LINT0/LINT1. */
static uint8_t *mp_bus_and_irqs(uint8_t *p, uint8_t ioapic_id)
{
	struct mpc_bus bus = { .type = 1, .busid = 0 };
	struct mpc_ioapic ioapic = {
		.type = 2, .apicid = ioapic_id, .apicver = 0x11,
		.flags = 1, .apicaddr = (uint32_t)IOAPIC_ADDR,
	};
	/* LINT0 = ExtINT, LINT1 = NMI on every local APIC */
	struct mpc_intsrc lint[2] = {
		{ .type = 4, .irqtype = 3, .srcbus = 0, .srcbusirq = 0, .dstapic = 0xff,
		  .dstirq = 0 },
		{ .type = 4, .irqtype = 1, .srcbus = 0, .srcbusirq = 0, .dstapic = 0xff,
		  .dstirq = 1 },
	};
	unsigned int i;

	memcpy(bus.bustype, "ISA   ", 6);
	memcpy(p, &bus, sizeof(bus));
	p += sizeof(bus);
	memcpy(p, &ioapic, sizeof(ioapic));
	p += sizeof(ioapic);
	for (i = 0; i < MP_NR_ISA_IRQS; i++) {
		struct mpc_intsrc src = {
			.type = 3, .irqtype = 0, .irqflag = 0, .srcbus = 0,
			.srcbusirq = (uint8_t)i, .dstapic = ioapic_id,
			/* the PIT (IRQ0) is wired to IOAPIC pin 2 */
			.dstirq = (uint8_t)(i == 0 ? 2 : i),
		};

		if (i == 2)
			continue;	/* pin 2 is taken by IRQ0 */
		memcpy(p, &src, sizeof(src));
		p += sizeof(src);
	}
	memcpy(p, lint, sizeof(lint));
	return p + sizeof(lint);
}

int mptable_write(const struct guest_mem *mem, uint64_t gpa,
		  unsigned int nr_vcpus)
{
	uint64_t size = mptable_size(nr_vcpus);
	uint8_t ioapic_id = (uint8_t)nr_vcpus;	/* after the LAPIC ids */
	struct mpf_intel *mpf;
	struct mpc_table *mpc;
	uint8_t *buf, *p;
	int ret;

	if (!nr_vcpus || nr_vcpus > 254)
		return -EINVAL;
	buf = calloc(1, size);
	if (!buf)
		return -ENOMEM;
	mpf = (struct mpf_intel *)buf;
	mpc = (struct mpc_table *)(buf + sizeof(*mpf));
	p = mp_cpus((uint8_t *)(mpc + 1), nr_vcpus);
	p = mp_bus_and_irqs(p, ioapic_id);

	memcpy(mpc->signature, "PCMP", 4);
	mpc->length = (uint16_t)(p - (uint8_t *)mpc);
	mpc->spec = 4;
	memcpy(mpc->oem, "CVMM    ", 8);
	memcpy(mpc->productid, "000000000000", 12);
	mpc->lapic = (uint32_t)LAPIC_ADDR;
	mpc->oemcount = (uint16_t)(nr_vcpus + 1 + 1 + (MP_NR_ISA_IRQS - 1) + 2);
	mpc->checksum = checksum(mpc, mpc->length);

	memcpy(mpf->signature, "_MP_", 4);
	mpf->physptr = (uint32_t)(gpa + sizeof(*mpf));
	mpf->length = 1;
	mpf->specification = 4;
	mpf->checksum = checksum(mpf, sizeof(*mpf));

	ret = guest_mem_write(mem, gpa, buf, (uint64_t)(p - buf));
	free(buf);
	return ret;
}
