// SPDX-License-Identifier: GPL-2.0-only
/* The audit log and `cvmm-broker audit` (see audit.h). */
#include <ctype.h>
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
#include "broker/config.h"
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

#define TRY_HELP	" (try 'cvmm-broker audit --help')"

/* "--name" of the option whose getopt value is @val. */
static const char *opt_what(const struct option *opts, int val, char *buf, size_t size)
{
	for (; opts->name; opts++) {
		if (opts->val == val) {
			snprintf(buf, size, "--%s", opts->name);
			return buf;
		}
	}
	return "audit";
}

/* How many options @what ("--name") abbreviates. */
static int opt_prefixes(const struct option *opts, const char *what)
{
	size_t len = strlen(what + 2);
	int n = 0;

	for (; opts->name; opts++) {
		if (!strcmp(opts->name, what + 2))
			return 1;
		n += !strncmp(opts->name, what + 2, len);
	}
	return n;
}

/*
 * getopt_long's complaint @c ('?' or ':', its own message turned off) as
 * one line naming the option, never the argument: a mistyped
 * "--stor=postgresql://u:pw@h/db" holds the store's password.  A long
 * option's error leaves argv[optind - 1] at it.
 */
static void bad_option(const struct option *opts, int c, int argc, char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char what[64];
	bool is_long = !strncmp(arg, "--", 2);

	if (c == ':') {
		berr(opt_what(opts, optopt, what, sizeof(what)), "needs a value");
	} else if (optopt && is_long) {
		berr(opt_what(opts, optopt, what, sizeof(what)), "takes no value");
	} else if (optopt) {
		snprintf(what, sizeof(what), "-%c", optopt);
		berr(isalnum(optopt) ? what : "audit", "unknown option" TRY_HELP);
	} else {
		/* getopt permutes argv: a position would not be the user's */
		if (!config_arg_what(arg, optind - 1, what, sizeof(what)))
			snprintf(what, sizeof(what), "audit");
		berr(what, "%s option" TRY_HELP,
		     is_long && opt_prefixes(opts, what) > 1 ? "ambiguous" : "unknown");
	}
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
	opterr = 0;	/* its messages quote the argument: bad_option() */
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		/* "--limit --store=…": the value is missing, not "--store=…" */
		if (optarg && optarg == argv[optind - 1] && !strncmp(optarg, "--", 2)) {
			optopt = c;
			c = ':';
		}
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
				berr(c == 'a' ? "--since" : "--until", "expected an RFC 3339 time");
				return 2;
			}
			break;
		case 'i':
		case 'l':
			if (num_parse_u64(optarg, &n) || n > INT64_MAX) {
				berr(c == 'i' ? "--after-id" : "--limit", "expected a number");
				return 2;
			}
			if (c == 'i')
				f.after_id = (int64_t)n;
			else
				f.limit = n;
			break;
		case 'h': usage(stdout); return 0;
		default: bad_option(opts, c, argc, argv); return 2;
		}
	}
	if (optind != argc) {	/* never echoed: it may be a misplaced secret */
		berr("audit", argc - optind > 1 ? "%d arguments are not options" TRY_HELP :
		     "%d argument is not an option" TRY_HELP, argc - optind);
		return 2;
	}
	if (!uri) {
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
