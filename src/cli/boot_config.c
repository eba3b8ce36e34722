// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm boot --config FILE: the file is read before the other options,
 * which then add to it or override it.
 */
#include <string.h>

#include "cli/cli.h"

const char *cli_find_config(int argc, char **argv)
{
	const char *found = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			found = argv[++i];
		else if (!strncmp(argv[i], "--config=", 9))
			found = argv[i] + 9;
	}
	return found;
}
