/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BOOT_FIRMWARE_H
#define CVMM_BOOT_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "mem/guest_mem.h"

/*
 * A firmware ROM (Oak stage0, OVMF, cvmm's test firmware) is mapped
 * read-only so that it ends at 4 GiB; the boot vCPU starts at the reset
 * vector inside it.
 */

/* Validate the size: a non-zero multiple of 4 KiB, at most 16 MiB. */
int firmware_check(size_t len, const char **why);
/* Guest physical address of the first ROM byte. */
uint64_t firmware_base(size_t len);
int firmware_map(struct guest_mem *mem, const uint8_t *rom, size_t len);

#endif
