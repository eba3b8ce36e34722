// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX MRTD and RTMR: measure/tdx.c against a straightforward computation
 * over the MEM.PAGE.ADD / MR.EXTEND record layouts (attest-anchors 2.2)
 * written here with OpenSSL directly.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "measure/tdx.h"

static void rec(EVP_MD_CTX *c, const char *tag, uint64_t gpa)
{
	uint8_t b[128] = { 0 };

	memcpy(b, tag, strlen(tag));
	memcpy(b + 16, &gpa, 8);	/* x86-64: little-endian */
	EVP_DigestUpdate(c, b, 128);
}

static void ref_extend_page(EVP_MD_CTX *c, uint64_t gpa, const uint8_t *page)
{
	int i;

	for (i = 0; i < 16; i++) {
		rec(c, "MR.EXTEND", gpa + i * 256);
		EVP_DigestUpdate(c, page + i * 256, 128);
		EVP_DigestUpdate(c, page + i * 256 + 128, 128);
	}
}

/* Reference: region of @pages pages at @gpa, contents @data. */
static void ref_region(EVP_MD_CTX *c, uint64_t gpa, unsigned int pages,
		       const uint8_t *data, int measure, int two_pass)
{
	unsigned int p;

	for (p = 0; p < pages; p++) {
		rec(c, "MEM.PAGE.ADD", gpa + p * 4096ULL);
		if (measure && !two_pass)
			ref_extend_page(c, gpa + p * 4096ULL, data + p * 4096);
	}
	if (measure && two_pass)
		for (p = 0; p < pages; p++)
			ref_extend_page(c, gpa + p * 4096ULL, data + p * 4096);
}

static void check_order(enum tdx_page_order order)
{
	uint8_t *data = malloc(3 * 4096), want[48], got[48];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	struct tdx_mrtd m;
	unsigned int i;

	for (i = 0; i < 3 * 4096; i++)
		data[i] = (uint8_t)(i * 7 + i / 4096);
	EVP_DigestInit_ex(c, EVP_sha384(), NULL);
	ref_region(c, 0xffe00000, 3, data, 1, order == TDX_ORDER_TWO_PASS);
	ref_region(c, 0x800000, 2, NULL, 0, 0);
	EVP_DigestFinal_ex(c, want, NULL);
	EVP_MD_CTX_free(c);

	assert_int_equal(tdx_mrtd_init(&m), 0);
	assert_int_equal(tdx_mrtd_add_region(&m, 0xffe00000, 3 * 4096, data, 3 * 4096,
					     true, order), 0);
	assert_int_equal(tdx_mrtd_add_region(&m, 0x800000, 2 * 4096, NULL, 0, false,
					     order), 0);
	assert_int_equal(tdx_mrtd_final(&m, got), 0);
	tdx_mrtd_free(&m);
	assert_memory_equal(got, want, 48);
	free(data);
}

static void test_per_page(void **state)
{
	check_order(TDX_ORDER_PER_PAGE);
}

static void test_two_pass(void **state)
{
	check_order(TDX_ORDER_TWO_PASS);
}

static void test_orders_differ_and_zero_fill(void **state)
{
	uint8_t a[48], b[48], c[48], page[4096] = { 0 };
	struct tdx_mrtd m;

	page[0] = 1;
	assert_int_equal(tdx_mrtd_init(&m), 0);
	assert_int_equal(tdx_mrtd_add_region(&m, 0, 8192, page, 1, true,
					     TDX_ORDER_PER_PAGE), 0);
	assert_int_equal(tdx_mrtd_final(&m, a), 0);
	/* data shorter than the region reads as zero past its end */
	{
		uint8_t *full = calloc(1, 8192);

		full[0] = 1;
		assert_int_equal(tdx_mrtd_add_region(&m, 0, 8192, full, 8192, true,
						     TDX_ORDER_PER_PAGE), 0);
		assert_int_equal(tdx_mrtd_final(&m, b), 0);
		assert_memory_equal(a, b, 48);
		assert_int_equal(tdx_mrtd_add_region(&m, 0, 8192, full, 8192, true,
						     TDX_ORDER_TWO_PASS), 0);
		assert_int_equal(tdx_mrtd_final(&m, c), 0);
		assert_memory_not_equal(a, c, 48);
		free(full);
	}
	assert_int_not_equal(tdx_mrtd_add_region(&m, 1, 4096, NULL, 0, false,
						 TDX_ORDER_PER_PAGE), 0);
	tdx_mrtd_free(&m);
}

static void test_rtmr(void **state)
{
	uint8_t rtmr[48] = { 0 }, d1[48], d2[48], buf[96], want[48];

	SHA384((const uint8_t *)"one", 3, d1);
	SHA384((const uint8_t *)"two", 3, d2);
	memset(buf, 0, 48);
	memcpy(buf + 48, d1, 48);
	SHA384(buf, 96, want);
	memcpy(buf, want, 48);
	memcpy(buf + 48, d2, 48);
	SHA384(buf, 96, want);

	assert_int_equal(tdx_rtmr_extend(rtmr, d1), 0);
	assert_int_equal(tdx_rtmr_extend(rtmr, d2), 0);
	assert_memory_equal(rtmr, want, 48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_page),
		cmocka_unit_test(test_two_pass),
		cmocka_unit_test(test_orders_differ_and_zero_fill),
		cmocka_unit_test(test_rtmr),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
