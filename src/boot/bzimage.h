/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BOOT_BZIMAGE_H
#define CVMM_BOOT_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86/e820.h"
#include "mem/guest_mem.h"

/*
 * The Linux x86 boot protocol (Documentation/arch/x86/boot.rst) for a
 * bzImage entered through its 64-bit entry point.
 */

/* Offsets in the setup header / boot_params (struct boot_params). */
#define BP_E820_ENTRIES		0x1e8
#define BP_SETUP_SECTS		0x1f1
#define BP_SYSSIZE		0x1f4
#define BP_BOOT_FLAG		0x1fe
#define BP_JUMP			0x200
#define BP_HEADER		0x202
#define BP_VERSION		0x206
#define BP_TYPE_OF_LOADER	0x210
#define BP_LOADFLAGS		0x211
#define BP_CODE32_START		0x214
#define BP_RAMDISK_IMAGE	0x218
#define BP_RAMDISK_SIZE		0x21c
#define BP_HEAP_END_PTR		0x224
#define BP_CMD_LINE_PTR		0x228
#define BP_INITRD_ADDR_MAX	0x22c
#define BP_KERNEL_ALIGNMENT	0x230
#define BP_RELOCATABLE		0x234
#define BP_XLOADFLAGS		0x236
#define BP_CMDLINE_SIZE		0x238
#define BP_PREF_ADDRESS		0x258
#define BP_INIT_SIZE		0x260
#define BP_E820_TABLE		0x2d0
#define BP_E820_MAX		128
#define BP_SIZE			0x1000

#define BZ_LOADED_HIGH		0x01
#define BZ_CAN_USE_HEAP		0x80
#define BZ_XLF_KERNEL_64	0x01

struct bzimage_info {
	uint8_t setup_sects;		/* as used: 0 in the file means 4 */
	uint16_t version;
	uint8_t loadflags;
	uint16_t xloadflags;
	uint8_t relocatable;
	uint32_t kernel_alignment;
	uint32_t initrd_addr_max;
	uint32_t cmdline_size;		/* longest command line, without the NUL */
	uint64_t pref_address;
	uint32_t init_size;
	size_t setup_size;		/* (setup_sects + 1) * 512 */
	size_t kernel_offset;		/* = setup_size */
	size_t kernel_size;		/* protected-mode part */
};

/*
 * Parse and validate a bzImage.  On error returns -EINVAL with a short
 * reason in @why ("not a bzImage: no HdrS signature", ...).
 */
int bzimage_parse(const uint8_t *img, size_t len, struct bzimage_info *info,
		  const char **why);

struct bzimage_load {
	uint64_t kernel_addr;
	uint64_t entry64;		/* kernel_addr + 0x200 */
	uint64_t initrd_addr;
	uint64_t initrd_size;
	uint64_t zero_page;
};

/*
 * Load a parsed bzImage into guest RAM for a 64-bit boot: the kernel at
 * its preferred address (aligned up for a relocatable kernel; the default
 * 16 MiB when it has none), the
 * initrd as high as allowed below @ram_low_end without overlapping the
 * kernel, the command line at BOOT_CMDLINE_ADDR and the zero page with the
 * copied setup header and @e820 at BOOT_PARAMS_ADDR.  Returns -ENOSPC with
 * @why when the images do not fit in memory.
 */
int bzimage_load(const struct guest_mem *mem, uint64_t ram_low_end,
		 const uint8_t *img, size_t len, const struct bzimage_info *info,
		 const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		 const struct e820_map *e820, struct bzimage_load *out,
		 const char **why);

#endif
