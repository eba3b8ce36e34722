// SPDX-License-Identifier: GPL-2.0-only
/*
 * VMSA layout and vCPU signatures, against the VMSA pages sev-snp-measure
 * produced (tests/data/measure/sev-snp-measure/derived, QEMU, EPYC-v4).
 * The register values below are written out here from the AMD APM reset
 * state, independently of coco/plan_vcpu.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "measure/digest.h"
#include "measure/vcpu_types.h"
#include "measure/vmsa.h"
#include "tdata.h"

static void qemu_state(struct vmsa_state *s, uint32_t eip, uint64_t features)
{
	static const struct vmsa_seg segs[VMSA_NR_SEGS] = {
		[VMSA_ES] = { 0, 0x93, 0xffff, 0 },
		[VMSA_CS] = { 0xf000, 0x9b, 0xffff, 0 },
		[VMSA_SS] = { 0, 0x93, 0xffff, 0 },
		[VMSA_DS] = { 0, 0x93, 0xffff, 0 },
		[VMSA_FS] = { 0, 0x93, 0xffff, 0 },
		[VMSA_GS] = { 0, 0x93, 0xffff, 0 },
		[VMSA_GDTR] = { 0, 0, 0xffff, 0 },
		[VMSA_LDTR] = { 0, 0x82, 0xffff, 0 },
		[VMSA_IDTR] = { 0, 0, 0xffff, 0 },
		[VMSA_TR] = { 0, 0x8b, 0xffff, 0 },
	};

	memset(s, 0, sizeof(*s));
	memcpy(s->seg, segs, sizeof(segs));
	s->seg[VMSA_CS].base = eip & 0xffff0000;
	s->rip = eip & 0xffff;
	s->efer = 0x1000;
	s->cr4 = 0x40;
	s->cr0 = 0x10;
	s->dr7 = 0x400;
	s->dr6 = 0xffff0ff0;
	s->rflags = 2;
	s->g_pat = 0x0007040600070406ULL;
	s->rdx = 0x800f12;
	s->xcr0 = 1;
	s->sev_features = features;
	s->mxcsr = 0x1f80;
	s->x87_fcw = 0x37f;
}

static void check_page(const char *file, uint32_t eip, uint64_t features)
{
	uint8_t page[PAGE_SIZE], *want;
	struct vmsa_state s;
	size_t len;

	want = tdata_read(file, &len);
	assert_int_equal(len, PAGE_SIZE);
	qemu_state(&s, eip, features);
	vmsa_build(&s, page);
	assert_memory_equal(page, want, PAGE_SIZE);
	free(want);
}

#define D "measure/sev-snp-measure/derived/"

static void test_snp_pages(void **state)
{
	check_page(D "vmsa_snp_qemu_epycv4_feat0x1_bsp.bin", 0xfffffff0, 0x1);
	check_page(D "vmsa_snp_qemu_epycv4_feat0x1_ap.bin", 0x80b004, 0x1);
	check_page(D "vmsa_snp_qemu_epycv4_feat0x21_bsp.bin", 0xfffffff0, 0x21);
	check_page(D "vmsa_snp_qemu_epycv4_feat0x21_ap.bin", 0x80b004, 0x21);
}

static void test_seves_pages(void **state)
{
	check_page(D "vmsa_seves_qemu_epycv4_bsp.bin", 0xfffffff0, 0);
	check_page(D "vmsa_seves_qemu_epycv4_ap.bin", 0x80b004, 0);
}

static void test_offsets(void **state)
{
	uint8_t page[PAGE_SIZE];
	struct vmsa_state s;

	memset(&s, 0, sizeof(s));
	s.rip = 0x1122334455667788ULL;
	s.seg[VMSA_TR].base = 0xabcdef;
	s.x87_fcw = 0x1234;
	s.rsp = 7;
	vmsa_build(&s, page);
	assert_int_equal(page[0x178], 0x88);
	assert_int_equal(page[0x17f], 0x11);
	assert_int_equal(page[0x98], 0xef);
	assert_int_equal(page[0x410], 0x34);
	assert_int_equal(page[0x1d8], 7);
}

static void test_vcpu_sig(void **state)
{
	uint32_t sig;

	/* sev-snp-measure tests/test_vcpu_types.py */
	assert_int_equal(vcpu_sig_compute(14, 1, 2), 0x0e12);
	assert_int_equal(vcpu_sig_compute(23, 1, 2), 0x800f12);
	assert_int_equal(vcpu_sig_lookup("EPYC-v4", &sig), 0);
	assert_int_equal(sig, 0x800f12);
	assert_int_equal(vcpu_sig_lookup("epyc-rome", &sig), 0);
	assert_int_equal(sig, 0x830f10);
	assert_int_equal(vcpu_sig_lookup("EPYC-Milan", &sig), 0);
	assert_int_equal(sig, 0xa00f11);
	assert_int_equal(vcpu_sig_lookup("EPYC-Genoa", &sig), 0);
	assert_int_equal(sig, 0xa10f10);
	assert_int_equal(vcpu_sig_lookup("EPYC-Turin", &sig), 0);
	assert_int_equal(sig, 0xb00f00);
	assert_int_equal(vcpu_sig_lookup("Skylake", &sig), -ENOENT);
	assert_non_null(vcpu_type_name(0));
	assert_null(vcpu_type_name(1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_pages),
		cmocka_unit_test(test_seves_pages),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_vcpu_sig),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
