// SPDX-License-Identifier: GPL-2.0-only
/* libFuzzer: TDVF metadata and the TD HOB built from it. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "coco/fw/td_hob.h"
#include "coco/fw/tdvf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct td_ram_range ram[2] = {
		{ 0, 0x80000000ULL }, { 0x100000000ULL, 0x40000000ULL },
	};
	struct err_msg err;
	struct fw_table t;
	struct tdvf *v;
	unsigned int i;
	uint8_t hob[0x4000];
	size_t used;

	if (fw_table_parse(data, size, &t, &err))
		return 0;
	v = malloc(sizeof(*v));
	if (!v)
		return 0;
	if (!tdvf_parse(data, size, &t, v, &err)) {
		for (i = 0; i < v->n; i++) {
			const struct tdvf_section *s = &v->s[i];

			if (s->raw_size && (uint64_t)s->data_offset + s->raw_size > size)
				__builtin_trap();
			if (s->size < s->raw_size || s->addr % 4096 || s->size % 4096)
				__builtin_trap();
		}
		if (!td_hob_build(ram, 2, v, hob, sizeof(hob), &used, &err) &&
		    used > sizeof(hob))
			__builtin_trap();
	}
	free(v);
	return 0;
}
