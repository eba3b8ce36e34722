// SPDX-License-Identifier: GPL-2.0-only
/* SEV-SNP reports: decoding every field, versions 2 to 5, TCB layouts. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "attest/certs.h"
#include "attest/snp/certs.h"
#include "attest/snp/report.h"
#include "attest/snp/roots.h"
#include "attest/snp/verify.h"
#include "helpers.h"
#include "snp_common.h"
#include "util/bytes.h"
#include "util/num.h"

static void test_report_fields(void **state)
{
	struct snp_report r;
	uint8_t *b, m[48];
	size_t len;

	b = milan_report(&len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 2);
	assert_int_equal(r.policy, 0x30000);
	assert_int_equal(r.vmpl, 0);
	assert_int_equal(r.signature_algo, 1);
	assert_int_equal(hex_decode(MILAN_MEASUREMENT, m, 48), 0);
	assert_memory_equal(r.measurement, m, 48);
	assert_int_equal(r.reported_tcb, 0x7308000000000003ULL);
	assert_int_equal(snp_report_signing_key(&r), SNP_SIGNING_KEY_VCEK);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_UNKNOWN);
	assert_int_equal(r.chip_id[0], 0xd4);
	assert_int_equal(r.chip_id[63], 0xb6);
	free(b);

	b = td_read("go-sev-guest/attestation.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.policy, 0xb0000);
	assert_true(r.policy & SNP_POLICY_DEBUG);
	assert_memory_equal(r.report_data, "\x01\x02\x03\x04\x05\0\0\0", 8);
	assert_int_equal(r.reported_tcb, 0x4405000000000002ULL);
	free(b);

	b = td_read("trustee/snp/test-vlek-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 3);
	assert_int_equal(r.vmpl, 1);
	assert_int_equal(snp_report_signing_key(&r), SNP_SIGNING_KEY_VLEK);
	assert_int_equal(r.cpuid_fam_id, 0x19);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_MILAN);
	assert_int_equal(r.platform_info, 0x27);
	assert_true(bytes_all_zero(r.chip_id, 64));
	free(b);

	b = td_read("veraison/extracted/outblob-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.version, 3);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_GENOA);
	assert_memory_equal(r.report_data, "MIDBNH28iioisjPyxxxxxxxxxxxxxxxx", 32);
	free(b);

	b = td_read("trustee/snp/test-report.bin", &len);
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.guest_svn, 4);
	assert_int_equal(r.policy, 0x3001f);
	assert_int_equal(r.current_tcb, 0xce08000000000003ULL);
	assert_int_equal(r.reported_tcb, 0x7308000000000003ULL);
	free(b);
}

static void test_report_versions(void **state)
{
	static const uint32_t bad[] = { 0, 1, 6, 0x100, 0xffffffff };
	struct snp_report r;
	size_t len, i;
	uint8_t *b = milan_report(&len);
	json_t *c;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(b, &bad[i], 4);
		assert_int_equal(snp_report_parse(b, len, &r), -EPROTONOSUPPORT);
		EXPECT_ONLY(snp_verify_run(b, len, NULL, NULL, NULL, "2025-01-01T00:00:00Z", NULL, NULL),
			    "snp.report");
	}
	/* v3, v4 and v5 decode (the signature then no longer verifies) */
	memset(b, 0, 4);
	b[0] = 5;
	b[0x1F8] = 0x11;
	b[0x200] = 0x22;
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0x11);
	assert_int_equal(r.current_mit_vector, 0x22);
	c = snp_report_claims(&r, SNP_PRODUCT_MILAN);
	assert_string_equal(jstr(c, "launch_mit_vector"), "0x0000000000000011");
	assert_int_equal(jint(c, "cpuid.family"), 0);
	json_decref(c);
	b[0x188] = 0x1A;
	b[0x189] = 0x02;
	b[0] = 4;				/* Turin firmware: the v3 layout */
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0);
	assert_int_equal(r.cpuid_fam_id, 0x1A);
	assert_int_equal(snp_report_product(&r), SNP_PRODUCT_TURIN);
	b[0] = 3;
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.launch_mit_vector, 0);
	assert_int_equal(r.cpuid_mod_id, 0x02);
	b[0] = 2;				/* v2: no CPUID fields */
	assert_int_equal(snp_report_parse(b, len, &r), 0);
	assert_int_equal(r.cpuid_fam_id, 0);
	free(b);
}

/* Every prefix (and a longer file) is rejected, by the parser and the verifier. */
static void test_report_truncated(void **state)
{
	struct snp_report r;
	size_t len, n;
	uint8_t *b = milan_report(&len), *big;

	for (n = 0; n < len; n++) {
		assert_int_equal(snp_report_parse(b, n, &r), -EINVAL);
		if (n % 97 == 0 || n < 8 || n > len - 8)
			EXPECT_ONLY(snp_verify_run(b, n, NULL, NULL, NULL, "2025-01-01T00:00:00Z",
					NULL, NULL), "snp.report");
	}
	big = calloc(1, 2 * len);
	memcpy(big, b, len);
	assert_int_equal(snp_report_parse(big, len + 1, &r), -EINVAL);
	assert_int_equal(snp_report_parse(big, 2 * len, &r), -EINVAL);
	assert_int_equal(snp_report_parse(NULL, len, &r), -EINVAL);
	free(big);
	free(b);
}

static void test_tcb_layouts(void **state)
{
	struct snp_tcb t;

	/* Milan/Genoa: BL, TEE, 4 reserved, SNP, UCODE */
	snp_tcb_decode(0x7308000000000003ULL, SNP_PRODUCT_MILAN, &t);
	assert_int_equal(t.bootloader, 3);
	assert_int_equal(t.tee, 0);
	assert_int_equal(t.snp, 8);
	assert_int_equal(t.microcode, 0x73);
	assert_false(t.has_fmc);
	/* Turin: FMC, BL, TEE, SNP, 3 reserved, UCODE */
	snp_tcb_decode(0x4800000004030201ULL, SNP_PRODUCT_TURIN, &t);
	assert_int_equal(t.fmc, 1);
	assert_int_equal(t.bootloader, 2);
	assert_int_equal(t.tee, 3);
	assert_int_equal(t.snp, 4);
	assert_int_equal(t.microcode, 0x48);
	assert_true(t.has_fmc);
	assert_int_equal(snp_product_from_name("Milan-B0"), SNP_PRODUCT_MILAN);
	assert_int_equal(snp_product_from_name("SEV-VLEK-Genoa"), SNP_PRODUCT_GENOA);
	assert_int_equal(snp_product_from_name("ARK-Turin"), SNP_PRODUCT_TURIN);
	assert_int_equal(snp_product_from_name("Milanese"), SNP_PRODUCT_UNKNOWN);
	assert_int_equal(snp_product_from_name("SEV-VCEK"), SNP_PRODUCT_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_fields),
		cmocka_unit_test(test_report_versions),
		cmocka_unit_test(test_report_truncated),
		cmocka_unit_test(test_tcb_layouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
