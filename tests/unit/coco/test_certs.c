// SPDX-License-Identifier: GPL-2.0-only
/*
 * coco/certs.h: the certificate table a host hands SNP guests, from a
 * directory in AMD KDS layout (here the one `cvmm sim-ca init` writes).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attest/snp/certs.h"
#include "coco/certs.h"
#include "sim/sim_ca.h"
#include "util/err.h"
#include "util/file.h"

static char dir[64];

static int __attribute__((format(printf, 1, 2))) sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int group_setup(void **state)
{
	struct sim_ca_params p = { .rsa_bits = 2048, .bl = 3, .snp = 8, .ucode = 115 };
	struct err_msg why;
	char ca[96];

	snprintf(dir, sizeof(dir), "/tmp/cvmm-certs-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(ca, sizeof(ca), "%s/ca", dir);
	return sim_ca_init(ca, &p, &why);
}

static int group_teardown(void **state)
{
	return sh("rm -rf %s", dir) ? -1 : 0;
}

static void test_kds_dir(void **state)
{
	struct snp_cert_entry e[8];
	struct coco_certs c;
	struct err_msg why;
	char ca[96];
	size_t n;

	snprintf(ca, sizeof(ca), "%s/ca", dir);
	assert_int_equal(coco_certs_load(ca, &c, &why), 0);
	assert_string_equal(c.product, "Milan");
	assert_false(c.vlek);
	assert_int_equal(snp_cert_table_parse(c.table, c.len, e, 8, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(e[0].kind, SNP_CERT_VCEK);
	assert_int_equal(e[1].kind, SNP_CERT_ASK);
	assert_int_equal(e[2].kind, SNP_CERT_ARK);
	assert_int_equal(e[0].offset, 4 * 24);		/* three entries and the zero one */
	assert_int_equal(e[2].offset + e[2].length, c.len);
	coco_certs_free(&c);
}

/* A VLEK's entry carries the VLEK GUID a8074bc2-a25a-483e-aae6-39c045a0b8a1. */
static void test_vlek_guid(void **state)
{
	static const uint8_t vlek[16] = {
		0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e,
		0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8, 0xa1,
	};
	struct snp_cert_entry e[2];
	const unsigned char *p;
	struct coco_certs c;
	char path[128];
	uint8_t *der;
	size_t len, n;
	X509 *x;

	snprintf(path, sizeof(path), "%s/ca/vcek.der", dir);
	assert_int_equal(file_read(path, 1 << 20, &der, &len), 0);
	p = der;
	x = d2i_X509(NULL, &p, (long)len);
	assert_non_null(x);
	assert_int_equal(coco_certs_table(x, true, NULL, NULL, &c.table, &c.len), 0);
	assert_memory_equal(c.table, vlek, 16);
	assert_int_equal(snp_cert_table_parse(c.table, c.len, e, 2, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(e[0].kind, SNP_CERT_VLEK);
	assert_int_equal(e[0].length, len);
	coco_certs_free(&c);
	X509_free(x);
	free(der);
}

static void test_bad_dirs(void **state)
{
	struct coco_certs c;
	struct err_msg why;
	char d[96];

	snprintf(d, sizeof(d), "%s/bad", dir);
	assert_int_equal(sh("mkdir -p %s/vcek/v1/Milan", d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "no VCEK in AMD KDS layout"));
	/* a VCEK without its cert_chain */
	assert_int_equal(sh("cp %s/ca/vcek.der %s/vcek/v1/Milan/aa", dir, d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), -ENOENT);
	assert_non_null(strstr(why.msg, "cert_chain: missing"));
	/* a chain without an ARK */
	assert_int_equal(sh("openssl x509 -inform der -in %s/ca/ask.der > %s/vcek/v1/Milan/cert_chain",
			    dir, d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "no ARK"));
	/* garbage */
	assert_int_equal(sh("echo nonsense > %s/vcek/v1/Milan/cert_chain", d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "no certificate"));
	/* two VCEKs: which one is this chip's? */
	assert_int_equal(sh("cp %s/ca/test-roots.pem %s/vcek/v1/Milan/cert_chain", dir, d), 0);
	assert_int_equal(sh("cp %s/ca/vcek.der %s/vcek/v1/Milan/bb", dir, d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "2 VCEK/VLEK files"));
	assert_int_equal(sh("rm %s/vcek/v1/Milan/bb", d), 0);
	assert_int_equal(coco_certs_load(d, &c, &why), 0);
	coco_certs_free(&c);
	assert_int_equal(coco_certs_table(NULL, false, NULL, NULL, &c.table, &c.len), 0);
	assert_int_equal(c.len, 24);			/* the terminating entry alone */
	coco_certs_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kds_dir),
		cmocka_unit_test(test_vlek_guid),
		cmocka_unit_test(test_bad_dirs),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
