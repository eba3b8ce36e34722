// SPDX-License-Identifier: GPL-2.0-only
/* ACPI CCEL tables and TCG2 crypto-agile event logs. */
#include <stdint.h>

#include "attest/tdx/ccel.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ccel_table t;
	struct ccel_log log;
	struct err_msg why;
	size_t i;

	if (!ccel_table_parse(data, size, &t))
		json_decref(ccel_table_claims(&t));
	if (ccel_log_replay(data, size, &log, &why))
		return 0;
	if (log.end > size)
		__builtin_trap();
	for (i = 0; i < log.nevents; i++)
		if (log.events[i].data + log.events[i].data_len > data + size)
			__builtin_trap();
	json_decref(ccel_log_claims(&log));
	ccel_log_free(&log);
	return 0;
}
