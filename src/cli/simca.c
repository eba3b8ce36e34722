// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm sim-ca init DIR: the test ARK -> ASK -> VCEK chain the simulated
 * SEV-SNP platform signs reports with (--coco snp,...,platform=sim,
 * sim-ca=DIR; sim/sim_ca.h).  Exit status 0 made, 1 could not, 2 usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "sim/sim_ca.h"
#include "util/log.h"
#include "util/err.h"

enum { OPT_HELP = 0x200, OPT_RSA_BITS };

static const struct option simca_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "rsa-bits", required_argument, NULL, OPT_RSA_BITS },
	{ NULL, 0, NULL, 0 },
};

static void simca_usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm sim-ca init DIR [--rsa-bits 2048|3072|4096]\n\n"
		"Makes a TEST chain for the simulated SEV-SNP platform (cvmm boot --coco\n"
		"snp,...,platform=sim,sim-ca=DIR): ARK-Milan -> SEV-Milan (RSA, RSASSA-PSS\n"
		"as AMD's; 4096 bits unless --rsa-bits) -> SEV-VCEK (ECDSA P-384, AMD's\n"
		"extensions, a random HWID).  DIR/vcek.key is the VCEK's private key, on\n"
		"disk: it signs the simulated platform's reports.  DIR/test-roots.pem is for\n"
		"cvmm-broker --test-roots; nothing trusts the chain otherwise.\n");
}

static int simca_init(const char *dir, const struct sim_ca_params *p)
{
	struct err_msg why;
	int ret;

	ret = sim_ca_init(dir, p, &why);
	if (ret) {
		log_err("sim-ca", "%s", why.msg);
		return 1;
	}
	printf("cvmm sim-ca: a TEST chain in %s: ARK-Milan -> SEV-Milan (RSA-%u, PSS) -> "
	       "SEV-VCEK (P-384)\n", dir, p->rsa_bits ? p->rsa_bits : 4096);
	printf("cvmm sim-ca: WARNING: %s/vcek.key is a TEST private key, unencrypted on disk: "
	       "whoever reads it can sign SEV-SNP \"reports\" with any measurement.\n", dir);
	printf("cvmm sim-ca: WARNING: nothing trusts this chain; give %s/test-roots.pem only "
	       "to a TEST broker (cvmm-broker --test-roots), never to one guarding real "
	       "secrets.\n", dir);
	return 0;
}

int cmd_simca(int argc, char **argv)
{
	struct sim_ca_params p = { 0 };
	char *end;
	long v;
	int c;

	while ((c = getopt_long(argc, argv, "h", simca_options, NULL)) != -1) {
		switch (c) {
		case 'h':
		case OPT_HELP:
			simca_usage(stdout);
			return 0;
		case OPT_RSA_BITS:
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || (v != 2048 && v != 3072 && v != 4096)) {
				log_err("--rsa-bits", "'%s': expected 2048, 3072 or 4096", optarg);
				return 2;
			}
			p.rsa_bits = (unsigned int)v;
			break;
		default:
			simca_usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2 || strcmp(argv[optind], "init")) {
		simca_usage(stderr);
		return 2;
	}
	p.bl = SIM_CA_TCB_BL;
	p.tee = SIM_CA_TCB_TEE;
	p.snp = SIM_CA_TCB_SNP;
	p.ucode = SIM_CA_TCB_UCODE;
	return simca_init(argv[optind + 1], &p);
}
