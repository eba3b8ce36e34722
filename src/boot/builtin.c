// SPDX-License-Identifier: GPL-2.0-only
#include "boot/builtin.h"

/* generated from guests/builtin by scripts/build-guest.py */
extern const uint8_t cvmm_builtin_guest[];
extern const size_t cvmm_builtin_guest_len;

const uint8_t *builtin_guest_image(size_t *len)
{
	*len = cvmm_builtin_guest_len;
	return cvmm_builtin_guest;
}
