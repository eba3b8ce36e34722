/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_PROTO_SIMTEE_H
#define CVMM_PROTO_SIMTEE_H

/*
 * The cvmm simulated TEE ("sim-TEE") report protocol, over vsock.
 *
 * On `cvmm boot --coco snp,…,platform=sim` no hardware signs reports: cvmm
 * itself plays the SEV-SNP firmware and answers report requests on a vsock
 * port of the host (CID 2).  It signs with a *test* VCEK whose chain
 * (test ARK -> test ASK -> test VCEK) nothing trusts by default; a broker
 * accepts such evidence only when told to (cvmm-broker --test-roots).
 * Memory is not encrypted on that platform: it exists to test the whole
 * attestation chain, never to protect anything.
 *
 * Transport: a vsock stream connection from the guest to CID 2, port
 * SIMTEE_VSOCK_PORT (4051, next to 4050, the port QEMU and Intel's QGS use
 * for TDX quotes).  With cvmm's hybrid vsock the host side is the AF_UNIX
 * socket <uds>_4051.  One request, one answer, then the host closes.
 *
 * All integers are little-endian.
 *
 * Request (SIMTEE_REQ_SIZE = 96 bytes):
 *    0  u32  magic           SIMTEE_REQ_MAGIC ("CSTQ")
 *    4  u16  version         SIMTEE_VERSION (1)
 *    6  u16  kind            SIMTEE_KIND_SNP_REPORT (1)
 *    8  u32  flags           SIMTEE_F_CERTS: append the certificate table
 *   12  u32  vmpl            0..3, the VMPL the report is requested for
 *   16  u32  report_version  3 or 5 (0: the platform's default, 3)
 *   20  u8   reserved[12]    zero
 *   32  u8   report_data[64] copied into REPORT_DATA
 *
 * Answer: a SIMTEE_RSP_HDR_SIZE (32-byte) header, then report_len bytes of
 * report, then certs_len bytes of certificate table:
 *    0  u32  magic           SIMTEE_RSP_MAGIC ("CSTR")
 *    4  u16  version         SIMTEE_VERSION
 *    6  u16  kind            the request's kind
 *    8  u32  status          enum simtee_status
 *   12  u32  report_len      SNP_REPORT_SIZE (1184) when status is OK, else 0
 *   16  u32  certs_len       0 .. SIMTEE_MAX_CERTS; 0 unless SIMTEE_F_CERTS
 *   20  u8   reserved[12]    zero
 *
 * The report is the 1184-byte ATTESTATION_REPORT of the SEV-SNP firmware
 * ABI (version 3 or 5 as asked, VMPL and REPORT_DATA as given, MEASUREMENT
 * the launch digest, signed ECDSA P-384 by the test VCEK).  The certificate
 * table has the layout of the GHCB extended-report certificate blob, which
 * is also what Linux gives as configfs-tsm's auxblob and SNP_GET_EXT_REPORT's
 * certs buffer: 24-byte entries {GUID (RFC 4122 byte order), u32 offset,
 * u32 length} ending with an all-zero entry, followed by the DER
 * certificates (VCEK 63da758d-..., ASK 4ab7b379-..., ARK c0b406a4-...).
 *
 * A server must answer every complete request (a status other than OK for
 * the ones it refuses) and may close without answering a malformed one.
 * A client must check everything: magic, version, kind, lengths, that the
 * report is a version it asked for and carries its REPORT_DATA and VMPL.
 */
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define SIMTEE_VSOCK_PORT	4051
#define SIMTEE_HOST_CID		2
#define SIMTEE_REQ_MAGIC	0x51545343u	/* "CSTQ" */
#define SIMTEE_RSP_MAGIC	0x52545343u	/* "CSTR" */
#define SIMTEE_VERSION		1
#define SIMTEE_KIND_SNP_REPORT	1
#define SIMTEE_F_CERTS		(1u << 0)
#define SIMTEE_REQ_SIZE		96
#define SIMTEE_RSP_HDR_SIZE	32
#define SIMTEE_REPORT_SIZE	1184
#define SIMTEE_MAX_CERTS	(64u << 10)
#define SIMTEE_MAX_VMPL		3

enum simtee_status {
	SIMTEE_OK = 0,
	SIMTEE_ERR_BAD_REQUEST = 1,	/* malformed: magic, reserved bytes */
	SIMTEE_ERR_UNSUPPORTED = 2,	/* version, kind, flags or report version */
	SIMTEE_ERR_BAD_VMPL = 3,
	SIMTEE_ERR_INTERNAL = 4,	/* the host could not sign */
};

struct simtee_req {
	uint16_t kind;
	uint32_t flags;
	uint32_t vmpl;
	uint32_t report_version;
	uint8_t report_data[64];
};

struct simtee_rsp_hdr {
	uint16_t kind;
	uint32_t status;
	uint32_t report_len;
	uint32_t certs_len;
};

/* What a status means, for messages ("bad VMPL", ...). */
const char *simtee_status_name(uint32_t status);

/* Encode @r.  -EINVAL for a VMPL, report version or flag outside the protocol. */
int simtee_req_encode(const struct simtee_req *r, uint8_t out[SIMTEE_REQ_SIZE]);

/*
 * Decode a request (the server's side).  Returns 0, -EBADMSG (wrong size,
 * magic or non-zero reserved bytes: no answer owed), or -EPROTONOSUPPORT
 * (version, kind, flags), -ERANGE (VMPL, report version): the server
 * answers those with SIMTEE_ERR_UNSUPPORTED / SIMTEE_ERR_BAD_VMPL.
 */
int simtee_req_parse(const uint8_t *buf, size_t len, struct simtee_req *r);

/* Encode an answer header. */
void simtee_rsp_hdr_encode(const struct simtee_rsp_hdr *h,
			   uint8_t out[SIMTEE_RSP_HDR_SIZE]);

/*
 * Decode and check an answer header against the request: magic, version,
 * kind, zero reserved bytes, report_len 1184 exactly when status is OK
 * (0 otherwise), certs_len <= SIMTEE_MAX_CERTS and 0 when the request did
 * not ask for certificates.  Returns 0 or -EBADMSG with @why.
 */
int simtee_rsp_hdr_parse(const uint8_t *buf, size_t len,
			 const struct simtee_req *req,
			 struct simtee_rsp_hdr *h, struct err_msg *why);

/*
 * Check an answer body (after a header with status OK): the report's
 * version is the one asked for (3 when 0 was asked), its VMPL and
 * REPORT_DATA are the request's, and the certificate table (if any)
 * parses.  Returns 0 or -EBADMSG with @why.
 */
int simtee_rsp_body_check(const struct simtee_req *req,
			  const uint8_t *report, size_t report_len,
			  const uint8_t *certs, size_t certs_len,
			  struct err_msg *why);

#endif
