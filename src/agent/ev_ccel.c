// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TDX event log from ACPI: the CCEL table names the log area, Linux
 * exposes both as /sys/firmware/acpi/tables/CCEL and .../data/CCEL.  The
 * log is cut after its last record (attest/ccel.c parses it) and 8 bytes
 * of 0xFF follow, which is how Trustee's attester sends it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/evidence.h"
#include "attest/tdx/ccel.h"
#include "util/err.h"
#include "util/file.h"

int ev_ccel_read(const char *table, const char *data, uint8_t **log,
		 size_t *len, char *why, size_t whylen)
{
	struct ccel_table t;
	struct ccel_log l = { 0 };
	uint8_t *tb = NULL, *d = NULL, *out;
	size_t tlen, dlen;
	int err;

	*log = NULL;
	*len = 0;
	err = file_read(table, 4096, &tb, &tlen);
	if (err == -ENOENT)
		return 0;	/* no CCEL: the broker gets null */
	if (!err && ccel_table_parse(tb, tlen, &t))
		err = -EINVAL;
	free(tb);
	if (!err)
		err = file_read(data, EVIDENCE_MAX_LOG, &d, &dlen);
	if (!err) {
		struct err_msg e = { "" };

		err = ccel_log_replay(d, dlen, &l, &e);
		if (err)
			snprintf(why, whylen, "%s", e.msg);
	}
	if (err) {
		if (!why[0])
			snprintf(why, whylen, "CCEL: %s", strerror(-err));
		free(d);
		return err;
	}
	out = malloc(l.end + 8);
	if (out) {
		memcpy(out, d, l.end);
		memset(out + l.end, 0xff, 8);
		*log = out;
		*len = l.end + 8;
	}
	ccel_log_free(&l);
	free(d);
	return out ? 0 : -ENOMEM;
}
