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
#include "attest/rfc3339.h"
#include "attest/verdict.h"
#include "cli/cli.h"
#include "cli/verify_internal.h"
#include "util/compiler.h"
#include "util/log.h"
#include "util/num.h"
#include "util/suggest.h"

static void usage(FILE *f)
{
	fputs("usage: cvmm verify snp REPORT [--certs DIR | --vcek FILE] [--ca FILE]\n"
	      "                   [--auxblob FILE] [--crl FILE]... [--policy FILE] [--at TIME]\n"
	      "       cvmm verify tdx QUOTE [--tcb-info FILE --qe-identity FILE --tcb-chain FILE\n"
	      "                   | --no-collateral] [--crl FILE]... [--ca FILE]\n"
	      "                   [--policy FILE] [--at TIME]\n"
	      "       cvmm verify tdx-eventlog CCEL_TABLE CCEL_DATA --quote QUOTE [tdx options]\n"
	      "\n"
	      "Verify an SEV-SNP attestation report or a TDX quote and appraise it\n"
	      "against a policy; print every decoded claim, every check (passed,\n"
	      "failed or skipped) and the verdict as JSON.  REPORT (binary, v2 to v5,\n"
	      "1184 bytes), QUOTE (binary, v4 or v5) or --quote may be - to read the\n"
	      "evidence from stdin.\n", f);
	args_print_help(f, verify_groups);
	fputs("\nExit status: 0 verified and policy holds, 1 rejected, 2 usage or I/O error.\n",
	      f);
}

/* Options taking one value, and where it goes (the id is the offset). */
enum { OPT_CRL = 0x200, OPT_REPEAT, OPT_NO_COLLATERAL };

static const struct arg_opt snp_opts[] = {
	{ "certs", 0, ARG_REQUIRED, offsetof(struct args, certs_dir), "DIR",
	  "certificates named vcek, vlek, ask, asvk, ark or cert_chain\n"
	  "(optionally .pem/.der/.crt/.cer), crl(.pem/.der)", 0 },
	{ "vcek", 0, ARG_REQUIRED, offsetof(struct args, vcek), "FILE",
	  "the VCEK or VLEK certificate (PEM or DER)", 0 },
	{ "auxblob", 0, ARG_REQUIRED, offsetof(struct args, auxblob), "FILE",
	  "extended-report certificate table (configfs-tsm auxblob)", 0 },
	ARG_END,
};

static const struct arg_opt tdx_opts[] = {
	{ "tcb-info", 0, ARG_REQUIRED, offsetof(struct args, tcb_info), "FILE",
	  "PCS TCB info response ({\"tcbInfo\":...,\"signature\":...})", 0 },
	{ "qe-identity", 0, ARG_REQUIRED, offsetof(struct args, qe_identity), "FILE",
	  "PCS QE identity response (required with --tcb-info)", 0 },
	{ "tcb-chain", 0, ARG_REQUIRED, offsetof(struct args, tcb_chain), "FILE",
	  "the TCB-Info-Issuer-Chain (Intel SGX TCB Signing + root)", 0 },
	{ "no-collateral", 0, ARG_NONE, OPT_NO_COLLATERAL, NULL,
	  "accept a quote without TCB info and QE identity: the TCB status\n"
	  "stays unknown (a warning says so)", 0 },
	{ "quote", 0, ARG_REQUIRED, offsetof(struct args, quote), "FILE",
	  "(tdx-eventlog) the quote whose RTMRs the log must replay to", 0 },
	ARG_END,
};

static const struct arg_opt both_opts[] = {
	{ "ca", 0, ARG_REQUIRED, offsetof(struct args, ca), "FILE",
	  "trust these roots instead of the built-in ones (SNP: AMD Milan,\n"
	  "Genoa and Turin ARKs, a KDS cert_chain; TDX: Intel SGX Root CA)", 0 },
	{ "crl", 0, ARG_REQUIRED, OPT_CRL, "FILE", "a CRL (PEM or DER); may be repeated", 0 },
	{ "policy", 0, ARG_REQUIRED, offsetof(struct args, policy), "FILE",
	  "appraisal policy (JSON, see docs/verify.md); by default debug\n"
	  "guests are rejected, SEV-SNP needs VMPL 0 and no migration agent,\n"
	  "TDX needs collateral saying UpToDate", 0 },
	{ "at", 0, ARG_REQUIRED, offsetof(struct args, at), "TIME",
	  "verify at this RFC 3339 time (default: now)", 0 },
	/* benchmark only: verify N times with the chain cached */
	{ "repeat", 0, ARG_REQUIRED, OPT_REPEAT, "N", "verify N times", ARG_HIDDEN },
	ARG_END,
};

const struct arg_group verify_groups[] = {
	{ "SEV-SNP options", snp_opts },
	{ "TDX options", tdx_opts },
	{ "options of both", both_opts },
	{ "general options", args_help_opt },
	{ NULL, NULL },
};

/* Record one option (a row of verify_groups). */
static int verify_option(void *ctx, const struct arg_opt *o, const char *val)
{
	struct args *a = ctx;
	const char **slot = (const char **)((char *)a + o->id);
	char name[40];
	int64_t t;

	snprintf(name, sizeof(name), "--%s", o->name);
	if (o->id == (int)offsetof(struct args, at) && rfc3339_parse(val, &t)) {
		log_err(name, "'%s' is not an RFC 3339 time such as 2025-06-01T00:00:00Z", val);
		return -EINVAL;
	}
	if (o->id == OPT_NO_COLLATERAL) {
		a->no_collateral = true;
	} else if (o->id == OPT_CRL) {
		if (a->ncrl >= MAX_CRLS) {
			log_err(name, "at most %d CRLs", MAX_CRLS);
			return -EINVAL;
		}
		a->crl[a->ncrl++] = val;
	} else if (o->id == OPT_REPEAT) {
		if (num_parse_u64(val, &a->repeat) || !a->repeat || a->repeat > MAX_REPEAT) {
			log_err(name, "expected a count from 1 to %llu",
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
static int add_positional(void *ctx, const char *arg)
{
	struct args *a = ctx;

	if (a->npos >= 2) {
		log_err(arg, "unexpected argument");
		return -EINVAL;
	}
	a->pos[a->npos++] = arg;
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
		log_err(a->npos ? a->pos[1] : "REPORT", "%s: cvmm verify snp takes one REPORT "
			"file (see 'cvmm help verify')", a->npos ? "unexpected argument" : "missing");
		return -EINVAL;
	}
	if (a->certs_dir && a->vcek) {
		log_err("--vcek", "does not combine with --certs");
		return -EINVAL;
	}
	if (a->tcb_info || a->qe_identity || a->tcb_chain || a->quote || a->no_collateral) {
		log_err(a->tcb_info ? "--tcb-info" : a->qe_identity ? "--qe-identity" :
			a->tcb_chain ? "--tcb-chain" : a->quote ? "--quote" : "--no-collateral",
			"a TDX option given to an SEV-SNP verification");
		return -EINVAL;
	}
	return 0;
}

/* Usage errors of `verify tdx` and `verify tdx-eventlog`. */
static int check_tdx_args(const struct args *a, bool eventlog)
{
	if (a->certs_dir || a->vcek || a->auxblob) {
		log_err(a->certs_dir ? "--certs" : a->vcek ? "--vcek" : "--auxblob",
			"an SEV-SNP option given to a TDX verification");
		return -EINVAL;
	}
	if ((a->tcb_info || a->qe_identity) && !a->tcb_chain) {
		log_err(a->tcb_info ? "--tcb-info" : "--qe-identity",
			"needs --tcb-chain (the TCB-Info-Issuer-Chain)");
		return -EINVAL;
	}
	if (a->no_collateral && (a->tcb_info || a->qe_identity)) {
		log_err("--no-collateral", "does not combine with --tcb-info or --qe-identity");
		return -EINVAL;
	}
	if (eventlog && (a->npos != 2 || !a->quote)) {
		log_err(a->quote ? "CCEL_DATA" : "--quote", "missing: cvmm verify tdx-eventlog "
			"takes CCEL_TABLE CCEL_DATA --quote QUOTE (see 'cvmm help verify')");
		return -EINVAL;
	}
	if (!eventlog && (a->npos != 1 || a->quote)) {
		log_err(a->quote ? "--quote" : a->npos ? a->pos[1] : "QUOTE", "%s: cvmm verify "
			"tdx takes one QUOTE file (see 'cvmm help verify')",
			a->quote ? "for tdx-eventlog" : a->npos ? "unexpected argument" : "missing");
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
	if (verify_load_common(a, &c, &v))
		goto out_c;
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
	quote_path = eventlog ? a->quote : a->pos[0];
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
	verdict_free(&v);
	return rc;
}

static const char *const kinds[] = { "snp", "tdx", "tdx-eventlog" };

/* "cvmm verify: snpp: unknown verification; did you mean snp?" */
static int unknown_kind(const char *kind)
{
	struct suggest sg;
	unsigned int i;

	suggest_init(&sg, kind);
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		suggest_add(&sg, kinds[i]);
	log_usage_begin("verify");
	if (suggest_best(&sg))
		log_err(kind, "unknown verification; did you mean %s?", suggest_best(&sg));
	else
		log_err(kind, "unknown verification (snp, tdx or tdx-eventlog first; see "
			"'cvmm help verify')");
	log_usage_end();
	return EXIT_USAGE;
}

int cmd_verify(int argc, char **argv)
{
	struct args a;
	struct args_parser p = {
		.cmd = "verify", .groups = verify_groups, .option = verify_option,
		.positional = add_positional, .ctx = &a,
	};
	const char *kind = argc > 1 ? argv[1] : "";
	int ret;

	if (!strcmp(kind, "--help") || !strcmp(kind, "-h") || !strcmp(kind, "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(kind, "snp") && strcmp(kind, "tdx") && strcmp(kind, "tdx-eventlog")) {
		if (!*kind || kind[0] == '-') {
			log_usage_begin("verify");
			log_err(*kind ? kind : "snp|tdx|tdx-eventlog", "%s: cvmm verify takes "
				"snp, tdx or tdx-eventlog first (see 'cvmm help verify')",
				*kind ? "unexpected option" : "missing");
			log_usage_end();
			return EXIT_USAGE;
		}
		return unknown_kind(kind);
	}
	memset(&a, 0, sizeof(a));
	a.repeat = 1;
	ret = args_parse(&p, argc - 1, argv + 1);
	if (ret == ARGS_HELP) {
		log_usage_end();
		usage(stdout);
		return EXIT_OK;
	}
	if (!ret)
		ret = !strcmp(kind, "snp") ? check_snp_args(&a) :
		      check_tdx_args(&a, !strcmp(kind, "tdx-eventlog"));
	log_usage_end();
	if (ret)
		return EXIT_USAGE;
	if (args_only())
		return EXIT_OK;
	if (!strcmp(kind, "snp"))
		return verify_snp(&a);
	return verify_tdx(&a, !strcmp(kind, "tdx-eventlog"));
}
