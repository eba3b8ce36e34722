// SPDX-License-Identifier: GPL-2.0-only
/* `cvmm verify` end to end: runs the built binary ($CVMM_BUILD/cvmm). */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "helpers.h"
#include "util/file.h"

#define D(rel) td_path_dup(rel)

struct result {
	int status;
	char *out, *err;
	json_t *json;
};

/* Data file paths, from a rotating pool (no allocation to leak). */
static const char *td_path_dup(const char *rel)
{
	static char pool[32][512];
	static unsigned next;
	char *p = pool[next++ % 32];

	snprintf(p, 512, "%s", td_path(rel));
	return p;
}

static char *slurp(const char *path)
{
	uint8_t *d;
	size_t len;

	assert_int_equal(file_read(path, 16 << 20, &d, &len), 0);
	return (char *)d;
}

static const char *stdin_path;	/* run_argv(): stdin from this file, or inherited */

/* Run cvmm with a NULL-terminated argument list (after "cvmm"). */
static struct result run_argv(const char *const *args)
{
	char out[256], err[256], bin[4096];
	const char *build = getenv("CVMM_BUILD");
	struct result r;
	const char *argv[64];
	pid_t pid;
	int i, st;

	assert_non_null(build);
	snprintf(bin, sizeof(bin), "%s/cvmm", build);
	snprintf(out, sizeof(out), "%s/stdout", tmp_dir());
	snprintf(err, sizeof(err), "%s/stderr", tmp_dir());
	argv[0] = bin;
	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[i + 1] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0)
			_exit(127);
		if (stdin_path) {
			int in = open(stdin_path, O_RDONLY);

			if (in < 0 || dup2(in, 0) < 0)
				_exit(127);
		}
		dup2(o, 1);
		dup2(e, 2);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	r.status = WEXITSTATUS(st);
	r.out = slurp(out);
	r.err = slurp(err);
	r.json = r.out[0] ? json_loads(r.out, 0, NULL) : NULL;
	return r;
}

#define RUN(...) ({ const char *a_[] = { __VA_ARGS__, NULL }; run_argv(a_); })

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
	json_decref(r->json);
}

/* exit 0, valid JSON, verdict ok */
static void expect_verified(struct result *r)
{
	if (r->status)
		fprintf(stderr, "status %d\nstdout: %.2000s\nstderr: %s\n", r->status,
			r->out, r->err);
	assert_int_equal(r->status, 0);
	assert_non_null(r->json);
	assert_true(json_is_true(jget(r->json, "verdict.ok")));
	assert_int_equal(json_array_size(jget(r->json, "verdict.failed")), 0);
	assert_string_equal(r->err, "");
}

/* exit 1, JSON whose failed checks include @check */
static void expect_rejected(struct result *r, const char *check)
{
	json_t *f;
	size_t i;
	bool found = false;

	if (r->status != 1)
		fprintf(stderr, "status %d\nstdout: %.2000s\nstderr: %s\n", r->status,
			r->out, r->err);
	assert_int_equal(r->status, 1);
	assert_non_null(r->json);
	assert_false(json_is_true(jget(r->json, "verdict.ok")));
	json_array_foreach(jget(r->json, "verdict.failed"), i, f)
		found |= !strcmp(json_string_value(json_object_get(f, "check")), check);
	if (!found)
		fprintf(stderr, "%s not among %s\n", check, r->out);
	assert_true(found);
}

/*
 * exit 2, nothing on stdout, exactly one line on stderr: "cvmm verify: ..."
 * for a usage error, "cvmm: ..." for a file that cannot be read
 */
static void expect_usage(struct result *r, const char *part)
{
	if (r->status != 2)
		fprintf(stderr, "status %d\nstdout: %.500s\nstderr: %s\n", r->status,
			r->out, r->err);
	assert_int_equal(r->status, 2);
	assert_string_equal(r->out, "");
	assert_true(!strncmp(r->err, "cvmm: ", 6) || !strncmp(r->err, "cvmm verify: ", 13));
	assert_non_null(strchr(r->err, '\n'));
	assert_int_equal(strchr(r->err, '\n')[1], 0);
	if (part && !strstr(r->err, part))
		fprintf(stderr, "'%s' not in '%s'\n", part, r->err);
	assert_non_null(strstr(r->err, part ? part : ""));
}

/* The status of @check in verdict.checks ("" when absent). */
static const char *check_status(struct result *r, const char *check)
{
	json_t *c;
	size_t i;

	json_array_foreach(jget(r->json, "verdict.checks"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "check")), check))
			return json_string_value(json_object_get(c, "status"));
	return "";
}

/* A lowercase copy (static buffer). */
static const char *lower(const char *s)
{
	static char buf[256];
	size_t i;

	for (i = 0; s && s[i] && i + 1 < sizeof(buf); i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[i] = 0;
	return buf;
}

static const char *tmp_write_str(const char *name, const char *text)
{
	return tmp_write(name, text, strlen(text));
}

static const char *milan_bin(void)
{
	static char path[256];
	size_t len;
	uint8_t *b;

	if (!path[0]) {
		b = td_read_hex("sev/report_milan.hex", &len);
		snprintf(path, sizeof(path), "%s", tmp_write("report_milan.bin", b, len));
		free(b);
	}
	return path;
}

static void test_help_and_usage(void **state)
{
	struct result r;

	r = RUN("verify", "--help");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "cvmm verify snp REPORT"));
	assert_non_null(strstr(r.out, "tdx-eventlog"));
	result_free(&r);
	r = RUN("verify", "snp", "--help");
	assert_int_equal(r.status, 0);
	result_free(&r);
	r = RUN("verify");
	assert_int_equal(r.status, 2);
	result_free(&r);
	r = RUN("verify", "sev");
	expect_usage(&r, "cvmm verify: sev: unknown verification (snp, tdx or tdx-eventlog");
	result_free(&r);
	r = RUN("verify", "tdx-evenlog");
	expect_usage(&r, "cvmm verify: tdx-evenlog: unknown verification; did you mean "
		     "tdx-eventlog?");
	result_free(&r);
	r = RUN("verify", "snp");
	expect_usage(&r, "REPORT");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--bogus");
	expect_usage(&r, "cvmm verify: --bogus: unknown option");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--at");
	expect_usage(&r, "needs a value");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--at", "yesterday");
	expect_usage(&r, "--at");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--at=2025-01-01T00:00:00Z", "--at",
		"2025-01-01T00:00:00Z");
	expect_usage(&r, "twice");
	result_free(&r);
	r = RUN("verify", "snp", "/nonexistent/report.bin");
	expect_usage(&r, "/nonexistent/report.bin");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"), "--certs",
		tmp_dir());
	expect_usage(&r, "cvmm verify: --vcek: does not combine with --certs");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--tcb-info", D("trustee/tcbInfo.json"));
	expect_usage(&r, "cvmm verify: --tcb-info: a TDX option given to an SEV-SNP verification");
	result_free(&r);
	r = RUN("verify", "tdx", D("trustee/tdx_quote_6.dat"), "--vcek", D("sev/vcek_milan.der"));
	expect_usage(&r, "cvmm verify: --vcek: an SEV-SNP option given to a TDX verification");
	result_free(&r);
	/* collateral without its signing chain, or with --no-collateral */
	r = RUN("verify", "tdx", D("trustee/tdx_quote_6.dat"), "--tcb-info", D("trustee/tcbInfo.json"),
		"--qe-identity", D("trustee/enclaveIdentity.json"));
	expect_usage(&r, "cvmm verify: --tcb-info: needs --tcb-chain");
	result_free(&r);
	r = RUN("verify", "tdx", D("trustee/tdx_quote_6.dat"), "--qe-identity",
		D("trustee/enclaveIdentity.json"), "--tcb-chain", D("trustee/tcbInfo.json"),
		"--no-collateral");
	expect_usage(&r, "cvmm verify: --no-collateral: does not combine with --tcb-info");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--repeat", "0");
	expect_usage(&r, "--repeat");
	result_free(&r);
}

static void test_snp(void **state)
{
	struct result r;
	const char *pol;

	/* virtee/sev: the Milan report */
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--at", "2025-01-01T00:00:00Z");
	expect_verified(&r);
	assert_string_equal(json_string_value(jget(r.json, "type")), "sev-snp");
	assert_string_equal(json_string_value(jget(r.json, "product")), "Milan");
	assert_string_equal(json_string_value(jget(r.json, "report.measurement")),
			    "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f");
	assert_string_equal(json_string_value(jget(r.json, "verification_time")),
			    "2025-01-01T00:00:00Z");
	assert_int_equal(json_array_size(jget(r.json, "certificates.chain")), 3);
	result_free(&r);
	/* the default time is now (the verdict then depends on the date) */
	{
		time_t before = time(NULL);
		int64_t t;

		r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"));
		assert_true(r.status == 0 || r.status == 1);
		assert_int_equal(rfc3339_parse(json_string_value(jget(r.json, "verification_time")),
					       &t), 0);
		assert_true(t >= before && t <= time(NULL) + 1);
		result_free(&r);
	}
	/* expired unless --at is inside the validity */
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--at", "2031-01-01T00:00:00Z");
	expect_rejected(&r, "snp.chain");
	result_free(&r);
	r = RUN("verify", "snp", D("trustee/snp/test-vlek-report.bin"), "--vcek",
		D("trustee/snp/test-vlek.der"));
	expect_rejected(&r, "snp.chain");
	result_free(&r);
	/* the VLEK report comes from VMPL 1: rejected by default, allowed by a policy */
	r = RUN("verify", "snp", D("trustee/snp/test-vlek-report.bin"), "--vcek",
		D("trustee/snp/test-vlek.der"), "--at", "2025-06-01T00:00:00Z");
	expect_rejected(&r, "policy.vmpl");
	assert_int_equal(json_array_size(jget(r.json, "verdict.failed")), 1);
	result_free(&r);
	pol = tmp_write_str("vmpl1.json", "{\"snp\": {\"vmpl\": [0, 1]}}");
	r = RUN("verify", "snp", D("trustee/snp/test-vlek-report.bin"), "--vcek",
		D("trustee/snp/test-vlek.der"), "--at", "2025-06-01T00:00:00Z", "--policy", pol);
	expect_verified(&r);
	result_free(&r);
	/* a debug guest: rejected by default, accepted by a policy that allows it */
	r = RUN("verify", "snp", D("go-sev-guest/attestation.bin"), "--vcek",
		D("go-sev-guest/vcek.testcer"), "--at", "2025-01-01T00:00:00Z");
	expect_rejected(&r, "policy.debug");
	assert_int_equal(json_array_size(jget(r.json, "verdict.failed")), 1);
	result_free(&r);
	pol = tmp_write_str("debug.json", "{\"allow_debug\": true, \"snp\": {\"measurement\": "
			"\"b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01\"},"
			" \"report_data\": \"0102030405\"}");
	r = RUN("verify", "snp", D("go-sev-guest/attestation.bin"), "--vcek",
		D("go-sev-guest/vcek.testcer"), "--policy", pol, "--at", "2025-01-01T00:00:00Z");
	expect_verified(&r);
	result_free(&r);
	pol = tmp_write_str("typo.json", "{\"alow_debug\": true}");
	r = RUN("verify", "snp", D("go-sev-guest/attestation.bin"), "--vcek",
		D("go-sev-guest/vcek.testcer"), "--policy", pol);
	expect_usage(&r, "alow_debug");
	result_free(&r);
	/* synthetic VCEK: chain invalid */
	r = RUN("verify", "snp", D("trustee/snp/test-report.bin"), "--vcek",
		D("trustee/snp/test-vcek-invalid-new.der"));
	expect_rejected(&r, "snp.chain");
	result_free(&r);
	/* a file that is not a certificate is evidence, not a usage error */
	r = RUN("verify", "snp", D("trustee/snp/test-report.bin"), "--vcek",
		D("trustee/snp/test-report.bin"));
	expect_rejected(&r, "snp.certs");
	result_free(&r);
	/* a truncated report */
	{
		size_t len;
		uint8_t *b = td_read("trustee/snp/test-report.bin", &len);
		const char *p = tmp_write("short.bin", b, 1000);

		r = RUN("verify", "snp", p, "--vcek", D("trustee/snp/test-vcek.der"));
		expect_rejected(&r, "snp.report");
		result_free(&r);
		free(b);
	}
	/* --ca: a KDS cert_chain, then the wrong product's, then not certificates */
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--ca", D("sev/cert_chain_milan"), "--at", "2025-01-01T00:00:00Z");
	expect_verified(&r);
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--ca", D("go-sev-guest/ask_ark_genoa.pem"));
	expect_rejected(&r, "snp.chain");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--ca", D("trustee/tcbInfo.json"));
	expect_usage(&r, "certificates");
	result_free(&r);
	r = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--ca", D("sev/builtin-snp/milan/ask.pem"));
	expect_usage(&r, "root");
	result_free(&r);
}

static void test_snp_certs_dir_and_auxblob(void **state)
{
	char dir[256];
	struct result r;
	size_t len, blen, rlen;
	uint8_t *b, *j, *blob, *rep;
	json_t *doc;
	char *rp, *bp;

	/* --certs DIR with snpguest names */
	snprintf(dir, sizeof(dir), "%s/certs", tmp_dir());
	assert_int_equal(mkdir(dir, 0700), 0);
	b = td_read("sev/vcek_milan.der", &len);
	assert_int_equal(file_write_atomic(strcat(strcpy((char[300]){ 0 }, dir), "/vcek.der"),
					   b, len), 0);
	free(b);
	b = td_read("sev/cert_chain_milan", &len);
	assert_int_equal(file_write_atomic(strcat(strcpy((char[300]){ 0 }, dir), "/cert_chain.pem"),
					   b, len), 0);
	free(b);
	assert_int_equal(file_write_atomic(strcat(strcpy((char[300]){ 0 }, dir), "/README"),
					   "x", 1), 0);
	r = RUN("verify", "snp", milan_bin(), "--certs", dir, "--at", "2025-01-01T00:00:00Z");
	expect_verified(&r);
	result_free(&r);
	/* its CRL files are read: a foreign CRL applies to nothing, junk is no CRL */
	b = td_read("go-tdx-guest/rootcrl.der", &len);
	assert_int_equal(file_write_atomic(strcat(strcpy((char[300]){ 0 }, dir), "/crl.der"),
					   b, len), 0);
	free(b);
	r = RUN("verify", "snp", milan_bin(), "--certs", dir, "--at", "2025-01-01T00:00:00Z");
	expect_rejected(&r, "snp.crl");
	result_free(&r);
	assert_int_equal(file_write_atomic(strcat(strcpy((char[300]){ 0 }, dir), "/crl.der"),
					   "junk", 4), 0);
	r = RUN("verify", "snp", milan_bin(), "--certs", dir, "--at", "2025-01-01T00:00:00Z");
	expect_rejected(&r, "crl.format");
	assert_int_equal(json_array_size(jget(r.json, "verdict.failed")), 1);
	result_free(&r);
	/* a directory without certificates is a usage error */
	r = RUN("verify", "snp", milan_bin(), "--certs", td_path("intel-qvl"));
	expect_usage(&r, "no certificate files");
	result_free(&r);

	/* configfs-tsm outblob + auxblob (Veraison) */
	j = td_read("veraison/sevsnp-tsm-report.json", &len);
	doc = json_loadb((const char *)j, len, 0, NULL);
	rep = b64url_decode(json_string_value(json_object_get(doc, "outblob")), &rlen);
	blob = b64url_decode(json_string_value(json_object_get(doc, "auxblob")), &blen);
	rp = strdup(tmp_write("outblob.bin", rep, rlen));
	bp = strdup(tmp_write("auxblob.bin", blob, blen));
	r = RUN("verify", "snp", rp, "--auxblob", bp, "--at",
		"2025-06-01T00:00:00Z");
	expect_verified(&r);
	assert_string_equal(json_string_value(jget(r.json, "product")), "Genoa");
	result_free(&r);
	/* a damaged certificate table */
	blob[20] = 0xff;
	blob[21] = 0xff;
	tmp_write("auxblob-bad.bin", blob, blen);
	r = RUN("verify", "snp", rp, "--auxblob",
		strcat(strcpy((char[300]){ 0 }, tmp_dir()), "/auxblob-bad.bin"));
	expect_rejected(&r, "snp.cert_table");
	result_free(&r);
	free(rp);
	free(bp);
	free(rep);
	free(blob);
	json_decref(doc);
	free(j);
}

static void test_tdx(void **state)
{
	struct result r;
	const char *pol;

	/* collateral is required by default; --no-collateral accepts, with a warning */
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), "--at",
		"2023-07-01T00:00:00Z");
	expect_rejected(&r, "policy.collateral");
	assert_int_equal(json_array_size(jget(r.json, "verdict.failed")), 1);
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), "--at",
		"2023-07-01T00:00:00Z", "--no-collateral");
	expect_verified(&r);
	assert_string_equal(json_string_value(jget(r.json, "quote.td.mrtd")),
			    "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb");
	assert_string_equal(json_string_value(jget(r.json, "tcb_status")) ?: "", "");
	assert_int_equal(json_array_size(jget(r.json, "verdict.warnings")), 1);
	assert_string_equal(check_status(&r, "tdx.tcb_status"), "skipped");
	assert_string_equal(check_status(&r, "tdx.qe_identity"), "passed");
	/* certificate serials are lowercase hex */
	assert_string_equal(json_string_value(jget(r.json, "pck.certificate.serial")),
			    lower(json_string_value(jget(r.json, "pck.certificate.serial"))));
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), "--at",
		"2053-07-01T00:00:00Z", "--no-collateral");
	expect_rejected(&r, "tdx.pck_chain");
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/quote_v5_sample.dat"), "--at",
		"2026-02-03T00:00:00Z", "--no-collateral");
	expect_verified(&r);
	assert_int_equal(json_integer_value(jget(r.json, "quote.body_type")), 3);
	result_free(&r);
	r = RUN("verify", "tdx", D("trustee/tdx_quote_4.dat"), "--at", "2025-01-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "policy.debug");
	assert_int_equal(json_array_size(jget(r.json, "verdict.failed")), 1);
	result_free(&r);
	r = RUN("verify", "tdx", D("trustee/tdx_quote_4.dat"), "--no-collateral",
		"--tcb-info", D("go-tdx-guest/sample_tcbInfo_response"),
		"--tcb-chain", D("go-tdx-guest/tcbInfoIssuerChain.pem"));
	expect_usage(&r, "--no-collateral");
	result_free(&r);
	/* full collateral (go-tdx-guest, 2023) with a policy allowing the debug TD */
	pol = tmp_write_str("tdx.json", "{\"allow_debug\": true, \"tdx\": {\"min_tcb_status\": \"UpToDate\","
			" \"require_collateral\": true}}");
	r = RUN("verify", "tdx", D("trustee/tdx_quote_4.dat"), "--at", "2023-07-01T00:00:00Z",
		"--tcb-info", D("go-tdx-guest/sample_tcbInfo_response"),
		"--qe-identity", D("go-tdx-guest/sample_qeIdentity_response"),
		"--tcb-chain", D("go-tdx-guest/tcbInfoIssuerChain.pem"),
		"--crl", D("go-tdx-guest/pckcrl"), "--crl", D("go-tdx-guest/rootcrl.der"),
		"--policy", pol);
	expect_verified(&r);
	assert_string_equal(json_string_value(jget(r.json, "tcb_status")), "UpToDate");
	assert_string_equal(json_string_value(jget(r.json, "collateral.qe_identity.status")),
			    "UpToDate");
	result_free(&r);
	r = RUN("verify", "tdx", D("trustee/tdx_quote_4.dat"), "--at", "2023-07-01T00:00:00Z",
		"--policy", pol);
	expect_rejected(&r, "policy.collateral");
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"),
		"--at", "2023-07-01T00:00:00Z",
		"--tcb-info", D("go-tdx-guest/sample_tcbInfo_response"),
		"--qe-identity", D("go-tdx-guest/sample_qeIdentity_response"),
		"--tcb-chain", D("go-tdx-guest/tcbInfoIssuerChain.pem"));
	expect_rejected(&r, "tdx.tcb_level");
	result_free(&r);
	/* half the collateral is refused: both or neither */
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"),
		"--at", "2023-07-01T00:00:00Z",
		"--tcb-info", D("go-tdx-guest/sample_tcbInfo_response"),
		"--tcb-chain", D("go-tdx-guest/tcbInfoIssuerChain.pem"));
	expect_rejected(&r, "tdx.collateral");
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"),
		"--tcb-info", D("go-tdx-guest/sample_tcbInfo_response"));
	expect_usage(&r, "--tcb-chain");
	result_free(&r);
	r = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), "--crl",
		D("go-tdx-guest/tcbInfoIssuerChain.pem"), "--at", "2023-07-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "crl.format");
	result_free(&r);
	/*
	 * The synthetic QVL set with its own root: chain and signatures verify,
	 * its QE is not Intel's TD QE.
	 */
	r = RUN("verify", "tdx", D("intel-qvl/quote.dat"), "--ca",
		D("intel-qvl/trustedRootCaCert.pem"), "--at", "2025-01-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "tdx.qe_identity");
	assert_string_equal(check_status(&r, "tdx.pck_chain"), "passed");
	assert_string_equal(check_status(&r, "tdx.quote_signature"), "passed");
	assert_string_equal(check_status(&r, "tdx.qe_report_signature"), "passed");
	assert_string_equal(check_status(&r, "tdx.qe_binding"), "passed");
	result_free(&r);
	r = RUN("verify", "tdx", D("intel-qvl/quote.dat"), "--at", "2025-01-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "tdx.pck_chain");
	result_free(&r);
	/* a non-quote */
	r = RUN("verify", "tdx", D("go-tdx-guest/ccel/ccel_table.dat"));
	expect_rejected(&r, "tdx.quote");
	result_free(&r);
}

static void test_tdx_eventlog(void **state)
{
	struct result r;
	int i;

	r = RUN("verify", "tdx-eventlog", D("go-tdx-guest/ccel/ccel_table.dat"),
		D("go-tdx-guest/ccel/ccel_data.dat"), "--quote",
		D("go-tdx-guest/ccel/cos-113-tdx-quote.dat"), "--at", "2025-01-01T00:00:00Z",
		"--no-collateral");
	expect_verified(&r);
	for (i = 0; i < 4; i++) {
		char path[64];

		snprintf(path, sizeof(path), "ccel.rtmr_match.%d.match", i);
		assert_true(json_is_true(jget(r.json, path)));
	}
	assert_int_equal(json_integer_value(jget(r.json, "ccel.log.events")), 43);
	assert_string_equal(json_string_value(jget(r.json, "ccel.table.cc_type_name")), "TDX");
	result_free(&r);
	/* trustee's log does not belong to its quote */
	r = RUN("verify", "tdx-eventlog", D("go-tdx-guest/ccel/ccel_table.dat"),
		D("trustee/CCEL_data"), "--quote", D("trustee/tdx_quote_4.dat"), "--no-collateral");
	expect_rejected(&r, "ccel.rtmr0");
	result_free(&r);
	/* the quote's own checks still apply */
	r = RUN("verify", "tdx-eventlog", D("go-tdx-guest/ccel/ccel_table.dat"),
		D("go-tdx-guest/ccel/ccel_data.dat"), "--quote",
		D("go-tdx-guest/ccel/cos-113-tdx-quote.dat"), "--at", "2040-01-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "tdx.pck_chain");
	result_free(&r);
	r = RUN("verify", "tdx-eventlog", D("go-tdx-guest/ccel/ccel_data.dat"),
		D("go-tdx-guest/ccel/ccel_data.dat"), "--quote",
		D("go-tdx-guest/ccel/cos-113-tdx-quote.dat"), "--at", "2025-01-01T00:00:00Z",
		"--no-collateral");
	expect_rejected(&r, "ccel.table");
	result_free(&r);
	r = RUN("verify", "tdx-eventlog", D("go-tdx-guest/ccel/ccel_table.dat"),
		D("go-tdx-guest/ccel/ccel_data.dat"));
	expect_usage(&r, "--quote");
	result_free(&r);
}

/* "-" reads the evidence from stdin; hex text gets a hint; every check is listed. */
static void test_stdin_hex_and_checks(void **state)
{
	struct result a, b;
	json_t *f;

	a = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--at", "2025-01-01T00:00:00Z");
	stdin_path = milan_bin();
	b = RUN("verify", "snp", "-", "--vcek", D("sev/vcek_milan.der"),
		"--at", "2025-01-01T00:00:00Z");
	stdin_path = NULL;
	expect_verified(&b);
	assert_string_equal(a.out, b.out);
	/* what was checked and what was not */
	assert_string_equal(check_status(&a, "snp.signature"), "passed");
	assert_string_equal(check_status(&a, "snp.chain"), "passed");
	assert_string_equal(check_status(&a, "snp.hwid"), "passed");
	assert_string_equal(check_status(&a, "snp.current_tcb"), "passed");
	assert_string_equal(check_status(&a, "snp.crl"), "skipped");
	assert_string_equal(check_status(&a, "policy.vmpl"), "passed");
	assert_string_equal(check_status(&a, "policy.migration_agent"), "passed");
	assert_string_equal(check_status(&a, "policy.measurement"), "skipped");
	assert_int_equal(json_array_size(jget(a.json, "verdict.warnings")), 0);
	result_free(&a);
	result_free(&b);
	/* the same through a pipe-like stdin for TDX */
	stdin_path = D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
	a = RUN("verify", "tdx", "-", "--at", "2023-07-01T00:00:00Z", "--no-collateral");
	stdin_path = NULL;
	expect_verified(&a);
	result_free(&a);
	/* the report as hex text, as virtee/sev keeps it */
	a = RUN("verify", "snp", D("sev/report_milan.hex"), "--vcek", D("sev/vcek_milan.der"));
	expect_rejected(&a, "snp.report");
	f = json_array_get(jget(a.json, "verdict.failed"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(f, "detail")), "xxd -r -p"));
	assert_string_equal(check_status(&a, "snp.signature"), "skipped");
	result_free(&a);
	/* a binary that is simply short gets no such hint */
	{
		const char *p = tmp_write("short-report.bin", "\x02\0\0\0\xff", 5);

		a = RUN("verify", "snp", p, "--vcek", D("sev/vcek_milan.der"));
		expect_rejected(&a, "snp.report");
		assert_null(strstr(a.out, "xxd"));
		result_free(&a);
	}
	/* --no-collateral belongs to TDX */
	a = RUN("verify", "snp", milan_bin(), "--no-collateral");
	expect_usage(&a, "--no-collateral");
	result_free(&a);
}

/* The hidden benchmark mode prints the same result as one pass. */
static void test_repeat(void **state)
{
	struct result a, b;

	a = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--at", "2025-01-01T00:00:00Z");
	b = RUN("verify", "snp", milan_bin(), "--vcek", D("sev/vcek_milan.der"),
		"--at", "2025-01-01T00:00:00Z", "--repeat", "5");
	expect_verified(&b);
	assert_string_equal(a.out, b.out);
	result_free(&a);
	result_free(&b);
	a = RUN("verify", "tdx", D("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"), "--at",
		"2023-07-01T00:00:00Z", "--no-collateral", "--repeat", "3");
	expect_verified(&a);
	result_free(&a);
	a = RUN("verify", "snp", D("go-sev-guest/attestation.bin"), "--vcek",
		D("go-sev-guest/vcek.testcer"), "--repeat", "3", "--at", "2025-01-01T00:00:00Z");
	expect_rejected(&a, "policy.debug");
	result_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_and_usage),
		cmocka_unit_test(test_snp),
		cmocka_unit_test(test_snp_certs_dir_and_auxblob),
		cmocka_unit_test(test_tdx),
		cmocka_unit_test(test_tdx_eventlog),
		cmocka_unit_test(test_stdin_hex_and_checks),
		cmocka_unit_test(test_repeat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
