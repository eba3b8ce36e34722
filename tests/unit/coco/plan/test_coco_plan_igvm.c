// SPDX-License-Identifier: GPL-2.0-only
/*
 * coco/plan/plan_igvm.c: the launch plan of an IGVM file's SNP load --
 * every operation kind mapped onto its plan source and SNP page type, the
 * vCPUs from the file's VMSAs, policy, SEV features and ID block, its
 * digest equal to the load's, and each refusal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../igvm/itest.h"
#include "coco/plan/plan_igvm.h"
#include "measure/snp.h"

#define NATIVE	1u
#define SNP	2u

static uint8_t pg[4096], vmsa[2][4096];

/* ROM pages, a zero page, an unmeasured page, SECRETS, CPUID, a parameter area, VMSAs. */
static void sample(unsigned int nr_vmsas, uint64_t features)
{
	unsigned int i;

	memset(pg, 'x', sizeof(pg));
	ib_init(&B);
	ib_platform(&B, NATIVE, IGVM_PLAT_NATIVE);
	ib_platform(&B, SNP, IGVM_PLAT_SNP);
	ib_policy(&B, SNP, 0x30000);
	ib_page(&B, 3, 0xfffff000, pg, 0, 0);
	ib_page(&B, 3, 0x20000, NULL, 0, 0);
	ib_page(&B, 3, 0x30000, pg, IGVM_PAGE_UNMEASURED, 0);
	ib_page(&B, SNP, 0x1000, NULL, 0, IGVM_PAGE_SECRETS);
	ib_page(&B, SNP, 0x2000, pg, 0, IGVM_PAGE_CPUID);
	ib_area(&B, 0, 0x1000, NULL);
	ib_param(&B, IGVM_VHT_VP_COUNT, 0, 0);
	ib_insert(&B, 3, 0x5000, 0);
	for (i = 0; i < nr_vmsas; i++) {
		ib_vmsa(vmsa[i], i ? 0xfffff030 : 0xfffffff0, features);
		ib_vp(&B, SNP, IGVM_SNP_VMSA_GPA, (uint16_t)i, vmsa[i]);
	}
}

struct fixture {
	struct igvm_file *f;
	struct igvm_load *l;
	struct launch_plan *plan;
	struct err_msg err;
};

static int build(struct fixture *x, enum igvm_zero_pages zero, const struct coco_config *c,
		 unsigned int nr_vcpus, uint64_t mem)
{
	struct err_msg e;
	struct plan_igvm_params pp = { .coco = c, .nr_vcpus = nr_vcpus, .mem_size = mem };

	memset(x, 0, sizeof(*x));
	assert_int_equal(ib_parse(&x->f, &e), 0);
	assert_int_equal(igvm_load_build(x->f, igvm_platform_find(x->f, IGVM_PLAT_SNP), NULL,
					 zero, false, &x->l, &e), 0);
	pp.load = x->l;
	return plan_from_igvm(&pp, &x->plan, &x->err);
}

static void done(struct fixture *x)
{
	plan_free(x->plan);
	igvm_load_free(x->l);
	igvm_free(x->f);
}

static const struct coco_config snp = { .type = COCO_SNP, .policy = 0x10000 };

static const struct plan_op *op_at(const struct launch_plan *p, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < p->nr_ops; i++)
		if (p->ops[i].gpa == gpa)
			return &p->ops[i];
	fail_msg("no op at 0x%llx", (unsigned long long)gpa);
	return NULL;
}

static void test_ops(void **state)
{
	struct fixture x;
	const struct plan_op *o;

	(void)state;
	sample(1, 1);
	assert_int_equal(build(&x, IGVM_ZERO_AS_NORMAL, &snp, 1, 512 << 20), 0);
	assert_int_equal(x.plan->type, COCO_SNP);
	o = op_at(x.plan, 0xfffff000);
	assert_int_equal(o->src, PLAN_SRC_DATA);
	assert_int_equal(o->snp_type, SNP_PAGE_NORMAL);
	assert_memory_equal(o->data, pg, 4096);
	assert_ptr_not_equal(o->data, x.l->ops[0].data);	/* the plan's own copy */
	o = op_at(x.plan, 0x20000);
	assert_int_equal(o->src, PLAN_SRC_ZERO);
	assert_int_equal(o->snp_type, SNP_PAGE_NORMAL);
	o = op_at(x.plan, 0x30000);
	assert_int_equal(o->src, PLAN_SRC_DATA);
	assert_int_equal(o->snp_type, SNP_PAGE_UNMEASURED);
	assert_int_equal(op_at(x.plan, 0x1000)->src, PLAN_SRC_SECRETS);
	assert_int_equal(op_at(x.plan, 0x1000)->snp_type, SNP_PAGE_SECRETS);
	assert_int_equal(op_at(x.plan, 0x2000)->src, PLAN_SRC_CPUID);
	assert_int_equal(op_at(x.plan, 0x2000)->snp_type, SNP_PAGE_CPUID);
	o = op_at(x.plan, 0x5000);
	assert_int_equal(o->src, PLAN_SRC_DATA);
	assert_int_equal(o->snp_type, SNP_PAGE_UNMEASURED);
	done(&x);

	sample(1, 1);
	assert_int_equal(build(&x, IGVM_ZERO_AS_ZERO, &snp, 1, 512 << 20), 0);
	assert_int_equal(op_at(x.plan, 0x20000)->snp_type, SNP_PAGE_ZERO);
	done(&x);
}

/* The plan's digest is the load's, both rules; the VMSAs come back byte for byte. */
static void test_digest_and_vcpus(void **state)
{
	enum igvm_zero_pages z;
	struct plan_digest dg;
	struct fixture x;
	uint8_t d[48], page[4096];

	(void)state;
	for (z = IGVM_ZERO_AS_NORMAL; z <= IGVM_ZERO_AS_ZERO; z++) {
		sample(2, 0x21);
		assert_int_equal(build(&x, z, &snp, 2, 512 << 20), 0);
		assert_int_equal(plan_measure(x.plan, NULL, &dg), 0);
		assert_int_equal(igvm_load_snp_digest(x.l, NULL, NULL, d), 0);
		assert_int_equal(dg.len, 48);
		assert_memory_equal(dg.d, d, 48);
		assert_int_equal(x.plan->nr_vcpus, 2);
		assert_int_equal(plan_vcpu_vmsa(x.plan, 1, page), 0);
		assert_memory_equal(page, vmsa[1], 4096);
		assert_int_equal(x.plan->vcpus[0].eip, 0xfffffff0);
		assert_int_equal(x.plan->sev_features, 0x21);
		assert_int_equal(x.plan->policy, 0x30000);	/* the file's, not --coco's */
		done(&x);
	}
}

static void expect_err(struct fixture *x, int ret, const char *phrase)
{
	assert_int_equal(ret, -EINVAL);
	assert_null(x->plan);
	if (!strstr(x->err.msg, phrase))
		fail_msg("\"%s\" does not say \"%s\"", x->err.msg, phrase);
	done(x);
}

static void test_refusals(void **state)
{
	struct coco_config feat = { .type = COCO_SNP, .sev_features = 0x21,
				    .have_sev_features = true };
	struct fixture x;

	(void)state;
	sample(2, 1);
	expect_err(&x, build(&x, IGVM_ZERO_AS_NORMAL, &snp, 1, 512 << 20),
		   "VP contexts for 2 vCPUs; cvmm launches one vCPU per context");
	sample(1, 1);
	expect_err(&x, build(&x, IGVM_ZERO_AS_NORMAL, &snp, 2, 512 << 20),
		   "give --cpu count=1");
	sample(1, 1);
	expect_err(&x, build(&x, IGVM_ZERO_AS_NORMAL, &feat, 1, 512 << 20),
		   "sev-features=0x21 disagrees with the file's VMSAs (SEV_FEATURES 0x1)");
	sample(1, 1);	/* 0x30000 is just past 192 KiB of RAM */
	expect_err(&x, build(&x, IGVM_ZERO_AS_NORMAL, &snp, 1, 0x30000),
		   "at 0x30000 (0x1000 bytes) lie outside guest RAM");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_digest_and_vcpus),
		cmocka_unit_test(test_refusals),
	};
	int ret = cmocka_run_group_tests(tests, NULL, NULL);

	free(file_buf);
	return ret;
}
