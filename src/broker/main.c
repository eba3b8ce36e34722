// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm-broker: a key broker that releases secrets only to attested
 * confidential guests (Trustee KBS compatible).  See docs/broker.md.
 *
 *   cvmm-broker serve ...     the daemon
 *   cvmm-broker admin ...     the admin client
 *   cvmm-broker audit ...     print the audit log
 */
#include <stdio.h>
#include <string.h>

#include "broker/audit.h"
#include "broker/cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm-broker serve --listen HOST:PORT|unix:PATH [--tls-cert F --tls-key F |\n"
		"                         --insecure-http] --store sqlite:PATH|postgresql://…\n"
		"                         --kek FILE --admin-key PUBKEY.pem [--test-roots PEM]\n"
		"                         [--certs DIR] [--replica-name NAME]\n"
		"                         [--config FILE]\n"
		"       cvmm-broker admin --url URL --admin-key PRIVKEY.pem COMMAND ...\n"
		"       cvmm-broker audit --store sqlite:PATH|postgresql://… [--json]\n"
		"\n"
		"Each command takes --help.  See docs/broker.md.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "serve"))
		return serve_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "admin"))
		return admin_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "audit"))
		return audit_main(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "cvmm-broker: %s: unknown command\n", argv[1]);
	usage(stderr);
	return 2;
}
