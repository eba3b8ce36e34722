/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BOOT_PVH_H
#define CVMM_BOOT_PVH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/x86/e820.h"
#include "mem/guest_mem.h"

/*
 * ELF kernels with a Xen PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY):
 * loaded by physical address, entered in 32-bit protected mode with EBX
 * pointing at a struct hvm_start_info (xen/include/public/arch-x86/
 * hvm/start_info.h).
 */

#define XEN_ELFNOTE_PHYS32_ENTRY	18
#define HVM_START_MAGIC			0x336ec578

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;		/* 1: has the memory map */
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr;
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

#define PVH_MAX_SEGMENTS	16

struct pvh_segment {
	uint64_t paddr;
	uint64_t filesz;
	uint64_t memsz;
	uint64_t offset;
};

struct pvh_info {
	uint32_t entry;			/* from the PVH note */
	unsigned int nr_segments;
	struct pvh_segment segments[PVH_MAX_SEGMENTS];
	uint64_t lowest, highest;	/* physical extent of PT_LOAD */
};

/* Is this an ELF file at all (to pick the PVH path for --kernel)? */
bool pvh_is_elf(const uint8_t *img, size_t len);

/* Parse and validate an ELF64 x86-64 image; find its PVH entry point. */
int pvh_parse(const uint8_t *img, size_t len, struct pvh_info *info,
	      const char **why);

struct pvh_load {
	uint64_t entry;
	uint64_t start_info;
	uint64_t initrd_addr;
	uint64_t initrd_size;
};

/*
 * Load the segments, the initrd (as high as possible below @ram_low_end,
 * above the kernel), the command line, the memory map and hvm_start_info.
 * @rsdp is the ACPI RSDP address or 0.
 */
int pvh_load(const struct guest_mem *mem, uint64_t ram_low_end,
	     const uint8_t *img, size_t len, const struct pvh_info *info,
	     const uint8_t *initrd, size_t initrd_len, const char *cmdline,
	     const struct e820_map *e820, uint64_t rsdp, struct pvh_load *out,
	     const char **why);

#endif
