// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/layout.h"
#include "harness.h"

void rig_init(struct rig *r, int dma)
{
	memset(r, 0, sizeof(*r));
	r->pio.name = "pio";
	assert_int_equal(guest_mem_add_ram(&r->mem, 0, RAM_SIZE,
					   GUEST_MEM_ANON, false, "ram"), 0);
	assert_int_equal(fw_cfg_new(dma ? &r->mem : NULL, &r->fc), 0);
	assert_int_equal(fw_cfg_register(r->fc, &r->pio), 0);
}

void rig_free(struct rig *r)
{
	fw_cfg_free(r->fc);
	io_bus_free(&r->pio);
	guest_mem_free(&r->mem);
}

static void out(struct rig *r, uint16_t port, uint64_t v, uint32_t len)
{
	uint8_t b[8];
	uint32_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	io_bus_dispatch(&r->pio, port, b, len, true);
}

void outw(struct rig *r, uint16_t port, uint16_t v)
{
	out(r, port, v, 2);
}

void outl(struct rig *r, uint16_t port, uint32_t v)
{
	out(r, port, v, 4);
}

uint8_t inb(struct rig *r, uint16_t port)
{
	uint8_t b = 0x5a;

	io_bus_dispatch(&r->pio, port, &b, 1, false);
	return b;
}

uint32_t inl(struct rig *r, uint16_t port)
{
	uint8_t b[4];

	io_bus_dispatch(&r->pio, port, b, 4, false);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

void fw_select(struct rig *r, uint16_t key)
{
	outw(r, PORT_FW_CFG, key);
}

void fw_read(struct rig *r, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(r, PORT_FW_CFG + 1);
}

uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t bswap(uint32_t v)
{
	return __builtin_bswap32(v);
}

static void put_desc(struct rig *r, uint64_t desc, uint32_t control,
		     uint32_t length, uint64_t addr)
{
	uint8_t d[16];
	int i;

	for (i = 0; i < 4; i++) {
		d[i] = (uint8_t)(control >> (24 - 8 * i));
		d[4 + i] = (uint8_t)(length >> (24 - 8 * i));
	}
	for (i = 0; i < 8; i++)
		d[8 + i] = (uint8_t)(addr >> (56 - 8 * i));
	/* The descriptor may be (partly) outside RAM in hostile tests. */
	guest_mem_write(&r->mem, desc, d, sizeof(d));
}

static uint32_t get_control(struct rig *r, uint64_t desc)
{
	uint8_t c[4] = { 0xee, 0xee, 0xee, 0xee };

	guest_mem_read(&r->mem, desc, c, 4);
	return get_be32(c);
}

uint32_t fw_dma(struct rig *r, uint64_t desc, uint32_t control,
		uint32_t length, uint64_t addr)
{
	put_desc(r, desc, control, length, addr);
	/* As stage0/OVMF: outl(bswap(high), 0x514); outl(bswap(low), 0x518) */
	outl(r, PORT_FW_CFG_DMA, bswap((uint32_t)(desc >> 32)));
	outl(r, PORT_FW_CFG_DMA + 4, bswap((uint32_t)desc));
	return get_control(r, desc);
}

uint32_t fw_dma64(struct rig *r, uint64_t desc, uint32_t control,
		  uint32_t length, uint64_t addr)
{
	uint8_t b[8];
	int i;

	put_desc(r, desc, control, length, addr);
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(desc >> (56 - 8 * i));
	io_bus_dispatch(&r->pio, PORT_FW_CFG_DMA, b, 8, true);
	return get_control(r, desc);
}
