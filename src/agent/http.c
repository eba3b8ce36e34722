// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "agent/alog.h"
#include "agent/http.h"
#include "agent/net.h"
#include "agent/rcar.h"
#include "agent/relay.h"

#define REQUEST_MAX_MS	60000

struct http_client {
	CURL *curl;
	char base[AGENT_VALUE_MAX];
	struct agent_addr addr;
	bool has_addr;
	uint64_t deadline;	/* of the request in flight */
	int sock_err;
	char session[RCAR_SESSION_MAX];
	bool bad_cookie;
	struct relay *relay;
	struct http_answer *cur;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t on_body(char *d, size_t sz, size_t n, void *p)
{
	struct http_client *h = p;
	struct http_answer *a = h->cur;
	size_t add = sz * n;
	char *nb;

	if (add > RCAR_RESPONSE_MAX - a->len) {
		h->too_big = true;
		return 0;
	}
	nb = realloc(a->body, a->len + add + 1);
	if (!nb)
		return 0;
	memcpy(nb + a->len, d, add);
	a->len += add;
	nb[a->len] = 0;
	a->body = nb;
	return add;
}

static size_t on_header(char *d, size_t sz, size_t n, void *p)
{
	struct http_client *h = p;
	size_t len = sz * n;
	int r;

	while (len && (d[len - 1] == '\n' || d[len - 1] == '\r'))
		len--;
	r = rcar_parse_set_cookie(d, len, h->session, sizeof(h->session));
	if (r < 0)
		h->bad_cookie = true;
	return sz * n;
}

static int setup_tls(struct http_client *h, const struct agent_config *c)
{
	CURL *k = h->curl;

	/*
	 * The pin is the trust anchor: the chain is not checked against any
	 * CA store, the public key the broker proves it holds must be the
	 * pinned one (libcurl checks it whether or not VERIFYPEER is on).
	 */
	if (curl_easy_setopt(k, CURLOPT_PINNEDPUBLICKEY, c->pin) ||
	    curl_easy_setopt(k, CURLOPT_SSL_VERIFYPEER, 0L) ||
	    curl_easy_setopt(k, CURLOPT_SSL_VERIFYHOST, 0L) ||
	    curl_easy_setopt(k, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) ||
	    curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "https"))
		return -EINVAL;
	return 0;
}

static int setup(struct http_client *h, const struct agent_config *c, bool insecure)
{
	CURL *k = h->curl;
	char name[64];

	if (curl_easy_setopt(k, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(k, CURLOPT_FOLLOWLOCATION, 0L) ||
	    curl_easy_setopt(k, CURLOPT_PROXY, "") ||
	    curl_easy_setopt(k, CURLOPT_ERRORBUFFER, h->errbuf) ||
	    curl_easy_setopt(k, CURLOPT_WRITEFUNCTION, on_body) ||
	    curl_easy_setopt(k, CURLOPT_WRITEDATA, h) ||
	    curl_easy_setopt(k, CURLOPT_HEADERFUNCTION, on_header) ||
	    curl_easy_setopt(k, CURLOPT_HEADERDATA, h) ||
	    curl_easy_setopt(k, CURLOPT_USERAGENT, "cvmm-agent/" RCAR_VERSION) ||
	    curl_easy_setopt(k, CURLOPT_VERBOSE, alog_level > 2 ? 1L : 0L))
		return -EINVAL;
	if (agent_url_is_https(c->url) ? setup_tls(h, c) :
	    (!insecure || curl_easy_setopt(k, CURLOPT_PROTOCOLS_STR, "http")))
		return -EINVAL;
	if (!c->has_connect)
		return 0;
	if (c->connect.kind == ADDR_UNIX)
		return curl_easy_setopt(k, CURLOPT_UNIX_SOCKET_PATH, c->connect.path) ? -EINVAL : 0;
	if (relay_start(&c->connect, &h->relay, name, sizeof(name)) ||
	    curl_easy_setopt(k, CURLOPT_ABSTRACT_UNIX_SOCKET, name))
		return -EINVAL;
	return 0;
}

struct http_client *http_client_new(const struct agent_config *c, bool insecure,
				    char *why, size_t whylen)
{
	struct http_client *h;
	size_t n = strlen(c->url);

	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		snprintf(why, whylen, "libcurl cannot start");
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h || !(h->curl = curl_easy_init())) {
		free(h);
		snprintf(why, whylen, "out of memory");
		return NULL;
	}
	memcpy(h->base, c->url, n + 1);
	if (n && h->base[n - 1] == '/')
		h->base[n - 1] = 0;
	h->addr = c->connect;
	h->has_addr = c->has_connect;
	if (setup(h, c, insecure)) {
		snprintf(why, whylen, "libcurl does not support what the agent needs "
			 "(TLS public key pinning, vsock sockets)");
		http_client_free(h);
		return NULL;
	}
	return h;
}

void http_client_free(struct http_client *h)
{
	if (!h)
		return;
	curl_easy_cleanup(h->curl);
	relay_stop(h->relay);
	free(h);
}

void http_client_reset_session(struct http_client *h)
{
	h->session[0] = 0;
}

void http_answer_free(struct http_answer *a)
{
	free(a->body);
	a->body = NULL;
	a->len = 0;
}

static int map_error(struct http_client *h, CURLcode rc, char *why, size_t whylen)
{
	const char *msg = h->errbuf[0] ? h->errbuf : curl_easy_strerror(rc);

	if (h->too_big) {
		snprintf(why, whylen, "answer larger than %u bytes", RCAR_RESPONSE_MAX);
		return -EMSGSIZE;
	}
	if (h->sock_err) {
		char a[128];

		agent_addr_format(&h->addr, a, sizeof(a));
		snprintf(why, whylen, "%s: %s", a, strerror(-h->sock_err));
		return -ECONNREFUSED;
	}
	if (h->has_addr) {
		char a[128];

		agent_addr_format(&h->addr, a, sizeof(a));
		snprintf(why, whylen, "%s (%s)", msg, h->has_addr ? a : "network");
	} else {
		snprintf(why, whylen, "%s", msg);
	}
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(why, whylen, "the broker's public key does not match the pin");
		return -EPERM;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
		return -EPERM;
	default:
		return -ECONNREFUSED;
	}
}

static struct curl_slist *headers(struct http_client *h, bool post)
{
	struct curl_slist *l = NULL, *n;
	char c[RCAR_SESSION_MAX + 40];

	if (post) {
		l = curl_slist_append(l, "Content-Type: application/json");
		if (!l)
			return NULL;
	}
	snprintf(c, sizeof(c), "Cookie: kbs-session-id=%s", h->session);
	n = curl_slist_append(l, h->session[0] ? c : "Accept: application/json");
	if (!n)
		curl_slist_free_all(l);
	return n;
}

int http_request(struct http_client *h, const char *path, const char *json,
		 uint64_t deadline, struct http_answer *a, char *why, size_t whylen)
{
	char url[AGENT_VALUE_MAX * 2];
	struct curl_slist *hl;
	int ms = agent_ms_left(deadline);
	CURLcode rc;

	memset(a, 0, sizeof(*a));
	if (!ms) {
		snprintf(why, whylen, "deadline passed");
		return -ETIMEDOUT;
	}
	snprintf(url, sizeof(url), "%s%s", h->base, path);
	hl = headers(h, json != NULL);
	if (!hl)
		return -ENOMEM;
	h->deadline = agent_now_ms() + (ms < REQUEST_MAX_MS ? ms : REQUEST_MAX_MS);
	h->sock_err = 0;
	h->too_big = false;
	h->bad_cookie = false;
	h->errbuf[0] = 0;
	h->cur = a;
	if (h->relay)
		relay_set_deadline(h->relay, h->deadline);
	curl_easy_setopt(h->curl, CURLOPT_URL, url);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hl);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, (long)(h->deadline - agent_now_ms()));
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, (long)(h->deadline - agent_now_ms()));
	if (json)
		curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, json);
	else
		curl_easy_setopt(h->curl, CURLOPT_HTTPGET, 1L);
	rc = curl_easy_perform(h->curl);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(hl);
	h->cur = NULL;
	if (rc != CURLE_OK) {
		if (h->relay)
			h->sock_err = relay_take_error(h->relay);
		http_answer_free(a);
		return map_error(h, rc, why, whylen);
	}
	if (h->bad_cookie) {
		http_answer_free(a);
		snprintf(why, whylen, "malformed kbs-session-id cookie");
		return -EPROTO;
	}
	curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &a->status);
	return 0;
}
