// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm sim-ca init DIR: the test ARK -> ASK -> VCEK chain the simulated
 * SEV-SNP platform signs reports with (--coco snp,...,platform=sim,
 * sim-ca=DIR; sim/sim_ca.h).  Exit status 0 made, 1 could not, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "sim/sim_ca.h"
#include "util/err.h"
#include "util/log.h"
#include "util/num.h"

enum { OPT_RSA_BITS = 0x200 };

static const struct arg_opt simca_opts[] = {
	{ "rsa-bits", 0, ARG_REQUIRED, OPT_RSA_BITS, "2048|3072|4096",
	  "the ARK's and ASK's RSA key size (default 4096, as AMD's)", 0 },
	ARG_END,
};

const struct arg_group simca_groups[] = {
	{ "sim-ca options", simca_opts },
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

struct simca_args {
	struct sim_ca_params p;
	const char *words[2];		/* init DIR */
	unsigned int nr_words;
};

static void simca_usage(FILE *f)
{
	fputs("usage: cvmm sim-ca init DIR [--rsa-bits 2048|3072|4096]\n\n"
	      "Makes a TEST chain for the simulated SEV-SNP platform (cvmm boot --coco\n"
	      "snp,...,platform=sim,sim-ca=DIR): ARK-Milan -> SEV-Milan (RSA, RSASSA-PSS\n"
	      "as AMD's) -> SEV-VCEK (ECDSA P-384, AMD's extensions, a random HWID).\n"
	      "DIR/vcek.key is the VCEK's private key, on disk: it signs the simulated\n"
	      "platform's reports.  DIR/test-roots.pem is for cvmm-broker --test-roots;\n"
	      "nothing trusts the chain otherwise.  An existing chain is never replaced.\n",
	      f);
	args_print_help(f, simca_groups);
	fputs("\nexit status: 0 made, 1 could not be made, 2 usage error.\n", f);
}

static int simca_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct simca_args *a = ctx;
	uint64_t v;

	(void)o;
	if (num_parse_u64(value, &v) || (v != 2048 && v != 3072 && v != 4096)) {
		log_err("--rsa-bits", "'%s': expected 2048, 3072 or 4096", value);
		return -EINVAL;
	}
	a->p.rsa_bits = (unsigned int)v;
	return 0;
}

static int simca_positional(void *ctx, const char *arg)
{
	struct simca_args *a = ctx;

	if (a->nr_words == 0 && strcmp(arg, "init")) {
		log_err(arg, "unknown command (cvmm sim-ca init DIR)");
		return -EINVAL;
	}
	if (a->nr_words == 2) {
		log_err(arg, "unexpected argument (cvmm sim-ca init DIR)");
		return -EINVAL;
	}
	a->words[a->nr_words++] = arg;
	return 0;
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
	struct simca_args a = { 0 };
	struct args_parser p = {
		.cmd = "sim-ca", .groups = simca_groups, .option = simca_option,
		.positional = simca_positional, .ctx = &a,
	};
	int ret = args_parse(&p, argc, argv);

	if (ret == ARGS_HELP) {
		log_usage_end();
		simca_usage(stdout);
		return 0;
	}
	if (!ret && a.nr_words != 2) {
		log_err(a.nr_words ? "init" : "sim-ca", "needs %s (cvmm sim-ca init DIR)",
			a.nr_words ? "a directory" : "a command");
		ret = -EINVAL;
	}
	log_usage_end();
	if (ret)
		return ARGS_EXIT_USAGE;
	if (args_only())
		return 0;
	/* the TCB: sim_ca_init()'s default (SIM_CA_TCB_*) */
	return simca_init(a.words[1], &a.p);
}
