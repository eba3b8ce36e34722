// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware metadata parsers on the real OVMF fixtures, Debian's OVMF.fd
 * (when installed) and synthetic images that break one rule at a time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "coco/fw/fw_table.h"
#include "coco/fw/sev_meta.h"
#include "coco/fw/td_hob.h"
#include "coco/fw/tdvf.h"
#include "../../measure/tdata.h"
#include "../fwgen.h"

#define DEBIAN_OVMF "/usr/share/ovmf/OVMF.fd"

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void test_amdsev_suffix(void **state)
{
	size_t len;
	uint8_t *fw = tdata_read("measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", &len);
	static const struct sev_section want[] = {
		{ 0x800000, 0x9000, 1 }, { 0x80a000, 0x3000, 1 }, { 0x80d000, 0x1000, 2 },
		{ 0x80e000, 0x1000, 3 }, { 0x80f000, 0x1000, 4 }, { 0x810000, 0x1000, 0x10 },
		{ 0x811000, 0xf000, 1 },
	};
	struct err_msg err = { "" };
	struct fw_table t;
	struct sev_meta m;
	struct tdvf v;
	uint32_t a, b;
	char g[37];

	assert_int_equal(fw_table_parse(fw, len, &t, &err), 0);
	assert_int_equal(t.n, 5);
	fw_guid_format(&t.e[0].guid, g);
	assert_string_equal(g, "00f771de-1a7e-4fcb-890e-68c77e2fb44e");
	assert_int_equal(sev_reset_eip(&t, fw, &a, &err), 0);
	assert_int_equal(a, 0x80b004);
	assert_int_equal(sev_hashes_location(&t, fw, &a, &b, &err), 0);
	assert_int_equal(a, 0x810c00);
	assert_int_equal(b, 0x400);
	assert_int_equal(sev_secret_location(&t, fw, &a, &b, &err), 0);
	assert_int_equal(a, 0x810000);
	assert_int_equal(b, 0xc00);
	assert_int_equal(sev_meta_parse(fw, len, &t, &m, &err), 0);
	assert_int_equal(m.n, 7);
	assert_memory_equal(m.s, want, sizeof(want));
	assert_string_equal(sev_section_name(m.s[5].type), "KERNEL_HASHES");
	/* its TDVF descriptor describes the full 4 MiB image: the suffix is refused */
	assert_int_equal(tdvf_parse(fw, len, &t, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "outside"));
	free(fw);
}

static void test_ovmfx64_suffix(void **state)
{
	size_t len;
	uint8_t *fw = tdata_read("measure/sev-snp-measure/ovmf_OvmfX64_suffix.bin", &len);
	struct fw_table t;
	struct sev_meta m;
	uint32_t a, b;

	assert_int_equal(fw_table_parse(fw, len, &t, NULL), 0);
	/* the hash-table entry is present with GPA 0: unsupported */
	assert_non_null(fw_table_find(&t, &FW_GUID_SEV_HASH_TABLE));
	assert_int_equal(sev_hashes_location(&t, fw, &a, &b, NULL), -ENOENT);
	assert_int_equal(sev_meta_parse(fw, len, &t, &m, NULL), 0);
	assert_int_equal(m.s[m.n - 1].size, 0x10000);
	free(fw);
}

static void test_svsm_images(void **state)
{
	size_t len;
	uint8_t *fw = tdata_read("measure/sev-snp-measure/svsm.bin", &len);
	struct fw_table t;
	struct sev_meta m;
	uint32_t v;

	assert_int_equal(fw_table_parse(fw, len, &t, NULL), 0);
	assert_int_equal(fw_table_u32(&t, fw, &FW_GUID_SVSM_INFO, 0, &v, NULL), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sev_meta_parse(fw, len, &t, &m, NULL), 0);
	assert_int_equal(m.n, 3);
	assert_int_equal(m.s[0].size, 0x9e000);
	free(fw);
}

static void check_debian_tdvf(const uint8_t *fw, size_t len)
{
	struct err_msg err = { "" };
	struct fw_table t;
	struct tdvf v;

	assert_int_equal(fw_table_parse(fw, len, &t, &err), 0);
	assert_int_equal(tdvf_parse(fw, len, &t, &v, &err), 0);
	assert_int_equal(v.n, 6);
	assert_int_equal(v.s[0].type, TDVF_SECTION_BFV);
	assert_int_equal(v.s[0].attr, TDVF_ATTR_MR_EXTEND);
	assert_int_equal(v.s[0].addr + v.s[0].size, 0x100000000ULL);
	assert_int_equal(v.s[1].type, TDVF_SECTION_CFV);
	assert_int_equal(v.s[4].type, TDVF_SECTION_TD_HOB);
}

static void test_debian_ovmf(void **state)
{
	uint8_t *fw;
	size_t len;
	struct fw_table t;
	struct sev_meta m;
	uint32_t eip;

	if (access(DEBIAN_OVMF, R_OK)) {
		fprintf(stderr, "skipping: %s is not installed\n", DEBIAN_OVMF);
		skip();
	}
	assert_int_equal(file_read(DEBIAN_OVMF, 64 << 20, &fw, &len), 0);
	check_debian_tdvf(fw, len);
	assert_int_equal(fw_table_parse(fw, len, &t, NULL), 0);
	assert_int_equal(sev_reset_eip(&t, fw, &eip, NULL), 0);
	assert_int_equal(sev_meta_parse(fw, len, &t, &m, NULL), 0);
	assert_true(m.n >= 4);
	free(fw);
}

/*
 * svsm_ovmf.fd carries a TDX metadata entry, but its BFV claims raw data at
 * 0x84000 + 0x37c000, past the end of the 0x37c000-byte image: refused.
 */
static void test_svsm_ovmf_tdvf(void **state)
{
	struct err_msg err = { "" };
	struct fw_table t;
	struct tdvf v;
	size_t len;
	uint8_t *fw = tdata_read("measure/sev-snp-measure/svsm_ovmf.fd", &len);

	assert_int_equal(fw_table_parse(fw, len, &t, &err), 0);
	assert_int_equal(tdvf_parse(fw, len, &t, &v, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "BFV"));
	assert_non_null(strstr(err.msg, "outside"));
	free(fw);
}

/* GUID table corner cases */
static void test_table_rules(void **state)
{
	struct fwgen g;
	struct fw_table t;
	struct err_msg err;
	uint8_t *img, small[40] = { 0 };
	size_t footer;

	assert_int_equal(fw_table_parse(small, sizeof(small), &t, NULL), 0);
	assert_int_equal(t.n, 0);

	fwgen_ovmf(&g);
	g.no_footer = true;
	img = fwgen_build(&g);
	assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
	assert_int_equal(t.n, 0);
	free(img);

	fwgen_ovmf(&g);
	img = fwgen_build(&g);
	footer = g.size - 50;
	assert_int_equal(fw_table_parse(img, g.size, &t, &err), 0);
	assert_int_equal(t.n, 4);
	/* table larger than the image */
	{
		struct fwgen s;
		uint8_t *si;

		fwgen_ovmf(&s);
		s.size = 0x1000;
		si = fwgen_build(&s);
		si[s.size - 50] = 0xff;
		si[s.size - 49] = 0xff;
		assert_int_equal(fw_table_parse(si, s.size, &t, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "does not fit"));
		free(si);
	}
	/* footer size below one header */
	img[footer] = 17;
	img[footer + 1] = 0;
	assert_int_equal(fw_table_parse(img, g.size, &t, &err), -EINVAL);
	/* a footer size that leaves stray bytes */
	fwgen_ovmf(&g);
	free(img);
	img = fwgen_build(&g);
	img[footer] = (uint8_t)(img[footer] + 5);
	assert_int_equal(fw_table_parse(img, g.size, &t, &err), -EINVAL);
	/* an entry whose size is 0 */
	free(img);
	img = fwgen_build(&g);
	img[footer - 18] = 0;
	img[footer - 17] = 0;
	assert_int_equal(fw_table_parse(img, g.size, &t, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bad size"));
	free(img);
}

static void test_sev_meta_rules(void **state)
{
	struct err_msg err;
	struct fwgen g;
	struct fw_table t;
	struct sev_meta m;
	uint8_t *img, *h;
	uint32_t eip;

	fwgen_stage0_sev(&g);
	img = fwgen_build(&g);
	assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), 0);
	assert_int_equal(m.n, 4);
	h = img + g.size - FWGEN_ASEV_OFF;
	h[0] = 'X';
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	h[0] = 'A';
	put_le32(h + 8, 2);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	put_le32(h + 8, 1);
	put_le32(h + 12, 1000);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	put_le32(h + 12, 4);
	put_le32(h + 4, 10);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	put_le32(h + 4, 0x100000);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	put_le32(h + 4, 16 + 48);
	put_le32(h + 16, 0x60001);	/* unaligned gpa */
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "page aligned"));
	put_le32(h + 16, 0xfffff000);	/* wraps past 4 GiB */
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -EINVAL);
	put_le32(h + 16, 0x60000);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), 0);
	/* offset outside the image */
	assert_int_equal(sev_meta_parse(img, 0x700, &t, &m, &err), -EINVAL);
	free(img);

	g.nr_sev = 0;
	g.have_reset = false;
	img = fwgen_build(&g);
	assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
	assert_int_equal(sev_meta_parse(img, g.size, &t, &m, &err), -ENOENT);
	assert_int_equal(sev_reset_eip(&t, img, &eip, &err), -ENOENT);
	free(img);
}

struct tdvf_case {
	const char *what;
	unsigned int idx;
	size_t field;	/* offset inside the 32-byte descriptor */
	uint64_t val;
	unsigned int width;
	const char *msg;
};

static void test_tdvf_rules(void **state)
{
	static const struct tdvf_case cases[] = {
		{ "mem < raw", 0, 16, 0x1000, 8, "smaller" },
		{ "unaligned addr", 1, 8, 0xffe00800, 8, "page aligned" },
		{ "unaligned size", 2, 16, 0x1800, 8, "page aligned" },
		{ "empty", 3, 16, 0, 8, "empty" },
		{ "wraps", 3, 8, 0xfffffffffffff000ULL, 8, "outside" },
		{ "attr", 2, 28, 4, 4, "attributes" },
		{ "type", 2, 24, 9, 4, "unsupported type" },
		{ "BFV raw 0", 0, 4, 0, 4, "no raw data" },
		{ "raw outside", 0, 0, 0x1ff000, 4, "outside" },
		{ "HOB raw", 4, 4, 0x1000, 4, "must not carry" },
		{ "overlap", 5, 8, 0x809000, 8, "overlap" },
	};
	struct err_msg err;
	struct fw_table t;
	struct fwgen g;
	struct tdvf v;
	unsigned int i, k;
	uint8_t *img, *h;

	fwgen_ovmf(&g);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tdvf_case *c = &cases[i];

		img = fwgen_build(&g);
		assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
		assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), 0);
		h = img + g.size - FWGEN_TDVF_OFF + 16 + 32 * c->idx;
		for (k = 0; k < c->width; k++)
			h[c->field + k] = (uint8_t)(c->val >> (8 * k));
		err.msg[0] = 0;
		if (tdvf_parse(img, g.size, &t, &v, &err) != -EINVAL ||
		    !strstr(err.msg, c->msg)) {
			fprintf(stderr, "%s: '%s'\n", c->what, err.msg);
			fail();
		}
		free(img);
	}

	/* header rules */
	img = fwgen_build(&g);
	assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
	h = img + g.size - FWGEN_TDVF_OFF;
	put_le32(h + 8, 2);
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), -EINVAL);
	put_le32(h + 8, 1);
	put_le32(h + 12, 1);
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), -EINVAL);
	put_le32(h + 12, 6);
	put_le32(h + 4, 16 + 32 * 5);
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), -EINVAL);
	put_le32(h + 4, 0x10000);
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), -EINVAL);
	put_le32(h + 4, 16 + 32 * 6);
	h[0] = 'x';
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), -EINVAL);
	h[0] = 'T';
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), 0);
	free(img);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void test_td_hob(void **state)
{
	struct td_ram_range ram[2] = { { 0, 0x20000000 }, { 0x100000000ULL, 0x10000000 } };
	struct err_msg err;
	struct fwgen g;
	struct fw_table t;
	struct tdvf v;
	uint8_t *img, hob[0x2000];
	size_t used, i;
	/* expected resource list: sorted, accepted ranges split out */
	static const struct { uint64_t start, len; uint32_t type; } want[] = {
		{ 0, 0x800000, 7 }, { 0x800000, 0x6000, 0 }, { 0x806000, 0x3000, 7 },
		{ 0x809000, 0x2000, 0 }, { 0x80b000, 0x2000, 0 }, { 0x80d000, 0x3000, 7 },
		{ 0x810000, 0x10000, 0 }, { 0x820000, 0x20000000 - 0x820000, 7 },
		{ 0x100000000ULL, 0x10000000, 7 },
	};

	fwgen_ovmf(&g);
	img = fwgen_build(&g);
	assert_int_equal(fw_table_parse(img, g.size, &t, NULL), 0);
	assert_int_equal(tdvf_parse(img, g.size, &t, &v, &err), 0);
	assert_int_equal(td_hob_build(ram, 2, &v, hob, sizeof(hob), &used, &err), 0);
	assert_int_equal(used, 56 + 9 * 48 + 8);
	assert_int_equal(hob[0], 1);		/* PHIT */
	assert_int_equal(hob[2], 56);
	assert_int_equal(hob[8], 9);		/* version */
	assert_int_equal(le64(hob + 48), 0x809000 + used);
	for (i = 0; i < 9; i++) {
		const uint8_t *r = hob + 56 + 48 * i;

		assert_int_equal(r[0], 3);
		assert_int_equal(r[2], 48);
		assert_int_equal(r[24], want[i].type);
		assert_int_equal(r[28], 7);
		assert_int_equal(le64(r + 32), want[i].start);
		assert_int_equal(le64(r + 40), want[i].len);
	}
	assert_int_equal(hob[used - 8], 0xff);
	assert_int_equal(hob[used - 7], 0xff);
	/* too small a section */
	assert_int_equal(td_hob_build(ram, 2, &v, hob, 100, &used, &err), -EINVAL);
	/* an accepted section outside RAM */
	ram[0].len = 0x800000;
	assert_int_equal(td_hob_build(ram, 2, &v, hob, sizeof(hob), &used, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not inside guest RAM"));
	/* no TD_HOB section */
	v.s[4].type = TDVF_SECTION_TEMP_MEM;
	ram[0].len = 0x20000000;
	assert_int_equal(td_hob_build(ram, 2, &v, hob, sizeof(hob), &used, &err), -EINVAL);
	free(img);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdsev_suffix),
		cmocka_unit_test(test_ovmfx64_suffix),
		cmocka_unit_test(test_svsm_images),
		cmocka_unit_test(test_debian_ovmf),
		cmocka_unit_test(test_svsm_ovmf_tdvf),
		cmocka_unit_test(test_table_rules),
		cmocka_unit_test(test_sev_meta_rules),
		cmocka_unit_test(test_tdvf_rules),
		cmocka_unit_test(test_td_hob),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
