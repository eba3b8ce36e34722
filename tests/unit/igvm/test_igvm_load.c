// SPDX-License-Identifier: GPL-2.0-only
/*
 * src/igvm: the load of one platform (operations, parameter areas filled
 * with host values, vCPU contexts) and its SNP launch digest, checked
 * against a chain folded here page by page from measure/snp.h with the
 * rules of docs/igvm.md written out independently of igvm/digest.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "itest.h"
#include "igvm/load.h"
#include "measure/snp.h"
#include "measure/vmsa.h"

#define NATIVE	1u
#define SNP	2u
#define TDX	4u

static uint8_t pg[4][4096];
static uint8_t vmsa0[4096], vmsa1[4096];

static void fill_pages(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		memset(pg[i], 'A' + i, sizeof(pg[i]));
	ib_vmsa(vmsa0, 0xfffffff0, 1);
	ib_vmsa(vmsa1, 0xfffff030, 1);
}

/*
 * ROM pages at 0xffffd000.. (3 with data), two zero pages, an unmeasured
 * page, SECRETS, CPUID, a 2-page parameter area, REQUIRED_MEMORY, VMSAs.
 */
static void sample(void)
{
	fill_pages();
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_platform(&B, TDX, IGVM_PLAT_TDX);
	ib_policy(&B, SNP, 0x30000);
	ib_page(&B, 7, 0xffffd000, pg[0], 0, 0);
	ib_page(&B, 7, 0xffffe000, pg[1], 0, 0);
	ib_page(&B, 7, 0xfffff000, pg[2], 0, 0);
	ib_page(&B, 7, 0x20000, NULL, 0, 0);
	ib_page(&B, 7, 0x21000, NULL, 0, 0);
	ib_page(&B, 7, 0x30000, pg[3], IGVM_PAGE_UNMEASURED, 0);
	ib_page(&B, SNP, 0x1000, NULL, 0, IGVM_PAGE_SECRETS);
	ib_page(&B, SNP, 0x2000, pg[3], 0, IGVM_PAGE_CPUID);
	ib_area(&B, 0, 0x2000, NULL);
	ib_param(&B, IGVM_VHT_VP_COUNT, 0, 0);
	ib_param(&B, IGVM_VHT_ENVIRONMENT_INFO, 0, 4);
	ib_param(&B, IGVM_VHT_COMMAND_LINE, 0, 8);
	ib_param(&B, IGVM_VHT_MEMORY_MAP, 0, 0x1000);
	ib_insert(&B, 7, 0x3000, 0);
	ib_required(&B, SNP, 0x100000, 0x100000, 0);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 1, vmsa1);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa0);
}

static struct igvm_load *load_of(struct igvm_file *f, unsigned int type,
				 const struct igvm_host *h, enum igvm_zero_pages z)
{
	struct igvm_load *l = NULL;
	struct err_msg err;

	if (igvm_load_build(f, igvm_platform_find(f, type), h, z, false, &l, &err))
		fail_msg("load refused: %s", err.msg);
	return l;
}

static void expect_op(const struct igvm_op *o, uint64_t gpa, uint64_t len,
		      enum igvm_op_kind kind, unsigned int snp_type, bool measured)
{
	assert_int_equal(o->gpa, gpa);
	assert_int_equal(o->len, len);
	assert_int_equal(o->kind, kind);
	assert_int_equal(o->snp_type, snp_type);
	assert_int_equal(o->measured, measured);
}

static void test_load_snp(void **state)
{
	struct igvm_file *f;
	struct igvm_load *l;

	sample();
	f = expect_ok();
	l = load_of(f, IGVM_PLAT_SNP, NULL, IGVM_ZERO_AS_NORMAL);
	assert_int_equal(l->nr_ops, 6);
	expect_op(&l->ops[0], 0xffffd000, 0x3000, IGVM_OP_DATA, SNP_PAGE_NORMAL, true);
	assert_memory_equal(l->ops[0].data, pg[0], 4096);
	assert_memory_equal(l->ops[0].data + 0x2000, pg[2], 4096);
	expect_op(&l->ops[1], 0x20000, 0x2000, IGVM_OP_ZERO, SNP_PAGE_NORMAL, true);
	expect_op(&l->ops[2], 0x30000, 0x1000, IGVM_OP_DATA, SNP_PAGE_UNMEASURED, false);
	assert_memory_equal(l->ops[2].data, pg[3], 4096);
	expect_op(&l->ops[3], 0x1000, 0x1000, IGVM_OP_SECRETS, SNP_PAGE_SECRETS, false);
	expect_op(&l->ops[4], 0x2000, 0x1000, IGVM_OP_CPUID, SNP_PAGE_CPUID, false);
	assert_memory_equal(l->ops[4].data, pg[3], 4096);	/* the template */
	expect_op(&l->ops[5], 0x3000, 0x2000, IGVM_OP_PARAM, SNP_PAGE_UNMEASURED, false);
	assert_int_equal(l->nr_vmsas, 2);
	assert_memory_equal(l->vmsas[0], vmsa0, 4096);		/* index order */
	assert_memory_equal(l->vmsas[1], vmsa1, 4096);
	assert_int_equal(l->sev_features, 1);
	assert_true(l->have_policy);
	assert_int_equal(l->policy, 0x30000);
	assert_false(l->have_id_block);
	assert_int_equal(l->nr_required, 1);
	assert_int_equal(l->required[0].len, 0x100000);
	igvm_load_free(l);

	l = load_of(f, IGVM_PLAT_SNP, NULL, IGVM_ZERO_AS_ZERO);
	expect_op(&l->ops[1], 0x20000, 0x2000, IGVM_OP_ZERO, SNP_PAGE_ZERO, true);
	igvm_load_free(l);

	l = load_of(f, IGVM_PLAT_NATIVE, NULL, IGVM_ZERO_AS_NORMAL);
	assert_int_equal(l->nr_ops, 4);		/* no SECRETS, CPUID */
	assert_int_equal(l->nr_vmsas, 0);
	assert_false(l->have_native_ctx);
	assert_false(l->have_policy);
	assert_int_equal(l->nr_required, 0);
	igvm_load_free(l);
	igvm_free(f);
}

/* The chain of sample() written out: the rules of docs/igvm.md. */
static void sample_digest(enum snp_page_type zero_type, uint8_t out[48])
{
	struct snp_gctx g;

	assert_int_equal(snp_gctx_init(&g, NULL), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0xffffd000, pg[0], 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0xffffe000, pg[1], 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0xfffff000, pg[2], 4096), 0);
	assert_int_equal(snp_gctx_update_pages(&g, zero_type, 0x20000, NULL, 0x2000), 0);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_UNMEASURED, 0x30000, NULL), 0);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_SECRETS, 0x1000, NULL), 0);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_CPUID, 0x2000, NULL), 0);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_UNMEASURED, 0x3000, NULL), 0);
	assert_int_equal(snp_gctx_update(&g, SNP_PAGE_UNMEASURED, 0x4000, NULL), 0);
	assert_int_equal(snp_gctx_update_vmsa(&g, vmsa0), 0);
	assert_int_equal(snp_gctx_update_vmsa(&g, vmsa1), 0);
	memcpy(out, g.ld, 48);
	snp_gctx_free(&g);
}

static unsigned int nr_pages;

static void count_page(void *ctx, uint64_t gpa, unsigned int type, const uint8_t ld[48])
{
	(void)ctx;
	(void)gpa;
	(void)type;
	(void)ld;
	nr_pages++;
}

static void test_digest(void **state)
{
	uint8_t want[48], got[48];
	struct igvm_file *f;
	struct igvm_load *l;
	struct err_msg err;

	sample();
	f = expect_ok();
	sample_digest(SNP_PAGE_NORMAL, want);
	assert_int_equal(igvm_snp_digest(f, NULL, IGVM_ZERO_AS_NORMAL, got, &err), 0);
	assert_memory_equal(got, want, 48);
	sample_digest(SNP_PAGE_ZERO, want);
	assert_int_equal(igvm_snp_digest(f, NULL, IGVM_ZERO_AS_ZERO, got, &err), 0);
	assert_memory_equal(got, want, 48);
	l = load_of(f, IGVM_PLAT_SNP, NULL, IGVM_ZERO_AS_ZERO);
	nr_pages = 0;
	assert_int_equal(igvm_load_snp_digest(l, count_page, NULL, got), 0);
	assert_int_equal(nr_pages, 3 + 2 + 1 + 1 + 1 + 2 + 2);
	assert_memory_equal(got, want, 48);
	/* a launch with a third vCPU measures a third VMSA */
	assert_int_equal(igvm_load_add_vmsa(l, vmsa1), 0);
	assert_int_equal(igvm_load_snp_digest(l, NULL, NULL, got), 0);
	assert_memory_not_equal(got, want, 48);
	igvm_load_free(l);
	assert_int_equal(igvm_snp_digest(f, igvm_platform_find(f, IGVM_PLAT_TDX),
					 IGVM_ZERO_AS_NORMAL, got, &err), -ENOENT);
	igvm_free(f);
}

/* Pages after the VP context: still before the VMSAs; SHARED changes nothing. */
static void test_digest_order_rules(void **state)
{
	uint8_t a[48], b[48];
	struct igvm_file *f;
	struct err_msg err;

	fill_pages();
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_page(&B, SNP, 0x1000, pg[0], 0, 0);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa0);
	ib_page(&B, SNP, 0x2000, pg[1], IGVM_PAGE_SHARED, 0);
	ib_page(&B, SNP, 0x200000, NULL, IGVM_PAGE_2MB, 0);
	f = expect_ok();
	assert_int_equal(igvm_snp_digest(f, NULL, IGVM_ZERO_AS_ZERO, a, &err), 0);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_page(&B, SNP, 0x1000, pg[0], 0, 0);
	ib_page(&B, SNP, 0x2000, pg[1], 0, 0);
	for (unsigned int i = 0; i < 512; i++)
		ib_page(&B, SNP, 0x200000 + i * 4096ULL, NULL, 0, 0);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa0);
	f = expect_ok();
	assert_int_equal(igvm_snp_digest(f, NULL, IGVM_ZERO_AS_ZERO, b, &err), 0);
	assert_memory_equal(a, b, 48);
	igvm_free(f);
}

static void test_host_params(void **state)
{
	static const struct igvm_mem_entry mem[] = {
		{ 0x100000, 0x3ff00000, IGVM_MEM_MEMORY },
		{ 0, 0x9fc00, IGVM_MEM_MEMORY },
		{ 0xfeffc000, 0x4000, IGVM_MEM_PLATFORM_RESERVED },
	};
	const struct igvm_host h = { mem, 3, 4, "console=ttyS0", true };
	struct igvm_file *f;
	struct igvm_load *l;
	const uint8_t *a;

	sample();
	f = expect_ok();
	l = load_of(f, IGVM_PLAT_SNP, &h, IGVM_ZERO_AS_NORMAL);
	a = l->ops[5].data;
	assert_int_equal(a[0], 4);			/* VP count */
	assert_int_equal(a[4], 1);			/* memory is shared */
	assert_string_equal((const char *)a + 8, "console=ttyS0");
	a += 0x1000;					/* sorted, in pages */
	assert_int_equal(a[0], 0);
	assert_int_equal(a[8], 0x9f);			/* 0x9fc00 >> 12, truncated */
	assert_int_equal(a[24 + 1], 0x1);		/* 0x100 pages: page 0x100 */
	assert_int_equal(a[24 + 8 + 1], 0xff);		/* 0x3ff00 pages */
	assert_int_equal(a[48 + 16], IGVM_MEM_PLATFORM_RESERVED);
	assert_int_equal(a[72 + 8], 0);			/* no 4th entry */
	igvm_load_free(l);
	igvm_free(f);
}

static void test_host_params_bad(void **state)
{
	struct igvm_mem_entry mem[200] = { { 0, 0x1000, 0 } };
	struct igvm_host h = { mem, 200, 1, NULL, false };
	struct igvm_file *f;
	struct igvm_load *l;
	struct err_msg err;
	char longline[9000];

	sample();
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, igvm_platform_find(f, IGVM_PLAT_SNP), &h,
					 IGVM_ZERO_AS_NORMAL, false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "200 memory-map entries do not fit the 4096 bytes"));
	h.nr_mem = 1;
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = 0;
	h.cmdline = longline;
	assert_int_equal(igvm_load_build(f, igvm_platform_find(f, IGVM_PLAT_SNP), &h,
					 IGVM_ZERO_AS_NORMAL, false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "(9000 bytes with its NUL) does not fit"));
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_area(&B, 0, 0x1000, NULL);
	ib_param(&B, IGVM_VHT_SRAT, 0, 0);
	ib_insert(&B, NATIVE, 0x3000, 0);
	f = expect_ok();
	h.cmdline = NULL;
	assert_int_equal(igvm_load_build(f, &f->platforms[0], &h, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "(SRAT): the file asks for a parameter cvmm does not"));
	l = load_of(f, IGVM_PLAT_NATIVE, NULL, IGVM_ZERO_AS_NORMAL);	/* measuring */
	igvm_load_free(l);
	igvm_free(f);
}

static void expect_vmsa_refused(uint8_t *v, unsigned int off, uint64_t val,
				unsigned int n, const char *why)
{
	struct vmsa_state s;
	struct err_msg err;

	ib_vmsa(v, 0xfffffff0, 1);
	put_le(v + off, val, n);
	assert_int_equal(igvm_vmsa_decode(v, &s, &err), -EINVAL);
	if (!strstr(err.msg, why))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, why);
}

static void test_vmsa_decode(void **state)
{
	uint8_t v[4096], rebuilt[4096];
	struct vmsa_state s;
	struct err_msg err;

	ib_vmsa(v, 0xfffffff0, 0x21);
	put_le(v + VMSA_OFF_RSI, 0x1234, 8);
	put_le(v + VMSA_OFF_XSS, 0x800, 8);
	assert_int_equal(igvm_vmsa_decode(v, &s, &err), 0);
	assert_int_equal(s.seg[VMSA_CS].selector, 0xf000);
	assert_int_equal(s.seg[VMSA_CS].base, 0xffff0000);
	assert_int_equal(s.rip, 0xfff0);
	assert_int_equal(s.rsi, 0x1234);
	assert_int_equal(s.sev_features, 0x21);
	assert_int_equal(s.mxcsr, 0x1f80);
	vmsa_build(&s, rebuilt);
	assert_memory_equal(rebuilt, v, 4096);
	assert_int_equal(igvm_vmsa_sev_features(v), 0x21);

	expect_vmsa_refused(v, 0x340, 1, 8, "byte 0x340 (R8-R15)");
	expect_vmsa_refused(v, 0xca, 1, 1, "(VMPL)");
	expect_vmsa_refused(v, 0x500, 1, 1, "FPU/SSE/AVX register file");
	expect_vmsa_refused(v, VMSA_OFF_SEV_FEATURES, 0x20, 8, "lacks SNPActive");
	expect_vmsa_refused(v, VMSA_OFF_EFER, 0, 8, "EFER.SVME is clear");
	expect_vmsa_refused(v, VMSA_OFF_CR4, 0, 8, "CR4.MCE is clear");
	expect_vmsa_refused(v, VMSA_OFF_CR0, 0x40000010, 8, "CR0.CD or CR0.NW");
	expect_vmsa_refused(v, VMSA_OFF_CR0, 0x80000010, 8, "CR0.PG is set without");
	/* what KVM would change: measure --igvm would predict another digest */
	expect_vmsa_refused(v, VMSA_OFF_RFLAGS, 0, 8, "RFLAGS bit 1 is clear");
	expect_vmsa_refused(v, VMSA_OFF_DR7, 0x401, 8, "DR7 has breakpoints");
	expect_vmsa_refused(v, VMSA_OFF_DR6, 1ULL << 32, 8, "DR6 upper bits");
	expect_vmsa_refused(v, VMSA_OFF_SEG(VMSA_SS) + 2, 0xf3, 2, "SS.DPL is not 0");
	expect_vmsa_refused(v, VMSA_OFF_SEG(VMSA_DS) + 2, 0x1093, 2, "attribute bits 12-15");
	expect_vmsa_refused(v, VMSA_OFF_SEG(VMSA_GDTR), 8, 2, "GDTR or IDTR has a selector");
	expect_vmsa_refused(v, VMSA_OFF_SEG(VMSA_IDTR) + 4, 0x10000, 4, "a limit above 0xffff");
}

static void test_load_vmsas_bad(void **state)
{
	struct igvm_file *f;
	struct igvm_load *l;
	struct err_msg err;
	uint8_t bad[4096];

	fill_pages();
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_page(&B, SNP, 0x1000, pg[0], 0, 0);
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no VP context for vCPU 0"));
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_vmsa(bad, 0xfffffff0, 1);
	put_le(bad + 0x348, 7, 8);			/* R9 */
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, bad);
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "(VP_CONTEXT) of vCPU 0: VMSA byte 0x348 (R8-R15)"));
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 true, &l, &err), 0);
	igvm_load_free(l);
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_vmsa(bad, 0xfffff030, 0x21);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 0, vmsa0);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 1, bad);
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "different SEV_FEATURES"));
	igvm_free(f);

	ib_init(&B);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, 1, vmsa0);
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "leave gaps"));
	igvm_free(f);
}

static void native_ctx_page(uint8_t p[4096], uint64_t r8)
{
	memset(p, 0, 4096);
	put_le(p + 0x10, 0x1234, 8);			/* rdx */
	put_le(p + 0x40, r8, 8);			/* r8 */
	put_le(p + 0x80, 0x100000, 8);			/* rip */
	put_le(p + 0x88, 2, 8);				/* rflags */
	put_le(p + 0x9e, 0x27, 2);			/* gdtr limit */
	put_le(p + 0xa0, 0x9000, 8);			/* gdtr base */
	put_le(p + 0xa8, 0x10, 2);			/* code selector */
	put_le(p + 0xaa, 0xa09b, 2);			/* G, L, P, code */
	put_le(p + 0xb0, 0xffffffff, 4);
	put_le(p + 0xb4, 0x18, 2);
	put_le(p + 0xb6, 0xc093, 2);			/* G, D/B, P, data */
	put_le(p + 0xbc, 0xffffffff, 4);
	put_le(p + 0xc0, 0x7000, 8);			/* gs base */
	put_le(p + 0xc8, 0x80000011, 8);		/* cr0 */
	put_le(p + 0xd0, 0x20000, 8);			/* cr3 */
	put_le(p + 0xd8, 0x20, 8);			/* cr4 */
	put_le(p + 0xe0, 0x500, 8);			/* efer */
}

static void test_native_context(void **state)
{
	struct igvm_native_ctx c;
	struct vmsa_state s;
	struct igvm_file *f;
	struct igvm_load *l;
	struct err_msg err;
	uint8_t p[4096];

	native_ctx_page(p, 0);
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_vp(&B, NATIVE, 0, 0, p);
	f = expect_ok();
	l = load_of(f, IGVM_PLAT_NATIVE, NULL, IGVM_ZERO_AS_NORMAL);
	assert_true(l->have_native_ctx);
	c = l->native_ctx;
	assert_int_equal(c.rdx, 0x1234);
	assert_int_equal(c.rip, 0x100000);
	assert_int_equal(c.gdtr_limit, 0x27);
	assert_int_equal(c.code_attributes, 0xa09b);
	assert_int_equal(c.efer, 0x500);
	assert_int_equal(igvm_native_to_state(&c, &s, &err), 0);
	assert_int_equal(s.seg[VMSA_CS].attrib, 0xa9b);
	assert_int_equal(s.seg[VMSA_CS].selector, 0x10);
	assert_int_equal(s.seg[VMSA_SS].attrib, 0xc93);
	assert_int_equal(s.seg[VMSA_DS].limit, 0xffffffff);
	assert_int_equal(s.seg[VMSA_GS].base, 0x7000);
	assert_int_equal(s.seg[VMSA_FS].base, 0);
	assert_int_equal(s.seg[VMSA_GDTR].base, 0x9000);
	assert_int_equal(s.seg[VMSA_TR].attrib, 0x8b);
	assert_int_equal(s.cr0, 0x80000011);
	assert_int_equal(s.dr6, 0xffff0ff0);
	igvm_load_free(l);
	igvm_free(f);

	native_ctx_page(p, 5);
	igvm_native_decode(p, &c);
	assert_int_equal(igvm_native_to_state(&c, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "R8-R15"));

	ib_init(&B);
	native_ctx_page(p, 0);
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_vp(&B, NATIVE, 0, 0, p);
	ib_vp(&B, NATIVE, 0, 1, p);
	f = expect_ok();
	assert_int_equal(igvm_load_build(f, &f->platforms[0], NULL, IGVM_ZERO_AS_NORMAL,
					 false, &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "VP contexts for 2 vCPUs"));
	igvm_free(f);
}

static void test_tdx_and_names(void **state)
{
	enum igvm_zero_pages z;
	struct igvm_file *f;
	struct igvm_load *l;

	sample();
	f = expect_ok();
	l = load_of(f, IGVM_PLAT_TDX, NULL, IGVM_ZERO_AS_NORMAL);
	assert_int_equal(l->nr_ops, 4);
	assert_true(l->ops[0].measured);		/* MR.EXTEND */
	assert_true(l->ops[1].measured);
	assert_false(l->ops[2].measured);
	assert_int_equal(l->ops[3].kind, IGVM_OP_PARAM);
	assert_int_equal(l->nr_vmsas, 0);
	igvm_load_free(l);
	igvm_free(f);
	assert_int_equal(igvm_zero_parse("normal", &z), 0);
	assert_int_equal(z, IGVM_ZERO_AS_NORMAL);
	assert_int_equal(igvm_zero_parse("zero", &z), 0);
	assert_int_equal(z, IGVM_ZERO_AS_ZERO);
	assert_int_equal(igvm_zero_parse("maybe", &z), -EINVAL);
	assert_string_equal(igvm_zero_name(IGVM_ZERO_AS_ZERO), "zero");
	assert_string_equal(igvm_vht_name(IGVM_VHT_MEMORY_MAP), "MEMORY_MAP");
	assert_string_equal(igvm_platform_name(IGVM_PLAT_SEV_ES), "sev-es");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		ITEST(test_load_snp),
		ITEST(test_digest),
		ITEST(test_digest_order_rules),
		ITEST(test_host_params),
		ITEST(test_host_params_bad),
		ITEST(test_vmsa_decode),
		ITEST(test_load_vmsas_bad),
		ITEST(test_native_context),
		ITEST(test_tdx_and_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
