// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm verify: SEV-SNP attestation reports and TDX quotes against a policy.
 *
 *   cvmm verify snp REPORT [--certs DIR | --vcek FILE] [--ca FILE]
 *                   [--auxblob FILE] [--crl FILE]... [--policy FILE] [--at TIME]
 *   cvmm verify tdx QUOTE [--tcb-info FILE --qe-identity FILE --tcb-chain FILE
 *                   | --no-collateral] [--crl FILE]... [--ca FILE]
 *                   [--policy FILE] [--at TIME]
 *   cvmm verify tdx-eventlog CCEL_TABLE CCEL_DATA --quote QUOTE [tdx options]
 *
 * REPORT, QUOTE or --quote may be "-": the evidence is read from stdin.
 *
 * JSON with every decoded claim and a "verdict" goes to stdout.  Exit 0:
 * verified and the policy holds; 1: evidence or policy rejected; 2: usage
 * or I/O error (one "cvmm: <what>: <why>" line on stderr, nothing on
 * stdout).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/snp/verify.h"
#include "attest/tdx/ccel.h"
#include "attest/tdx/verify.h"
#include "attest/verdict.h"
#include "cli/cli.h"
#include "cli/verify_internal.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/num.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cvmm verify snp REPORT [--certs DIR | --vcek FILE] [--ca FILE]\n"
		"                   [--auxblob FILE] [--crl FILE]... [--policy FILE] [--at TIME]\n"
		"       cvmm verify tdx QUOTE [--tcb-info FILE --qe-identity FILE --tcb-chain FILE\n"
		"                   | --no-collateral] [--crl FILE]... [--ca FILE]\n"
		"                   [--policy FILE] [--at TIME]\n"
		"       cvmm verify tdx-eventlog CCEL_TABLE CCEL_DATA --quote QUOTE [tdx options]\n"
		"\n"
		"Verify an SEV-SNP attestation report or a TDX quote and appraise it\n"
		"against a policy; print every decoded claim, every check (passed,\n"
		"failed or skipped) and the verdict as JSON.  REPORT, QUOTE or --quote\n"
		"may be - to read the evidence from stdin.\n"
		"\n"
		"SEV-SNP:\n"
		"  REPORT            binary attestation report (v2 to v5, 1184 bytes)\n"
		"  --certs DIR       certificates named vcek, vlek, ask, asvk, ark or\n"
		"                    cert_chain (optionally .pem/.der/.crt/.cer), crl(.pem/.der)\n"
		"  --vcek FILE       the VCEK or VLEK certificate (PEM or DER)\n"
		"  --auxblob FILE    extended-report certificate table (configfs-tsm auxblob)\n"
		"  --ca FILE         trust these roots instead of the built-in AMD Milan,\n"
		"                    Genoa and Turin ARKs (KDS cert_chain: ASK/ASVK then ARK)\n"
		"TDX:\n"
		"  QUOTE             binary quote (v4 or v5)\n"
		"  --tcb-info FILE   PCS TCB info response ({\"tcbInfo\":...,\"signature\":...})\n"
		"  --qe-identity FILE  PCS QE identity response (required with --tcb-info)\n"
		"  --tcb-chain FILE  the TCB-Info-Issuer-Chain (Intel SGX TCB Signing + root)\n"
		"  --no-collateral   accept a quote without TCB info and QE identity: the\n"
		"                    TCB status stays unknown (a warning says so)\n"
		"  --ca FILE         trust this root instead of the built-in Intel SGX Root CA\n"
		"  --quote FILE      (tdx-eventlog) the quote whose RTMRs the log must replay to\n"
		"Both:\n"
		"  --crl FILE        a CRL (PEM or DER); may be repeated\n"
		"  --policy FILE     appraisal policy (JSON, see docs/verify.md); by default\n"
		"                    debug guests are rejected, SEV-SNP needs VMPL 0 and no\n"
		"                    migration agent, TDX needs collateral saying UpToDate\n"
		"  --at TIME         verify at this RFC 3339 time (default: now)\n"
		"\n"
		"Exit status: 0 verified and policy holds, 1 rejected, 2 usage or I/O error.\n");
}

/* Options taking one value, and where it goes. */
static const struct {
	const char *name;
	size_t off;
} value_options[] = {
	{ "--certs", offsetof(struct args, certs_dir) },
	{ "--vcek", offsetof(struct args, vcek) },
	{ "--ca", offsetof(struct args, ca) },
	{ "--auxblob", offsetof(struct args, auxblob) },
	{ "--policy", offsetof(struct args, policy) },
	{ "--at", offsetof(struct args, at) },
	{ "--tcb-info", offsetof(struct args, tcb_info) },
	{ "--qe-identity", offsetof(struct args, qe_identity) },
	{ "--tcb-chain", offsetof(struct args, tcb_chain) },
	{ "--quote", offsetof(struct args, quote) },
	{ "--crl", 0 },
	{ "--repeat", 0 },	/* benchmark only: verify N times with the chain cached */
};

/* Record option @name = @val (@name is one of value_options). */
static int set_option(struct args *a, const char *name, size_t off, const char *val)
{
	const char **slot = (const char **)((char *)a + off);

	if (!strcmp(name, "--crl")) {
		if (a->ncrl >= MAX_CRLS) {
			log_err("--crl", "at most %d CRLs", MAX_CRLS);
			return -EINVAL;
		}
		a->crl[a->ncrl++] = val;
	} else if (!strcmp(name, "--repeat")) {
		if (num_parse_u64(val, &a->repeat) || !a->repeat || a->repeat > MAX_REPEAT) {
			log_err("--repeat", "expected a count from 1 to %llu",
				(unsigned long long)MAX_REPEAT);
			return -EINVAL;
		}
	} else if (*slot) {
		log_err(name, "given twice");
		return -EINVAL;
	} else {
		*slot = val;
	}
	return 0;
}

/* A positional argument: REPORT, QUOTE, CCEL_TABLE, CCEL_DATA ("-" is stdin). */
static int add_positional(struct args *a, const char *arg)
{
	if (!strcmp(arg, "--")) {
		log_err("verify", "unexpected '--'");
		return -EINVAL;
	}
	if (arg[0] == '-' && arg[1]) {
		log_err(arg, "unknown option (try 'cvmm verify --help')");
		return -EINVAL;
	}
	if (a->npos >= 2) {
		log_err(arg, "unexpected argument");
		return -EINVAL;
	}
	a->pos[a->npos++] = arg;
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	int i, ret;

	memset(a, 0, sizeof(*a));
	a->repeat = 1;
	for (i = 2; i < argc; i++) {
		const char *arg = argv[i], *val = NULL, *eq = strchr(arg, '=');
		size_t k, n = eq ? (size_t)(eq - arg) : strlen(arg);

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
			return 1;
		if (!strcmp(arg, "--no-collateral")) {
			a->no_collateral = true;
			continue;
		}
		if (strncmp(arg, "--", 2) || !arg[2]) {
			ret = add_positional(a, arg);
			if (ret)
				return ret;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(value_options); k++)
			if (strlen(value_options[k].name) == n &&
			    !strncmp(arg, value_options[k].name, n))
				break;
		if (k == ARRAY_SIZE(value_options)) {
			log_err(arg, "unknown option (try 'cvmm verify --help')");
			return -EINVAL;
		}
		val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!val) {
			log_err(value_options[k].name, "needs a value");
			return -EINVAL;
		}
		ret = set_option(a, value_options[k].name, value_options[k].off, val);
		if (ret)
			return ret;
	}
	return 0;
}

static int print_result(json_t *out, const struct verdict *v)
{
	json_object_set_new(out, "verdict", verdict_json(v));
	if (json_dumpf(out, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF ||
	    fflush(stdout)) {
		log_err("verify", "cannot write the result");
		return EXIT_USAGE;
	}
	return verdict_ok(v) ? EXIT_OK : EXIT_REJECTED;
}

/* One verification: fills @out and @v; a negative errno after logging it. */
typedef int (*pass_fn)(void *ctx, json_t *out, struct verdict *v);

/*
 * Run @pass a->repeat times (the benchmark's --repeat; once otherwise),
 * each time from a copy of @loaded, the failures found while loading the
 * inputs, and print the last result.  Returns the exit status.
 */
static int run_passes(const struct args *a, const struct verdict *loaded, pass_fn pass,
		      void *ctx)
{
	json_t *out = NULL;
	int rc = EXIT_USAGE, ret = 0;
	uint64_t i;

	for (i = 0; i < a->repeat && !ret; i++) {
		struct verdict iv;

		json_decref(out);
		out = json_object();
		if (!out || verdict_copy(&iv, loaded)) {
			log_errno("verify", -ENOMEM);
			break;
		}
		ret = pass(ctx, out, &iv);
		if (!ret && i + 1 == a->repeat)
			rc = print_result(out, &iv);
		verdict_free(&iv);
	}
	json_decref(out);
	return rc;
}

struct snp_pass {
	const uint8_t *report;
	size_t len;
	const struct snp_trust *trust;
	struct snp_verify_opts o;
};

static int snp_pass(void *ctx, json_t *out, struct verdict *v)
{
	struct snp_pass *p = ctx;
	int ret = snp_report_verify(p->report, p->len, p->trust, &p->o, out, v);

	return ret ? log_errno("verify", ret) : 0;
}

/* Usage errors of `verify snp` found before anything is read. */
static int check_snp_args(const struct args *a)
{
	if (a->npos != 1) {
		log_err("verify snp", "expected one REPORT file (try 'cvmm verify --help')");
		return -EINVAL;
	}
	if (a->certs_dir && a->vcek) {
		log_err("verify snp", "--certs and --vcek are exclusive");
		return -EINVAL;
	}
	if (a->tcb_info || a->qe_identity || a->tcb_chain || a->quote) {
		log_err("verify snp", "TDX options given to an SEV-SNP verification");
		return -EINVAL;
	}
	return 0;
}

static int verify_snp(const struct args *a)
{
	struct snp_pass pass = { 0 };
	struct snp_trust trust;
	struct chain_cache cache = { 0 };
	struct common c;
	struct verdict v;
	STACK_OF(X509) *certs = NULL;
	uint8_t *report = NULL;
	size_t len;
	int ret, rc = EXIT_USAGE;

	verdict_init(&v);
	memset(&trust, 0, sizeof(trust));
	if (check_snp_args(a))
		goto out_v;
	if (verify_load_common(a, &c, &v))
		goto out_c;
	if (a->no_collateral) {
		log_err("verify snp", "--no-collateral is a TDX option");
		goto out_c;
	}
	if (verify_read_file(a->pos[0], MAX_EVIDENCE, &report, &len))
		goto out_c;
	certs = sk_X509_new_null();
	if (!certs) {
		log_errno("verify", -ENOMEM);
		goto out_c;
	}
	if (verify_load_snp_certs(a, certs, c.crls, &v))
		goto out_c;
	ret = snp_trust_init(&trust, c.ca);
	if (ret) {
		verify_trust_error(a, ret);
		goto out_c;
	}
	pass = (struct snp_pass){
		.report = report, .len = len, .trust = &trust,
		.o = { .certs = certs, .crls = c.crls, .at = c.at, .cache = &cache,
		       .policy = c.have_policy ? &c.policy : NULL },
	};
	rc = run_passes(a, &v, snp_pass, &pass);
out_c:
	chain_cache_free(&cache);
	snp_trust_free(&trust);
	sk_X509_pop_free(certs, X509_free);
	free(report);
	verify_common_free(&c);
out_v:
	verdict_free(&v);
	return rc;
}

/* The CCEL table and log against the quote's RTMRs (@q NULL: it did not decode). */
static int check_eventlog(const struct args *a, const struct tdx_quote *q,
			  json_t *out, struct verdict *v)
{
	uint8_t *tbuf = NULL, *lbuf = NULL;
	size_t tlen, llen;
	json_t *cj = json_object();
	int ret;

	json_object_set_new(out, "ccel", cj);
	ret = verify_read_file(a->pos[0], MAX_EVIDENCE, &tbuf, &tlen);
	if (!ret)
		ret = verify_read_file(a->pos[1], MAX_LOG, &lbuf, &llen);
	if (!ret)
		ret = ccel_verify(tbuf, tlen, lbuf, llen, q ? q->body.rtmr : NULL, a->pos[0],
				  a->pos[1], cj, v);
	if (ret == -ENOMEM)
		log_errno("verify", ret);
	free(tbuf);
	free(lbuf);
	return ret;
}

struct tdx_pass {
	const struct args *a;
	const uint8_t *quote;
	size_t len;
	struct tdx_inputs *in;
	bool eventlog;
};

static int tdx_pass(void *ctx, json_t *out, struct verdict *v)
{
	struct tdx_pass *p = ctx;
	struct tdx_quote q;
	int ret;

	memset(&q, 0, sizeof(q));
	ret = tdx_quote_verify(p->quote, p->len, &p->in->trust, &p->in->o, out, v, &q);
	if (ret)
		return log_errno("verify", ret);
	if (p->eventlog)
		return check_eventlog(p->a, q.version ? &q : NULL, out, v);
	return 0;
}

static int verify_tdx(const struct args *a, bool eventlog)
{
	struct chain_cache cache = { 0 };
	struct tdx_inputs in;
	struct tdx_pass pass = { .a = a, .in = &in, .eventlog = eventlog };
	struct common c;
	struct verdict v;
	uint8_t *quote = NULL;
	const char *quote_path;
	int rc = EXIT_USAGE;

	verdict_init(&v);
	memset(&in, 0, sizeof(in));
	if (eventlog) {
		if (a->npos != 2 || !a->quote) {
			log_err("verify tdx-eventlog",
				"expected CCEL_TABLE CCEL_DATA --quote QUOTE (try 'cvmm verify --help')");
			goto out_v;
		}
		quote_path = a->quote;
	} else {
		if (a->npos != 1 || a->quote) {
			log_err("verify tdx", "expected one QUOTE file (try 'cvmm verify --help')");
			goto out_v;
		}
		quote_path = a->pos[0];
	}
	if (verify_load_common(a, &c, &v))
		goto out_c;
	if (verify_load_tdx(a, &c, &in, &v))
		goto out_c;
	if (verify_read_file(quote_path, MAX_EVIDENCE, &quote, &pass.len))
		goto out_c;
	in.o.cache = &cache;
	pass.quote = quote;
	rc = run_passes(a, &v, tdx_pass, &pass);
out_c:
	chain_cache_free(&cache);
	verify_tdx_inputs_free(&in);
	free(quote);
	verify_common_free(&c);
out_v:
	verdict_free(&v);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct args a;
	int ret;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	ret = parse_args(argc, argv, &a);
	if (ret > 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (ret)
		return EXIT_USAGE;
	if (!strcmp(argv[1], "snp"))
		return verify_snp(&a);
	if (!strcmp(argv[1], "tdx"))
		return verify_tdx(&a, false);
	if (!strcmp(argv[1], "tdx-eventlog"))
		return verify_tdx(&a, true);
	log_err(argv[1], "unknown verification (snp, tdx or tdx-eventlog)");
	return EXIT_USAGE;
}
