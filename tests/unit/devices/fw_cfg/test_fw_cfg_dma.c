// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg DMA: read, skip, select, write, and hostile descriptors (outside
 * RAM, crossing the end of RAM, wrapping, huge lengths, the ERROR bit,
 * unknown control bits, writes to read-only items, ROM), all with real
 * guest memory.  Plus concurrent vCPU-like threads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "harness.h"

#define DESC	0x1000ULL
#define BUF	0x2000ULL

#define RD	FW_CFG_DMA_CTL_READ
#define SK	FW_CFG_DMA_CTL_SKIP
#define SEL(k)	(FW_CFG_DMA_CTL_SELECT | (uint32_t)(k) << 16)
#define WR	FW_CFG_DMA_CTL_WRITE
#define ERR	FW_CFG_DMA_CTL_ERROR

static const uint8_t pattern[40] = "0123456789abcdefghijklmnopqrstuvwxyzABCD";

static void fill(struct rig *r, uint64_t gpa, int c, uint64_t len)
{
	assert_int_equal(guest_mem_fill(&r->mem, gpa, c, len), 0);
}

static void expect_bytes(struct rig *r, uint64_t gpa, int c, uint64_t len)
{
	const uint8_t *p = guest_mem_ptr(&r->mem, gpa, len);
	uint64_t i;

	assert_non_null(p);
	for (i = 0; i < len; i++)
		assert_int_equal(p[i], (uint8_t)c);
}

static uint16_t setup_file(struct rig *r, const char *name, uint32_t len)
{
	uint16_t key;

	assert_int_equal(fw_cfg_add_file(r->fc, name, pattern, len), 0);
	assert_int_equal(fw_cfg_file_key(r->fc, name, &key), 0);
	return key;
}

static void test_dma_read(void **state)
{
	struct rig r;
	uint16_t key;

	rig_init(&r, 1);
	key = setup_file(&r, "etc/test", 40);

	/* SELECT + READ of the signature */
	fill(&r, BUF, 0xaa, 64);
	assert_int_equal(fw_dma(&r, DESC, SEL(FW_CFG_SIGNATURE) | RD, 4, BUF),
			 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), "QEMU", 4);
	expect_bytes(&r, BUF + 4, 0xaa, 60);

	/* Partial reads continue at the item offset */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 10, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 10), pattern, 10);
	assert_int_equal(fw_dma(&r, DESC, RD, 10, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 10), pattern + 10, 10);

	/* SKIP, then READ past the end: the tail is zero-filled */
	assert_int_equal(fw_dma(&r, DESC, SK, 15, 0), 0);
	fill(&r, BUF, 0xaa, 64);
	assert_int_equal(fw_dma(&r, DESC, RD, 16, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 5), pattern + 35, 5);
	expect_bytes(&r, BUF + 5, 0, 11);
	expect_bytes(&r, BUF + 16, 0xaa, 48);

	/* DMA and the data port share the offset */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | SK, 3, 0), 0);
	{
		uint8_t b[2];

		fw_read(&r, b, 2);
		assert_memory_equal(b, pattern + 3, 2);
	}
	assert_int_equal(fw_dma(&r, DESC, RD, 2, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 2), pattern + 5, 2);

	/* SELECT alone rewinds; no transfer */
	fill(&r, BUF, 0xaa, 8);
	assert_int_equal(fw_dma(&r, DESC, SEL(key), 8, BUF), 0);
	expect_bytes(&r, BUF, 0xaa, 8);
	assert_int_equal(fw_dma(&r, DESC, RD, 1, BUF), 0);
	assert_int_equal(*(uint8_t *)guest_mem_ptr(&r.mem, BUF, 1), '0');

	/* The 64-bit register write (MMIO style) works too */
	assert_int_equal(fw_dma64(&r, DESC, SEL(FW_CFG_ID) | RD, 4, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), "\x03\0\0\0", 4);

	/* Reading the directory by DMA */
	assert_int_equal(fw_dma(&r, DESC, SEL(FW_CFG_FILE_DIR) | RD, 68, BUF),
			 0);
	assert_int_equal(get_be32(guest_mem_ptr(&r.mem, BUF, 4)), 1);
	assert_int_equal(get_be16(guest_mem_ptr(&r.mem, BUF + 8, 2)), key);
	assert_string_equal((char *)guest_mem_ptr(&r.mem, BUF + 12, 56),
			    "etc/test");

	/* Zero length: nothing happens, no error */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 0, ~0ULL), 0);
	/* Reading an unknown key gives zeros */
	fill(&r, BUF, 0xaa, 8);
	assert_int_equal(fw_dma(&r, DESC, SEL(0x7777) | RD, 8, BUF), 0);
	expect_bytes(&r, BUF, 0, 8);
	rig_free(&r);
}

static uint32_t cb_off, cb_len, cb_calls;

static void write_cb(void *opaque, uint32_t off, uint32_t len)
{
	cb_off = off;
	cb_len = len;
	cb_calls++;
	assert_ptr_equal(opaque, &cb_calls);
}

static void test_dma_write(void **state)
{
	struct rig r;
	uint8_t target[8] = { 0 };
	uint16_t ro, rw;

	rig_init(&r, 1);
	ro = setup_file(&r, "ro", 8);
	assert_int_equal(fw_cfg_add_file_ex(r.fc, "rw", target, 8,
					    FW_CFG_F_BORROW | FW_CFG_F_WRITABLE,
					    write_cb, &cb_calls), 0);
	assert_int_equal(fw_cfg_file_key(r.fc, "rw", &rw), 0);
	assert_int_equal(fw_cfg_file_key(r.fc, "ro", &ro), 0);

	memcpy(guest_mem_ptr(&r.mem, BUF, 8), "ABCDEFGH", 8);
	/* Read-only items refuse writes */
	assert_int_equal(fw_dma(&r, DESC, SEL(ro) | WR, 4, BUF), ERR);
	assert_int_equal(fw_dma(&r, DESC, SEL(FW_CFG_SIGNATURE) | WR, 4, BUF),
			 ERR);
	assert_int_equal(fw_dma(&r, DESC, SEL(0x7777) | WR, 4, BUF), ERR);
	/* Writable: skip 2, write 4 */
	assert_int_equal(fw_dma(&r, DESC, SEL(rw) | SK, 2, 0), 0);
	assert_int_equal(fw_dma(&r, DESC, WR, 4, BUF), 0);
	assert_memory_equal(target, "\0\0ABCD\0\0", 8);
	assert_int_equal(cb_calls, 1);
	assert_int_equal(cb_off, 2);
	assert_int_equal(cb_len, 4);
	/* Past the end of the item: error, nothing written */
	assert_int_equal(fw_dma(&r, DESC, WR, 3, BUF), ERR);
	assert_memory_equal(target, "\0\0ABCD\0\0", 8);
	assert_int_equal(cb_calls, 1);
	/* Exactly to the end is fine */
	assert_int_equal(fw_dma(&r, DESC, WR, 2, BUF + 6), 0);
	assert_memory_equal(target, "\0\0ABCDGH", 8);
	/* Source buffer outside RAM: error, nothing written */
	assert_int_equal(fw_dma(&r, DESC, SEL(rw) | WR, 8, RAM_SIZE - 4), ERR);
	assert_memory_equal(target, "\0\0ABCDGH", 8);
	/* READ takes precedence over WRITE (as in QEMU) */
	assert_int_equal(fw_dma(&r, DESC, SEL(rw) | RD | WR, 2, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 2), "\0\0", 2);
	rig_free(&r);
}

static void test_dma_hostile_addresses(void **state)
{
	struct rig r;
	uint16_t key;
	uint32_t c;

	rig_init(&r, 1);
	key = setup_file(&r, "etc/test", 40);

	/* Descriptor outside RAM: ignored, nothing crashes, nothing copied */
	fill(&r, BUF, 0xaa, 4);
	fw_dma(&r, 0x80000000ULL, SEL(key) | RD, 4, BUF);
	fw_dma(&r, ~0ULL, SEL(key) | RD, 4, BUF);
	fw_dma(&r, ~0ULL - 7, SEL(key) | RD, 4, BUF);
	expect_bytes(&r, BUF, 0xaa, 4);
	/* Descriptor straddling the end of RAM: the control word (inside
	 * RAM) gets the error bit. */
	fill(&r, RAM_SIZE - 8, 0, 8);
	fw_dma(&r, RAM_SIZE - 8, SEL(key) | RD, 4, BUF);
	c = get_be32(guest_mem_ptr(&r.mem, RAM_SIZE - 8, 4));
	assert_int_equal(c, ERR);

	/* Buffer crossing the end of RAM: error, not one byte written */
	fill(&r, RAM_SIZE - 4, 0x55, 4);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 16, RAM_SIZE - 4),
			 ERR);
	expect_bytes(&r, RAM_SIZE - 4, 0x55, 4);
	/* Buffer wholly outside RAM */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 16, 0x100000000ULL),
			 ERR);
	/* Wrapping around the address space */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 0x20, ~0ULL - 0xf),
			 ERR);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 1, ~0ULL), ERR);
	/* Huge lengths: error, no work, nothing written */
	fill(&r, 0, 0x66, 0x1000);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 0xffffffff, 0), ERR);
	expect_bytes(&r, 0, 0x66, 0x1000);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 0xffffffff, BUF),
			 ERR);
	/* A failed read does not move the offset */
	assert_int_equal(fw_dma(&r, DESC, RD, 4, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), pattern, 4);
	/* A huge SKIP touches no memory: clamps at the end of the item */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | SK, 0xffffffff, ~0ULL), 0);
	fill(&r, BUF, 0xaa, 4);
	assert_int_equal(fw_dma(&r, DESC, RD, 4, BUF), 0);
	expect_bytes(&r, BUF, 0, 4);
	/* Reading the whole RAM (descriptor included) is allowed */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, RAM_SIZE, 0),
			 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, 0, 40), pattern, 40);
	expect_bytes(&r, 40, 0, DESC - 40);
	rig_free(&r);
}

/*
 * dma_range_ok() at the exact end of a RAM region (issue 21): a buffer
 * that ends on the last byte of RAM is fine; one byte more is an error
 * with nothing transferred, in both directions and for a buffer that
 * crosses into an adjacent region which ends one byte short.
 */
static void test_dma_one_byte_past_ram(void **state)
{
	uint8_t target[40] = { 0 };
	struct rig r;
	uint16_t key, rw;

	rig_init(&r, 1);
	key = setup_file(&r, "etc/test", 40);
	assert_int_equal(fw_cfg_add_file_ex(r.fc, "rw", target, sizeof(target),
					    FW_CFG_F_BORROW | FW_CFG_F_WRITABLE, NULL, NULL), 0);
	assert_int_equal(fw_cfg_file_key(r.fc, "rw", &rw), 0);

	/* READ ending exactly at the end of RAM */
	fill(&r, RAM_SIZE - 40, 0x55, 40);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40, RAM_SIZE - 40), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, RAM_SIZE - 40, 40), pattern, 40);
	/* one byte past it: error, not one byte written */
	fill(&r, RAM_SIZE - 39, 0x55, 39);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40, RAM_SIZE - 39), ERR);
	expect_bytes(&r, RAM_SIZE - 39, 0x55, 39);
	/* a 1-byte buffer at the last byte of RAM, and 2 bytes there */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 1, RAM_SIZE - 1), 0);
	assert_int_equal(*(uint8_t *)guest_mem_ptr(&r.mem, RAM_SIZE - 1, 1), pattern[0]);
	fill(&r, RAM_SIZE - 1, 0x55, 1);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 2, RAM_SIZE - 1), ERR);
	expect_bytes(&r, RAM_SIZE - 1, 0x55, 1);

	/* WRITE whose source ends one byte past RAM: error, item unchanged */
	memcpy(guest_mem_ptr(&r.mem, RAM_SIZE - 40, 40), pattern, 40);
	assert_int_equal(fw_dma(&r, DESC, SEL(rw) | WR, 40, RAM_SIZE - 39), ERR);
	for (unsigned int i = 0; i < sizeof(target); i++)
		assert_int_equal(target[i], 0);
	assert_int_equal(fw_dma(&r, DESC, SEL(rw) | WR, 40, RAM_SIZE - 40), 0);
	assert_memory_equal(target, pattern, 40);

	/* across two adjacent regions, one byte past the second */
	assert_int_equal(guest_mem_add_ram(&r.mem, RAM_SIZE, 0x1000, GUEST_MEM_ANON,
					   false, "ram2"), 0);
	fill(&r, RAM_SIZE - 20, 0x55, 20);
	fill(&r, RAM_SIZE, 0x55, 0x1000);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 20 + 0x1000 + 1, RAM_SIZE - 20), ERR);
	expect_bytes(&r, RAM_SIZE - 20, 0x55, 20);
	expect_bytes(&r, RAM_SIZE, 0x55, 0x1000);
	/* exactly to its end: the item, then zeros past the item's end */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 20 + 0x1000, RAM_SIZE - 20), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, RAM_SIZE - 20, 20), pattern, 20);
	assert_memory_equal(guest_mem_ptr(&r.mem, RAM_SIZE, 20), pattern + 20, 20);
	expect_bytes(&r, RAM_SIZE + 20, 0, 0x1000 - 20);
	rig_free(&r);
}

static void test_dma_control_bits(void **state)
{
	struct rig r;
	uint16_t key;

	rig_init(&r, 1);
	key = setup_file(&r, "etc/test", 40);
	/* The ERROR bit as input means nothing: completes with 0 */
	assert_int_equal(fw_dma(&r, DESC, ERR, 4, BUF), 0);
	fill(&r, BUF, 0xaa, 4);
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD | ERR, 4, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), pattern, 4);
	/* Unknown bits are ignored like QEMU does */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD | 0xffe0, 4, BUF), 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), pattern, 4);
	assert_int_equal(fw_dma(&r, DESC, 0xffe0, 4, BUF), 0);
	/* No operation bits at all: no transfer */
	fill(&r, BUF, 0xaa, 4);
	assert_int_equal(fw_dma(&r, DESC, 0, 4, BUF), 0);
	expect_bytes(&r, BUF, 0xaa, 4);
	/* The address register resets after each request: with high = 1 the
	 * request at 4 GiB + DESC (not RAM) is dropped; the next low-half
	 * write alone then uses high = 0 and runs the descriptor at DESC. */
	fill(&r, BUF, 0xaa, 4);
	{
		/* control = SELECT(0) | READ, length 4, address BUF */
		uint8_t d[16] = { 0, 0, 0, 0x0a, 0, 0, 0, 4 };

		for (int i = 0; i < 8; i++)
			d[8 + i] = (uint8_t)(BUF >> (56 - 8 * i));
		assert_int_equal(guest_mem_write(&r.mem, DESC, d, 16), 0);
	}
	outl(&r, PORT_FW_CFG_DMA, __builtin_bswap32(0x1));
	outl(&r, PORT_FW_CFG_DMA + 4, __builtin_bswap32((uint32_t)DESC));
	expect_bytes(&r, BUF, 0xaa, 4);
	assert_int_equal(get_be32(guest_mem_ptr(&r.mem, DESC, 4)),
			 SEL(FW_CFG_SIGNATURE) | RD);
	outl(&r, PORT_FW_CFG_DMA + 4, __builtin_bswap32((uint32_t)DESC));
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), "QEMU", 4);
	assert_int_equal(get_be32(guest_mem_ptr(&r.mem, DESC, 4)), 0);
	/* Unaligned or odd-sized register writes are ignored: they neither
	 * start the request at DESC nor leave bits in the high half, so a
	 * low-half write alone still runs it afterwards. */
	fill(&r, BUF, 0xaa, 4);
	{
		uint8_t d[16] = { 0, 0, 0, 0x0a, 0, 0, 0, 4 };
		/* DESC as a big-endian low half or whole address, should a
		 * handler read 4 or 8 bytes */
		uint8_t lo[4] = { 0, 0, 0x10, 0 }, hi[4] = { 1, 1, 1, 1 };
		uint8_t all[8] = { 0, 0, 0, 0, 0, 0, 0x10, 0 };

		for (int i = 0; i < 8; i++)
			d[8 + i] = (uint8_t)(BUF >> (56 - 8 * i));
		assert_int_equal(guest_mem_write(&r.mem, DESC, d, 16), 0);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA, hi, 1, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA, hi, 2, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA + 2, lo + 2, 2, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA + 4, lo, 1, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA + 4, lo, 2, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA + 4, all, 2, true);
		io_bus_dispatch(&r.pio, PORT_FW_CFG_DMA + 6, lo + 2, 2, true);
	}
	expect_bytes(&r, BUF, 0xaa, 4);
	assert_int_equal(get_be32(guest_mem_ptr(&r.mem, DESC, 4)),
			 SEL(FW_CFG_SIGNATURE) | RD);
	outl(&r, PORT_FW_CFG_DMA + 4, __builtin_bswap32((uint32_t)DESC));
	assert_memory_equal(guest_mem_ptr(&r.mem, BUF, 4), "QEMU", 4);
	assert_int_equal(get_be32(guest_mem_ptr(&r.mem, DESC, 4)), 0);
	rig_free(&r);
}

static void test_dma_regions(void **state)
{
	struct rig r;
	uint8_t rom[4096];
	uint16_t key;

	rig_init(&r, 1);
	/* A second RAM region right after the first, one after a gap, and
	 * a ROM. */
	assert_int_equal(guest_mem_add_ram(&r.mem, RAM_SIZE, RAM_SIZE,
					   GUEST_MEM_ANON, false, "ram2"), 0);
	assert_int_equal(guest_mem_add_ram(&r.mem, 4 * RAM_SIZE, RAM_SIZE,
					   GUEST_MEM_ANON, false, "ram3"), 0);
	memset(rom, 0x77, sizeof(rom));
	assert_int_equal(guest_mem_add_rom(&r.mem, 0xfffff000ULL, rom,
					   sizeof(rom), "rom"), 0);
	key = setup_file(&r, "etc/test", 40);

	/* Across two adjacent RAM regions: fine */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40, RAM_SIZE - 20),
			 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, RAM_SIZE - 20, 20),
			    pattern, 20);
	assert_memory_equal(guest_mem_ptr(&r.mem, RAM_SIZE, 20),
			    pattern + 20, 20);
	/* Across a hole: error */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40,
				2 * RAM_SIZE - 20), ERR);
	/* Into ROM: error, ROM unchanged */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40, 0xfffff000ULL),
			 ERR);
	assert_int_equal(guest_mem_read(&r.mem, 0xfffff000ULL, rom, 40), 0);
	for (unsigned int i = 0; i < 40; i++)
		assert_int_equal(rom[i], 0x77);
	/* Descriptor in ROM: the request is refused, ROM unchanged */
	fw_dma(&r, 0xfffff100ULL, SEL(key) | RD, 4, BUF);
	assert_int_equal(guest_mem_read(&r.mem, 0xfffff100ULL, rom, 4), 0);
	assert_memory_equal(rom, "\x77\x77\x77\x77", 4);
	/* Into the high region */
	assert_int_equal(fw_dma(&r, DESC, SEL(key) | RD, 40, 4 * RAM_SIZE),
			 0);
	assert_memory_equal(guest_mem_ptr(&r.mem, 4 * RAM_SIZE, 40), pattern,
			    40);
	rig_free(&r);
}

/* vCPU threads racing on the same device: every request carries its own
 * SELECT, so each must still see consistent data. */
struct racer {
	struct rig *r;
	uint64_t desc, buf;
	uint16_t key;
	const uint8_t *expect;
	uint32_t len;
	int failures;
};

static void *race(void *arg)
{
	struct racer *x = arg;
	int i;

	for (i = 0; i < 2000; i++) {
		if (fw_dma(x->r, x->desc, SEL(x->key) | RD, x->len, x->buf) ||
		    memcmp(guest_mem_ptr(&x->r->mem, x->buf, x->len),
			   x->expect, x->len))
			x->failures++;
	}
	return NULL;
}

static void test_dma_threads(void **state)
{
	struct rig r;
	struct racer x[2];
	pthread_t t[2];
	int i;

	rig_init(&r, 1);
	x[0] = (struct racer){ .r = &r, .desc = 0x3000, .buf = 0x4000,
			       .expect = pattern, .len = 40 };
	x[1] = (struct racer){ .r = &r, .desc = 0x5000, .buf = 0x6000,
			       .key = FW_CFG_SIGNATURE,
			       .expect = (const uint8_t *)"QEMU", .len = 4 };
	x[0].key = setup_file(&r, "etc/test", 40);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race, &x[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	/* The address register is shared by all vCPUs, as in QEMU; with
	 * descriptors below 4 GiB the high half is always 0, so interleaved
	 * register writes cannot mix requests up. */
	assert_int_equal(x[0].failures, 0);
	assert_int_equal(x[1].failures, 0);
	rig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dma_read),
		cmocka_unit_test(test_dma_write),
		cmocka_unit_test(test_dma_hostile_addresses),
		cmocka_unit_test(test_dma_one_byte_past_ram),
		cmocka_unit_test(test_dma_control_bits),
		cmocka_unit_test(test_dma_regions),
		cmocka_unit_test(test_dma_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
