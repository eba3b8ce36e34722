// SPDX-License-Identifier: GPL-2.0-only
/*
 * Launch plan construction on the real OVMF fixtures, Debian's OVMF.fd
 * (when installed) and synthetic stage0-shaped and OVMF-shaped images;
 * the measurement model on them against independent computations.
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

#include <openssl/evp.h>

#include "coco/plan/plan.h"
#include "coco/fw/sev_meta.h"
#include "coco/fw/snp_cpuid.h"
#include "coco/fw/tdvf.h"
#include "measure/sev_hashes.h"
#include "measure/snp.h"
#include "../../measure/tdata.h"
#include "../fwgen.h"

#define DEBIAN_OVMF "/usr/share/ovmf/OVMF.fd"
#define SIG_EPYC_V4 0x800f12

struct setup {
	struct coco_config cc;
	struct plan_params pp;
	struct err_msg err;
};

static void setup_init(struct setup *s, enum coco_type type, const uint8_t *fw, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->cc.type = type;
	s->cc.policy = type == COCO_SNP ? 0x30000 : type == COCO_SEV_ES ? 5 : 1;
	s->cc.tdx_attr = 0x10000000;
	s->pp.coco = &s->cc;
	s->pp.fw = fw;
	s->pp.fw_len = len;
	s->pp.nr_vcpus = 1;
	s->pp.vcpu_sig = SIG_EPYC_V4;
	s->pp.guest_features = 0x1;
	s->pp.mem_size = 512 << 20;
}

static struct launch_plan *build_ok(struct setup *s)
{
	struct launch_plan *p = NULL;
	int ret = plan_build(&s->pp, &p, &s->err);

	if (ret)
		fprintf(stderr, "plan_build: %d %s\n", ret, s->err.msg);
	assert_int_equal(ret, 0);
	return p;
}

static void build_fails(struct setup *s, const char *msg)
{
	struct launch_plan *p = (struct launch_plan *)1;

	s->err.msg[0] = 0;
	assert_int_equal(plan_build(&s->pp, &p, &s->err), -EINVAL);
	assert_null(p);
	if (!strstr(s->err.msg, msg)) {
		fprintf(stderr, "error '%s' lacks '%s'\n", s->err.msg, msg);
		fail();
	}
}

static void expect_op(const struct plan_op *o, uint64_t gpa, uint64_t len, int type,
		      enum plan_src src)
{
	assert_int_equal(o->gpa, gpa);
	assert_int_equal(o->len, len);
	assert_int_equal(o->snp_type, type);
	assert_int_equal(o->src, src);
}

/* QEMU's launch of AmdSevX64 OVMF, op by op; VMSAs equal the derived pages. */
static void test_amdsev_snp_plan(void **state)
{
	uint8_t page[4096], *want, *fw;
	struct launch_plan *p;
	struct setup s;
	size_t len, wl;

	fw = tdata_read("measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", &len);
	setup_init(&s, COCO_SNP, fw, len);
	s.pp.kernel = (const uint8_t *)"";
	s.pp.cmdline = "console=ttyS0 loglevel=7";
	s.pp.nr_vcpus = 2;
	s.pp.guest_features = 0x21;
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 8);
	expect_op(&p->ops[0], 0xfffff000, 0x1000, SNP_PAGE_NORMAL, PLAN_SRC_DATA);
	assert_true(p->ops[0].flags & PLAN_OP_FIRMWARE);
	expect_op(&p->ops[1], 0x800000, 0x9000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	expect_op(&p->ops[2], 0x80a000, 0x3000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	expect_op(&p->ops[3], 0x80d000, 0x1000, SNP_PAGE_SECRETS, PLAN_SRC_SECRETS);
	expect_op(&p->ops[4], 0x80e000, 0x1000, SNP_PAGE_CPUID, PLAN_SRC_CPUID);
	expect_op(&p->ops[5], 0x80f000, 0x1000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	expect_op(&p->ops[6], 0x810000, 0x1000, SNP_PAGE_NORMAL, PLAN_SRC_DATA);
	expect_op(&p->ops[7], 0x811000, 0xf000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	assert_true(p->have_hashes);
	assert_int_equal(p->hashes_gpa, 0x810c00);
	want = tdata_read("measure/sev-snp-measure/derived/"
			  "sev_hashes_table_devnull_devnull_console.bin", &wl);
	assert_memory_equal(p->ops[6].data + 0xc00, want, 176);
	free(want);

	assert_int_equal(p->nr_vcpus, 2);
	assert_int_equal(p->vcpus[0].eip, 0xfffffff0);
	assert_int_equal(p->vcpus[1].eip, 0x80b004);
	assert_int_equal(plan_vcpu_vmsa(p, 0, page), 0);
	want = tdata_read("measure/sev-snp-measure/derived/vmsa_snp_qemu_epycv4_feat0x21_bsp.bin", &wl);
	assert_memory_equal(page, want, 4096);
	free(want);
	assert_int_equal(plan_vcpu_vmsa(p, 1, page), 0);
	want = tdata_read("measure/sev-snp-measure/derived/vmsa_snp_qemu_epycv4_feat0x21_ap.bin", &wl);
	assert_memory_equal(page, want, 4096);
	free(want);
	assert_int_equal(plan_vcpu_vmsa(p, 2, page), -EINVAL);
	plan_free(p);

	/* without a kernel the hashes page is a ZERO page */
	s.pp.kernel = NULL;
	p = build_ok(&s);
	expect_op(&p->ops[6], 0x810000, 0x1000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	plan_free(p);

	/* EC2 moves the CPUID page last; GCE does not measure SEC_MEM */
	s.pp.vmm = PLAN_VMM_EC2;
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 8);
	expect_op(&p->ops[4], 0x80f000, 0x1000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	expect_op(&p->ops[7], 0x80e000, 0x1000, SNP_PAGE_CPUID, PLAN_SRC_CPUID);
	assert_int_equal(p->vcpus[0].vmsa.seg[VMSA_CS].attrib, 0x9a);
	assert_int_equal(p->vcpus[1].vmsa.seg[VMSA_CS].attrib, 0x9b);
	plan_free(p);
	s.pp.vmm = PLAN_VMM_GCE;
	p = build_ok(&s);
	assert_int_equal(p->ops[1].snp_type, SNP_PAGE_UNMEASURED);
	assert_int_equal(p->vcpus[0].vmsa.g_pat, 0x00070106);
	plan_free(p);
	free(fw);
}

static void test_amdsev_seves_plan(void **state)
{
	uint8_t page[4096], *want, *fw;
	struct launch_plan *p;
	struct setup s;
	size_t len, wl;

	fw = tdata_read("measure/sev-snp-measure/ovmf_AmdSev_suffix.bin", &len);
	setup_init(&s, COCO_SEV_ES, fw, len);
	s.pp.kernel = (const uint8_t *)"";
	s.pp.nr_vcpus = 4;
	s.pp.guest_features = 0x21;	/* ignored: SEV-ES VMSAs carry none */
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 2);
	assert_int_equal(p->ops[1].gpa, 0x810c00);
	assert_int_equal(p->ops[1].len, 176);
	assert_true(p->ops[1].flags & PLAN_OP_KERNEL_HASHES);
	assert_int_equal(plan_vcpu_vmsa(p, 3, page), 0);
	want = tdata_read("measure/sev-snp-measure/derived/vmsa_seves_qemu_epycv4_ap.bin", &wl);
	assert_memory_equal(page, want, 4096);
	free(want);
	plan_free(p);

	/* plain SEV has no VMSA */
	setup_init(&s, COCO_SEV, fw, len);
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 1);
	assert_int_equal(plan_vcpu_vmsa(p, 0, page), -EINVAL);
	plan_free(p);
	free(fw);
}

/* Independent SNP digest of a stage0-shaped image, straight from measure/. */
static void test_stage0_snp(void **state)
{
	struct sev_hashes_input hin = { .kernel = (const uint8_t *)"kernel", .kernel_len = 6,
					.cmdline = "console=ttyS0" };
	uint8_t table[176], hpage[4096], vmsa[4096];
	struct plan_digest d;
	struct launch_plan *p;
	struct snp_gctx g;
	struct fwgen fg;
	struct setup s;
	uint8_t *fw;

	fwgen_stage0_sev(&fg);
	fw = fwgen_build(&fg);
	setup_init(&s, COCO_SNP, fw, fg.size);
	s.pp.kernel = hin.kernel;
	s.pp.kernel_len = hin.kernel_len;
	s.pp.cmdline = hin.cmdline;
	s.pp.nr_vcpus = 2;
	p = build_ok(&s);
	assert_int_equal(p->fw_gpa, 0xfff80000);
	assert_int_equal(p->nr_ops, 5);
	expect_op(&p->ops[1], 0x60000, 0x20000, SNP_PAGE_ZERO, PLAN_SRC_ZERO);
	expect_op(&p->ops[4], 0x10000, 0x1000, SNP_PAGE_NORMAL, PLAN_SRC_DATA);
	assert_int_equal(p->vcpus[1].eip, 0xfff81000);
	assert_int_equal(p->vcpus[1].vmsa.seg[VMSA_CS].base, 0xfff80000);
	assert_int_equal(p->vcpus[1].vmsa.rip, 0x1000);
	assert_int_equal(plan_measure(p, NULL, &d), 0);

	sev_hashes_table(&hin, table);
	sev_hashes_page(table, 0xc00, hpage);
	snp_gctx_init(&g, NULL);
	snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0xfff80000, fw, fg.size);
	snp_gctx_update_pages(&g, SNP_PAGE_ZERO, 0x60000, NULL, 0x20000);
	snp_gctx_update(&g, SNP_PAGE_SECRETS, 0x1000, NULL);
	snp_gctx_update(&g, SNP_PAGE_CPUID, 0x2000, NULL);
	snp_gctx_update_pages(&g, SNP_PAGE_NORMAL, 0x10000, hpage, 4096);
	plan_vcpu_vmsa(p, 0, vmsa);
	snp_gctx_update_vmsa(&g, vmsa);
	plan_vcpu_vmsa(p, 1, vmsa);
	snp_gctx_update_vmsa(&g, vmsa);
	assert_int_equal(d.len, 48);
	assert_memory_equal(d.d, g.ld, 48);
	snp_gctx_free(&g);

	/* measuring twice gives the same value: the plan is not consumed */
	{
		struct plan_digest d2;

		assert_int_equal(plan_measure(p, NULL, &d2), 0);
		assert_memory_equal(d.d, d2.d, 48);
	}
	plan_free(p);

	/* the same image as SEV and SEV-ES: SHA-256 of ROM | table (| VMSAs) */
	{
		uint8_t want[32], v0[4096], v1[4096];
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		s.cc.type = COCO_SEV_ES;
		p = build_ok(&s);
		assert_int_equal(plan_measure(p, NULL, &d), 0);
		plan_vcpu_vmsa(p, 0, v0);
		plan_vcpu_vmsa(p, 1, v1);
		assert_int_equal(p->vcpus[1].vmsa.sev_features, 0);
		EVP_DigestInit_ex(c, EVP_sha256(), NULL);
		EVP_DigestUpdate(c, fw, fg.size);
		EVP_DigestUpdate(c, table, 176);
		EVP_DigestUpdate(c, v0, 4096);
		EVP_DigestUpdate(c, v1, 4096);
		EVP_DigestFinal_ex(c, want, NULL);
		EVP_MD_CTX_free(c);
		assert_int_equal(d.len, 32);
		assert_memory_equal(d.d, want, 32);
		plan_free(p);
	}
	free(fw);
}

/* Reference MRTD over TDVF sections, OpenSSL only. */
static void ref_rec(EVP_MD_CTX *c, const char *tag, uint64_t gpa)
{
	uint8_t b[128] = { 0 };

	memcpy(b, tag, strlen(tag));
	memcpy(b + 16, &gpa, 8);
	EVP_DigestUpdate(c, b, 128);
}

static void ref_mrtd(const struct fwgen *g, const uint8_t *fw, int two_pass, uint8_t out[48])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	static const uint8_t zero[4096];
	unsigned int i;
	uint64_t pg, k;

	EVP_DigestInit_ex(c, EVP_sha384(), NULL);
	for (i = 0; i < g->nr_tdvf; i++) {
		const struct fwgen_tdvf *s = &g->tdvf[i];
		int measure = s->attr & TDVF_ATTR_MR_EXTEND;

		for (pg = 0; pg < s->size; pg += 4096) {
			ref_rec(c, "MEM.PAGE.ADD", s->addr + pg);
			if (!measure || two_pass)
				continue;
			for (k = 0; k < 4096; k += 256) {
				ref_rec(c, "MR.EXTEND", s->addr + pg + k);
				EVP_DigestUpdate(c, s->raw_size ? fw + s->data_offset + pg + k :
						 zero, 256);
			}
		}
		for (pg = 0; measure && two_pass && pg < s->size; pg += 4096) {
			for (k = 0; k < 4096; k += 256) {
				ref_rec(c, "MR.EXTEND", s->addr + pg + k);
				EVP_DigestUpdate(c, fw + s->data_offset + pg + k, 256);
			}
		}
	}
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

static void check_tdx_image(const struct fwgen *g, unsigned int hob_idx)
{
	struct plan_measure_opts mo = { 0 };
	struct plan_digest d;
	struct launch_plan *p;
	struct setup s;
	uint8_t want[48], *fw = fwgen_build(g);
	unsigned int i;

	setup_init(&s, COCO_TDX, fw, g->size);
	s.pp.nr_vcpus = 2;
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, g->nr_tdvf);
	for (i = 0; i < g->nr_tdvf; i++) {
		assert_int_equal(p->ops[i].gpa, g->tdvf[i].addr);
		assert_int_equal(p->ops[i].tdx_measure,
				 !!(g->tdvf[i].attr & TDVF_ATTR_MR_EXTEND));
	}
	assert_int_equal(p->tdx_hob_gpa, g->tdvf[hob_idx].addr);
	assert_int_equal(p->ops[hob_idx].src, PLAN_SRC_DATA);
	assert_int_equal(p->ops[hob_idx].data[0], 1);	/* PHIT */
	assert_int_equal(p->tdx_attr, 0x10000000);
	assert_int_equal(p->nr_vcpus, 2);

	mo.tdx_order = TDX_ORDER_PER_PAGE;
	assert_int_equal(plan_measure(p, &mo, &d), 0);
	ref_mrtd(g, fw, 0, want);
	assert_memory_equal(d.d, want, 48);
	mo.tdx_order = TDX_ORDER_TWO_PASS;
	assert_int_equal(plan_measure(p, &mo, &d), 0);
	ref_mrtd(g, fw, 1, want);
	assert_memory_equal(d.d, want, 48);
	plan_free(p);
	free(fw);
}

static void test_stage0_tdx(void **state)
{
	struct fwgen g;

	fwgen_stage0_tdx(&g);
	check_tdx_image(&g, 0);
	/* a TD HOB at GPA 0 is a TD HOB (it was taken for "none") */
	g.tdvf[0].addr = 0;
	g.tdvf[3].addr = 0x2000;
	g.tdvf[3].size = 0x9e000;
	check_tdx_image(&g, 0);
}

static void test_ovmf_shaped(void **state)
{
	struct plan_digest d;
	struct launch_plan *p;
	struct setup s;
	struct fwgen g;
	uint8_t *fw;

	fwgen_ovmf(&g);
	check_tdx_image(&g, 4);

	/* the same image launches as SNP through its SEV metadata */
	fw = fwgen_build(&g);
	setup_init(&s, COCO_SNP, fw, g.size);
	s.pp.kernel = (const uint8_t *)"";
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 8);
	assert_int_equal(plan_measure(p, NULL, &d), 0);
	plan_free(p);
	free(fw);
}

static void test_debian_ovmf(void **state)
{
	struct plan_measure_opts mo = { .tdx_order = TDX_ORDER_PER_PAGE };
	struct plan_digest d, d2;
	struct launch_plan *p;
	struct setup s;
	uint8_t *fw;
	size_t len;
	unsigned int i;

	if (access(DEBIAN_OVMF, R_OK)) {
		fprintf(stderr, "skipping: %s is not installed\n", DEBIAN_OVMF);
		skip();
	}
	assert_int_equal(file_read(DEBIAN_OVMF, 64 << 20, &fw, &len), 0);

	setup_init(&s, COCO_SNP, fw, len);
	s.pp.nr_vcpus = 4;
	p = build_ok(&s);
	assert_int_equal(p->ops[0].len, len);
	for (i = 1; i < p->nr_ops; i++)
		assert_true(p->ops[i].gpa < 0x1000000);
	assert_int_equal(plan_measure(p, NULL, &d), 0);
	/* --ovmf-hash: seeding with the firmware-only digest gives the same value */
	mo.firmware_only = true;
	assert_int_equal(plan_measure(p, &mo, &d2), 0);
	mo.firmware_only = false;
	{
		uint8_t seed[48];

		memcpy(seed, d2.d, 48);
		mo.snp_seed = seed;
		assert_int_equal(plan_measure(p, &mo, &d2), 0);
	}
	assert_memory_equal(d.d, d2.d, 48);
	plan_free(p);

	/* Debian's OVMF has no SNP_KERNEL_HASHES section nor hash table */
	s.pp.kernel = (const uint8_t *)"";
	build_fails(&s, "SNP_KERNEL_HASHES");
	s.cc.type = COCO_SEV;
	build_fails(&s, "kernel/initrd/cmdline measurement");
	s.pp.kernel = NULL;
	p = build_ok(&s);
	plan_free(p);
	s.cc.type = COCO_SEV_ES;
	p = build_ok(&s);
	assert_int_equal(p->vcpus[3].eip, p->ap_eip);
	plan_free(p);

	s.cc.type = COCO_TDX;
	p = build_ok(&s);
	assert_int_equal(p->nr_ops, 6);
	assert_true(p->ops[0].tdx_measure);
	assert_false(p->ops[1].tdx_measure);
	assert_int_equal(p->tdx_hob_gpa, 0x809000);
	assert_int_equal(plan_measure(p, NULL, &d), 0);
	assert_int_equal(d.len, 48);
	plan_free(p);
	free(fw);
}

static void test_plan_errors(void **state)
{
	struct fwgen g;
	struct setup s;
	uint8_t *fw;

	fwgen_stage0_sev(&g);
	fw = fwgen_build(&g);
	setup_init(&s, COCO_NONE, fw, g.size);
	build_fails(&s, "no confidential platform");
	s.cc.type = COCO_SNP;
	s.pp.fw_len = g.size - 1;
	build_fails(&s, "multiple of 4 KiB");
	s.pp.fw_len = g.size;
	s.pp.nr_vcpus = 0;
	build_fails(&s, "vCPUs");
	s.pp.nr_vcpus = 1;
	s.pp.guest_features = 0x20;
	build_fails(&s, "SNPActive");
	s.pp.guest_features = 1;
	s.pp.mem_size = 0x40000;	/* SEC_MEM at 0x60000 is outside RAM */
	build_fails(&s, "outside guest RAM");
	s.pp.mem_size = 512 << 20;
	s.cc.type = COCO_TDX;
	build_fails(&s, "no TDVF metadata");
	s.cc.type = COCO_SNP;
	s.pp.svsm = fw;
	s.pp.svsm_len = 100;
	build_fails(&s, "SVSM image");
	s.pp.svsm = NULL;
	free(fw);

	/* a metadata section overlapping another */
	g.sev[1].gpa = 0x60000;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	build_fails(&s, "overlaps");
	free(fw);
	/* an unknown section type */
	fwgen_stage0_sev(&g);
	g.sev[0].type = 7;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	build_fails(&s, "unknown type");
	free(fw);
	/* a two-page secrets section */
	fwgen_stage0_sev(&g);
	g.sev[1].size = 0x2000;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	build_fails(&s, "not one page");
	free(fw);
	/*
	 * sections are checked in table order for every VMM, although EC2
	 * launches the CPUID page last: the CPUID error wins over the later
	 * section's, as for QEMU
	 */
	fwgen_stage0_sev(&g);
	g.sev[2].size = 0x2000;
	g.sev[3].type = 7;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	build_fails(&s, "section 2 (CPUID) is 0x2000 bytes, not one page");
	s.pp.vmm = PLAN_VMM_EC2;
	build_fails(&s, "section 2 (CPUID) is 0x2000 bytes, not one page");
	s.pp.vmm = PLAN_VMM_CVMM;
	free(fw);
	/* a kernel with a stage0 that lacks the hash-table entry */
	fwgen_stage0_sev(&g);
	g.have_hashes = false;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	s.pp.kernel = (const uint8_t *)"";
	build_fails(&s, "hash table");
	s.cc.type = COCO_SEV;
	build_fails(&s, "kernel/initrd/cmdline");
	s.pp.kernel = NULL;
	free(fw);
	/* no reset block: not an SEV-ES firmware, whatever the vCPU count (issue 11) */
	fwgen_stage0_sev(&g);
	g.have_reset = false;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	s.cc.type = COCO_SEV_ES;
	s.pp.nr_vcpus = 2;
	build_fails(&s, "reset block");
	s.pp.nr_vcpus = 1;
	build_fails(&s, "reset block");
	s.cc.type = COCO_SNP;
	build_fails(&s, "reset block");
	s.cc.type = COCO_SEV;		/* plain SEV starts its APs with SIPIs */
	plan_free(build_ok(&s));
	free(fw);
	/* SNP needs SEV metadata, whatever the vCPU count */
	fwgen_stage0_sev(&g);
	g.nr_sev = 0;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	s.cc.type = COCO_SNP;
	build_fails(&s, "no SEV metadata");
	s.pp.nr_vcpus = 4;
	build_fails(&s, "no SEV metadata");
	s.pp.nr_vcpus = 1;
	s.cc.type = COCO_SEV_ES;
	plan_free(build_ok(&s));
	free(fw);
	/* a hashes table that crosses its page */
	fwgen_stage0_sev(&g);
	g.hashes_gpa = 0x10fa0;
	fw = fwgen_build(&g);
	s.pp.fw = fw;
	s.cc.type = COCO_SNP;
	s.pp.kernel = (const uint8_t *)"";
	build_fails(&s, "crosses a page");
	s.pp.kernel = NULL;
	free(fw);
	/* TDX needs RAM for its HOB */
	fwgen_stage0_tdx(&g);
	fw = fwgen_build(&g);
	setup_init(&s, COCO_TDX, fw, g.size);
	s.pp.mem_size = 0;
	build_fails(&s, "RAM size");
	s.pp.mem_size = 0x80000;	/* TD_HOB at 1 MiB is not in RAM */
	build_fails(&s, "not inside guest RAM");
	free(fw);
}

/* give_fw: the plan adopts the caller's buffer (freed by plan_free or on failure) */
static void test_give_fw(void **state)
{
	struct plan_digest a, b;
	struct launch_plan *p;
	struct setup s;
	struct fwgen g;
	uint8_t *fw, *copy;

	fwgen_stage0_sev(&g);
	fw = fwgen_build(&g);
	setup_init(&s, COCO_SNP, fw, g.size);
	p = build_ok(&s);
	assert_int_equal(plan_measure(p, NULL, &a), 0);
	plan_free(p);

	copy = malloc(g.size);
	memcpy(copy, fw, g.size);
	s.pp.fw = copy;
	s.pp.give_fw = true;
	p = build_ok(&s);
	assert_ptr_equal(p->fw, copy);
	assert_int_equal(plan_measure(p, NULL, &b), 0);
	assert_memory_equal(a.d, b.d, 48);
	plan_free(p);

	copy = malloc(g.size);
	memcpy(copy, fw, g.size);
	s.pp.fw = copy;
	s.pp.guest_features = 0;	/* fails: the buffer is freed (ASan checks) */
	build_fails(&s, "SNPActive");
	free(fw);
}

static void test_snp_finish_and_print(void **state)
{
	uint8_t idb[96], ida[4096];
	struct launch_plan *p;
	struct setup s;
	struct fwgen g;
	uint8_t *fw;
	char *buf = NULL;
	size_t blen = 0;
	FILE *f;

	memset(idb, 0x11, sizeof(idb));
	memset(ida, 0x22, sizeof(ida));
	fwgen_stage0_sev(&g);
	fw = fwgen_build(&g);
	setup_init(&s, COCO_SNP, fw, g.size);
	s.cc.have_host_data = true;
	memset(s.cc.host_data, 0x33, 32);
	s.pp.id_block = idb;
	build_fails(&s, "ID auth");
	s.pp.id_auth = ida;
	s.pp.auth_key_en = true;
	p = build_ok(&s);
	assert_true(p->snp_finish.id_block_en);
	assert_true(p->snp_finish.auth_key_en);
	assert_memory_equal(p->snp_finish.id_block, idb, 96);
	assert_memory_equal(p->snp_finish.id_auth, ida, 4096);
	assert_int_equal(p->snp_finish.host_data[31], 0x33);
	assert_int_equal(p->policy, 0x30000);

	f = open_memstream(&buf, &blen);
	plan_print(p, f);
	fclose(f);
	assert_non_null(strstr(buf, "plan: snp"));
	assert_non_null(strstr(buf, "SECRETS"));
	assert_non_null(strstr(buf, "vcpu 0: eip 0xfffffff0"));
	free(buf);
	plan_free(p);
	free(fw);
}

static void test_vmm_names(void **state)
{
	enum plan_vmm v;

	assert_int_equal(plan_vmm_parse("QEMU", &v), 0);
	assert_int_equal(v, PLAN_VMM_QEMU);
	assert_int_equal(plan_vmm_parse("gce", &v), 0);
	assert_int_equal(v, PLAN_VMM_GCE);
	assert_int_equal(plan_vmm_parse("xen", &v), -EINVAL);
	assert_string_equal(plan_vmm_name(PLAN_VMM_CVMM), "cvmm");
}

static void test_snp_cpuid_page(void **state)
{
	struct snp_cpuid_in e[3] = {
		{ 0x1, 0, false, 0xa00f11, 0x800, 0x1, 0x2 },
		{ 0xd, 1, true, 0xf, 0x3c0, 0, 0 },
		{ 0x7, 0, true, 0, 0x1, 0, 0 },
	};
	struct snp_cpuid_in *many;
	uint8_t page[4096];

	assert_int_equal(snp_cpuid_page_build(e, 3, page, NULL), 0);
	assert_int_equal(page[0], 3);
	assert_int_equal(page[16], 1);				/* eax_in */
	assert_int_equal(page[16 + 24], 0x11);			/* eax */
	assert_int_equal(page[16 + 48 + 4], 1);			/* ecx_in: significant */
	assert_int_equal(page[16 + 48 + 8], 1);			/* xcr0_in */
	assert_int_equal(page[16 + 48 + 28], 0x40);		/* ebx = 0x240 */
	assert_int_equal(page[16 + 48 + 29], 0x02);
	many = calloc(65, sizeof(*many));
	assert_int_equal(snp_cpuid_page_build(many, 65, page, NULL), -E2BIG);
	free(many);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amdsev_snp_plan),
		cmocka_unit_test(test_amdsev_seves_plan),
		cmocka_unit_test(test_stage0_snp),
		cmocka_unit_test(test_stage0_tdx),
		cmocka_unit_test(test_ovmf_shaped),
		cmocka_unit_test(test_debian_ovmf),
		cmocka_unit_test(test_plan_errors),
		cmocka_unit_test(test_give_fw),
		cmocka_unit_test(test_snp_finish_and_print),
		cmocka_unit_test(test_vmm_names),
		cmocka_unit_test(test_snp_cpuid_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
