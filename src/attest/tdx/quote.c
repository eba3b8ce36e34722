// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "attest/claims.h"
#include "attest/tdx/quote.h"
#include "util/bytes.h"
#include "util/err.h"

const uint8_t tdx_intel_qe_vendor_id[16] = {
	0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
	0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07,
};

static void parse_body(const uint8_t *p, bool is_15, struct tdx_td_body *b)
{
	int i;

	memcpy(b->tee_tcb_svn, p + 0x000, 16);
	memcpy(b->mrseam, p + 0x010, 48);
	memcpy(b->mrsignerseam, p + 0x040, 48);
	memcpy(b->seam_attributes, p + 0x070, 8);
	memcpy(b->td_attributes, p + 0x078, 8);
	memcpy(b->xfam, p + 0x080, 8);
	memcpy(b->mrtd, p + 0x088, 48);
	memcpy(b->mrconfigid, p + 0x0B8, 48);
	memcpy(b->mrowner, p + 0x0E8, 48);
	memcpy(b->mrownerconfig, p + 0x118, 48);
	for (i = 0; i < 4; i++)
		memcpy(b->rtmr[i], p + 0x148 + 48 * i, 48);
	memcpy(b->report_data, p + 0x208, 64);
	b->is_15 = is_15;
	if (is_15) {
		memcpy(b->tee_tcb_svn2, p + 0x248, 16);
		memcpy(b->mrservicetd, p + 0x258, 48);
	}
}

static void parse_qe_report(const uint8_t *p, struct tdx_qe_report *r)
{
	memcpy(r->cpusvn, p + 0x00, 16);
	r->miscselect = get_le32(p + 0x10);
	memcpy(r->attributes, p + 0x30, 16);
	memcpy(r->mrenclave, p + 0x40, 32);
	memcpy(r->mrsigner, p + 0x80, 32);
	r->isvprodid = get_le16(p + 0x100);
	r->isvsvn = get_le16(p + 0x102);
	memcpy(r->report_data, p + 0x140, 64);
}

/* The 48-byte header: version 4 or 5, TEE type TDX, ECDSA P-256 key. */
static int parse_header(const uint8_t *buf, size_t len, struct tdx_quote *q,
			struct err_msg *why)
{
	if (!buf || len < TDX_HEADER_SIZE)
		return err_fail(why, -EINVAL, "%zu bytes: shorter than a quote header",
				len);
	q->version = get_le16(buf);
	q->att_key_type = get_le16(buf + 2);
	q->tee_type = get_le32(buf + 4);
	/*
	 * Bytes 8..11 are reserved in v4/v5 quotes (0 in real ones; go-tdx-guest
	 * names them QE_SVN/PCE_SVN): the PCESVN is the PCK certificate's.
	 */
	memcpy(q->reserved, buf + 8, 4);
	memcpy(q->qe_vendor_id, buf + 12, 16);
	memcpy(q->user_data, buf + 28, 20);
	if (q->version != 4 && q->version != 5)
		return err_fail(why, -EPROTONOSUPPORT,
				"quote version %u is not supported (4 or 5)", q->version);
	if (q->tee_type != TDX_TEE_TYPE)
		return err_fail(why, -EPROTONOSUPPORT, "TEE type 0x%x is not TDX (0x81)",
				q->tee_type);
	if (q->att_key_type != TDX_ATT_KEY_ECDSA_P256)
		return err_fail(why, -EPROTONOSUPPORT,
				"attestation key type %u is not ECDSA P-256 (2)",
				q->att_key_type);
	return 0;
}

/* The body type and size: implied by v4, u16 type ‖ u32 size in v5 (*@off past it). */
static int parse_body_type(const uint8_t *buf, size_t len, struct tdx_quote *q,
			   size_t *off, struct err_msg *why)
{
	size_t body_size;

	if (q->version == 4) {
		q->body_type = 2;
		q->body_size = TDX_BODY_V4_SIZE;
		return 0;
	}
	if (len < *off + 6)
		return err_fail(why, -EINVAL, "truncated in the body descriptor");
	q->body_type = get_le16(buf + *off);
	q->body_size = get_le32(buf + *off + 2);
	*off += 6;
	if (q->body_type == 2)
		body_size = TDX_BODY_V4_SIZE;
	else if (q->body_type == 3)
		body_size = TDX_BODY_V15_SIZE;
	else
		return err_fail(why, -EPROTONOSUPPORT,
				"body type %u is not a TD report (2 or 3)", q->body_type);
	if (q->body_size != body_size)
		return err_fail(why, -EINVAL, "body size %u, type %u needs %zu",
				q->body_size, q->body_type, body_size);
	return 0;
}

/*
 * The QE certification data at @off, which the signed data ends at @end:
 * QE report ‖ its signature ‖ u16 auth length ‖ auth data ‖ u16 type 5 ‖
 * u32 size ‖ PCK chain.
 */
static int parse_qe_data(const uint8_t *buf, size_t off, size_t end, struct tdx_quote *q,
			 struct err_msg *why)
{
	const uint8_t *cd = buf + off;

	if (q->cert_data_size < TDX_QE_REPORT_SIZE + 64 + 2)
		return err_fail(why, -EINVAL, "QE certification data too short");
	q->qe_report_raw = cd;
	parse_qe_report(cd, &q->qe_report);
	q->qe_report_sig = cd + TDX_QE_REPORT_SIZE;
	off += TDX_QE_REPORT_SIZE + 64;
	q->qe_auth_len = get_le16(buf + off);
	off += 2;
	if (q->qe_auth_len > end - off || end - off - q->qe_auth_len < 6)
		return err_fail(why, -EINVAL,
				"QE authentication data overruns the quote");
	q->qe_auth = buf + off;
	off += q->qe_auth_len;
	q->pck_cert_type = get_le16(buf + off);
	q->pck_len = get_le32(buf + off + 2);
	off += 6;
	if (q->pck_cert_type != 5)
		return err_fail(why, -EPROTONOSUPPORT,
				"QE certification data type %u is not 5 (PCK chain)",
				q->pck_cert_type);
	if (q->pck_len != end - off)
		return err_fail(why, -EINVAL,
				"PCK chain size 0x%x, the certification data leaves 0x%zx",
				q->pck_len, end - off);
	q->pck_data = buf + off;
	return 0;
}

int tdx_quote_parse(const uint8_t *buf, size_t len, struct tdx_quote *q,
		    struct err_msg *why)
{
	size_t off = TDX_HEADER_SIZE, end;
	int ret;

	memset(q, 0, sizeof(*q));
	ret = parse_header(buf, len, q, why);
	if (!ret)
		ret = parse_body_type(buf, len, q, &off, why);
	if (ret)
		return ret;
	if (len < off + q->body_size + 4)
		return err_fail(why, -EINVAL, "%zu bytes: truncated in the TD body", len);
	parse_body(buf + off, q->body_type == 3, &q->body);
	off += q->body_size;
	q->signed_part = buf;
	q->signed_len = off;
	q->sig_data_len = get_le32(buf + off);
	off += 4;
	if (q->sig_data_len > len - off)
		return err_fail(why, -EINVAL,
				"signed data length 0x%x exceeds the %zu bytes left",
				q->sig_data_len, len - off);
	end = off + q->sig_data_len;
	q->trailing = len - end;
	if (q->sig_data_len < 64 + 64 + 6)
		return err_fail(why, -EINVAL, "signed data too short");
	q->signature = buf + off;
	q->att_key = buf + off + 64;
	q->cert_data_type = get_le16(buf + off + 128);
	q->cert_data_size = get_le32(buf + off + 130);
	off += 134;
	if (q->cert_data_type != 6)
		return err_fail(why, -EPROTONOSUPPORT,
				"certification data type %u is not 6 (QE report)",
				q->cert_data_type);
	if (q->cert_data_size != end - off)
		return err_fail(why, -EINVAL,
				"size of certificate data is 0x%x, the signed data leaves 0x%zx",
				q->cert_data_size, end - off);
	return parse_qe_data(buf, off, end, q, why);
}

json_t *tdx_td_attributes_claims(const uint8_t attr[8])
{
	json_t *o = json_object();
	uint64_t a = get_le64(attr);

	claims_set_hex(o, "raw", attr, 8);
	claims_set_bool(o, "debug", a & TDX_ATTR_DEBUG);
	claims_set_bool(o, "sept_ve_disable", a & TDX_ATTR_SEPT_VE_DISABLE);
	claims_set_bool(o, "pks", a & TDX_ATTR_PKS);
	claims_set_bool(o, "key_locker", a & TDX_ATTR_KL);
	claims_set_bool(o, "perfmon", a & TDX_ATTR_PERFMON);
	return o;
}

static json_t *body_claims(const struct tdx_td_body *b)
{
	json_t *o = json_object(), *r = json_array();
	int i;

	claims_set_hex(o, "tee_tcb_svn", b->tee_tcb_svn, 16);
	claims_set_hex(o, "mrseam", b->mrseam, 48);
	claims_set_hex(o, "mrsignerseam", b->mrsignerseam, 48);
	claims_set_hex(o, "seam_attributes", b->seam_attributes, 8);
	json_object_set_new(o, "td_attributes", tdx_td_attributes_claims(b->td_attributes));
	claims_set_hex(o, "xfam", b->xfam, 8);
	claims_set_hex(o, "mrtd", b->mrtd, 48);
	claims_set_hex(o, "mrconfigid", b->mrconfigid, 48);
	claims_set_hex(o, "mrowner", b->mrowner, 48);
	claims_set_hex(o, "mrownerconfig", b->mrownerconfig, 48);
	for (i = 0; i < 4; i++)
		json_array_append_new(r, claims_hex(b->rtmr[i], 48));
	json_object_set_new(o, "rtmr", r);
	claims_set_hex(o, "report_data", b->report_data, 64);
	if (b->is_15) {
		claims_set_hex(o, "tee_tcb_svn2", b->tee_tcb_svn2, 16);
		claims_set_hex(o, "mrservicetd", b->mrservicetd, 48);
	}
	return o;
}

static json_t *qe_report_claims(const struct tdx_qe_report *r)
{
	json_t *o = json_object();

	claims_set_hex(o, "cpusvn", r->cpusvn, 16);
	claims_set_u64hex(o, "miscselect", r->miscselect);
	claims_set_hex(o, "attributes", r->attributes, 16);
	claims_set_hex(o, "mrenclave", r->mrenclave, 32);
	claims_set_hex(o, "mrsigner", r->mrsigner, 32);
	claims_set_int(o, "isvprodid", r->isvprodid);
	claims_set_int(o, "isvsvn", r->isvsvn);
	claims_set_hex(o, "report_data", r->report_data, 64);
	return o;
}

json_t *tdx_quote_claims(const struct tdx_quote *q)
{
	json_t *o = json_object(), *h = json_object(), *s = json_object();

	claims_set_int(h, "version", q->version);
	claims_set_int(h, "attestation_key_type", q->att_key_type);
	claims_set_u64hex(h, "tee_type", q->tee_type);
	claims_set_hex(h, "reserved", q->reserved, 4);
	claims_set_hex(h, "qe_vendor_id", q->qe_vendor_id, 16);
	claims_set_hex(h, "user_data", q->user_data, 20);
	json_object_set_new(o, "header", h);
	claims_set_int(o, "body_type", q->body_type);
	json_object_set_new(o, "td", body_claims(&q->body));
	claims_set_hex(s, "signature", q->signature, 64);
	claims_set_hex(s, "attestation_key", q->att_key, 64);
	json_object_set_new(s, "qe_report", qe_report_claims(&q->qe_report));
	claims_set_hex(s, "qe_report_signature", q->qe_report_sig, 64);
	claims_set_hex(s, "qe_auth_data", q->qe_auth, q->qe_auth_len);
	claims_set_int(s, "pck_chain_bytes", q->pck_len);
	json_object_set_new(o, "signed_data", s);
	claims_set_int(o, "trailing_bytes", (int64_t)q->trailing);
	return o;
}
