// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evidence -> the broker protocol's JSON, on real reports: Veraison's
 * configfs-tsm capture (a Genoa v3 report + its auxblob certificate table),
 * a Milan v2 report, a VLEK-signed v3 report; TDX quote + CCEL; the QGS
 * message layout.  (Trustee's own serde evidence is compared field by field
 * with this conversion in tests/agent/agent_host.py.)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "helpers.h"
#include "agent/evidence.h"
#include "attest/snp/certs.h"
#include "jose/b64url.h"

static char why[300];

static json_t *load_tsm(uint8_t **rep, size_t *rlen, uint8_t **aux, size_t *alen)
{
	size_t n;
	uint8_t *d = td_read("attest/veraison/sevsnp-tsm-report.json", &n);
	json_t *doc = json_loadb((char *)d, n, 0, NULL);
	const char *o, *a;

	free(d);
	assert_non_null(doc);
	o = json_string_value(json_object_get(doc, "outblob"));
	a = json_string_value(json_object_get(doc, "auxblob"));
	assert_int_equal(b64url_decode(o, strlen(o), rep, rlen), 0);
	assert_int_equal(b64url_decode(a, strlen(a), aux, alen), 0);
	return doc;
}

static void assert_bytes(json_t *arr, const uint8_t *want, size_t n)
{
	size_t i;

	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), n);
	for (i = 0; i < n; i++)
		assert_int_equal(json_integer_value(json_array_get(arr, i)), want[i]);
}

static void assert_tcb(json_t *t, int fmc, int bl, int tee, int snp, int ucode)
{
	if (fmc < 0)
		assert_true(json_is_null(json_object_get(t, "fmc")));
	else
		assert_int_equal(json_integer_value(json_object_get(t, "fmc")), fmc);
	assert_int_equal(json_integer_value(json_object_get(t, "bootloader")), bl);
	assert_int_equal(json_integer_value(json_object_get(t, "tee")), tee);
	assert_int_equal(json_integer_value(json_object_get(t, "snp")), snp);
	assert_int_equal(json_integer_value(json_object_get(t, "microcode")), ucode);
	assert_int_equal(json_object_size(t), 5);
}

static void test_snp_genoa_tsm(void **state)
{
	struct evidence ev = { .tee = AGENT_TEE_SNP };
	json_t *doc, *j, *r, *chain;
	static const char *const types[] = { "VCEK", "ASK", "ARK" };
	bool seen[3] = { false, false, false };
	struct snp_cert_entry e[8];
	size_t i, n;

	doc = load_tsm(&ev.report, &ev.report_len, &ev.certs, &ev.certs_len);
	assert_int_equal(snp_cert_table_parse(ev.certs, ev.certs_len, e, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), 0);
	assert_int_equal(json_object_size(j), 2);
	r = json_object_get(j, "attestation_report");
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 3);
	assert_int_equal(json_integer_value(json_object_get(r, "vmpl")), (ev.report[0x30] | ev.report[0x31] << 8));
	assert_int_equal(json_integer_value(json_object_get(r, "sig_algo")), 1);
	assert_int_equal(json_integer_value(json_object_get(r, "cpuid_fam_id")), 0x19);
	assert_int_equal(json_integer_value(json_object_get(r, "cpuid_mod_id")), 0x11);
	assert_int_equal(json_integer_value(json_object_get(r, "cpuid_step")), 1);
	/* Genoa: bl 10, tee 0, snp 0x17, ucode 0x54 (PROVENANCE.md) */
	assert_tcb(json_object_get(r, "reported_tcb"), -1, 10, 0, 0x17, 0x54);
	assert_bytes(json_object_get(r, "measurement"), ev.report + 0x90, 48);
	assert_bytes(json_object_get(r, "report_data"), (const uint8_t *)
		     "MIDBNH28iioisjPyxxxxxxxxxxxxxxxxMIDBNH28iioisjPyxxxxxxxxxxxxxxxx", 64);
	assert_bytes(json_object_get(r, "chip_id"), ev.report + 0x1a0, 64);
	assert_bytes(json_object_get(json_object_get(r, "signature"), "r"), ev.report + 0x2a0, 72);
	assert_bytes(json_object_get(json_object_get(r, "signature"), "s"), ev.report + 0x2e8, 72);
	assert_null(json_object_get(r, "launch_mit_vector"));	/* v5 only */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "current"), "major")),
			 ev.report[0x1ea]);
	chain = json_object_get(j, "cert_chain");
	assert_int_equal(json_array_size(chain), 3);
	for (i = 0; i < 3; i++) {
		json_t *c = json_array_get(chain, i);
		json_t *data = json_object_get(c, "data");
		const char *t = json_string_value(json_object_get(c, "cert_type"));
		size_t k;

		/* each of VCEK, ASK, ARK once, in the table's order */
		for (k = 0; k < 3 && strcmp(t, types[k]); k++)
			;
		assert_true(k < 3);
		assert_false(seen[k]);
		seen[k] = true;
		/* the blob of table entry i, byte for byte (PEM in this capture) */
		assert_bytes(data, ev.certs + e[i].offset, e[i].length);
		assert_true(e[i].length > 500);
	}
	json_decref(j);
	json_decref(doc);
	evidence_free(&ev);
}

static void test_snp_v2_and_errors(void **state)
{
	struct evidence ev = { .tee = AGENT_TEE_SNP };
	json_t *j, *r;

	ev.report = td_read("attest/trustee/snp/test-report.bin", &ev.report_len);
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), 0);
	r = json_object_get(j, "attestation_report");
	assert_int_equal(json_integer_value(json_object_get(r, "version")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "guest_svn")), 4);
	assert_int_equal(json_integer_value(json_object_get(r, "policy")), 0x3001f);
	assert_null(json_object_get(r, "cpuid_fam_id"));	/* v3+ only */
	assert_tcb(json_object_get(r, "reported_tcb"), -1, 3, 0, 8, 0x73);
	assert_true(json_is_null(json_object_get(j, "cert_chain")));
	json_decref(j);

	ev.report[0] = 4;					/* Turin firmware may emit v4 */
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), 0);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j,
		"attestation_report"), "version")), 4);
	json_decref(j);
	ev.report[0] = 6;					/* unknown version */
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), -EPROTONOSUPPORT);
	assert_non_null(strstr(why, "version 6"));
	ev.report[0] = 3;
	ev.report_len = 1183;
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), -EINVAL);
	ev.report_len = 1184;
	ev.certs = calloc(1, 30);
	ev.certs_len = 30;
	ev.certs[0] = 1;					/* no terminating entry */
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), -EINVAL);
	evidence_free(&ev);
}

static void test_tdx(void **state)
{
	struct evidence ev = { .tee = AGENT_TEE_TDX };
	uint8_t *q;
	size_t n;
	json_t *j;

	ev.report = td_read("attest/go-tdx-guest/tdx_prod_quote_SPR_E4.dat", &ev.report_len);
	assert_int_equal(evidence_to_json(&ev, &j, why, sizeof(why)), 0);
	assert_int_equal(json_object_size(j), 2);
	assert_true(json_is_null(json_object_get(j, "cc_eventlog")));
	assert_int_equal(b64_decode(json_string_value(json_object_get(j, "quote")),
				    json_string_length(json_object_get(j, "quote")), &q, &n), 0);
	assert_int_equal(n, ev.report_len);
	assert_memory_equal(q, ev.report, n);
	free(q);
	json_decref(j);
	evidence_free(&ev);
}

static void test_ccel(void **state)
{
	char tp[512], dp[512];
	uint8_t *log, *raw;
	size_t n, rawlen;
	const char *base = getenv("CVMM_TEST_DATA");

	snprintf(tp, sizeof(tp), "%s/attest/go-tdx-guest/ccel/ccel_table.dat", base ? base : "tests/data");
	snprintf(dp, sizeof(dp), "%s/attest/go-tdx-guest/ccel/ccel_data.dat", base ? base : "tests/data");
	assert_int_equal(ev_ccel_read(tp, dp, &log, &n, why, sizeof(why)), 0);
	raw = td_read("attest/go-tdx-guest/ccel/ccel_data.dat", &rawlen);
	assert_true(n > 8 && n < rawlen);		/* 256 KiB area, trimmed */
	assert_memory_equal(log, raw, n - 8);
	assert_memory_equal(log + n - 8, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	free(log);
	free(raw);
	/* no CCEL: no log, no error */
	assert_int_equal(ev_ccel_read("/nonexistent/CCEL", dp, &log, &n, why, sizeof(why)), 0);
	assert_null(log);
	/* a table that is not a CCEL */
	assert_int_not_equal(ev_ccel_read(dp, dp, &log, &n, why, sizeof(why)), 0);
}

static void test_qgs(void **state)
{
	uint8_t rep[1024], req[2048], rsp[16 + 8 + 3 + 5];
	const uint8_t *q;
	size_t n, qlen;

	memset(rep, 0xab, sizeof(rep));
	assert_int_equal(qgs_quote_request(rep, req, sizeof(req), &n), 0);
	assert_int_equal(n, 4 + 16 + 8 + 1024);
	assert_memory_equal(req, "\x00\x00\x04\x18", 4);		/* 1048, big-endian */
	assert_memory_equal(req + 4, "\x01\x00\x01\x00\x00\x00\x00\x00\x18\x04\x00\x00", 12);
	assert_memory_equal(req + 4 + 16, "\x00\x04\x00\x00\x00\x00\x00\x00", 8);
	assert_memory_equal(req + 28, rep, 1024);
	assert_int_equal(qgs_quote_request(rep, req, 100, &n), -ENOSPC);

	memset(rsp, 0, sizeof(rsp));
	memcpy(rsp, "\x01\x00\x01\x00\x01\x00\x00\x00", 8);		/* GET_QUOTE_RESP */
	rsp[8] = sizeof(rsp);
	rsp[16] = 3;							/* id size */
	rsp[20] = 5;							/* quote size */
	memcpy(rsp + 27, "QUOTE", 5);
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), 0);
	assert_int_equal(qlen, 5);
	assert_memory_equal(q, "QUOTE", 5);
	rsp[20] = 6;							/* past the end */
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), -EBADMSG);
	rsp[20] = 5;
	rsp[16] = 30;							/* id past the end */
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), -EBADMSG);
	rsp[16] = 9;							/* id + quote past the end */
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), -EBADMSG);
	rsp[16] = 3;
	rsp[12] = 0x12;							/* error code */
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), -EIO);
	rsp[12] = 0;
	rsp[8] = 99;							/* size field */
	assert_int_equal(qgs_quote_response(rsp, sizeof(rsp), &q, &qlen, why, sizeof(why)), -EBADMSG);
	assert_int_equal(qgs_quote_response(rsp, 10, &q, &qlen, why, sizeof(why)), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_genoa_tsm),
		cmocka_unit_test(test_snp_v2_and_errors),
		cmocka_unit_test(test_tdx),
		cmocka_unit_test(test_ccel),
		cmocka_unit_test(test_qgs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
