// SPDX-License-Identifier: GPL-2.0-only
/* Prometheus metrics (see metrics.h). */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "broker/broker.h"
#include "broker/fleet.h"
#include "broker/metrics.h"
#include "util/err.h"

#define NCODES		9
#define NBUCKETS	13

static const char *const ep_names[MEP_N] = {
	"auth", "attest", "resource", "admin", "health", "metrics", "other",
};
static const int codes[NCODES] = { 200, 400, 401, 403, 404, 405, 413, 500, 503 };
static const char *const buckets[NBUCKETS] = {
	"0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
	"2.5", "5", "10",
};
static const int64_t bucket_us[NBUCKETS] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000, 5000000, 10000000,
};

struct ep_stats {
	uint64_t code[NCODES + 1];	/* the last: any other status */
	uint64_t bucket[NBUCKETS];
	uint64_t count, sum_us;
};

struct vrow {
	char event[16], verdict[8], reason[48];
	uint64_t n;
};

static struct ep_stats eps[MEP_N];
static struct vrow vrows[METRICS_VERDICT_ROWS];
static size_t nvrows;
static uint64_t audit_failures;
static pthread_mutex_t vlock = PTHREAD_MUTEX_INITIALIZER;

static void add(uint64_t *p, uint64_t v)
{
	__atomic_add_fetch(p, v, __ATOMIC_RELAXED);
}

static uint64_t get(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

enum metrics_ep metrics_endpoint(const char *method, const char *url)
{
	if (!strcmp(url, "/kbs/v0/auth"))
		return MEP_AUTH;
	if (!strcmp(url, "/kbs/v0/attest"))
		return MEP_ATTEST;
	if (!strncmp(url, "/kbs/v0/resource/", 17) && !strcmp(method, "GET"))
		return MEP_RESOURCE;
	if (!strncmp(url, "/kbs/v0/", 8))
		return MEP_ADMIN;
	if (!strcmp(url, "/healthz") || !strcmp(url, "/readyz"))
		return MEP_HEALTH;
	if (!strcmp(url, "/metrics"))
		return MEP_METRICS;
	return MEP_OTHER;
}

void metrics_request(enum metrics_ep ep, int status, int64_t usec)
{
	struct ep_stats *s = &eps[ep < MEP_N ? ep : MEP_OTHER];
	int i;

	for (i = 0; i < NCODES && codes[i] != status; i++)
		;
	add(&s->code[i], 1);
	for (i = 0; i < NBUCKETS; i++)
		if (usec <= bucket_us[i])
			add(&s->bucket[i], 1);
	add(&s->count, 1);
	add(&s->sum_us, usec > 0 ? (uint64_t)usec : 0);
}

/* A label value of [a-z0-9._-] (anything else becomes '_'). */
static void label(char *out, size_t len, const char *s)
{
	size_t i;

	for (i = 0; s && s[i] && i + 1 < len; i++)
		out[i] = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
			 s[i] == '.' || s[i] == '-' || s[i] == '_' ? s[i] : '_';
	out[i] = 0;
}

static void count_verdict(const char *event, const char *verdict, const char *reason)
{
	struct vrow k;
	size_t i;

	label(k.event, sizeof(k.event), event);
	label(k.verdict, sizeof(k.verdict), verdict);
	label(k.reason, sizeof(k.reason), reason);
	pthread_mutex_lock(&vlock);
	for (i = 0; i < nvrows; i++)
		if (!strcmp(vrows[i].event, k.event) && !strcmp(vrows[i].verdict, k.verdict) &&
		    !strcmp(vrows[i].reason, k.reason))
			break;
	if (i == nvrows && nvrows == METRICS_VERDICT_ROWS) {
		snprintf(k.reason, sizeof(k.reason), "other");
		for (i = 0; i < nvrows; i++)
			if (!strcmp(vrows[i].event, k.event) &&
			    !strcmp(vrows[i].verdict, k.verdict) &&
			    !strcmp(vrows[i].reason, "other"))
				break;
		if (i == nvrows)
			i--;	/* the table is full: the last row takes it */
	}
	if (i == nvrows) {
		k.n = 0;
		vrows[nvrows++] = k;
	}
	vrows[i].n++;
	pthread_mutex_unlock(&vlock);
}

/* The reason of a decision without failed checks (the audit details of resource.c). */
static const char *plain_reason(const struct audit_record *r)
{
	const char *d = r->detail ? r->detail : "";

	if (r->verdict && !strcmp(r->verdict, "allow"))
		return "ok";
	if (!strncmp(d, "no policy", 9))
		return "policy.none";
	if (!strncmp(d, "unknown resource", 16))
		return "resource.unknown";
	if (!strcmp(r->event, "resource") && r->verdict && !strcmp(r->verdict, "deny"))
		return "policy.invalid";
	return "error";
}

void metrics_verdict(const struct audit_record *r, int store_failed)
{
	json_t *failed = r->failed ? json_loads(r->failed, 0, NULL) : NULL;
	const char *verdict = r->verdict ? r->verdict : "none";
	size_t i, n = 0;

	if (store_failed)
		add(&audit_failures, 1);
	if (!r->event)
		return;
	if (!strncmp(r->event, "admin.", 6)) {
		count_verdict("admin", verdict, r->event + 6);
		json_decref(failed);
		return;
	}
	for (i = 0; i < json_array_size(failed); i++) {
		const char *c = json_string_value(json_object_get(json_array_get(failed, i),
								  "check"));

		if (c) {
			count_verdict(r->event, verdict, c);
			n++;
		}
	}
	if (!n)
		count_verdict(r->event, verdict, plain_reason(r));
	json_decref(failed);
}

static void render_requests(FILE *f)
{
	int e, i;

	fprintf(f, "# HELP cvmm_broker_requests_total HTTP requests answered, by endpoint"
		" and status code.\n# TYPE cvmm_broker_requests_total counter\n");
	for (e = 0; e < MEP_N; e++)
		for (i = 0; i <= NCODES; i++) {
			char code[8] = "other";

			if (i < NCODES)
				snprintf(code, sizeof(code), "%d", codes[i]);
			if (get(&eps[e].code[i]) || i == 0)
				fprintf(f, "cvmm_broker_requests_total{endpoint=\"%s\",code=\"%s\"}"
					" %llu\n", ep_names[e], code,
					(unsigned long long)get(&eps[e].code[i]));
		}
	fprintf(f, "# HELP cvmm_broker_request_duration_seconds Time to answer a request.\n"
		"# TYPE cvmm_broker_request_duration_seconds histogram\n");
	for (e = 0; e < MEP_N; e++) {
		for (i = 0; i < NBUCKETS; i++)
			fprintf(f, "cvmm_broker_request_duration_seconds_bucket{endpoint=\"%s\","
				"le=\"%s\"} %llu\n", ep_names[e], buckets[i],
				(unsigned long long)get(&eps[e].bucket[i]));
		fprintf(f, "cvmm_broker_request_duration_seconds_bucket{endpoint=\"%s\","
			"le=\"+Inf\"} %llu\n", ep_names[e], (unsigned long long)get(&eps[e].count));
		fprintf(f, "cvmm_broker_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n",
			ep_names[e], (double)get(&eps[e].sum_us) / 1e6);
		fprintf(f, "cvmm_broker_request_duration_seconds_count{endpoint=\"%s\"} %llu\n",
			ep_names[e], (unsigned long long)get(&eps[e].count));
	}
}

static void render_verdicts(FILE *f)
{
	size_t i;

	fprintf(f, "# HELP cvmm_broker_verdicts_total Decisions (audit records), by event,"
		" verdict and reason.\n# TYPE cvmm_broker_verdicts_total counter\n");
	pthread_mutex_lock(&vlock);
	for (i = 0; i < nvrows; i++)
		fprintf(f, "cvmm_broker_verdicts_total{event=\"%s\",verdict=\"%s\",reason=\"%s\"}"
			" %llu\n", vrows[i].event, vrows[i].verdict, vrows[i].reason,
			(unsigned long long)vrows[i].n);
	pthread_mutex_unlock(&vlock);
	fprintf(f, "# HELP cvmm_broker_audit_failures_total Audit records the store could"
		" not take.\n# TYPE cvmm_broker_audit_failures_total counter\n"
		"cvmm_broker_audit_failures_total %llu\n",
		(unsigned long long)get(&audit_failures));
}

char *metrics_render(struct broker *b, size_t *len)
{
	char *buf = NULL, name[FLEET_NAME_MAX + 1];
	struct err_msg why;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	render_requests(f);
	render_verdicts(f);
	label(name, sizeof(name), b->fleet ? b->fleet->name : "broker");
	fprintf(f, "# HELP cvmm_broker_ready 1 when the last health check of the store"
		" passed.\n# TYPE cvmm_broker_ready gauge\ncvmm_broker_ready %d\n"
		"# HELP cvmm_broker_replicas_live Replicas with a recent heartbeat.\n"
		"# TYPE cvmm_broker_replicas_live gauge\ncvmm_broker_replicas_live %d\n"
		"# HELP cvmm_broker_info This broker.\n# TYPE cvmm_broker_info gauge\n"
		"cvmm_broker_info{replica=\"%s\",store=\"%s\",version=\"0.1.0\"} 1\n",
		fleet_ready(b, &why), fleet_live(b), name,
		b->store && b->store->ops ? b->store->ops->scheme : "none");
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
