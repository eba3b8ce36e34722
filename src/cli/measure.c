// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm measure: the launch digest a confidential launch of the given machine
 * will produce, computed from the same launch plan `cvmm boot` executes,
 * from the same flags: --coco (policy, sev-features=), --cpu
 * (count, model=/sig=), --firmware, --kernel, --initramfs, --cmdline,
 * --memory.  sev-snp-measure's spellings (--vcpu-type, --vcpu-sig,
 * --guest-features, ...) are accepted too.  Needs no KVM.  Prints one
 * line on stdout (hex or base64), or with --json the whole launch.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "arch/x86/cpuid.h"
#include "cli/cli.h"
#include "cli/measure_internal.h"
#include "coco/coco_policy.h"
#include "machine/launch_report.h"
#include "measure/vcpu_types.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

/* Grouped: measure_option() dispatches on the ranges. */
enum {
	/* vCPU signature and features (sev-snp-measure's spellings) */
	OPT_VCPU_TYPE = 0x200,
	OPT_VCPU_SIG,
	OPT_VCPU_FAMILY,
	OPT_VCPU_MODEL,
	OPT_VCPU_STEPPING,
	OPT_GUEST_FEATURES,
	/* launch model */
	OPT_VMM,
	OPT_OVMF_HASH_ONLY,
	OPT_OVMF_HASH,
	OPT_SVSM,
	OPT_VARS_SIZE,
	OPT_TDX_ORDER,
	OPT_PRINT_PLAN,
	/* output */
	OPT_JSON,
	OPT_OUTPUT_FORMAT,
	/* SNP ID block: MEASURE_OPT_ID_BLOCK.. (measure_id.c) */
};

static const struct arg_opt vcpu_opts[] = {
	{ "vcpu-type", 0, ARG_REQUIRED, OPT_VCPU_TYPE, "NAME",
	  "= --cpu model=NAME: a QEMU CPU model (the list below) or host", 0 },
	{ "vcpu-sig", 0, ARG_REQUIRED, OPT_VCPU_SIG, "HEX", "= --cpu sig=0xHEX (CPUID 1 EAX)", 0 },
	{ "vcpu-family", 0, ARG_REQUIRED, OPT_VCPU_FAMILY, "N",
	  "with --vcpu-model N --vcpu-stepping N: the signature from its parts", 0 },
	{ "vcpu-model", 0, ARG_REQUIRED, OPT_VCPU_MODEL, "N", "see --vcpu-family", 0 },
	{ "vcpu-stepping", 0, ARG_REQUIRED, OPT_VCPU_STEPPING, "N", "see --vcpu-family", 0 },
	{ "guest-features", 0, ARG_REQUIRED, OPT_GUEST_FEATURES, "HEX",
	  "= --coco snp,sev-features=HEX (SNP VMSA SEV_FEATURES, default 0x1;\n"
	  "ignored for SEV and SEV-ES, as by sev-snp-measure)", 0 },
	ARG_END,
};

static const struct arg_opt launch_opts[] = {
	{ "vmm", 0, ARG_REQUIRED, OPT_VMM, "cvmm|qemu|ec2|gce",
	  "whose launch to model (default cvmm, identical to qemu)", 0 },
	{ "ovmf-hash-only", 0, ARG_NONE, OPT_OVMF_HASH_ONLY, NULL,
	  "SNP: print only the digest of the firmware pages", 0 },
	{ "ovmf-hash", 0, ARG_REQUIRED, OPT_OVMF_HASH, "HEX",
	  "SNP: start from this precomputed firmware digest", 0 },
	{ "svsm", 0, ARG_REQUIRED, OPT_SVSM, "PATH",
	  "SNP: a Coconut SVSM below the firmware (with --vars-size)", 0 },
	{ "vars-size", 0, ARG_REQUIRED, OPT_VARS_SIZE, "N", "SNP: bytes of OVMF vars with --svsm", 0 },
	{ "tdx-order", 0, ARG_REQUIRED, OPT_TDX_ORDER, "per-page|two-pass",
	  "TDX: PAGE.ADD/MR.EXTEND order (default per-page, as KVM)", 0 },
	{ "print-plan", 0, ARG_NONE, OPT_PRINT_PLAN, NULL, "print the launch plan on stderr", 0 },
	ARG_END,
};

static const struct arg_opt output_opts[] = {
	{ "json", 0, ARG_NONE, OPT_JSON, NULL,
	  "the whole launch as JSON: measurement, vCPU signature and model,\n"
	  "SEV features, policy, component hashes, ID block digests, and the\n"
	  "command (cvmm-broker admin add-reference imports it)", 0 },
	{ "output-format", 0, ARG_REQUIRED, OPT_OUTPUT_FORMAT, "hex|base64",
	  "the digest's encoding (default hex), as sev-snp-measure", 0 },
	ARG_END,
};

const struct arg_group measure_groups[] = {
	{ "machine options (as for cvmm boot)", config_opts },
	{ "vCPU options (sev-snp-measure's spellings)", vcpu_opts },
	{ "launch model options", launch_opts },
	{ "IGVM options", measure_igvm_opts },
	{ "output options", output_opts },
	{ "SNP ID block options", measure_id_opts },
	{ "general options", args_common_opts },
	{ NULL, NULL },
};

static void usage(FILE *f)
{
	const char *n;
	unsigned int i;

	fputs("usage: cvmm measure --coco SPEC --firmware PATH [machine options] [options]\n"
	      "       cvmm measure --igvm FILE [--zero-pages normal|zero] [options]\n"
	      "\n"
	      "Print the launch measurement (one line, hex) of a confidential launch of\n"
	      "the described machine: SEV/SEV-ES launch digest (SHA-256), SEV-SNP\n"
	      "MEASUREMENT or TDX MRTD (SHA-384).  Files are hashed as they are.  The\n"
	      "flags are cvmm boot's: the same flags give the measurement that boot's\n"
	      "launch produces (boot -v and boot --dry-run print this command).\n"
	      "SEV-ES and SNP need the vCPU signature: --cpu model=NAME (host: this\n"
	      "host's) or --cpu sig=0xHEX.  Options only boot uses (devices, console,\n"
	      "...) are refused.\n", f);
	args_print_help(f, measure_groups);
	fputs("\nCPU models (--cpu model=NAME, --vcpu-type NAME):\n  host", f);
	for (i = 0; (n = vcpu_type_name(i)); i++)
		fprintf(f, "%s%s", i % 6 == 5 ? "\n  " : " ", n);
	fputs("\n\nexit status: 0 printed, 1 the files do not make a launch, 2 usage error.\n",
	      f);
}

static int parse_u64(const char *flag, const char *arg, uint64_t *out)
{
	if (num_parse_u64(arg, out)) {
		log_err(flag, "'%s' is not a number", arg);
		return -EINVAL;
	}
	return 0;
}

static int parse_hex_num(const char *flag, const char *arg, uint64_t *out)
{
	char buf[32];

	/* sev-snp-measure takes these as hex with or without 0x */
	if (strncmp(arg, "0x", 2) && strncmp(arg, "0X", 2) && strlen(arg) < 20) {
		snprintf(buf, sizeof(buf), "0x%s", arg);
		arg = buf;
	}
	return parse_u64(flag, arg, out);
}

int measure_parse_hex(const char *flag, const char *arg, uint8_t *out, size_t len)
{
	if (hex_decode(arg, out, len)) {
		log_err(flag, "expected %zu bytes as %zu hex digits", len, 2 * len);
		return -EINVAL;
	}
	return 0;
}

/* --vcpu-type, --vcpu-sig, --vcpu-family/-model/-stepping, --guest-features */
static int parse_vcpu_option(struct measure_args *a, int c, const char *arg)
{
	uint64_t v;
	int ret;

	switch (c) {
	case OPT_VCPU_TYPE:
		a->vcpu_type = arg;
		return strcmp(arg, "host") ? config_vcpu_model(arg, "--vcpu-type", &a->vcpu_sig) :
		       0;
	case OPT_VCPU_SIG:
		ret = parse_hex_num("--vcpu-sig", arg, &v);
		if (!ret && v > 0xffffffffULL) {
			log_err("--vcpu-sig", "0x%llx does not fit 32 bits", (unsigned long long)v);
			ret = -EINVAL;
		}
		a->vcpu_sig = (uint32_t)v;
		a->have_vcpu_sig = true;
		return ret;
	case OPT_GUEST_FEATURES:
		a->have_guest_features = true;
		return parse_hex_num("--guest-features", arg, &a->guest_features);
	}
	/* OPT_VCPU_FAMILY, OPT_VCPU_MODEL, OPT_VCPU_STEPPING */
	ret = parse_u64(c == OPT_VCPU_FAMILY ? "--vcpu-family" : c == OPT_VCPU_MODEL ?
			"--vcpu-model" : "--vcpu-stepping", arg, &v);
	if (!ret && v > 0xff) {
		log_err(c == OPT_VCPU_FAMILY ? "--vcpu-family" : c == OPT_VCPU_MODEL ?
			"--vcpu-model" : "--vcpu-stepping", "%s is too large", arg);
		ret = -EINVAL;
	}
	if (c == OPT_VCPU_FAMILY)
		a->family = (int64_t)v;
	else if (c == OPT_VCPU_MODEL)
		a->model = (int64_t)v;
	else
		a->stepping = (int64_t)v;
	return ret;
}

/* --vmm, --ovmf-hash(-only), --svsm, --vars-size, --tdx-order, --print-plan */
static int parse_launch_option(struct measure_args *a, int c, const char *arg)
{
	switch (c) {
	case OPT_VMM:
		if (plan_vmm_parse(arg, &a->vmm)) {
			log_err("--vmm", "'%s': expected cvmm, qemu, ec2 or gce", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_OVMF_HASH_ONLY:
		a->ovmf_hash_only = true;
		return 0;
	case OPT_OVMF_HASH:
		a->have_ovmf_hash = true;
		return measure_parse_hex("--ovmf-hash", arg, a->ovmf_hash, 48);
	case OPT_SVSM:
		a->svsm = arg;
		return 0;
	case OPT_VARS_SIZE:
		a->have_vars_size = true;
		if (size_parse(arg, &a->vars_size)) {
			log_err("--vars-size", "'%s' is not a size", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_TDX_ORDER:
		if (!strcmp(arg, "per-page") || !strcmp(arg, "single-pass")) {
			a->tdx_order = TDX_ORDER_PER_PAGE;
		} else if (!strcmp(arg, "two-pass")) {
			a->tdx_order = TDX_ORDER_TWO_PASS;
		} else {
			log_err("--tdx-order", "'%s': expected per-page or two-pass", arg);
			return -EINVAL;
		}
		return 0;
	}
	/* OPT_PRINT_PLAN */
	a->print_plan = true;
	return 0;
}

static int parse_output_option(struct measure_args *a, int c, const char *arg)
{
	if (c == OPT_JSON) {
		a->json = true;
		return 0;
	}
	if (!strcmp(arg, "hex")) {
		a->format = FORMAT_HEX;
	} else if (!strcmp(arg, "base64")) {
		a->format = FORMAT_BASE64;
	} else {
		log_err("--output-format", "'%s': expected hex or base64", arg);
		return -EINVAL;
	}
	return 0;
}

static int measure_option(void *ctx, const struct arg_opt *o, const char *value)
{
	struct measure_args *a = ctx;
	int c = o->id;

	if (o->flags & ARG_BOOT_ONLY) {
		char flag[64];

		snprintf(flag, sizeof(flag), "--%s", o->name);
		log_err(flag, "a cvmm boot option that is not part of a launch measurement: "
			"leave it out");
		return -EINVAL;
	}
	if (c == MEASURE_OPT_ZERO_PAGES)
		return measure_igvm_zero_pages(a, value);
	if (c >= MEASURE_OPT_ID_BLOCK)
		return measure_id_option(a, c, value);
	if (c < OPT_VCPU_TYPE)
		return config_parse_option(&a->cfg, c, value) < 0 ? -EINVAL : 0;
	if (c <= OPT_GUEST_FEATURES)
		return parse_vcpu_option(a, c, value);
	if (c <= OPT_PRINT_PLAN)
		return parse_launch_option(a, c, value);
	return parse_output_option(a, c, value);
}

int measure_read_file(const char *what, const char *path, size_t max, unsigned int flags,
		      uint8_t **data, size_t *len)
{
	struct err_msg e;
	int ret = file_load(path, what, max, flags, data, len, &e);

	if (ret)
		log_err(path, "%s", e.msg);
	return ret;
}

/* The same, mapped instead of copied: the plan hashes these in place. */
static int map_file(const char *what, const char *path, size_t max, const uint8_t **data,
		    size_t *len)
{
	struct err_msg e;
	int ret = file_map(path, what, max, data, len, &e);

	if (ret)
		log_err(path, "%s", e.msg);
	else if (!*len)
		*data = (const uint8_t *)"";	/* given but empty, as read */
	return ret;
}

/* sev-snp-measure's spellings: at most one, into *sig; 1 if one was given. */
static int legacy_sig(struct measure_args *a, uint32_t *sig)
{
	int parts = (a->family >= 0) + (a->model >= 0) + (a->stepping >= 0);

	if (!!a->vcpu_type + a->have_vcpu_sig + !!parts > 1) {
		log_err("--vcpu-type", "give one of --vcpu-type, --vcpu-sig or "
			"--vcpu-family/--vcpu-model/--vcpu-stepping");
		return -EINVAL;
	}
	if (parts && parts != 3) {
		log_err(a->family < 0 ? "--vcpu-family" : a->model < 0 ? "--vcpu-model" :
			"--vcpu-stepping", "missing: --vcpu-family, --vcpu-model and "
			"--vcpu-stepping go together");
		return -EINVAL;
	}
	if (parts)
		*sig = vcpu_sig_compute((unsigned int)a->family, (unsigned int)a->model,
					(unsigned int)a->stepping);
	else if (a->have_vcpu_sig)
		*sig = a->vcpu_sig;
	else if (a->vcpu_type && !strcmp(a->vcpu_type, "host"))
		*sig = cpuid_host_signature();
	else if (a->vcpu_type && config_vcpu_model(a->vcpu_type, "--vcpu-type", sig))
		return -EINVAL;
	return a->vcpu_type || a->have_vcpu_sig || parts;
}

/*
 * The vCPU signature, from --cpu model=/sig= or sev-snp-measure's
 * spellings (which must agree when both are given); "host" is this CPU's.
 */
static int resolve_sig(struct measure_args *a)
{
	struct cpu_config *cpu = &a->cfg.cpu;
	bool from_cpu = cpu->have_sig || cpu->model;
	uint32_t sig = 0, csig = 0;
	int given = legacy_sig(a, &sig);

	if (given < 0)
		return given;
	/* CPUID traps to the hypervisor in a VM: only when the answer is used */
	if (!given || from_cpu)
		csig = cpu->have_sig ? cpu->sig : cpuid_host_signature();
	if (given && from_cpu && sig != csig) {
		log_err("--cpu", "the signature 0x%x disagrees with 0x%x from --vcpu-*: give one",
			csig, sig);
		return -EINVAL;
	}
	/* TDX: --cpu model=/sig= were refused (config_finish()), --vcpu-* are moot */
	a->have_sig = given || from_cpu;
	a->sig = given ? sig : csig;
	return 0;
}

/* --guest-features = --coco snp,sev-features= (ignored for SEV, SEV-ES). */
static int resolve_features(struct measure_args *a)
{
	struct coco_config *c = &a->cfg.coco;

	if (!a->have_guest_features || c->type != COCO_SNP)
		return 0;
	if (c->have_sev_features && c->sev_features != a->guest_features) {
		log_err("--guest-features", "0x%llx disagrees with --coco sev-features=0x%llx: "
			"give one", (unsigned long long)a->guest_features,
			(unsigned long long)c->sev_features);
		return -EINVAL;
	}
	c->sev_features = a->guest_features;
	return coco_config_validate(c);
}

static int check_args(struct measure_args *a)
{
	const struct vm_config *cfg = &a->cfg;
	enum coco_type t = cfg->coco.type;

	if (cfg->igvm || a->have_zero_pages)
		return measure_igvm_check(a);
	if (a->id_block && (!a->id_key || !a->author_key)) {
		log_err("--id-block", "needs --id-key PEM and --author-key PEM");
		return -EINVAL;
	}
	if (a->id_block && a->have_measurement)
		return 0;
	if (t == COCO_NONE) {
		log_err("--coco", "missing: cvmm measure needs --coco sev,policy=P | "
			"snp[,policy=P] | tdx[,attr=A]");
		return -EINVAL;
	}
	if (!cfg->firmware) {
		log_err("--firmware", "missing: cvmm measure needs --firmware PATH");
		return -EINVAL;
	}
	if (cfg->pvh) {
		log_err("--pvh", "a confidential guest boots through firmware: measured "
			"direct boot takes --kernel");
		return -EINVAL;
	}
	if ((a->ovmf_hash_only || a->have_ovmf_hash || a->svsm) && t != COCO_SNP) {
		log_err(a->svsm ? "--svsm" : a->ovmf_hash_only ? "--ovmf-hash-only" :
			"--ovmf-hash", "needs --coco snp");
		return -EINVAL;
	}
	if (a->ovmf_hash_only && a->have_ovmf_hash) {
		log_err("--ovmf-hash-only", "does not combine with --ovmf-hash");
		return -EINVAL;
	}
	if (a->svsm && (a->have_ovmf_hash || a->ovmf_hash_only)) {
		log_err("--svsm", "does not combine with --ovmf-hash or --ovmf-hash-only");
		return -EINVAL;
	}
	if (!!a->svsm != a->have_vars_size) {
		log_err(a->svsm ? "--svsm" : "--vars-size", "--svsm PATH and --vars-size N go "
			"together");
		return -EINVAL;
	}
	if (a->id_block && t != COCO_SNP) {
		log_err("--id-block", "binds an SNP measurement: use --coco snp or --measurement");
		return -EINVAL;
	}
	return 0;
}

/* Checked once the plan is built, so firmware errors are reported first. */
static int check_sig(const struct measure_args *a)
{
	enum coco_type t = a->cfg.coco.type;

	if ((t == COCO_SEV_ES || t == COCO_SNP) && !a->ovmf_hash_only && !a->have_sig &&
	    (a->vmm == PLAN_VMM_CVMM || a->vmm == PLAN_VMM_QEMU)) {
		log_usage_begin("measure");
		log_err("--cpu", "the vCPU signature is RDX in every VMSA: give --cpu "
			"model=NAME (host: this host's, what cvmm boot uses by default) or "
			"sig=0xHEX");
		return -EINVAL;
	}
	return 0;
}

struct inputs {
	/*
	 * Mapped, and left mapped: cvmm measure exits once it has printed, and
	 * the exit tears the address space down whole, where munmap() of a
	 * live one zaps and flushes page by page (~0.15 ms for a 2 MiB
	 * firmware under nested KVM, 4 % of the command).
	 */
	const uint8_t *fw, *kernel, *initrd;
	uint8_t *svsm;
	size_t fw_len, kernel_len, initrd_len, svsm_len;
};

static int load_inputs(const struct measure_args *a, struct plan_params *pp, struct inputs *in)
{
	const struct vm_config *cfg = &a->cfg;
	int ret;

	ret = map_file("firmware", cfg->firmware, PLAN_FW_MAX, &in->fw, &in->fw_len);
	if (!ret && cfg->kernel)
		ret = map_file("kernel", cfg->kernel, MEASURE_MAX_IMAGE, &in->kernel,
			       &in->kernel_len);
	if (!ret && cfg->initramfs)
		ret = map_file("initramfs", cfg->initramfs, MEASURE_MAX_IMAGE, &in->initrd,
			       &in->initrd_len);
	if (!ret && a->svsm)
		ret = measure_read_file("SVSM image", a->svsm, PLAN_FW_MAX, 0, &in->svsm,
					&in->svsm_len);
	if (ret)
		return ret;
	pp->coco = &cfg->coco;
	pp->vmm = a->vmm;
	pp->fw = in->fw;
	pp->fw_len = in->fw_len;
	pp->borrow_fw = true;
	pp->kernel = in->kernel;
	pp->kernel_len = in->kernel_len;
	/* as boot: an initrd and command line are measured with a kernel only */
	pp->initrd = in->kernel ? in->initrd : NULL;
	pp->initrd_len = in->kernel ? in->initrd_len : 0;
	pp->cmdline = in->kernel ? cfg->cmdline : NULL;
	pp->nr_vcpus = cfg->cpu.count;
	pp->vcpu_sig = a->sig;
	pp->guest_features = cfg->coco.sev_features;
	pp->svsm = in->svsm;
	pp->svsm_len = in->svsm_len;
	pp->vars_size = a->vars_size;
	pp->mem_size = cfg->mem.size;
	return 0;
}

static int output(const struct measure_args *a, const struct launch_plan *plan,
		  const struct inputs *in, const struct plan_digest *dg)
{
	struct launch_report r = {
		.cfg = &a->cfg, .plan = plan, .vmm = a->vmm,
		.vcpu_sig = a->have_sig ? a->sig : 0,	/* 0: not given (not measured) */
		.firmware_only = a->ovmf_hash_only, .kernel = in->kernel,
		.kernel_len = in->kernel_len, .initrd = in->kernel ? in->initrd : NULL,
		.initrd_len = in->initrd_len,
		.cmdline = a->cfg.cmdline, .digest = dg->d, .digest_len = dg->len,
	};
	json_t *json;
	int ret = 0;

	if (log_level >= LOG_INFO)
		launch_report_text(stderr, &r);
	if (!a->json) {
		if (a->id_block)
			return measure_id_block(a, dg->d, NULL);
		measure_print_digest(a, dg->d, dg->len);
		return 0;
	}
	json = launch_report_json(&r);
	if (!json)
		return log_errno("measure", -ENOMEM);
	if (a->id_block)
		ret = measure_id_block(a, dg->d, json);
	if (!ret && (json_dumpf(json, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF))
		ret = -EIO;
	json_decref(json);
	return ret;
}

/* --id-block --measurement HEX: no machine to measure. */
static int id_block_only(const struct measure_args *a)
{
	json_t *json = a->json ? json_pack("{s:s}", "platform", "snp") : NULL;
	int ret;

	if (a->json && !json)
		return log_errno("measure", -ENOMEM);
	ret = measure_id_block(a, a->measurement, json);
	if (!ret && json && (json_dumpf(json, stdout, JSON_INDENT(2)) ||
			     fputc('\n', stdout) == EOF))
		ret = -EIO;
	json_decref(json);
	return ret;
}

static int measure(struct measure_args *a, bool *usage)
{
	struct plan_measure_opts mo = { .tdx_order = a->tdx_order };
	struct launch_plan *plan = NULL;
	struct plan_params pp = { 0 };
	struct inputs in = { 0 };
	struct plan_digest dg;
	struct err_msg err = { "" };
	int ret;

	if (a->id_block && a->have_measurement)
		return id_block_only(a);
	if (a->cfg.igvm)
		return measure_igvm(a);
	ret = load_inputs(a, &pp, &in);
	if (ret)
		goto out;
	ret = plan_build(&pp, &plan, &err);
	if (ret) {
		log_err(a->cfg.firmware, "%s", err.msg[0] ? err.msg : strerror(-ret));
		goto out;
	}
	ret = check_sig(a);
	if (ret) {
		*usage = true;
		goto out;
	}
	if (a->print_plan)
		plan_print(plan, stderr);
	mo.snp_seed = a->have_ovmf_hash ? a->ovmf_hash : NULL;
	mo.firmware_only = a->ovmf_hash_only;
	ret = plan_measure(plan, &mo, &dg);
	if (ret)
		log_errno("measure", ret);
	else
		ret = output(a, plan, &in, &dg);
out:
	plan_free(plan);
	free(in.svsm);
	return ret;
}

/*
 * Before OpenSSL's first use: a one-shot digest needs no exit-time cleanup,
 * config file, error strings or legacy name tables (docs/startup.md); an
 * ID block loads keys and keeps the full initialisation.
 */
static void crypto_init(const struct measure_args *a)
{
	uint64_t opts = OPENSSL_INIT_NO_ATEXIT;

	if (!a->id_block)
		opts |= OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS |
			OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS;
	OPENSSL_init_crypto(opts, NULL);
}

int cmd_measure(int argc, char **argv)
{
	struct measure_args a;
	struct args_parser p = {
		.cmd = "measure", .groups = measure_groups, .option = measure_option, .ctx = &a,
	};
	bool usage_error = false;
	int ret;

	memset(&a, 0, sizeof(a));
	config_init(&a.cfg);
	a.family = a.model = a.stepping = -1;
	a.vmm = PLAN_VMM_CVMM;
	a.tdx_order = TDX_ORDER_PER_PAGE;

	ret = args_parse(&p, argc, argv);
	if (ret == ARGS_HELP) {
		log_usage_end();
		usage(stdout);
		config_free(&a.cfg);
		return 0;
	}
	if (!ret)
		ret = check_args(&a);
	if (!ret && !(a.id_block && a.have_measurement))
		ret = config_finish(&a.cfg);
	if (!ret)
		ret = resolve_sig(&a);
	if (!ret)
		ret = resolve_features(&a);
	usage_error = ret != 0;
	log_usage_end();
	if (!ret && !args_only()) {
		crypto_init(&a);
		ret = measure(&a, &usage_error);
	}
	log_usage_end();
	if (!ret && fflush(stdout)) {
		log_err("measure", "cannot write the result");
		ret = -EIO;
	}
	config_free(&a.cfg);
	return !ret ? 0 : usage_error ? ARGS_EXIT_USAGE : 1;
}
