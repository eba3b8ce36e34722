/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_KVM_EXIT_PARSE_H
#define CVMM_COCO_KVM_EXIT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Guest-provided structures of confidential exits, parsed without trust:
 * the TDG.VP.VMCALL<GetQuote> buffer header (GHCI), the messages of
 * Intel's quote generation service (QGS, as QEMU speaks it: a 4-byte
 * big-endian length, then qgs_msg_header version 1.1), and the register
 * dumps of TDX ReportFatalError and SEV termination requests.
 */

/* GetQuote shared buffer: { u64 version; u64 status; u32 in_len; u32 out_len; data } */
#define TDX_QUOTE_HDR_LEN		24
#define TDX_QUOTE_VERSION		1
#define TDX_QUOTE_MAX_BUF		(128u * 1024)	/* as QEMU */
#define TDX_QUOTE_SUCCESS		0x0000000000000000ULL
#define TDX_QUOTE_IN_FLIGHT		0xffffffffffffffffULL
#define TDX_QUOTE_ERROR			0x8000000000000000ULL
#define TDX_QUOTE_QGS_UNAVAILABLE	0x8000000000000001ULL

struct tdx_quote_hdr {
	uint64_t version;
	uint64_t status;
	uint32_t in_len;
	uint32_t out_len;
};

void tdx_quote_hdr_decode(const uint8_t in[TDX_QUOTE_HDR_LEN], struct tdx_quote_hdr *h);
void tdx_quote_hdr_encode(const struct tdx_quote_hdr *h, uint8_t out[TDX_QUOTE_HDR_LEN]);

/*
 * Check a GetQuote request: the buffer's GPA and size (4 KiB aligned,
 * size > 0 and at most TDX_QUOTE_MAX_BUF) and its header (version 1,
 * in_len fits after the header).  Returns the TDVMCALL status to give
 * the guest when the request is refused (TDVMCALL_STATUS_ALIGN_ERROR,
 * TDVMCALL_STATUS_INVALID_OPERAND), TDVMCALL_STATUS_SUCCESS when it can
 * be served (*@h filled).  @hdr is the buffer's first 24 bytes, NULL if
 * they could not be read.
 */
uint64_t tdx_quote_check(uint64_t gpa, uint64_t size, const uint8_t *hdr,
			 struct tdx_quote_hdr *h);

/* QGS (qgs_msg_lib 1.1): header { u16 major, minor; u32 type, size, error } */
#define QGS_FRAME_LEN		4	/* big-endian length of the message that follows */
#define QGS_MSG_HDR_LEN		16
#define QGS_GET_QUOTE_REQ_LEN	(QGS_MSG_HDR_LEN + 8)
#define QGS_GET_QUOTE_RESP_LEN	(QGS_MSG_HDR_LEN + 8)
#define QGS_MAJOR		1
#define QGS_MINOR		1
#define QGS_GET_QUOTE_REQ	0
#define QGS_GET_QUOTE_RESP	1

/* Frame a GET_QUOTE_REQ for @report into @out (@cap bytes); -E2BIG if it does not fit. */
int qgs_request_build(const uint8_t *report, uint32_t report_len, uint8_t *out,
		      size_t cap, size_t *out_len);
/* The message length announced by a frame header. */
uint32_t qgs_frame_len(const uint8_t hdr[QGS_FRAME_LEN]);
/*
 * Parse a GET_QUOTE_RESP message (without its frame header): version
 * 1.1, the right type, size consistent with @len, error_code 0, no
 * selected ID, quote_size == what follows.  -EBADMSG otherwise.
 */
int qgs_response_parse(const uint8_t *msg, size_t len, const uint8_t **quote,
		       uint32_t *quote_len);

/*
 * One line about a TDX ReportFatalError (KVM_SYSTEM_EVENT_TDX_FATAL:
 * data[] holds the 16 GPRs in KVM's order; R12 the error code, RCX the
 * mask of registers that carry the message, R13 the GPA of more details
 * when R12 bit 63 is set; the message bytes come from R14, R15, RBX,
 * RDI, RSI, R8, R9, RDX).  Non-printable bytes are escaped.
 */
void coco_describe_tdx_fatal(const uint64_t *data, uint32_t ndata, char *buf, size_t len);
/* One line about an SEV termination request (KVM_SYSTEM_EVENT_SEV_TERM). */
void coco_describe_sev_term(const uint64_t *data, uint32_t ndata, char *buf, size_t len);

#endif
