// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the simulated PSP and TDX module measure, against encoders written
 * here from the published layouts (issue 21): the simulator measures with
 * src/measure, as the launch plan does, so comparing the two cannot catch
 * a wrong byte there.  The encoders below use OpenSSL's digests directly
 * and the numbers of the specifications, not cvmm's headers:
 *   SNP PAGE_INFO (SNP firmware ABI, "PAGE_INFO"): LD[48] ‖ CONTENTS[48] ‖
 *     u16 LENGTH 0x70 ‖ u8 PAGE_TYPE ‖ u8 IMI_PAGE ‖ u8 VMPL3/2/1 perms ‖
 *     u8 reserved ‖ u64 GPA; LD' = SHA-384(PAGE_INFO);
 *   TDX MRTD: 128-byte records "MEM.PAGE.ADD" / "MR.EXTEND" with the GPA at
 *     byte 16, MR.EXTEND followed by its 256 bytes, all one SHA-384.
 */
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

#include "sim_rules.h"

static void sha384(const void *a, size_t alen, const void *b, size_t blen, uint8_t out[48])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	assert_non_null(md);
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha384(), NULL), 1);
	assert_int_equal(EVP_DigestUpdate(md, a, alen), 1);
	if (blen)
		assert_int_equal(EVP_DigestUpdate(md, b, blen), 1);
	assert_int_equal(EVP_DigestFinal_ex(md, out, NULL), 1);
	EVP_MD_CTX_free(md);
}

/* One PAGE_INFO step: @contents NULL for the page types measured as zeros. */
static void page_info(uint8_t ld[48], uint8_t type, uint64_t gpa, const uint8_t *page)
{
	uint8_t info[0x70] = { 0 };
	int i;

	memcpy(info, ld, 48);
	if (page)
		sha384(page, 4096, NULL, 0, info + 48);
	info[96] = 0x70;		/* LENGTH, little-endian u16 */
	info[97] = 0;
	info[98] = type;		/* then IMI_PAGE, VMPL perms, reserved: 0 */
	for (i = 0; i < 8; i++)
		info[104 + i] = (uint8_t)(gpa >> (8 * i));
	sha384(info, sizeof(info), NULL, 0, ld);
}

static void snp_update_ok(struct hs *h, uint64_t gpa, uint64_t len, uint8_t type)
{
	struct cvmm_kvm_sev_snp_launch_update u;

	assert_int_equal(snp_update(h, &u, gpa, len, type, NULL), 0);
	assert_int_equal(u.len, 0);
}

static void test_snp_page_info(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_snp_launch_finish fin;
	struct sim_launch rec;
	uint8_t ld[48] = { 0 };
	unsigned int i;
	struct hs h;

	snp_started(&h, &amd);
	make_private(&h, GPA, 0x5000);
	for (i = 0; i < 0x2000; i++)
		h.ram[GPA + i] = (uint8_t)(i * 7 + (i >> 12));
	/* NORMAL 1, ZERO 3, UNMEASURED 4, SECRETS 5, in a launch without vCPUs */
	snp_update_ok(&h, GPA, 0x2000, 1);
	snp_update_ok(&h, GPA + 0x2000, 0x1000, 3);
	snp_update_ok(&h, GPA + 0x3000, 0x1000, 4);
	snp_update_ok(&h, GPA + 0x4000, 0x1000, 5);
	page_info(ld, 1, GPA, h.ram + GPA);
	page_info(ld, 1, GPA + 0x1000, h.ram + GPA + 0x1000);
	page_info(ld, 3, GPA + 0x2000, NULL);
	page_info(ld, 4, GPA + 0x3000, NULL);
	page_info(ld, 5, GPA + 0x4000, NULL);
	memset(&fin, 0, sizeof(fin));
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, NULL), 0);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.len, 48);
	assert_memory_equal(rec.digest, ld, 48);
	hs_close(&h);
}

static void mrtd_record(EVP_MD_CTX *md, const char *tag, uint64_t gpa)
{
	uint8_t rec[128] = { 0 };
	int i;

	memcpy(rec, tag, strlen(tag));
	for (i = 0; i < 8; i++)
		rec[16 + i] = (uint8_t)(gpa >> (8 * i));
	assert_int_equal(EVP_DigestUpdate(md, rec, sizeof(rec)), 1);
}

static void test_tdx_mrtd(void **state)
{
	struct sim_config intel = sim_intel(0);
	struct cvmm_kvm_tdx_init_mem_region r;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t *src, want[48];
	struct sim_launch rec;
	struct kvm_vcpu v;
	unsigned int i, c;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	/* the source: the shared mapping of guest RAM, as QEMU and cvmm use */
	src = h.ram + 0x400000;
	for (i = 0; i < 0x3000; i++)
		src[i] = (uint8_t)(i * 13 + 5);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	make_private(&h, GPA, 0x3000);
	/* two measured pages, then one added without MR.EXTEND */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)src, GPA, 2 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION,
				     KVM_TDX_MEASURE_MEMORY_REGION, &r), 0);
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)(src + 0x2000),
						   GPA + 0x2000, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), 0);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), 0);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);

	/* KVM adds a page, then extends it, page by page */
	assert_int_equal(EVP_DigestInit_ex(md, EVP_sha384(), NULL), 1);
	for (i = 0; i < 2; i++) {
		mrtd_record(md, "MEM.PAGE.ADD", GPA + 0x1000 * i);
		for (c = 0; c < 4096; c += 256) {
			mrtd_record(md, "MR.EXTEND", GPA + 0x1000 * i + c);
			assert_int_equal(EVP_DigestUpdate(md, src + 0x1000 * i + c, 256), 1);
		}
	}
	mrtd_record(md, "MEM.PAGE.ADD", GPA + 0x2000);
	assert_int_equal(EVP_DigestFinal_ex(md, want, NULL), 1);
	assert_int_equal(rec.len, 48);
	assert_memory_equal(rec.digest, want, 48);
	EVP_MD_CTX_free(md);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snp_page_info),
		cmocka_unit_test(test_tdx_mrtd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
