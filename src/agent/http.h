/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_AGENT_HTTP_H
#define CVMM_AGENT_HTTP_H

/*
 * HTTP for the RCAR client, on libcurl:
 *
 *   - TLS (1.2+) with the broker's public key pinned (CURLOPT_PINNEDPUBLICKEY:
 *     a SHA-256 of its SubjectPublicKeyInfo, or a key file): the handshake
 *     proves the broker holds that key, whatever certificate it shows, so
 *     no CA store is needed and none is trusted;
 *   - over TCP, or over vsock (CURLOPT_OPENSOCKETFUNCTION opens and connects
 *     an AF_VSOCK socket, CURLOPT_SOCKOPTFUNCTION tells curl it is connected;
 *     the URL's host is resolved to a dummy address without DNS).  TLS and
 *     the pin apply on vsock too: the host relays those bytes and must not
 *     be able to stand in for the broker;
 *   - plain http only when the caller passes @insecure (the agent's
 *     --insecure-http test flag, which says so loudly);
 *   - no redirects, no proxies, no other protocols; answers capped at
 *     RCAR_RESPONSE_MAX; each request bounded by the run's deadline;
 *   - the session cookie kbs-session-id is taken from Set-Cookie and sent
 *     back by hand (no cookie engine, no cookie file).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agent/config.h"

struct http_client;

struct http_answer {
	long status;		/* HTTP status, 0 if none */
	char *body;		/* NUL-terminated, free() */
	size_t len;
};

/* A client for the configured broker.  NULL with @why on failure. */
struct http_client *http_client_new(const struct agent_config *c, bool insecure,
				    char *why, size_t whylen);
void http_client_free(struct http_client *h);

/* Forget the session cookie (a new RCAR round starts). */
void http_client_reset_session(struct http_client *h);

/*
 * POST @json (NULL: GET) to the broker's @path ("/kbs/v0/auth").  Returns
 * 0 with an answer of any status, -ETIMEDOUT (deadline), -ECONNREFUSED /
 * -EHOSTUNREACH (transport: retry later), -EPERM (TLS or pin failure),
 * -EMSGSIZE (answer too large), with @why.
 */
int http_request(struct http_client *h, const char *path, const char *json,
		 uint64_t deadline, struct http_answer *a, char *why, size_t whylen);

void http_answer_free(struct http_answer *a);

#endif
