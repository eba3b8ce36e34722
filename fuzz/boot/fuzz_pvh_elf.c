// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: ELF64 program headers, the PVH note walk and segment
 * loading into 8 MiB of guest RAM, with hvm_start_info and the memory
 * map.  A byte of the ELF identification padding picks the initrd size
 * and whether the caller claims more RAM than is mapped.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "boot/pvh.h"
#include "mem/guest_mem.h"

#define RAM_SIZE	(8ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct guest_mem mem;
static struct e820_map e820;

static int ram_ready(void)
{
	static int state;

	if (!state) {
		state = guest_mem_add_ram(&mem, 0, RAM_SIZE, GUEST_MEM_ANON, false,
					  "ram") ? -1 : 1;
		e820_build_direct(&e820, RAM_SIZE);
	}
	return state > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hvm_start_info si;
	struct pvh_info info;
	struct pvh_load out;
	const char *why = NULL;
	uint64_t ram_end;
	size_t initrd_len;
	unsigned int i;
	uint8_t sel;
	int ret;

	(void)pvh_is_elf(data, size);
	ret = pvh_parse(data, size, &info, &why);
	if (ret) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	if (!info.nr_segments || info.nr_segments > PVH_MAX_SEGMENTS ||
	    info.lowest >= info.highest)
		__builtin_trap();
	for (i = 0; i < info.nr_segments; i++) {
		const struct pvh_segment *s = &info.segments[i];

		if (s->offset > size || s->filesz > size - s->offset ||
		    s->filesz > s->memsz || !s->memsz ||
		    s->paddr < info.lowest || s->paddr + s->memsz > info.highest ||
		    s->paddr + s->memsz < s->paddr)
			__builtin_trap();
	}
	if (!ram_ready())
		return 0;

	sel = data[EI_PAD];
	ram_end = (sel & 0x80) ? 8 * RAM_SIZE : RAM_SIZE;
	initrd_len = (size_t)(sel & 0x3f) * 1021 % size;
	ret = pvh_load(&mem, ram_end, data, size, &info, data, initrd_len,
		       "console=ttyS0", &e820, 0xe0000, &out, &why);
	if (ret) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	if (out.entry != info.entry || out.start_info != BOOT_PARAMS_ADDR ||
	    out.initrd_size != initrd_len)
		__builtin_trap();
	if (initrd_len && (out.initrd_addr < info.highest ||
			   out.initrd_addr + initrd_len > ram_end))
		__builtin_trap();
	if (guest_mem_read(&mem, BOOT_PARAMS_ADDR, &si, sizeof(si)) ||
	    si.magic != HVM_START_MAGIC || si.memmap_entries != e820.nr ||
	    si.nr_modules != (initrd_len ? 1U : 0U))
		__builtin_trap();
	return 0;
}
