// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: the footer GUID table of an arbitrary firmware image. */
#include <stddef.h>
#include <stdint.h>

#include "coco/fw/fw_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fw_guid *guids[] = {
		&FW_GUID_SEV_ES_RESET_BLOCK, &FW_GUID_SEV_HASH_TABLE, &FW_GUID_SEV_SECRET,
		&FW_GUID_SEV_METADATA, &FW_GUID_TDX_METADATA, &FW_GUID_SVSM_INFO,
	};
	struct err_msg err;
	struct fw_table t;
	unsigned int i;
	uint32_t v;
	char name[37];

	if (fw_table_parse(data, size, &t, &err))
		return 0;
	for (i = 0; i < t.n; i++) {
		/* every entry's data lies inside the image */
		if (t.e[i].data_off + t.e[i].data_len > size)
			__builtin_trap();
		fw_guid_format(&t.e[i].guid, name);
	}
	for (i = 0; i < sizeof(guids) / sizeof(guids[0]); i++) {
		fw_table_u32(&t, data, guids[i], 0, &v, &err);
		fw_table_u32(&t, data, guids[i], 4, &v, &err);
	}
	return 0;
}
