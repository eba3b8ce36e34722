// SPDX-License-Identifier: GPL-2.0-only
/* Init-data TOML. */
#include <stdint.h>
#include <string.h>

#include "broker/initdata.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct initdata d;
	uint8_t field[48];
	struct err_msg why;

	if (!initdata_parse((const char *)data, size, &d, &why)) {
		if (d.digest_len != 32 && d.digest_len != 48 && d.digest_len != 64)
			__builtin_trap();
		initdata_field(&d, field, sizeof(field));
	} else if (!memchr(why.msg, 0, sizeof(why.msg))) {
		__builtin_trap();
	}
	return 0;
}
