// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg driven by a hostile guest: the input is a program of port
 * accesses, guest-memory writes and DMA descriptors (see the op list in
 * run_op()).  Guest memory is two small RAM regions with a hole between
 * them plus a ROM page.  The checks are ASan/UBSan's (host memory) and
 * ours: the ROM never changes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/x86/layout.h"
#include "devices/bus.h"
#include "devices/fw_cfg/fw_cfg.h"
#include "mem/guest_mem.h"

#define RAM0_BASE	0x0ULL
#define RAM0_SIZE	0x10000ULL
#define RAM1_BASE	0x20000ULL
#define RAM1_SIZE	0x10000ULL
#define ROM_BASE	0xfffff000ULL
#define ROM_SIZE	0x1000ULL

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

/* Copy up to @n (<= 16) input bytes into @b (zero-padded), consume them. */
static void take_bytes(struct input *in, uint8_t *b, unsigned int n)
{
	unsigned int k = in->left < n ? (unsigned int)in->left : n;

	memset(b, 0, n);
	memcpy(b, in->p, k);
	in->p += k;
	in->left -= k;
}

static struct guest_mem mem;
static uint8_t rom_image[ROM_SIZE];
static uint8_t writable[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned int i;

	for (i = 0; i < ROM_SIZE; i++)
		rom_image[i] = (uint8_t)(i * 13 + 1);
	if (guest_mem_add_ram(&mem, RAM0_BASE, RAM0_SIZE, GUEST_MEM_ANON,
			      false, "ram0") ||
	    guest_mem_add_ram(&mem, RAM1_BASE, RAM1_SIZE, GUEST_MEM_ANON,
			      false, "ram1") ||
	    guest_mem_add_rom(&mem, ROM_BASE, rom_image, ROM_SIZE, "rom"))
		abort();
	return 0;
}

/* Addresses biased towards the interesting edges. */
static uint64_t pick_addr(struct input *in)
{
	uint8_t mode = (uint8_t)take(in, 1);
	uint64_t v = take(in, mode & 0x80 ? 8 : 2);

	switch (mode & 7) {
	case 0: return v;
	case 1: return RAM0_BASE + v % (RAM0_SIZE + 32);
	case 2: return RAM0_BASE + RAM0_SIZE - v % 64;
	case 3: return RAM1_BASE - v % 64;
	case 4: return RAM1_BASE + RAM1_SIZE - v % 64;
	case 5: return ROM_BASE + v % (ROM_SIZE + 32);
	case 6: return ~0ULL - v % 64;
	default: return RAM1_BASE + v % RAM1_SIZE;
	}
}

static uint32_t pick_len(struct input *in)
{
	uint8_t mode = (uint8_t)take(in, 1);
	uint32_t v = (uint32_t)take(in, mode & 0x80 ? 4 : 2);

	if ((mode & 3) == 0)
		return v;			/* anything, up to 4 GiB */
	return v % 512;
}

static void put_be(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static void kick(struct io_bus *pio, uint64_t desc, int wide)
{
	uint8_t b[8];

	if (wide) {
		put_be(b, desc, 8);
		io_bus_dispatch(pio, PORT_FW_CFG_DMA, b, 8, true);
		return;
	}
	put_be(b, desc >> 32, 4);
	io_bus_dispatch(pio, PORT_FW_CFG_DMA, b, 4, true);
	put_be(b, desc, 4);
	io_bus_dispatch(pio, PORT_FW_CFG_DMA + 4, b, 4, true);
}

static void run_op(struct fw_cfg *fc, struct io_bus *pio, struct input *in)
{
	uint8_t op = (uint8_t)take(in, 1), b[16];
	uint64_t a;
	uint32_t n;

	switch (op % 8) {
	case 0:		/* select */
		a = take(in, 2);
		b[0] = (uint8_t)a;
		b[1] = (uint8_t)(a >> 8);
		io_bus_dispatch(pio, PORT_FW_CFG, b, 2, true);
		break;
	case 1:		/* data port reads */
		for (n = (uint32_t)take(in, 1); n; n--)
			io_bus_dispatch(pio, PORT_FW_CFG + 1, b, 1, false);
		break;
	case 2:		/* a DMA descriptor in memory, then the doorbell */
	case 7:
		a = pick_addr(in);
		put_be(b, take(in, 4), 4);		/* control */
		put_be(b + 4, pick_len(in), 4);		/* length */
		put_be(b + 8, pick_addr(in), 8);	/* address */
		guest_mem_write(&mem, a, b, 16);	/* may fail: hostile */
		kick(pio, a, op % 8 == 7);
		break;
	case 3:		/* raw register/port write */
		a = PORT_FW_CFG + take(in, 1) % 12;
		n = 1u << (take(in, 1) % 4);
		take_bytes(in, b, n);
		io_bus_dispatch(pio, a, b, n, true);
		break;
	case 4:		/* raw port read */
		a = PORT_FW_CFG + take(in, 1) % 12;
		n = 1u << (take(in, 1) % 4);
		io_bus_dispatch(pio, a, b, n, false);
		break;
	case 5:		/* scribble guest memory */
		a = pick_addr(in);
		n = (uint32_t)take(in, 1) % 16;
		take_bytes(in, b, n);
		guest_mem_write(&mem, a, b, n);
		break;
	case 6:		/* the machine adds a file while the guest runs */
		n = (uint32_t)take(in, 1) % 15 + 1;
		take_bytes(in, b, n);
		b[n] = 0;
		fw_cfg_add_file(fc, (const char *)b, in->p,
				in->left < 64 ? in->left : 64);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t kernel[3 * 512 + 100] = { [0x1f1] = 2 };
	struct fw_cfg_kernel k = {
		.image = kernel, .image_len = sizeof(kernel), .setup_sects = 2,
		.cmdline = "console=ttyS0", .borrow = true,
	};
	struct input in = { data, size };
	struct io_bus pio = { .name = "pio" };
	struct fw_cfg *fc;
	uint8_t rom_now[ROM_SIZE];
	unsigned int ops = 0;

	if (!mem.nr)
		LLVMFuzzerInitialize(NULL, NULL);
	guest_mem_fill(&mem, RAM0_BASE, 0, RAM0_SIZE);
	guest_mem_fill(&mem, RAM1_BASE, 0, RAM1_SIZE);
	memset(writable, 0, sizeof(writable));

	if (fw_cfg_new(&mem, &fc))
		abort();
	if (fw_cfg_register(fc, &pio) ||
	    fw_cfg_add_u64(fc, FW_CFG_RAM_SIZE, RAM0_SIZE + RAM1_SIZE) ||
	    fw_cfg_add_u16(fc, FW_CFG_NB_CPUS, 2) ||
	    fw_cfg_add_kernel(fc, &k) ||
	    fw_cfg_add_file(fc, "etc/e820", kernel, 40) ||
	    fw_cfg_add_file(fc, "etc/table-loader", kernel, 256) ||
	    fw_cfg_add_file_ex(fc, "etc/writable", writable, sizeof(writable),
			       FW_CFG_F_BORROW | FW_CFG_F_WRITABLE, NULL, NULL))
		abort();

	while (in.left && ops++ < 256)
		run_op(fc, &pio, &in);

	if (guest_mem_read(&mem, ROM_BASE, rom_now, ROM_SIZE) ||
	    memcmp(rom_now, rom_image, ROM_SIZE))
		abort();
	fw_cfg_free(fc);
	io_bus_free(&pio);
	return 0;
}
