// SPDX-License-Identifier: GPL-2.0-only
#include "cli/cli.h"
#include "util/log.h"

int cmd_measure(int argc, char **argv)
{
	log_err("measure", "not implemented yet");
	return 2;
}
