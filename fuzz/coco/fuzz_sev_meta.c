// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: SEV metadata ("ASEV") found through the GUID table. */
#include <stddef.h>
#include <stdint.h>

#include "coco/fw/sev_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err_msg err;
	struct fw_table t;
	struct sev_meta m;
	unsigned int i;

	if (fw_table_parse(data, size, &t, &err))
		return 0;
	if (sev_meta_parse(data, size, &t, &m, &err))
		return 0;
	for (i = 0; i < m.n; i++) {
		if (m.s[i].gpa % 4096 || m.s[i].size % 4096 || !m.s[i].size ||
		    (uint64_t)m.s[i].gpa + m.s[i].size > 0x100000000ULL)
			__builtin_trap();
		sev_section_name(m.s[i].type);
	}
	return 0;
}
