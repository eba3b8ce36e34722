// SPDX-License-Identifier: GPL-2.0-only
/*
 * fw_cfg DMA.  The descriptor address and every buffer address and length
 * come from the guest: the whole buffer is checked against guest RAM
 * before anything is copied (wrapping or partly outside RAM: error bit,
 * nothing transferred), and copies go region by region in bounded chunks
 * through guest_mem, so a 4 GiB length costs at most the guest's own RAM
 * and never allocates.
 */
#include <string.h>

#include "devices/fw_cfg/fw_cfg_internal.h"
#include "util/compiler.h"

#define DMA_CHUNK	(1u << 20)

/* [gpa, gpa + len) lies wholly in guest RAM (possibly several regions). */
static bool dma_range_ok(const struct guest_mem *mem, uint64_t gpa,
			 uint64_t len)
{
	unsigned int step;

	if (!len)
		return true;
	if (range_overflows(gpa, len))
		return false;
	/* Regions do not overlap, so each step enters a new one. */
	for (step = 0; step <= GUEST_MEM_MAX_REGIONS; step++) {
		const struct guest_region *r = guest_mem_region(mem, gpa, 1);
		uint64_t avail;

		if (!r || r->kind != GUEST_REGION_RAM)
			return false;
		avail = r->size - (gpa - r->gpa);
		if (avail >= len)
			return true;
		gpa += avail;
		len -= avail;
	}
	return false;
}

/* Largest piece at @gpa inside one region, at most @len and DMA_CHUNK. */
static uint64_t dma_piece(const struct guest_mem *mem, uint64_t gpa,
			  uint64_t len)
{
	const struct guest_region *r = guest_mem_region(mem, gpa, 1);
	uint64_t n = MIN(len, (uint64_t)DMA_CHUNK);

	if (!r)
		return 0;
	return MIN(n, r->size - (gpa - r->gpa));
}

/* Copy @src (or zeros when NULL) to guest [gpa, gpa + len). */
static void dma_to_guest(const struct guest_mem *mem, uint64_t gpa,
			 const uint8_t *src, uint64_t len)
{
	while (len) {
		uint64_t n = dma_piece(mem, gpa, len);
		uint8_t *dst = n ? guest_mem_ptr(mem, gpa, n) : NULL;

		if (!dst)
			return;		/* cannot happen after dma_range_ok */
		if (src) {
			memcpy(dst, src, n);
			src += n;
		} else {
			memset(dst, 0, n);
		}
		gpa += n;
		len -= n;
	}
}

static void dma_from_guest(const struct guest_mem *mem, uint64_t gpa,
			   uint8_t *dst, uint64_t len)
{
	while (len) {
		uint64_t n = dma_piece(mem, gpa, len);

		if (!n || guest_mem_read(mem, gpa, dst, n))
			return;		/* cannot happen after dma_range_ok */
		dst += n;
		gpa += n;
		len -= n;
	}
}

static void dma_status(struct fw_cfg *fc, uint64_t gpa, uint32_t control)
{
	uint8_t be[4];

	put_be32(be, control);
	/* Best effort: the control word may itself be outside RAM. */
	guest_mem_write(fc->mem, gpa, be, sizeof(be));
}

/* Returns the completion control word: 0 or FW_CFG_DMA_CTL_ERROR. */
static uint32_t dma_run(struct fw_cfg *fc, uint32_t control, uint32_t length,
			uint64_t addr)
{
	const struct guest_mem *mem = fc->mem;
	struct fw_cfg_item *it;
	uint32_t avail, n;

	if (control & FW_CFG_DMA_CTL_SELECT)
		fw_cfg_select(fc, (uint16_t)(control >> 16));
	it = fw_cfg_lookup(fc, fc->selector);
	avail = (it && it->data && fc->offset < it->len) ?
		it->len - fc->offset : 0;
	n = MIN(length, avail);

	/* Precedence as in QEMU: READ, then WRITE, then SKIP. */
	if (control & FW_CFG_DMA_CTL_READ) {
		if (!dma_range_ok(mem, addr, length))
			return FW_CFG_DMA_CTL_ERROR;
		dma_to_guest(mem, addr, n ? it->data + fc->offset : NULL, n);
		/* Past the end of the item the guest reads zeros. */
		dma_to_guest(mem, addr + n, NULL, length - n);
		fc->offset += n;
		return 0;
	}
	if (control & FW_CFG_DMA_CTL_WRITE) {
		if (!length)
			return 0;
		/* Only writable items, and only wholly inside them. */
		if (!it || !it->writable || length > avail ||
		    !dma_range_ok(mem, addr, length))
			return FW_CFG_DMA_CTL_ERROR;
		dma_from_guest(mem, addr, it->data + fc->offset, length);
		if (it->write_cb)
			it->write_cb(it->opaque, fc->offset, length);
		fc->offset += length;
		return 0;
	}
	if (control & FW_CFG_DMA_CTL_SKIP)
		fc->offset += n;
	/* No operation (or only SELECT / unknown bits): nothing to do. */
	return 0;
}

void fw_cfg_dma_transfer(struct fw_cfg *fc, uint64_t gpa)
{
	uint8_t desc[FW_CFG_DMA_ACCESS_SIZE];
	uint32_t control, length;
	uint64_t addr;

	if (!fc->mem)
		return;
	/* The descriptor must be in RAM: the device writes its status back. */
	if (!guest_mem_ptr(fc->mem, gpa, sizeof(desc)) ||
	    guest_mem_read(fc->mem, gpa, desc, sizeof(desc))) {
		dma_status(fc, gpa, FW_CFG_DMA_CTL_ERROR);
		return;
	}
	control = get_be32(desc);
	length = get_be32(desc + 4);
	addr = get_be64(desc + 8);
	dma_status(fc, gpa, dma_run(fc, control, length, addr));
}
