// SPDX-License-Identifier: GPL-2.0-only
/*
 * src/igvm: the fixed header, the CRC, the walk over the variable headers,
 * the platform record and the initialization records -- each accepted with
 * its fields decoded, and each way of being malformed refused with its
 * own reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <zlib.h>

#include "itest.h"

static const uint8_t page_a[4096] = { 'a' };

static void minimal(void)
{
	ib_platform(&B, 1, 0);
	ib_page(&B, 1, 0x1000, page_a, 0, 0);
}

static void test_minimal(void **state)
{
	struct igvm_file *f;

	minimal();
	f = expect_ok();
	assert_int_equal(f->version, 1);
	assert_int_equal(f->nr_platforms, 1);
	assert_int_equal(f->platforms[0].type, IGVM_PLAT_NATIVE);
	assert_int_equal(f->nr_dirs, 1);
	assert_int_equal(f->dirs[0].type, IGVM_VHT_PAGE_DATA);
	assert_int_equal(f->dirs[0].u.page.gpa, 0x1000);
	assert_ptr_equal(f->dirs[0].u.page.data, file_buf + f->data_off);
	assert_int_equal(f->dirs[0].u.page.data[0], 'a');
	assert_int_equal(f->dirs[0].off, 0x30);
	igvm_free(f);
}

static void test_fixed_header(void **state)
{
	uint8_t *b;

	minimal();
	b = ib_finish(&B, &file_len);
	expect_refused_buf(b, 23, "truncated: 23 bytes");
	b[0] ^= 1;
	expect_refused_buf(b, file_len, "not an IGVM file");
	b[0] ^= 1;
	put_le(b + 4, 3, 4);
	ib_fix_crc(b, file_len);
	expect_refused_buf(b, file_len, "format version 3");
	put_le(b + 4, 1, 4);
	put_le(b + 16, file_len + 1, 4);
	ib_fix_crc(b, file_len);
	expect_refused_buf(b, file_len, "(truncated)");
	put_le(b + 16, file_len, 4);
	expect_refused_buf(b, file_len - 1, "(truncated)");
	put_le(b + 8, 20, 4);				/* inside the fixed header */
	ib_fix_crc(b, file_len);
	expect_refused_buf(b, file_len, "misplaced");
	put_le(b + 8, 28, 4);				/* not 8-byte aligned */
	ib_fix_crc(b, file_len);
	expect_refused_buf(b, file_len, "misplaced");
	put_le(b + 8, 24, 4);
	put_le(b + 12, 0xfffffff0, 4);			/* past the end (checked before the CRC) */
	expect_refused_buf(b, file_len, "misplaced");
	/* one byte past the end: the bound is exact (mutant igvm-var-area-past-end) */
	put_le(b + 12, file_len - 24 + 1, 4);
	expect_refused_buf(b, file_len, "misplaced");
	free(b);
}

static void test_crc(void **state)
{
	uint8_t *b;

	minimal();
	b = ib_finish(&B, &file_len);
	b[40] ^= 0x80;				/* a header byte: the gpa */
	expect_refused_buf(b, file_len, "CRC32 of the headers");
	b[40] ^= 0x80;
	b[file_len - 1] ^= 1;			/* file data is not covered */
	{
		struct igvm_file *f;
		struct err_msg err;

		assert_int_equal(igvm_parse(b, file_len, &f, &err), 0);
		igvm_free(f);
	}
	free(b);
}

static uint32_t crc32_v2(const uint8_t *b, uint32_t var_len)
{
	uLong c = crc32(0L, Z_NULL, 0);

	c = crc32(c, b, 32);
	return (uint32_t)crc32(c, b + 32, var_len);
}

/* A version 2 header: architecture x86-64 (0) and 4 KiB pages. */
static uint8_t *make_v2(uint32_t arch, uint32_t page_size, size_t *len)
{
	size_t l1;
	uint8_t *v1, *b;
	uint32_t var_len;

	minimal();
	v1 = ib_finish(&B, &l1);
	var_len = v1[12] | v1[13] << 8;
	*len = l1 + 8;
	b = calloc(1, *len);
	memcpy(b, v1, 24);
	memcpy(b + 32, v1 + 24, l1 - 24);
	put_le(b + 4, 2, 4);
	put_le(b + 8, 32, 4);
	put_le(b + 16, *len, 4);
	put_le(b + 24, arch, 4);
	put_le(b + 28, page_size, 4);
	put_le(b + 32 + 24 + 8 + 12, 32 + var_len, 4);	/* the page record's file offset */
	put_le(b + 20, 0, 4);
	put_le(b + 20, crc32_v2(b, var_len), 4);
	free(v1);
	return b;
}

static void test_version2(void **state)
{
	struct igvm_file *f;
	struct err_msg err;
	size_t len;
	uint8_t *b = make_v2(0, 4096, &len);

	assert_int_equal(igvm_parse(b, len, &f, &err), 0);
	assert_int_equal(f->version, 2);
	assert_int_equal(f->dirs[0].u.page.data[0], 'a');
	igvm_free(f);
	free(b);
	ib_init(&B);
	b = make_v2(1, 4096, &len);
	expect_refused_buf(b, len, "architecture 1 is not x86-64");
	free(b);
	ib_init(&B);
	b = make_v2(0, 65536, &len);
	expect_refused_buf(b, len, "page size 65536");
	free(b);
}

static void test_var_area(void **state)
{
	static const uint8_t junk[4] = { 1, 2, 3, 4 };
	struct igvm_file *f;
	size_t at;

	minimal();
	ib_rec(&B, 0x80000350, junk, sizeof(junk));	/* unknown, optional */
	ib_rec(&B, 0x80000302 + 0x1000, junk, 3);	/* unknown, optional */
	f = expect_ok();
	assert_int_equal(f->nr_skipped, 2);
	igvm_free(f);

	ib_init(&B);
	minimal();
	ib_rec(&B, 0x350, junk, sizeof(junk));
	expect_refused("type 0x350 is unknown and not marked optional");

	ib_init(&B);
	minimal();
	at = ib_rec(&B, 0x80000350, junk, 3);
	B.var[at + 4] = 1;				/* padding */
	expect_refused("padding is not zero");

	ib_init(&B);
	minimal();
	at = ib_rec(&B, 0x302, junk, 4);
	expect_refused("length 4 is not 24");

	ib_init(&B);
	minimal();
	at = ib_rec(&B, 0x80000350, junk, 4);
	put_le(B.var + at - 4, 4096, 4);		/* length past the area */
	expect_refused("runs past the end");

	ib_init(&B);
	minimal();
	at = ib_rec(&B, 0x80000350, junk, 4);
	put_le(B.var + at - 4, 9, 4);			/* one byte past the area (issue 21) */
	expect_refused("runs past the end");

	ib_init(&B);
	minimal();
	B.var_len += 4;					/* stray bytes at the end */
	expect_refused("stray bytes");
	(void)at;
}

static void test_optional_known(void **state)
{
	struct igvm_file *f;
	uint8_t r[24] = { 0 };

	/* a known type with the optional bit is processed, not skipped */
	ib_platform(&B, 1, 0);
	put_le(r, 0x5000, 8);
	put_le(r + 8, 1, 4);
	ib_rec(&B, 0x80000302, r, sizeof(r));
	f = expect_ok();
	assert_int_equal(f->nr_dirs, 1);
	assert_int_equal(f->dirs[0].u.page.gpa, 0x5000);
	assert_null(f->dirs[0].u.page.data);
	assert_int_equal(f->nr_skipped, 0);
	igvm_free(f);
}

static void test_section_order(void **state)
{
	minimal();
	ib_policy(&B, 1, 0x30000);
	expect_refused("initialization header after the directive section");
	ib_init(&B);
	minimal();
	ib_platform(&B, 2, 2);
	expect_refused("platform header after the directive section");
	ib_init(&B);
	ib_page(&B, 1, 0x1000, NULL, 0, 0);		/* before any platform */
	expect_refused("names a platform the file does not declare");
	ib_init(&B);
	expect_refused("declares no platform");
}

static void platform_rec(uint32_t mask, uint8_t vtl, uint8_t type, uint16_t version,
			 uint64_t boundary)
{
	uint8_t r[16];

	put_le(r, mask, 4);
	r[4] = vtl;
	r[5] = type;
	put_le(r + 6, version, 2);
	put_le(r + 8, boundary, 8);
	ib_rec(&B, 0x1, r, sizeof(r));
}

static void test_platform(void **state)
{
	struct igvm_file *f;

	platform_rec(0x4, 0, IGVM_PLAT_SNP, 1, 1ULL << 51);
	platform_rec(0x1, 0, IGVM_PLAT_NATIVE, 1, 0);
	platform_rec(0x8, 2, IGVM_PLAT_TDX, 1, 0);
	f = expect_ok();
	assert_int_equal(f->nr_platforms, 3);
	assert_int_equal(f->platforms[0].mask, 4);
	assert_int_equal(f->platforms[0].shared_gpa_boundary, 1ULL << 51);
	assert_ptr_equal(igvm_platform_find(f, IGVM_PLAT_TDX), &f->platforms[2]);
	assert_int_equal(igvm_platform_find(f, IGVM_PLAT_TDX)->highest_vtl, 2);
	assert_null(igvm_platform_find(f, IGVM_PLAT_SEV));
	igvm_free(f);
}

static void test_platform_bad(void **state)
{
	static const struct {
		uint32_t mask;
		uint8_t vtl, type;
		uint16_t version;
		uint64_t boundary;
		const char *why;
	} cases[] = {
		{ 0x3, 0, 0, 1, 0, "is not one bit" },
		{ 0, 0, 0, 1, 0, "is not one bit" },
		{ 1, 0, 7, 1, 0, "platform type 7 is unknown" },
		{ 1, 0, 2, 2, 0, "platform version 2 is not 1" },
		{ 1, 1, 2, 1, 0, "highest VTL 1" },
		{ 1, 0, 0, 1, 0x1000, "native platform has a shared-GPA boundary" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ib_init(&B);
		platform_rec(cases[i].mask, cases[i].vtl, cases[i].type, cases[i].version,
			     cases[i].boundary);
		expect_refused(cases[i].why);
	}
	ib_init(&B);
	platform_rec(1, 0, 2, 1, 0);
	platform_rec(1, 0, 0, 1, 0);
	expect_refused("is not one bit of its own");
	ib_init(&B);
	platform_rec(1, 0, 2, 1, 0);
	platform_rec(2, 0, 2, 1, 0);
	expect_refused("platform snp is declared twice");
}

static void test_guest_policy(void **state)
{
	const struct igvm_platform *snp;
	struct igvm_file *f;
	uint64_t policy = 0;
	uint8_t r[16] = { 0 };

	ib_platform(&B, 1, IGVM_PLAT_NATIVE);
	ib_platform(&B, 2, IGVM_PLAT_SNP);
	ib_policy(&B, 2, 0x30000);
	f = expect_ok();
	snp = igvm_platform_find(f, IGVM_PLAT_SNP);
	assert_int_equal(igvm_guest_policy(f, snp, &policy), 0);
	assert_int_equal(policy, 0x30000);
	assert_int_equal(igvm_guest_policy(f, igvm_platform_find(f, 0), &policy), -ENOENT);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, 2, IGVM_PLAT_SNP);
	ib_policy(&B, 2, 0x30000);
	ib_policy(&B, 2, 0x30000);
	expect_refused("platform snp: GUEST_POLICY at 0x30 and at 0x48");
	ib_init(&B);
	ib_platform(&B, 2, IGVM_PLAT_SNP);
	ib_policy(&B, 0, 0x30000);
	expect_refused("compatibility mask is 0");
	ib_init(&B);
	ib_platform(&B, 2, IGVM_PLAT_SNP);
	put_le(r + 8, 2, 4);
	put_le(r + 12, 1, 4);
	ib_rec(&B, 0x101, r, sizeof(r));
	expect_refused("reserved field is not zero");
}

static void reloc_rec(uint64_t align, uint64_t gpa, uint64_t size, uint64_t min,
		      uint64_t max)
{
	uint8_t r[48] = { 0 };

	put_le(r, 1, 4);
	r[7] = 2;				/* APPLY_RIP */
	put_le(r + 8, align, 8);
	put_le(r + 16, gpa, 8);
	put_le(r + 24, size, 8);
	put_le(r + 32, min, 8);
	put_le(r + 40, max, 8);
	ib_rec(&B, 0x102, r, sizeof(r));
}

static void test_relocation(void **state)
{
	struct igvm_file *f;
	uint8_t r[32] = { 0 };

	ib_platform(&B, 1, 0);
	reloc_rec(0x200000, 0x800000, 0x10000, 0x200000, 0x4000000);
	put_le(r, 1, 4);
	put_le(r + 8, 0x10000, 8);
	put_le(r + 16, 0x4000, 8);
	put_le(r + 24, 0x2000, 8);
	ib_rec(&B, 0x103, r, sizeof(r));
	f = expect_ok();
	assert_int_equal(f->nr_inits, 2);
	assert_int_equal(f->inits[0].u.reloc.gpa, 0x800000);
	assert_int_equal(f->inits[0].u.reloc.flags, 2);
	assert_int_equal(f->inits[1].u.pt_reloc.used, 0x2000);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, 1, 0);
	reloc_rec(0, 0x800000, 0x10000, 0, 0x4000000);
	expect_refused("alignment 0x0");
	ib_init(&B);
	ib_platform(&B, 1, 0);
	reloc_rec(0x200000, 0x801000, 0x10000, 0, 0x4000000);
	expect_refused("is not aligned to 0x200000");
	ib_init(&B);
	ib_platform(&B, 1, 0);
	reloc_rec(0x200000, 0x800000, 0x10000, 0xa00000, 0x4000000);
	expect_refused("relocation bounds");
	ib_init(&B);
	ib_platform(&B, 1, 0);
	put_le(r + 24, 0x5000, 8);
	ib_rec(&B, 0x103, r, sizeof(r));
	expect_refused("used size 0x5000 of 0x4000");
}

static void test_corim_cca(void **state)
{
	static const uint8_t doc[100] = { 0xd9 };
	struct igvm_file *f;
	uint8_t r[16] = { 0 }, c[32] = { 0 };
	size_t at;

	ib_platform(&B, 1, IGVM_PLAT_SNP);
	ib_platform(&B, 2, IGVM_PLAT_CCA);
	put_le(r, 1, 4);
	put_le(r + 8, sizeof(doc), 4);
	at = ib_rec(&B, 0x104, r, sizeof(r));
	ib_patch(&B, at + 4, ib_data(&B, doc, sizeof(doc)));
	put_le(c, 2, 4);
	put_le(c + 8, 1, 8);			/* required zeros */
	put_le(c + 16, 2, 8);			/* required ones */
	c[24] = 2;				/* SHA-384 */
	ib_rec(&B, 0x106, c, sizeof(c));
	f = expect_ok();
	assert_int_equal(f->nr_inits, 2);
	assert_int_equal(f->inits[0].u.corim.len, 100);
	assert_int_equal(f->inits[0].u.corim.data[0], 0xd9);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, 1, IGVM_PLAT_SNP);
	put_le(r + 4, 0x10000, 4);		/* outside the file */
	ib_rec(&B, 0x105, r, sizeof(r));
	expect_refused("outside the file data");
	ib_init(&B);
	ib_platform(&B, 2, IGVM_PLAT_CCA);
	put_le(c + 16, 3, 8);			/* a bit both required 0 and 1 */
	ib_rec(&B, 0x106, c, sizeof(c));
	expect_refused("invalid attribute masks");
}

/* Every prefix of a good file is refused, none crashes. */
static void test_every_truncation(void **state)
{
	struct igvm_file *f;
	struct err_msg err;
	uint8_t vmsa[4096];
	size_t n;

	ib_platform(&B, 1, 0);
	ib_platform(&B, 2, 2);
	ib_policy(&B, 2, 0x30000);
	ib_area(&B, 0, 4096, NULL);
	ib_param(&B, IGVM_VHT_VP_COUNT, 0, 0);
	ib_insert(&B, 3, 0x9000, 0);
	ib_page(&B, 3, 0x1000, page_a, 0, 0);
	ib_vmsa(vmsa, 0xfffffff0, 1);
	ib_vp(&B, 2, IGVM_SNP_VMSA_GPA, 0, vmsa);
	free(file_buf);
	file_buf = ib_finish(&B, &file_len);
	assert_int_equal(igvm_parse(file_buf, file_len, &f, &err), 0);
	igvm_free(f);
	for (n = 0; n < file_len; n++) {
		uint8_t *copy = malloc(n ? n : 1);

		memcpy(copy, file_buf, n);
		assert_int_equal(igvm_parse(copy, n, &f, &err), -EINVAL);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ITEST(test_minimal),
		ITEST(test_fixed_header),
		ITEST(test_crc),
		ITEST(test_version2),
		ITEST(test_var_area),
		ITEST(test_optional_known),
		ITEST(test_section_order),
		ITEST(test_platform),
		ITEST(test_platform_bad),
		ITEST(test_guest_policy),
		ITEST(test_relocation),
		ITEST(test_corim_cca),
		ITEST(test_every_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
