// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vsock relay, pointed at a UNIX socket target: bytes go both ways,
 * half-closes pass through, a connection from another process is refused,
 * a target that is not there is reported.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "agent/net.h"
#include "agent/relay.h"

static int connect_abstract(const char *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memcpy(a.sun_path + 1, name, strlen(name));
	if (connect(fd, (struct sockaddr *)&a,
		    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name)))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int listen_unix(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	unlink(path);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

static ssize_t read_all(int fd, char *b, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, b + got, n - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static void test_relay(void **state)
{
	struct agent_addr to = { .kind = ADDR_UNIX };
	struct relay *r;
	char name[64], buf[64];
	int l, c, s;
	uint64_t deadline = agent_now_ms() + 10000;

	snprintf(to.path, sizeof(to.path), "%s/target", td_tmpdir());
	l = listen_unix(to.path);
	assert_int_equal(relay_start(&to, &r, name, sizeof(name)), 0);
	assert_non_null(strstr(name, "cvmm-agent-"));
	relay_set_deadline(r, deadline);

	c = connect_abstract(name);
	assert_true(c >= 0);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(fd_send_all(c, "hello", 5, deadline), 0);
	assert_int_equal(fd_recv_all(s, buf, 5, deadline), 0);
	assert_memory_equal(buf, "hello", 5);
	assert_int_equal(fd_send_all(s, "world!", 6, deadline), 0);
	shutdown(s, SHUT_WR);				/* the target half-closes */
	assert_int_equal(read_all(c, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "world!", 6);
	assert_int_equal(fd_send_all(c, "more", 4, deadline), 0);	/* still open our way */
	shutdown(c, SHUT_WR);
	assert_int_equal(read_all(s, buf, sizeof(buf)), 4);
	close(c);
	close(s);

	/* another process is not relayed */
	if (fork() == 0) {
		int fd = connect_abstract(name);
		char x;

		_exit(fd >= 0 && read(fd, &x, 1) == 0 ? 0 : 1);
	}
	{
		int st;
		struct pollfd p = { .fd = l, .events = POLLIN };

		wait(&st);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		assert_int_equal(poll(&p, 1, 200), 0);	/* nothing reached the target */
	}

	/* the target goes away: the connection ends, the error is kept */
	close(l);
	unlink(to.path);
	c = connect_abstract(name);
	assert_true(c >= 0);
	assert_int_equal(read_all(c, buf, 1), 0);
	close(c);
	assert_int_equal(relay_take_error(r), -ENOENT);
	assert_int_equal(relay_take_error(r), 0);
	relay_stop(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
