/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_FW_TDVF_H
#define CVMM_COCO_FW_TDVF_H

#include <stddef.h>
#include <stdint.h>

#include "coco/fw/fw_table.h"
#include "util/err.h"

/*
 * TDVF metadata (Intel TDX Virtual Firmware design guide; QEMU
 * hw/i386/tdvf.c; Oak stage0_bin_tdx): the GUID table entry e47a6535-...
 * holds a u32 offset, counted back from the end of the image, of
 *
 *   { char sig[4] = "TDVF"; u32 length; u32 version = 1; u32 num_sections; }
 *   num_sections x { u32 data_offset; u32 raw_data_size; u64 memory_address;
 *                    u64 memory_data_size; u32 type; u32 attributes; }
 */
enum tdvf_section_type {
	TDVF_SECTION_BFV = 0,		/* boot firmware volume (code) */
	TDVF_SECTION_CFV = 1,		/* configuration firmware volume (vars) */
	TDVF_SECTION_TD_HOB = 2,	/* the VMM writes the TD HOB here */
	TDVF_SECTION_TEMP_MEM = 3,	/* zeroed, accepted scratch memory */
};

#define TDVF_ATTR_MR_EXTEND	(1u << 0)	/* contents go into MRTD */
#define TDVF_ATTR_PAGE_AUG	(1u << 1)	/* added later by TDH.MEM.PAGE.AUG */
#define TDVF_ATTR_KNOWN		(TDVF_ATTR_MR_EXTEND | TDVF_ATTR_PAGE_AUG)

#define TDVF_MAX_SECTIONS	32
#define TDVF_HDR_LEN		16
#define TDVF_SECTION_LEN	32

struct tdvf_section {
	uint32_t data_offset;
	uint32_t raw_size;
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t attr;
};

struct tdvf {
	unsigned int n;
	struct tdvf_section s[TDVF_MAX_SECTIONS];
};

/*
 * Parse and validate (QEMU's rules plus bounds): -ENOENT without the TDX
 * metadata entry; -EINVAL (with @err) when the offset, signature, version
 * or length is wrong, there are fewer than 2 or more than
 * TDVF_MAX_SECTIONS sections, length != 16 + 32 * n, a section is not
 * page aligned, empty, smaller in memory than its raw data, wraps, has an
 * unknown type or attribute bit, BFV/CFV without raw data or raw data
 * outside the image, TD_HOB/TEMP_MEM with raw data, or two sections
 * overlap in guest memory.
 */
int tdvf_parse(const uint8_t *img, size_t len, const struct fw_table *t,
	       struct tdvf *v, struct err_msg *err);

const char *tdvf_section_name(uint32_t type);

#endif
