// SPDX-License-Identifier: GPL-2.0-only
/* Reference-value imports (explicit and `cvmm measure --json` forms). */
#include <stdint.h>

#include "broker/refval.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *v = NULL;
	struct err_msg why;

	if (!refval_import((const char *)data, size, &v, &why))
		json_decref(v);
	return 0;
}
