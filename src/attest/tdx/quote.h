/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_ATTEST_TDX_QUOTE_H
#define CVMM_ATTEST_TDX_QUOTE_H

/*
 * Intel TDX DCAP quotes, versions 4 and 5 (Intel TDX DCAP Quote Generation
 * Library and Quote Verification Library API, "Quote Format"):
 *
 *   v4: header(48) ‖ TD body(584)                       ‖ u32 sig_len ‖ signed data
 *   v5: header(48) ‖ u16 type ‖ u32 size ‖ TD body(584|648) ‖ u32 sig_len ‖ signed data
 *
 * signed data = signature(64) ‖ attestation key(64) ‖ u16 type 6 ‖ u32 size ‖
 *   { QE report(384) ‖ QE report signature(64) ‖ u16 auth len ‖ auth data ‖
 *     u16 type 5 ‖ u32 size ‖ PCK certificate chain }
 * Bytes after the signed data are tolerated (real quotes carry padding).
 * Parsed fields point into the caller's buffer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "util/err.h"

#define TDX_HEADER_SIZE		48
#define TDX_BODY_V4_SIZE	584
#define TDX_BODY_V15_SIZE	648
#define TDX_QE_REPORT_SIZE	384
#define TDX_TEE_TYPE		0x81
#define TDX_ATT_KEY_ECDSA_P256	2

/* TD_ATTRIBUTES bits */
#define TDX_ATTR_DEBUG		(1ULL << 0)
#define TDX_ATTR_SEPT_VE_DISABLE (1ULL << 28)
#define TDX_ATTR_PKS		(1ULL << 30)
#define TDX_ATTR_KL		(1ULL << 31)
#define TDX_ATTR_PERFMON	(1ULL << 63)

extern const uint8_t tdx_intel_qe_vendor_id[16];

struct tdx_td_body {
	uint8_t tee_tcb_svn[16];
	uint8_t mrseam[48];
	uint8_t mrsignerseam[48];
	uint8_t seam_attributes[8];
	uint8_t td_attributes[8];
	uint8_t xfam[8];
	uint8_t mrtd[48];
	uint8_t mrconfigid[48];
	uint8_t mrowner[48];
	uint8_t mrownerconfig[48];
	uint8_t rtmr[4][48];
	uint8_t report_data[64];
	bool is_15;			/* TDX 1.5 body (v5 type 3) */
	uint8_t tee_tcb_svn2[16];
	uint8_t mrservicetd[48];
};

/* SGX REPORTBODY of the quoting enclave. */
struct tdx_qe_report {
	uint8_t cpusvn[16];
	uint32_t miscselect;
	uint8_t attributes[16];
	uint8_t mrenclave[32];
	uint8_t mrsigner[32];
	uint16_t isvprodid;
	uint16_t isvsvn;
	uint8_t report_data[64];
};

struct tdx_quote {
	uint16_t version;
	uint16_t att_key_type;
	uint32_t tee_type;
	uint8_t reserved[4];		/* header bytes 8..11: reserved in v4/v5 */
	uint8_t qe_vendor_id[16];
	uint8_t user_data[20];
	uint16_t body_type;		/* v5; 2 for v4 */
	uint32_t body_size;
	struct tdx_td_body body;

	const uint8_t *signed_part;	/* header ‖ [type ‖ size] ‖ body */
	size_t signed_len;
	uint32_t sig_data_len;
	const uint8_t *signature;	/* r ‖ s, big-endian */
	const uint8_t *att_key;		/* x ‖ y, big-endian */
	uint16_t cert_data_type;	/* 6 */
	uint32_t cert_data_size;
	const uint8_t *qe_report_raw;	/* 384 bytes */
	struct tdx_qe_report qe_report;
	const uint8_t *qe_report_sig;	/* 64 bytes */
	uint16_t qe_auth_len;
	const uint8_t *qe_auth;
	uint16_t pck_cert_type;		/* 5 */
	uint32_t pck_len;
	const uint8_t *pck_data;
	size_t trailing;		/* bytes after the signed data */
};

/*
 * Decode @buf.  Returns 0, -EPROTONOSUPPORT (version, TEE type, key type
 * or body type not supported) or -EINVAL (truncated or inconsistent
 * sizes); @why says which.
 */
int tdx_quote_parse(const uint8_t *buf, size_t len, struct tdx_quote *q,
		    struct err_msg *why);

json_t *tdx_quote_claims(const struct tdx_quote *q);
json_t *tdx_td_attributes_claims(const uint8_t attr[8]);

#endif
