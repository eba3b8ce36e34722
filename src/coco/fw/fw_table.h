/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_FW_FW_TABLE_H
#define CVMM_COCO_FW_FW_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/*
 * The GUIDed table OVMF, TDVF and Oak stage0 put at the end of the
 * firmware image (the "reset vector" table, OvmfPkg/ResetVector):
 *
 *   ... [data | u16 size | GUID] ... [u16 table size | footer GUID] | 32 bytes
 *
 * The footer entry ends 32 bytes before the end of the image; its size
 * covers the whole table including itself.  Entries are walked backwards
 * from the footer; each size covers data, size and GUID (>= 18).
 * GUIDs are kept in EFI byte order (first three fields little-endian).
 */
struct fw_guid {
	uint8_t b[16];
};

#define FW_GUID(a, b, c, d0, d1, d2, d3, d4, d5, d6, d7) {{ \
	(uint8_t)(a), (uint8_t)((a) >> 8), (uint8_t)((a) >> 16), (uint8_t)((a) >> 24), \
	(uint8_t)(b), (uint8_t)((b) >> 8), (uint8_t)(c), (uint8_t)((c) >> 8), \
	d0, d1, d2, d3, d4, d5, d6, d7 }}

extern const struct fw_guid FW_GUID_TABLE_FOOTER;	/* 96b582de-1fb2-45f7-baea-a366c55a082d */
extern const struct fw_guid FW_GUID_SEV_ES_RESET_BLOCK;	/* 00f771de-1a7e-4fcb-890e-68c77e2fb44e */
extern const struct fw_guid FW_GUID_SEV_HASH_TABLE;	/* 7255371f-3a3b-4b04-927b-1da6efa8d454 */
extern const struct fw_guid FW_GUID_SEV_SECRET;		/* 4c2eb361-7d9b-4cc3-8081-127c90d3d294 */
extern const struct fw_guid FW_GUID_SEV_METADATA;	/* dc886566-984a-4798-a75e-5585a7bf67cc */
extern const struct fw_guid FW_GUID_TDX_METADATA;	/* e47a6535-984a-4798-865e-4685a7bf8ec2 */
extern const struct fw_guid FW_GUID_SVSM_INFO;		/* a789a612-0597-4c4b-a49f-cbb1fe9d1ddd */

#define FW_TABLE_MAX		64
#define FW_TABLE_ENTRY_HDR	18	/* u16 size + GUID */
#define FW_TABLE_FOOTER_GAP	32

struct fw_table_entry {
	struct fw_guid guid;
	size_t data_off;	/* offset of the entry's data in the image */
	size_t data_len;
};

struct fw_table {
	unsigned int n;		/* in table order, nearest the footer first */
	struct fw_table_entry e[FW_TABLE_MAX];
};

/*
 * Parse the table.  An image without the footer GUID has an empty table
 * (returns 0, n == 0); a footer that is present but inconsistent is
 * -EINVAL with the reason in @err.
 */
int fw_table_parse(const uint8_t *img, size_t len, struct fw_table *t,
		   struct err_msg *err);

/* The first entry with @guid (nearest the footer, as QEMU), or NULL. */
const struct fw_table_entry *fw_table_find(const struct fw_table *t,
					   const struct fw_guid *guid);

/*
 * Read the u32 at byte @off of @guid's data: 0, -ENOENT when the entry is
 * absent, -EINVAL (with @err) when its data is too short.
 */
int fw_table_u32(const struct fw_table *t, const uint8_t *img,
		 const struct fw_guid *guid, size_t off, uint32_t *val,
		 struct err_msg *err);

void fw_guid_format(const struct fw_guid *g, char out[37]);

#endif
