// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: the kernel-hashes table location (SEV_HASH_TABLE_RV_GUID). */
#include <stddef.h>
#include <stdint.h>

#include "coco/fw/sev_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err_msg err;
	struct fw_table t;
	uint32_t gpa, len;

	if (fw_table_parse(data, size, &t, &err))
		return 0;
	if (!sev_hashes_location(&t, data, &gpa, &len, &err) && !gpa)
		__builtin_trap();
	return 0;
}
