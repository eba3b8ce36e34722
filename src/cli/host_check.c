// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm host-check [--json] [--qgs PATH]: what a confidential launch on
 * this host needs, one line per check with the fix when it fails (as
 * virt-host-validate and snphost ok), then whether SEV-SNP and TDX can be
 * launched here and, when not, why.  Exit 0 when at least one of them
 * can, 1 when neither, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/host_check.h"
#include "kvm/uapi.h"
#include "util/log.h"

enum { OPT_JSON = 0x200, OPT_QGS };

static const struct arg_opt host_check_opts[] = {
	{ "json", 0, ARG_NONE, OPT_JSON, NULL, "the checks and the verdicts as JSON", 0 },
	{ "qgs", 0, ARG_REQUIRED, OPT_QGS, "PATH",
	  "also check this TDX quote generation service socket (as tdx,qgs=PATH)", 0 },
	ARG_END,
};

const struct arg_group host_check_groups[] = {
	{ "host-check options", host_check_opts },
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

struct hc_args {
	bool json;
	const char *qgs;
};

static int hc_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct hc_args *a = ctx;

	if (o->id == OPT_JSON)
		a->json = true;
	else
		a->qgs = value;
	return 0;
}

#define WHY_MAX	512

static void why_add(char *why, const char *reason)
{
	size_t n = strlen(why);

	snprintf(why + n, WHY_MAX - n, "%s%s", n ? "; " : "", reason);
}

/* Why SEV-SNP cannot be launched here ("" when it can), the first causes first. */
static void snp_why(const struct hc_host *h, char *why)
{
	why[0] = 0;
	if (!h->kvm)
		why_add(why, "no usable /dev/kvm");
	if (h->kvm_module && !strcmp(h->kvm_module, "kvm_pvm"))
		why_add(why, "KVM is kvm_pvm (software virtualization, no AMD SVM)");
	if (!h->amd)
		why_add(why, "the CPU is not AMD's");
	else if (!h->cpu_snp)
		why_add(why, h->nested ? "the CPU reports no SEV-SNP (a nested host: the "
			"hypervisor below passes none)" : "the CPU reports no SEV-SNP");
	if (h->kvm && !(h->vm_types & 1 << KVM_X86_SNP_VM))
		why_add(why, "KVM offers no SNP VM type");
	if (!h->sev_dev)
		why_add(why, "/dev/sev is missing");
	else if (!h->snp_fw_ok)
		why_add(why, "no SNP firmware with API 1.55 or later");
	if (h->kvm && !h->gmem)
		why_add(why, "no guest_memfd");
}

static void tdx_why(const struct hc_host *h, char *why)
{
	why[0] = 0;
	if (!h->kvm)
		why_add(why, "no usable /dev/kvm");
	if (h->kvm_module && !strcmp(h->kvm_module, "kvm_pvm"))
		why_add(why, "KVM is kvm_pvm (software virtualization, no Intel VMX)");
	if (!h->intel)
		why_add(why, "the CPU is not Intel's");
	else if (!h->tdx_module)
		why_add(why, "no TDX module (/sys/firmware/tdx)");
	if (h->kvm && !(h->vm_types & 1 << KVM_X86_TDX_VM))
		why_add(why, "KVM offers no TDX VM type");
	if (h->kvm && !h->split_irqchip)
		why_add(why, "no split irqchip");
	if (h->kvm && !h->gmem)
		why_add(why, "no guest_memfd");
}

static const char *const status_names[] = { "ok", "FAIL", "warn", "skip", "info" };

static void print_text(const struct hc_host *h, const char *snp, const char *tdx)
{
	unsigned int i;

	for (i = 0; i < h->n; i++) {
		const struct hc_check *c = &h->checks[i];

		printf("%-5s %-15s %s\n", status_names[c->status], c->name, c->detail);
		if (c->fix[0] && (c->status == HC_FAIL || c->status == HC_WARN))
			printf("      %-15s fix: %s\n", "", c->fix);
	}
	printf("\nSEV-SNP: %s%s\n", snp[0] ? "no: " : "yes", snp);
	printf("TDX:     %s%s\n", tdx[0] ? "no: " : "yes", tdx);
	if (snp[0] && tdx[0])
		printf("\nThis host has neither SEV-SNP nor TDX: it cannot launch a confidential "
		       "guest (cvmm boot --dry-run runs the launch on the simulated platform "
		       "instead).\n");
}

static int print_json(const struct hc_host *h, const char *snp, const char *tdx)
{
	json_t *o = json_object(), *checks = json_array();
	unsigned int i;
	int ret = 0;

	if (!o || !checks) {
		json_decref(o);
		json_decref(checks);
		return -ENOMEM;
	}
	for (i = 0; i < h->n; i++) {
		const struct hc_check *c = &h->checks[i];

		json_array_append_new(checks, json_pack("{s:s,s:s,s:s,s:s?}", "name", c->name,
			"status", status_names[c->status], "detail", c->detail,
			"fix", c->fix[0] ? c->fix : NULL));
	}
	json_object_set_new(o, "checks", checks);
	json_object_set_new(o, "snp", json_pack("{s:b,s:s?}", "ready", !snp[0], "why",
						snp[0] ? snp : NULL));
	json_object_set_new(o, "tdx", json_pack("{s:b,s:s?}", "ready", !tdx[0], "why",
						tdx[0] ? tdx : NULL));
	if (json_dumpf(o, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF)
		ret = -EIO;
	json_decref(o);
	return ret;
}

int cmd_host_check(int argc, char **argv)
{
	static struct hc_host h;
	struct hc_args a = { 0 };
	struct args_parser p = {
		.cmd = "host-check", .groups = host_check_groups, .option = hc_option, .ctx = &a,
	};
	char snp[WHY_MAX], tdx[WHY_MAX];
	int ret = args_parse(&p, argc, argv);

	log_usage_end();
	if (ret == ARGS_HELP) {
		printf("usage: cvmm host-check [--json] [--qgs PATH]\n\n"
		       "Check what a confidential launch (SEV-SNP, TDX) needs on this host: KVM and\n"
		       "its VM types, kvm_amd, /dev/sev and the SNP firmware, SEV-ES ASIDs,\n"
		       "guest_memfd, certificate requests, the TDX module, the split irqchip and\n"
		       "a QGS socket, each with the fix when it fails.\n");
		args_print_help(stdout, host_check_groups);
		printf("\nexit status: 0 SEV-SNP or TDX can be launched, 1 neither, 2 usage error.\n");
		return 0;
	}
	if (ret)
		return ARGS_EXIT_USAGE;
	if (args_only())
		return 0;
	hc_probe(&h, a.qgs);
	snp_why(&h, snp);
	tdx_why(&h, tdx);
	if (a.json ? print_json(&h, snp, tdx) : (print_text(&h, snp, tdx), 0)) {
		log_err("host-check", "cannot write the result");
		return 1;
	}
	if (fflush(stdout))
		return 1;
	return snp[0] && tdx[0] ? 1 : 0;
}
