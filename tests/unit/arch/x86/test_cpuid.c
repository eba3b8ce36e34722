// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest CPUID from a fake KVM_GET_SUPPORTED_CPUID: the hypervisor bit,
 * topology for N vCPUs, TSC deadline, the defaults for this machine's KVM
 * (CX16 hidden, XSAVEERPTR on AMD) and the user's +/- edits, for an Intel
 * and an AMD host.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/cpuid.h"
#include "kvm/kvm.h"
#include "../../machine/stderr_capture.h"

#define SIG	KVM_CPUID_FLAG_SIGNIFCANT_INDEX
#define BIT(n)	(1U << (n))
/* cfg->edits is char *const *: string literals need the cast */
#define S(x)	((char *)(x))

struct ent {
	uint32_t fn, idx, flags, eax, ebx, ecx, edx;
};

/* leaf 1: CLFLUSH size 8, 1 logical CPU, initial APIC id 0x2a (stale) */
#define L1_EBX		0x2a010800
/* leaf 1 ECX: sse3, cx16 (13), x2apic (21), popcnt (23), xsave (26) */
#define L1_ECX		(BIT(0) | BIT(13) | BIT(21) | BIT(23) | BIT(26))
/* leaf 1 EDX: fpu, tsc, apic, ... sse2; HTT (28) set by this host */
#define L1_EDX		(BIT(0) | BIT(4) | BIT(9) | BIT(26) | BIT(28))
/* leaf 7.0 EBX: fsgsbase, smep (7), smap (20) */
#define L7_EBX		(BIT(0) | BIT(7) | BIT(20))

static const struct ent intel[] = {
	{ 0, 0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69 },	/* GenuineIntel */
	{ 1, 0, 0, 0x000906ea, L1_EBX, L1_ECX, L1_EDX },
	{ 4, 0, SIG, 0x1c004121, 0x01c0003f, 0x3f, 0 },	/* L1d */
	{ 4, 1, SIG, 0x1c004122, 0x01c0003f, 0x3f, 0 },	/* L1i */
	{ 4, 2, SIG, 0x1c004143, 0x00c0003f, 0x3ff, 0 },	/* L2 */
	{ 4, 3, SIG, 0x1c03c163, 0x02c0003f, 0x2fff, 6 },	/* L3 */
	{ 4, 4, SIG, 0, 0, 0, 0 },				/* end */
	{ 7, 0, SIG, 0, L7_EBX, BIT(2), BIT(26) },
	{ 0xb, 0, SIG, 1, 2, 0x100, 0x2a },
	{ 0xb, 1, SIG, 4, 12, 0x201, 0x2a },
	{ 0xb, 2, SIG, 0, 0, 2, 0x2a },
	{ 0xd, 0, SIG, 0x7, 0x340, 0x340, 0 },
	{ 0xd, 1, SIG, 0xf, 0, 0, 0 },
	{ 0x1f, 0, SIG, 1, 2, 0x100, 0x2a },
	{ 0x1f, 1, SIG, 4, 12, 0x201, 0x2a },
	{ 0x1f, 2, SIG, 0, 0, 2, 0x2a },
	{ 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d },
	{ 0x40000001, 0, 0, 0x01007afb, 0, 0, 0 },
	{ 0x80000000, 0, 0, 0x80000008, 0, 0, 0 },
	{ 0x80000001, 0, 0, 0, 0, BIT(0) | BIT(5), BIT(11) | BIT(20) | BIT(29) },
	{ 0x80000008, 0, 0, 0x3027, 0, 0, 0 },
};

static const struct ent amd[] = {
	{ 0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65 },	/* AuthenticAMD */
	{ 1, 0, 0, 0x00a00f11, L1_EBX, L1_ECX, L1_EDX },
	{ 7, 0, SIG, 0, L7_EBX, 0, 0 },
	{ 0xd, 0, SIG, 0x7, 0x340, 0x340, 0 },
	{ 0xd, 1, SIG, 0xf, 0, 0, 0 },
	{ 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d },
	{ 0x80000000, 0, 0, 0x80000026, 0x68747541, 0x444d4163, 0x69746e65 },
	/* lahf_lm, cmp_legacy (1), svm (2), topoext (22) */
	{ 0x80000001, 0, 0, 0, 0, BIT(0) | BIT(1) | BIT(2) | BIT(22), BIT(29) },
	{ 0x80000007, 0, 0, 0, 0, 0, BIT(8) },
	/* 48-bit VA/PA; ECX: ApicIdSize 7, NC 15 */
	{ 0x80000008, 0, 0, 0x3030, BIT(0) | BIT(9), 0x700f, 0 },
	{ 0x8000001e, 0, 0, 0x2a, 0x0100, 0x0101, 0 },
	{ 0x80000026, 0, SIG, 1, 2, 0x100, 0x2a },
	{ 0x80000026, 1, SIG, 4, 16, 0x201, 0x2a },
};

static struct kvm_cpuid2 *table(const struct ent *e, unsigned int n)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(n);
	unsigned int i;

	assert_non_null(c);
	for (i = 0; i < n; i++)
		c->entries[i] = (struct kvm_cpuid_entry2){
			.function = e[i].fn, .index = e[i].idx, .flags = e[i].flags,
			.eax = e[i].eax, .ebx = e[i].ebx, .ecx = e[i].ecx,
			.edx = e[i].edx,
		};
	return c;
}

#define INTEL()	table(intel, sizeof(intel) / sizeof(intel[0]))
#define AMD()	table(amd, sizeof(amd) / sizeof(amd[0]))

static struct kvm_cpuid2 *build(const struct kvm_cpuid2 *sup, unsigned int n,
				bool tsc_deadline, char *const *edits,
				unsigned int nr_edits)
{
	struct cpuid_config cfg = {
		.nr_vcpus = n, .tsc_deadline = tsc_deadline,
		.edits = edits, .nr_edits = nr_edits,
	};
	struct kvm_cpuid2 *out = NULL, *copy;
	size_t sz = sizeof(*sup) + sup->nent * sizeof(sup->entries[0]);

	copy = malloc(sz);
	assert_non_null(copy);
	memcpy(copy, sup, sz);
	assert_int_equal(cpuid_build(sup, &cfg, &out), 0);
	assert_non_null(out);
	/* KVM's table is never modified */
	assert_memory_equal(copy, sup, sz);
	free(copy);
	return out;
}

static struct kvm_cpuid_entry2 *leaf(struct kvm_cpuid2 *c, uint32_t fn,
				     uint32_t idx)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(c, fn, idx);

	assert_non_null(e);
	return e;
}

static void test_vendor_and_signature(void **state)
{
	struct kvm_cpuid2 *i = INTEL(), *a = AMD(), *o = INTEL();

	assert_int_equal(cpuid_vendor(i), CPU_VENDOR_INTEL);
	assert_int_equal(cpuid_vendor(a), CPU_VENDOR_AMD);
	assert_int_equal(cpuid_signature(i), 0x000906ea);
	assert_int_equal(cpuid_signature(a), 0x00a00f11);
	/* "HygonGenuine" */
	o->entries[0].ebx = 0x6f677948;
	o->entries[0].edx = 0x6e65476e;
	o->entries[0].ecx = 0x656e6975;
	assert_int_equal(cpuid_vendor(o), CPU_VENDOR_OTHER);
	o->nent = 0;
	assert_int_equal(cpuid_vendor(o), CPU_VENDOR_OTHER);
	assert_int_equal(cpuid_signature(o), 0);
	free(i);
	free(a);
	free(o);
}

static void test_find(void **state)
{
	struct kvm_cpuid2 *c = INTEL();

	/* significant index: exact match only */
	assert_int_equal(leaf(c, 4, 2)->eax, 0x1c004143);
	assert_int_equal(leaf(c, 0xb, 1)->ebx, 12);
	assert_null(cpuid_find(c, 7, 1));
	assert_null(cpuid_find(c, 0xb, 3));
	/* no significant index: any index finds the leaf */
	assert_int_equal(leaf(c, 1, 0)->eax, 0x000906ea);
	assert_int_equal(leaf(c, 1, 5)->eax, 0x000906ea);
	assert_null(cpuid_find(c, 0x80000007, 0));
	assert_ptr_equal(cpuid_reg_ptr(leaf(c, 1, 0), CPUID_ECX), &leaf(c, 1, 0)->ecx);
	assert_ptr_equal(cpuid_reg_ptr(leaf(c, 1, 0), CPUID_EAX), &leaf(c, 1, 0)->eax);
	assert_ptr_equal(cpuid_reg_ptr(leaf(c, 1, 0), CPUID_EBX), &leaf(c, 1, 0)->ebx);
	assert_ptr_equal(cpuid_reg_ptr(leaf(c, 1, 0), CPUID_EDX), &leaf(c, 1, 0)->edx);
	free(c);
}

static void test_feature_table(void **state)
{
	unsigned int i, n = cpuid_feature_count();
	const struct cpuid_feature *f;

	assert_true(n > 100);
	assert_null(cpuid_feature_at(n));
	for (i = 0; i < n; i++) {
		f = cpuid_feature_at(i);
		assert_non_null(f);
		assert_true(f->bit < 32);
		assert_true(f->reg <= CPUID_EDX);
		/* names are unique: lookup returns this very entry */
		assert_ptr_equal(cpuid_feature_find(f->name), f);
	}
	f = cpuid_feature_find("cx16");
	assert_non_null(f);
	assert_int_equal(f->function, 1);
	assert_int_equal(f->reg, CPUID_ECX);
	assert_int_equal(f->bit, 13);
	f = cpuid_feature_find("xsaveerptr");
	assert_int_equal(f->function, 0x80000008);
	assert_int_equal(f->reg, CPUID_EBX);
	assert_int_equal(f->bit, 2);
	f = cpuid_feature_find("smap");
	assert_int_equal(f->function, 7);
	assert_int_equal(f->index, 0);
	assert_int_equal(f->bit, 20);
	f = cpuid_feature_find("xsaves");
	assert_int_equal(f->function, 0xd);
	assert_int_equal(f->index, 1);
	assert_int_equal(f->reg, CPUID_EAX);
	assert_int_equal(f->bit, 3);
	/* aliases point at the same bit */
	assert_int_equal(cpuid_feature_find("pni")->bit, cpuid_feature_find("sse3")->bit);
	assert_int_equal(cpuid_feature_find("tsc-deadline")->bit,
			 cpuid_feature_find("tsc_deadline_timer")->bit);
	assert_null(cpuid_feature_find(""));
	assert_null(cpuid_feature_find("CX16"));
	assert_null(cpuid_feature_find("cx1"));
	assert_null(cpuid_feature_find("+cx16"));
}

static void test_intel_defaults(void **state)
{
	struct kvm_cpuid2 *sup = INTEL(), *c = build(sup, 1, false, NULL, 0);
	struct kvm_cpuid_entry2 *e;

	assert_int_equal(c->nent, sup->nent);
	e = leaf(c, 1, 0);
	assert_int_equal(e->eax, 0x000906ea);
	/* hypervisor on, cx16 off, tsc-deadline off, the rest as KVM says */
	assert_int_equal(e->ecx, (L1_ECX & ~BIT(13)) | BIT(31));
	/* one logical CPU, no HTT */
	assert_int_equal((e->ebx >> 16) & 0xff, 1);
	assert_int_equal(e->ebx & 0xffff, 0x0800);
	assert_int_equal(e->edx, L1_EDX & ~BIT(28));
	/* Intel: XSAVEERPTR is not added */
	assert_int_equal(leaf(c, 0x80000008, 0)->ebx, 0);
	/* untouched leaves */
	assert_memory_equal(leaf(c, 7, 0), cpuid_find(sup, 7, 0), sizeof(*e));
	assert_memory_equal(leaf(c, 0x40000000, 0), cpuid_find(sup, 0x40000000, 0),
			    sizeof(*e));
	assert_int_equal(leaf(c, 0x80000001, 0)->ecx, BIT(0) | BIT(5));
	free(c);

	c = build(sup, 1, true, NULL, 0);
	assert_int_equal(leaf(c, 1, 0)->ecx, (L1_ECX & ~BIT(13)) | BIT(31) | BIT(24));
	free(c);
	free(sup);
}

static void test_intel_topology(void **state)
{
	static const struct { unsigned int n, shift, lp; } cases[] = {
		{ 1, 0, 1 }, { 2, 1, 2 }, { 3, 2, 4 }, { 4, 2, 4 }, { 5, 3, 8 },
		{ 8, 3, 8 }, { 64, 6, 64 },
	};
	struct kvm_cpuid2 *sup = INTEL();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned int n = cases[i].n, sh = cases[i].shift;
		struct kvm_cpuid2 *c = build(sup, n, false, NULL, 0);
		struct kvm_cpuid_entry2 *e = leaf(c, 1, 0);
		uint32_t fn;

		assert_int_equal((e->ebx >> 16) & 0xff, cases[i].lp);
		assert_int_equal(!!(e->edx & BIT(28)), n > 1);
		/* leaf 4: cores per package - 1 in EAX[31:26], cache fields kept */
		assert_int_equal(leaf(c, 4, 0)->eax, 0x121 | ((1U << sh) - 1) << 26);
		assert_int_equal(leaf(c, 4, 2)->eax, 0x143 | ((1U << sh) - 1) << 26);
		assert_int_equal(leaf(c, 4, 3)->eax, 0x163 | ((1U << sh) - 1) << 26);
		assert_int_equal(leaf(c, 4, 3)->ebx, 0x02c0003f);
		assert_int_equal(leaf(c, 4, 4)->eax, 0);	/* the null entry */
		for (fn = 0xb; fn <= 0x1f; fn += 0x14) {
			/* SMT level: no thread bits, one thread */
			assert_int_equal(leaf(c, fn, 0)->eax, 0);
			assert_int_equal(leaf(c, fn, 0)->ebx, 1);
			assert_int_equal(leaf(c, fn, 0)->ecx, 0x100);
			/* core level: n cores, shift to the package id */
			assert_int_equal(leaf(c, fn, 1)->eax, sh);
			assert_int_equal(leaf(c, fn, 1)->ebx, n);
			assert_int_equal(leaf(c, fn, 1)->ecx, 0x201);
			/* and nothing else */
			assert_int_equal(leaf(c, fn, 2)->eax, 0);
			assert_int_equal(leaf(c, fn, 2)->ebx, 0);
			assert_int_equal(leaf(c, fn, 2)->ecx, 2);
		}
		free(c);
	}
	free(sup);
}

static void test_amd(void **state)
{
	struct kvm_cpuid2 *sup = AMD(), *c;

	c = build(sup, 1, false, NULL, 0);
	/* XSAVEERPTR advertised, the other 0x80000008 bits kept */
	assert_int_equal(leaf(c, 0x80000008, 0)->ebx, BIT(0) | BIT(2) | BIT(9));
	/* one core: NC = 0, ApicIdCoreIdSize = 0; cmp_legacy off */
	assert_int_equal(leaf(c, 0x80000008, 0)->ecx, 0);
	assert_int_equal(leaf(c, 0x80000008, 0)->eax, 0x3030);
	assert_int_equal(leaf(c, 0x80000001, 0)->ecx, BIT(0) | BIT(2) | BIT(22));
	/* 0x8000001e: one thread per core, node 0 */
	assert_int_equal(leaf(c, 0x8000001e, 0)->ebx, 0);
	assert_int_equal(leaf(c, 0x8000001e, 0)->ecx, 0);
	/* the extended topology leaf is dropped, everything else kept */
	assert_null(cpuid_find(c, 0x80000026, 0));
	assert_null(cpuid_find(c, 0x80000026, 1));
	assert_int_equal(c->nent, sup->nent - 2);
	assert_int_equal(leaf(c, 0x80000007, 0)->edx, BIT(8));
	assert_int_equal(leaf(c, 1, 0)->ecx, (L1_ECX & ~BIT(13)) | BIT(31));
	free(c);

	c = build(sup, 6, false, NULL, 0);
	/* 6 cores: NC = 5, 3 bits of core id */
	assert_int_equal(leaf(c, 0x80000008, 0)->ecx, 3 << 12 | 5);
	assert_int_equal(leaf(c, 0x80000001, 0)->ecx, BIT(0) | BIT(1) | BIT(2) | BIT(22));
	assert_int_equal((leaf(c, 1, 0)->ebx >> 16) & 0xff, 8);
	assert_true(leaf(c, 1, 0)->edx & BIT(28));
	free(c);

	/* the AMD defaults can be undone */
	{
		char *edits[] = { S("-xsaveerptr"), S("+cx16") };

		c = build(sup, 1, false, edits, 2);
		assert_int_equal(leaf(c, 0x80000008, 0)->ebx, BIT(0) | BIT(9));
		assert_true(leaf(c, 1, 0)->ecx & BIT(13));
		free(c);
	}
	free(sup);
}

static void test_edits(void **state)
{
	char *edits[] = { S("-smap"), S("+x2apic"), S("-popcnt"), S("-xsaves"),
			  S("-hypervisor"),
			  S("+svm"), S("-lm"), S("-invtsc"), S("+tsc-deadline") };
	struct kvm_cpuid2 *sup = INTEL(), *c;

	c = build(sup, 2, false, edits, sizeof(edits) / sizeof(edits[0]));
	assert_int_equal(leaf(c, 7, 0)->ebx, L7_EBX & ~BIT(20));
	assert_int_equal(leaf(c, 1, 0)->ecx,
			 (L1_ECX & ~(BIT(13) | BIT(23))) | BIT(21) | BIT(24));
	assert_int_equal(leaf(c, 0xd, 1)->eax, 0x7);
	assert_int_equal(leaf(c, 0x80000001, 0)->ecx, BIT(0) | BIT(2) | BIT(5));
	assert_int_equal(leaf(c, 0x80000001, 0)->edx, BIT(11) | BIT(20));
	/* hiding a bit of a leaf KVM lacks is harmless */
	assert_null(cpuid_find(c, 0x80000007, 0));
	free(c);

	/* later edits win */
	{
		char *a[] = { S("+smap"), S("-smap") }, *b[] = { S("-smap"), S("+smap") };

		c = build(sup, 1, false, a, 2);
		assert_false(leaf(c, 7, 0)->ebx & BIT(20));
		free(c);
		c = build(sup, 1, false, b, 2);
		assert_true(leaf(c, 7, 0)->ebx & BIT(20));
		free(c);
	}
	free(sup);
}

static void test_edit_errors(void **state)
{
	struct kvm_cpuid_config_case {
		char *edit;
		const char *msg;
	} cases[] = {
		{ S("+nonsense"), "cvmm: --cpu: unknown CPU feature 'nonsense'\n" },
		{ S("-CX16"), "cvmm: --cpu: unknown CPU feature 'CX16'\n" },
		{ S("+invtsc"),
		  "cvmm: --cpu: cannot add 'invtsc': KVM has no CPUID leaf 0x80000007\n" },
	};
	struct kvm_cpuid2 *sup = INTEL();
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *edits[] = { S("-smap"), cases[i].edit };
		struct cpuid_config cfg = { .nr_vcpus = 1, .edits = edits, .nr_edits = 2 };
		struct kvm_cpuid2 *out = NULL;
		struct capture cap;
		int ret;

		capture_start(&cap);
		ret = cpuid_build(sup, &cfg, &out);
		capture_stop(&cap);
		assert_int_equal(ret, -EINVAL);
		assert_null(out);
		assert_string_equal(cap.text, cases[i].msg);
	}
	free(sup);
}

static void test_set_apic_id(void **state)
{
	struct kvm_cpuid2 *sup = AMD(), *c = build(sup, 4, false, NULL, 0);

	cpuid_set_apic_id(c, 3);
	assert_int_equal(leaf(c, 1, 0)->ebx >> 24, 3);
	assert_int_equal(leaf(c, 1, 0)->ebx & 0xffffff, 0x040800);
	assert_int_equal(leaf(c, 0x8000001e, 0)->eax, 3);
	assert_int_equal(leaf(c, 0x8000001e, 0)->ebx, 3);
	cpuid_set_apic_id(c, 0x1ff);	/* x2APIC ids beyond 8 bits */
	assert_int_equal(leaf(c, 1, 0)->ebx >> 24, 0xff);
	assert_int_equal(leaf(c, 0x8000001e, 0)->eax, 0x1ff);
	free(c);
	free(sup);

	sup = INTEL();
	c = build(sup, 4, false, NULL, 0);
	cpuid_set_apic_id(c, 2);
	assert_int_equal(leaf(c, 1, 0)->ebx >> 24, 2);
	assert_int_equal(leaf(c, 0xb, 0)->edx, 2);
	assert_int_equal(leaf(c, 0xb, 1)->edx, 2);
	assert_int_equal(leaf(c, 0x1f, 2)->edx, 2);
	/* other leaves keep their values */
	assert_int_equal(leaf(c, 4, 3)->edx, 6);
	free(c);
	free(sup);
}

/*
 * This project's AMD host reports leaf 0xb with subleaf 0 only: Linux then
 * sees no core level and puts APIC id 1 in a package of its own (SMP
 * bring-up misbehaved).  cvmm must supply the core level and terminator.
 */
static void test_leaf_b_subleaf0_only(void **state)
{
	static const struct ent amd_b0[] = {
		{ 0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65 },
		{ 1, 0, 0, 0x00b00f21, 0x00010800, 0, 0 },
		{ 0xb, 0, SIG, 0, 1, 0x100, 0 },
		{ 0x80000008, 0, 0, 0x3030, 0, 0, 0 },
	};
	struct kvm_cpuid2 *sup = table(amd_b0, sizeof(amd_b0) / sizeof(amd_b0[0]));
	struct kvm_cpuid2 *c = build(sup, 3, false, NULL, 0);
	struct kvm_cpuid_entry2 *e;
	unsigned int count = 0, i;

	for (i = 0; i < c->nent; i++)
		count += c->entries[i].function == 0xb;
	assert_int_equal(count, 3);
	cpuid_set_apic_id(c, 2);
	e = cpuid_find(c, 0xb, 0);
	assert_non_null(e);
	assert_int_equal(e->eax, 0);
	assert_int_equal(e->ebx, 1);
	assert_int_equal(e->ecx, 0x100);		/* SMT level */
	assert_int_equal(e->edx, 2);
	e = cpuid_find(c, 0xb, 1);
	assert_non_null(e);
	assert_int_equal(e->eax, 2);			/* 3 vCPUs: 2 bits */
	assert_int_equal(e->ebx, 3);
	assert_int_equal(e->ecx, 0x201);		/* core level */
	assert_int_equal(e->edx, 2);
	e = cpuid_find(c, 0xb, 2);
	assert_non_null(e);
	assert_int_equal(e->ecx & 0xff00, 0);		/* invalid: the end */
	/* package id = apic id >> core shift = 0 for every vCPU */
	assert_int_equal(2 >> cpuid_find(c, 0xb, 1)->eax, 0);
	free(c);
	free(sup);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_b_subleaf0_only),
		cmocka_unit_test(test_vendor_and_signature),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_feature_table),
		cmocka_unit_test(test_intel_defaults),
		cmocka_unit_test(test_intel_topology),
		cmocka_unit_test(test_amd),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_edit_errors),
		cmocka_unit_test(test_set_apic_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
