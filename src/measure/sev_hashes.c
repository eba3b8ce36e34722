// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "measure/digest.h"
#include "measure/sev_hashes.h"

/* GUIDs in EFI byte order (first three fields little-endian). */
static const uint8_t table_guid[16] = {
	0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
	0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21,
};
static const uint8_t cmdline_guid[16] = {
	0xd8, 0x2d, 0xd0, 0x97, 0x20, 0xbd, 0x94, 0x4c,
	0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a,
};
static const uint8_t initrd_guid[16] = {
	0x31, 0xf7, 0xba, 0x44, 0x2f, 0x3a, 0xd7, 0x4b,
	0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d,
};
static const uint8_t kernel_guid[16] = {
	0x37, 0x94, 0xe7, 0x4d, 0xd2, 0xab, 0x7f, 0x42,
	0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b,
};

static uint8_t *put_entry(uint8_t *p, const uint8_t guid[16], const uint8_t hash[32])
{
	memcpy(p, guid, 16);
	p[16] = 50;
	p[17] = 0;
	memcpy(p + 18, hash, 32);
	return p + 50;
}

int sev_hashes_table(const struct sev_hashes_input *in,
		     uint8_t out[SEV_HASHES_PADDED_LEN])
{
	uint8_t h_cmd[32], h_initrd[32], h_kernel[32];
	uint8_t *p = out;
	int ret;

	if (in->cmdline)
		ret = md_sha256(in->cmdline, strlen(in->cmdline) + 1, h_cmd);
	else
		ret = md_sha256("", 1, h_cmd);
	if (!ret)
		ret = md_sha256(in->initrd ? in->initrd : (const uint8_t *)"",
				in->initrd ? in->initrd_len : 0, h_initrd);
	if (!ret)
		ret = md_sha256(in->kernel ? in->kernel : (const uint8_t *)"",
				in->kernel ? in->kernel_len : 0, h_kernel);
	if (ret)
		return ret;
	memset(out, 0, SEV_HASHES_PADDED_LEN);
	memcpy(p, table_guid, 16);
	p[16] = SEV_HASHES_TABLE_LEN;
	p[17] = 0;
	p += 18;
	p = put_entry(p, cmdline_guid, h_cmd);
	p = put_entry(p, initrd_guid, h_initrd);
	put_entry(p, kernel_guid, h_kernel);
	return 0;
}

int sev_hashes_page(const uint8_t table[SEV_HASHES_PADDED_LEN], unsigned int offset,
		    uint8_t page[4096])
{
	if (offset > 4096 - SEV_HASHES_PADDED_LEN)
		return -EINVAL;
	memset(page, 0, 4096);
	memcpy(page + offset, table, SEV_HASHES_PADDED_LEN);
	return 0;
}
