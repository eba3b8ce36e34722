// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: the SEV-ES reset block and the launch-secret location. */
#include <stddef.h>
#include <stdint.h>

#include "coco/fw/sev_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err_msg err;
	struct fw_table t;
	uint32_t a, b;

	if (fw_table_parse(data, size, &t, &err))
		return 0;
	sev_reset_eip(&t, data, &a, &err);
	sev_secret_location(&t, data, &a, &b, &err);
	return 0;
}
