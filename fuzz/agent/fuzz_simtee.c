// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sim-TEE protocol: a request as the server (cvmm) parses it, and an
 * answer (header, report, certificate table) as the agent checks it.
 */
#include <stdint.h>
#include <string.h>

#include "proto/simtee.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct simtee_req req = {
		.kind = SIMTEE_KIND_SNP_REPORT, .flags = SIMTEE_F_CERTS, .report_version = 3,
	}, back;
	struct simtee_rsp_hdr h;
	uint8_t enc[SIMTEE_REQ_SIZE];
	struct err_msg why;

	if (!simtee_req_parse(data, size, &back)) {
		/* a request that parses encodes back to the same bytes */
		if (simtee_req_encode(&back, enc) || memcmp(enc, data, SIMTEE_REQ_SIZE))
			__builtin_trap();
	}
	if (size < SIMTEE_RSP_HDR_SIZE)
		return 0;
	if (simtee_rsp_hdr_parse(data, SIMTEE_RSP_HDR_SIZE, &req, &h, &why) ||
	    h.status != SIMTEE_OK)
		return 0;
	if (h.report_len != SIMTEE_REPORT_SIZE || h.certs_len > SIMTEE_MAX_CERTS)
		__builtin_trap();
	size -= SIMTEE_RSP_HDR_SIZE;
	data += SIMTEE_RSP_HDR_SIZE;
	if (size < (size_t)h.report_len + h.certs_len)
		return 0;
	simtee_rsp_body_check(&req, data, h.report_len, data + h.report_len, h.certs_len,
			      &why);
	return 0;
}
