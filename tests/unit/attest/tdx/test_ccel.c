// SPDX-License-Identifier: GPL-2.0-only
/* CCEL table and TCG2 event log replay into RTMR0-3. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "attest/certs.h"
#include "attest/tdx/ccel.h"
#include "attest/tdx/pck.h"
#include "attest/tdx/quote.h"
#include "helpers.h"
#include "util/bytes.h"
#include "util/err.h"
#include "util/num.h"

static void test_table(void **state)
{
	struct ccel_table t;
	size_t len, i;
	uint8_t *b = td_read("go-tdx-guest/ccel/ccel_table.dat", &len);

	assert_int_equal(len, CCEL_TABLE_SIZE);
	assert_int_equal(ccel_table_parse(b, len, &t), 0);
	assert_int_equal(t.cc_type, 2);
	assert_int_equal(t.cc_subtype, 0);
	assert_int_equal(t.laml, 0x40000);
	assert_int_equal(t.lasa, 0xbedbf000);
	assert_memory_equal(t.oem_id, "INTEL ", 6);
	/* checksum, signature, length, truncation */
	for (i = 0; i < len; i++)
		assert_int_equal(ccel_table_parse(b, i, &t), -EINVAL);
	b[40] ^= 1;
	assert_int_equal(ccel_table_parse(b, len, &t), -EINVAL);
	b[40] ^= 1;
	b[0] = 'X';
	assert_int_equal(ccel_table_parse(b, len, &t), -EINVAL);
	b[0] = 'C';
	b[4] = 0x37;		/* length 55 (and the checksum no longer matches) */
	assert_int_equal(ccel_table_parse(b, len, &t), -EINVAL);
	free(b);
}

/* go-tdx-guest TestReplayCcelWithTdQuote: the replay equals the quote's RTMRs. */
static void test_replay_cos(void **state)
{
	static const unsigned counts[4] = { 16, 7, 20, 0 };
	struct ccel_log log;
	struct tdx_quote q;
	size_t len, qlen, i;
	struct err_msg why;
	uint8_t *b = td_read("go-tdx-guest/ccel/ccel_data.dat", &len);
	uint8_t *qb = td_read("go-tdx-guest/ccel/cos-113-tdx-quote.dat", &qlen);
	uint8_t *nonce = td_read("go-tdx-guest/ccel/nonce.dat", &i);

	assert_int_equal(ccel_log_replay(b, len, &log, &why), 0);
	assert_int_equal(log.nevents, 43);
	assert_int_equal(log.nalgs, 1);
	assert_int_equal(log.alg_ids[0], 0x000C);
	for (i = 0; i < 4; i++)
		assert_int_equal(log.extends[i], counts[i]);
	assert_int_equal(tdx_quote_parse(qb, qlen, &q, &why), 0);
	for (i = 0; i < 4; i++)
		assert_memory_equal(log.rtmr[i], q.body.rtmr[i], 48);
	assert_memory_equal(q.body.report_data, nonce, 64);
	{
		uint8_t want[4];

		assert_int_equal(hex_decode("3fa2f61f", want, 4), 0);
		assert_memory_equal(log.rtmr[0], want, 4);
	}
	/* a changed digest changes the replay */
	ccel_log_free(&log);
	b[0x50] ^= 1;		/* inside the first event's SHA-384 digest */
	assert_int_equal(ccel_log_replay(b, len, &log, &why), 0);
	assert_memory_not_equal(log.rtmr[0], q.body.rtmr[0], 48);
	assert_memory_equal(log.rtmr[1], q.body.rtmr[1], 48);
	ccel_log_free(&log);
	free(b);
	free(qb);
	free(nonce);
}

/* trustee CCEL_data: 5 events that do not reproduce tdx_quote_4's RTMRs. */
static void test_replay_trustee(void **state)
{
	struct ccel_log log;
	struct tdx_quote q;
	size_t len, qlen;
	struct err_msg why;
	uint8_t *b = td_read("trustee/CCEL_data", &len);
	uint8_t *qb = td_read("trustee/tdx_quote_4.dat", &qlen);
	uint8_t want[4];

	assert_int_equal(ccel_log_replay(b, len, &log, &why), 0);
	assert_int_equal(log.nevents, 5);
	assert_int_equal(log.extends[0], 2);
	assert_int_equal(log.extends[1], 3);
	assert_int_equal(hex_decode("2dc71230", want, 4), 0);
	assert_memory_equal(log.rtmr[0], want, 4);
	assert_int_equal(tdx_quote_parse(qb, qlen, &q, &why), 0);
	assert_memory_not_equal(log.rtmr[0], q.body.rtmr[0], 48);
	ccel_log_free(&log);
	free(b);
	free(qb);
}

/*
 * trustee parse_tdx_claims: its expected claims for tdx_quote_4 +
 * CCEL_data against ours (quote fields, event digests, PCK instance ID).
 */
static void test_trustee_claims(void **state)
{
	static const struct { const char *theirs, *ours; } body[] = {
		{ "mr_config_id", "mrconfigid" }, { "mr_owner", "mrowner" },
		{ "mr_owner_config", "mrownerconfig" }, { "mr_seam", "mrseam" },
		{ "mr_td", "mrtd" }, { "mrsigner_seam", "mrsignerseam" },
		{ "report_data", "report_data" }, { "seam_attributes", "seam_attributes" },
		{ "tcb_svn", "tee_tcb_svn" }, { "xfam", "xfam" },
	};
	struct ccel_log log;
	struct tdx_quote q;
	size_t len, qlen, llen, i;
	struct err_msg why;
	char hex[129];
	uint8_t *j = td_read("trustee/parse_tdx_claims_expected.json", &len);
	uint8_t *qb = td_read("trustee/tdx_quote_4.dat", &qlen);
	uint8_t *lb = td_read("trustee/CCEL_data", &llen);
	json_t *want = json_loadb((const char *)j, len, 0, NULL), *ours, *evs, *e;

	assert_non_null(want);
	assert_int_equal(tdx_quote_parse(qb, qlen, &q, &why), 0);
	ours = tdx_quote_claims(&q);
	for (i = 0; i < sizeof(body) / sizeof(body[0]); i++) {
		const char *w = json_string_value(json_object_get(json_object_get(
			json_object_get(want, "quote"), "body"), body[i].theirs));
		const char *o = json_string_value(json_object_get(json_object_get(ours, "td"),
								  body[i].ours));

		assert_non_null(w);
		assert_non_null(o);
		assert_string_equal(o, w);
	}
	for (i = 0; i < 4; i++) {
		char key[8];

		snprintf(key, sizeof(key), "rtmr_%zu", i);
		assert_string_equal(json_string_value(json_array_get(json_object_get(
					json_object_get(ours, "td"), "rtmr"), i)),
				    json_string_value(json_object_get(json_object_get(
					json_object_get(want, "quote"), "body"), key)));
	}
	assert_string_equal(json_string_value(json_object_get(json_object_get(
				json_object_get(ours, "td"), "td_attributes"), "raw")),
			    json_string_value(json_object_get(json_object_get(
				json_object_get(want, "quote"), "body"), "td_attributes")));
	assert_true(json_is_true(json_object_get(json_object_get(want, "td_attributes"),
						 "debug")));
	assert_true(get_le64(q.body.td_attributes) & TDX_ATTR_DEBUG);
	assert_string_equal(json_string_value(json_object_get(json_object_get(ours, "header"),
							      "user_data")),
			    json_string_value(json_object_get(json_object_get(
				json_object_get(want, "quote"), "header"), "user_data")));
	json_decref(ours);

	/* the five UEFI events: index (1-based RTMR number) and SHA-384 digest */
	assert_int_equal(ccel_log_replay(lb, llen, &log, &why), 0);
	evs = json_object_get(want, "uefi_event_logs");
	assert_int_equal(json_array_size(evs), log.nevents);
	json_array_foreach(evs, i, e) {
		json_t *d = json_array_get(json_object_get(e, "digests"), 0);

		assert_int_equal(json_integer_value(json_object_get(e, "index")),
				 log.events[i].mr_index);
		assert_string_equal(json_string_value(json_object_get(d, "alg")), "SHA-384");
		hex_encode(log.events[i].sha384, 48, hex);
		assert_string_equal(json_string_value(json_object_get(d, "digest")), hex);
	}
	ccel_log_free(&log);

	/* the PCK's platform instance ID, which trustee prints byte-reversed */
	{
		STACK_OF(X509) *sk = NULL;
		struct tdx_pck_info p;
		uint8_t rev[16];

		assert_int_equal(certs_parse(q.pck_data, q.pck_len, &sk), 0);
		assert_int_equal(tdx_pck_parse(sk_X509_value(sk, 0), &p), 0);
		assert_true(p.has_platform_instance_id);
		for (i = 0; i < 16; i++)
			rev[i] = p.platform_instance_id[15 - i];
		hex_encode(rev, 16, hex);
		assert_string_equal(json_string_value(json_object_get(want, "platform_instance_id")),
				    hex);
		sk_X509_pop_free(sk, X509_free);
	}
	json_decref(want);
	free(j);
	free(qb);
	free(lb);
}

/* Every truncation either parses a prefix of the events or fails cleanly. */
static void test_replay_truncated(void **state)
{
	struct ccel_log log, full;
	size_t len, n;
	struct err_msg why;
	uint8_t *b = td_read("go-tdx-guest/ccel/ccel_data.dat", &len);

	assert_int_equal(ccel_log_replay(b, len, &full, &why), 0);
	for (n = 0; n <= full.end + 8; n++) {
		int ret = ccel_log_replay(b, n, &log, &why);

		if (n < 32 + 33) {		/* inside the Spec ID event */
			assert_int_equal(ret, -EINVAL);
			continue;
		}
		if (ret) {
			assert_int_equal(ret, -EINVAL);
			continue;
		}
		/* ends exactly at an event boundary */
		assert_true(log.nevents <= full.nevents);
		if (log.nevents < full.nevents)
			assert_int_equal(log.end, full.events[log.nevents].offset);
		ccel_log_free(&log);
	}
	ccel_log_free(&full);
	free(b);
}

static void test_replay_hostile(void **state)
{
	struct ccel_log log;
	size_t len;
	struct err_msg why;
	uint8_t *b = td_read("go-tdx-guest/ccel/ccel_data.dat", &len);
	uint8_t *m = malloc(len);

	/* no Spec ID event */
	memcpy(m, b, len);
	m[32] = 'X';
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	/* an algorithm count of 0 or huge */
	memcpy(m, b, len);
	m[32 + 24] = 0;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	m[32 + 24] = 0xff;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	/* SHA-256 only: no SHA-384 bank */
	memcpy(m, b, len);
	m[32 + 28] = 0x0B;
	m[32 + 30] = 32;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	/* first event: digest count 0, unknown algorithm, oversized event data */
	memcpy(m, b, len);
	m[0x41 + 8] = 0;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	memcpy(m, b, len);
	m[0x41 + 12] = 0x0B;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	memcpy(m, b, len);
	m[0x41 + 14 + 48 + 3] = 0x7f;
	assert_int_equal(ccel_log_replay(m, len, &log, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "overruns"));
	free(m);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_replay_cos),
		cmocka_unit_test(test_replay_trustee),
		cmocka_unit_test(test_trustee_claims),
		cmocka_unit_test(test_replay_truncated),
		cmocka_unit_test(test_replay_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
