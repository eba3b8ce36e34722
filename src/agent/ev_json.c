// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evidence -> the broker protocol's JSON.  The SNP form is the serde JSON
 * of virtee/sev's AttestationReport that Trustee's verifier takes: named
 * fields, byte arrays as lists of integers, TCB versions split into their
 * components ({"fmc":null|n,"bootloader","tee","snp","microcode"}, the
 * layout chosen by the product the report's CPUID fields name: Turin has
 * an FMC byte and another order).  The broker re-encodes these fields into
 * the 1184-byte layout to verify the signature, so every field must
 * round-trip; reserved bytes are zero in every report we send.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/evidence.h"
#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "jose/b64url.h"

static int __attribute__((format(printf, 4, 5)))
jfail(int err, char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (why && whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return err;
}

const char *agent_tee_name(enum agent_tee tee)
{
	return tee == AGENT_TEE_TDX ? "tdx" : "snp";
}

static json_t *bytes_list(const uint8_t *p, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a && i < n; i++) {
		if (json_array_append_new(a, json_integer(p[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *tcb_obj(uint64_t raw, enum snp_product p)
{
	struct snp_tcb t;

	snp_tcb_decode(raw, p, &t);
	return json_pack("{s:o,s:i,s:i,s:i,s:i}",
			 "fmc", t.has_fmc ? json_integer(t.fmc) : json_null(),
			 "bootloader", t.bootloader, "tee", t.tee, "snp", t.snp,
			 "microcode", t.microcode);
}

static json_t *version_obj(uint8_t major, uint8_t minor, uint8_t build)
{
	return json_pack("{s:i,s:i,s:i}", "major", major, "minor", minor,
			 "build", build);
}

/* Set @name to @v (a new reference, NULL = failed) in @o; false on error. */
static bool put(json_t *o, const char *name, json_t *v)
{
	return v && !json_object_set_new(o, name, v);
}

static bool put_ids(json_t *o, const struct snp_report *r)
{
	return put(o, "family_id", bytes_list(r->family_id, 16)) &&
	       put(o, "image_id", bytes_list(r->image_id, 16)) &&
	       put(o, "report_data", bytes_list(r->report_data, 64)) &&
	       put(o, "measurement", bytes_list(r->measurement, 48)) &&
	       put(o, "host_data", bytes_list(r->host_data, 32)) &&
	       put(o, "id_key_digest", bytes_list(r->id_key_digest, 48)) &&
	       put(o, "author_key_digest", bytes_list(r->author_key_digest, 48)) &&
	       put(o, "report_id", bytes_list(r->report_id, 32)) &&
	       put(o, "report_id_ma", bytes_list(r->report_id_ma, 32)) &&
	       put(o, "chip_id", bytes_list(r->chip_id, 64));
}

static bool put_numbers(json_t *o, const struct snp_report *r)
{
	/* The 64-bit fields have reserved high bits; refuse what JSON cannot hold. */
	if ((r->policy | r->platform_info) >> 63)
		return false;
	return put(o, "version", json_integer(r->version)) &&
	       put(o, "guest_svn", json_integer(r->guest_svn)) &&
	       put(o, "policy", json_integer((json_int_t)r->policy)) &&
	       put(o, "vmpl", json_integer(r->vmpl)) &&
	       put(o, "sig_algo", json_integer(r->signature_algo)) &&
	       put(o, "plat_info", json_integer((json_int_t)r->platform_info)) &&
	       put(o, "key_info", json_integer(r->key_info));
}

static bool put_tcbs(json_t *o, const struct snp_report *r, enum snp_product p)
{
	bool ok = put(o, "current_tcb", tcb_obj(r->current_tcb, p)) &&
		  put(o, "reported_tcb", tcb_obj(r->reported_tcb, p)) &&
		  put(o, "committed_tcb", tcb_obj(r->committed_tcb, p)) &&
		  put(o, "launch_tcb", tcb_obj(r->launch_tcb, p)) &&
		  put(o, "current", version_obj(r->current_major, r->current_minor,
						r->current_build)) &&
		  put(o, "committed", version_obj(r->committed_major, r->committed_minor,
						  r->committed_build));

	if (ok && r->version >= 3)
		ok = put(o, "cpuid_fam_id", json_integer(r->cpuid_fam_id)) &&
		     put(o, "cpuid_mod_id", json_integer(r->cpuid_mod_id)) &&
		     put(o, "cpuid_step", json_integer(r->cpuid_step));
	if (ok && r->version >= 5) {
		if ((r->launch_mit_vector | r->current_mit_vector) >> 63)
			return false;
		ok = put(o, "launch_mit_vector", json_integer((json_int_t)r->launch_mit_vector)) &&
		     put(o, "current_mit_vector", json_integer((json_int_t)r->current_mit_vector));
	}
	return ok;
}

int snp_report_to_serde(const uint8_t *report, size_t len, json_t **out,
			char *why, size_t whylen)
{
	struct snp_report r;
	json_t *o;
	int err;

	*out = NULL;
	if (len != SNP_REPORT_SIZE)
		return jfail(-EINVAL, why, whylen, "SNP report of %zu bytes", len);
	err = snp_report_parse(report, len, &r);
	if (err)
		return jfail(err, why, whylen, "SNP report version %u is not supported",
			     (unsigned)(report[0] | report[1] << 8));
	o = json_object();
	if (!o || !put_numbers(o, &r) || !put_ids(o, &r) ||
	    !put_tcbs(o, &r, snp_report_product(&r)) ||
	    !put(o, "signature", json_pack("{s:o,s:o}",
					   "r", bytes_list(r.sig_r, SNP_SIG_COMPONENT_LEN),
					   "s", bytes_list(r.sig_s, SNP_SIG_COMPONENT_LEN)))) {
		json_decref(o);
		return jfail(-EINVAL, why, whylen, "cannot convert the SNP report");
	}
	*out = o;
	return 0;
}

static const char *cert_type(enum snp_cert_kind k)
{
	switch (k) {
	case SNP_CERT_ARK: return "ARK";
	case SNP_CERT_ASK: return "ASK";
	case SNP_CERT_VCEK: return "VCEK";
	case SNP_CERT_VLEK: return "VLEK";
	case SNP_CERT_CRL: return "CRL";
	default: return NULL;
	}
}

int snp_certs_to_chain(const uint8_t *table, size_t len, json_t **chain,
		       char *why, size_t whylen)
{
	struct snp_cert_entry e[SNP_CERT_TABLE_MAX];
	size_t n, i;
	json_t *a;

	*chain = NULL;
	if (snp_cert_table_parse(table, len, e, SNP_CERT_TABLE_MAX, &n) < 0)
		return jfail(-EINVAL, why, whylen, "malformed SNP certificate table");
	a = json_array();
	if (!a)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const char *t = cert_type(e[i].kind);
		json_t *c;

		if (!t)		/* a GUID the protocol has no name for */
			continue;
		c = json_pack("{s:s,s:o}", "cert_type", t, "data",
			      bytes_list(table + e[i].offset, e[i].length));
		if (!c || json_array_append_new(a, c)) {
			json_decref(a);
			return -ENOMEM;
		}
	}
	*chain = a;
	return 0;
}

static int snp_json(const struct evidence *ev, json_t **out, char *why, size_t whylen)
{
	json_t *rep, *chain = NULL;
	int err;

	err = snp_report_to_serde(ev->report, ev->report_len, &rep, why, whylen);
	if (err)
		return err;
	if (ev->certs_len) {
		err = snp_certs_to_chain(ev->certs, ev->certs_len, &chain, why, whylen);
		if (err) {
			json_decref(rep);
			return err;
		}
	}
	*out = json_pack("{s:o,s:o}", "attestation_report", rep,
			 "cert_chain", chain ? chain : json_null());
	return *out ? 0 : -ENOMEM;
}

static int tdx_json(const struct evidence *ev, json_t **out)
{
	char *q = b64_encode(ev->report, ev->report_len), *l = NULL;

	if (ev->eventlog_len)
		l = b64_encode(ev->eventlog, ev->eventlog_len);
	if (!q || (ev->eventlog_len && !l)) {
		free(q);
		free(l);
		return -ENOMEM;
	}
	*out = json_pack("{s:s,s:o}", "quote", q, "cc_eventlog",
			 l ? json_string(l) : json_null());
	free(q);
	free(l);
	return *out ? 0 : -ENOMEM;
}

int evidence_to_json(const struct evidence *ev, json_t **out,
		     char *why, size_t whylen)
{
	*out = NULL;
	if (!ev->report_len)
		return jfail(-EINVAL, why, whylen, "no report");
	if (ev->tee == AGENT_TEE_SNP)
		return snp_json(ev, out, why, whylen);
	return tdx_json(ev, out);
}
