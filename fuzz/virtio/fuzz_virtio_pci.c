// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI host bridge and the virtio-pci transport driven by a program of
 * guest accesses: configuration ports 0xcf8..0xcff, ECAM, the BAR window
 * (registers of a virtio-rng and a virtio-blk, moved around as the guest
 * likes), guest memory writes (rings), and event loop turns.  Each op is
 *   op (1), then per op: port/addr selector, size, value.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devices/pci/pci_host.h"
#include "devices/virtio/blk.h"
#include "devices/virtio/rng.h"
#include "fake_platform.h"

#define RAM		(256u << 10)
#define WIN		0xc0000000ULL
#define WIN_SIZE	0x100000ULL
#define ECAM		0xe0000000ULL
#define ECAM_SIZE	0x1000000ULL

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


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[4] = { 1, 2, 4, 8 };
	struct pci_host_config hc = {
		.mmio_start = WIN, .mmio_end = WIN + WIN_SIZE,
		.ecam_base = ECAM, .ecam_size = ECAM_SIZE,
		.intx_gsi = { 10, 11, 5, 15 }, .intx_edge = true,
	};
	struct input in = { data, size };
	struct fake_platform fp;
	struct guest_mem mem = { 0 };
	struct io_bus pio = { 0 }, mmio = { 0 };
	struct virtio_dev_env env = { .mem = &mem, .plat = &fp.plat };
	struct virtio_dev *rng = NULL, *blk = NULL;
	struct pci_host h;
	unsigned int ops = 0;
	int fd;

	if (guest_mem_add_ram(&mem, 0, RAM, GUEST_MEM_ANON, false, "ram"))
		return 0;
	fake_platform_init(&fp);
	if (pci_host_init(&h, &hc, &fp.plat))
		goto out_mem;
	fd = memfd_create("fuzz-disk", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 8192)) {
		if (fd >= 0)
			close(fd);
		goto out_host;
	}
	if (blk_dev_create_fd(fd, 8192, false, &env, &blk))
		goto out_host;
	if (rng_dev_create(&env, &rng))
		goto out_blk;
	if (pci_host_add_dev(&h, &rng->pci, 0) < 0 ||
	    pci_host_add_dev(&h, &blk->pci, 0) < 0 ||
	    pci_host_register(&h, &pio, &mmio))
		goto out_rng;

	while (in.left && ops++ < 4096) {
		uint8_t op = (uint8_t)take(&in, 1), b[8];
		uint32_t len = sizes[op >> 6];
		uint64_t addr, v;

		switch (op & 7) {
		case 0:		/* port write / read */
		case 1:
			addr = 0xcf8 + take(&in, 1) % 8;
			v = take(&in, 4);
			memcpy(b, &v, 8);
			if (len == 8)
				len = 4;
			io_bus_dispatch(&pio, addr, b, len, !(op & 1));
			break;
		case 2:		/* BAR window write / read */
		case 3:
			addr = WIN + take(&in, 3) % WIN_SIZE;
			v = take(&in, 8);
			memcpy(b, &v, 8);
			io_bus_dispatch(&mmio, addr, b, len, !(op & 1));
			break;
		case 4:		/* ECAM write / read */
		case 5:
			addr = ECAM + take(&in, 3) % ECAM_SIZE;
			v = take(&in, 8);
			memcpy(b, &v, 8);
			io_bus_dispatch(&mmio, addr, b, len, !(op & 1));
			break;
		case 6:		/* guest memory */
			addr = take(&in, 3) % (RAM - 8);
			v = take(&in, 8);
			guest_mem_write(&mem, addr, &v, 8);
			break;
		case 7:		/* the event loop turns; interrupts are acknowledged */
			fake_platform_run(&fp);
			break;
		}
	}
	fake_platform_run(&fp);
out_rng:
	virtio_dev_free(rng);
out_blk:
	virtio_dev_free(blk);
out_host:
	pci_host_destroy(&h);
	io_bus_free(&pio);
	io_bus_free(&mmio);
out_mem:
	guest_mem_free(&mem);
	return 0;
}
