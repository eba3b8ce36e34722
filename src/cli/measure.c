// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm measure: the launch digest a confidential launch of the given machine
 * will produce, computed from the same launch plan `cvmm boot` executes.
 * Needs no KVM.  Prints one lowercase hex line on stdout.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "cli/cli.h"
#include "machine/config.h"
#include "coco/plan/plan.h"
#include "measure/id_block.h"
#include "measure/vcpu_types.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define MAX_IMAGE	(1ULL << 30)	/* kernel, initrd */
#define MAX_SMALL	(1ULL << 20)	/* keys, ID block files */

/* Grouped: parse_measure_option() dispatches on the ranges. */
enum {
	OPT_HELP = 0x200,
	/* vCPU signature and features */
	OPT_VCPU_TYPE,
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
	/* SNP ID block */
	OPT_ID_BLOCK,
	OPT_ID_KEY,
	OPT_AUTHOR_KEY,
	OPT_FAMILY_ID,
	OPT_IMAGE_ID,
	OPT_GUEST_SVN,
	OPT_MEASUREMENT,
	OPT_ID_BLOCK_OUT,
	OPT_ID_AUTH_OUT,
};

static const struct option measure_options[] = {
	{ "help", no_argument, NULL, OPT_HELP },
	{ "vcpu-type", required_argument, NULL, OPT_VCPU_TYPE },
	{ "vcpu-sig", required_argument, NULL, OPT_VCPU_SIG },
	{ "vcpu-family", required_argument, NULL, OPT_VCPU_FAMILY },
	{ "vcpu-model", required_argument, NULL, OPT_VCPU_MODEL },
	{ "vcpu-stepping", required_argument, NULL, OPT_VCPU_STEPPING },
	{ "guest-features", required_argument, NULL, OPT_GUEST_FEATURES },
	{ "vmm", required_argument, NULL, OPT_VMM },
	{ "ovmf-hash-only", no_argument, NULL, OPT_OVMF_HASH_ONLY },
	{ "ovmf-hash", required_argument, NULL, OPT_OVMF_HASH },
	{ "svsm", required_argument, NULL, OPT_SVSM },
	{ "vars-size", required_argument, NULL, OPT_VARS_SIZE },
	{ "tdx-order", required_argument, NULL, OPT_TDX_ORDER },
	{ "print-plan", no_argument, NULL, OPT_PRINT_PLAN },
	{ "id-block", no_argument, NULL, OPT_ID_BLOCK },
	{ "id-key", required_argument, NULL, OPT_ID_KEY },
	{ "author-key", required_argument, NULL, OPT_AUTHOR_KEY },
	{ "family-id", required_argument, NULL, OPT_FAMILY_ID },
	{ "image-id", required_argument, NULL, OPT_IMAGE_ID },
	{ "guest-svn", required_argument, NULL, OPT_GUEST_SVN },
	{ "measurement", required_argument, NULL, OPT_MEASUREMENT },
	{ "id-block-out", required_argument, NULL, OPT_ID_BLOCK_OUT },
	{ "id-auth-out", required_argument, NULL, OPT_ID_AUTH_OUT },
};

struct measure_args {
	struct vm_config cfg;
	const char *vcpu_type;
	bool have_sig;
	uint32_t vcpu_sig;
	int64_t family, model, stepping;
	uint64_t guest_features;
	enum plan_vmm vmm;
	bool ovmf_hash_only;
	bool have_ovmf_hash;
	uint8_t ovmf_hash[48];
	const char *svsm;
	bool have_vars_size;
	uint64_t vars_size;
	enum tdx_page_order tdx_order;
	bool print_plan;
	bool id_block;
	const char *id_key, *author_key;
	uint8_t family_id[16], image_id[16];
	uint64_t guest_svn;
	bool have_measurement;
	uint8_t measurement[48];
	const char *id_block_out, *id_auth_out;
};

static void usage(FILE *f)
{
	fputs("usage: cvmm measure --coco SPEC --firmware PATH [machine options] [options]\n"
	      "\n"
	      "Print the launch measurement (one lowercase hex line) of a confidential\n"
	      "launch of the described machine: SEV/SEV-ES launch digest (SHA-256),\n"
	      "SEV-SNP MEASUREMENT or TDX MRTD (SHA-384).  Files are hashed as they are.\n"
	      "\nmachine options (as for cvmm boot):\n", f);
	config_print_help(f);
	fputs("\nmeasurement options:\n"
	      "      --vcpu-type NAME    QEMU CPU model (EPYC-v4, EPYC-Milan, ...): its CPUID\n"
	      "                          signature is RDX at reset, part of every VMSA\n"
	      "      --vcpu-sig HEX      the signature directly (CPUID 1 EAX)\n"
	      "      --vcpu-family N --vcpu-model N --vcpu-stepping N\n"
	      "                          the signature from its parts\n"
	      "      --guest-features HEX\n"
	      "                          SNP VMSA SEV_FEATURES (default 0x1; Linux >= 6.6 hosts 0x21)\n"
	      "      --vmm cvmm|qemu|ec2|gce\n"
	      "                          whose launch to model (default cvmm, identical to qemu)\n"
	      "      --ovmf-hash-only    SNP: print only the digest of the firmware pages\n"
	      "      --ovmf-hash HEX     SNP: start from this precomputed firmware digest\n"
	      "      --svsm PATH --vars-size N\n"
	      "                          SNP: a Coconut SVSM below the firmware and its vars\n"
	      "      --tdx-order per-page|two-pass\n"
	      "                          TDX: PAGE.ADD/MR.EXTEND order (default per-page, as KVM)\n"
	      "      --print-plan        print the launch plan on stderr\n"
	      "\nSNP ID block (prints id-block=B64,id-auth=B64, id_key_hash and author_key):\n"
	      "      --id-block --id-key PEM --author-key PEM [--family-id HEX16] [--image-id HEX16]\n"
	      "                 [--guest-svn N] [--measurement HEX48] [--id-block-out FILE]\n"
	      "                 [--id-auth-out FILE]\n"
	      "                          sign the measurement (default: the one computed for the\n"
	      "                          machine) and --coco snp policy with P-384 keys\n"
	      "  -h, --help              this help\n", f);
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

static int parse_hex_bytes(const char *flag, const char *arg, uint8_t *out, size_t len)
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
		return 0;
	case OPT_VCPU_SIG:
		ret = parse_hex_num("--vcpu-sig", arg, &v);
		if (!ret && v > 0xffffffffULL) {
			log_err("--vcpu-sig", "0x%llx does not fit 32 bits", (unsigned long long)v);
			ret = -EINVAL;
		}
		a->vcpu_sig = (uint32_t)v;
		a->have_sig = true;
		return ret;
	case OPT_GUEST_FEATURES:
		return parse_hex_num("--guest-features", arg, &a->guest_features);
	}
	/* OPT_VCPU_FAMILY, OPT_VCPU_MODEL, OPT_VCPU_STEPPING */
	ret = parse_u64("--vcpu-family/model/stepping", arg, &v);
	if (!ret && v > 0xff) {
		log_err("--vcpu-family/model/stepping", "%s is too large", arg);
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
		return parse_hex_bytes("--ovmf-hash", arg, a->ovmf_hash, 48);
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

/* The SNP ID block options (--id-block ... --id-auth-out). */
static int parse_id_block_option(struct measure_args *a, int c, const char *arg)
{
	int ret;

	switch (c) {
	case OPT_ID_BLOCK:
		a->id_block = true;
		return 0;
	case OPT_ID_KEY:
		a->id_key = arg;
		return 0;
	case OPT_AUTHOR_KEY:
		a->author_key = arg;
		return 0;
	case OPT_FAMILY_ID:
		return parse_hex_bytes("--family-id", arg, a->family_id, 16);
	case OPT_IMAGE_ID:
		return parse_hex_bytes("--image-id", arg, a->image_id, 16);
	case OPT_GUEST_SVN:
		ret = parse_u64("--guest-svn", arg, &a->guest_svn);
		if (!ret && a->guest_svn > 0xffffffffULL) {
			log_err("--guest-svn", "%s does not fit 32 bits", arg);
			ret = -EINVAL;
		}
		return ret;
	case OPT_MEASUREMENT:
		a->have_measurement = true;
		return parse_hex_bytes("--measurement", arg, a->measurement, 48);
	case OPT_ID_BLOCK_OUT:
		a->id_block_out = arg;
		return 0;
	}
	/* OPT_ID_AUTH_OUT */
	a->id_auth_out = arg;
	return 0;
}

/* An option of measure_options[] (the enum keeps each group contiguous). */
static int parse_measure_option(struct measure_args *a, int c, const char *arg)
{
	if (c >= OPT_VCPU_TYPE && c <= OPT_GUEST_FEATURES)
		return parse_vcpu_option(a, c, arg);
	if (c >= OPT_VMM && c <= OPT_PRINT_PLAN)
		return parse_launch_option(a, c, arg);
	if (c >= OPT_ID_BLOCK && c <= OPT_ID_AUTH_OUT)
		return parse_id_block_option(a, c, arg);
	return -EINVAL;
}

static int parse_args(struct measure_args *a, int argc, char **argv)
{
	size_t nm = sizeof(measure_options) / sizeof(measure_options[0]);
	struct option *opts;
	int c, ret = 0;

	opts = calloc(config_nr_options + nm + 1, sizeof(*opts));
	if (!opts)
		return log_errno("measure", -ENOMEM);
	memcpy(opts, config_options, config_nr_options * sizeof(*opts));
	memcpy(opts + config_nr_options, measure_options, nm * sizeof(*opts));
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, CONFIG_SHORT_OPTS "h", opts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			ret = 1;
			break;
		}
		if (c == '?' || c == ':') {
			log_err("measure", "unknown option or missing value: '%s' (try --help)",
				argv[optind - 1]);
			ret = -EINVAL;
			break;
		}
		ret = config_parse_option(&a->cfg, c, optarg);
		if (ret == 1) {
			ret = 0;
			continue;
		}
		if (ret < 0)
			break;
		ret = parse_measure_option(a, c, optarg);
		if (ret)
			break;
	}
	if (!ret && optind < argc) {
		log_err("measure", "unexpected argument '%s'", argv[optind]);
		ret = -EINVAL;
	}
	free(opts);
	return ret;
}

/* Kernel, initramfs and firmware must be regular files, as for cvmm boot. */
static int read_file(const char *what, const char *path, size_t max, unsigned int flags,
		     uint8_t **data, size_t *len)
{
	struct err_msg e;
	int ret = file_load(path, what, max, flags, data, len, &e);

	if (ret)
		log_err(path, "%s", e.msg);
	return ret;
}

static int resolve_sig(struct measure_args *a)
{
	int parts = (a->family >= 0) + (a->model >= 0) + (a->stepping >= 0);
	int given = !!a->vcpu_type + a->have_sig + !!parts;

	if (given > 1) {
		log_err("measure", "give one of --vcpu-type, --vcpu-sig or "
			"--vcpu-family/--vcpu-model/--vcpu-stepping");
		return -EINVAL;
	}
	if (parts && parts != 3) {
		log_err("measure", "--vcpu-family, --vcpu-model and --vcpu-stepping go together");
		return -EINVAL;
	}
	if (parts) {
		a->vcpu_sig = vcpu_sig_compute((unsigned int)a->family,
					       (unsigned int)a->model,
					       (unsigned int)a->stepping);
		a->have_sig = true;
	}
	if (a->vcpu_type) {
		if (vcpu_sig_lookup(a->vcpu_type, &a->vcpu_sig)) {
			log_err("--vcpu-type", "unknown CPU model '%s' (e.g. EPYC-v4, "
				"EPYC-Milan, EPYC-Genoa)", a->vcpu_type);
			return -EINVAL;
		}
		a->have_sig = true;
	}
	return 0;
}

static void print_hex(const uint8_t *d, size_t len)
{
	char hex[2 * 48 + 1];

	hex_encode(d, len, hex);
	printf("%s\n", hex);
}

static int b64(const uint8_t *d, size_t len, char **out)
{
	*out = malloc(4 * ((len + 2) / 3) + 1);
	if (!*out)
		return -ENOMEM;
	EVP_EncodeBlock((unsigned char *)*out, d, (int)len);
	return 0;
}

static int load_key(const char *flag, const char *path, EVP_PKEY **key)
{
	uint8_t *pem;
	size_t len;
	int ret = read_file("key", path, MAX_SMALL, 0, &pem, &len);

	if (ret)
		return ret;
	ret = snp_key_load_pem(pem, len, key);
	free(pem);
	if (ret)
		log_err(flag, "%s: not a PEM ECDSA P-384 private key", path);
	return ret;
}

static int do_id_block(struct measure_args *a, const uint8_t ld[48])
{
	uint8_t block[SNP_ID_BLOCK_LEN], auth[SNP_ID_AUTH_LEN], dig[48];
	struct snp_id_block ib = { .version = 1 };
	EVP_PKEY *id_key = NULL, *author_key = NULL;
	char *b_block = NULL, *b_auth = NULL, *b_id = NULL, *b_author = NULL;
	int ret;

	if (!a->id_key || !a->author_key) {
		log_err("--id-block", "needs --id-key PEM and --author-key PEM");
		return -EINVAL;
	}
	ret = load_key("--id-key", a->id_key, &id_key);
	if (!ret)
		ret = load_key("--author-key", a->author_key, &author_key);
	if (ret)
		goto out;
	memcpy(ib.ld, ld, 48);
	memcpy(ib.family_id, a->family_id, 16);
	memcpy(ib.image_id, a->image_id, 16);
	ib.guest_svn = (uint32_t)a->guest_svn;
	ib.policy = a->cfg.coco.type == COCO_SNP ? a->cfg.coco.policy : 0x30000;
	snp_id_block_encode(&ib, block);
	ret = snp_id_auth_build(id_key, author_key, block, auth);
	if (ret) {
		log_err("--id-block", "signing failed");
		goto out;
	}
	if (a->id_block_out) {
		ret = file_write_atomic(a->id_block_out, block, sizeof(block));
		if (ret) {
			log_err(a->id_block_out, "cannot write: %s", strerror(-ret));
			goto out;
		}
	}
	if (a->id_auth_out) {
		ret = file_write_atomic(a->id_auth_out, auth, sizeof(auth));
		if (ret) {
			log_err(a->id_auth_out, "cannot write: %s", strerror(-ret));
			goto out;
		}
	}
	ret = b64(block, sizeof(block), &b_block);
	if (!ret)
		ret = b64(auth, sizeof(auth), &b_auth);
	if (!ret && !(ret = snp_key_digest(id_key, dig)))
		ret = b64(dig, sizeof(dig), &b_id);
	if (!ret && !(ret = snp_key_digest(author_key, dig)))
		ret = b64(dig, sizeof(dig), &b_author);
	if (ret) {
		log_errno("--id-block", ret);
		goto out;
	}
	printf("id-block=%s,id-auth=%s\nid_key_hash: %s\nauthor_key: %s\n",
	       b_block, b_auth, b_id, b_author);
out:
	free(b_block);
	free(b_auth);
	free(b_id);
	free(b_author);
	snp_key_free(id_key);
	snp_key_free(author_key);
	return ret;
}

static int check_args(struct measure_args *a)
{
	const struct vm_config *cfg = &a->cfg;
	enum coco_type t = cfg->coco.type;

	if (a->id_block && a->have_measurement)
		return 0;
	if (t == COCO_NONE) {
		log_err("measure", "needs --coco sev,policy=P | snp[,policy=P] | tdx[,attr=A]");
		return -EINVAL;
	}
	if (!cfg->firmware) {
		log_err("measure", "needs --firmware PATH");
		return -EINVAL;
	}
	if (cfg->pvh) {
		log_err("--pvh", "a confidential guest boots through firmware: measured "
			"direct boot takes --kernel");
		return -EINVAL;
	}
	if ((a->ovmf_hash_only || a->have_ovmf_hash || a->svsm) && t != COCO_SNP) {
		log_err("measure", "--ovmf-hash, --ovmf-hash-only and --svsm need --coco snp");
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
		log_err("--svsm", "--svsm PATH and --vars-size N go together");
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
		log_err("measure", "needs --vcpu-type NAME or --vcpu-sig HEX: the vCPU "
			"signature is RDX in every VMSA");
		return -EINVAL;
	}
	return 0;
}

static int measure(struct measure_args *a)
{
	struct vm_config *cfg = &a->cfg;
	uint8_t *fw = NULL, *kernel = NULL, *initrd = NULL, *svsm = NULL;
	size_t fw_len = 0, kernel_len = 0, initrd_len = 0, svsm_len = 0;
	struct plan_measure_opts mo = { .tdx_order = a->tdx_order };
	struct launch_plan *plan = NULL;
	struct plan_params pp = { 0 };
	struct plan_digest dg;
	struct coco_err err = { "" };
	int ret;

	if (a->id_block && a->have_measurement)
		return do_id_block(a, a->measurement);

	ret = read_file("firmware", cfg->firmware, PLAN_FW_MAX, FILE_REGULAR, &fw, &fw_len);
	if (!ret && cfg->kernel)
		ret = read_file("kernel", cfg->kernel, MAX_IMAGE, FILE_REGULAR, &kernel,
				&kernel_len);
	if (!ret && cfg->initramfs)
		ret = read_file("initramfs", cfg->initramfs, MAX_IMAGE, FILE_REGULAR, &initrd,
				&initrd_len);
	if (!ret && a->svsm)
		ret = read_file("SVSM image", a->svsm, PLAN_FW_MAX, 0, &svsm, &svsm_len);
	if (ret)
		goto out;

	pp.coco = &cfg->coco;
	pp.vmm = a->vmm;
	pp.fw = fw;
	pp.fw_len = fw_len;
	pp.give_fw = true;
	fw = NULL;
	pp.kernel = cfg->kernel ? kernel : NULL;
	pp.kernel_len = kernel_len;
	pp.initrd = cfg->initramfs ? initrd : NULL;
	pp.initrd_len = initrd_len;
	pp.cmdline = cfg->cmdline;
	pp.nr_vcpus = cfg->cpu.count;
	pp.vcpu_sig = a->vcpu_sig;
	pp.guest_features = a->guest_features;
	pp.svsm = svsm;
	pp.svsm_len = svsm_len;
	pp.vars_size = a->vars_size;
	pp.mem_size = cfg->mem.size;

	ret = plan_build(&pp, &plan, &err);
	if (ret) {
		log_err("measure", "%s", err.msg[0] ? err.msg : strerror(-ret));
		goto out;
	}
	ret = check_sig(a);
	if (ret)
		goto out;
	if (a->print_plan)
		plan_print(plan, stderr);
	mo.snp_seed = a->have_ovmf_hash ? a->ovmf_hash : NULL;
	mo.firmware_only = a->ovmf_hash_only;
	ret = plan_measure(plan, &mo, &dg);
	if (ret) {
		log_errno("measure", ret);
		goto out;
	}
	if (a->id_block)
		ret = do_id_block(a, dg.d);
	else
		print_hex(dg.d, dg.len);
out:
	plan_free(plan);
	free(fw);
	free(kernel);
	free(initrd);
	free(svsm);
	return ret;
}

int cmd_measure(int argc, char **argv)
{
	struct measure_args a;
	int ret;

	memset(&a, 0, sizeof(a));
	config_init(&a.cfg);
	a.family = a.model = a.stepping = -1;
	a.guest_features = 0x1;
	a.vmm = PLAN_VMM_CVMM;
	a.tdx_order = TDX_ORDER_PER_PAGE;

	ret = parse_args(&a, argc, argv);
	if (ret == 1) {
		usage(stdout);
		ret = 0;
		goto out;
	}
	if (!ret)
		ret = resolve_sig(&a);
	if (!ret && !(a.id_block && a.have_measurement))
		ret = config_finish(&a.cfg);
	if (!ret)
		ret = check_args(&a);
	if (!ret)
		ret = measure(&a);
	if (!ret && fflush(stdout)) {
		log_err("measure", "cannot write the result");
		ret = -EIO;
	}
out:
	config_free(&a.cfg);
	return ret ? 1 : 0;
}
