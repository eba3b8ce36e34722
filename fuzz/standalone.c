// SPDX-License-Identifier: GPL-2.0-only
/*
 * Replays inputs through a libFuzzer entry point without libFuzzer: every
 * regular file named on the command line, or found one level inside a named
 * directory, is passed to LLVMFuzzerTestOneInput().  Used so that gcc builds
 * (and the ASan/UBSan test pass) exercise the fuzz targets on their corpus.
 *
 * A replay fails (status 1) when a target returns anything but 0 or -1
 * (libFuzzer's "reject this input"): a target may report a violated
 * invariant that way.  A target that aborts or traps on one (the usual
 * way) ends the replay with that signal; the input's path is printed
 * first.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static const char *current = "(the empty input)";

/* abort(), __builtin_trap() (SIGILL), int3: say which input did it. */
static void on_crash(int sig)
{
	static const char a[] = "standalone: crashed on ", b[] = "\n";

	if (write(2, a, sizeof(a) - 1) < 0 || write(2, current, strlen(current)) < 0 ||
	    write(2, b, 1) < 0) {
		/* nothing more to do */
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_one(const char *what, const uint8_t *buf, size_t len)
{
	int ret;

	current = what;
	ret = LLVMFuzzerTestOneInput(buf, len);
	if (ret != 0 && ret != -1) {
		fprintf(stderr, "standalone: %s: the target returned %d (an invariant failed)\n",
			what, ret);
		return 1;
	}
	return 0;
}

static int run_file(const char *path)
{
	uint8_t *buf;
	size_t len;
	int ret = file_read(path, 64 << 20, &buf, &len);

	if (ret) {
		fprintf(stderr, "standalone: %s: %s\n", path, strerror(-ret));
		return 1;
	}
	ret = run_one(path, buf, len);
	free(buf);
	return ret;
}

int main(int argc, char **argv)
{
	int i, runs = 0, fails = 0;

	signal(SIGABRT, on_crash);
	signal(SIGILL, on_crash);
	signal(SIGTRAP, on_crash);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	/* The empty input is always interesting. */
	fails += run_one("(the empty input)", (const uint8_t *)"", 0);
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
