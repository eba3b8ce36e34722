// SPDX-License-Identifier: GPL-2.0-only
/*
 * ICH9 INTx routing for the Q35 persona (q35.h): device pins to PIRQ A-H,
 * PIRQ n to GSI 16 + n, and to the ISA IRQ its route register names.
 */
#include "devices/q35/q35_internal.h"

#define PIRQ_IRQ_MASK		0x0f

/* The RCRB offsets of D25IR .. D31IR (D30IR is fixed: INTx -> PIRQ E-H). */
static const uint16_t dnn_ir[7] = { 0x3150, 0x314c, 0x3148, 0x3146, 0x3144, 0, 0x3140 };

static unsigned int q35_intx_map(void *opaque, unsigned int slot, unsigned int pin)
{
	struct q35 *q = opaque;
	unsigned int ir;

	if (slot < 25)
		return 4 + (slot + pin - 1) % 4;	/* QEMU's default: PIRQ E-H */
	if (slot == 30 || slot > 31)
		return 4 + (pin - 1) % 4;
	/* DnnIR: 4 bits per pin, the low 3 name the PIRQ */
	pthread_mutex_lock(&q->lock);
	ir = pci_get16(&q->rcrb[dnn_ir[slot - 25]]);
	pthread_mutex_unlock(&q->lock);
	return (ir >> (4 * ((pin - 1) & 3))) & 7;
}

static void set_gsi(struct q35 *q, uint32_t gsi, int level)
{
	struct platform *p = q->cfg.plat;

	if (p)
		p->ops->irq_set(p, gsi, level);
}

/* ISA IRQ @irq: the OR of the PIRQs routed to it (lock held). */
static void isa_update(struct q35 *q, unsigned int irq)
{
	unsigned int n;
	int level = 0;

	for (n = 0; n < Q35_NR_PIRQS; n++) {
		uint8_t r = q->pirq_route[n];

		if (!(r & Q35_LPC_PIRQ_DISABLE) && (r & PIRQ_IRQ_MASK) == irq)
			level |= q->pirq_level[n];
	}
	if (level != q->isa_level[irq]) {
		q->isa_level[irq] = level;
		set_gsi(q, irq, level);
	}
}

void q35_irq_reroute(struct q35 *q)
{
	unsigned int irq, n;

	for (n = 0; n < Q35_NR_PIRQS; n++)
		q->pirq_route[n] = q->lpc.cfg[n < 4 ? Q35_LPC_PIRQA + n : Q35_LPC_PIRQE + n - 4];
	for (irq = 0; irq < 16; irq++)
		isa_update(q, irq);
}

static void q35_intx_set(void *opaque, unsigned int line, int level)
{
	struct q35 *q = opaque;
	uint8_t r;

	pthread_mutex_lock(&q->lock);
	q->pirq_level[line] = level;
	set_gsi(q, Q35_PIRQ_GSI_BASE + line, level);
	r = q->pirq_route[line];
	if (!(r & Q35_LPC_PIRQ_DISABLE))
		isa_update(q, r & PIRQ_IRQ_MASK);
	pthread_mutex_unlock(&q->lock);
}

void q35_irq_init(struct q35 *q)
{
	q->router = (struct pci_intx_router){
		.map = q35_intx_map, .set = q35_intx_set, .opaque = q,
		.nr_lines = Q35_NR_PIRQS,
	};
}
