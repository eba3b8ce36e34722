// SPDX-License-Identifier: GPL-2.0-only
/* IDT, local APIC, IOAPIC and the 8259 (masked) for the test guests. */
#include "vguest.h"

#define LAPIC		0xfee00000ULL
#define LAPIC_ID	0x20
#define LAPIC_TPR	0x80
#define LAPIC_EOI	0xb0
#define LAPIC_SVR	0xf0
#define IOAPIC		0xfec00000ULL
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_TMICT	0x380
#define LAPIC_TDCR	0x3e0
#define VEC_SPURIOUS	0xff
#define VEC_TIMER	0xf0

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, attr;
	uint16_t off_mid;
	uint32_t off_hi, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
volatile uint32_t irq_count[256];
void (*intx_hook)(void);
uint8_t intx_vector;

extern char isr_stubs[];
void isr_dispatch(uint64_t vector, uint64_t rip);

void isr_dispatch(uint64_t vector, uint64_t rip)
{
	if (vector < 32) {
		printf("FAIL: exception %u at RIP 0x%llx\n", (unsigned int)vector,
		       (unsigned long long)rip);
		guest_exit(GUEST_FAIL);
	}
	irq_count[vector]++;
	if (vector == VEC_SPURIOUS)
		return;
	if (intx_hook && vector == intx_vector)
		intx_hook();
	wr32(LAPIC + LAPIC_EOI, 0);
}

uint8_t lapic_id(void)
{
	return (uint8_t)(rd32(LAPIC + LAPIC_ID) >> 24);
}

void irq_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };
	uint16_t cs;
	unsigned int i;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (i = 0; i < 256; i++) {
		uint64_t h = (uint64_t)isr_stubs + 16 * i;

		idt[i] = (struct idt_gate){
			.off_lo = (uint16_t)h, .sel = cs, .attr = 0x8e,
			.off_mid = (uint16_t)(h >> 16), .off_hi = (uint32_t)(h >> 32),
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
	/* the 8259s stay quiet: everything comes through the APICs */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	wr32(LAPIC + LAPIC_TPR, 0);
	wr32(LAPIC + LAPIC_SVR, 0x100 | VEC_SPURIOUS);
}

void irq_route_ioapic(unsigned int pin, uint8_t vector)
{
	wr32(IOAPIC, 0x10 + 2 * pin + 1);
	wr32(IOAPIC + 0x10, (uint32_t)lapic_id() << 24);
	wr32(IOAPIC, 0x10 + 2 * pin);
	wr32(IOAPIC + 0x10, vector);	/* fixed, physical, edge, high, unmasked */
	intx_vector = vector;
}

int irq_wait(volatile uint32_t *counter, uint32_t old, unsigned int ms)
{
	unsigned int i;

	wr32(LAPIC + LAPIC_TDCR, 0xb);		/* divide by 1 */
	wr32(LAPIC + LAPIC_LVT_TIMER, VEC_TIMER);	/* one-shot */
	for (i = 0; i < ms && *counter == old; i++) {
		/* KVM's APIC timer counts nanoseconds: a 1 ms wake-up */
		wr32(LAPIC + LAPIC_TMICT, 1000000);
		__asm__ volatile("cli" ::: "memory");
		if (*counter == old)
			__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
	wr32(LAPIC + LAPIC_TMICT, 0);
	return *counter != old ? 0 : -1;
}

int wait_change16(volatile uint16_t *p, uint16_t old, unsigned long spins)
{
	unsigned long n;

	if (!spins) {
		for (;;) {
			__asm__ volatile("cli" ::: "memory");
			if (*p != old)
				break;
			__asm__ volatile("sti; hlt" ::: "memory");
		}
		__asm__ volatile("cli" ::: "memory");
		return 0;
	}
	for (n = 0; n < spins; n++) {
		if (*p != old)
			return 0;
		(void)inb(0x80);	/* an exit: a steady unit of time */
	}
	return *p != old ? 0 : -1;
}
