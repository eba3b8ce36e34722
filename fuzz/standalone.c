// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays inputs through a libFuzzer entry point without libFuzzer: every
 * regular file named on the command line, or found one level inside a named
 * directory, is passed to LLVMFuzzerTestOneInput().  Used so that gcc builds
 * (and the ASan/UBSan test pass) exercise the fuzz targets on their corpus.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
	uint8_t *buf;
	size_t len;
	int ret = file_read(path, 64 << 20, &buf, &len);

	if (ret) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int i, runs = 0, fails = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	/* The empty input is always interesting. */
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	for (i = 1; i < argc; i++) {
		struct stat st;
		struct dirent *de;
		DIR *d;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "standalone: %s: missing\n", argv[i]);
			fails++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			fails += run_file(argv[i]);
			runs++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d) {
			fails++;
			continue;
		}
		while ((de = readdir(d))) {
			char path[4096];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			fails += run_file(path);
			runs++;
		}
		closedir(d);
	}
	printf("standalone: %d inputs replayed\n", runs);
	return fails ? 1 : 0;
}
