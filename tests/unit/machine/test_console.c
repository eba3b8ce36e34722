// SPDX-License-Identifier: GPL-2.0-only
/* The host console: Ctrl-A escapes on input, output to stdout or a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "machine/console.h"
#include "stderr_capture.h"

static size_t filter(struct console *c, const char *in, size_t len, char *out,
		     enum console_action *act)
{
	return console_filter(c, (const uint8_t *)in, len, (uint8_t *)out, act);
}

static void test_plain(void **state)
{
	struct console c = { .escape = false };
	enum console_action act = CONSOLE_QUIT;
	char out[16];

	assert_int_equal(filter(&c, "ls -l\r", 6, out, &act), 6);
	assert_memory_equal(out, "ls -l\r", 6);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
	/* other control characters pass: Ctrl-C, Ctrl-D, NUL, DEL */
	assert_int_equal(filter(&c, "\x03\x04\x00\x7f", 4, out, &act), 4);
	assert_memory_equal(out, "\x03\x04\x00\x7f", 4);
	assert_int_equal(filter(&c, "", 0, out, &act), 0);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
}

static void test_quit(void **state)
{
	struct console c = { .escape = false };
	enum console_action act;
	char out[16];

	/* the bytes before Ctrl-A x still go to the guest; the rest do not */
	assert_int_equal(filter(&c, "ab\x01xcd", 6, out, &act), 2);
	assert_memory_equal(out, "ab", 2);
	assert_int_equal(act, CONSOLE_QUIT);
	c.escape = false;
	assert_int_equal(filter(&c, "\x01X", 2, out, &act), 0);
	assert_int_equal(act, CONSOLE_QUIT);
}

static void test_literal_ctrl_a(void **state)
{
	struct console c = { .escape = false };
	enum console_action act;
	char out[16];

	assert_int_equal(filter(&c, "a\x01\x01z", 4, out, &act), 3);
	assert_memory_equal(out, "a\x01z", 3);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
	/* four Ctrl-A are two */
	assert_int_equal(filter(&c, "\x01\x01\x01\x01", 4, out, &act), 2);
	assert_memory_equal(out, "\x01\x01", 2);
	assert_false(c.escape);
}

static void test_unknown_escape(void **state)
{
	struct console c = { .escape = false };
	enum console_action act;
	char out[16];

	/* Ctrl-A and the unknown key are both dropped */
	assert_int_equal(filter(&c, "1\x01z2", 4, out, &act), 2);
	assert_memory_equal(out, "12", 2);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
	assert_false(c.escape);
	/* Ctrl-A h (or ?) asks for the list of escapes; the rest still goes */
	assert_int_equal(filter(&c, "1\x01h2", 4, out, &act), 2);
	assert_memory_equal(out, "12", 2);
	assert_int_equal(act, CONSOLE_HELP);
	assert_int_equal(filter(&c, "\x01?", 2, out, &act), 0);
	assert_int_equal(act, CONSOLE_HELP);
	assert_non_null(strstr(console_escape_help, "x       quit"));
}

static void test_escape_across_reads(void **state)
{
	struct console c = { .escape = false };
	enum console_action act;
	char out[16];

	assert_int_equal(filter(&c, "q\x01", 2, out, &act), 1);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
	assert_true(c.escape);
	assert_int_equal(filter(&c, "x", 1, out, &act), 0);
	assert_int_equal(act, CONSOLE_QUIT);

	c.escape = false;
	assert_int_equal(filter(&c, "\x01", 1, out, &act), 0);
	assert_int_equal(filter(&c, "\x01", 1, out, &act), 1);
	assert_int_equal(out[0], 0x01);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
}

static void test_open_none(void **state)
{
	struct console_config cfg = { .kind = CONSOLE_NONE };
	struct console c;

	assert_int_equal(console_open(&c, &cfg), 0);
	assert_int_equal(c.out_fd, -1);
	assert_int_equal(c.in_fd, -1);
	assert_false(c.raw);
	console_close(&c);
}

static void test_open_file(void **state)
{
	char path[] = "/tmp/cvmm-console-XXXXXX", buf[32];
	struct console_config cfg = { .kind = CONSOLE_FILE, .path = path };
	struct console c;
	int fd = mkstemp(path), out_fd;
	ssize_t n;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "old contents", 12), 12);
	close(fd);
	assert_int_equal(console_open(&c, &cfg), 0);
	assert_true(c.out_fd > 2);
	assert_true(c.owns_out);
	assert_int_equal(c.in_fd, -1);	/* no input from a file console */
	out_fd = c.out_fd;
	assert_int_equal(write(c.out_fd, "boot\n", 5), 5);
	console_close(&c);
	assert_int_equal(c.out_fd, -1);
	/* the fd was closed */
	assert_true(fcntl(out_fd, F_GETFD) < 0);
	/* truncated, then written */
	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf));
	assert_int_equal(n, 5);
	assert_memory_equal(buf, "boot\n", 5);
	close(fd);
	unlink(path);
}

static void test_open_file_error(void **state)
{
	struct console_config cfg = {
		.kind = CONSOLE_FILE, .path = (char *)"/nonexistent-dir/console.log",
	};
	struct capture cap;
	struct console c;
	int ret;

	capture_start(&cap);
	ret = console_open(&c, &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -ENOENT);
	assert_string_equal(cap.text,
			    "cvmm: /nonexistent-dir/console.log: cannot open console file: "
			    "No such file or directory\n");
	assert_int_equal(c.out_fd, -1);
	console_close(&c);
}

static void test_open_stdio(void **state)
{
	struct console_config cfg = { .kind = CONSOLE_STDIO };
	struct console c;

	assert_int_equal(console_open(&c, &cfg), 0);
	assert_int_equal(c.out_fd, STDOUT_FILENO);
	assert_false(c.owns_out);
	if (!isatty(STDIN_FILENO))
		assert_false(c.raw);	/* raw mode and escapes only on a terminal */
	console_close(&c);
	/* stdout is not ours to close */
	assert_true(fcntl(STDOUT_FILENO, F_GETFD) >= 0);
}

/* A device whose receive FIFO takes at most 16 bytes each time the guest drains it. */
struct fifo_sink {
	uint8_t got[16384];
	size_t len;
	size_t per_call;
};

static size_t sink_input(void *opaque, const uint8_t *buf, size_t len)
{
	struct fifo_sink *s = opaque;
	size_t n = len < s->per_call ? len : s->per_call;

	if (n > sizeof(s->got) - s->len)
		n = sizeof(s->got) - s->len;
	memcpy(s->got + s->len, buf, n);
	s->len += n;
	return n;
}

/* Wait for the console (up to @ms) and dispatch once. */
static enum console_action pump(struct console *c, struct fifo_sink *s, int ms)
{
	struct pollfd p = { .fd = console_poll_fd(c), .events = POLLIN };
	enum console_action act = CONSOLE_NONE_ACTION;

	if (poll(&p, 1, ms) > 0)
		console_dispatch(c, sink_input, s, &act);
	return act;
}

/* Piped stdin reaches the guest, and a paste longer than the FIFO loses nothing. */
static void test_piped_paste(void **state)
{
	struct console_config cfg = { .kind = CONSOLE_STDIO };
	struct fifo_sink s = { .per_call = 16 };
	uint8_t data[10000];
	struct console c;
	int p[2], saved = dup(STDIN_FILENO), i;

	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 1);
	data[100] = 0x01;	/* a pipe has no escapes: Ctrl-A x is data */
	data[101] = 'x';
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, sizeof(data)), (ssize_t)sizeof(data));
	close(p[1]);
	assert_int_equal(dup2(p[0], STDIN_FILENO), STDIN_FILENO);
	close(p[0]);
	assert_int_equal(console_open(&c, &cfg), 0);
	assert_int_equal(c.in_fd, STDIN_FILENO);
	assert_false(c.escapes);
	for (i = 0; i < 5000 && s.len < sizeof(data); i++)
		assert_int_equal(pump(&c, &s, 100), CONSOLE_NONE_ACTION);
	assert_int_equal(s.len, sizeof(data));
	assert_memory_equal(s.got, data, sizeof(data));
	console_close(&c);
	dup2(saved, STDIN_FILENO);
	close(saved);
}

static int connect_to(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

/* --console socket: one client gets output and sends input; a second is told why. */
static void test_socket_one_client(void **state)
{
	char dir[] = "/tmp/cvmm-con-XXXXXX", path[64], buf[256];
	struct console_config cfg = { .kind = CONSOLE_SOCKET, .path = path };
	struct fifo_sink s = { .per_call = 64 };
	struct console c;
	int a, b, i;
	ssize_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/con.sock", dir);
	assert_int_equal(console_open(&c, &cfg), 0);
	a = connect_to(path);
	pump(&c, &s, 1000);
	assert_int_equal(c.client_fd >= 0, 1);
	b = connect_to(path);
	pump(&c, &s, 1000);
	n = read(b, buf, sizeof(buf) - 1);	/* the refusal, then EOF */
	assert_true(n > 0);
	buf[n] = 0;
	assert_non_null(strstr(buf, "another client is attached"));
	assert_int_equal(read(b, buf, sizeof(buf)), 0);
	close(b);
	/* input from the attached client, output to it */
	assert_int_equal(write(a, "ls\r", 3), 3);
	for (i = 0; i < 50 && s.len < 3; i++)
		pump(&c, &s, 100);
	assert_int_equal(s.len, 3);
	assert_memory_equal(s.got, "ls\r", 3);
	assert_int_equal(write(c.out_fd, "hello", 5), 5);
	pump(&c, &s, 1000);
	assert_int_equal(read(a, buf, sizeof(buf)), 5);
	assert_memory_equal(buf, "hello", 5);
	/* when it detaches, the next one may attach */
	close(a);
	pump(&c, &s, 1000);
	assert_int_equal(c.client_fd, -1);
	b = connect_to(path);
	pump(&c, &s, 1000);
	assert_true(c.client_fd >= 0);
	close(b);
	console_close(&c);
	assert_true(access(path, F_OK) < 0);	/* the socket file is gone */
	rmdir(dir);
}

/* Relay until the devices' output is all read (nothing ready for 50 ms). */
static void drain(struct console *c, struct fifo_sink *s)
{
	struct pollfd p = { .fd = console_poll_fd(c), .events = POLLIN };
	enum console_action act;

	while (poll(&p, 1, 50) > 0)
		console_dispatch(c, sink_input, s, &act);
}

/*
 * --console socket: a file that is not a socket and a socket somebody
 * listens on are refused; a stale socket is replaced; a client that
 * attaches late gets the last CONSOLE_BACKLOG bytes of output, in order.
 */
static void test_socket_path_and_backlog(void **state)
{
	char dir[] = "/tmp/cvmm-con-XXXXXX", path[64];
	struct console_config cfg = { .kind = CONSOLE_SOCKET, .path = path };
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct fifo_sink s = { .per_call = 64 };
	static uint8_t out[CONSOLE_BACKLOG + 3000], got[CONSOLE_BACKLOG + 1];
	struct capture cap;
	struct console c;
	size_t off, n;
	ssize_t r;
	int fd, ret, i;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/con.sock", dir);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	/* a regular file: refused and left alone */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	close(fd);
	capture_start(&cap);
	ret = console_open(&c, &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -EADDRINUSE);
	assert_non_null(strstr(cap.text, "the file exists and is not a socket"));
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
	/* a socket in use: refused */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	capture_start(&cap);
	ret = console_open(&c, &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, -EADDRINUSE);
	assert_non_null(strstr(cap.text, "in use by another process"));
	/* the same socket left behind by a process that is gone: replaced */
	close(fd);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(console_open(&c, &cfg), 0);
	/* output before any client: the last CONSOLE_BACKLOG bytes are kept */
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (uint8_t)(i % 251);
	for (off = 0; off < sizeof(out); off += n) {
		n = sizeof(out) - off < 4096 ? sizeof(out) - off : 4096;
		assert_int_equal(write(c.out_fd, out + off, n), (ssize_t)n);
		drain(&c, &s);
	}
	fd = connect_to(path);
	pump(&c, &s, 1000);
	assert_true(c.client_fd >= 0);
	for (off = 0; off < CONSOLE_BACKLOG; off += (size_t)r) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		assert_int_equal(poll(&p, 1, 1000), 1);
		r = read(fd, got + off, sizeof(got) - off);
		assert_true(r > 0);
	}
	assert_int_equal(off, CONSOLE_BACKLOG);
	assert_memory_equal(got, out + sizeof(out) - CONSOLE_BACKLOG, CONSOLE_BACKLOG);
	close(fd);
	console_close(&c);
	assert_true(access(path, F_OK) < 0);
	rmdir(dir);
}

/* --console pty: the terminal's input reaches the guest, the output the terminal. */
static void test_pty(void **state)
{
	struct console_config cfg = { .kind = CONSOLE_PTY };
	struct fifo_sink s = { .per_call = 64 };
	struct capture cap;
	struct console c;
	char buf[64];
	int t, i, ret;

	capture_start(&cap);
	ret = console_open(&c, &cfg);
	capture_stop(&cap);
	assert_int_equal(ret, 0);
	assert_memory_equal(cap.text, "cvmm: console: /dev/pts/", 24);
	t = open(ptsname(c.client_fd), O_RDWR | O_NOCTTY);
	assert_true(t >= 0);
	assert_int_equal(write(t, "abc", 3), 3);
	for (i = 0; i < 50 && s.len < 3; i++)
		pump(&c, &s, 100);
	assert_int_equal(s.len, 3);
	assert_memory_equal(s.got, "abc", 3);
	assert_int_equal(write(c.out_fd, "out", 3), 3);
	pump(&c, &s, 1000);
	assert_int_equal(read(t, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "out", 3);
	close(t);
	console_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_quit),
		cmocka_unit_test(test_literal_ctrl_a),
		cmocka_unit_test(test_unknown_escape),
		cmocka_unit_test(test_escape_across_reads),
		cmocka_unit_test(test_open_none),
		cmocka_unit_test(test_open_file),
		cmocka_unit_test(test_open_file_error),
		cmocka_unit_test(test_open_stdio),
		cmocka_unit_test(test_piped_paste),
		cmocka_unit_test(test_socket_one_client),
		cmocka_unit_test(test_socket_path_and_backlog),
		cmocka_unit_test(test_pty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
