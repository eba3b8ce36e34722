// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Q35 persona (devices/q35) driven by a program of guest accesses:
 * configuration ports 0xcf8..0xcff (MCH, LPC, two INTx devices), any port
 * (the PM block wherever PMBASE put it, port 0x92), any MMIO address below
 * 64 GiB (the window, the ECAM wherever PCIEXBAR put it, the RCRB), and
 * the devices' INTx levels.  Each op: op byte (bits 7:6 the size), then
 * its address and value bytes.  Afterwards every function still answers
 * with its read-only vendor and device IDs through the configuration ports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/q35/q35.h"
#include "fake_platform.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct input *in, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

static void on_request(void *opaque, enum vm_request req, int status)
{
}

static void on_changed(void *opaque)
{
	(*(unsigned int *)opaque)++;
}

static void run(struct input *in, struct io_bus *pio, struct io_bus *mmio, struct pci_dev *d)
{
	static const uint32_t sizes[4] = { 1, 2, 4, 8 };
	unsigned int ops = 0;

	while (in->left && ops++ < 4096) {
		uint8_t op = (uint8_t)take(in, 1), b[8];
		uint32_t len = sizes[op >> 6];
		uint64_t addr, v;

		switch (op & 7) {
		case 0:		/* configuration ports */
		case 1:
			addr = 0xcf8 + take(in, 1) % 8;
			v = take(in, 4);
			memcpy(b, &v, 8);
			io_bus_dispatch(pio, addr, b, len > 4 ? 4 : len, !(op & 1));
			break;
		case 2:		/* any port */
		case 3:
			addr = take(in, 2);
			v = take(in, 4);
			memcpy(b, &v, 8);
			io_bus_dispatch(pio, addr, b, len > 4 ? 4 : len, !(op & 1));
			break;
		case 4:		/* any MMIO address below 64 GiB */
		case 5:
			addr = take(in, 5) & 0xfffffffffULL;
			v = take(in, 8);
			memcpy(b, &v, 8);
			io_bus_dispatch(mmio, addr, b, len, !(op & 1));
			break;
		default:	/* INTx of device 0..2 */
			v = take(in, 1);
			pci_dev_set_irq(&d[v % 3], (v >> 7) & 1);
			break;
		}
	}
}

/* Vendor and device ID of 00:@slot.@fn read through 0xcf8/0xcfc. */
static uint32_t read_ids(struct io_bus *pio, unsigned int slot, unsigned int fn)
{
	uint32_t addr = 0x80000000u | slot << 11 | fn << 8, v = 0;

	io_bus_dispatch(pio, 0xcf8, (uint8_t *)&addr, 4, true);
	io_bus_dispatch(pio, 0xcfc, (uint8_t *)&v, 4, false);
	return v;
}

/* No sequence of guest accesses may change (or hide) a read-only ID. */
static void check_ids(struct io_bus *pio)
{
	static const struct { unsigned int slot, fn; uint32_t ids; } want[] = {
		{ 0, 0, 0x29c08086 }, { 0x1f, 0, 0x29188086 },
		{ 1, 0, 0x10441af4 }, { 25, 0, 0x10441af4 }, { 26, 0, 0x10441af4 },
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = read_ids(pio, want[i].slot, want[i].fn);
		if (v != want[i].ids) {
			fprintf(stderr, "fuzz_q35: 00:%02x.%u reads IDs %08x, not %08x\n",
				want[i].slot, want[i].fn, v, want[i].ids);
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct fake_platform fp;
	struct acpi_pm pm;
	struct q35 *q = calloc(1, sizeof(*q));
	struct pci_host h;
	struct io_bus pio = { 0 }, mmio = { 0 };
	struct vm_control ctl = { .request = on_request };
	struct pci_dev d[3];
	unsigned int changed = 0, i;
	struct q35_config qc = { .pm = &pm, .plat = &fp.plat, .changed = on_changed,
				 .opaque = &changed };
	struct pci_host_config hc = {
		.mmio_start = 0x20000000, .mmio_end = 0xfc000000, .alloc_start = 0xc0000000,
		.intx_edge = true,
	};

	if (!q)
		return 0;
	fake_platform_init(&fp);
	acpi_pm_init_ich9(&pm, &ctl);
	qc.ctl = ctl;
	q35_init(q, &qc);
	hc.root = &q->mch;
	hc.router = &q->router;
	if (pci_host_init(&h, &hc, &fp.plat))
		goto out;
	if (q35_attach(q, &h) || q35_register(q, &pio, &mmio) ||
	    pci_host_register(&h, &pio, &mmio))
		goto out_host;
	for (i = 0; i < 3; i++) {
		pci_dev_init(&d[i], 0x1af4, 0x1044, 0x00ff00, 1, 0x1af4, 0x1100, true, NULL, NULL);
		pci_dev_add_bar(&d[i], 0, 0x1000, false);
		if (pci_host_add_dev(&h, &d[i], i ? 24 + i : 1) < 0)	/* slots 1, 25, 26 */
			goto out_host;
	}
	run(&in, &pio, &mmio, d);
	check_ids(&pio);
out_host:
	pci_host_destroy(&h);
out:
	io_bus_free(&pio);
	io_bus_free(&mmio);
	q35_destroy(q);
	acpi_pm_destroy(&pm);
	free(q);
	return 0;
}
