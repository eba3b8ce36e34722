// SPDX-License-Identifier: GPL-2.0-only
/*
 * machine/irqchip.c on the simulated platform: the in-kernel irqchip
 * (KVM_CREATE_IRQCHIP + PIT, levels through KVM_IRQ_LINE) and the split
 * one (cvmm's IOAPIC on the MMIO bus, MSIs through KVM_SIGNAL_MSI, EOIs).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../coco/kvm/harness.h"
#include "arch/x86/layout.h"
#include "machine/irqchip.h"

static void test_in_kernel(void **state)
{
	struct sim_config amd = { .platform = COCO_SNP };
	struct io_bus mmio = { .name = "mmio" };
	struct irqchip ic;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(irqchip_create(&ic, &h.vm, false, 2, &mmio), 0);
	assert_false(ic.split);
	/* KVM's irqchip exists: a second one is refused, lines work */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -EEXIST);
	assert_int_equal(irqchip_set_level(&ic, 4, 1), 0);
	/* no userspace IOAPIC: its EOI exit is not ours */
	assert_false(irqchip_eoi(&ic, 0x24));
	assert_int_equal(io_bus_dispatch(&mmio, IOAPIC_ADDR, (uint8_t[4]){ 0 }, 4, false),
			 -ENOENT);
	irqchip_destroy(&ic);
	io_bus_free(&mmio);
	hs_close(&h);
}

static void test_split(void **state)
{
	struct sim_config intel = { .platform = COCO_TDX };
	struct io_bus mmio = { .name = "mmio" };
	uint8_t b[4] = { 0 };
	struct irqchip ic;
	uint64_t addr;
	uint32_t data;
	unsigned int n;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(irqchip_create(&ic, &h.vm, true, 3, &mmio), 0);
	assert_true(ic.split);
	/* the split irqchip is KVM's: no full one beside it */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_CREATE_IRQCHIP, NULL), -EEXIST);
	/* the IOAPIC's ID is the vCPU count */
	b[0] = IOAPIC_ID;
	assert_int_equal(io_bus_dispatch(&mmio, IOAPIC_ADDR, b, 4, true), 0);
	assert_int_equal(io_bus_dispatch(&mmio, IOAPIC_ADDR + 0x10, b, 4, false), 0);
	assert_int_equal(b[3], 3);
	/* pin 9 unmasked, level, vector 0x31, APIC 0: asserted -> one MSI */
	b[0] = IOAPIC_REDTBL + 2 * 9;
	assert_int_equal(io_bus_dispatch(&mmio, IOAPIC_ADDR, b, 4, true), 0);
	b[0] = 0x31; b[1] = 0x80; b[2] = 0; b[3] = 0;
	assert_int_equal(io_bus_dispatch(&mmio, IOAPIC_ADDR + 0x10, b, 4, true), 0);
	n = sim_nr_msis(h.s);
	assert_int_equal(irqchip_set_level(&ic, 9, 1), 0);
	assert_int_equal(sim_nr_msis(h.s), n + 1);
	assert_int_equal(sim_msi_get(h.s, n, &addr, &data), 0);
	assert_int_equal(addr, 0xfee00000ULL);
	assert_int_equal(data, 0x31 | 1u << 15);
	/* still asserted: the EOI exit fires it again */
	assert_true(irqchip_eoi(&ic, 0x31));
	assert_int_equal(sim_nr_msis(h.s), n + 2);
	assert_int_equal(irqchip_send_msi(&ic, 0xfee00000ULL, 0x40), 0);
	assert_int_equal(sim_nr_msis(h.s), n + 3);
	irqchip_destroy(&ic);
	io_bus_free(&mmio);
	hs_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_kernel),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
