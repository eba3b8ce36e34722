/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_HTTP_H
#define CVMM_BROKER_HTTP_H

/*
 * The broker's HTTP/1.1 server on libmicrohttpd: TCP (HOST:PORT) or a
 * UNIX socket (unix:PATH), TLS from PEM files (GnuTLS inside
 * libmicrohttpd) unless plain HTTP is asked for, a thread pool, a request
 * body limit (413 beyond it, checked against Content-Length before the
 * body is read), a per-connection memory limit for headers, an idle
 * timeout, and a graceful stop: stop accepting, let the requests in
 * flight finish (up to a grace period), then close.
 *
 * The handler is called once per request with the whole body, on one of
 * the pool's threads; it fills a response.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct http_request {
	const char *method;
	const char *url;		/* path only */
	const char *session;		/* "kbs-session-id" cookie, or NULL */
	const char *authorization;	/* header, or NULL */
	const uint8_t *body;
	size_t body_len;
	char client[64];		/* "ip:port", "[ip6]:port" or "unix" */
};

struct http_response {
	int status;
	char *body;			/* malloc'ed, owned by the server after return */
	size_t body_len;
	const char *content_type;	/* static */
	char *set_cookie;		/* malloc'ed or NULL */
};

typedef void (*http_handler)(void *ctx, const struct http_request *req,
			     struct http_response *resp);

struct http_opts {
	const char *listen;		/* HOST:PORT or unix:PATH */
	const char *tls_cert, *tls_key;	/* PEM files; both NULL = plain HTTP */
	unsigned threads;
	size_t max_body;
	unsigned timeout_s;
	unsigned max_conns;
};

struct http_server;

/* Start serving.  0 or -errno with @why. */
int http_start(struct http_server **out, const struct http_opts *o,
	       http_handler h, void *ctx, struct err_msg *why);
/* The bound TCP port (for "HOST:0"), or 0. */
unsigned http_port(const struct http_server *s);
/* Stop accepting, wait up to @grace_ms for requests in flight, stop. */
void http_stop(struct http_server *s, unsigned grace_ms);

#endif
