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
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <openssl/x509.h>

#include "attest/bytes.h"
#include "attest/ccel.h"
#include "attest/certs.h"
#include "attest/claims.h"
#include "attest/policy.h"
#include "attest/rfc3339.h"
#include "attest/snp_certs.h"
#include "attest/snp_verify.h"
#include "attest/tdx_verify.h"
#include "attest/verdict.h"
#include "cli/cli.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define MAX_EVIDENCE	(1u << 20)	/* reports, quotes, certificates, collateral */
#define MAX_LOG		(64u << 20)	/* CCEL log areas */
#define MAX_CRLS	8
#define MAX_REPEAT	100000000ULL

enum exit_code { EXIT_OK = 0, EXIT_REJECTED = 1, EXIT_USAGE = 2 };

struct args {
	const char *pos[2];
	int npos;
	const char *certs_dir, *vcek, *ca, *auxblob, *policy, *at;
	const char *tcb_info, *qe_identity, *tcb_chain, *quote;
	const char *crl[MAX_CRLS];
	int ncrl;
	bool no_collateral;
	uint64_t repeat;
};

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

static int parse_args(int argc, char **argv, struct args *a)
{
	int i;

	memset(a, 0, sizeof(*a));
	a->repeat = 1;
	for (i = 2; i < argc; i++) {
		const char *arg = argv[i], *val = NULL, *eq;
		char name[32];
		const char **slot = NULL;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h"))
			return 1;
		if (!strcmp(arg, "--no-collateral")) {
			a->no_collateral = true;
			continue;
		}
		if (strncmp(arg, "--", 2) || !arg[2]) {
			if (!strcmp(arg, "--")) {
				log_err("verify", "unexpected '--'");
				return -EINVAL;
			}
			if (arg[0] == '-' && arg[1]) {	/* "-" alone is stdin */
				log_err(arg, "unknown option (try 'cvmm verify --help')");
				return -EINVAL;
			}
			if (a->npos >= 2) {
				log_err(arg, "unexpected argument");
				return -EINVAL;
			}
			a->pos[a->npos++] = arg;
			continue;
		}
		eq = strchr(arg, '=');
		if (eq) {
			if ((size_t)(eq - arg) >= sizeof(name)) {
				log_err(arg, "unknown option (try 'cvmm verify --help')");
				return -EINVAL;
			}
			memcpy(name, arg, (size_t)(eq - arg));
			name[eq - arg] = 0;
			val = eq + 1;
		} else {
			snprintf(name, sizeof(name), "%s", arg);
		}
		if (!strcmp(name, "--certs"))
			slot = &a->certs_dir;
		else if (!strcmp(name, "--vcek"))
			slot = &a->vcek;
		else if (!strcmp(name, "--ca"))
			slot = &a->ca;
		else if (!strcmp(name, "--auxblob"))
			slot = &a->auxblob;
		else if (!strcmp(name, "--policy"))
			slot = &a->policy;
		else if (!strcmp(name, "--at"))
			slot = &a->at;
		else if (!strcmp(name, "--tcb-info"))
			slot = &a->tcb_info;
		else if (!strcmp(name, "--qe-identity"))
			slot = &a->qe_identity;
		else if (!strcmp(name, "--tcb-chain"))
			slot = &a->tcb_chain;
		else if (!strcmp(name, "--quote"))
			slot = &a->quote;
		else if (strcmp(name, "--crl") && strcmp(name, "--repeat")) {
			log_err(name, "unknown option (try 'cvmm verify --help')");
			return -EINVAL;
		}
		if (!val) {
			if (i + 1 >= argc) {
				log_err(name, "needs a value");
				return -EINVAL;
			}
			val = argv[++i];
		}
		if (!strcmp(name, "--crl")) {
			if (a->ncrl >= MAX_CRLS) {
				log_err("--crl", "at most %d CRLs", MAX_CRLS);
				return -EINVAL;
			}
			a->crl[a->ncrl++] = val;
		} else if (!strcmp(name, "--repeat")) {
			/* benchmark only: verify N times with the chain cached */
			if (num_parse_u64(val, &a->repeat) || !a->repeat ||
			    a->repeat > MAX_REPEAT) {
				log_err("--repeat", "expected a count from 1 to %llu",
					(unsigned long long)MAX_REPEAT);
				return -EINVAL;
			}
		} else {
			if (*slot) {
				log_err(name, "given twice");
				return -EINVAL;
			}
			*slot = val;
		}
	}
	return 0;
}

static int read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
	int ret = file_read(path, max, data, len);

	if (ret == -EFBIG)
		log_err(path, "larger than %zu bytes", max);
	else if (ret)
		log_errno(path, ret);
	return ret;
}

/* The evidence: a file, or stdin for "-". */
static int read_evidence(const char *path, uint8_t **data, size_t *len)
{
	int ret;

	if (strcmp(path, "-"))
		return read_file(path, MAX_EVIDENCE, data, len);
	ret = file_read("/dev/stdin", MAX_EVIDENCE, data, len);
	if (ret == -EFBIG)
		log_err("stdin", "larger than %u bytes", MAX_EVIDENCE);
	else if (ret)
		log_errno("stdin", ret);
	return ret;
}

/* Parse a certificate file into @to; malformed contents are evidence. */
static int load_certs(const char *path, STACK_OF(X509) *to, struct verdict *v)
{
	STACK_OF(X509) *sk;
	uint8_t *data;
	size_t len;
	int ret;

	ret = read_file(path, MAX_EVIDENCE, &data, &len);
	if (ret)
		return ret;
	ret = certs_parse(data, len, &sk);
	free(data);
	if (ret) {
		verdict_fail(v, "snp.certs", "%s: not a PEM or DER certificate", path);
		return 0;
	}
	ret = certs_append(to, sk);
	sk_X509_pop_free(sk, X509_free);
	return ret ? log_errno("verify", ret) : 0;
}

/* Parse a CRL file into @to; malformed contents are evidence. */
static int load_crls(const char *path, STACK_OF(X509_CRL) *to, struct verdict *v)
{
	STACK_OF(X509_CRL) *sk;
	uint8_t *data;
	size_t len;
	int ret;

	ret = read_file(path, MAX_EVIDENCE, &data, &len);
	if (ret)
		return ret;
	ret = crls_parse(data, len, &sk);
	free(data);
	if (ret) {
		verdict_fail(v, "crl.format", "%s: not a PEM or DER CRL", path);
		return 0;
	}
	ret = crls_append(to, sk);
	sk_X509_CRL_pop_free(sk, X509_CRL_free);
	return ret ? log_errno("verify", ret) : 0;
}

/* Shared inputs of both verifiers. */
struct common {
	int64_t at;
	struct policy policy;
	bool have_policy;
	STACK_OF(X509) *ca;
	STACK_OF(X509_CRL) *crls;
};

static void common_free(struct common *c)
{
	if (c->have_policy)
		policy_free(&c->policy);
	sk_X509_pop_free(c->ca, X509_free);
	sk_X509_CRL_pop_free(c->crls, X509_CRL_free);
}

/*
 * --at, --policy, --ca: configuration (usage errors).  --crl: evidence, a
 * malformed CRL is recorded in @v.
 */
static int load_common(const struct args *a, struct common *c, struct verdict *v)
{
	uint8_t *data;
	size_t len;
	int i, ret;

	memset(c, 0, sizeof(*c));
	c->at = (int64_t)time(NULL);
	if (a->at && rfc3339_parse(a->at, &c->at)) {
		log_err("--at", "'%s' is not an RFC 3339 time such as 2025-06-01T00:00:00Z",
			a->at);
		return -EINVAL;
	}
	if (a->policy) {
		char why[256];

		ret = read_file(a->policy, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		ret = policy_parse((const char *)data, len, &c->policy, why, sizeof(why));
		free(data);
		if (ret) {
			log_err(a->policy, "%s", why);
			return ret;
		}
		c->have_policy = true;
	}
	if (a->ca) {
		ret = read_file(a->ca, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		ret = certs_parse(data, len, &c->ca);
		free(data);
		if (ret) {
			log_err(a->ca, "no PEM or DER certificates");
			return -EINVAL;
		}
	}
	c->crls = sk_X509_CRL_new_null();
	if (!c->crls)
		return log_errno("verify", -ENOMEM);
	for (i = 0; i < a->ncrl; i++) {
		ret = load_crls(a->crl[i], c->crls, v);
		if (ret)
			return ret;
	}
	return 0;
}

static bool known_cert_name(const char *name, bool *is_crl)
{
	static const char *const bases[] = {
		"vcek", "vlek", "ask", "asvk", "ark", "cert_chain", "crl",
	};
	static const char *const exts[] = { "", ".pem", ".der", ".crt", ".cer" };
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		size_t n = strlen(bases[i]);

		if (strncmp(name, bases[i], n))
			continue;
		for (j = 0; j < ARRAY_SIZE(exts); j++) {
			if (!strcmp(name + n, exts[j])) {
				*is_crl = !strcmp(bases[i], "crl");
				return true;
			}
		}
	}
	return false;
}

static int load_cert_dir(const char *dir, STACK_OF(X509) *certs,
			 STACK_OF(X509_CRL) *crls, struct verdict *v)
{
	struct dirent *de;
	int ret = 0, found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return log_errno(dir, -errno);
	while ((de = readdir(d)) && !ret) {
		char path[4096];
		bool is_crl;

		if (!known_cert_name(de->d_name, &is_crl))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >=
		    sizeof(path)) {
			ret = log_errno(dir, -ENAMETOOLONG);
			break;
		}
		found++;
		ret = is_crl ? load_crls(path, crls, v) : load_certs(path, certs, v);
	}
	closedir(d);
	if (!ret && !found) {
		log_err(dir, "no certificate files (vcek, vlek, ask, asvk, ark, cert_chain, crl)");
		return -ENOENT;
	}
	return ret;
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

static int verify_snp(const struct args *a)
{
	struct snp_verify_opts o;
	struct snp_trust trust;
	struct chain_cache cache = { 0 };
	struct common c;
	struct verdict v;
	STACK_OF(X509) *certs = NULL;
	uint8_t *report = NULL, *blob;
	json_t *out = NULL;
	size_t len, blen;
	uint64_t i;
	int ret, rc = EXIT_USAGE;

	verdict_init(&v);
	memset(&trust, 0, sizeof(trust));
	if (a->npos != 1) {
		log_err("verify snp", "expected one REPORT file (try 'cvmm verify --help')");
		goto out_v;
	}
	if (a->certs_dir && a->vcek) {
		log_err("verify snp", "--certs and --vcek are exclusive");
		goto out_v;
	}
	if (a->tcb_info || a->qe_identity || a->tcb_chain || a->quote) {
		log_err("verify snp", "TDX options given to an SEV-SNP verification");
		goto out_v;
	}
	if (load_common(a, &c, &v))
		goto out_c;
	if (a->no_collateral) {
		log_err("verify snp", "--no-collateral is a TDX option");
		goto out_c;
	}
	if (read_evidence(a->pos[0], &report, &len))
		goto out_c;
	certs = sk_X509_new_null();
	if (!certs) {
		log_errno("verify", -ENOMEM);
		goto out_c;
	}
	if (a->vcek && load_certs(a->vcek, certs, &v))
		goto out_c;
	if (a->certs_dir && load_cert_dir(a->certs_dir, certs, c.crls, &v))
		goto out_c;
	if (a->auxblob) {
		if (read_file(a->auxblob, MAX_EVIDENCE, &blob, &blen))
			goto out_c;
		ret = snp_cert_table_load(blob, blen, certs, c.crls);
		free(blob);
		if (ret == -ENOMEM) {
			log_errno("verify", ret);
			goto out_c;
		}
		if (ret)
			verdict_fail(&v, "snp.cert_table",
				     "%s: malformed certificate table", a->auxblob);
	}
	ret = snp_trust_init(&trust, c.ca);
	if (ret) {
		if (ret == -EINVAL)
			log_err(a->ca, "no self-signed root certificate");
		else
			log_errno("verify", ret);
		goto out_c;
	}
	memset(&o, 0, sizeof(o));
	o.certs = certs;
	o.crls = c.crls;
	o.at = c.at;
	o.policy = c.have_policy ? &c.policy : NULL;
	o.cache = &cache;
	for (i = 0; i < a->repeat; i++) {
		struct verdict iv;

		json_decref(out);
		out = json_object();
		/* failures found while loading inputs carry into every pass */
		if (verdict_copy(&iv, &v)) {
			log_errno("verify", -ENOMEM);
			goto out_c;
		}
		ret = snp_report_verify(report, len, &trust, &o, out, &iv);
		if (ret || !out) {
			verdict_free(&iv);
			log_errno("verify", ret ? ret : -ENOMEM);
			goto out_c;
		}
		if (i + 1 == a->repeat) {
			rc = print_result(out, &iv);
		}
		verdict_free(&iv);
	}
out_c:
	json_decref(out);
	chain_cache_free(&cache);
	snp_trust_free(&trust);
	sk_X509_pop_free(certs, X509_free);
	free(report);
	common_free(&c);
out_v:
	verdict_free(&v);
	return rc;
}

struct tdx_inputs {
	struct tdx_trust trust;
	struct tdx_verify_opts o;
	STACK_OF(X509) *tcb_chain;
	uint8_t *tcb_info, *qe_identity;
};

static void tdx_inputs_free(struct tdx_inputs *in)
{
	tdx_trust_free(&in->trust);
	sk_X509_pop_free(in->tcb_chain, X509_free);
	free(in->tcb_info);
	free(in->qe_identity);
}

static int load_tdx(const struct args *a, struct common *c, struct tdx_inputs *in,
		    struct verdict *v)
{
	uint8_t *data;
	size_t len;
	int ret;

	memset(in, 0, sizeof(*in));
	if (a->certs_dir || a->vcek || a->auxblob) {
		log_err("verify tdx", "SEV-SNP options given to a TDX verification");
		return -EINVAL;
	}
	if ((a->tcb_info || a->qe_identity) && !a->tcb_chain) {
		log_err("verify tdx",
			"--tcb-info and --qe-identity need --tcb-chain (the TCB-Info-Issuer-Chain)");
		return -EINVAL;
	}
	if (a->no_collateral && (a->tcb_info || a->qe_identity)) {
		log_err("verify tdx", "--no-collateral with --tcb-info or --qe-identity");
		return -EINVAL;
	}
	in->o.no_collateral = a->no_collateral;
	if (a->tcb_info) {
		ret = read_file(a->tcb_info, MAX_EVIDENCE, &in->tcb_info, &len);
		if (ret)
			return ret;
		in->o.tcb_info = (const char *)in->tcb_info;
		in->o.tcb_info_len = len;
	}
	if (a->qe_identity) {
		ret = read_file(a->qe_identity, MAX_EVIDENCE, &in->qe_identity, &len);
		if (ret)
			return ret;
		in->o.qe_identity = (const char *)in->qe_identity;
		in->o.qe_identity_len = len;
	}
	if (a->tcb_chain) {
		ret = read_file(a->tcb_chain, MAX_EVIDENCE, &data, &len);
		if (ret)
			return ret;
		if (certs_parse(data, len, &in->tcb_chain))
			verdict_fail(v, "tdx.tcb_chain", "%s: not PEM or DER certificates",
				     a->tcb_chain);
		free(data);
	}
	ret = tdx_trust_init(&in->trust, c->ca);
	if (ret) {
		if (ret == -EINVAL)
			log_err(a->ca, "no self-signed root certificate");
		else
			log_errno("verify", ret);
		return ret;
	}
	in->o.tcb_chain = in->tcb_chain;
	in->o.crls = c->crls;
	in->o.at = c->at;
	in->o.policy = c->have_policy ? &c->policy : NULL;
	return 0;
}

/* Replay the CCEL log and compare it with the quote's RTMRs. */
static int check_eventlog(const struct args *a, const struct tdx_quote *q,
			  json_t *out, struct verdict *v)
{
	static const char *const checks[4] = {
		"ccel.rtmr0", "ccel.rtmr1", "ccel.rtmr2", "ccel.rtmr3"
	};
	struct ccel_table table;
	struct ccel_log log;
	uint8_t *tbuf = NULL, *lbuf = NULL;
	size_t tlen, llen;
	json_t *cj = json_object(), *cmp;
	char why[256];
	int i, ret;

	json_object_set_new(out, "ccel", cj);
	ret = read_file(a->pos[0], MAX_EVIDENCE, &tbuf, &tlen);
	if (!ret)
		ret = read_file(a->pos[1], MAX_LOG, &lbuf, &llen);
	if (ret)
		goto out;
	if (ccel_table_parse(tbuf, tlen, &table)) {
		verdict_fail(v, "ccel.table", "%s: not a valid ACPI CCEL table", a->pos[0]);
	} else {
		json_object_set_new(cj, "table", ccel_table_claims(&table));
		if (table.cc_type != 2)
			verdict_fail(v, "ccel.table", "CC type %u is not TDX (2)", table.cc_type);
	}
	if (ccel_log_replay(lbuf, llen, &log, why, sizeof(why))) {
		verdict_fail(v, "ccel.log", "%s: %s", a->pos[1], why);
		goto out;
	}
	json_object_set_new(cj, "log", ccel_log_claims(&log));
	if (q) {
		cmp = json_array();
		for (i = 0; i < 4; i++) {
			json_t *r = json_object();
			bool eq = !memcmp(log.rtmr[i], q->body.rtmr[i], 48);

			claims_set_hex(r, "replayed", log.rtmr[i], 48);
			claims_set_hex(r, "quote", q->body.rtmr[i], 48);
			claims_set_bool(r, "match", eq);
			json_array_append_new(cmp, r);
			if (!eq)
				verdict_fail(v, checks[i],
					     "RTMR%d replayed from the event log (%u events) differs from the quote",
					     i, log.extends[i]);
		}
		json_object_set_new(cj, "rtmr_match", cmp);
	} else {
		verdict_fail(v, "ccel.quote", "the quote could not be decoded");
	}
	ccel_log_free(&log);
out:
	free(tbuf);
	free(lbuf);
	return ret;
}

static int verify_tdx(const struct args *a, bool eventlog)
{
	struct chain_cache cache = { 0 };
	struct tdx_inputs in;
	struct common c;
	struct verdict v;
	uint8_t *quote = NULL;
	const char *quote_path;
	json_t *out = NULL;
	size_t len;
	uint64_t i;
	int ret, rc = EXIT_USAGE;

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
	if (load_common(a, &c, &v))
		goto out_c;
	if (load_tdx(a, &c, &in, &v))
		goto out_c;
	if (read_evidence(quote_path, &quote, &len))
		goto out_c;
	in.o.cache = &cache;
	for (i = 0; i < a->repeat; i++) {
		struct tdx_quote q;
		struct verdict iv;
		bool parsed;

		json_decref(out);
		out = json_object();
		if (verdict_copy(&iv, &v)) {
			log_errno("verify", -ENOMEM);
			goto out_c;
		}
		memset(&q, 0, sizeof(q));
		ret = tdx_quote_verify(quote, len, &in.trust, &in.o, out, &iv, &q);
		if (ret || !out) {
			verdict_free(&iv);
			log_errno("verify", ret ? ret : -ENOMEM);
			goto out_c;
		}
		parsed = q.version != 0;
		if (eventlog && check_eventlog(a, parsed ? &q : NULL, out, &iv)) {
			verdict_free(&iv);
			goto out_c;
		}
		if (i + 1 == a->repeat)
			rc = print_result(out, &iv);
		verdict_free(&iv);
	}
out_c:
	json_decref(out);
	chain_cache_free(&cache);
	tdx_inputs_free(&in);
	free(quote);
	common_free(&c);
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
