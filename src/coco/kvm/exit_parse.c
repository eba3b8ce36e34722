// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing of guest-provided confidential exit data (see coco/exit_parse.h).
 * Everything here is hostile input: lengths are checked before use.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "coco/kvm/exit_parse.h"
#include "kvm/uapi.h"
#include "util/bytes.h"

#define PAGE_MASK	0xfffULL

/* kvm_run.system_event.data[] indices: KVM's VCPU_REGS_* order */
enum { R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
       R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15 };

#define TDX_FATAL_GPA_VALID	(1ULL << 63)

void tdx_quote_hdr_decode(const uint8_t in[TDX_QUOTE_HDR_LEN], struct tdx_quote_hdr *h)
{
	h->version = get_le(in, 8);
	h->status = get_le(in + 8, 8);
	h->in_len = (uint32_t)get_le(in + 16, 4);
	h->out_len = (uint32_t)get_le(in + 20, 4);
}

void tdx_quote_hdr_encode(const struct tdx_quote_hdr *h, uint8_t out[TDX_QUOTE_HDR_LEN])
{
	put_le(out, h->version, 8);
	put_le(out + 8, h->status, 8);
	put_le(out + 16, h->in_len, 4);
	put_le(out + 20, h->out_len, 4);
}

uint64_t tdx_quote_check(uint64_t gpa, uint64_t size, const uint8_t *hdr,
			 struct tdx_quote_hdr *h)
{
	if (!size)
		return TDVMCALL_STATUS_INVALID_OPERAND;
	if ((gpa & PAGE_MASK) || (size & PAGE_MASK))
		return TDVMCALL_STATUS_ALIGN_ERROR;
	if (size > TDX_QUOTE_MAX_BUF || gpa + size < gpa || !hdr)
		return TDVMCALL_STATUS_INVALID_OPERAND;
	tdx_quote_hdr_decode(hdr, h);
	if (h->version != TDX_QUOTE_VERSION)
		return TDVMCALL_STATUS_INVALID_OPERAND;
	if (h->in_len > size - TDX_QUOTE_HDR_LEN)
		return TDVMCALL_STATUS_INVALID_OPERAND;
	return TDVMCALL_STATUS_SUCCESS;
}

int qgs_request_build(const uint8_t *report, uint32_t report_len, uint8_t *out,
		      size_t cap, size_t *out_len)
{
	uint64_t msg = (uint64_t)QGS_GET_QUOTE_REQ_LEN + report_len;

	if (QGS_FRAME_LEN + msg > cap || msg > UINT32_MAX)
		return -E2BIG;
	/* frame: big-endian length of the message */
	put_be32(out, (uint32_t)msg);
	out += QGS_FRAME_LEN;
	put_le(out, QGS_MAJOR, 2);
	put_le(out + 2, QGS_MINOR, 2);
	put_le(out + 4, QGS_GET_QUOTE_REQ, 4);
	put_le(out + 8, msg, 4);		/* size, header included */
	put_le(out + 12, 0, 4);			/* error_code */
	put_le(out + 16, report_len, 4);	/* report_size */
	put_le(out + 20, 0, 4);			/* id_list_size */
	if (report_len)
		memcpy(out + QGS_GET_QUOTE_REQ_LEN, report, report_len);
	*out_len = QGS_FRAME_LEN + (size_t)msg;
	return 0;
}

uint32_t qgs_frame_len(const uint8_t hdr[QGS_FRAME_LEN])
{
	return get_be32(hdr);
}

int qgs_response_parse(const uint8_t *msg, size_t len, const uint8_t **quote,
		       uint32_t *quote_len)
{
	uint32_t size, qlen;

	if (len < QGS_GET_QUOTE_RESP_LEN)
		return -EBADMSG;
	if (get_le(msg, 2) != QGS_MAJOR || get_le(msg + 2, 2) != QGS_MINOR ||
	    get_le(msg + 4, 4) != QGS_GET_QUOTE_RESP)
		return -EBADMSG;
	size = (uint32_t)get_le(msg + 8, 4);
	if (size != len || get_le(msg + 12, 4) != 0)	/* error_code */
		return -EBADMSG;
	if (get_le(msg + 16, 4) != 0)			/* selected_id_size */
		return -EBADMSG;
	qlen = (uint32_t)get_le(msg + 20, 4);
	if (qlen != len - QGS_GET_QUOTE_RESP_LEN)
		return -EBADMSG;
	*quote = msg + QGS_GET_QUOTE_RESP_LEN;
	*quote_len = qlen;
	return 0;
}

/* Append to buf at *used, truncating safely. */
static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*used += (size_t)n < len - *used ? (size_t)n : len - *used - 1;
}

void coco_describe_tdx_fatal(const uint64_t *data, uint32_t ndata, char *buf, size_t len)
{
	static const int msg_regs[8] = { R_R14, R_R15, R_RBX, R_RDI, R_RSI, R_R8, R_R9, R_RDX };
	uint64_t code, mask;
	size_t used = 0;
	unsigned int i, j;
	bool any = false;

	if (!len)
		return;
	buf[0] = '\0';
	if (ndata < 16) {
		append(buf, len, &used, "the TD reported a fatal error (no details from KVM)");
		return;
	}
	code = data[R_R12];
	mask = data[R_RCX];
	append(buf, len, &used, "the TD reported a fatal error: code 0x%" PRIx64, code);
	if (code & 0xffff)
		append(buf, len, &used, " (malformed: bits 15:0 must be zero)");
	for (i = 0; i < 8 && mask; i++) {
		uint64_t r;

		if (!(mask & (1ULL << msg_regs[i])))
			continue;
		r = data[msg_regs[i]];
		for (j = 0; j < 8; j++) {
			unsigned char ch = (unsigned char)(r >> (8 * j));

			if (!ch)
				goto done;
			if (!any) {
				append(buf, len, &used, ", message \"");
				any = true;
			}
			if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
				append(buf, len, &used, "%c", ch);
			else
				append(buf, len, &used, "\\x%02x", ch);
		}
	}
done:
	if (any)
		append(buf, len, &used, "\"");
	if (code & TDX_FATAL_GPA_VALID)
		append(buf, len, &used, ", details at GPA 0x%" PRIx64, data[R_R13]);
}

void coco_describe_sev_term(const uint64_t *data, uint32_t ndata, char *buf, size_t len)
{
	size_t used = 0;
	uint64_t v;

	if (!len)
		return;
	buf[0] = '\0';
	if (!ndata) {
		append(buf, len, &used, "the SEV-ES guest shut down (triple fault): its "
		       "encrypted state cannot be reset");
		return;
	}
	v = data[0];
	if ((v & GHCB_MSR_INFO_MASK) == GHCB_MSR_TERM_REQ)
		append(buf, len, &used, "the SEV guest requested termination (GHCB reason "
		       "set %u, code 0x%02x)", (unsigned int)(v >> 12) & 0xf,
		       (unsigned int)(v >> 16) & 0xff);
	else
		append(buf, len, &used, "the SEV guest requested termination (GHCB at 0x%"
		       PRIx64 ")", v);
}
