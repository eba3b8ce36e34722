// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>

#include "arch/x86/layout.h"
#include "boot/firmware.h"
#include "util/compiler.h"

int firmware_check(size_t len, const char **why)
{
	if (!len) {
		*why = "firmware image is empty";
		return -EINVAL;
	}
	if (len % SZ_4K) {
		*why = "firmware size is not a multiple of 4 KiB";
		return -EINVAL;
	}
	if (len > FIRMWARE_MAX_SIZE) {
		*why = "firmware larger than 16 MiB";
		return -EINVAL;
	}
	return 0;
}

uint64_t firmware_base(size_t len)
{
	return FIRMWARE_END - len;
}

int firmware_map(struct guest_mem *mem, const uint8_t *rom, size_t len)
{
	return guest_mem_add_rom(mem, firmware_base(len), rom, len, "firmware");
}
