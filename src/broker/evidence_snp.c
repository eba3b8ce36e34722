// SPDX-License-Identifier: GPL-2.0-only
/*
 * SEV-SNP evidence: Trustee's serde JSON <-> the 1184-byte report (layout:
 * SEV-SNP firmware ABI "ATTESTATION_REPORT"), and cvmm's raw form.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest/certs.h"
#include "attest/snp/certs.h"
#include "broker/evidence_snp.h"
#include "jose/b64url.h"
#include "util/bytes.h"
#include "util/err.h"

enum kind { U8, U32, U64, BYTES, TCB, VER, SIG };

struct field {
	const char *name;
	enum kind kind;
	uint16_t off;
	uint16_t len;		/* BYTES */
	uint8_t min_version;	/* absent/null allowed below this version */
};

static const struct field fields[] = {
	{ "guest_svn", U32, 0x004, 0, 0 },
	{ "policy", U64, 0x008, 0, 0 },
	{ "family_id", BYTES, 0x010, 16, 0 },
	{ "image_id", BYTES, 0x020, 16, 0 },
	{ "vmpl", U32, 0x030, 0, 0 },
	{ "sig_algo", U32, 0x034, 0, 0 },
	{ "current_tcb", TCB, 0x038, 0, 0 },
	{ "plat_info", U64, 0x040, 0, 0 },
	{ "key_info", U32, 0x048, 0, 0 },
	{ "report_data", BYTES, 0x050, 64, 0 },
	{ "measurement", BYTES, 0x090, 48, 0 },
	{ "host_data", BYTES, 0x0C0, 32, 0 },
	{ "id_key_digest", BYTES, 0x0E0, 48, 0 },
	{ "author_key_digest", BYTES, 0x110, 48, 0 },
	{ "report_id", BYTES, 0x140, 32, 0 },
	{ "report_id_ma", BYTES, 0x160, 32, 0 },
	{ "reported_tcb", TCB, 0x180, 0, 0 },
	{ "cpuid_fam_id", U8, 0x188, 0, 3 },
	{ "cpuid_mod_id", U8, 0x189, 0, 3 },
	{ "cpuid_step", U8, 0x18A, 0, 3 },
	{ "chip_id", BYTES, 0x1A0, 64, 0 },
	{ "committed_tcb", TCB, 0x1E0, 0, 0 },
	{ "current", VER, 0x1E8, 0, 0 },
	{ "committed", VER, 0x1EC, 0, 0 },
	{ "launch_tcb", TCB, 0x1F0, 0, 0 },
	{ "launch_mit_vector", U64, 0x1F8, 0, 5 },
	{ "current_mit_vector", U64, 0x200, 0, 5 },
	{ "signature", SIG, 0x2A0, 0, 0 },
};

struct ectx {
	struct err_msg *why;
};

static int __attribute__((format(printf, 2, 3)))
bad(struct ectx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(c->why, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* A JSON integer in [0, max]. */
static int get_uint(struct ectx *c, const json_t *v, const char *name,
		    uint64_t max, uint64_t *out)
{
	json_int_t i;

	if (!json_is_integer(v))
		return bad(c, "attestation_report.%s: expected an integer", name);
	i = json_integer_value(v);
	/* jansson integers are signed 64-bit: u64 values above 2^63 wrap */
	if (max == UINT64_MAX) {
		*out = (uint64_t)i;
		return 0;
	}
	if (i < 0 || (uint64_t)i > max)
		return bad(c, "attestation_report.%s: out of range", name);
	*out = (uint64_t)i;
	return 0;
}

static int get_bytes(struct ectx *c, const json_t *v, const char *name,
		     uint8_t *out, size_t len)
{
	size_t i;
	uint64_t b = 0;

	if (!json_is_array(v) || json_array_size(v) != len) {
		err_set(c->why, "attestation_report.%s: expected %zu bytes", name, len);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (get_uint(c, json_array_get(v, i), name, 255, &b))
			return -EINVAL;
		out[i] = (uint8_t)b;
	}
	return 0;
}

static int get_member(struct ectx *c, const json_t *o, const char *obj,
		      const char *key, uint64_t max, uint64_t *out)
{
	const json_t *v = json_object_get(o, key);

	if (!v)
		return bad(c, "attestation_report.%s: missing member", obj);
	return get_uint(c, v, obj, max, out);
}

static int put_tcb(struct ectx *c, const json_t *v, const char *name, uint8_t *p)
{
	uint64_t bl, tee, snp, uc, fmc = 0;
	const json_t *f;

	if (!json_is_object(v))
		return bad(c, "attestation_report.%s: expected a TCB object", name);
	if (get_member(c, v, name, "bootloader", 255, &bl) ||
	    get_member(c, v, name, "tee", 255, &tee) ||
	    get_member(c, v, name, "snp", 255, &snp) ||
	    get_member(c, v, name, "microcode", 255, &uc))
		return -EINVAL;
	f = json_object_get(v, "fmc");
	memset(p, 0, 8);
	if (f && !json_is_null(f)) {
		if (get_uint(c, f, name, 255, &fmc))
			return -EINVAL;
		p[0] = (uint8_t)fmc;
		p[1] = (uint8_t)bl;
		p[2] = (uint8_t)tee;
		p[3] = (uint8_t)snp;
	} else {
		p[0] = (uint8_t)bl;
		p[1] = (uint8_t)tee;
		p[6] = (uint8_t)snp;
	}
	p[7] = (uint8_t)uc;
	return 0;
}

static int put_field(struct ectx *c, const struct field *f, const json_t *v, uint8_t *r)
{
	uint8_t *p = r + f->off;
	uint64_t x, y, z;

	switch (f->kind) {
	case U8:
	case U32:
	case U64:
		if (get_uint(c, v, f->name, f->kind == U8 ? 0xff :
			     f->kind == U32 ? 0xffffffffu : UINT64_MAX, &x))
			return -EINVAL;
		put_le(p, x, f->kind == U8 ? 1 : f->kind == U32 ? 4 : 8);
		return 0;
	case BYTES:
		return get_bytes(c, v, f->name, p, f->len);
	case TCB:
		return put_tcb(c, v, f->name, p);
	case VER:
		if (!json_is_object(v) ||
		    get_member(c, v, f->name, "build", 255, &x) ||
		    get_member(c, v, f->name, "minor", 255, &y) ||
		    get_member(c, v, f->name, "major", 255, &z))
			return bad(c, "attestation_report.%s: expected {major,minor,build}",
				   f->name);
		p[0] = (uint8_t)x;
		p[1] = (uint8_t)y;
		p[2] = (uint8_t)z;
		return 0;
	case SIG:
		if (!json_is_object(v) ||
		    get_bytes(c, json_object_get(v, "r"), "signature.r", p,
			      SNP_SIG_COMPONENT_LEN) ||
		    get_bytes(c, json_object_get(v, "s"), "signature.s",
			      p + SNP_SIG_COMPONENT_LEN, SNP_SIG_COMPONENT_LEN))
			return bad(c, "attestation_report.%s: expected {r[72], s[72]}",
				   f->name);
		return 0;
	}
	return -EINVAL;
}

static int serde_decode(struct ectx *c, const json_t *ar, uint8_t *r)
{
	uint64_t version;
	size_t i;

	memset(r, 0, SNP_REPORT_SIZE);
	if (!json_is_object(ar))
		return bad(c, "%s: expected an object", "attestation_report");
	if (get_member(c, ar, "version", "version", 0xffffffffu, &version))
		return -EINVAL;
	put_le(r, version, 4);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		const json_t *v = json_object_get(ar, f->name);

		if ((!v || json_is_null(v)) && version < f->min_version)
			continue;
		if (!v)
			return bad(c, "attestation_report.%s: missing member", f->name);
		if (put_field(c, f, v, r))
			return -EINVAL;
	}
	return 0;
}

static int add_der(struct ectx *c, struct snp_evidence *ev, const char *type,
		   const uint8_t *der, size_t len)
{
	const uint8_t *p = der;

	if (!strcmp(type, "CRL")) {
		X509_CRL *crl = d2i_X509_CRL(NULL, &p, (long)len);

		if (!crl || p != der + len || !sk_X509_CRL_push(ev->crls, crl)) {
			X509_CRL_free(crl);
			return bad(c, "cert_chain: %s entry does not decode", type);
		}
	} else {
		X509 *x = d2i_X509(NULL, &p, (long)len);

		if (!x || p != der + len || !sk_X509_push(ev->certs, x)) {
			X509_free(x);
			return bad(c, "cert_chain: %s entry does not decode", type);
		}
	}
	return 0;
}

static int cert_chain_decode(struct ectx *c, const json_t *chain, struct snp_evidence *ev)
{
	uint8_t *der = NULL;
	size_t i, n;
	int ret = 0;

	if (!chain || json_is_null(chain))
		return 0;
	if (!json_is_array(chain) || json_array_size(chain) > SNP_EVIDENCE_MAX_CERTS)
		return bad(c, "%s: expected a list of at most 16 entries", "cert_chain");
	der = malloc(SNP_EVIDENCE_MAX_CERT);
	if (!der)
		return -ENOMEM;
	for (i = 0; i < json_array_size(chain) && !ret; i++) {
		const json_t *e = json_array_get(chain, i);
		const char *type = json_string_value(json_object_get(e, "cert_type"));
		const json_t *data = json_object_get(e, "data");

		n = json_array_size(data);
		if (!type || !json_is_array(data) || !n || n > SNP_EVIDENCE_MAX_CERT) {
			ret = bad(c, "%s: entries are {cert_type, data[bytes]}", "cert_chain");
			break;
		}
		ret = get_bytes(c, data, "cert_chain.data", der, n);
		if (!ret && (!strcmp(type, "VCEK") || !strcmp(type, "VLEK") ||
			     !strcmp(type, "ASK") || !strcmp(type, "ASVK") ||
			     !strcmp(type, "ARK") || !strcmp(type, "CRL")))
			ret = add_der(c, ev, type, der, n);
	}
	free(der);
	return ret;
}

static int raw_decode(struct ectx *c, const json_t *primary, struct snp_evidence *ev)
{
	const json_t *rep = json_object_get(primary, "report");
	const json_t *tab = json_object_get(primary, "cert_table");
	uint8_t *buf = NULL;
	size_t len = 0;
	int ret;

	if (!json_is_string(rep) ||
	    b64_decode(json_string_value(rep), json_string_length(rep), &buf, &len) ||
	    len != SNP_REPORT_SIZE) {
		free(buf);
		return bad(c, "%s: expected the base64 of a 1184-byte report", "report");
	}
	memcpy(ev->report, buf, SNP_REPORT_SIZE);
	free(buf);
	if (!tab || json_is_null(tab))
		return 0;
	if (!json_is_string(tab) ||
	    b64_decode(json_string_value(tab), json_string_length(tab), &buf, &len))
		return bad(c, "%s: expected base64", "cert_table");
	ret = snp_cert_table_load(buf, len, ev->certs, ev->crls);
	free(buf);
	if (ret == -ENOMEM)
		return ret;
	return ret ? bad(c, "%s: malformed certificate table", "cert_table") : 0;
}

int snp_evidence_parse(const json_t *primary, struct snp_evidence *ev,
		       struct err_msg *why)
{
	struct ectx c = { why };
	const json_t *ar;
	int ret;

	memset(ev, 0, sizeof(*ev));
	ev->certs = sk_X509_new_null();
	ev->crls = sk_X509_CRL_new_null();
	if (!ev->certs || !ev->crls) {
		snp_evidence_free(ev);
		return -ENOMEM;
	}
	if (!json_is_object(primary)) {
		ret = bad(&c, "%s: expected an object", "primary_evidence");
		goto out;
	}
	ar = json_object_get(primary, "attestation_report");
	if (ar) {
		ret = serde_decode(&c, ar, ev->report);
		if (!ret)
			ret = cert_chain_decode(&c, json_object_get(primary, "cert_chain"), ev);
	} else if (json_object_get(primary, "report")) {
		ret = raw_decode(&c, primary, ev);
	} else {
		ret = bad(&c, "%s: neither attestation_report nor report", "primary_evidence");
	}
out:
	if (ret)
		snp_evidence_free(ev);
	return ret;
}

void snp_evidence_free(struct snp_evidence *ev)
{
	sk_X509_pop_free(ev->certs, X509_free);
	sk_X509_CRL_pop_free(ev->crls, X509_CRL_free);
	ev->certs = NULL;
	ev->crls = NULL;
}

static json_t *bytes_json(const uint8_t *p, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_integer(p[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *tcb_json(const uint8_t *p, bool turin)
{
	if (turin)
		return json_pack("{s:i,s:i,s:i,s:i,s:i}", "fmc", p[0], "bootloader", p[1],
				 "tee", p[2], "snp", p[3], "microcode", p[7]);
	return json_pack("{s:n,s:i,s:i,s:i,s:i}", "fmc", "bootloader", p[0],
			 "tee", p[1], "snp", p[6], "microcode", p[7]);
}

static json_t *field_json(const struct field *f, const uint8_t *r, bool turin)
{
	const uint8_t *p = r + f->off;

	switch (f->kind) {
	case U8:
		return json_integer(p[0]);
	case U32:
		return json_integer((json_int_t)get_le(p, 4));
	case U64:
		return json_integer((json_int_t)get_le(p, 8));
	case BYTES:
		return bytes_json(p, f->len);
	case TCB:
		return tcb_json(p, turin);
	case VER:
		return json_pack("{s:i,s:i,s:i}", "major", p[2], "minor", p[1],
				 "build", p[0]);
	case SIG:
		return json_pack("{s:o,s:o}", "r", bytes_json(p, SNP_SIG_COMPONENT_LEN),
				 "s", bytes_json(p + SNP_SIG_COMPONENT_LEN,
						 SNP_SIG_COMPONENT_LEN));
	}
	return NULL;
}

json_t *snp_report_to_serde(const uint8_t report[SNP_REPORT_SIZE])
{
	struct snp_report r;
	json_t *o;
	bool turin;
	size_t i;

	if (snp_report_parse(report, SNP_REPORT_SIZE, &r))
		return NULL;
	turin = snp_report_product(&r) == SNP_PRODUCT_TURIN;
	o = json_pack("{s:i}", "version", (json_int_t)r.version);
	for (i = 0; o && i < sizeof(fields) / sizeof(fields[0]); i++) {
		const struct field *f = &fields[i];
		json_t *v;

		if (r.version < f->min_version)
			continue;	/* not in this version's layout */
		v = field_json(f, report, turin);
		if (!v || json_object_set_new(o, f->name, v)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}
