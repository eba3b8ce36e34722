// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV-SNP firmware's reports (sim/sim_tee.h) and its test
 * PKI (sim/sim_ca.h): every report verifies with cvmm's own verifier
 * (attest/) against the chain `cvmm sim-ca init` made, carries the launch
 * and the request, and every refusal of the protocol is answered.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "attest/certs.h"
#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "attest/snp/verify.h"
#include "proto/simtee.h"
#include "sim/sim_tee.h"
#include "util/file.h"
#include "util/err.h"

static char dir[64], ca_dir[96];

static int group_setup(void **state)
{
	struct sim_ca_params p = { .rsa_bits = 2048, .bl = 3, .tee = 0, .snp = 8, .ucode = 115 };
	struct err_msg why;

	snprintf(dir, sizeof(dir), "/tmp/cvmm-simtee-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(ca_dir, sizeof(ca_dir), "%s/ca", dir);
	return sim_ca_init(ca_dir, &p, &why);
}

static int group_teardown(void **state)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

static struct sim_launch launch(void)
{
	struct sim_launch l = { .type = COCO_SNP, .len = 48, .policy = 0x30000,
				.id_block = true, .guest_svn = 7, .author_key_en = true };
	unsigned int i;

	for (i = 0; i < 48; i++) {
		l.digest[i] = (uint8_t)(0xa0 + i);
		l.id_key_digest[i] = (uint8_t)(0x10 + i);
		l.author_key_digest[i] = (uint8_t)(0x70 + i);
	}
	for (i = 0; i < 32; i++)
		l.host_data[i] = (uint8_t)i;
	memset(l.family_id, 0xfa, 16);
	memset(l.image_id, 0x1d, 16);
	return l;
}

static struct sim_tee *tee_new(bool with_ca, bool with_launch)
{
	struct sim_tee *t;
	struct sim_ca ca;
	struct sim_launch l = launch();
	struct err_msg why;

	if (with_ca)
		assert_int_equal(sim_ca_load(ca_dir, &ca, &why), 0);
	assert_int_equal(sim_tee_create(with_ca ? &ca : NULL, &t), 0);
	if (with_launch)
		assert_int_equal(sim_tee_set_launch(t, &l), 0);
	return t;
}

static struct simtee_req request(uint32_t version, uint32_t vmpl, uint32_t flags)
{
	struct simtee_req q = { .kind = SIMTEE_KIND_SNP_REPORT, .flags = flags,
				.vmpl = vmpl, .report_version = version };
	unsigned int i;

	for (i = 0; i < 64; i++)
		q.report_data[i] = (uint8_t)(i * 3 + 1);
	return q;
}

/* Ask @t; check the header as the agent does; returns the answer. */
static uint8_t *ask(struct sim_tee *t, const struct simtee_req *q, struct simtee_rsp_hdr *h,
		    size_t *len)
{
	uint8_t raw[SIMTEE_REQ_SIZE], *a;
	struct err_msg why;

	assert_int_equal(simtee_req_encode(q, raw), 0);
	assert_int_equal(sim_tee_answer(t, raw, sizeof(raw), &a, len), 0);
	assert_true(*len >= SIMTEE_RSP_HDR_SIZE);
	assert_int_equal(simtee_rsp_hdr_parse(a, SIMTEE_RSP_HDR_SIZE, q, h, &why), 0);
	assert_int_equal(*len, SIMTEE_RSP_HDR_SIZE + h->report_len + h->certs_len);
	return a;
}

static STACK_OF(X509) *read_pem(const char *name)
{
	STACK_OF(X509) *sk = NULL;
	char path[160];
	uint8_t *buf;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", ca_dir, name);
	assert_int_equal(file_read(path, 1 << 20, &buf, &len), 0);
	assert_int_equal(certs_parse(buf, len, &sk), 0);
	free(buf);
	return sk;
}

/* cvmm's verifier, the chain from the answer's table, the test roots as --ca */
static void verify(const uint8_t *report, const uint8_t *table, size_t tlen, bool vmpl0)
{
	STACK_OF(X509) *ca = read_pem("test-roots.pem"), *certs = sk_X509_new_null();
	struct snp_verify_opts o = { .certs = certs, .at = time(NULL) };
	struct snp_trust tr;
	struct verdict v;
	json_t *claims = json_object();

	assert_int_equal(snp_cert_table_load(table, tlen, certs, NULL), 0);
	assert_int_equal(sk_X509_num(certs), 3);
	assert_int_equal(snp_trust_init(&tr, ca), 0);
	verdict_init(&v);
	assert_int_equal(snp_report_verify(report, SIMTEE_REPORT_SIZE, &tr, &o, claims, &v), 0);
	if (v.nfailed != (vmpl0 ? 0 : 1)) {
		char *s = json_dumps(v.failed, 0);

		fprintf(stderr, "failed: %s\n", s);
		free(s);
	}
	/* the default policy wants VMPL 0: a report for VMPL 2 fails that alone */
	assert_int_equal(v.nfailed, vmpl0 ? 0 : 1);
	assert_int_equal(verdict_has(&v, "policy.vmpl"), !vmpl0);
	assert_false(verdict_has(&v, "snp.hwid"));
	verdict_free(&v);
	json_decref(claims);
	snp_trust_free(&tr);
	sk_X509_pop_free(ca, X509_free);
	sk_X509_pop_free(certs, X509_free);
}

static void test_report_verifies(void **state)
{
	struct sim_tee *t = tee_new(true, true);
	struct sim_launch l = launch();
	struct simtee_rsp_hdr h;
	struct simtee_req q;
	struct snp_report r;
	struct sim_ca ca;
	struct err_msg why;
	uint8_t *a, id[32];
	size_t len;
	unsigned int v;

	assert_int_equal(sim_ca_load(ca_dir, &ca, &why), 0);
	for (v = 3; v <= 5; v += 2) {
		q = request(v == 3 ? 0 : 5, v == 3 ? 0 : 2, SIMTEE_F_CERTS);
		a = ask(t, &q, &h, &len);
		assert_int_equal(h.status, SIMTEE_OK);
		assert_int_equal(h.certs_len, ca.certs.len);
		assert_int_equal(simtee_rsp_body_check(&q, a + 32, h.report_len, a + 32 + 1184,
						       h.certs_len, &why), 0);
		verify(a + 32, a + 32 + 1184, h.certs_len, v == 3);
		assert_int_equal(snp_report_parse(a + 32, 1184, &r), 0);
		assert_int_equal(r.version, v);
		assert_int_equal(r.vmpl, v == 3 ? 0 : 2);
		assert_memory_equal(r.report_data, q.report_data, 64);
		assert_memory_equal(r.measurement, l.digest, 48);
		assert_memory_equal(r.host_data, l.host_data, 32);
		assert_memory_equal(r.id_key_digest, l.id_key_digest, 48);
		assert_memory_equal(r.author_key_digest, l.author_key_digest, 48);
		assert_memory_equal(r.family_id, l.family_id, 16);
		assert_memory_equal(r.image_id, l.image_id, 16);
		assert_int_equal(r.guest_svn, 7);
		assert_int_equal(r.policy, 0x30000);
		assert_int_equal(r.key_info, 1);		/* AUTHOR_KEY_EN, VCEK */
		assert_memory_equal(r.chip_id, ca.chip_id, 64);
		assert_int_equal(r.reported_tcb, ca.tcb);
		assert_int_equal(snp_report_product(&r), SNP_PRODUCT_MILAN);
		if (v == 3)
			memcpy(id, r.report_id, 32);
		else				/* one REPORT_ID per launch */
			assert_memory_equal(r.report_id, id, 32);
		free(a);
	}
	/* without the flag: no table */
	q = request(3, 0, 0);
	a = ask(t, &q, &h, &len);
	assert_int_equal(h.certs_len, 0);
	free(a);
	/* a new launch (a reboot): a new REPORT_ID */
	assert_int_equal(sim_tee_set_launch(t, &l), 0);
	a = ask(t, &q, &h, &len);
	assert_memory_not_equal(a + 32 + 0x140, id, 32);
	free(a);
	assert_int_equal(sim_tee_reports(t), 4);
	sim_ca_free(&ca);
	sim_tee_destroy(t);
}

static uint32_t status_of(struct sim_tee *t, struct simtee_req q)
{
	struct simtee_rsp_hdr h;
	size_t len;
	uint8_t *a = ask(t, &q, &h, &len);

	free(a);
	return h.status;
}

static void test_refusals(void **state)
{
	struct sim_tee *t = tee_new(true, true), *no_ca = tee_new(false, true),
		       *no_launch = tee_new(true, false);
	uint8_t raw[SIMTEE_REQ_SIZE], *a;
	struct simtee_req q = request(3, 0, 0);
	size_t len;

	assert_int_equal(status_of(no_ca, q), SIMTEE_ERR_INTERNAL);
	assert_int_equal(status_of(no_launch, q), SIMTEE_ERR_INTERNAL);
	assert_int_equal(simtee_req_encode(&q, raw), 0);
	raw[12] = 4;					/* VMPL 4 */
	assert_int_equal(sim_tee_answer(t, raw, sizeof(raw), &a, &len), 0);
	assert_int_equal(a[8], SIMTEE_ERR_BAD_VMPL);
	free(a);
	raw[12] = 0;
	raw[16] = 4;					/* report version 4 */
	assert_int_equal(sim_tee_answer(t, raw, sizeof(raw), &a, &len), 0);
	assert_int_equal(a[8], SIMTEE_ERR_UNSUPPORTED);
	assert_int_equal(len, SIMTEE_RSP_HDR_SIZE);
	free(a);
	raw[16] = 3;
	raw[6] = 2;					/* kind 2 */
	assert_int_equal(sim_tee_answer(t, raw, sizeof(raw), &a, &len), 0);
	assert_int_equal(a[8], SIMTEE_ERR_UNSUPPORTED);
	free(a);
	raw[6] = 1;
	raw[25] = 1;					/* reserved byte */
	assert_int_equal(sim_tee_answer(t, raw, sizeof(raw), &a, &len), -EBADMSG);
	assert_int_equal(sim_tee_answer(t, raw, 95, &a, &len), -EBADMSG);
	assert_int_equal(sim_tee_reports(t), 0);
	sim_tee_destroy(t);
	sim_tee_destroy(no_ca);
	sim_tee_destroy(no_launch);
}

/* One connection, as the vsock service runs it. */
static void test_serve_socket(void **state)
{
	struct sim_tee *t = tee_new(true, true);
	struct simtee_req q = request(3, 0, SIMTEE_F_CERTS);
	uint8_t raw[SIMTEE_REQ_SIZE], ans[8192];
	ssize_t n, got = 0;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(simtee_req_encode(&q, raw), 0);
	assert_int_equal(write(sv[0], raw, 50), 50);		/* in two pieces */
	assert_int_equal(write(sv[0], raw + 50, 46), 46);
	sim_tee_serve(t, sv[1]);
	close(sv[1]);
	while ((n = read(sv[0], ans + got, sizeof(ans) - (size_t)got)) > 0)
		got += n;
	assert_true(got > 32 + 1184);
	assert_int_equal(ans[8], SIMTEE_OK);
	close(sv[0]);
	/* a peer that sends half a request and goes away gets nothing */
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(write(sv[0], raw, 10), 10);
	shutdown(sv[0], SHUT_WR);
	sim_tee_serve(t, sv[1]);
	close(sv[1]);
	assert_int_equal(read(sv[0], ans, sizeof(ans)), 0);
	close(sv[0]);
	sim_tee_destroy(t);
}

static void test_ca_files(void **state)
{
	struct sim_ca_params p = { .rsa_bits = 2048 };
	struct sim_ca ca;
	struct err_msg why;
	char path[300], other[128];
	struct stat st;

	/* an existing chain is never replaced */
	assert_int_equal(sim_ca_init(ca_dir, &p, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "refusing to replace it"));
	snprintf(path, sizeof(path), "%s/vcek.key", ca_dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	p.rsa_bits = 1024;
	snprintf(other, sizeof(other), "%s/weak", dir);
	assert_int_equal(sim_ca_init(other, &p, &why), -EINVAL);
	/* a key of another chain does not load */
	p.rsa_bits = 2048;
	assert_int_equal(sim_ca_init(other, &p, &why), 0);
	assert_int_equal(sim_ca_load(other, &ca, &why), 0);
	sim_ca_free(&ca);
	snprintf(path, sizeof(path), "cp %s/vcek.key %s/vcek.key", ca_dir, other);
	assert_int_equal(system(path), 0);
	assert_int_equal(sim_ca_load(other, &ca, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "does not belong to"));
	assert_int_equal(sim_ca_load("/nonexistent", &ca, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "/nonexistent/vcek.der"));
}

/* A chain that cannot be written whole leaves no file behind, least of all the key. */
static void test_ca_half_written(void **state)
{
	struct sim_ca_params p = { .rsa_bits = 2048 };
	char d[96], path[512];
	struct sim_ca ca;
	struct err_msg why;

	snprintf(d, sizeof(d), "%s/half", dir);
	/* the last file's name is taken: the write fails after all the others */
	snprintf(path, sizeof(path), "mkdir -p %s/vcek/v1/Milan && touch %s/vcek/v1/Milan/cert_chain",
		 d, d);
	assert_int_equal(system(path), 0);
	assert_int_equal(sim_ca_init(d, &p, &why), -EEXIST);
	assert_non_null(strstr(why.msg, "cannot write"));
	snprintf(path, sizeof(path), "%s/vcek.key", d);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/vcek.der", d);
	assert_int_equal(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "test \"$(find %s -type f)\" = %s/vcek/v1/Milan/cert_chain",
		 d, d);
	assert_int_equal(system(path), 0);		/* only the file that was there */
	/* so a second try, once the obstacle is gone, makes the chain */
	snprintf(path, sizeof(path), "%s/vcek/v1/Milan/cert_chain", d);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sim_ca_init(d, &p, &why), 0);
	assert_int_equal(sim_ca_load(d, &ca, &why), 0);
	/* no TCB given: sim_ca.h's (bl 3, tee 0, snp 8, ucode 115), as the reports carry */
	assert_int_equal(ca.tcb, 3 | 8ULL << 48 | 115ULL << 56);
	sim_ca_free(&ca);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_verifies),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_serve_socket),
		cmocka_unit_test(test_ca_files),
		cmocka_unit_test(test_ca_half_written),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
