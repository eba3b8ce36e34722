// SPDX-License-Identifier: GPL-2.0-only
/*
 * Whole confidential launches through the real vm_create() on the
 * simulated platform, for SEV, SEV-ES, SEV-SNP and TDX, from stage0-shaped
 * and OVMF-shaped images (synthetic), Debian's OVMF.fd and cvmm's test
 * firmware when present: the platform accepts every step and measures
 * exactly what the launch plan predicts; nothing leaks.  The plan and the
 * simulator share cvmm's hashing, PAGE_INFO and VMSA code, so launches of
 * sev-snp-measure's fixtures are also checked against its own expected
 * digests (test_external_vectors); tests/coco/dryrun_check.py compares
 * every other launch with an encoder written separately (issue 21).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "../fwgen.h"
#include "../../measure/tdata.h"
#include "coco/plan/plan.h"
#include "harness.h"
#include "machine/coco.h"
#include "measure/id_block.h"
#include "util/file.h"

#define MEM	(512ULL << 20)

enum img { IMG_STAGE0, IMG_OVMF, IMG_OVMF_FD, IMG_TESTFW };

static uint8_t *image(enum img which, enum coco_type t, size_t *len)
{
	char path[512];
	struct fwgen g;
	const char *b;

	switch (which) {
	case IMG_STAGE0:
		if (t == COCO_TDX)
			fwgen_stage0_tdx(&g);
		else
			fwgen_stage0_sev(&g);
		*len = g.size;
		return fwgen_build(&g);
	case IMG_OVMF:
		fwgen_ovmf(&g);
		*len = g.size;
		return fwgen_build(&g);
	case IMG_OVMF_FD:
		return load_file("/usr/share/ovmf/OVMF.fd", len);
	case IMG_TESTFW:
		b = getenv("CVMM_BUILD");
		if (!b)
			return NULL;
		snprintf(path, sizeof(path), "%s/guests/firmware/cvmm-testfw.rom", b);
		if (!access(path, R_OK))
			return load_file(path, len);
		snprintf(path, sizeof(path), "%s/guests/cvmm-testfw.rom", b);
		return load_file(path, len);
	}
	return NULL;
}

static int open_img(struct hm *h, const char *spec, enum img which, unsigned int vcpus,
		    uint64_t mem, const struct sim_config *sc)
{
	size_t len;
	uint8_t *fw = image(which, spec[0] == 't' ? COCO_TDX : COCO_SNP, &len);

	assert_non_null(fw);
	return hm_open(h, spec, fw, len, vcpus, mem, sc);
}

static void init_img(struct hm *h, const char *spec, enum img which, unsigned int vcpus)
{
	size_t len;
	uint8_t *fw = image(which, spec[0] == 't' ? COCO_TDX : COCO_SNP, &len);

	assert_non_null(fw);
	hm_init(h, spec, fw, len, vcpus, MEM);
}

static const char *const specs[] = {
	"sev,policy=0x1", "sev,policy=0x5", "snp,policy=0x30000", "tdx,attr=0x10000000",
};

static void launch_one(const char *spec, enum img which, unsigned int vcpus, bool required)
{
	uint8_t got[48], want[48];
	enum coco_type t = spec[0] == 't' ? COCO_TDX : spec[1] == 'n' ? COCO_SNP :
			   strstr(spec, "0x5") ? COCO_SEV_ES : COCO_SEV;
	unsigned int fds = count_fds();
	size_t len, dlen;
	uint8_t *fw = image(which, t, &len);
	struct hm h;

	if (!fw) {
		assert_false(required);
		return;
	}
	if (!required) {
		/* an image found on this host: launch it if the plan takes it */
		struct coco_config coco = { 0 };
		struct plan_params pp = {
			.coco = &coco, .fw = fw, .fw_len = len, .nr_vcpus = vcpus,
			.vcpu_sig = 0x00800f12, .guest_features = 1, .mem_size = MEM,
		};
		struct err_msg err = { "" };
		struct launch_plan *plan;

		assert_int_equal(coco_config_parse(&coco, spec), 0);
		if (plan_build(&pp, &plan, &err)) {
			printf("%s: image %d not launchable: %s\n", spec, which, err.msg);
			coco_config_free(&coco);
			free(fw);
			return;
		}
		plan_free(plan);
		coco_config_free(&coco);
	}
	/* a synthetic stage0 SEV image has no TDVF, the stage0 TDX one no SEV metadata */
	assert_int_equal(hm_open(&h, spec, fw, len, vcpus, MEM, NULL), 0);
	hm_digests(&h, got, want, &dlen);
	assert_int_equal(dlen, t == COCO_SEV || t == COCO_SEV_ES ? 32 : 48);
	assert_memory_equal(got, want, dlen);
	assert_int_equal(sim_nr_launches(h.s), 1);
	hm_close(&h);
	assert_int_equal(count_fds(), fds);
}

static void test_stage0_shaped(void **state)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		launch_one(specs[i], IMG_STAGE0, 1, true);
		launch_one(specs[i], IMG_STAGE0, 3, true);
	}
}

static void test_ovmf_shaped(void **state)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		launch_one(specs[i], IMG_OVMF, 1, true);
		launch_one(specs[i], IMG_OVMF, 4, true);
	}
}

static void test_real_images(void **state)
{
	unsigned int i;

	/* Debian's OVMF.fd and cvmm's test firmware, when they exist here */
	for (i = 0; i < 4; i++) {
		launch_one(specs[i], IMG_OVMF_FD, 2, false);
		launch_one(specs[i], IMG_TESTFW, 2, false);
	}
}

/*
 * Whole launches of sev-snp-measure's fixtures on the simulated platform
 * against the digests sev-snp-measure's tests expect (EPYC-v4 vCPUs, the
 * simulated host being an EPYC-Milan; SEV_FEATURES 0x1; no kernel: cvmm
 * cannot launch the empty kernel its other cases use).
 */
static void test_external_vectors(void **state)
{
	static const struct {
		const char *spec, *fw, *expected;
	} cases[] = {
		/* test_snp_without_kernel_feature_snp_only */
		{ "snp,policy=0x30000", "ovmf_AmdSev_suffix.bin",
		  "19358ba9a7615534a9a1e2f0dfc29384dcd4dcb7062ff9c6013b26869a5fc6ec"
		  "abe033c48dd6f6db5d6d76e7c5df632d" },
		/* test_snp_with_ovmfx64_without_kernel_feature_snp_only */
		{ "snp,policy=0x30000", "ovmf_OvmfX64_suffix.bin",
		  "da0296de8193586a5512078dcd719eccecbd87e2b825ad4148c44f665dc87df2"
		  "1e5b49e21523a9ad993afdb6a30b4005" },
		/* test_sev_with_ovmfx64_without_kernel */
		{ "sev,policy=0x1", "ovmf_OvmfX64_suffix.bin",
		  "b4c021e085fb83ceffe6571a3d357b4a98773c83c474e47f76c876708fe316da" },
	};
	uint8_t got[48], want[48], expected[48];
	char rel[128];
	size_t len, dlen, elen;
	unsigned int i;
	struct hm h;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint8_t *fw;

		snprintf(rel, sizeof(rel), "measure/sev-snp-measure/%s", cases[i].fw);
		fw = tdata_read(rel, &len);
		/* the vCPUs are EPYC-v4 (--cpu model=EPYC-v4), not the simulated host's */
		hm_init(&h, cases[i].spec, fw, len, 1, MEM);
		h.cfg.cpu.have_sig = true;
		h.cfg.cpu.sig = 0x800f12;
		assert_int_equal(hm_build(&h, NULL), 0);
		hm_digests(&h, got, want, &dlen);
		assert_memory_equal(got, want, dlen);
		elen = strlen(cases[i].expected) / 2;
		tdata_hex(cases[i].expected, expected, elen);
		assert_int_equal(dlen, elen);
		assert_memory_equal(got, expected, elen);
		hm_close(&h);
	}
}

static void test_high_memory(void **state)
{
	uint8_t got[48], want[48];
	size_t len, dlen;
	struct hm h;
	unsigned int i;

	/* RAM above 4 GiB: a second private memslot, the TD HOB describes it */
	for (i = 2; i < 4; i++) {
		uint8_t *fw = image(IMG_OVMF, COCO_SNP, &len);

		assert_int_equal(hm_open(&h, specs[i], fw, len, 2, 5ULL << 30, NULL), 0);
		hm_digests(&h, got, want, &dlen);
		assert_memory_equal(got, want, dlen);
		/* guest RAM starts private: high RAM too */
		assert_int_equal(sim_vm_private(h.s, h.vm.kvm.fd, 0x100000000ULL + 0x1000), 1);
		assert_int_equal(sim_vm_private(h.s, h.vm.kvm.fd, 0x1000), 1);
		hm_close(&h);
	}
}

static void test_measured_direct_boot(void **state)
{
	const char *b = getenv("CVMM_BUILD");
	uint8_t got[48], want[48];
	char path[512];
	size_t len, klen, dlen;
	unsigned int i;
	struct hm h;

	assert_non_null(b);
	snprintf(path, sizeof(path), "%s/guests/exit.bzImage", b);
	for (i = 0; i < 3; i++) {
		uint8_t *fw = image(IMG_STAGE0, COCO_SEV, &len);
		const struct launch_plan *p;

		hm_init(&h, specs[i], fw, len, 1, MEM);
		h.m.kernel = load_file(path, &klen);
		assert_non_null(h.m.kernel);
		h.m.kernel_len = klen;
		h.cfg.kernel = strdup(path);
		assert_int_equal(hm_build(&h, NULL), 0);
		p = vm_coco_plan(&h.vm);
		assert_true(p->have_hashes);
		hm_digests(&h, got, want, &dlen);
		assert_memory_equal(got, want, dlen);
		/* SEV: the table sits in guest RAM where the firmware looks for it */
		if (i < 2) {
			uint8_t table[176];

			assert_int_equal(guest_mem_read(&h.vm.mem, p->hashes_gpa, table,
							sizeof(table)), 0);
			assert_memory_equal(table, p->hashes_table, sizeof(table));
		}
		hm_close(&h);
	}
}

static int write_tmp(const char *dir, const char *name, const uint8_t *d, size_t len,
		     char *out, size_t outlen)
{
	snprintf(out, outlen, "%s/%s", dir, name);
	return file_write_atomic(out, d, len);
}

static void test_snp_id_block(void **state)
{
	uint8_t block[SNP_ID_BLOCK_LEN], auth[SNP_ID_AUTH_LEN], got[48], want[48];
	struct snp_id_block ib = { .version = 1, .policy = 0x30000, .guest_svn = 9 };
	char dir[] = "/tmp/cvmm-idblock-XXXXXX", pb[600], pa[600];
	uint8_t digest[48];
	EVP_PKEY *id = EVP_EC_gen("P-384"), *author = EVP_EC_gen("P-384");
	struct sim_launch rec;
	size_t dlen;
	struct hm h;

	assert_non_null(id);
	assert_non_null(author);
	assert_non_null(mkdtemp(dir));
	/* the digest first, then an ID block that signs it */
	assert_int_equal(open_img(&h, "snp,policy=0x30000", IMG_OVMF, 2, MEM, NULL), 0);
	hm_digests(&h, got, want, &dlen);
	hm_close(&h);
	memcpy(ib.ld, got, 48);
	memset(ib.family_id, 0xf1, 16);
	memset(ib.image_id, 0x1e, 16);
	snp_id_block_encode(&ib, block);
	assert_int_equal(snp_id_auth_build(id, author, block, auth), 0);
	assert_int_equal(write_tmp(dir, "block", block, sizeof(block), pb, sizeof(pb)), 0);
	assert_int_equal(write_tmp(dir, "auth", auth, sizeof(auth), pa, sizeof(pa)), 0);

	init_img(&h, "snp,policy=0x30000,host-data=0x"
		 "0102030405060708091011121314151617181920212223242526272829303132", IMG_OVMF, 2);
	h.cfg.coco.id_block_path = strdup(pb);
	h.cfg.coco.id_auth_path = strdup(pa);
	assert_int_equal(hm_build(&h, NULL), 0);
	assert_int_equal(sim_vm_launch(h.s, h.vm.kvm.fd, &rec), 0);
	assert_true(rec.id_block);
	assert_int_equal(rec.host_data[0], 0x01);
	assert_int_equal(rec.host_data[31], 0x32);
	/* what the PSP keeps for this guest's reports (sim/sim_tee.h) */
	assert_int_equal(rec.policy, 0x30000);
	assert_int_equal(rec.guest_svn, 9);
	assert_memory_equal(rec.family_id, ib.family_id, 16);
	assert_memory_equal(rec.image_id, ib.image_id, 16);
	assert_true(rec.author_key_en);
	assert_int_equal(snp_key_digest(id, digest), 0);
	assert_memory_equal(rec.id_key_digest, digest, 48);
	assert_int_equal(snp_key_digest(author, digest), 0);
	assert_memory_equal(rec.author_key_digest, digest, 48);
	hm_close(&h);

	/* the same ID block for another launch (4 vCPUs): the PSP refuses */
	init_img(&h, "snp,policy=0x30000", IMG_OVMF, 4);
	h.cfg.coco.id_block_path = strdup(pb);
	h.cfg.coco.id_auth_path = strdup(pa);
	assert_int_equal(hm_build(&h, NULL), -EIO);
	hm_close(&h);

	/* a corrupted signature */
	auth[SNP_ID_AUTH_OFF_BLOCK_SIG] ^= 1;
	assert_int_equal(write_tmp(dir, "auth", auth, sizeof(auth), pa, sizeof(pa)), 0);
	init_img(&h, "snp,policy=0x30000", IMG_OVMF, 2);
	h.cfg.coco.id_block_path = strdup(pb);
	h.cfg.coco.id_auth_path = strdup(pa);
	assert_int_equal(hm_build(&h, NULL), -EIO);
	hm_close(&h);

	/* a file of the wrong size is refused before anything runs */
	assert_int_equal(write_tmp(dir, "auth", auth, 100, pa, sizeof(pa)), 0);
	init_img(&h, "snp,policy=0x30000", IMG_OVMF, 2);
	h.cfg.coco.id_block_path = strdup(pb);
	h.cfg.coco.id_auth_path = strdup(pa);
	assert_int_equal(hm_build(&h, NULL), -EINVAL);
	hm_close(&h);

	unlink(pb);
	unlink(pa);
	rmdir(dir);
	EVP_PKEY_free(id);
	EVP_PKEY_free(author);
}

static void test_legacy_sev(void **state)
{
	struct sim_config cfg = { .platform = COCO_SEV, .vm_types = 1 };
	uint8_t got[48], want[48];
	size_t dlen;
	struct hm h;

	/* no SEV VM types: KVM_SEV_INIT on the default type, same digest */
	assert_int_equal(open_img(&h, "sev,policy=0x1", IMG_OVMF, 1, MEM, &cfg), 0);
	assert_int_equal(h.vm.coco_props.vm_type, KVM_X86_DEFAULT_VM);
	hm_digests(&h, got, want, &dlen);
	assert_memory_equal(got, want, dlen);
	hm_close(&h);

	/*
	 * legacy KVM_SEV_ES_INIT: KVM leaves the FPU state out of the VMSAs,
	 * so the platform's digest is not the one the plan (INIT2) predicts
	 */
	assert_int_equal(open_img(&h, "sev,policy=0x5", IMG_OVMF, 1, MEM, &cfg), 0);
	hm_digests(&h, got, want, &dlen);
	assert_int_equal(dlen, 32);
	assert_memory_not_equal(got, want, dlen);
	hm_close(&h);
}

static void test_partial_progress(void **state)
{
	struct sim_config snp = { .platform = COCO_SNP, .snp_update_pages = 1, .eagain = 3 };
	struct sim_config tdx = { .platform = COCO_TDX, .tdx_interrupt_pages = 7, .eagain = 2 };
	uint8_t got[48], want[48];
	size_t dlen;
	struct hm h;

	/* one page per SNP_LAUNCH_UPDATE, three -EAGAIN: the loop gets there */
	assert_int_equal(open_img(&h, "snp,policy=0x30000", IMG_OVMF, 2, MEM, &snp), 0);
	hm_digests(&h, got, want, &dlen);
	assert_memory_equal(got, want, dlen);
	hm_close(&h);

	/* INIT_VM: -EAGAIN twice; INIT_MEM_REGION interrupted every 7 pages */
	assert_int_equal(open_img(&h, "tdx,attr=0x10000000", IMG_OVMF, 2, MEM, &tdx), 0);
	hm_digests(&h, got, want, &dlen);
	assert_memory_equal(got, want, dlen);
	hm_close(&h);
}

static void test_host_without_hardware(void **state)
{
	struct sim_config amd_no_snp = { .platform = COCO_SNP, .vm_types = 0xf };
	struct sim_config intel_no_tdx = { .platform = COCO_TDX, .vm_types = 0x3 };
	struct sim_config amd = { .platform = COCO_SNP };
	unsigned int fds = count_fds();
	size_t len;
	uint8_t *fw;
	struct hm h;

	assert_int_equal(open_img(&h, "snp,policy=0x30000", IMG_OVMF, 1, MEM, &amd_no_snp), -ENODEV);
	hm_close(&h);
	assert_int_equal(open_img(&h, "tdx,attr=0x10000000", IMG_OVMF, 1, MEM, &intel_no_tdx), -ENODEV);
	hm_close(&h);
	/* an AMD host has no TDX at all */
	assert_int_equal(open_img(&h, "tdx,attr=0x10000000", IMG_OVMF, 1, MEM, &amd), -ENODEV);
	hm_close(&h);
	/* TD attributes the module does not support */
	assert_int_equal(open_img(&h, "tdx,attr=0x40000000", IMG_OVMF, 1, MEM, NULL), -EINVAL);
	hm_close(&h);
	/* a firmware without the platform's metadata: the plan refuses it */
	fw = image(IMG_STAGE0, COCO_SEV, &len);
	assert_int_equal(hm_open(&h, "tdx,attr=0x10000000", fw, len, 1, MEM, NULL), -EINVAL);
	hm_close(&h);
	assert_int_equal(count_fds(), fds);
}

static void test_rebuild_no_leaks(void **state)
{
	unsigned int fds = count_fds(), i, j;
	struct hm h;

	for (i = 0; i < 3; i++) {
		for (j = 0; j < 4; j++) {
			assert_int_equal(open_img(&h, specs[j], IMG_OVMF, 2, MEM, NULL), 0);
			/* while built: VM, vCPUs, guest_memfd, /dev/kvm and /dev/sev */
			assert_true(sim_nr_objects(h.s) >= 4);
			hm_close(&h);
		}
	}
	assert_int_equal(count_fds(), fds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage0_shaped),
		cmocka_unit_test(test_ovmf_shaped),
		cmocka_unit_test(test_real_images),
		cmocka_unit_test(test_high_memory),
		cmocka_unit_test(test_measured_direct_boot),
		cmocka_unit_test(test_external_vectors),
		cmocka_unit_test(test_snp_id_block),
		cmocka_unit_test(test_legacy_sev),
		cmocka_unit_test(test_partial_progress),
		cmocka_unit_test(test_host_without_hardware),
		cmocka_unit_test(test_rebuild_no_leaks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
