// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: bzImage header parsing and the 64-bit boot protocol loader,
 * into 8 MiB of guest RAM.  The input is the kernel image; a few of its
 * bytes also pick the initrd size, the command line and whether the
 * caller claims more RAM than is mapped (the loader must still only write
 * inside guest memory).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "boot/bzimage.h"
#include "mem/guest_mem.h"

#define RAM_SIZE	(8ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct guest_mem mem;
static struct e820_map e820;
static char cmdline[4096];

static int ram_ready(void)
{
	static int state;	/* 0: not yet, 1: ready, -1: failed */

	if (!state) {
		state = guest_mem_add_ram(&mem, 0, RAM_SIZE, GUEST_MEM_ANON, false,
					  "ram") ? -1 : 1;
		e820_build_direct(&e820, RAM_SIZE);
	}
	return state > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bzimage_info info;
	struct bzimage_load out;
	const char *why = NULL;
	uint64_t ram_end, kend;
	size_t initrd_len, cmd_len;
	uint8_t sel;
	int ret;

	ret = bzimage_parse(data, size, &info, &why);
	if (ret) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	/* what the parser promises */
	if (info.setup_size != ((size_t)info.setup_sects + 1) * 512 ||
	    info.kernel_offset + info.kernel_size != size ||
	    info.kernel_offset >= size || info.init_size < info.kernel_size ||
	    !info.cmdline_size || !info.initrd_addr_max ||
	    !(info.xloadflags & BZ_XLF_KERNEL_64) || info.version < 0x020c)
		__builtin_trap();
	if (!ram_ready())
		return 0;

	/* byte 0x1f0 (unused by the header) steers the load */
	sel = data[0x1f0];
	ram_end = (sel & 0x80) ? 8 * RAM_SIZE : RAM_SIZE;
	initrd_len = (size_t)(sel & 0x3f) * 1021 % size;
	cmd_len = (size_t)data[0x1ef] * 13;
	memset(cmdline, 'c', cmd_len);
	cmdline[cmd_len] = 0;

	ret = bzimage_load(&mem, ram_end, data, size, &info, data, initrd_len,
			   cmdline, &e820, &out, &why);
	if (ret) {
		if (!why)
			__builtin_trap();
		return 0;
	}
	/* where things went must be inside RAM and must not overlap */
	kend = out.kernel_addr + info.init_size;
	if (out.kernel_addr < HIMEM_START || kend > ram_end ||
	    out.entry64 != out.kernel_addr + 0x200 ||
	    out.zero_page != BOOT_PARAMS_ADDR || out.initrd_size != initrd_len)
		__builtin_trap();
	if (info.relocatable && info.kernel_alignment &&
	    out.kernel_addr % info.kernel_alignment)
		__builtin_trap();
	if (initrd_len && (out.initrd_addr < kend ||
			   out.initrd_addr + initrd_len > ram_end ||
			   out.initrd_addr + initrd_len > (uint64_t)info.initrd_addr_max + 1 ||
			   out.initrd_addr % 4096))
		__builtin_trap();
	if (cmd_len > info.cmdline_size)
		__builtin_trap();
	return 0;
}
