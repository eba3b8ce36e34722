// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/file.h"

uint8_t *td_read(const char *rel, size_t *len)
{
	const char *dir = getenv("CVMM_TEST_DATA");
	char path[PATH_MAX];
	uint8_t *d = NULL;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", rel);
	if (file_read(path, 64u << 20, &d, len))
		fail_msg("cannot read %s", path);
	return d;
}

static char tmpdir[PATH_MAX];

static void rm_tmpdir(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

const char *td_tmpdir(void)
{
	const char *t = getenv("TMPDIR");

	if (tmpdir[0])
		return tmpdir;
	snprintf(tmpdir, sizeof(tmpdir), "%s/cvmm-agent-test.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		fail_msg("mkdtemp failed");
	atexit(rm_tmpdir);
	return tmpdir;
}
