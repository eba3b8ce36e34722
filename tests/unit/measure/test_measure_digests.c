// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNP PAGE_INFO chain, SEV launch digest / LAUNCH_MEASURE HMAC and the
 * kernel-hashes table, against public vectors (PROVENANCE.md) and against
 * straightforward OpenSSL computations written out in the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/sha.h>

#include "measure/sev.h"
#include "measure/sev_hashes.h"
#include "measure/snp.h"
#include "tdata.h"

/* sev-snp-measure test_snp_ovmf_hash_full_default: OVMF hash of the AmdSev suffix */
static void test_snp_ovmf_hash(void **state)
{
	uint8_t want[48];
	struct snp_gctx g;
	size_t len;
	uint8_t *fw = tdata_read("measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", &len);

	tdata_hex("086e2e9149ebf45abdc3445fba5b2da8270bdbb04094d7a2c37faaa4b24af3aa"
		  "16aff8c374c2a55c467a50da6d466b74", want, 48);
	assert_int_equal(snp_gctx_init(&g, NULL), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0x100000000ULL - len,
					       fw, len), 0);
	assert_memory_equal(g.ld, want, 48);
	snp_gctx_free(&g);
	free(fw);
}

/* One ZERO page and one VMSA page, PAGE_INFO laid out by hand. */
static void test_snp_page_info(void **state)
{
	uint8_t info[0x70], ld[48], vmsa[4096];
	struct snp_gctx g;

	memset(info, 0, sizeof(info));
	info[96] = 0x70;
	info[98] = 3;			/* ZERO */
	info[106] = 0x80;		/* gpa 0x800000 */
	SHA384(info, sizeof(info), ld);

	memset(vmsa, 0xa5, sizeof(vmsa));
	memcpy(info, ld, 48);
	SHA384(vmsa, sizeof(vmsa), info + 48);
	info[98] = 2;			/* VMSA at 0xFFFFFFFFF000 */
	memset(info + 104, 0, 8);
	info[105] = 0xf0;
	info[106] = info[107] = info[108] = info[109] = 0xff;
	SHA384(info, sizeof(info), ld);

	assert_int_equal(snp_gctx_init(&g, NULL), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_ZERO, 0x801000 - 0x1000,
					       NULL, 4096), 0);
	assert_int_equal(snp_gctx_update_vmsa(&g, vmsa), 0);
	assert_memory_equal(g.ld, ld, 48);
	/* misaligned ranges are refused */
	assert_int_not_equal(snp_gctx_update_pages(&g, SNP_PAGE_ZERO, 0x800, NULL, 4096), 0);
	assert_int_not_equal(snp_gctx_update_pages(&g, SNP_PAGE_ZERO, 0x1000, NULL, 100), 0);
	snp_gctx_free(&g);
}

static void test_snp_seed(void **state)
{
	uint8_t seed[48], a[48];
	struct snp_gctx g;

	memset(seed, 0x42, sizeof(seed));
	assert_int_equal(snp_gctx_init(&g, seed), 0);
	assert_memory_equal(g.ld, seed, 48);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_SECRETS, 0x80d000, NULL), 0);
	memcpy(a, g.ld, 48);
	snp_gctx_free(&g);
	assert_memory_not_equal(a, seed, 48);
	assert_string_equal(snp_page_type_name(SNP_PAGE_CPUID), "CPUID");
}

/* The PAGE_INFO fold written out: LD' = SHA-384(LD | CONTENTS | 0x70 | type | gpa). */
static void ref_fold(uint8_t ld[48], uint8_t type, uint64_t gpa, const uint8_t *page)
{
	uint8_t info[0x70];
	unsigned int i;

	memset(info, 0, sizeof(info));
	memcpy(info, ld, 48);
	if (page)
		SHA384(page, 4096, info + 48);
	info[96] = 0x70;
	info[98] = type;
	for (i = 0; i < 8; i++)
		info[104 + i] = (uint8_t)(gpa >> (8 * i));
	SHA384(info, sizeof(info), ld);
}

/*
 * Repeated pages reuse the previous page's CONTENTS: the result must be the
 * digest of hashing every page, including for a page that differs from the
 * previous one only in its last byte, one equal to a page two back, zero
 * pages given as NULL, and VMSA pages.
 */
static void test_snp_repeated_pages(void **state)
{
	/* page patterns: 0 zero, 1 0xff, 2 0xff with the last byte 0xfe, 3 counter */
	static const uint8_t pat[] = { 1, 1, 1, 2, 2, 1, 3, 1, 3, 0, 0, 1, 0 };
	const size_t n = sizeof(pat);
	uint8_t *buf = calloc(n, 4096), *zero = calloc(1, 4096), ld[48];
	struct snp_gctx g;
	uint64_t gpa = 0xffe00000ULL;
	size_t i, j;

	assert_non_null(buf);
	assert_non_null(zero);
	for (i = 0; i < n; i++) {
		uint8_t *p = buf + i * 4096;

		if (pat[i] == 1 || pat[i] == 2)
			memset(p, 0xff, 4096);
		if (pat[i] == 2)
			p[4095] = 0xfe;
		for (j = 0; pat[i] == 3 && j < 4096; j++)
			p[j] = (uint8_t)j;
	}
	memset(ld, 0, sizeof(ld));
	for (i = 0; i < n; i++)
		ref_fold(ld, 1, gpa + i * 4096, buf + i * 4096);
	for (i = 0; i < 3; i++)
		ref_fold(ld, 1, 0x800000 + i * 4096, zero);
	for (i = 0; i < 2; i++)
		ref_fold(ld, 2, 0xFFFFFFFFF000ULL, buf);
	ref_fold(ld, 2, 0xFFFFFFFFF000ULL, buf + 3 * 4096);

	assert_int_equal(snp_gctx_init(&g, NULL), 0);
	/* two calls: the second starts with a page equal to the first's last */
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, gpa, buf, 5 * 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, gpa + 5 * 4096,
					       buf + 5 * 4096, (n - 5) * 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0x800000, NULL,
					       3 * 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_VMSA, 0, buf, 2 * 4096), 0);
	assert_int_equal(snp_gctx_update_vmsa(&g, buf + 3 * 4096), 0);
	assert_memory_equal(g.ld, ld, 48);
	snp_gctx_free(&g);
	free(buf);
	free(zero);
}

#define HT "measure/sev-snp-measure/derived/sev_hashes_table_devnull_devnull_console.bin"

static void test_hashes_table(void **state)
{
	struct sev_hashes_input in = {
		.kernel = (const uint8_t *)"", .kernel_len = 0,
		.initrd = (const uint8_t *)"", .initrd_len = 0,
		.cmdline = "console=ttyS0 loglevel=7",
	};
	uint8_t t[SEV_HASHES_PADDED_LEN], page[4096], want_page_h[48], h[48], empty[176];
	size_t len;
	uint8_t *want = tdata_read(HT, &len);

	assert_int_equal(len, SEV_HASHES_PADDED_LEN);
	assert_int_equal(sev_hashes_table(&in, t), 0);
	assert_memory_equal(t, want, len);

	/* the hashes page of the SNP vectors (table at 0x810C00) */
	assert_int_equal(sev_hashes_page(t, 0xc00, page), 0);
	SHA384(page, sizeof(page), h);
	tdata_hex("adbef9bc7385f7a6dcb8774523cf024b403f193a47962309b277c4109aa70b4b"
		  "a0355d1657b50e9625d5bd1129e7fd27", want_page_h, 48);
	assert_memory_equal(h, want_page_h, 48);
	assert_int_not_equal(sev_hashes_page(t, 4096 - 100, page), 0);

	/* empty cmdline hashes one NUL, as no cmdline; no initrd hashes "" */
	tdata_hex("06d63894224fc94cb479a793d411fd21a800d82dd09720bd944caa78e7714d36"
		  "ab2a32006e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a306"
		  "17afa01d31f7ba442f3ad74b9af141e29169781d3200e3b0c44298fc1c149afb"
		  "f4c8996fb92427ae41e4649b934ca495991b7852b8553794e74dd2ab7f42b835"
		  "d5b172d2045b3200e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
		  "a495991b7852b8550000000000000000", empty, 176);
	in.cmdline = "";
	assert_int_equal(sev_hashes_table(&in, t), 0);
	assert_memory_equal(t, empty, 176);
	in.cmdline = NULL;
	in.initrd = NULL;
	assert_int_equal(sev_hashes_table(&in, t), 0);
	assert_memory_equal(t, empty, 176);
	free(want);
}

/* virtee/sev src/session/mod.rs test verify() (embedded_vectors.json) */
static void test_launch_measure(void **state)
{
	uint8_t tik[16], ld[32], nonce[16], want[32], out[32];
	struct sev_ld l;

	tdata_hex("66320db73158a35a255d051758e95ed4", tik, 16);
	tdata_hex("4fbe0bedbad6c86ae8f68971d103e554", nonce, 16);
	tdata_hex("6faab2daae389bcd3405a05d6cafe33c0414f7bedd0bae19ba5f38b7fd1664ea",
		  want, 32);
	assert_int_equal(sev_ld_init(&l), 0);
	assert_int_equal(sev_ld_final(&l, ld), 0);	/* SHA-256("") */
	sev_ld_free(&l);
	assert_int_equal(sev_launch_measure(tik, 0, 0x12, 0x0f, 0, ld, nonce, out), 0);
	assert_memory_equal(out, want, 32);
}

static void test_sev_ld_zero(void **state)
{
	uint8_t *z = calloc(1, 10000), a[32], b[32];
	struct sev_ld l;

	SHA256(z, 10000, a);
	assert_int_equal(sev_ld_init(&l), 0);
	assert_int_equal(sev_ld_update_zero(&l, 10000), 0);
	assert_int_equal(sev_ld_final(&l, b), 0);
	sev_ld_free(&l);
	assert_memory_equal(a, b, 32);
	free(z);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_ovmf_hash),
		cmocka_unit_test(test_snp_page_info),
		cmocka_unit_test(test_snp_seed),
		cmocka_unit_test(test_snp_repeated_pages),
		cmocka_unit_test(test_hashes_table),
		cmocka_unit_test(test_launch_measure),
		cmocka_unit_test(test_sev_ld_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
