// SPDX-License-Identifier: GPL-2.0-only
/*
 * The table of virtio device kinds (machine/devices.c) and the one path
 * every device takes onto and off the PCI bus (machine/pci_setup.c), on a
 * VM the real vm_create() built on the simulated platform: devices in
 * table order, and a device added to and removed from a bus that runs
 * already (its slot and BAR space used again), as the control API will.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../coco/fwgen.h"
#include "../coco/kvm/harness.h"
#include "arch/x86/layout.h"
#include "devices/pci/pci.h"
#include "machine/devices.h"
#include "machine/pci_setup.h"

#define MEM	(512ULL << 20)

/* Configuration dword @reg of slot @slot on bus 0, through ports 0xcf8/0xcfc. */
static uint32_t conf_read(struct hm *h, unsigned int slot, unsigned int reg)
{
	uint32_t addr = 0x80000000u | slot << 11 | reg, v = 0;

	assert_int_equal(io_bus_dispatch(&h->vm.pio, 0xcf8, (uint8_t *)&addr, 4, true), 0);
	assert_int_equal(io_bus_dispatch(&h->vm.pio, 0xcfc, (uint8_t *)&v, 4, false), 0);
	return v;
}

static const struct vm_device_kind *kind(const char *name)
{
	unsigned int k;

	for (k = 0; k < vm_nr_device_kinds; k++)
		if (!strcmp(vm_device_kinds[k].name, name))
			return &vm_device_kinds[k];
	fail();
	return NULL;
}

static void test_table(void **state)
{
	struct vm_config cfg;

	config_init(&cfg);
	assert_false(vm_devices_wanted(&cfg));
	cfg.entropy = true;
	assert_true(vm_devices_wanted(&cfg));
	/* slot order: disks, network, entropy, vsock, console */
	assert_string_equal(vm_device_kinds[0].name, "virtio-blk");
	assert_string_equal(vm_device_kinds[1].name, "virtio-net");
	assert_string_equal(vm_device_kinds[2].name, "virtio-rng");
	assert_string_equal(vm_device_kinds[3].name, "virtio-vsock");
	assert_string_equal(vm_device_kinds[4].name, "virtio-con");
	assert_int_equal(vm_nr_device_kinds, 5);
	assert_non_null(kind("virtio-con")->console_input);
	config_free(&cfg);
}

static void test_add_remove_running(void **state)
{
	const struct vm_device_kind *rng = kind("virtio-rng");
	struct vm_pci_dev *d, *e;
	uint32_t bar;
	struct fwgen g;
	struct hm h;

	fwgen_ovmf(&g);
	hm_init(&h, "snp,policy=0x30000", fwgen_build(&g), g.size, 1, MEM);
	h.cfg.entropy = true;
	assert_int_equal(hm_build(&h, NULL), 0);
	assert_true(pci_setup_present(&h.vm));
	/* a firmware boot: the Q35 MCH, then the rng in slot 1, the LPC in 31 */
	assert_int_equal(conf_read(&h, 0, 0), 0x29c08086);
	assert_int_equal(conf_read(&h, 31, 0), 0x29188086);
	assert_int_equal(conf_read(&h, 1, 0), 0x10441af4);
	bar = conf_read(&h, 1, PCI_BASE_ADDRESS_0) & ~0xfu;
	assert_int_equal(bar, PCI_MMIO32_START);
	assert_int_equal(conf_read(&h, 2, 0), 0xffffffff);

	/* the bus runs: two more devices take slots 2, 3 and the next BARs */
	assert_int_equal(pci_setup_add(&h.vm, rng, 1, &d), 0);
	assert_int_equal(pci_setup_add(&h.vm, rng, 2, &e), 0);
	assert_int_equal(conf_read(&h, 2, 0), 0x10441af4);
	assert_int_equal(conf_read(&h, 2, PCI_BASE_ADDRESS_0) & ~0xfu, bar + 0x8000);
	assert_int_equal(conf_read(&h, 3, PCI_BASE_ADDRESS_0) & ~0xfu, bar + 0x10000);
	/* removed: the slot is empty */
	pci_setup_remove(&h.vm, d);
	assert_int_equal(conf_read(&h, 2, 0), 0xffffffff);
	pci_setup_remove(&h.vm, NULL);		/* not on the bus: nothing */
	/* the next device fills the hole: slot 2 and its BAR space again */
	assert_int_equal(pci_setup_add(&h.vm, rng, 3, &d), 0);
	assert_int_equal(conf_read(&h, 2, 0), 0x10441af4);
	assert_int_equal(conf_read(&h, 2, PCI_BASE_ADDRESS_0) & ~0xfu, bar + 0x8000);
	assert_int_equal(conf_read(&h, 3, PCI_BASE_ADDRESS_0) & ~0xfu, bar + 0x10000);
	hm_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_add_remove_running),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
