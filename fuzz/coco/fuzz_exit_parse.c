// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: what confidential guests hand the VMM at run time -- the
 * TDG.VP.VMCALL<GetQuote> request (GPA, size, buffer header), the quote
 * generation service's reply, the register dump of a TDX ReportFatalError
 * and an SEV termination request.
 *
 * Input: u64 gpa | u64 size | 24-byte GetQuote header | u32 ndata |
 *        16 x u64 registers | QGS reply message (the rest).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "coco/kvm/exit_parse.h"
#include "kvm/uapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take(const uint8_t **p, size_t *left, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n && *left; i++, (*p)++, (*left)--)
		v |= (uint64_t)**p << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t hdr[TDX_QUOTE_HDR_LEN], frame[4096];
	const uint8_t *p = data, *quote;
	uint64_t gpa, len, regs[16];
	struct tdx_quote_hdr h;
	uint32_t ndata, qlen;
	size_t left = size, out;
	char line[400];
	unsigned int i;

	gpa = take(&p, &left, 8);
	len = take(&p, &left, 8);
	for (i = 0; i < sizeof(hdr); i++)
		hdr[i] = (uint8_t)take(&p, &left, 1);
	if (tdx_quote_check(gpa, len, hdr, &h) == TDVMCALL_STATUS_SUCCESS &&
	    h.in_len > len - TDX_QUOTE_HDR_LEN)
		__builtin_trap();	/* the check must bound in_len */
	tdx_quote_check(gpa, len, NULL, &h);

	ndata = (uint32_t)take(&p, &left, 4) % 20;
	for (i = 0; i < 16; i++)
		regs[i] = take(&p, &left, 8);
	coco_describe_tdx_fatal(regs, ndata > 16 ? 16 : ndata, line, sizeof(line));
	if (strlen(line) >= sizeof(line))
		__builtin_trap();
	coco_describe_sev_term(regs, ndata > 16 ? 16 : ndata, line, 1 + ndata);

	/* the rest is a QGS reply; and, framed, the report of a request */
	if (!qgs_response_parse(p, left, &quote, &qlen) &&
	    (quote < p || quote + qlen > p + left))
		__builtin_trap();
	if (left <= UINT32_MAX)
		qgs_request_build(p, (uint32_t)left, frame, sizeof(frame), &out);
	if (left >= QGS_FRAME_LEN)
		(void)qgs_frame_len(p);
	return 0;
}
