// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "util/log.h"
#include "util/num.h"

void e820_ram_split(uint64_t ram_size, uint64_t *low, uint64_t *high)
{
	if (ram_size <= LOW_RAM_END) {
		*low = ram_size;
		*high = 0;
	} else {
		*low = LOW_RAM_END;
		*high = ram_size - LOW_RAM_END;
	}
}

void e820_ram_split_q35(uint64_t ram_size, uint64_t *low, uint64_t *high)
{
	uint64_t limit = ram_size >= Q35_LOW_RAM_ALL_BELOW ? Q35_LOW_RAM_SPLIT : ram_size;

	*low = ram_size < limit ? ram_size : limit;
	*high = ram_size - *low;
}

int e820_add(struct e820_map *map, uint64_t addr, uint64_t size, uint32_t type)
{
	if (!size)
		return 0;
	if (map->nr >= E820_MAX_ENTRIES)
		return -ENOSPC;
	map->entries[map->nr++] = (struct e820_entry){
		.addr = addr, .size = size, .type = type,
	};
	return 0;
}

void e820_build_direct(struct e820_map *map, uint64_t ram_size)
{
	uint64_t low, high;

	map->nr = 0;
	e820_ram_split(ram_size, &low, &high);
	e820_add(map, 0, EBDA_START, E820_RAM);
	e820_add(map, EBDA_START, EBDA_END - EBDA_START, E820_RESERVED);
	e820_add(map, BIOS_AREA_START, BIOS_AREA_END - BIOS_AREA_START,
		 E820_RESERVED);
	if (low > HIMEM_START)
		e820_add(map, HIMEM_START, low - HIMEM_START, E820_RAM);
	if (high)
		e820_add(map, HIGH_RAM_START, high, E820_RAM);
}

void e820_build_firmware(struct e820_map *map, uint64_t ram_size)
{
	uint64_t low, high;

	e820_ram_split(ram_size, &low, &high);
	e820_build_firmware_split(map, low, high);
}

void e820_build_firmware_split(struct e820_map *map, uint64_t low, uint64_t high)
{
	map->nr = 0;
	e820_add(map, 0, low, E820_RAM);
	if (high)
		e820_add(map, HIGH_RAM_START, high, E820_RAM);
}

const char *e820_type_name(uint32_t type)
{
	switch (type) {
	case E820_RAM:
		return "usable";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI data";
	case E820_NVS:
		return "ACPI NVS";
	case E820_UNUSABLE:
		return "unusable";
	case E820_PMEM:
		return "persistent (type 7)";
	}
	return "type unknown";
}

uint64_t e820_ram_total(const struct e820_map *map)
{
	uint64_t total = 0;
	unsigned int i;

	for (i = 0; i < map->nr; i++)
		if (map->entries[i].type == E820_RAM)
			total += map->entries[i].size;
	return total;
}

void e820_log(const struct e820_map *map)
{
	char total[32];
	unsigned int i;

	for (i = 0; i < map->nr; i++) {
		const struct e820_entry *e = &map->entries[i];

		log_info("e820: [mem 0x%016llx-0x%016llx] %s",
			 (unsigned long long)e->addr,
			 (unsigned long long)(e->addr + e->size - 1),
			 e820_type_name(e->type));
	}
	size_format(e820_ram_total(map), total, sizeof(total));
	log_info("e820: %s usable", total);
}
