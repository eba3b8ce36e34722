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
	assert_int_equal(filter(&c, "1\x01h2", 4, out, &act), 2);
	assert_memory_equal(out, "12", 2);
	assert_int_equal(act, CONSOLE_NONE_ACTION);
	assert_false(c.escape);
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
	if (!isatty(STDIN_FILENO)) {
		/* input only from a terminal */
		assert_int_equal(c.in_fd, -1);
		assert_false(c.raw);
	}
	console_close(&c);
	/* stdout is not ours to close */
	assert_true(fcntl(STDOUT_FILENO, F_GETFD) >= 0);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
