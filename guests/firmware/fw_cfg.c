// SPDX-License-Identifier: GPL-2.0-only
#include "fw_cfg.h"

#define DMA_SPINS	1000000

static bool have_dma;

void fw_cfg_select(uint16_t key)
{
	outw(FW_CFG_PORT_SEL, key);
}

void fw_cfg_read_bytes(void *buf, uint32_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t swab32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

static void put_be32(volatile uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t read_be32(const volatile uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
	       (uint32_t)p[3];
}

/*
 * One DMA request: FWCfgDmaAccess { be32 control; be32 length; be64 address; }
 * at FW_DMA_DESC.  The device clears control when it is done, or leaves
 * the ERROR bit set.
 */
static void dma_request(uint32_t control, uint32_t len, uint64_t addr)
{
	volatile uint8_t *d = phys(FW_DMA_DESC);
	uint64_t desc = FW_DMA_DESC;
	uint32_t c;
	long spins;

	put_be32(d, control);
	put_be32(d + 4, len);
	put_be32(d + 8, (uint32_t)(addr >> 32));
	put_be32(d + 12, (uint32_t)addr);
	__asm__ volatile("" ::: "memory");
	outl(FW_CFG_PORT_DMA_HI, swab32((uint32_t)(desc >> 32)));
	outl(FW_CFG_PORT_DMA_LO, swab32((uint32_t)desc));
	__asm__ volatile("" ::: "memory");
	for (spins = 0; spins < DMA_SPINS; spins++) {
		c = read_be32(d);
		if (c & FW_CFG_DMA_ERROR)
			fatal(FAIL_DMA, "fw_cfg DMA (control 0x%x, %u bytes at 0x%llx) "
			      "failed: the device set the error bit", control, len,
			      (unsigned long long)addr);
		if (!c)
			return;
		cpu_relax();
	}
	fatal(FAIL_DMA, "fw_cfg DMA (control 0x%x) did not complete: control 0x%x",
	      control, c);
}

void fw_cfg_read(void *buf, uint32_t len)
{
	uint8_t *p = buf;

	if (!have_dma) {
		fw_cfg_read_bytes(buf, len);
		return;
	}
	/* stage0 bounces 4 KiB chunks through a shared page (memory
	 * encryption); this firmware is never encrypted and reads them in
	 * place: the same requests, without the copy. */
	while (len) {
		uint32_t n = len < FW_CFG_DMA_CHUNK ? len : FW_CFG_DMA_CHUNK;

		dma_request(FW_CFG_DMA_READ, n, (uint64_t)(uintptr_t)p);
		p += n;
		len -= n;
	}
}

uint32_t fw_cfg_read_u32(uint16_t key)
{
	uint8_t b[4];

	fw_cfg_select(key);
	fw_cfg_read_bytes(b, 4);
	return get_le32(b);
}

uint16_t fw_cfg_read_u16(uint16_t key)
{
	uint8_t b[2];

	fw_cfg_select(key);
	fw_cfg_read_bytes(b, 2);
	return get_le16(b);
}

void fw_cfg_read_item(uint16_t key, void *buf, uint32_t len)
{
	fw_cfg_select(key);
	fw_cfg_read(buf, len);
}

void fw_cfg_init(void)
{
	uint8_t sig[4], features;

	/* stage0: signature (4 bytes), then the first byte of the ID item */
	fw_cfg_select(FW_CFG_SIGNATURE);
	fw_cfg_read_bytes(sig, 4);
	fw_cfg_select(FW_CFG_ID);
	fw_cfg_read_bytes(&features, 1);
	if (memcmp(sig, "QEMU", 4))
		fatal(FAIL_FW_CFG, "no fw_cfg device: signature %02x %02x %02x %02x, "
		      "expected \"QEMU\"", sig[0], sig[1], sig[2], sig[3]);
	if (features & ~(FW_CFG_F_TRADITIONAL | FW_CFG_F_DMA))
		fatal(FAIL_FW_CFG, "fw_cfg features 0x%x have unknown bits "
		      "(stage0 rejects them)", features);
	have_dma = features & FW_CFG_F_DMA;
	printf("cvmm-testfw: fw_cfg: signature QEMU, features 0x%x (%s)\n", features,
	       have_dma ? "DMA" : "no DMA: byte interface");
}

bool fw_cfg_find(const char *name, struct fw_cfg_file *f)
{
	uint8_t b[4], e[64];
	uint32_t count, i;
	size_t len = strlen(name);

	if (len >= FW_CFG_NAME_LEN)
		return false;
	fw_cfg_select(FW_CFG_FILE_DIR);
	fw_cfg_read_bytes(b, 4);
	count = get_be32(b);
	if (count > FW_CFG_MAX_DIR)
		fatal(FAIL_FW_CFG, "fw_cfg file directory claims %u files (at most %u)",
		      count, FW_CFG_MAX_DIR);
	for (i = 0; i < count; i++) {
		/* { be32 size; be16 select; u16 reserved; char name[56]; } */
		fw_cfg_read_bytes(e, sizeof(e));
		if (memcmp(e + 8, name, len + 1))
			continue;
		memcpy(f->name, e + 8, len + 1);
		f->size = get_be32(e);
		f->key = get_be16(e + 4);
		return true;
	}
	return false;
}

void fw_cfg_write(uint16_t key, uint32_t offset, const void *buf, uint32_t len)
{
	if (!have_dma)
		fatal(FAIL_ACPI, "fw_cfg write to item 0x%x needs DMA, which the device "
		      "does not offer", key);
	/* OVMF-style: the item is selected inside the DMA request */
	if (offset) {
		dma_request((uint32_t)key << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_SKIP,
			    offset, 0);
		dma_request(FW_CFG_DMA_WRITE, len, (uint64_t)(uintptr_t)buf);
	} else {
		dma_request((uint32_t)key << 16 | FW_CFG_DMA_SELECT | FW_CFG_DMA_WRITE,
			    len, (uint64_t)(uintptr_t)buf);
	}
}
