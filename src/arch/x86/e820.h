/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ARCH_X86_E820_H
#define CVMM_ARCH_X86_E820_H

#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

#define E820_RAM		1
#define E820_RESERVED		2
#define E820_ACPI		3
#define E820_NVS		4
#define E820_UNUSABLE		5
#define E820_PMEM		7

#define E820_MAX_ENTRIES	32

/* The layout Linux's boot_params and QEMU's etc/e820 use (20 bytes). */
struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __packed;

struct e820_map {
	struct e820_entry entries[E820_MAX_ENTRIES];
	unsigned int nr;
};

/* Where guest RAM goes for @ram_size bytes: below the hole and above 4 GiB. */
void e820_ram_split(uint64_t ram_size, uint64_t *low, uint64_t *high);
/* The same for the Q35 persona, as QEMU's q35 (arch/x86/layout.h). */
void e820_ram_split_q35(uint64_t ram_size, uint64_t *low, uint64_t *high);

/*
 * The map a direct kernel boot sees: RAM below 640K minus the EBDA,
 * the BIOS area reserved, RAM from 1 MiB to the 32-bit hole, RAM above
 * 4 GiB.
 */
void e820_build_direct(struct e820_map *map, uint64_t ram_size);
/* The map given to firmware through fw_cfg etc/e820: RAM ranges only. */
void e820_build_firmware(struct e820_map *map, uint64_t ram_size);
/* ... for RAM split as given: [0, @low) and [4 GiB, + @high). */
void e820_build_firmware_split(struct e820_map *map, uint64_t low, uint64_t high);
int e820_add(struct e820_map *map, uint64_t addr, uint64_t size, uint32_t type);
/* "usable", "reserved", "ACPI data", ... as Linux prints them. */
const char *e820_type_name(uint32_t type);
/* Sum of E820_RAM sizes. */
uint64_t e820_ram_total(const struct e820_map *map);
/* Log the map at info level, one "e820: [mem A-B] type" line each. */
void e820_log(const struct e820_map *map);

#endif
