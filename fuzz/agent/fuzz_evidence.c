// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evidence bytes from the host/firmware as the agent converts them: an SNP
 * report (first 1184 bytes) and a certificate table (the rest) to Trustee's
 * serde JSON; the same bytes as a QGS quote answer.
 */
#include <stdint.h>

#include "agent/evidence.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evidence ev = { .tee = AGENT_TEE_SNP };
	const uint8_t *q;
	size_t qlen;
	json_t *j;
	char why[256];

	if (size >= 1184) {
		ev.report = (uint8_t *)data;
		ev.report_len = 1184;
		ev.certs = size > 1184 ? (uint8_t *)data + 1184 : NULL;
		ev.certs_len = size - 1184;
		if (!evidence_to_json(&ev, &j, why, sizeof(why)))
			json_decref(j);
	}
	if (!snp_certs_to_chain(data, size, &j, why, sizeof(why)))
		json_decref(j);
	if (!qgs_quote_response(data, size, &q, &qlen, why, sizeof(why)) &&
	    (q < data || q + qlen > data + size))
		__builtin_trap();
	ev.tee = AGENT_TEE_TDX;
	ev.report = (uint8_t *)data;
	ev.report_len = size;
	ev.certs = NULL;
	ev.certs_len = 0;
	if (size && !evidence_to_json(&ev, &j, why, sizeof(why)))
		json_decref(j);
	return 0;
}
