// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "proto/simtee.h"
#include "util/bytes.h"
#include "util/err.h"

/* Report offsets (SEV-SNP firmware ABI, ATTESTATION_REPORT). */
#define REP_VERSION	0x000
#define REP_VMPL	0x030
#define REP_DATA	0x050

const char *simtee_status_name(uint32_t status)
{
	switch (status) {
	case SIMTEE_OK: return "ok";
	case SIMTEE_ERR_BAD_REQUEST: return "bad request";
	case SIMTEE_ERR_UNSUPPORTED: return "unsupported request";
	case SIMTEE_ERR_BAD_VMPL: return "bad VMPL";
	case SIMTEE_ERR_INTERNAL: return "the host could not sign a report";
	default: return "unknown status";
	}
}

static int report_version_ok(uint32_t v)
{
	return v == 0 || v == 3 || v == 5;
}

int simtee_req_encode(const struct simtee_req *r, uint8_t out[SIMTEE_REQ_SIZE])
{
	if (r->vmpl > SIMTEE_MAX_VMPL || !report_version_ok(r->report_version) ||
	    (r->flags & ~SIMTEE_F_CERTS) || r->kind != SIMTEE_KIND_SNP_REPORT)
		return -EINVAL;
	memset(out, 0, SIMTEE_REQ_SIZE);
	put_le32(out, SIMTEE_REQ_MAGIC);
	put_le16(out + 4, SIMTEE_VERSION);
	put_le16(out + 6, r->kind);
	put_le32(out + 8, r->flags);
	put_le32(out + 12, r->vmpl);
	put_le32(out + 16, r->report_version);
	memcpy(out + 32, r->report_data, 64);
	return 0;
}

int simtee_req_parse(const uint8_t *buf, size_t len, struct simtee_req *r)
{
	if (len != SIMTEE_REQ_SIZE || get_le32(buf) != SIMTEE_REQ_MAGIC ||
	    !bytes_all_zero(buf + 20, 12))
		return -EBADMSG;
	memset(r, 0, sizeof(*r));
	r->kind = get_le16(buf + 6);
	r->flags = get_le32(buf + 8);
	r->vmpl = get_le32(buf + 12);
	r->report_version = get_le32(buf + 16);
	memcpy(r->report_data, buf + 32, 64);
	if (get_le16(buf + 4) != SIMTEE_VERSION ||
	    r->kind != SIMTEE_KIND_SNP_REPORT || (r->flags & ~SIMTEE_F_CERTS))
		return -EPROTONOSUPPORT;
	if (r->vmpl > SIMTEE_MAX_VMPL || !report_version_ok(r->report_version))
		return -ERANGE;
	return 0;
}

void simtee_rsp_hdr_encode(const struct simtee_rsp_hdr *h,
			   uint8_t out[SIMTEE_RSP_HDR_SIZE])
{
	memset(out, 0, SIMTEE_RSP_HDR_SIZE);
	put_le32(out, SIMTEE_RSP_MAGIC);
	put_le16(out + 4, SIMTEE_VERSION);
	put_le16(out + 6, h->kind);
	put_le32(out + 8, h->status);
	put_le32(out + 12, h->report_len);
	put_le32(out + 16, h->certs_len);
}

int simtee_rsp_hdr_parse(const uint8_t *buf, size_t len,
			 const struct simtee_req *req,
			 struct simtee_rsp_hdr *h, struct err_msg *why)
{
	if (len != SIMTEE_RSP_HDR_SIZE)
		return err_fail(why, -EBADMSG, "answer header of %zu bytes", len);
	if (get_le32(buf) != SIMTEE_RSP_MAGIC)
		return err_fail(why, -EBADMSG, "bad answer magic 0x%08x", get_le32(buf));
	if (get_le16(buf + 4) != SIMTEE_VERSION)
		return err_fail(why, -EBADMSG, "answer version %u", get_le16(buf + 4));
	h->kind = get_le16(buf + 6);
	h->status = get_le32(buf + 8);
	h->report_len = get_le32(buf + 12);
	h->certs_len = get_le32(buf + 16);
	if (h->kind != req->kind)
		return err_fail(why, -EBADMSG, "answer for kind %u", h->kind);
	if (!bytes_all_zero(buf + 20, 12))
		return err_fail(why, -EBADMSG, "reserved answer bytes are not zero");
	if (h->status != SIMTEE_OK) {
		if (h->report_len || h->certs_len)
			return err_fail(why, -EBADMSG, "a refusal with a body");
		return 0;
	}
	if (h->report_len != SIMTEE_REPORT_SIZE)
		return err_fail(why, -EBADMSG, "report of %u bytes", h->report_len);
	if (h->certs_len > SIMTEE_MAX_CERTS)
		return err_fail(why, -EBADMSG, "certificate table of %u bytes", h->certs_len);
	if (h->certs_len && !(req->flags & SIMTEE_F_CERTS))
		return err_fail(why, -EBADMSG, "certificates that were not asked for");
	return 0;
}

int simtee_rsp_body_check(const struct simtee_req *req,
			  const uint8_t *report, size_t report_len,
			  const uint8_t *certs, size_t certs_len,
			  struct err_msg *why)
{
	struct snp_cert_entry e[SNP_CERT_TABLE_MAX];
	uint32_t want = req->report_version ? req->report_version : 3;
	size_t n;

	if (report_len != SIMTEE_REPORT_SIZE)
		return err_fail(why, -EBADMSG, "report of %zu bytes", report_len);
	if (get_le32(report + REP_VERSION) != want)
		return err_fail(why, -EBADMSG, "report version %u, asked for %u",
				get_le32(report + REP_VERSION), want);
	if (get_le32(report + REP_VMPL) != req->vmpl)
		return err_fail(why, -EBADMSG, "report for VMPL %u, asked for %u",
				get_le32(report + REP_VMPL), req->vmpl);
	if (memcmp(report + REP_DATA, req->report_data, 64))
		return err_fail(why, -EBADMSG, "the report does not carry our REPORT_DATA");
	if (certs_len &&
	    snp_cert_table_parse(certs, certs_len, e, SNP_CERT_TABLE_MAX, &n) < 0)
		return err_fail(why, -EBADMSG, "malformed certificate table");
	return 0;
}
