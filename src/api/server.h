/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_API_SERVER_H
#define CVMM_API_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "api/http.h"

/*
 * The control API's server: HTTP/1.1 (api/http.h) on a UNIX stream socket,
 * served by one thread running one epoll loop.
 *
 * Set-up and loop are separate (a seccomp filter for the loop's thread can
 * go between them): api_server_create() does every privileged or one-time
 * step on the caller's thread -- the socket (a stale one at the path is
 * replaced, a live one refused), bind, chmod 0600, listen, epoll, the stop
 * eventfd -- and the loop then uses only epoll_wait, epoll_ctl, accept4,
 * recvmsg, sendmsg, close, read/write on the stop eventfd, and whatever
 * the handler does (futex, eventfd writes, memory).
 *
 * Per connection: one request at a time (pipelined bytes wait until the
 * response is sent), keep-alive as HTTP says, the request must arrive
 * within request_timeout_ms of its first byte (else 408 and close), a
 * response must be taken within the same time (else close), an idle
 * connection is closed after idle_timeout_ms.  Beyond max_conns open
 * connections a new one gets 503 and is closed.  File descriptors sent
 * with a request's bytes (SCM_RIGHTS, at most API_MAX_FDS) are handed to
 * the handler with that request; those it does not take are closed.
 */

#define API_MAX_FDS		16
#define API_MAX_CONNS		16
#define API_BODY_LIMIT		(128 * 1024)
#define API_REQUEST_TIMEOUT_MS	10000
#define API_IDLE_TIMEOUT_MS	120000

struct api_response {
	int status;
	char *body;		/* malloc'ed, or NULL (no body) */
	size_t len;
	const char *extra;	/* extra header lines ("Allow: GET\r\n"), static */
};

/*
 * Serve one request (on the server's thread; may block).  @fds[0..@nr_fds)
 * came with it: set the ones it keeps to -1, the server closes the rest.
 * Fill @resp (status, and body or none).
 */
typedef void (*api_handler_fn)(void *opaque, const struct http_request *req, int *fds,
			       unsigned int nr_fds, struct api_response *resp);

struct api_server_config {
	const char *path;
	api_handler_fn handler;
	void *opaque;
	unsigned int max_conns;		/* 0: API_MAX_CONNS */
	int request_timeout_ms;		/* 0: API_REQUEST_TIMEOUT_MS */
	int idle_timeout_ms;		/* 0: API_IDLE_TIMEOUT_MS */
	size_t body_limit;		/* 0: API_BODY_LIMIT */
};

struct api_server;

/* The set-up; on failure the reason (one clause) is in @why. */
int api_server_create(const struct api_server_config *cfg, struct api_server **out,
		      char *why, size_t whylen);
/* Run the loop on a new thread named "api". */
int api_server_start(struct api_server *s);
/* Run the loop on the calling thread until api_server_stop() (tests). */
int api_server_run(struct api_server *s);
/* Ask the loop to end after the request it serves, and join its thread. */
void api_server_stop(struct api_server *s);
/* Stop, close every connection, remove the socket file. */
void api_server_destroy(struct api_server *s);

/* A JSON error body {"error": "<msg>"} for @resp (status given). */
void api_response_error(struct api_response *resp, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
