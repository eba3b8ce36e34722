/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BOOT_BUILTIN_H
#define CVMM_BOOT_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

/*
 * The guest `cvmm boot` runs without --kernel/--firmware: a small bzImage
 * built from guests/builtin/ and compiled into the binary.
 */
const uint8_t *builtin_guest_image(size_t *len);

#endif
