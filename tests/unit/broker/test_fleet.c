// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parts of a fleet that need no database: attestation results as the
 * store holds them (att_codec.h), the per-replica session window
 * (--max-sessions), the metrics and the health endpoints.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "broker/att_codec.h"
#include "broker/broker.h"
#include "broker/fleet.h"
#include "broker/health.h"
#include "broker/metrics.h"
#include "util/file.h"
#include "util/err.h"

static char *seed(const char *name)
{
	char path[4096];
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/fuzz/corpus/broker_att_codec/%s",
		 getenv("CVMM_SRC") ? getenv("CVMM_SRC") : "..", name);
	assert_int_equal(file_read(path, 1 << 20, &buf, &len), 0);
	return (char *)buf;
}

/* @text with member @key set to @v (JSON) — a malformed variant. */
static int decode_with(const char *text, const char *key, json_t *v)
{
	json_t *o = json_loads(text, 0, NULL);
	struct attestation *a;
	char *t;
	int ret;

	if (v)
		json_object_set_new(o, key, v);
	else
		json_object_del(o, key);
	t = json_dumps(o, JSON_COMPACT);
	ret = att_decode(t, strlen(t), &a);
	if (!ret)
		attestation_put(a);
	free(t);
	json_decref(o);
	return ret;
}

static void test_att_codec(void **state)
{
	char *snp = seed("snp-p256.json"), *tdx = seed("tdx-rsa.json"), *text;
	struct attestation *a, *b;

	assert_int_equal(att_decode(snp, strlen(snp), &a), 0);
	assert_int_equal(a->tee, TEE_SNP);
	assert_int_equal(a->evidence_len, 1184);
	assert_int_equal(a->init_len, 32);
	assert_true(a->test_evidence);
	assert_int_equal(a->key.alg, JWE_ECDH_ES_A256KW);
	text = att_encode(a);
	assert_int_equal(att_decode(text, strlen(text), &b), 0);
	assert_memory_equal(a->evidence, b->evidence, a->evidence_len);
	assert_string_equal(a->evidence_digest, b->evidence_digest);
	assert_true(json_equal(a->claims, b->claims));
	attestation_put(b);
	attestation_put(a);
	free(text);
	assert_int_equal(att_decode(tdx, strlen(tdx), &a), 0);
	assert_int_equal(a->tee, TEE_TDX);
	assert_int_equal(a->init_len, 48);
	assert_int_equal(a->key.alg, JWE_RSA_OAEP_256);
	attestation_put(a);
	/* every field is checked */
	assert_int_equal(decode_with(snp, "v", json_integer(2)), -EINVAL);
	assert_int_equal(decode_with(snp, "tee", json_string("sgx")), -EINVAL);
	assert_int_equal(decode_with(snp, "evidence", json_string("***")), -EINVAL);
	assert_int_equal(decode_with(snp, "evidence", json_string("")), -EINVAL);
	assert_int_equal(decode_with(snp, "measurement", json_string("AB")), -EINVAL);
	assert_int_equal(decode_with(snp, "report_data", json_string("00")), -EINVAL);
	assert_int_equal(decode_with(snp, "init_field", json_string("0")), -EINVAL);
	assert_int_equal(decode_with(snp, "claims", json_string("x")), -EINVAL);
	assert_int_equal(decode_with(snp, "key", json_pack("{s:s}", "kty", "EC")), -EINVAL);
	assert_int_equal(decode_with(snp, "test_evidence", NULL), -EINVAL);
	assert_int_equal(att_decode("[]", 2, &a), -EINVAL);
	free(snp);
	free(tdx);
}

static void test_session_window(void **state)
{
	struct session_window w;
	int64_t ttl = 300000, t = 1000000;
	int i;

	memset(&w, 0, sizeof(w));
	pthread_mutex_init(&w.lock, NULL);
	for (i = 0; i < 3; i++)
		assert_true(session_window_admit(&w, t + i, ttl, 3));
	assert_false(session_window_admit(&w, t + 10, ttl, 3));
	assert_false(session_window_admit(&w, t + ttl / 2, ttl, 3));
	/* once they expire (within a slot, 1/32 of the TTL), room again */
	assert_true(session_window_admit(&w, t + ttl + ttl / 16, ttl, 3));
	pthread_mutex_destroy(&w.lock);
}

static void get(struct broker *b, const char *method, const char *url,
		struct http_response *r)
{
	struct http_request req = { .method = method, .url = url, .body = (const uint8_t *)"",
				    .client = "test" };

	memset(r, 0, sizeof(*r));
	broker_serve(b, &req, r);
}

static void test_metrics_and_health(void **state)
{
	struct audit_record deny = { .event = "resource", .verdict = "deny",
				     .failed = "[{\"check\":\"policy.measurement\",\"detail\":\"x\"},"
					       "{\"check\":\"snp.tcb\",\"detail\":\"y\"}]" };
	struct audit_record none = { .event = "resource", .verdict = "deny",
				     .detail = "no policy for a/b/c" };
	struct audit_record allow = { .event = "attest", .verdict = "allow" };
	struct audit_record admin = { .event = "admin.put-secret", .verdict = "allow" };
	struct broker b;
	struct http_response r;
	struct err_msg why;

	memset(&b, 0, sizeof(b));
	assert_int_equal(store_open("sqlite::memory:", &b.store, &why), 0);
	assert_int_equal(metrics_endpoint("GET", "/kbs/v0/resource/a/b/c"), MEP_RESOURCE);
	assert_int_equal(metrics_endpoint("POST", "/kbs/v0/resource/a/b/c"), MEP_ADMIN);
	assert_int_equal(metrics_endpoint("POST", "/kbs/v0/attest"), MEP_ATTEST);
	assert_int_equal(metrics_endpoint("GET", "/readyz"), MEP_HEALTH);
	assert_int_equal(metrics_endpoint("GET", "/x"), MEP_OTHER);
	metrics_verdict(&deny, 0);
	metrics_verdict(&none, 0);
	metrics_verdict(&allow, 0);
	metrics_verdict(&admin, -EIO);
	metrics_request(MEP_ATTEST, 403, 1500);
	get(&b, "GET", "/healthz", &r);
	assert_int_equal(r.status, 200);
	free(r.body);
	get(&b, "GET", "/readyz", &r);		/* no fleet yet: a broker alone */
	assert_int_equal(r.status, 200);
	free(r.body);
	get(&b, "DELETE", "/metrics", &r);
	assert_int_equal(r.status, 405);
	free(r.body);
	get(&b, "GET", "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
	assert_non_null(strstr(r.body, "cvmm_broker_verdicts_total{event=\"resource\","
			       "verdict=\"deny\",reason=\"policy.measurement\"} 1\n"));
	assert_non_null(strstr(r.body, "reason=\"snp.tcb\"} 1\n"));
	assert_non_null(strstr(r.body, "reason=\"policy.none\"} 1\n"));
	assert_non_null(strstr(r.body, "{event=\"attest\",verdict=\"allow\",reason=\"ok\"} 1\n"));
	assert_non_null(strstr(r.body, "{event=\"admin\",verdict=\"allow\",reason=\"put-secret\"}"));
	assert_non_null(strstr(r.body, "cvmm_broker_audit_failures_total 1\n"));
	assert_non_null(strstr(r.body, "cvmm_broker_requests_total{endpoint=\"attest\","
			       "code=\"403\"} 1\n"));
	assert_non_null(strstr(r.body, "cvmm_broker_request_duration_seconds_bucket{"
			       "endpoint=\"attest\",le=\"0.001\"} 0\n"));
	assert_non_null(strstr(r.body, "cvmm_broker_request_duration_seconds_bucket{"
			       "endpoint=\"attest\",le=\"0.0025\"} 1\n"));
	assert_non_null(strstr(r.body, "cvmm_broker_requests_total{endpoint=\"health\","
			       "code=\"200\"} 2\n"));
	assert_non_null(strstr(r.body, "cvmm_broker_ready 1\n"));
	free(r.body);
	/* a replica that is draining answers 503 at /readyz */
	assert_int_equal(fleet_init(&b, "r1", &why), 0);
	fleet_draining(&b);
	get(&b, "GET", "/readyz", &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "shutting down"));
	free(r.body);
	fleet_free(&b);
	store_close(b.store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_att_codec),
		cmocka_unit_test(test_session_window),
		cmocka_unit_test(test_metrics_and_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
