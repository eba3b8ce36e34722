// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "agent/unlock.h"
#include "util/file.h"

static void test_classify(void **state)
{
	size_t n = DISK_PROBE_LEN;
	uint8_t *b = calloc(1, n);
	size_t off;

	assert_int_equal(disk_classify(b, n), DISK_BLANK);
	assert_int_equal(disk_classify(b, 4096), DISK_BLANK);
	memcpy(b, "LUKS\xba\xbe\x00\x02", 8);
	assert_int_equal(disk_classify(b, n), DISK_LUKS);
	memset(b, 0, 8);
	/* a wiped primary header with a LUKS2 secondary left is still LUKS */
	for (off = 0x4000; off <= 0x400000; off <<= 1) {
		if (off + 6 > n)
			break;
		memcpy(b + off, "SKUL\xba\xbe", 6);
		assert_int_equal(disk_classify(b, n), DISK_LUKS);
		memset(b + off, 0, 6);
	}
	/* SKUL at an offset LUKS2 never uses: just data */
	memcpy(b + 0x5000, "SKUL\xba\xbe", 6);
	assert_int_equal(disk_classify(b, n), DISK_OTHER);
	memset(b + 0x5000, 0, 6);
	/* any byte in the first MiB is data: never formatted */
	b[DISK_BLANK_LEN - 1] = 1;
	assert_int_equal(disk_classify(b, n), DISK_OTHER);
	b[DISK_BLANK_LEN - 1] = 0;
	b[DISK_BLANK_LEN] = 1;				/* past the first MiB */
	assert_int_equal(disk_classify(b, n), DISK_BLANK);
	memcpy(b + 1080, "\x53\xef", 2);		/* an ext superblock */
	assert_int_equal(disk_classify(b, n), DISK_OTHER);
	free(b);
}

static void test_probe(void **state)
{
	char path[512], why[200];
	enum disk_state st;
	uint8_t buf[8192] = { 0 };

	snprintf(path, sizeof(path), "%s/disk", td_tmpdir());
	assert_int_equal(file_write_atomic(path, buf, 100), 0);
	assert_int_equal(disk_probe(path, &st, why, sizeof(why)), -ENOSPC);
	assert_int_equal(file_write_atomic(path, buf, sizeof(buf)), 0);
	assert_int_equal(disk_probe(path, &st, why, sizeof(why)), 0);
	assert_int_equal(st, DISK_BLANK);
	memcpy(buf, "LUKS\xba\xbe", 6);
	assert_int_equal(file_write_atomic(path, buf, sizeof(buf)), 0);
	assert_int_equal(disk_probe(path, &st, why, sizeof(why)), 0);
	assert_int_equal(st, DISK_LUKS);
	/* a LUKS2 secondary header 4 MiB in, behind a wiped primary */
	{
		uint8_t *big = calloc(1, (4 << 20) + 4096);

		memcpy(big + (4 << 20), "SKUL\xba\xbe", 6);
		assert_int_equal(file_write_atomic(path, big, (4 << 20) + 4096), 0);
		assert_int_equal(disk_probe(path, &st, why, sizeof(why)), 0);
		assert_int_equal(st, DISK_LUKS);
		memcpy(big + (4 << 20), "\0\0\0\0\0\0", 6);
		memcpy(big + (2 << 20), "SKUL\xba\xbe", 6);
		assert_int_equal(file_write_atomic(path, big, (4 << 20) + 4096), 0);
		assert_int_equal(disk_probe(path, &st, why, sizeof(why)), 0);
		assert_int_equal(st, DISK_LUKS);
		free(big);
	}
	assert_int_equal(disk_probe("/nonexistent/disk", &st, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "/nonexistent/disk"));
}

static void test_run_with_stdin(void **state)
{
	char path[512], cmd[600];
	const char *argv[] = { "sh", "-c", cmd, NULL };
	const char *fail[] = { "sh", "-c", "exit 7", NULL };
	const char *none[] = { "/nonexistent/tool", NULL };
	static const uint8_t data[] = { 0, 1, 2, 0xff, 'k', 'e', 'y' };
	uint8_t *got;
	size_t n;

	snprintf(path, sizeof(path), "%s/stdin", td_tmpdir());
	snprintf(cmd, sizeof(cmd), "cat > '%s'", path);
	assert_int_equal(run_with_stdin(argv, data, sizeof(data)), 0);
	assert_int_equal(file_read(path, 100, &got, &n), 0);
	assert_int_equal(n, sizeof(data));
	assert_memory_equal(got, data, n);
	free(got);
	assert_int_equal(run_with_stdin(fail, data, sizeof(data)), 7);
	assert_int_equal(run_with_stdin(none, data, sizeof(data)), 127);
}

/* A stand-in for @tool on PATH that logs its arguments to @dir/tools.log. */
static void fake_tool(const char *dir, const char *tool, bool reads_stdin)
{
	char path[600], text[900], in[700];

	snprintf(path, sizeof(path), "%s/%s", dir, tool);
	snprintf(in, sizeof(in), "cat >> '%s/stdin.bin'\n", dir);
	snprintf(text, sizeof(text), "#!/bin/sh\necho \"%s $*\" >> '%s/tools.log'\n%sexit 0\n",
		 tool, dir, reads_stdin ? in : "");
	assert_int_equal(file_write_atomic(path, text, strlen(text)), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

static char *tools_log(const char *dir)
{
	char path[600];
	uint8_t *log;
	size_t n;

	snprintf(path, sizeof(path), "%s/tools.log", dir);
	if (file_read(path, 1 << 16, &log, &n))
		return strdup("");
	log = realloc(log, n + 1);
	log[n] = 0;
	unlink(path);
	return (char *)log;
}

/*
 * --format-empty formats only a blank device, and only when given (issue
 * 21): a device with data but no LUKS header is refused before any tool
 * runs, a blank one without the flag too; a blank one with it is
 * formatted, opened and given a file system.  cryptsetup and mke2fs are
 * stand-ins on PATH that log what they were asked.
 */
static void test_format_only_blank(void **state)
{
	char dir[512], disk[600], path[2000], why[300], *log;
	const char *old = getenv("PATH");
	struct agent_config c;
	struct keybuf key;
	uint8_t *img = calloc(1, DISK_BLANK_LEN + 4096), *got, want[64];
	size_t n;

	snprintf(dir, sizeof(dir), "%s/tools", td_tmpdir());
	assert_int_equal(mkdir(dir, 0755), 0);
	fake_tool(dir, "cryptsetup", true);
	fake_tool(dir, "mke2fs", false);
	snprintf(path, sizeof(path), "%s:%s", dir, old ? old : "/usr/bin:/bin");
	assert_int_equal(setenv("PATH", path, 1), 0);
	snprintf(disk, sizeof(disk), "%s/disk.img", td_tmpdir());
	agent_config_init(&c);
	snprintf(c.device, sizeof(c.device), "%s", disk);
	snprintf(c.name, sizeof(c.name), "cvmm-test");
	c.mount[0] = 0;
	assert_int_equal(keybuf_init(&key), 0);
	memset(key.p, 0x42, 32);
	key.len = 32;

	/* data, no LUKS header: refused even with --format-empty */
	img[4096] = 0x17;
	assert_int_equal(file_write_atomic(disk, img, DISK_BLANK_LEN + 4096), 0);
	c.format_empty = true;
	assert_int_equal(unlock_disk(&c, &key, why, sizeof(why)), -EEXIST);
	assert_non_null(strstr(why, "not blank"));
	log = tools_log(dir);
	assert_string_equal(log, "");
	free(log);

	/* blank, without --format-empty: refused, nothing run */
	img[4096] = 0;
	assert_int_equal(file_write_atomic(disk, img, DISK_BLANK_LEN + 4096), 0);
	c.format_empty = false;
	assert_int_equal(unlock_disk(&c, &key, why, sizeof(why)), -ENOENT);
	assert_non_null(strstr(why, "--format-empty would format it"));
	log = tools_log(dir);
	assert_string_equal(log, "");
	free(log);

	/* blank, with it: luksFormat, open, mke2fs on the mapping */
	c.format_empty = true;
	assert_int_equal(unlock_disk(&c, &key, why, sizeof(why)), 0);
	log = tools_log(dir);
	assert_non_null(strstr(log, "cryptsetup luksFormat"));
	assert_non_null(strstr(log, "cryptsetup open"));
	assert_non_null(strstr(log, "mke2fs"));
	assert_non_null(strstr(log, "/dev/mapper/cvmm-test"));
	free(log);
	/* the key reached cryptsetup on stdin (format, then open), then was wiped */
	snprintf(path, sizeof(path), "%s/stdin.bin", dir);
	assert_int_equal(file_read(path, 1 << 16, &got, &n), 0);
	assert_int_equal(n, 64);
	memset(want, 0x42, sizeof(want));
	assert_memory_equal(got, want, 64);
	free(got);
	assert_int_equal(key.len, 0);
	memset(want, 0, sizeof(want));
	assert_memory_equal(key.p, want, 32);

	keybuf_free(&key);
	assert_int_equal(setenv("PATH", old ? old : "/usr/bin:/bin", 1), 0);
	free(img);
}

static void test_keybuf(void **state)
{
	struct keybuf k;

	assert_int_equal(keybuf_init(&k), 0);
	assert_non_null(k.p);
	assert_int_equal(k.len, 0);
	memset(k.p, 0x5a, KEYBUF_MAX);
	k.len = 32;
	keybuf_free(&k);
	assert_null(k.p);
	assert_int_equal(k.len, 0);
	keybuf_free(&k);				/* twice is fine */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_probe),
		cmocka_unit_test(test_run_with_stdin),
		cmocka_unit_test(test_keybuf),
		cmocka_unit_test(test_format_only_blank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
