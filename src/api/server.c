// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's server loop (see api/server.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api/server.h"
#include "sandbox/sandbox.h"
#include "util/compiler.h"

#define IN_BUF		4096
#define MAX_EVENTS	16

enum conn_phase {
	CONN_IDLE,		/* between requests */
	CONN_READING,		/* bytes of a request have come */
	CONN_WRITING,		/* a response is being sent */
};

struct api_conn {
	int fd;
	enum conn_phase phase;
	int64_t deadline;		/* ms, CLOCK_MONOTONIC */
	struct http_parser parser;
	uint8_t in[IN_BUF];
	size_t in_len;			/* bytes in in[] not yet parsed */
	int fds[API_MAX_FDS];
	unsigned int nr_fds;
	bool fd_overflow;
	char *out;
	size_t out_len, out_off;
	bool close_after;		/* once out[] is sent */
	bool continued;			/* "100 Continue" sent for this request */
	struct api_conn *next;
};

struct api_server {
	struct api_server_config cfg;
	char *path;
	int listen_fd, epfd, stop_fd;
	dev_t sock_dev;
	ino_t sock_ino;
	pthread_t thread;
	bool thread_started;
	struct api_conn *conns;
	unsigned int nr_conns;
};

/* epoll data of the two fds that are not connections */
static char tag_listen, tag_stop;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void api_response_error(struct api_response *resp, int status, const char *fmt, ...)
{
	char msg[512];
	json_t *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(resp->body);
	resp->status = status;
	o = json_pack("{s:s}", "error", msg);
	resp->body = o ? json_dumps(o, JSON_COMPACT) : NULL;
	resp->len = resp->body ? strlen(resp->body) : 0;
	json_decref(o);
}

/* ------------------------------------------------------------------ */
/* set-up */

/* A socket file at @path: replace a stale one, refuse a live one or anything else. */
static int clear_path(const char *path, char *why, size_t whylen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(why, whylen, "a file that is not a socket is in the way");
		return -EEXIST;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	strcpy(sa.sun_path, path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	if (!ret) {
		snprintf(why, whylen, "another process listens on this socket "
			 "(is another cvmm running with it?)");
		return -EADDRINUSE;
	}
	return unlink(path) < 0 ? -errno : 0;
}

/*
 * Bind under a temporary name, restrict it to the owner, listen, then
 * rename it into place: the socket appears at @path ready to accept.
 */
static int listen_on(struct api_server *s, char *why, size_t whylen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = s->cfg.path;
	struct stat st;
	int ret;

	if (!*path || strlen(path) + 5 >= sizeof(sa.sun_path)) {
		snprintf(why, whylen, "the socket path must be 1 to %zu bytes",
			 sizeof(sa.sun_path) - 6);
		return -ENAMETOOLONG;
	}
	ret = clear_path(path, why, whylen);
	if (ret)
		return ret;
	s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s.new", path);
	unlink(sa.sun_path);
	if (bind(s->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	if (chmod(sa.sun_path, 0600) < 0 || listen(s->listen_fd, 16) < 0 ||
	    rename(sa.sun_path, path) < 0 || stat(path, &st) < 0) {
		ret = -errno;
		unlink(sa.sun_path);
		return ret;
	}
	s->sock_dev = st.st_dev;
	s->sock_ino = st.st_ino;
	s->path = strdup(path);
	return s->path ? 0 : -ENOMEM;
}

static int epoll_watch(int epfd, int op, int fd, uint32_t events, void *data)
{
	struct epoll_event ev = { .events = events, .data.ptr = data };

	return epoll_ctl(epfd, op, fd, &ev) < 0 ? -errno : 0;
}

int api_server_create(const struct api_server_config *cfg, struct api_server **out,
		      char *why, size_t whylen)
{
	struct api_server *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	why[0] = '\0';
	s->cfg = *cfg;
	if (!s->cfg.max_conns)
		s->cfg.max_conns = API_MAX_CONNS;
	if (!s->cfg.request_timeout_ms)
		s->cfg.request_timeout_ms = API_REQUEST_TIMEOUT_MS;
	if (!s->cfg.idle_timeout_ms)
		s->cfg.idle_timeout_ms = API_IDLE_TIMEOUT_MS;
	if (!s->cfg.body_limit)
		s->cfg.body_limit = API_BODY_LIMIT;
	s->listen_fd = s->epfd = s->stop_fd = -1;
	ret = listen_on(s, why, whylen);
	if (!ret) {
		s->epfd = epoll_create1(EPOLL_CLOEXEC);
		s->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (s->epfd < 0 || s->stop_fd < 0)
			ret = -errno;
	}
	if (!ret)
		ret = epoll_watch(s->epfd, EPOLL_CTL_ADD, s->listen_fd, EPOLLIN, &tag_listen);
	if (!ret)
		ret = epoll_watch(s->epfd, EPOLL_CTL_ADD, s->stop_fd, EPOLLIN, &tag_stop);
	if (ret) {
		if (!why[0])
			snprintf(why, whylen, "cannot listen: %s", strerror(-ret));
		api_server_destroy(s);
		return ret;
	}
	*out = s;
	return 0;
}

/* ------------------------------------------------------------------ */
/* connections */

static void conn_close_fds(struct api_conn *c)
{
	while (c->nr_fds)
		if (c->fds[--c->nr_fds] >= 0)
			close(c->fds[c->nr_fds]);
	c->fd_overflow = false;
}

static void conn_free(struct api_server *s, struct api_conn *c)
{
	struct api_conn **pp;

	for (pp = &s->conns; *pp && *pp != c; pp = &(*pp)->next)
		;
	if (*pp) {
		*pp = c->next;
		s->nr_conns--;
	}
	close(c->fd);		/* leaves epoll with it */
	conn_close_fds(c);
	http_parser_free(&c->parser);
	free(c->out);
	free(c);
}

static void conn_set_phase(struct api_server *s, struct api_conn *c, enum conn_phase ph)
{
	c->phase = ph;
	c->deadline = now_ms() + (ph == CONN_IDLE ? s->cfg.idle_timeout_ms :
				  s->cfg.request_timeout_ms);
}

/* Append bytes to the output; the caller sends them. */
static int conn_queue(struct api_conn *c, const void *data, size_t len)
{
	char *n = realloc(c->out, c->out_len + len);

	if (!n)
		return -ENOMEM;
	memcpy(n + c->out_len, data, len);
	c->out = n;
	c->out_len += len;
	return 0;
}

static void conn_queue_response(struct api_conn *c, const struct api_response *r, bool close)
{
	char head[512];
	int n = http_format_head(head, sizeof(head), r->status, "application/json",
				 r->body ? r->len : 0, close, r->extra);

	c->close_after |= close;
	if (n < 0 || conn_queue(c, head, (size_t)n) ||
	    (r->body && r->status >= 200 && r->status != 204 && conn_queue(c, r->body, r->len)))
		c->close_after = true;	/* out of memory: end the connection */
}

/* Send what is queued.  1: all sent, 0: the socket is full, -1: the peer is gone. */
static int conn_flush(struct api_conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 0;
		if (w <= 0)
			return -1;
		c->out_off += (size_t)w;
	}
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return 1;
}

static void conn_error(struct api_conn *c, int status, const char *reason)
{
	struct api_response r = { 0 };

	api_response_error(&r, status, "%s", reason);
	conn_queue_response(c, &r, true);
	free(r.body);
}

/* A whole request: hand it to the handler, queue the answer. */
static void conn_dispatch(struct api_server *s, struct api_conn *c)
{
	struct api_response r = { .status = 500 };
	const struct http_request *req = &c->parser.req;

	if (c->fd_overflow) {
		api_response_error(&r, 400, "more than %d file descriptors", API_MAX_FDS);
	} else {
		s->cfg.handler(s->cfg.opaque, req, c->fds, c->nr_fds, &r);
	}
	conn_close_fds(c);
	conn_queue_response(c, &r, !req->keep_alive);
	free(r.body);
}

/* Parse what was read; at most one request is answered before its response is sent. */
static void conn_process(struct api_server *s, struct api_conn *c)
{
	enum http_parse_result res;
	size_t used;

	while (c->in_len && !c->out_len && !c->close_after) {
		if (c->phase == CONN_IDLE)
			conn_set_phase(s, c, CONN_READING);
		res = http_parse(&c->parser, c->in, c->in_len, &used);
		memmove(c->in, c->in + used, c->in_len - used);
		c->in_len -= used;
		if (res == HTTP_HEAD_DONE && c->parser.req.expect_continue && !c->continued) {
			static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

			c->continued = true;
			if (send(c->fd, cont, sizeof(cont) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				c->close_after = true;
		} else if (res == HTTP_ERROR) {
			conn_error(c, c->parser.status, c->parser.reason);
		} else if (res == HTTP_DONE) {
			conn_dispatch(s, c);
			http_parser_reset(&c->parser);
			c->continued = false;
		}
	}
}

static void conn_watch(struct api_server *s, struct api_conn *c)
{
	uint32_t ev = c->out_len ? EPOLLOUT : c->close_after ? 0 : EPOLLIN;

	epoll_watch(s->epfd, EPOLL_CTL_MOD, c->fd, ev, c);
}

/* Send, then read on (pipelined bytes first); false when the connection is gone. */
static bool conn_progress(struct api_server *s, struct api_conn *c)
{
	int f;

	for (;;) {
		if (c->out_len) {
			f = conn_flush(c);
			if (f < 0)
				return false;
			if (!f) {
				if (c->phase != CONN_WRITING)
					conn_set_phase(s, c, CONN_WRITING);
				conn_watch(s, c);
				return true;
			}
			if (c->close_after)
				return false;
			conn_set_phase(s, c, CONN_IDLE);
		}
		if (c->close_after)
			return false;
		if (!c->in_len)
			break;
		conn_process(s, c);
		if (!c->out_len)
			break;
	}
	conn_watch(s, c);
	return true;
}

/* File descriptors in the ancillary data: kept for the request, or closed. */
static void conn_take_fds(struct api_conn *c, struct msghdr *msg)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		size_t n, i;
		int fd;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (c->nr_fds < API_MAX_FDS) {
				c->fds[c->nr_fds++] = fd;
			} else {
				close(fd);
				c->fd_overflow = true;
			}
		}
	}
	if (msg->msg_flags & MSG_CTRUNC)
		c->fd_overflow = true;
}

/* Read what the socket has (with its descriptors); false when the peer is gone. */
static bool conn_read(struct api_conn *c)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(API_MAX_FDS * sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = c->in + c->in_len, .iov_len = IN_BUF - c->in_len };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	ssize_t r;

	if (!iov.iov_len)
		return true;
	do {
		r = recvmsg(c->fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	} while (r < 0 && errno == EINTR);
	if (r < 0)
		return errno == EAGAIN;
	conn_take_fds(c, &msg);
	if (!r)
		return false;
	c->in_len += (size_t)r;
	return true;
}

static void conn_event(struct api_server *s, struct api_conn *c, uint32_t events)
{
	bool alive = true;

	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !c->out_len)
		alive = conn_read(c);
	if (alive)
		alive = conn_progress(s, c);
	if (!alive)
		conn_free(s, c);
}

static void server_accept(struct api_server *s)
{
	static const char busy[] =
		"HTTP/1.1 503 Service Unavailable\r\nServer: cvmm\r\n"
		"Content-Type: application/json\r\nContent-Length: 36\r\n"
		"Connection: close\r\n\r\n{\"error\":\"too many API connections\"}";
	struct api_conn *c;
	int fd;

	for (;;) {
		fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;		/* EAGAIN, or out of descriptors: retried on the next event */
		c = s->nr_conns < s->cfg.max_conns ? calloc(1, sizeof(*c)) : NULL;
		if (!c) {
			if (send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
				(void)0;
			close(fd);
			continue;
		}
		c->fd = fd;
		http_parser_init(&c->parser, s->cfg.body_limit);
		conn_set_phase(s, c, CONN_IDLE);
		if (epoll_watch(s->epfd, EPOLL_CTL_ADD, fd, EPOLLIN, c)) {
			close(fd);
			free(c);
			continue;
		}
		c->next = s->conns;
		s->conns = c;
		s->nr_conns++;
	}
}

/* Connections past their deadline: 408 for a request that did not finish, then close. */
static int server_expire(struct api_server *s)
{
	int64_t now = now_ms(), next = INT64_MAX;
	struct api_conn *c, *n;

	for (c = s->conns; c; c = n) {
		n = c->next;
		if (c->deadline > now) {
			next = MIN(next, c->deadline);
			continue;
		}
		if (c->phase == CONN_READING && !c->out_len) {
			conn_error(c, 408, "the request did not arrive in time");
			conn_flush(c);
		}
		conn_free(s, c);
	}
	return next == INT64_MAX ? -1 : (int)MIN(next - now, (int64_t)INT32_MAX);
}

int api_server_run(struct api_server *s)
{
	struct epoll_event ev[MAX_EVENTS];
	uint64_t v;
	int n, i, timeout;

	for (;;) {
		timeout = server_expire(s);
		n = epoll_wait(s->epfd, ev, MAX_EVENTS, timeout);
		if (n < 0 && errno != EINTR)
			return -errno;
		for (i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &tag_stop) {
				if (read(s->stop_fd, &v, sizeof(v)) < 0)
					(void)0;
				return 0;
			}
			if (p == &tag_listen)
				server_accept(s);
			else
				conn_event(s, p, ev[i].events);
		}
	}
}

static void *server_thread(void *arg)
{
	/* named by itself: another thread would write /proc/self/task/N/comm */
	pthread_setname_np(pthread_self(), "api");
	sandbox_thread_enter(&sandbox_table_api);
	api_server_run(arg);
	return NULL;
}

int api_server_start(struct api_server *s)
{
	int ret = pthread_create(&s->thread, NULL, server_thread, s);

	if (ret)
		return -ret;
	s->thread_started = true;
	return 0;
}

void api_server_stop(struct api_server *s)
{
	uint64_t one = 1;

	if (!s || !s->thread_started)
		return;
	if (write(s->stop_fd, &one, sizeof(one)) < 0)
		(void)0;
	pthread_join(s->thread, NULL);
	s->thread_started = false;
}

void api_server_destroy(struct api_server *s)
{
	struct stat st;

	if (!s)
		return;
	api_server_stop(s);
	while (s->conns)
		conn_free(s, s->conns);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	/* remove the socket only if it is still ours */
	if (s->path && !stat(s->path, &st) && st.st_dev == s->sock_dev &&
	    st.st_ino == s->sock_ino)
		unlink(s->path);
	if (s->epfd >= 0)
		close(s->epfd);
	if (s->stop_fd >= 0)
		close(s->stop_fd);
	free(s->path);
	free(s);
}
