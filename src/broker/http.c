// SPDX-License-Identifier: GPL-2.0-only
/* libmicrohttpd server wrapper (see http.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "broker/http.h"
#include "broker/secret.h"
#include "util/err.h"
#include "util/file.h"

#define PEM_MAX		(1u << 20)

struct http_server {
	struct MHD_Daemon *d;
	http_handler handler;
	void *ctx;
	size_t max_body;
	int inflight;			/* atomic */
	int listen_fd;
	char *unix_path;
	uint8_t *cert;
	struct secret key;
};

struct req {
	uint8_t *body;
	size_t len, cap;
	bool too_large;
	bool counted;
};

static void client_addr(struct MHD_Connection *c, char *out, size_t len)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	char host[INET6_ADDRSTRLEN];

	snprintf(out, len, "unix");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		snprintf(out, len, "%s:%u", host, ntohs(in->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		snprintf(out, len, "[%s]:%u", host, ntohs(in6->sin6_port));
	}
}

static enum MHD_Result send_resp(struct MHD_Connection *c, struct http_response *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(r->body_len, r->body ? r->body : (char *)"",
					       MHD_RESPMEM_MUST_COPY);
	free(r->body);
	r->body = NULL;
	if (!resp) {
		free(r->set_cookie);
		return MHD_NO;
	}
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	if (r->set_cookie)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	free(r->set_cookie);
	ret = MHD_queue_response(c, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result too_large(struct MHD_Connection *c)
{
	static const char body[] = "{\"type\":\"https://github.com/confidential-containers/"
		"kbs/errors/SerdeError\",\"detail\":\"request body too large\"}";
	struct http_response r = { .status = 413, .content_type = "application/json" };

	r.body = strdup(body);
	r.body_len = r.body ? strlen(body) : 0;
	return send_resp(c, &r);
}

static int append(struct req *rq, const char *data, size_t n, size_t max)
{
	size_t cap;
	uint8_t *p;

	if (rq->too_large || rq->len + n > max) {
		rq->too_large = true;
		return 0;
	}
	if (rq->len + n + 1 > rq->cap) {
		cap = rq->cap ? rq->cap * 2 : 4096;
		while (cap < rq->len + n + 1)
			cap *= 2;
		p = malloc(cap);
		if (!p)
			return -ENOMEM;
		if (rq->body) {
			memcpy(p, rq->body, rq->len);
			OPENSSL_cleanse(rq->body, rq->cap);
			free(rq->body);
		}
		rq->body = p;
		rq->cap = cap;
	}
	memcpy(rq->body + rq->len, data, n);
	rq->len += n;
	rq->body[rq->len] = 0;
	return 0;
}

static enum MHD_Result dispatch(struct http_server *s, struct MHD_Connection *c,
				const char *url, const char *method, struct req *rq)
{
	struct http_request in = {
		.method = method, .url = url,
		.session = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "kbs-session-id"),
		.authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							      MHD_HTTP_HEADER_AUTHORIZATION),
		.body = rq->body ? rq->body : (const uint8_t *)"",
		.body_len = rq->len,
	};
	struct http_response out = { .status = 500 };

	client_addr(c, in.client, sizeof(in.client));
	s->handler(s->ctx, &in, &out);
	return send_resp(c, &out);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *data, size_t *data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct req *rq = *con_cls;
	const char *cl;

	if (!rq) {
		rq = calloc(1, sizeof(*rq));
		if (!rq)
			return MHD_NO;
		*con_cls = rq;
		rq->counted = true;
		__atomic_add_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > s->max_body)
			return too_large(c);
		return MHD_YES;
	}
	if (*data_size) {
		if (append(rq, data, *data_size, s->max_body))
			return MHD_NO;
		*data_size = 0;
		return MHD_YES;
	}
	if (rq->too_large)
		return too_large(c);
	return dispatch(s, c, url, method, rq);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct req *rq = *con_cls;

	if (!rq)
		return;
	if (rq->counted)
		__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_RELAXED);
	/* request bodies may hold a secret (admin put-secret): wipe them */
	if (rq->body)
		OPENSSL_cleanse(rq->body, rq->cap);
	free(rq->body);
	free(rq);
	*con_cls = NULL;
}

static int listen_unix(struct http_server *s, const char *path, struct err_msg *why)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		err_set(why, "unix:%s: path too long", path);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	if (!lstat(path, &st) && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 128)) {
		err_set(why, "unix:%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -errno;
	}
	s->listen_fd = fd;
	s->unix_path = strdup(path);
	return 0;
}

static int listen_tcp(struct http_server *s, const char *hostport, struct err_msg *why)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE };
	struct addrinfo *ai = NULL;
	char host[256];
	const char *colon = strrchr(hostport, ':');
	int fd = -1, one = 1, rc;

	if (!colon || colon == hostport || (size_t)(colon - hostport) >= sizeof(host) ||
	    !colon[1]) {
		err_set(why, "%s: expected HOST:PORT or unix:PATH", hostport);
		return -EINVAL;
	}
	snprintf(host, sizeof(host), "%.*s", (int)(colon - hostport), hostport);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = 0;
	}
	rc = getaddrinfo(host, colon + 1, &hints, &ai);
	if (rc) {
		err_set(why, "%s: %s", hostport, gai_strerror(rc));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 128)) {
		err_set(why, "%s: %s", hostport, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -errno;
	}
	freeaddrinfo(ai);
	s->listen_fd = fd;
	return 0;
}

static int load_tls(struct http_server *s, const struct http_opts *o, struct err_msg *why)
{
	uint8_t *buf;
	size_t len;
	int ret;

	if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		err_set(why, "libmicrohttpd was built without TLS");
		return -ENOTSUP;
	}
	ret = file_read(o->tls_cert, PEM_MAX, &s->cert, &len);
	if (ret) {
		err_set(why, "%s: %s", o->tls_cert, strerror(-ret));
		return ret;
	}
	ret = file_read(o->tls_key, PEM_MAX, &buf, &len);
	if (ret) {
		err_set(why, "%s: %s", o->tls_key, strerror(-ret));
		return ret;
	}
	ret = secret_dup(&s->key, buf, len + 1);
	explicit_bzero(buf, len);
	free(buf);
	return ret;
}

static void free_server(struct http_server *s)
{
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->unix_path)
		unlink(s->unix_path);
	free(s->unix_path);
	free(s->cert);
	secret_free(&s->key);
	free(s);
}

int http_start(struct http_server **out, const struct http_opts *o,
	       http_handler h, void *ctx, struct err_msg *why)
{
	struct http_server *s = calloc(1, sizeof(*s));
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ITC;
	int ret;

	if (!s)
		return -ENOMEM;
	s->listen_fd = -1;
	s->handler = h;
	s->ctx = ctx;
	s->max_body = o->max_body;
	ret = !strncmp(o->listen, "unix:", 5) ? listen_unix(s, o->listen + 5, why) :
						 listen_tcp(s, o->listen, why);
	if (!ret && o->tls_cert) {
		ret = load_tls(s, o, why);
		flags |= MHD_USE_TLS;
	}
	if (ret)
		goto fail;
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, o->threads ? o->threads : 4u,
		MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s ? o->timeout_s : 30u,
		MHD_OPTION_CONNECTION_LIMIT, o->max_conns ? o->max_conns : 1024u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64u << 10),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		o->tls_cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, s->cert,
		MHD_OPTION_HTTPS_MEM_KEY, s->key.data,
		MHD_OPTION_END);
	if (!s->d) {
		err_set(why, "libmicrohttpd could not start%s",
			o->tls_cert ? " (is the TLS certificate/key pair valid?)" : "");
		ret = -EIO;
		goto fail;
	}
	*out = s;
	return 0;
fail:
	free_server(s);
	return ret;
}

unsigned http_port(const struct http_server *s)
{
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);

	return di ? di->port : 0;
}

void http_stop(struct http_server *s, unsigned grace_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	unsigned waited = 0;
	MHD_socket fd;

	if (!s)
		return;
	fd = MHD_quiesce_daemon(s->d);
	if (fd != MHD_INVALID_SOCKET && fd == s->listen_fd) {
		close(fd);
		s->listen_fd = -1;
	}
	while (__atomic_load_n(&s->inflight, __ATOMIC_RELAXED) > 0 && waited < grace_ms) {
		nanosleep(&ts, NULL);
		waited += 10;
	}
	MHD_stop_daemon(s->d);
	free_server(s);
}
