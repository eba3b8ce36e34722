// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/file.h"

static void test_roundtrip(void **state)
{
	char dir[] = "/tmp/cvmm-test-XXXXXX", path[64];
	uint8_t *data;
	size_t len;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	assert_int_equal(file_write_atomic(path, "hello", 5), 0);
	assert_int_equal(file_read(path, 100, &data, &len), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(data, "hello", 5);
	assert_int_equal(data[5], 0);
	free(data);
	assert_int_equal(file_read(path, 4, &data, &len), -EFBIG);
	assert_null(data);
	/* an empty file is valid and gives a zero-length buffer */
	assert_int_equal(file_write_atomic(path, "", 0), 0);
	assert_int_equal(file_read(path, 100, &data, &len), 0);
	assert_int_equal(len, 0);
	free(data);
	unlink(path);
	assert_int_equal(file_read(path, 100, &data, &len), -ENOENT);
	assert_int_equal(file_read(dir, 100, &data, &len), -EISDIR);
	rmdir(dir);
}

static void test_atomic_no_partial(void **state)
{
	uint8_t *data;
	size_t len;

	/* a directory that does not exist: nothing is left behind */
	assert_int_equal(file_write_atomic("/nonexistent-dir/x", "a", 1), -ENOENT);
	assert_int_equal(file_read("/nonexistent-dir/x", 10, &data, &len), -ENOENT);
}

static void test_fd_limits(void **state)
{
	struct rlimit rl, low;
	long before = fd_count_open();
	int fd;

	assert_true(before >= 3);
	fd = dup(0);
	assert_true(fd >= 0);
	assert_int_equal(fd_count_open(), before + 1);
	close(fd);
	assert_int_equal(fd_count_open(), before);

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max < 64)
		skip();
	low = (struct rlimit){ .rlim_cur = 64, .rlim_max = rl.rlim_max };
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	assert_int_equal(fd_limit(), 64);
	assert_int_equal(fd_limit_raise(), rl.rlim_max > LONG_MAX ? LONG_MAX : (long)rl.rlim_max);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &low), 0);
	assert_true(low.rlim_cur == rl.rlim_max);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* Kernels and initramfs come from regular files only (issue 12, finding 5). */
static void test_regular_only(void **state)
{
	uint8_t *data = (uint8_t *)"x";
	size_t len = 1;
	int p[2];

	assert_int_equal(file_read_flags("/dev/zero", 1 << 20, FILE_REGULAR, &data, &len),
			 -ESPIPE);
	assert_null(data);
	assert_int_equal(len, 0);
	assert_int_equal(pipe(p), 0);
	{
		char path[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
		assert_int_equal(file_read_flags(path, 100, FILE_REGULAR, &data, &len),
				 -ESPIPE);
		/* without the flag a pipe is read to its end */
		assert_int_equal(write(p[1], "abc", 3), 3);
		close(p[1]);
		assert_int_equal(file_read(path, 100, &data, &len), 0);
		assert_int_equal(len, 3);
		free(data);
	}
	close(p[0]);
	/* an endless stream without the flag stops at the limit */
	assert_int_equal(file_read("/dev/zero", 1 << 16, &data, &len), -EFBIG);
	assert_int_equal(file_read_flags("/proc/self/exe", 1 << 30, FILE_REGULAR, &data,
					 &len), 0);
	assert_true(len > 1000);
	free(data);
}

/* file_load(): the same, with the reason as one clause naming the file. */
static void test_load_messages(void **state)
{
	struct err_msg e;
	uint8_t *data;
	size_t len;

	assert_int_equal(file_load("/dev/zero", "kernel", 1 << 20, FILE_REGULAR, &data, &len,
				   &e), -ESPIPE);
	assert_string_equal(e.msg, "the kernel must be a regular file, not a pipe or device");
	assert_int_equal(file_load("/dev/zero", "key", 1 << 16, 0, &data, &len, &e), -EFBIG);
	assert_string_equal(e.msg, "cannot read key: file too large");
	assert_int_equal(file_load("/nonexistent", "firmware", 1 << 16, FILE_REGULAR, &data,
				   &len, &e), -ENOENT);
	assert_string_equal(e.msg, "cannot read firmware: No such file or directory");
	assert_int_equal(file_load("/", "initramfs", 1 << 16, 0, &data, &len, NULL), -EISDIR);
	assert_int_equal(file_load("/proc/self/exe", "kernel", 1 << 30, FILE_REGULAR, &data,
				   &len, &e), 0);
	assert_true(len > 1000);
	free(data);
}

/* file_map(): the bytes file_read() gives, mapped; file_load()'s checks and clauses. */
static void test_map(void **state)
{
	char path[] = "/tmp/cvmm-test-map-XXXXXX";
	const uint8_t *map;
	struct err_msg e;
	uint8_t *data;
	size_t len, mlen;
	int fd;

	assert_int_equal(file_read("/proc/self/exe", 1 << 30, &data, &len), 0);
	assert_int_equal(file_map("/proc/self/exe", "firmware", 1 << 30, &map, &mlen, &e), 0);
	assert_int_equal(mlen, len);
	assert_memory_equal(map, data, len);
	free(data);
	file_unmap(map, mlen);
	assert_int_equal(file_map("/proc/self/exe", "firmware", 1000, &map, &mlen, &e), -EFBIG);
	assert_string_equal(e.msg, "cannot read firmware: file too large");
	assert_null(map);
	assert_int_equal(file_map("/dev/zero", "kernel", 1 << 20, &map, &mlen, &e), -ESPIPE);
	assert_string_equal(e.msg, "the kernel must be a regular file, not a pipe or device");
	assert_int_equal(file_map("/nonexistent", "firmware", 1 << 16, &map, &mlen, &e), -ENOENT);
	assert_string_equal(e.msg, "cannot read firmware: No such file or directory");
	assert_int_equal(file_map("/", "initramfs", 1 << 16, &map, &mlen, NULL), -EISDIR);
	/* an empty file maps to nothing */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(file_map(path, "firmware", 1 << 16, &map, &mlen, &e), 0);
	assert_null(map);
	assert_int_equal(mlen, 0);
	file_unmap(map, mlen);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_atomic_no_partial),
		cmocka_unit_test(test_fd_limits),
		cmocka_unit_test(test_regular_only),
		cmocka_unit_test(test_load_messages),
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
