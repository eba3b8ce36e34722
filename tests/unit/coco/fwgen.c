// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "coco/fw/fw_table.h"
#include "coco/fw/sev_meta.h"
#include "coco/fw/tdvf.h"
#include "fwgen.h"

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Write entry [data | u16 size | guid] ending at *end; move *end back. */
static void entry(uint8_t *img, size_t *end, const struct fw_guid *g,
		  const uint8_t *data, size_t len)
{
	size_t size = len + 18;

	memcpy(img + *end - 16, g->b, 16);
	put_le(img + *end - 18, size, 2);
	memcpy(img + *end - size, data, len);
	*end -= size;
}

uint8_t *fwgen_build(const struct fwgen *g)
{
	uint8_t *img = malloc(g->size), buf[8];
	uint32_t x = g->seed ? g->seed : 0x12345678;
	size_t i, end, footer;

	if (!img)
		return NULL;
	for (i = 0; i < g->size; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		img[i] = (uint8_t)x;
	}
	if (g->nr_sev) {
		uint8_t *h = img + g->size - FWGEN_ASEV_OFF;

		memcpy(h, "ASEV", 4);
		put_le(h + 4, 16 + 12 * g->nr_sev, 4);
		put_le(h + 8, 1, 4);
		put_le(h + 12, g->nr_sev, 4);
		for (i = 0; i < g->nr_sev; i++) {
			put_le(h + 16 + 12 * i, g->sev[i].gpa, 4);
			put_le(h + 20 + 12 * i, g->sev[i].size, 4);
			put_le(h + 24 + 12 * i, g->sev[i].type, 4);
		}
	}
	if (g->nr_tdvf) {
		uint8_t *h = img + g->size - FWGEN_TDVF_OFF;

		memcpy(h, "TDVF", 4);
		put_le(h + 4, 16 + 32 * g->nr_tdvf, 4);
		put_le(h + 8, 1, 4);
		put_le(h + 12, g->nr_tdvf, 4);
		for (i = 0; i < g->nr_tdvf; i++) {
			uint8_t *d = h + 16 + 32 * i;

			put_le(d, g->tdvf[i].data_offset, 4);
			put_le(d + 4, g->tdvf[i].raw_size, 4);
			put_le(d + 8, g->tdvf[i].addr, 8);
			put_le(d + 16, g->tdvf[i].size, 8);
			put_le(d + 24, g->tdvf[i].type, 4);
			put_le(d + 28, g->tdvf[i].attr, 4);
		}
	}
	if (g->no_footer)
		return img;
	footer = g->size - 32 - 18;
	end = footer;
	if (g->have_reset) {
		put_le(buf, g->reset_eip, 4);
		entry(img, &end, &FW_GUID_SEV_ES_RESET_BLOCK, buf, 4);
	}
	if (g->have_hashes) {
		put_le(buf, g->hashes_gpa, 4);
		put_le(buf + 4, g->hashes_size, 4);
		entry(img, &end, &FW_GUID_SEV_HASH_TABLE, buf, 8);
	}
	if (g->nr_sev) {
		put_le(buf, FWGEN_ASEV_OFF, 4);
		entry(img, &end, &FW_GUID_SEV_METADATA, buf, 4);
	}
	if (g->nr_tdvf) {
		put_le(buf, FWGEN_TDVF_OFF, 4);
		entry(img, &end, &FW_GUID_TDX_METADATA, buf, 4);
	}
	memcpy(img + footer + 2, FW_GUID_TABLE_FOOTER.b, 16);
	put_le(img + footer, footer - end + 18, 2);
	return img;
}

/* stage0_bin (SEV): 512 KiB ROM, stack as SEC_MEM, secrets/CPUID in low RAM,
 * kernel hashes page at 0x10000 with the table at 0x10c00. */
void fwgen_stage0_sev(struct fwgen *g)
{
	memset(g, 0, sizeof(*g));
	g->size = 512 << 10;
	g->seed = 0x5e0;
	g->have_reset = true;
	g->reset_eip = 0xfff80000 + 0x1000;
	g->have_hashes = true;
	g->hashes_gpa = 0x10c00;
	g->hashes_size = 0x400;
	g->nr_sev = 4;
	g->sev[0] = (struct fwgen_sev){ 0x60000, 0x20000, SEV_SECTION_SEC_MEM };
	g->sev[1] = (struct fwgen_sev){ 0x1000, 0x1000, SEV_SECTION_SECRETS };
	g->sev[2] = (struct fwgen_sev){ 0x2000, 0x1000, SEV_SECTION_CPUID };
	g->sev[3] = (struct fwgen_sev){ 0x10000, 0x1000, SEV_SECTION_KERNEL_HASHES };
}

/* stage0_bin_tdx: 2 MiB ROM; TD_HOB, mailbox, BFV = whole image, low RAM. */
void fwgen_stage0_tdx(struct fwgen *g)
{
	memset(g, 0, sizeof(*g));
	g->size = 2 << 20;
	g->seed = 0x7d0;
	g->nr_tdvf = 4;
	g->tdvf[0] = (struct fwgen_tdvf){ 0, 0, 0x100000, 0x2000, TDVF_SECTION_TD_HOB, 0 };
	g->tdvf[1] = (struct fwgen_tdvf){ 0, 0, 0x102000, 0x1000, TDVF_SECTION_TEMP_MEM, 0 };
	g->tdvf[2] = (struct fwgen_tdvf){ 0, 2 << 20, 0xffe00000, 2 << 20, TDVF_SECTION_BFV,
					  TDVF_ATTR_MR_EXTEND };
	g->tdvf[3] = (struct fwgen_tdvf){ 0, 0, 0, 0xa0000, TDVF_SECTION_TEMP_MEM, 0 };
}

/* OVMF (AmdSevX64-like SEV metadata, IntelTdx-like TDVF): 2 MiB. */
void fwgen_ovmf(struct fwgen *g)
{
	memset(g, 0, sizeof(*g));
	g->size = 2 << 20;
	g->seed = 0x0f;
	g->have_reset = true;
	g->reset_eip = 0x80b004;
	g->have_hashes = true;
	g->hashes_gpa = 0x810c00;
	g->hashes_size = 0x400;
	g->nr_sev = 7;
	g->sev[0] = (struct fwgen_sev){ 0x800000, 0x9000, SEV_SECTION_SEC_MEM };
	g->sev[1] = (struct fwgen_sev){ 0x80a000, 0x3000, SEV_SECTION_SEC_MEM };
	g->sev[2] = (struct fwgen_sev){ 0x80d000, 0x1000, SEV_SECTION_SECRETS };
	g->sev[3] = (struct fwgen_sev){ 0x80e000, 0x1000, SEV_SECTION_CPUID };
	g->sev[4] = (struct fwgen_sev){ 0x80f000, 0x1000, SEV_SECTION_SVSM_CAA };
	g->sev[5] = (struct fwgen_sev){ 0x810000, 0x1000, SEV_SECTION_KERNEL_HASHES };
	g->sev[6] = (struct fwgen_sev){ 0x811000, 0xf000, SEV_SECTION_SEC_MEM };
	g->nr_tdvf = 6;
	g->tdvf[0] = (struct fwgen_tdvf){ 0x20000, 0x1e0000, 0xffe20000, 0x1e0000,
					  TDVF_SECTION_BFV, TDVF_ATTR_MR_EXTEND };
	g->tdvf[1] = (struct fwgen_tdvf){ 0, 0x20000, 0xffe00000, 0x20000, TDVF_SECTION_CFV, 0 };
	g->tdvf[2] = (struct fwgen_tdvf){ 0, 0, 0x810000, 0x10000, TDVF_SECTION_TEMP_MEM, 0 };
	g->tdvf[3] = (struct fwgen_tdvf){ 0, 0, 0x80b000, 0x2000, TDVF_SECTION_TEMP_MEM, 0 };
	g->tdvf[4] = (struct fwgen_tdvf){ 0, 0, 0x809000, 0x2000, TDVF_SECTION_TD_HOB, 0 };
	g->tdvf[5] = (struct fwgen_tdvf){ 0, 0, 0x800000, 0x6000, TDVF_SECTION_TEMP_MEM, 0 };
}
