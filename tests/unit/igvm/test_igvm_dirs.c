// SPDX-License-Identifier: GPL-2.0-only
/*
 * src/igvm: every directive record decoded, every malformed directive
 * refused with its reason, the per-platform rules (overlaps, one policy /
 * ID block / context per vCPU), the accessors and platform selection.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "itest.h"

#define NATIVE	1u
#define SNP	2u
#define TDX	4u

static const uint8_t page_a[4096] = { 'a' };

static void three_platforms(void)
{
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_platform(&B, TDX, IGVM_PLAT_TDX);
}

static void test_page_data(void **state)
{
	struct igvm_file *f;

	three_platforms();
	ib_page(&B, 7, 0xffff0000, page_a, 0, IGVM_PAGE_NORMAL);
	ib_page(&B, SNP, 0x1000, NULL, 0, IGVM_PAGE_SECRETS);
	ib_page(&B, SNP, 0x2000, page_a, 0, IGVM_PAGE_CPUID);
	ib_page(&B, SNP, 0x3000, NULL, 0, IGVM_PAGE_CPUID_XF);
	ib_page(&B, 7, 0x200000, NULL, IGVM_PAGE_2MB, 0);
	ib_page(&B, 5, 0x4000, page_a, IGVM_PAGE_UNMEASURED | IGVM_PAGE_SHARED, 0);
	f = expect_ok();
	assert_int_equal(f->nr_dirs, 6);
	assert_int_equal(f->dirs[0].mask, 7);
	assert_int_equal(f->dirs[1].u.page.data_type, IGVM_PAGE_SECRETS);
	assert_null(f->dirs[1].u.page.data);
	assert_non_null(f->dirs[2].u.page.data);
	assert_int_equal(f->dirs[4].u.page.flags, IGVM_PAGE_2MB);
	assert_int_equal(f->dirs[5].u.page.flags, 6);
	igvm_free(f);
}

static void page_rec(uint64_t gpa, uint32_t mask, uint32_t foff, uint32_t flags,
		     uint16_t type, uint16_t reserved)
{
	uint8_t r[24];

	put_le(r, gpa, 8);
	put_le(r + 8, mask, 4);
	put_le(r + 12, foff, 4);
	put_le(r + 16, flags, 4);
	put_le(r + 20, type, 2);
	put_le(r + 22, reserved, 2);
	ib_rec(&B, 0x302, r, sizeof(r));
}

static void test_page_data_bad(void **state)
{
	static const struct {
		uint64_t gpa;
		uint32_t mask, foff, flags;
		uint16_t type, reserved;
		const char *why;
	} cases[] = {
		{ 0x1800, 1, 0, 0, 0, 0, "GPA 0x1800 is not aligned to 0x1000" },
		{ 0x101000, 1, 0, 1, 0, 0, "is not aligned to 0x200000" },
		{ 0x1000, 1, 0, 8, 0, 0, "flags 0x8" },
		{ 0x1000, 1, 0, 0, 4, 0, "data type 4" },
		{ 0x1000, 1, 0, 0, 0, 1, "reserved field" },
		{ 0x1000, 0, 0, 0, 0, 0, "compatibility mask is 0" },
		{ 0x1000, 8, 0, 0, 0, 0, "does not declare" },
		{ 1ULL << 52, 1, 0, 0, 0, 0, "52-bit physical address space" },
		{ 0xffffffffffe00000ULL, 1, 0, 1, 0, 0, "52-bit" },
		{ 0x200000, 2, 0, 1, 1, 0, "a SECRETS or CPUID page cannot be 2 MiB" },
		{ 0x1000, 1, 0, 0, 1, 0, "a SECRETS page applies to the native platform" },
		{ 0x1000, 6, 0, 0, 2, 0, "a CPUID page applies to the tdx platform" },
		{ 0x200000, 1, 0x1000, 1, 0, 0, "a 2 MiB page with file data" },
		{ 0x1000, 1, 8, 0, 0, 0, "outside the file data" },
		{ 0x1000, 1, 0x7ffff000, 0, 0, 0, "outside the file data" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ib_init(&B);
		three_platforms();
		page_rec(cases[i].gpa, cases[i].mask, cases[i].foff, cases[i].flags,
			 cases[i].type, cases[i].reserved);
		expect_refused(cases[i].why);
	}
}

/* A page whose 4 KiB reach one byte past the end of the file. */
static void test_page_data_short(void **state)
{
	uint8_t *b;

	ib_platform(&B, 1, 0);
	ib_page(&B, 1, 0x1000, page_a, 0, 0);
	b = ib_finish(&B, &file_len);
	put_le(b + 16, file_len - 1, 4);
	ib_fix_crc(b, file_len - 1);
	expect_refused_buf(b, file_len - 1, "0x1000 bytes of data at file offset");
	free(b);
}

static void test_overlaps(void **state)
{
	struct igvm_file *f;

	three_platforms();
	ib_page(&B, NATIVE, 0x1000, page_a, 0, 0);
	ib_page(&B, SNP, 0x1000, page_a, 0, 0);	/* another platform: fine */
	ib_page(&B, NATIVE, 0x3000, NULL, 0, 0);
	f = expect_ok();
	igvm_free(f);

	ib_init(&B);
	three_platforms();
	ib_page(&B, 3, 0x1000, page_a, 0, 0);
	ib_page(&B, SNP, 0x1000, NULL, 0, 0);
	expect_refused("platform snp: the headers at 0x60 and 0x80 both load GPA 0x1000");

	ib_init(&B);
	three_platforms();
	ib_page(&B, NATIVE, 0x200000, NULL, IGVM_PAGE_2MB, 0);
	ib_page(&B, NATIVE, 0x3ff000, page_a, 0, 0);
	expect_refused("both load GPA 0x3ff000");

	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 0x3000, NULL);
	ib_page(&B, SNP, 0x9000, page_a, 0, 0);
	ib_page(&B, SNP, 0x5000, page_a, 0, 0);
	ib_insert(&B, SNP, 0x7000, 0);		/* 0x7000-0xa000 covers 0x9000 */
	expect_refused("both load GPA 0x9000");

	ib_init(&B);
	three_platforms();
	ib_page(&B, TDX, 0x100000, NULL, IGVM_PAGE_2MB, 0);
	ib_page(&B, TDX, 0x200000, NULL, IGVM_PAGE_2MB, 0);
	ib_page(&B, TDX, 0x1ff000, page_a, 0, 0);
	expect_refused("is not aligned to 0x200000");
}

static void test_parameters(void **state)
{
	static const uint32_t types[] = {
		IGVM_VHT_VP_COUNT, IGVM_VHT_SRAT, IGVM_VHT_MADT, IGVM_VHT_MMIO_RANGES,
		IGVM_VHT_MEMORY_MAP, IGVM_VHT_COMMAND_LINE, IGVM_VHT_SLIT, IGVM_VHT_PPTT,
		IGVM_VHT_DEVICE_TREE, IGVM_VHT_ENVIRONMENT_INFO,
	};
	static uint8_t init[8192] = { 0x55 };
	struct igvm_file *f;
	unsigned int i;

	three_platforms();
	ib_area(&B, 7, 8192, init);
	for (i = 0; i < ARRAY_SIZE(types); i++)
		ib_param(&B, types[i], 7, 0x100 * i);
	ib_insert(&B, SNP | NATIVE, 0x10000, 7);
	f = expect_ok();
	assert_int_equal(f->nr_dirs, 12);
	assert_int_equal(f->dirs[0].mask, IGVM_MASK_ALL);
	assert_int_equal(f->dirs[0].u.area.size, 8192);
	assert_int_equal(f->dirs[0].u.area.data[0], 0x55);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		assert_int_equal(f->dirs[1 + i].type, types[i]);
		assert_int_equal(f->dirs[1 + i].u.param.offset, 0x100 * i);
	}
	assert_int_equal(f->dirs[11].u.insert.size, 8192);
	assert_int_equal(f->dirs[11].u.insert.gpa, 0x10000);
	igvm_free(f);
}

static void test_parameters_bad(void **state)
{
	three_platforms();
	ib_area(&B, 0, 0, NULL);
	expect_refused("size 0x0 is not a multiple of 4 KiB");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 0x1800, NULL);
	expect_refused("size 0x1800");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 32 << 20, NULL);
	expect_refused("between 4 KiB and 16 MiB");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 8 << 20, NULL);		/* 16 MiB in all: taken */
	ib_area(&B, 1, 8 << 20, NULL);
	igvm_free(expect_ok());
	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 8 << 20, NULL);
	ib_area(&B, 1, 8 << 20, NULL);
	ib_area(&B, 2, 4096, NULL);
	expect_refused("the parameter areas would total more than 16 MiB (0x1000000 bytes");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 0, 4096, NULL);
	ib_area(&B, 0, 4096, NULL);
	expect_refused("parameter area 0 is declared twice");
	ib_init(&B);
	three_platforms();
	ib_param(&B, IGVM_VHT_VP_COUNT, 1, 0);
	expect_refused("parameter area 1 is not declared before it");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 1, 4096, NULL);
	ib_param(&B, IGVM_VHT_VP_COUNT, 1, 4094);
	expect_refused("offset 0xffe leaves no room");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 1, 4096, NULL);
	ib_param(&B, IGVM_VHT_MEMORY_MAP, 1, 4096 - 23);
	expect_refused("leaves no room");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 1, 4096, NULL);
	ib_insert(&B, SNP, 0x5000, 1);
	ib_param(&B, IGVM_VHT_COMMAND_LINE, 1, 0);
	expect_refused("parameter area 1 is already inserted");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 1, 4096, NULL);
	ib_insert(&B, SNP, 0x5000, 1);
	ib_insert(&B, NATIVE, 0x5000, 1);
	expect_refused("parameter area 1 is already inserted");
	ib_init(&B);
	three_platforms();
	ib_insert(&B, SNP, 0x5000, 2);
	expect_refused("parameter area 2 is not declared before it");
	ib_init(&B);
	three_platforms();
	ib_area(&B, 1, 4096, NULL);
	ib_insert(&B, SNP, 0x5800, 1);
	expect_refused("GPA 0x5800 is not aligned");
}

static void test_area_data_bad(void **state)
{
	uint8_t r[16] = { 0 };

	three_platforms();
	ib_page(&B, SNP, 0x1000, page_a, 0, 0);
	ib_page(&B, SNP, 0x2000, page_a, 0, 0);
	put_le(r, 4096, 8);
	put_le(r + 12, 24, 4);			/* inside the headers */
	ib_rec(&B, 0x301, r, sizeof(r));
	expect_refused("outside the file data");
}

static void test_vp_context(void **state)
{
	const struct igvm_platform *snp;
	struct igvm_file *f;
	uint8_t vmsa[4096], native[4096] = { 0 };
	unsigned int n;

	three_platforms();
	ib_vmsa(vmsa, 0xfffffff0, 1);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 1, vmsa);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa);
	native[0x80] = 0xf0;			/* rip */
	ib_vp(&B, NATIVE, 0, 0, native);
	f = expect_ok();
	snp = igvm_platform_find(f, IGVM_PLAT_SNP);
	assert_ptr_equal(igvm_vp_context(f, snp, 0), &f->dirs[1]);
	assert_ptr_equal(igvm_vp_context(f, snp, 1), &f->dirs[0]);
	assert_null(igvm_vp_context(f, snp, 2));
	assert_int_equal(f->dirs[1].u.vp.platform, IGVM_PLAT_SNP);
	assert_int_equal(igvm_vp_count(f, snp, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_int_equal(f->dirs[2].u.vp.data[0x80], 0xf0);
	igvm_free(f);

	ib_init(&B);
	three_platforms();
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 2, vmsa);
	f = expect_ok();
	{
		struct err_msg err;

		assert_int_equal(igvm_vp_count(f, igvm_platform_find(f, IGVM_PLAT_SNP),
					       &n, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "leave gaps"));
	}
	igvm_free(f);
}

static void test_vp_context_bad(void **state)
{
	uint8_t vmsa[4096], native[4096] = { 0 };
	uint8_t r[20] = { 0 };

	ib_vmsa(vmsa, 0xfffffff0, 1);
	three_platforms();
	ib_vp(&B, SNP, 0xfffff000, 0, vmsa);
	expect_refused("the SNP VMSA is at GPA 0xfffff000, not at KVM's fixed");
	ib_init(&B);
	three_platforms();
	ib_vp(&B, TDX, 0, 0, native);
	expect_refused("TDX has no VP context");
	ib_init(&B);
	three_platforms();
	ib_vp(&B, NATIVE, 0x1000, 0, native);
	expect_refused("a native VP context has GPA 0x1000, not 0");
	ib_init(&B);
	three_platforms();
	ib_vp(&B, SNP | NATIVE, IGVM_SNP_VMSA_GPA, 0, vmsa);
	expect_refused("is not one platform's");
	ib_init(&B);
	three_platforms();
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, NULL);
	expect_refused("the VP context has no data");
	ib_init(&B);
	three_platforms();
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa);
	expect_refused("a second VP context for vCPU 0");
	ib_init(&B);
	three_platforms();
	native[IGVM_NATIVE_CTX_LEN] = 1;
	ib_vp(&B, NATIVE, 0, 0, native);
	expect_refused("byte 0xe8 past its 232-byte structure");
	ib_init(&B);
	three_platforms();
	native[IGVM_NATIVE_CTX_LEN] = 0;
	native[0xab] = 0x01;			/* code attributes bit 8 */
	ib_vp(&B, NATIVE, 0, 0, native);
	expect_refused("reserved bits are set");
	ib_init(&B);
	three_platforms();
	put_le(r + 8, SNP, 4);
	put_le(r + 18, 1, 2);			/* reserved */
	ib_rec(&B, 0x304, r, sizeof(r));
	expect_refused("reserved is set");
}

static void range_rec(uint32_t type, uint64_t gpa, uint32_t mask, uint32_t size,
		      uint32_t flags, uint32_t reserved)
{
	uint8_t r[24] = { 0 };

	put_le(r, gpa, 8);
	put_le(r + 8, mask, 4);
	put_le(r + 12, size, 4);
	put_le(r + 16, flags, 4);
	put_le(r + 20, reserved, 4);
	ib_rec(&B, type, r, type == IGVM_VHT_ERROR_RANGE ? 16 : 24);
}

static void test_ranges(void **state)
{
	struct igvm_file *f;

	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, 0x100000, SNP, 0x200000, 1, 0);
	range_rec(IGVM_VHT_ERROR_RANGE, 0x9000, SNP, 0x1000, 0, 0);
	ib_page(&B, SNP, 0x100000, page_a, 0, 0);	/* required memory may overlap */
	f = expect_ok();
	assert_int_equal(f->dirs[0].u.range.size, 0x200000);
	assert_int_equal(f->dirs[0].u.range.flags, 1);
	assert_int_equal(f->dirs[1].type, IGVM_VHT_ERROR_RANGE);
	assert_int_equal(f->dirs[1].u.range.gpa, 0x9000);
	igvm_free(f);

	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, 0x100000, SNP, 0x800, 0, 0);
	expect_refused("size 0x800");
	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, 0x100000, SNP, 0x1000, 2, 0);
	expect_refused("flags 0x2");
	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, 0x100000, SNP, 0x1000, 0, 1);
	expect_refused("reserved field");
	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_ERROR_RANGE, 0x9000, SNP, 0, 0, 0);
	expect_refused("size 0x0");
	/* starts below 2^52, ends past it: the size counts (mutant igvm-gpa-limit) */
	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, (1ULL << 52) - 0x1000, SNP, 0x2000, 0, 0);
	expect_refused("52-bit physical address space");
	ib_init(&B);
	three_platforms();
	range_rec(IGVM_VHT_REQUIRED_MEMORY, (1ULL << 52) - 0x2000, SNP, 0x2000, 0, 0);
	f = expect_ok();
	igvm_free(f);
}

static void id_block_rec(uint32_t mask, uint8_t ake, uint8_t rsvd)
{
	uint8_t r[IGVM_ID_BLOCK_LEN];
	unsigned int i;

	for (i = 0; i < sizeof(r); i++)
		r[i] = (uint8_t)i;
	put_le(r, mask, 4);
	r[4] = ake;
	r[5] = r[6] = 0;
	r[7] = rsvd;
	ib_rec(&B, 0x30b, r, sizeof(r));
}

static void test_id_block(void **state)
{
	struct igvm_snp_id_block b;
	uint8_t blk[96], auth[4096];
	struct igvm_file *f;
	bool ake = false;

	three_platforms();
	id_block_rec(SNP, 1, 0);
	f = expect_ok();
	assert_int_equal(igvm_snp_id_block(f, igvm_platform_find(f, IGVM_PLAT_SNP), &b), 0);
	assert_int_equal(igvm_snp_id_block(f, igvm_platform_find(f, 0), &b), -ENOENT);
	/* the record's byte i is i: every field lands where igvm_defs puts it */
	assert_int_equal(b.author_key_enabled, 1);
	assert_int_equal(b.ld[0], 8);
	assert_int_equal(b.family_id[0], 56);
	assert_int_equal(b.image_id[0], 72);
	assert_int_equal(b.version, 88 | 89 << 8 | 90 << 16 | 91u << 24);
	assert_int_equal(b.guest_svn & 0xff, 92);
	assert_int_equal(b.id_key_algorithm & 0xff, 96);
	assert_int_equal(b.author_key_algorithm & 0xff, 100);
	assert_int_equal(b.id_key_sig_r[0], 104);
	assert_int_equal(b.id_key_sig_s[0], 176);
	assert_int_equal(b.id_key_curve & 0xff, 248);
	assert_int_equal(b.id_key_qx[0], (uint8_t)256);
	assert_int_equal(b.id_key_qy[0], (uint8_t)328);
	assert_int_equal(b.author_key_sig_r[0], (uint8_t)400);
	assert_int_equal(b.author_key_sig_s[0], (uint8_t)472);
	assert_int_equal(b.author_key_curve & 0xff, (uint8_t)544);
	assert_int_equal(b.author_key_qx[0], (uint8_t)552);
	assert_int_equal(b.author_key_qy[71], (uint8_t)695);
	/* PSP layout: QEMU's conversion */
	igvm_id_block_to_psp(&b, 0x30000, blk, auth, &ake);
	assert_true(ake);
	assert_memory_equal(blk, b.ld, 48);
	assert_memory_equal(blk + 48, b.family_id, 16);
	assert_memory_equal(blk + 64, b.image_id, 16);
	assert_int_equal(blk[80], 1);			/* version 1 */
	assert_int_equal(blk[84], 92);			/* guest svn */
	assert_int_equal(blk[88 + 2], 3);		/* policy 0x30000 */
	assert_int_equal(auth[0], 96);			/* id key algorithm */
	assert_int_equal(auth[4], 100);
	assert_memory_equal(auth + 0x40, b.id_key_sig_r, 72);
	assert_memory_equal(auth + 0x40 + 72, b.id_key_sig_s, 72);
	assert_int_equal(auth[0x240], 248);		/* curve, then qx at +4 */
	assert_memory_equal(auth + 0x244, b.id_key_qx, 72);
	assert_memory_equal(auth + 0x240 + 76, b.id_key_qy, 72);
	assert_memory_equal(auth + 0x680, b.author_key_sig_r, 72);
	assert_memory_equal(auth + 0x884, b.author_key_qx, 72);
	assert_int_equal(auth[0x240 + 148], 0);
	igvm_free(f);

	ib_init(&B);
	three_platforms();
	id_block_rec(SNP, 2, 0);
	expect_refused("author_key_enabled 2");
	ib_init(&B);
	three_platforms();
	id_block_rec(SNP, 0, 1);
	expect_refused("reserved bytes");
	ib_init(&B);
	three_platforms();
	id_block_rec(SNP | NATIVE, 0, 0);
	expect_refused("an SNP ID block applies to the native platform");
	ib_init(&B);
	three_platforms();
	id_block_rec(SNP, 0, 0);
	id_block_rec(SNP, 0, 0);
	expect_refused("platform snp: SNP_ID_BLOCK at");
}

static void test_vbs(void **state)
{
	uint8_t r[864] = { 0 }, ctx[4 + 64] = { 2 };
	struct igvm_file *f;
	size_t at;

	ib_platform(&B, 1, IGVM_PLAT_VSM);
	put_le(r, 1, 4);
	ib_rec(&B, 0x311, r, sizeof(r));
	memset(r, 0, 20);
	put_le(r + 8, 1, 4);
	at = ib_rec(&B, 0x304, r, 20);
	ib_patch(&B, at + 12, ib_data(&B, ctx, sizeof(ctx)));
	f = expect_ok();
	assert_int_equal(f->dirs[0].type, IGVM_VHT_VBS_MEASUREMENT);
	assert_int_equal(f->dirs[1].u.vp.platform, IGVM_PLAT_VSM);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, 1, IGVM_PLAT_VSM);
	at = ib_rec(&B, 0x304, r, 20);
	ctx[0] = 3;				/* three registers: 4 + 96 bytes */
	ib_patch(&B, at + 12, ib_data(&B, ctx, sizeof(ctx)));
	expect_refused("outside the file data");
}

static void test_select(void **state)
{
	const struct igvm_platform *p;
	struct igvm_file *f;
	struct err_msg err;
	char line[256];

	three_platforms();
	f = expect_ok();
	assert_int_equal(igvm_select_platform(f, 1u << IGVM_PLAT_NATIVE | 1u << IGVM_PLAT_SNP |
					      1u << IGVM_PLAT_TDX, &p, &err), 0);
	assert_int_equal(p->type, IGVM_PLAT_SNP);
	assert_int_equal(igvm_select_platform(f, 1u << IGVM_PLAT_NATIVE | 1u << IGVM_PLAT_TDX,
					      &p, &err), 0);
	assert_int_equal(p->type, IGVM_PLAT_TDX);
	igvm_select_reason(f, p, line, sizeof(line));
	assert_string_equal(line, "IGVM platform tdx (compatibility mask 0x4) chosen from: "
			    "native, snp, tdx");
	assert_int_equal(igvm_select_platform(f, 1u << IGVM_PLAT_SEV, &p, &err), -ENOENT);
	assert_null(p);
	assert_non_null(strstr(err.msg, "(it has: native, snp, tdx)"));
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, 1, IGVM_PLAT_SEV_ES);
	ib_rec(&B, 0, line, 0);			/* type 0 is unknown: refused */
	expect_refused("type 0x0 is unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ITEST(test_page_data),
		ITEST(test_page_data_bad),
		ITEST(test_page_data_short),
		ITEST(test_overlaps),
		ITEST(test_parameters),
		ITEST(test_parameters_bad),
		ITEST(test_area_data_bad),
		ITEST(test_vp_context),
		ITEST(test_vp_context_bad),
		ITEST(test_ranges),
		ITEST(test_id_block),
		ITEST(test_vbs),
		ITEST(test_select),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
