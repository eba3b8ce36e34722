// SPDX-License-Identifier: GPL-2.0-only
/*
 * TDX CPUID for KVM_TDX_INIT_VM: the board table filtered by what the TDX
 * module lets the VMM configure, matched by (leaf, subleaf) with
 * KVM_TDX_CAPABILITIES' entries taken as indexed although KVM reports them
 * without KVM_CPUID_FLAG_SIGNIFCANT_INDEX (Alioth's workaround, QEMU's
 * tdx_filter_cpuid()).  The simulated module accepts the result; the two
 * naive readings lose features or are refused.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coco/kvm/kvm_coco.h"
#include "harness.h"

#define SIG	KVM_CPUID_FLAG_SIGNIFCANT_INDEX

static const struct kvm_cpuid_entry2 caps_entries[] = {
	{ .function = 0x1, .ecx = 0x76d83203, .edx = 0xbfebfbff },
	{ .function = 0x7, .ebx = 0xd59f07ab, .ecx = 0x0040070c, .edx = 0xac004400 },
	{ .function = 0x7, .index = 1, .eax = 0x30 },
	{ .function = 0x80000001, .ecx = 0x121, .edx = 0x2c100800 },
	{ .function = 0x80000008, .eax = 0x00ff00ff },
};

static const struct kvm_cpuid_entry2 board_entries[] = {
	{ .function = 0x0, .eax = 0x1f, .ebx = 0x756e6547 },
	{ .function = 0x1, .eax = 0x806f8, .ebx = 0x800, .ecx = 0xfff83203, .edx = 0x1f8bfbff },
	{ .function = 0x7, .flags = SIG, .eax = 1, .ebx = 0xd59f0fbb, .ecx = 0x0040072c,
	  .edx = 0xac004400 },
	{ .function = 0x7, .index = 1, .flags = SIG, .eax = 0x30 },
	{ .function = 0xd, .flags = SIG, .eax = 0x2e7, .ebx = 0xa88, .ecx = 0xa88 },
	{ .function = 0x40000001, .eax = 0x01007afb },
	{ .function = 0x80000001, .index = 5, .ecx = 0x121, .edx = 0x2c100800 },
	/* 52 physical bits, 57 linear, KVM maps 52-bit GPAs (5-level EPT) */
	{ .function = 0x80000008, .eax = 0x00343934 },
};

static struct kvm_cpuid2 *table(const struct kvm_cpuid_entry2 *e, unsigned int n)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(n);

	assert_non_null(c);
	memcpy(c->entries, e, n * sizeof(*e));
	return c;
}

#define TABLE(a) table(a, sizeof(a) / sizeof((a)[0]))

static void test_filter_exact(void **state)
{
	struct kvm_cpuid2 *board = TABLE(board_entries), *caps = TABLE(caps_entries);
	struct kvm_cpuid2 *out = kvm_cpuid2_alloc(board->nent);
	const struct kvm_cpuid_entry2 *e = out->entries;

	coco_tdx_filter_cpuid(board, caps, out);
	assert_int_equal(out->nent, 5);
	/* leaf 1: non-indexed, only the configurable bits (no x2APIC/TSC deadline/HV) */
	assert_int_equal(e[0].function, 1);
	assert_int_equal(e[0].flags, 0);
	assert_int_equal(e[0].eax, 0);
	assert_int_equal(e[0].ecx, 0xfff83203 & 0x76d83203);
	/* 7.0: HLE/RTM and WAITPKG are not configurable; flagged as indexed */
	assert_int_equal(e[1].function, 7);
	assert_int_equal(e[1].index, 0);
	assert_int_equal(e[1].flags, SIG);
	assert_int_equal(e[1].eax, 0);
	assert_int_equal(e[1].ebx, 0xd59f07ab);
	assert_int_equal(e[1].ecx, 0x0040070c);
	/* 7.1 matched to caps (7, 1), not to the first leaf-7 entry */
	assert_int_equal(e[2].function, 7);
	assert_int_equal(e[2].index, 1);
	assert_int_equal(e[2].flags, SIG);
	assert_int_equal(e[2].eax, 0x30);
	/* a non-indexed board entry is looked up as subleaf 0, whatever its index */
	assert_int_equal(e[3].function, 0x80000001);
	assert_int_equal(e[3].index, 0);
	assert_int_equal(e[3].ecx, 0x121);
	/* GPAW: KVM maps 52-bit GPAs, so a 52-bit TD */
	assert_int_equal(e[4].function, 0x80000008);
	assert_int_equal(e[4].eax, 0x00340034);
	free(out);

	/* 52 physical bits but no 5-level EPT (EAX[23:16] = 48): GPAW 48 */
	board->entries[7].eax = 0x00303934;
	out = kvm_cpuid2_alloc(board->nent);
	coco_tdx_filter_cpuid(board, caps, out);
	assert_int_equal(out->entries[4].eax, 0x00300034);
	free(out);

	/* 46 physical bits: GPAW 48 */
	board->entries[7].eax = 0x002e302e;
	out = kvm_cpuid2_alloc(board->nent);
	coco_tdx_filter_cpuid(board, caps, out);
	assert_int_equal(out->entries[4].eax, 0x0030002e);
	free(out);

	/* a KVM that reports no GPA width (EAX[23:16] = 0): GPAW 48, not the host's 52 */
	board->entries[7].eax = 0x3934;
	out = kvm_cpuid2_alloc(board->nent);
	coco_tdx_filter_cpuid(board, caps, out);
	assert_int_equal(out->entries[4].eax, 0x00300034);
	free(out);
	free(board);
	free(caps);
}

static void test_filter_fixed_kvm(void **state)
{
	struct kvm_cpuid2 *board = TABLE(board_entries), *caps = TABLE(caps_entries);
	struct kvm_cpuid2 *a = kvm_cpuid2_alloc(board->nent), *b = kvm_cpuid2_alloc(board->nent);
	unsigned int i;

	/* a KVM that reports SIGNIFICANT_INDEX (the proposed fix) gives the same table */
	coco_tdx_filter_cpuid(board, caps, a);
	for (i = 0; i < caps->nent; i++)
		caps->entries[i].flags = SIG;
	coco_tdx_filter_cpuid(board, caps, b);
	assert_int_equal(a->nent, b->nent);
	assert_memory_equal(a->entries, b->entries, a->nent * sizeof(a->entries[0]));
	free(a);
	free(b);
	free(board);
	free(caps);
}

/* The flag-literal reading: a caps entry without SIGNIFICANT_INDEX matches any subleaf. */
static void naive_literal(const struct kvm_cpuid2 *board, const struct kvm_cpuid2 *caps,
			  struct kvm_cpuid2 *out)
{
	uint32_t i, j, n = 0;

	for (i = 0; i < board->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &board->entries[i], *c = NULL;

		for (j = 0; j < caps->nent && !c; j++)
			if (caps->entries[j].function == e->function &&
			    (!(caps->entries[j].flags & SIG) || caps->entries[j].index == e->index))
				c = &caps->entries[j];
		if (!c)
			continue;
		out->entries[n] = *e;
		out->entries[n].eax &= c->eax;
		out->entries[n].ebx &= c->ebx;
		out->entries[n].ecx &= c->ecx;
		out->entries[n].edx &= c->edx;
		if (e->function == 0x80000008)
			out->entries[n].eax |= 52 << 16;
		n++;
	}
	out->nent = n;
}

static int init_vm(struct hs *h, const struct kvm_cpuid2 *cpuid, uint64_t *hw)
{
	size_t hdr = sizeof(struct cvmm_kvm_tdx_init_vm);
	uint8_t *buf = calloc(1, hdr + sizeof(*cpuid) + cpuid->nent * sizeof(cpuid->entries[0]));
	struct cvmm_kvm_tdx_init_vm *init = (void *)buf;
	int ret;

	init->attributes = 1ULL << 28;
	memcpy(buf + hdr, cpuid, sizeof(*cpuid) + cpuid->nent * sizeof(cpuid->entries[0]));
	ret = hs_tdx_vm(h, CVMM_KVM_TDX_INIT_VM, 0, buf, hw);
	free(buf);
	return ret;
}

static void test_module_accepts_only_the_workaround(void **state)
{
	struct sim_config cfg = { .platform = COCO_TDX };
	const struct kvm_cpuid2 *supported;
	struct kvm_cpuid2 *caps, *ours, *flagless, *literal;
	_Alignas(8) uint8_t buf[2048 + 8 + 64 * sizeof(struct kvm_cpuid_entry2)];
	struct kvm_cpuid2 *cc = (void *)(buf + 2048);
	uint64_t hw = 0;
	unsigned int i;
	struct hs h;

	hs_open(&h, &cfg);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	memset(buf, 0, sizeof(buf));
	cc->nent = 64;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 0, buf, NULL), 0);
	caps = table(cc->entries, cc->nent);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &supported), 0);

	ours = kvm_cpuid2_alloc(supported->nent);
	flagless = kvm_cpuid2_alloc(supported->nent);
	literal = kvm_cpuid2_alloc(supported->nent);
	coco_tdx_filter_cpuid(supported, caps, ours);
	/* without the flags, KVM maps config leaf 7.1 onto the user's 7.0 */
	memcpy(flagless, ours, sizeof(*ours) + ours->nent * sizeof(ours->entries[0]));
	for (i = 0; i < flagless->nent; i++)
		flagless->entries[i].flags = 0;
	assert_int_equal(init_vm(&h, flagless, &hw), -EINVAL);
	assert_int_equal(hw, 0xC000010000000000ULL);	/* TDX_OPERAND_INVALID */
	/* the literal reading is accepted but silently drops 7.1 (AVX-VNNI, AVX512_BF16) */
	naive_literal(supported, caps, literal);
	for (i = 0; i < literal->nent; i++)
		if (literal->entries[i].function == 7 && literal->entries[i].index == 1)
			assert_int_equal(literal->entries[i].eax, 0);
	for (i = 0; i < ours->nent; i++)
		if (ours->entries[i].function == 7 && ours->entries[i].index == 1)
			assert_int_equal(ours->entries[i].eax, 0x30);
	/* ours is what the module takes */
	assert_int_equal(init_vm(&h, ours, NULL), 0);
	free(caps);
	free(ours);
	free(flagless);
	free(literal);
	hs_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_exact),
		cmocka_unit_test(test_filter_fixed_kvm),
		cmocka_unit_test(test_module_accepts_only_the_workaround),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
