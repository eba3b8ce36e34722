// SPDX-License-Identifier: GPL-2.0-only
/*
 * `cvmm-broker serve`: open the store, recover the KEK, start the HTTP
 * server, and wait for SIGTERM/SIGINT; then stop accepting, finish the
 * requests in flight and exit 0.  Exit 1 when it cannot start (one
 * "cvmm-broker: <what>: <why>" line), 2 for usage errors.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "broker/blog.h"
#include "broker/broker.h"
#include "broker/cli.h"
#include "broker/config.h"
#include "broker/fault.h"
#include "broker/fleet.h"
#include "broker/health.h"
#include "util/err.h"

#define P_KBS		"/kbs/v0/"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm-broker serve --listen HOST:PORT|unix:PATH\n"
		"                         [--tls-cert F --tls-key F | --insecure-http]\n"
		"                         --store sqlite:PATH|postgresql://… --kek FILE\n"
		"                         --admin-key PUBKEY.pem [--replica-name NAME]\n"
		"                         [--test-roots PEM] [--certs DIR] [--kds-url URL]\n"
		"                         [--config FILE]\n"
		"                         [--token-key P256.pem] [--allow-rsa1_5] [--threads N]\n"
		"                         [--timeout S] [--max-body N] [--max-connections N]\n"
		"                         [--max-sessions N] [--session-ttl S] [--grace-ms N]\n"
		"\n"
		"Serve the Trustee KBS protocol (RCAR 0.4.0) and the admin API; release each\n"
		"secret only to evidence that verifies and satisfies the resource's policy.\n"
		"See docs/broker.md.\n");
}

void broker_handle(void *ctx, const struct http_request *req, struct http_response *r)
{
	struct broker *b = ctx;
	const char *u = req->url, *m = req->method;

	if (!strcmp(u, P_KBS "auth") && !strcmp(m, "POST"))
		return kbs_auth(b, req, r);
	if (!strcmp(u, P_KBS "attest") && !strcmp(m, "POST"))
		return kbs_attest(b, req, r);
	if (!strncmp(u, P_KBS "resource/", 17) && !strcmp(m, "GET"))
		return kbs_resource(b, req, u + 17, r);
	if (!strncmp(u, P_KBS "resource/", 17) || !strncmp(u, P_KBS "resource-policy", 23) ||
	    !strncmp(u, P_KBS "reference-value/", 24) || !strncmp(u, P_KBS "admin/", 14))
		return admin_handle(b, req, r);
	if (!strcmp(u, P_KBS "auth") || !strcmp(u, P_KBS "attest"))
		return kbs_error(r, 405, "InvalidRequestPath", "method not allowed");
	kbs_error(r, 404, "InvalidRequestPath", "Request path %.200s is invalid", u);
}

static int check_config(const struct serve_config *c)
{
	const char *miss = !c->listen ? "--listen" : !c->store ? "--store" :
			   !c->kek ? "--kek" : !c->admin_key ? "--admin-key" : NULL;

	if (miss) {
		berr("serve", "%s is required", miss);
		return -EINVAL;
	}
	if (!c->insecure_http && (!c->tls_cert || !c->tls_key)) {
		berr("serve", "TLS needs --tls-cert and --tls-key (or --insecure-http for tests)");
		return -EINVAL;
	}
	if (c->insecure_http && (c->tls_cert || c->tls_key)) {
		berr("serve", "--insecure-http and --tls-cert/--tls-key exclude each other");
		return -EINVAL;
	}
	return 0;
}

/* The KEK: a broker alone recovers its rotation; a replica joins the fleet's. */
static int open_kek(struct broker *b, const struct serve_config *c, struct err_msg *why)
{
	int ret;

	ret = fleet_init(b, c->replica_name, why);
	if (ret)
		return berr("--replica-name", "%s", why->msg), ret;
	if (b->fleet->shared)
		ret = fleet_kek_init(b, c->kek, why);
	else
		ret = broker_kek_recover(b->store, c->kek, &b->kek, why);
	if (ret)
		berr(c->kek, "%s", why->msg);
	return ret;
}

static int open_all(struct broker *b, const struct serve_config *c)
{
	struct err_msg why;
	char uri[512];
	int ret;

	store_uri_redact(c->store, uri, sizeof(uri));
	ret = store_open(c->store, &b->store, &why);
	if (ret)
		return berr(uri, "%s", why.msg), ret;
	ret = open_kek(b, c, &why);
	if (ret)
		return ret;
	b->kek_path = strdup(c->kek);
	ret = admin_auth_init(&b->admin, c->admin_key, &why);
	if (ret)
		return berr(c->admin_key, "%s", why.msg), ret;
	if (b->fleet->shared) {		/* an admin token is good once fleet-wide */
		b->admin.jti_shared = fleet_admin_jti;
		b->admin.jti_ctx = b;
	}
	ret = verifier_init(&b->vf, c->test_roots, c->certs, c->kds_url, c->allow_rsa1_5,
			    &why);
	if (ret)
		return berr("--test-roots", "%s", why.msg), ret;
	ret = token_signer_init(&b->signer, c->token_key, &why);
	if (ret)
		return berr("--token-key", "%s", why.msg), ret;
	if (!b->kek_path)
		return -ENOMEM;
	ret = fleet_start(b, &why);
	if (ret)
		berr("serve", "%s", why.msg);
	return ret;
}

static void close_all(struct broker *b)
{
	fleet_stop(b);
	session_table_free(&b->sessions);
	token_signer_free(&b->signer);
	verifier_free(&b->vf);
	admin_auth_free(&b->admin);
	kek_free(&b->kek);
	free(b->kek_path);
	store_close(b->store);
	fleet_free(b);
	pthread_rwlock_destroy(&b->kek_lock);
}

static void announce(struct broker *b, const struct serve_config *c, unsigned port)
{
	if (c->insecure_http)
		bwarn("--insecure-http", "serving PLAIN HTTP: secrets and tokens cross the"
		      " network in the clear; for local tests only");
	if (c->test_roots)
		bwarn("--test-roots", "TEST MODE: evidence chaining to %s is accepted and"
		      " logged as test evidence", c->test_roots);
	if (fault_armed())
		bwarn("CVMM_BROKER_TEST_FAULT", "test fault injection is armed");
	blog("info", "serve.started", json_pack("{s:s,s:i,s:b,s:b,s:i,s:s,s:s,s:b}",
		"listen", c->listen, "port", (int)port, "tls", !c->insecure_http,
		"test_roots", c->test_roots != NULL, "threads", (int)c->threads,
		"replica", b->fleet->name, "store", b->store->ops->scheme,
		"fleet", b->fleet->shared));
}

static int wait_signal(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigwait(&set, &sig);
	return sig;
}

int serve_main(int argc, char **argv)
{
	struct serve_config c;
	struct broker b;
	struct http_server *srv = NULL;
	struct http_opts ho;
	sigset_t set;
	struct err_msg why;
	int ret, sig;

	ret = config_parse_args(argc, argv, &c);
	if (ret == 1 || ret || check_config(&c)) {
		if (ret == 1)
			usage(stdout);
		config_free(&c);
		return ret == 1 ? 0 : 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&b, 0, sizeof(b));
	pthread_rwlock_init(&b.kek_lock, NULL);
	session_table_init(&b.sessions, c.max_sessions, (int64_t)c.session_ttl_s * 1000);
	b.tls = !c.insecure_http;
	ret = open_all(&b, &c);
	if (!ret) {
		ho = (struct http_opts){ .listen = c.listen, .tls_cert = c.tls_cert,
			.tls_key = c.tls_key, .threads = c.threads, .max_body = c.max_body,
			.timeout_s = c.timeout_s, .max_conns = c.max_conns };
		ret = http_start(&srv, &ho, broker_serve, &b, &why);
		if (ret)
			berr(c.listen, "%s", why.msg);
	}
	if (ret) {
		close_all(&b);
		config_free(&c);
		return 1;
	}
	announce(&b, &c, http_port(srv));
	sig = wait_signal();
	blog("info", "serve.stopping", json_pack("{s:i}", "signal", sig));
	fleet_draining(&b);	/* /readyz answers 503 while the requests in flight finish */
	http_stop(srv, c.grace_ms);
	close_all(&b);
	config_free(&c);
	blog("info", "serve.stopped", NULL);
	return 0;
}
