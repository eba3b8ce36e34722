// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "boot/bzimage.h"
#include "util/compiler.h"

static uint16_t get16(const uint8_t *p, size_t off)
{
	return (uint16_t)(p[off] | p[off + 1] << 8);
}

static uint32_t get32(const uint8_t *p, size_t off)
{
	return (uint32_t)get16(p, off) | (uint32_t)get16(p, off + 2) << 16;
}

static uint64_t get64(const uint8_t *p, size_t off)
{
	return (uint64_t)get32(p, off) | (uint64_t)get32(p, off + 4) << 32;
}

static void put32(uint8_t *p, size_t off, uint32_t v)
{
	p[off] = (uint8_t)v;
	p[off + 1] = (uint8_t)(v >> 8);
	p[off + 2] = (uint8_t)(v >> 16);
	p[off + 3] = (uint8_t)(v >> 24);
}

int bzimage_parse(const uint8_t *img, size_t len, struct bzimage_info *info,
		  const char **why)
{
	memset(info, 0, sizeof(*info));
	if (len < BP_INIT_SIZE + 4) {
		*why = "not a bzImage: file too small";
		return -EINVAL;
	}
	if (memcmp(img + BP_HEADER, "HdrS", 4)) {
		*why = "not a bzImage: no HdrS signature";
		return -EINVAL;
	}
	if (get16(img, BP_BOOT_FLAG) != 0xaa55) {
		*why = "not a bzImage: bad boot flag";
		return -EINVAL;
	}
	info->version = get16(img, BP_VERSION);
	if (info->version < 0x020c) {
		*why = "boot protocol older than 2.12 has no 64-bit entry point";
		return -EINVAL;
	}
	info->xloadflags = get16(img, BP_XLOADFLAGS);
	if (!(info->xloadflags & BZ_XLF_KERNEL_64)) {
		*why = "kernel has no 64-bit entry point (XLF_KERNEL_64 unset)";
		return -EINVAL;
	}
	info->loadflags = img[BP_LOADFLAGS];
	if (!(info->loadflags & BZ_LOADED_HIGH)) {
		*why = "zImage (loaded low) kernels are not supported";
		return -EINVAL;
	}
	info->setup_sects = img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4;
	info->setup_size = ((size_t)info->setup_sects + 1) * 512;
	if (info->setup_size >= len) {
		*why = "truncated: setup sectors run past the end of the file";
		return -EINVAL;
	}
	info->kernel_offset = info->setup_size;
	info->kernel_size = len - info->setup_size;
	info->relocatable = img[BP_RELOCATABLE];
	info->kernel_alignment = get32(img, BP_KERNEL_ALIGNMENT);
	info->initrd_addr_max = get32(img, BP_INITRD_ADDR_MAX);
	info->cmdline_size = get32(img, BP_CMDLINE_SIZE);
	info->pref_address = get64(img, BP_PREF_ADDRESS);
	info->init_size = get32(img, BP_INIT_SIZE);
	if (info->relocatable && (info->kernel_alignment < 0x1000 ||
	    (info->kernel_alignment & (info->kernel_alignment - 1)))) {
		*why = "bad kernel_alignment in the setup header";
		return -EINVAL;
	}
	if (!info->initrd_addr_max)
		info->initrd_addr_max = 0x37ffffff;
	if (!info->cmdline_size)
		info->cmdline_size = 255;
	if (info->init_size < info->kernel_size)
		info->init_size = (uint32_t)MIN((size_t)UINT32_MAX, info->kernel_size);
	return 0;
}

/*
 * Kernel: at its preferred address.  A relocatable kernel loaded lower
 * moves itself up to pref_address before it decompresses (boot.rst,
 * init_size: runtime start = align_up(max(load address, pref_address),
 * kernel_alignment)), so loading it lower never saves memory: it still
 * needs [pref_address, + init_size).  Only a preferred address below
 * 1 MiB is moved, to the lowest aligned address above it.
 */
static int bz_place_kernel(const struct guest_mem *mem, uint64_t ram_low_end,
			   const uint8_t *img, const struct bzimage_info *info,
			   uint64_t *kaddr_out, const char **why)
{
	uint64_t kaddr = info->pref_address ? info->pref_address : KERNEL_DEFAULT_ADDR;

	if (info->relocatable) {
		uint64_t a = ALIGN_UP(MAX(kaddr, (uint64_t)HIMEM_START),
				      (uint64_t)info->kernel_alignment);

		kaddr = a < kaddr ? 0 : a;	/* 0: wrapped, rejected below */
	}
	if (kaddr < HIMEM_START || range_overflows(kaddr, info->init_size) ||
	    kaddr + info->init_size > ram_low_end) {
		*why = "not enough memory for the kernel (raise --memory size=)";
		return -ENOSPC;
	}
	if (guest_mem_write(mem, kaddr, img + info->kernel_offset, info->kernel_size)) {
		*why = "kernel does not fit in guest RAM";
		return -ENOSPC;
	}
	*kaddr_out = kaddr;
	return 0;
}

/* Initrd: as high as possible below the limits, above the kernel (ending at @kend). */
static int bz_place_initrd(const struct guest_mem *mem, uint64_t ram_low_end, uint64_t kend,
			   const struct bzimage_info *info, const uint8_t *initrd,
			   size_t initrd_len, uint64_t *iaddr, const char **why)
{
	uint64_t imax = MIN(ram_low_end, (uint64_t)info->initrd_addr_max + 1);

	*iaddr = 0;
	if (!initrd_len)
		return 0;
	if (imax < initrd_len || ALIGN_DOWN(imax - initrd_len, SZ_4K) < kend) {
		*why = "not enough memory for the initramfs (raise --memory size=)";
		return -ENOSPC;
	}
	*iaddr = ALIGN_DOWN(imax - initrd_len, SZ_4K);
	if (guest_mem_write(mem, *iaddr, initrd, initrd_len)) {
		*why = "initramfs does not fit in guest RAM";
		return -ENOSPC;
	}
	return 0;
}

/* Zero page: the setup header as in the file, then our fields. */
static int bz_zero_page(const struct guest_mem *mem, const uint8_t *img, size_t len,
			const struct bzimage_info *info, const struct bzimage_load *l,
			const struct e820_map *e820, const char **why)
{
	size_t hdr_end = 0x202 + img[0x201];
	unsigned int i, n;
	uint8_t *zp;
	int ret;

	zp = calloc(1, BP_SIZE);
	if (!zp)
		return -ENOMEM;
	if (hdr_end > BP_SIZE || hdr_end > len)
		hdr_end = MIN((size_t)BP_SIZE, len);
	memcpy(zp + BP_SETUP_SECTS, img + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
	zp[BP_TYPE_OF_LOADER] = 0xff;
	zp[BP_LOADFLAGS] = info->loadflags | BZ_CAN_USE_HEAP;
	zp[BP_HEAP_END_PTR] = 0x00;
	zp[BP_HEAP_END_PTR + 1] = 0xfe;
	put32(zp, BP_CODE32_START, (uint32_t)l->kernel_addr);
	put32(zp, BP_CMD_LINE_PTR, (uint32_t)BOOT_CMDLINE_ADDR);
	put32(zp, BP_RAMDISK_IMAGE, (uint32_t)l->initrd_addr);
	put32(zp, BP_RAMDISK_SIZE, (uint32_t)l->initrd_size);
	n = MIN(e820->nr, (unsigned int)BP_E820_MAX);
	zp[BP_E820_ENTRIES] = (uint8_t)n;
	for (i = 0; i < n; i++)
		memcpy(zp + BP_E820_TABLE + i * sizeof(struct e820_entry),
		       &e820->entries[i], sizeof(struct e820_entry));
	ret = guest_mem_write(mem, BOOT_PARAMS_ADDR, zp, BP_SIZE);
	free(zp);
	if (ret) {
		*why = "no room for the zero page";
		return -ENOSPC;
	}
	return 0;
}

int bzimage_load(const struct guest_mem *mem, uint64_t ram_low_end,
		 const uint8_t *img, size_t len, const struct bzimage_info *info,
		 const uint8_t *initrd, size_t initrd_len, const char *cmdline,
		 const struct e820_map *e820, struct bzimage_load *out,
		 const char **why)
{
	size_t cmdlen = strlen(cmdline) + 1;
	uint64_t kaddr, iaddr;
	int ret;

	memset(out, 0, sizeof(*out));
	/* cmdline_size is the longest command line without its NUL. */
	if (cmdlen - 1 > info->cmdline_size || cmdlen > BOOT_CMDLINE_MAX) {
		*why = "command line longer than the kernel accepts";
		return -E2BIG;
	}
	ret = bz_place_kernel(mem, ram_low_end, img, info, &kaddr, why);
	if (!ret)
		ret = bz_place_initrd(mem, ram_low_end, kaddr + info->init_size, info, initrd,
				      initrd_len, &iaddr, why);
	if (ret)
		return ret;
	if (guest_mem_write(mem, BOOT_CMDLINE_ADDR, cmdline, cmdlen)) {
		*why = "no room for the command line";
		return -ENOSPC;
	}
	out->kernel_addr = kaddr;
	out->entry64 = kaddr + 0x200;
	out->initrd_addr = iaddr;
	out->initrd_size = initrd_len;
	out->zero_page = BOOT_PARAMS_ADDR;
	ret = bz_zero_page(mem, img, len, info, out, e820, why);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}
