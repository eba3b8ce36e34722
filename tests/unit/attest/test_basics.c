// SPDX-License-Identifier: GPL-2.0-only
/* rfc3339, json_span, tcb_status, verdict and policy parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attest/json_span.h"
#include "attest/policy.h"
#include "attest/rfc3339.h"
#include "attest/tcb_status.h"
#include "attest/verdict.h"
#include "helpers.h"
#include "util/err.h"

static void test_rfc3339(void **state)
{
	char buf[RFC3339_LEN];
	int64_t t;

	assert_int_equal(rfc3339_parse("1970-01-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(rfc3339_parse("2025-06-01T00:00:00Z", &t), 0);
	assert_int_equal(t, 1748736000);
	/* fractions, lowercase, offsets */
	assert_int_equal(rfc3339_parse("2025-06-01t00:00:00.123456z", &t), 0);
	assert_int_equal(t, 1748736000);
	assert_int_equal(rfc3339_parse("2025-06-01T02:30:00+02:30", &t), 0);
	assert_int_equal(t, 1748736000);
	assert_int_equal(rfc3339_parse("2025-05-31T23:00:00-01:00", &t), 0);
	assert_int_equal(t, 1748736000);
	/* leap day, leap second */
	assert_int_equal(rfc3339_parse("2024-02-29T12:00:00Z", &t), 0);
	assert_int_equal(rfc3339_parse("2016-12-31T23:59:60Z", &t), 0);
	assert_int_equal(t, 1483228799);
	/* rejected */
	assert_int_equal(rfc3339_parse("2023-02-29T00:00:00Z", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-13-01T00:00:00Z", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-06-01T24:00:00Z", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-06-01T00:00:00", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-06-01", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-06-01T00:00:00Zjunk", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("2025-06-01T00:00:00.Z", &t), -EINVAL);
	assert_int_equal(rfc3339_parse("", &t), -EINVAL);
	assert_int_equal(rfc3339_parse(NULL, &t), -EINVAL);
	/* round trip; before the epoch; far future */
	rfc3339_format(1748736000, buf);
	assert_string_equal(buf, "2025-06-01T00:00:00Z");
	rfc3339_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(rfc3339_parse("2049-12-31T23:59:59Z", &t), 0);
	rfc3339_format(t, buf);
	assert_string_equal(buf, "2049-12-31T23:59:59Z");
	rfc3339_format(INT64_MAX, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
}

static void span(const char *text, const char *key, int ret, const char *value)
{
	size_t off = 0, len = 0;

	assert_int_equal(json_span_find(text, strlen(text), key, &off, &len), ret);
	if (!ret) {
		assert_int_equal(len, strlen(value));
		assert_memory_equal(text + off, value, len);
	}
}

static void test_json_span(void **state)
{
	span("{\"a\":1,\"tcbInfo\":{\"x\":[1,{\"y\":\"}\"}]},\"signature\":\"ab\"}",
	     "tcbInfo", 0, "{\"x\":[1,{\"y\":\"}\"}]}");
	span(" {\n \"tcbInfo\" : { \"q\":\"\\\"{\" } , \"s\":null }\n", "tcbInfo", 0,
	     "{ \"q\":\"\\\"{\" }");
	span("{\"k\":\"v\"}", "k", 0, "\"v\"");
	span("{\"k\":-1.5e3}", "k", 0, "-1.5e3");
	span("{\"k\":true}", "k", 0, "true");
	span("{}", "k", -ENOENT, NULL);
	span("{\"tcbinfo\":{}}", "tcbInfo", -ENOENT, NULL);
	/* nested keys of the same name do not count */
	span("{\"a\":{\"k\":1},\"k\":2}", "k", 0, "2");
	/* duplicates, also through escapes */
	span("{\"k\":1,\"k\":2}", "k", -EINVAL, NULL);
	span("{\"k\":1,\"\\u006b\":2}", "k", -EINVAL, NULL);
	span("{\"\\u006b\":{}}", "k", 0, "{}");
	span("{\"\\u006B\":{},\"k\":1}", "k", -EINVAL, NULL);
	/* \u needs exactly four hex digits */
	span("{\"\\u0x6b\":1}", "k", -EINVAL, NULL);
	span("{\"\\u00g1\":1}", "k", -EINVAL, NULL);
	span("{\"\\u006\":1}", "k", -EINVAL, NULL);
	span("{\"\\u006", "k", -EINVAL, NULL);
	/* malformed */
	span("[]", "k", -EINVAL, NULL);
	span("{\"k\":1", "k", -EINVAL, NULL);
	span("{\"k\":{\"a\":1}", "k", -EINVAL, NULL);
	span("{\"k\":1}x", "k", -EINVAL, NULL);
	span("{\"k\":1,}", "k", -EINVAL, NULL);
	span("{\"k\" 1}", "k", -EINVAL, NULL);
	span("{\"k\":\"a\nb\"}", "k", -EINVAL, NULL);
	span("{\"k\":\"\\q\"}", "k", -EINVAL, NULL);
	span("{\"k\":]}", "k", -EINVAL, NULL);
	span("", "k", -EINVAL, NULL);
	/* trailing whitespace is fine; NUL bytes are not (jansson skips them) */
	{
		static const char t[] = "{\"k\":1}\n";
		static const char n[] = "{\"k\":true\0}";
		size_t off, len;

		assert_int_equal(json_span_find(t, sizeof(t) - 1, "k", &off, &len), 0);
		assert_int_equal(len, 1);
		assert_int_equal(json_span_find(t, sizeof(t), "k", &off, &len), -EINVAL);
		assert_int_equal(json_span_find(n, sizeof(n) - 1, "k", &off, &len), -EINVAL);
	}
}

/* The span of every real PCS document is the text between the key and ",\"signature\"". */
static void test_json_span_vectors(void **state)
{
	static const struct { const char *file, *key; } docs[] = {
		{ "go-tdx-guest/sample_tcbInfo_response", "tcbInfo" },
		{ "go-tdx-guest/sample_tcbinfo_response_v5", "tcbInfo" },
		{ "go-tdx-guest/sample_qeIdentity_response", "enclaveIdentity" },
		{ "trustee/tcbInfo.json", "tcbInfo" },
		{ "trustee/enclaveIdentity.json", "enclaveIdentity" },
		{ "intel-qvl/tcbInfo.json", "tcbInfo" },
		{ "intel-qvl/qeIdentity.json", "enclaveIdentity" },
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		size_t len, off, vlen;
		char *t = (char *)td_read(docs[i].file, &len), *sig, key[64];

		snprintf(key, sizeof(key), "{\"%s\":", docs[i].key);
		assert_memory_equal(t, key, strlen(key));
		sig = strstr(t, ",\"signature\"");
		assert_non_null(sig);
		assert_int_equal(json_span_find(t, len, docs[i].key, &off, &vlen), 0);
		assert_int_equal(off, strlen(key));
		assert_int_equal(off + vlen, (size_t)(sig - t));
		free(t);
	}
}

static void test_tcb_status(void **state)
{
	enum tcb_status s;

	assert_int_equal(tcb_status_parse("UpToDate", &s), 0);
	assert_int_equal(s, TCB_UP_TO_DATE);
	assert_int_equal(tcb_status_parse("OutOfDateConfigurationNeeded", &s), 0);
	assert_int_equal(s, TCB_OUT_OF_DATE_CONFIGURATION_NEEDED);
	assert_int_equal(tcb_status_parse("uptodate", &s), -EINVAL);
	assert_int_equal(tcb_status_parse("Unknown", &s), -EINVAL);
	assert_string_equal(tcb_status_name(TCB_SW_HARDENING_NEEDED), "SWHardeningNeeded");
	/* QVL convergence */
	assert_int_equal(tcb_status_converge(TCB_UP_TO_DATE, TCB_UP_TO_DATE), TCB_UP_TO_DATE);
	assert_int_equal(tcb_status_converge(TCB_OUT_OF_DATE, TCB_UP_TO_DATE), TCB_OUT_OF_DATE);
	assert_int_equal(tcb_status_converge(TCB_UP_TO_DATE, TCB_OUT_OF_DATE), TCB_OUT_OF_DATE);
	assert_int_equal(tcb_status_converge(TCB_SW_HARDENING_NEEDED, TCB_OUT_OF_DATE),
			 TCB_OUT_OF_DATE);
	assert_int_equal(tcb_status_converge(TCB_CONFIGURATION_NEEDED, TCB_OUT_OF_DATE),
			 TCB_OUT_OF_DATE_CONFIGURATION_NEEDED);
	assert_int_equal(tcb_status_converge(TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED,
					     TCB_OUT_OF_DATE),
			 TCB_OUT_OF_DATE_CONFIGURATION_NEEDED);
	assert_int_equal(tcb_status_converge(TCB_UP_TO_DATE, TCB_REVOKED), TCB_REVOKED);
	assert_int_equal(tcb_status_converge(TCB_UP_TO_DATE, TCB_STATUS_UNKNOWN),
			 TCB_STATUS_UNKNOWN);
	assert_int_equal(tcb_status_converge(TCB_SW_HARDENING_NEEDED, TCB_UP_TO_DATE),
			 TCB_SW_HARDENING_NEEDED);
}

static void test_verdict(void **state)
{
	struct verdict v;
	json_t *j;

	verdict_init(&v);
	assert_true(verdict_ok(&v));
	verdict_fail(&v, "a.b", "detail %d", 42);
	verdict_fail(&v, "c", "x");
	assert_false(verdict_ok(&v));
	assert_true(verdict_has(&v, "a.b"));
	assert_false(verdict_has(&v, "a"));
	j = verdict_json(&v);
	assert_false(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_array_size(json_object_get(j, "failed")), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(j, "failed"), 0), "detail")), "detail 42");
	json_decref(j);
	verdict_free(&v);
	/* a failed allocation still counts */
	v.nfailed = 0;
	v.failed = NULL;
	verdict_fail(&v, "x", "y");
	assert_false(verdict_ok(&v));
	verdict_free(&v);
}

/* Every check is listed once, with its worst status; failed stays the failure list. */
static void test_verdict_checks(void **state)
{
	static const char *const order[] = { "a", "b", "c", "d" };
	struct verdict v, w;
	enum verdict_status st;
	json_t *j, *c;
	size_t i;

	verdict_init(&v);
	verdict_pass(&v, "a");
	verdict_skip(&v, "b", "no %s given", "CRL");
	verdict_fail(&v, "c", "first");
	verdict_pass(&v, "c");			/* a pass after a failure: still failed */
	verdict_fail(&v, "c", "second");
	verdict_skip(&v, "d", "later");
	verdict_passf(&v, "d", "ran after all (%d)", 1);	/* skipped -> passed */
	verdict_fail(&v, "a", "late failure");		/* passed -> failed */
	verdict_skip(&v, "a", "ignored");
	verdict_warn(&v, "no %s", "collateral");
	assert_int_equal(v.nfailed, 3);
	assert_true(verdict_status(&v, "b", &st));
	assert_int_equal(st, VERDICT_SKIPPED);
	assert_false(verdict_status(&v, "e", &st));
	assert_int_equal(verdict_copy(&w, &v), 0);
	verdict_free(&v);
	j = verdict_json(&w);
	verdict_free(&w);
	assert_false(json_is_true(json_object_get(j, "ok")));
	assert_int_equal(json_array_size(json_object_get(j, "failed")), 3);
	c = json_object_get(j, "checks");
	assert_int_equal(json_array_size(c), 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(c, i),
								      "check")), order[i]);
#define ST(i) json_string_value(json_object_get(json_array_get(c, i), "status"))
#define DT(i) json_string_value(json_object_get(json_array_get(c, i), "detail"))
	assert_string_equal(ST(0), "failed");
	assert_string_equal(DT(0), "late failure");
	assert_string_equal(ST(1), "skipped");
	assert_string_equal(DT(1), "no CRL given");
	assert_string_equal(ST(2), "failed");
	assert_string_equal(DT(2), "first");
	assert_string_equal(ST(3), "passed");
	assert_string_equal(DT(3), "ran after all (1)");
#undef ST
#undef DT
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "warnings"), 0)),
			    "no collateral");
	json_decref(j);
	/* the list is bounded; failures beyond it still count */
	verdict_init(&v);
	for (i = 0; i < VERDICT_MAX_CHECKS + 5; i++) {
		char name[16];

		snprintf(name, sizeof(name), "c%zu", i);
		verdict_fail(&v, name, "x");
	}
	assert_int_equal(v.nchecks, VERDICT_MAX_CHECKS);
	assert_int_equal(v.nfailed, VERDICT_MAX_CHECKS + 5);
	assert_true(verdict_has(&v, "c68"));
	verdict_free(&v);
}

static int parse(const char *text, struct policy *p, struct err_msg *why)
{
	return policy_parse(text, strlen(text), p, why);
}

static void test_policy(void **state)
{
	struct policy p;
	struct err_msg why;

	/* the default: no debug, VMPL 0, no migration agent, collateral UpToDate */
	policy_default(&p);
	assert_false(p.allow_debug);
	assert_int_equal(p.tdx.min_tcb_status, TCB_UP_TO_DATE);
	assert_false(p.tdx.has_min_tcb_status);
	assert_int_equal(p.tdx.require_collateral, -1);
	assert_int_equal(p.snp.vmpl_mask, 1);
	assert_int_equal(p.snp.allow_migration_agent, 0);
	assert_int_equal(p.snp.allow_smt, -1);

	assert_int_equal(parse("{}", &p, &why), 0);
	policy_free(&p);
	assert_int_equal(parse(
		"{\"allow_debug\": true, \"report_data\": \"0x0102\", \"comment\": \"x\","
		" \"snp\": {\"measurement\": [\"" "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f\","
		" \"" "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01\"],"
		" \"min_tcb\": {\"bootloader\": 3, \"microcode\": 115}, \"vmpl\": 0,"
		" \"allow_smt\": false, \"allow_migration_agent\": false, \"signing_key\": \"vlek\"},"
		" \"tdx\": {\"mrtd\": \"" "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb\","
		" \"rtmr2\": [], \"min_tcb_status\": \"SWHardeningNeeded\"}}", &p, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "tdx.rtmr2"));
	assert_int_equal(parse(
		"{\"allow_debug\": true, \"report_data\": \"0x0102\", \"comment\": \"x\","
		" \"snp\": {\"measurement\": [\"" "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f\","
		" \"" "b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01\"],"
		" \"min_tcb\": {\"bootloader\": 3, \"microcode\": 115}, \"vmpl\": 0,"
		" \"allow_smt\": false, \"allow_migration_agent\": false, \"signing_key\": \"vlek\"},"
		" \"tdx\": {\"mrtd\": \"" "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb\","
		" \"min_tcb_status\": \"SWHardeningNeeded\", \"require_collateral\": true}}", &p, &why), 0);
	assert_true(p.allow_debug);
	assert_true(p.has_report_data);
	assert_int_equal(p.report_data_len, 2);
	assert_int_equal(p.report_data[0], 1);
	assert_int_equal(p.report_data[1], 2);
	assert_int_equal(p.report_data[2], 0);
	assert_int_equal(p.snp.measurement.n, 2);
	assert_int_equal(p.snp.measurement.v[1][0], 0xb0);
	assert_int_equal(p.snp.min_bootloader, 3);
	assert_int_equal(p.snp.min_microcode, 115);
	assert_int_equal(p.snp.min_tee, -1);
	assert_int_equal(p.snp.vmpl_mask, 1);
	assert_int_equal(p.snp.allow_smt, 0);
	assert_int_equal(p.snp.signing_key, 1);
	assert_int_equal(p.tdx.mrtd.n, 1);
	assert_int_equal(p.tdx.min_tcb_status, TCB_SW_HARDENING_NEEDED);
	assert_true(p.tdx.has_min_tcb_status);
	assert_int_equal(p.tdx.require_collateral, 1);
	policy_free(&p);
	/* vmpl: one level or a list; opting out of collateral and MIGRATE_MA */
	assert_int_equal(parse("{\"snp\": {\"vmpl\": [0, 2], \"allow_migration_agent\": true},"
			       " \"tdx\": {\"require_collateral\": false}}", &p, &why), 0);
	assert_int_equal(p.snp.vmpl_mask, 5);
	assert_int_equal(p.snp.allow_migration_agent, 1);
	assert_int_equal(p.tdx.require_collateral, 0);
	policy_free(&p);
	assert_int_equal(parse("{\"snp\": {\"vmpl\": 3}}", &p, &why), 0);
	assert_int_equal(p.snp.vmpl_mask, 8);
	policy_free(&p);

	/* every mistake is an error, never a silently weaker policy */
	assert_int_equal(parse("{\"allow_debug\": 1}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"alow_debug\": false}", &p, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "alow_debug"));
	assert_int_equal(parse("{\"snp\": {\"measurment\": \"00\"}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"measurement\": \"0011\"}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"vmpl\": 4}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"vmpl\": []}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"vmpl\": [0, 4]}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"vmpl\": \"0\"}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"tdx\": {\"require_collateral\": 0}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"min_tcb\": {\"snp\": 256}}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"min_tcb\": {\"sn\": 1}}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"snp\": {\"signing_key\": \"ask\"}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"tdx\": {\"min_tcb_status\": \"Fine\"}}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"report_data\": \"\"}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"report_data\": \"abc\"}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"report_data\": \"zz\"}", &p, &why), -EINVAL);
	assert_int_equal(parse("{\"allow_debug\": false, \"allow_debug\": true}", &p, &why),
			 -EINVAL);
	assert_int_equal(parse("[]", &p, &why), -EINVAL);
	assert_int_equal(parse("{", &p, &why), -EINVAL);
	assert_int_equal(parse("", &p, &why), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339),
		cmocka_unit_test(test_json_span),
		cmocka_unit_test(test_json_span_vectors),
		cmocka_unit_test(test_tcb_status),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_verdict_checks),
		cmocka_unit_test(test_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
