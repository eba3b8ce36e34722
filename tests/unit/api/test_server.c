// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control API's server (src/api/server.c) on a real UNIX socket with a
 * stub handler: keep-alive, pipelining, SCM_RIGHTS per request, 100
 * Continue, errors closing the connection, the request and idle timeouts
 * (slowloris), the connection cap, a live socket refused, a stale one
 * replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "api/server.h"

#define REQ_TIMEOUT_MS	300
#define IDLE_TIMEOUT_MS	800
#define MAX_CONNS	4

static char sock_path[96];
static struct api_server *srv;
static int last_nr_fds, last_fds[API_MAX_FDS], kept_fd = -1;

/* Echo what came: {"m": method, "t": target, "b": body length, "fds": n}; keeps fd 0. */
static void handler(void *opaque, const struct http_request *req, int *fds, unsigned int nr,
		    struct api_response *resp)
{
	char buf[600];

	last_nr_fds = (int)nr;
	memcpy(last_fds, fds, nr * sizeof(int));
	if (nr) {
		kept_fd = fds[0];
		fds[0] = -1;
	}
	if (!strcmp(req->target, "/fail")) {
		api_response_error(resp, 500, "as asked");
		return;
	}
	snprintf(buf, sizeof(buf), "{\"m\":\"%s\",\"t\":\"%s\",\"b\":%zu,\"fds\":%u}",
		 req->method, req->target, req->body_len, nr);
	resp->status = 200;
	resp->body = strdup(buf);
	resp->len = strlen(buf);
}

static int setup(void **state)
{
	struct api_server_config c = {
		.path = sock_path, .handler = handler, .max_conns = MAX_CONNS,
		.request_timeout_ms = REQ_TIMEOUT_MS, .idle_timeout_ms = IDLE_TIMEOUT_MS,
		.body_limit = 1024,
	};
	char why[128];

	snprintf(sock_path, sizeof(sock_path), "/tmp/cvmm-api-test-%d.sock", (int)getpid());
	assert_int_equal(api_server_create(&c, &srv, why, sizeof(why)), 0);
	assert_int_equal(api_server_start(srv), 0);
	return 0;
}

static int teardown(void **state)
{
	struct stat st;

	api_server_destroy(srv);
	assert_int_equal(stat(sock_path, &st), -1);	/* the socket file is gone */
	return 0;
}

static int dial(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, sock_path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void send_str(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

static void send_fds(int fd, const char *s, const int *fds, unsigned int n)
{
	char ctl[CMSG_SPACE(32 * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)s, .iov_len = strlen(s) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
			      .msg_controllen = CMSG_SPACE(n * sizeof(int)) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(n * sizeof(int));
	memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	assert_int_equal(sendmsg(fd, &msg, 0), (ssize_t)strlen(s));
}

/*
 * Read one response (head + Content-Length body) into @buf, a byte at a
 * time so that a pipelined response stays in the socket; its status, or
 * -1 on EOF.
 */
static int read_response(int fd, char *buf, size_t size, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t n = 0, want = 0;
	char *end;

	for (;;) {
		ssize_t r;

		buf[n] = '\0';
		end = strstr(buf, "\r\n\r\n");
		if (end) {
			const char *cl = strstr(buf, "Content-Length: ");

			want = (size_t)(end + 4 - buf) + (cl && cl < end ? strtoul(cl + 16, NULL, 10) : 0);
			if (n >= want)
				return atoi(buf + 9);
		}
		if (poll(&p, 1, timeout_ms) != 1)
			fail_msg("no response within %d ms", timeout_ms);
		r = recv(fd, buf + n, 1, 0);
		if (r <= 0)
			return -1;
		n += (size_t)r;
	}
}

/* After an answer: the server closed the connection (EOF within @ms). */
static bool closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	return poll(&p, 1, ms) == 1 && recv(fd, &c, 1, 0) == 0;
}

static const char get_req[] = "GET /a HTTP/1.1\r\nHost: x\r\n\r\n";

static void test_keep_alive_and_pipelining(void **state)
{
	char buf[4096];
	int fd = dial();

	send_str(fd, get_req);
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_non_null(strstr(buf, "{\"m\":\"GET\",\"t\":\"/a\",\"b\":0,\"fds\":0}"));
	send_str(fd, "PUT /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
		     "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_non_null(strstr(buf, "\"t\":\"/b\",\"b\":2"));
	/* the pipelined request is answered after the first */
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_non_null(strstr(buf, "\"t\":\"/c\""));
	/* Connection: close is honoured */
	send_str(fd, "GET /d HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_non_null(strstr(buf, "Connection: close"));
	assert_true(closed_within(fd, 1000));
	close(fd);
}

static void test_fds_per_request(void **state)
{
	int p1[2], p2[2], many[API_MAX_FDS + 1], fd = dial();
	char buf[4096];
	struct stat a, b;
	unsigned int i;

	assert_int_equal(pipe(p1), 0);
	assert_int_equal(pipe(p2), 0);
	send_fds(fd, "PUT /net HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
		 (int[]){ p1[0], p2[0] }, 2);
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_int_equal(last_nr_fds, 2);
	/* the handler's first fd is our first pipe; the second was closed by the server */
	assert_int_equal(fstat(kept_fd, &a), 0);
	assert_int_equal(fstat(p1[0], &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);
	assert_int_equal(fcntl(last_fds[1], F_GETFD), -1);
	assert_true(fcntl(kept_fd, F_GETFD) & FD_CLOEXEC);
	close(kept_fd);
	/* the next request on the connection gets none */
	send_str(fd, get_req);
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_int_equal(last_nr_fds, 0);
	/* more than API_MAX_FDS: 400, none reach the handler */
	for (i = 0; i <= API_MAX_FDS; i++)
		many[i] = p2[0];
	last_nr_fds = -1;
	send_fds(fd, get_req, many, API_MAX_FDS + 1);
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 400);
	assert_int_equal(last_nr_fds, -1);
	close(fd);
	close(p1[0]);
	close(p1[1]);
	close(p2[0]);
	close(p2[1]);
}

static void test_continue(void **state)
{
	char buf[4096];
	int fd = dial();

	send_str(fd, "PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
		     "Content-Length: 4\r\n\r\n");
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 100);
	send_str(fd, "abcd");
	assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
	assert_non_null(strstr(buf, "\"b\":4"));
	close(fd);
}

static void test_errors_close(void **state)
{
	static const struct {
		const char *req;
		int status;
	} t[] = {
		{ "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", 411 },
		{ "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", 413 },
		{ "GET / HTTP/1.1\r\n\r\n", 400 },
		{ "garbage\r\n\r\n", 400 },
	};
	char buf[4096];
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int fd = dial();

		send_str(fd, t[i].req);
		assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), t[i].status);
		assert_non_null(strstr(buf, "{\"error\":"));
		assert_true(closed_within(fd, 1000));
		close(fd);
	}
	/* a handler's error keeps the connection */
	{
		int fd = dial();

		send_str(fd, "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n");
		assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 500);
		send_str(fd, get_req);
		assert_int_equal(read_response(fd, buf, sizeof(buf), 2000), 200);
		close(fd);
	}
}

static void test_slowloris_and_idle(void **state)
{
	char buf[4096];
	int fd = dial(), idle = dial();
	struct timespec t0, t1;
	long ms;

	/* bytes trickling in do not extend the request's deadline */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_str(fd, "GET / HTTP/1.1\r\n");
	usleep(100 * 1000);
	send_str(fd, "Host: x\r\n");
	usleep(100 * 1000);
	send_str(fd, "X-Slow: 1\r\n");
	assert_int_equal(read_response(fd, buf, sizeof(buf), 3000), 408);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	if (ms < REQ_TIMEOUT_MS - 10 || ms >= IDLE_TIMEOUT_MS)
		fail_msg("408 after %ld ms", ms);
	assert_true(closed_within(fd, 1000));
	close(fd);
	/* an idle connection is closed after the idle timeout */
	assert_true(closed_within(idle, IDLE_TIMEOUT_MS + 1500));
	close(idle);
}

static void test_connection_cap(void **state)
{
	int fds[MAX_CONNS], extra, i;
	char buf[4096];

	for (i = 0; i < MAX_CONNS; i++)
		fds[i] = dial();
	/* the server has accepted them once this one is answered */
	send_str(fds[0], get_req);
	assert_int_equal(read_response(fds[0], buf, sizeof(buf), 2000), 200);
	extra = dial();
	assert_int_equal(read_response(extra, buf, sizeof(buf), 2000), 503);
	assert_true(closed_within(extra, 1000));
	close(extra);
	/* the others still work */
	send_str(fds[MAX_CONNS - 1], get_req);
	assert_int_equal(read_response(fds[MAX_CONNS - 1], buf, sizeof(buf), 2000), 200);
	for (i = 0; i < MAX_CONNS; i++)
		close(fds[i]);
}

static void test_socket_path(void **state)
{
	struct api_server_config c = { .path = sock_path, .handler = handler };
	struct api_server *other;
	char why[128], stale[128];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	/* a live socket is refused */
	assert_int_equal(api_server_create(&c, &other, why, sizeof(why)), -EADDRINUSE);
	assert_non_null(strstr(why, "another process listens"));
	/* a stale one (nobody listening) is replaced */
	snprintf(stale, sizeof(stale), "%s.stale", sock_path);
	strcpy(sa.sun_path, stale);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	c.path = stale;
	assert_int_equal(api_server_create(&c, &other, why, sizeof(why)), 0);
	api_server_destroy(other);
	/* a file that is not a socket is left alone */
	fd = open(stale, O_CREAT | O_WRONLY, 0600);
	close(fd);
	assert_int_equal(api_server_create(&c, &other, why, sizeof(why)), -EEXIST);
	unlink(stale);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keep_alive_and_pipelining),
		cmocka_unit_test(test_fds_per_request),
		cmocka_unit_test(test_continue),
		cmocka_unit_test(test_errors_close),
		cmocka_unit_test(test_slowloris_and_idle),
		cmocka_unit_test(test_connection_cap),
		cmocka_unit_test(test_socket_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
