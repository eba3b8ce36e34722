/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_BROKER_CLI_H
#define CVMM_BROKER_CLI_H

/* Subcommands of cvmm-broker; each returns the process exit status. */
int serve_main(int argc, char **argv);
int admin_main(int argc, char **argv);

#endif
