// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "coco/fw/fw_table.h"
#include "util/bytes.h"

const struct fw_guid FW_GUID_TABLE_FOOTER =
	FW_GUID(0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
const struct fw_guid FW_GUID_SEV_ES_RESET_BLOCK =
	FW_GUID(0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e);
const struct fw_guid FW_GUID_SEV_HASH_TABLE =
	FW_GUID(0x7255371f, 0x3a3b, 0x4b04, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54);
const struct fw_guid FW_GUID_SEV_SECRET =
	FW_GUID(0x4c2eb361, 0x7d9b, 0x4cc3, 0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94);
const struct fw_guid FW_GUID_SEV_METADATA =
	FW_GUID(0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc);
const struct fw_guid FW_GUID_TDX_METADATA =
	FW_GUID(0xe47a6535, 0x984a, 0x4798, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2);
const struct fw_guid FW_GUID_SVSM_INFO =
	FW_GUID(0xa789a612, 0x0597, 0x4c4b, 0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd);

int fw_table_parse(const uint8_t *img, size_t len, struct fw_table *t,
		   struct err_msg *err)
{
	size_t footer, start, end, size;

	t->n = 0;
	if (len < FW_TABLE_FOOTER_GAP + FW_TABLE_ENTRY_HDR)
		return 0;
	footer = len - FW_TABLE_FOOTER_GAP - FW_TABLE_ENTRY_HDR;
	if (memcmp(img + footer + 2, FW_GUID_TABLE_FOOTER.b, 16))
		return 0;
	size = get_le16(img + footer);
	if (size < FW_TABLE_ENTRY_HDR || size - FW_TABLE_ENTRY_HDR > footer) {
		err_set(err, "firmware GUID table size %zu does not fit the image", size);
		return -EINVAL;
	}
	start = footer - (size - FW_TABLE_ENTRY_HDR);
	end = footer;
	while (end > start) {
		struct fw_table_entry *e;
		size_t esize;

		if (end - start < FW_TABLE_ENTRY_HDR) {
			err_set(err, "firmware GUID table has %zu stray bytes",
				end - start);
			return -EINVAL;
		}
		esize = get_le16(img + end - FW_TABLE_ENTRY_HDR);
		if (esize < FW_TABLE_ENTRY_HDR || esize > end - start) {
			err_set(err, "firmware GUID table entry %u has a bad size %zu",
				t->n, esize);
			return -EINVAL;
		}
		if (t->n == FW_TABLE_MAX) {
			err_set(err, "firmware GUID table has more than %d entries",
				FW_TABLE_MAX);
			return -EINVAL;
		}
		e = &t->e[t->n++];
		memcpy(e->guid.b, img + end - 16, 16);
		e->data_off = end - esize;
		e->data_len = esize - FW_TABLE_ENTRY_HDR;
		end -= esize;
	}
	return 0;
}

const struct fw_table_entry *fw_table_find(const struct fw_table *t,
					   const struct fw_guid *guid)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (!memcmp(t->e[i].guid.b, guid->b, 16))
			return &t->e[i];
	return NULL;
}

int fw_table_u32(const struct fw_table *t, const uint8_t *img,
		 const struct fw_guid *guid, size_t off, uint32_t *val,
		 struct err_msg *err)
{
	const struct fw_table_entry *e = fw_table_find(t, guid);
	const uint8_t *p;
	char name[37];

	if (!e)
		return -ENOENT;
	if (e->data_len < off + 4) {
		fw_guid_format(guid, name);
		err_set(err, "firmware GUID table entry %s is too short", name);
		return -EINVAL;
	}
	p = img + e->data_off + off;
	*val = get_le32(p);
	return 0;
}

void fw_guid_format(const struct fw_guid *g, char out[37])
{
	const uint8_t *b = g->b;

	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
		 b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
