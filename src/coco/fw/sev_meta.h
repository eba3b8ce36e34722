/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_FW_SEV_META_H
#define CVMM_COCO_FW_SEV_META_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coco/fw/fw_table.h"
#include "util/err.h"

/*
 * AMD SEV firmware metadata (OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm,
 * Oak stage0 layout.ld): the GUID table entry dc886566-... holds a u32
 * offset, counted back from the end of the image, of
 *
 *   { char sig[4] = "ASEV"; u32 size; u32 version = 1; u32 num_items; }
 *   num_items x { u32 gpa; u32 size; u32 type; }
 *
 * listing the guest pages the VMM must pre-validate for an SNP guest.
 */
enum sev_section_type {
	SEV_SECTION_SEC_MEM = 1,	/* SNP_SEC_MEM: pre-validated zero pages */
	SEV_SECTION_SECRETS = 2,	/* SNP secrets page */
	SEV_SECTION_CPUID = 3,		/* SNP CPUID page */
	SEV_SECTION_SVSM_CAA = 4,	/* SVSM calling area */
	SEV_SECTION_KERNEL_HASHES = 0x10,	/* kernel-hashes page */
};

#define SEV_META_MAX	64
#define SEV_META_HDR	16
#define SEV_META_DESC	12

struct sev_section {
	uint32_t gpa;
	uint32_t size;
	uint32_t type;
};

struct sev_meta {
	unsigned int n;
	struct sev_section s[SEV_META_MAX];
};

/*
 * Parse the metadata: -ENOENT when the image has no metadata entry,
 * -EINVAL (with @err) when it is malformed: bad offset, signature,
 * version or size, more than SEV_META_MAX items, a section that is
 * empty, not page aligned or wraps past 4 GiB.  Types are not checked
 * here (the plan decides what it accepts).
 */
int sev_meta_parse(const uint8_t *img, size_t len, const struct fw_table *t,
		   struct sev_meta *m, struct err_msg *err);

const char *sev_section_name(uint32_t type);

/* The SEV-ES AP reset address (u32 from the reset block): 0 or -ENOENT. */
int sev_reset_eip(const struct fw_table *t, const uint8_t *img, uint32_t *eip,
		  struct err_msg *err);

/*
 * Where the firmware wants the kernel-hashes table (QEMU's
 * SEV_HASH_TABLE_RV_GUID: u32 gpa, u32 size); -ENOENT when absent.  A
 * GPA of 0 means "not supported" and is returned as -ENOENT as well.
 */
int sev_hashes_location(const struct fw_table *t, const uint8_t *img,
			uint32_t *gpa, uint32_t *size, struct err_msg *err);

/* The launch-secret area (u32 gpa, u32 size); -ENOENT when absent or 0. */
int sev_secret_location(const struct fw_table *t, const uint8_t *img,
			uint32_t *gpa, uint32_t *size, struct err_msg *err);

#endif
