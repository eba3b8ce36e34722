// SPDX-License-Identifier: GPL-2.0-only
/* cvmm host-check: placeholder until the checks land (next commit). */
#include <stdio.h>

#include "cli/cli.h"
#include "util/log.h"

const struct arg_group host_check_groups[] = {
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

int cmd_host_check(int argc, char **argv)
{
	return 0;
}
