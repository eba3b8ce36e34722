/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_CLI_CLI_H
#define CVMM_CLI_CLI_H

/*
 * One file per subcommand.  Each takes the arguments after the subcommand
 * name (argv[0] is the subcommand) and returns the process exit status.
 */
int cmd_boot(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_simca(int argc, char **argv);

#endif
