// SPDX-License-Identifier: GPL-2.0-only
/* The audit log and `cvmm-broker audit` (see audit.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attest/rfc3339.h"
#include "broker/audit.h"
#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/metrics.h"
#include "util/err.h"
#include "util/num.h"

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

json_t *audit_record_json(const struct audit_record *r)
{
	json_t *o = json_object();
	json_t *failed = NULL;
	char when[64];
	time_t sec = (time_t)(r->time_ms / 1000);
	struct tm tm;

	if (!o)
		return NULL;
	gmtime_r(&sec, &tm);
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, (int)(r->time_ms % 1000));
	if (r->id)
		json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "time", json_string(when));
	set_str(o, "event", r->event);
	set_str(o, "client", r->client);
	set_str(o, "session", r->session);
	set_str(o, "tee", r->tee);
	set_str(o, "evidence_digest", r->evidence_digest);
	set_str(o, "measurement", r->measurement);
	set_str(o, "verdict", r->verdict);
	if (r->failed)
		failed = json_loads(r->failed, 0, NULL);
	if (failed)
		json_object_set_new(o, "failed", failed);
	set_str(o, "resource", r->resource);
	set_str(o, "detail", r->detail);
	if (r->test_evidence)
		json_object_set_new(o, "test_evidence", json_true());
	return o;
}

int audit_write(struct store *st, struct audit_record *r)
{
	int ret;

	r->time_ms = broker_now_ms();
	ret = STORE_CALL(st, audit_append, r);
	metrics_verdict(r, ret);
	blog(r->verdict && strcmp(r->verdict, "allow") ? "warn" : "info",
	     r->event, audit_record_json(r));
	if (ret)
		berr("audit", "the audit record could not be stored: %s", strerror(-ret));
	return ret;
}

struct print_ctx {
	bool json;
	size_t n;
};

static int print_row(void *ctx, const struct audit_record *r)
{
	struct print_ctx *p = ctx;
	json_t *o = audit_record_json(r);
	char *line = o ? json_dumps(o, JSON_COMPACT) : NULL;

	if (!line) {
		json_decref(o);
		return -ENOMEM;
	}
	if (p->json)
		printf("%s\n", line);
	else
		printf("%lld %s %s %s %s %s %s%s\n", (long long)r->id,
		       json_string_value(json_object_get(o, "time")),
		       r->event ? r->event : "-", r->verdict ? r->verdict : "-",
		       r->tee ? r->tee : "-", r->resource ? r->resource : "-",
		       r->session ? r->session : "-", r->test_evidence ? " TEST-EVIDENCE" : "");
	json_decref(o);
	free(line);
	p->n++;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm-broker audit --store sqlite:PATH|postgresql://… [--json] [--event E]\n"
		"                         [--verdict V] [--resource R] [--session S] [--tee T]\n"
		"                         [--since TIME] [--until TIME] [--after-id N] [--limit N]\n"
		"\n"
		"Print the broker's audit log, oldest first; --json prints one JSON object per\n"
		"line (the fields of docs/broker.md).  TIME is RFC 3339.\n");
}

static int parse_time(const char *s, int64_t *ms)
{
	int64_t t;

	if (rfc3339_parse(s, &t))
		return -EINVAL;
	*ms = t * 1000;
	return 0;
}

int audit_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "store", required_argument, NULL, 's' }, { "json", no_argument, NULL, 'j' },
		{ "event", required_argument, NULL, 'e' }, { "verdict", required_argument, NULL, 'v' },
		{ "resource", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 'S' }, { "tee", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 'a' }, { "until", required_argument, NULL, 'b' },
		{ "after-id", required_argument, NULL, 'i' }, { "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' }, { 0 } };
	struct audit_filter f = { 0 };
	struct print_ctx p = { 0 };
	const char *uri = NULL;
	struct store *st;
	struct err_msg why;
	uint64_t n;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': uri = optarg; break;
		case 'j': p.json = true; break;
		case 'e': f.event = optarg; break;
		case 'v': f.verdict = optarg; break;
		case 'r': f.resource = optarg; break;
		case 'S': f.session = optarg; break;
		case 't': f.tee = optarg; break;
		case 'a':
		case 'b':
			if (parse_time(optarg, c == 'a' ? &f.since_ms : &f.until_ms)) {
				berr(optarg, "expected an RFC 3339 time");
				return 2;
			}
			break;
		case 'i':
		case 'l':
			if (num_parse_u64(optarg, &n) || n > INT64_MAX) {
				berr(optarg, "expected a number");
				return 2;
			}
			if (c == 'i')
				f.after_id = (int64_t)n;
			else
				f.limit = n;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!uri || optind != argc) {
		usage(stderr);
		return 2;
	}
	ret = store_open(uri, &st, &why);
	if (ret) {
		char shown[512];

		store_uri_redact(uri, shown, sizeof(shown));
		berr(shown, "%s", why.msg);
		return 1;
	}
	ret = STORE_CALL(st, audit_query, &f, print_row, &p);
	store_close(st);
	if (ret) {
		berr("audit", "%s", strerror(-ret));
		return 1;
	}
	return 0;
}
