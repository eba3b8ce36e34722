/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_CLI_H
#define CVMM_CLI_CLI_H

#include <stdbool.h>

/*
 * One file per subcommand.  Each takes the arguments after the subcommand
 * name (argv[0] is the subcommand) and returns the process exit status.
 */
int cmd_boot(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_simca(int argc, char **argv);
int cmd_api(int argc, char **argv);
int cmd_ctl(int argc, char **argv);

/*
 * Serve the control API on @socket with the VM @cfg booted at once (cvmm
 * boot --api-socket), or with none (NULL: cvmm api); cli/api.c.
 */
struct vm_config;
int cli_serve_api(struct vm_config *cfg, const char *socket, bool dry_run);
/* --config FILE among @argv (cvmm boot), or NULL; cli/boot_config.c. */
const char *cli_find_config(int argc, char **argv);

#endif
