// SPDX-License-Identifier: GPL-2.0-only
/* Policy files. */
#include <stdint.h>
#include <string.h>

#include "attest/policy.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	struct err_msg why;
	size_t i;

	if (policy_parse((const char *)data, size, &p, &why)) {
		if (!memchr(why.msg, 0, sizeof(why.msg)))
			__builtin_trap();
		return 0;
	}
	for (i = 0; i < p.snp.measurement.n; i++)
		(void)policy_values_allow(&p.snp.measurement, p.snp.measurement.v[i]);
	policy_free(&p);
	return 0;
}
