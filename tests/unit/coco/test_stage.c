// SPDX-License-Identifier: GPL-2.0-only
/*
 * The build order of a confidential VM (coco/stage.h) and coco/kvm
 * holding to it: every step out of order is refused with -EPROTO and one
 * clause, before anything reaches KVM.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "coco/kvm/kvm_coco.h"
#include "coco/stage.h"

static void test_stage_table(void **state)
{
	enum coco_stage s = COCO_STAGE_NONE;

	/* nothing but the plan first */
	assert_false(coco_stage_step(&s, COCO_STEP_VM));
	assert_false(coco_stage_step(&s, COCO_STEP_RUN));
	assert_int_equal(s, COCO_STAGE_NONE);
	assert_true(coco_stage_step(&s, COCO_STEP_PLAN));
	assert_false(coco_stage_step(&s, COCO_STEP_PLAN));
	assert_true(coco_stage_step(&s, COCO_STEP_VM));
	/* memory and vCPUs wait for the irqchip */
	assert_false(coco_stage_step(&s, COCO_STEP_MEMORY));
	assert_false(coco_stage_step(&s, COCO_STEP_VCPU));
	assert_true(coco_stage_step(&s, COCO_STEP_IRQCHIP));
	assert_false(coco_stage_step(&s, COCO_STEP_IRQCHIP));
	assert_false(coco_stage_step(&s, COCO_STEP_VCPU));
	assert_true(coco_stage_step(&s, COCO_STEP_MEMORY));
	assert_true(coco_stage_step(&s, COCO_STEP_MEMORY));
	assert_false(coco_stage_step(&s, COCO_STEP_LAUNCH));
	assert_true(coco_stage_step(&s, COCO_STEP_VCPU));
	/* the firmware's memslot after the vCPUs keeps the stage */
	assert_true(coco_stage_step(&s, COCO_STEP_MEMORY));
	assert_int_equal(s, COCO_STAGE_VCPUS);
	assert_false(coco_stage_step(&s, COCO_STEP_RUN));
	assert_true(coco_stage_step(&s, COCO_STEP_LAUNCH));
	assert_false(coco_stage_step(&s, COCO_STEP_VCPU));
	assert_false(coco_stage_step(&s, COCO_STEP_MEMORY));
	assert_true(coco_stage_step(&s, COCO_STEP_RUN));
	assert_int_equal(s, COCO_STAGE_LAUNCHED);
	assert_string_equal(coco_stage_name(s), "launched");
}

static void test_coco_kvm_refuses_out_of_order(void **state)
{
	struct launch_plan plan = { .type = COCO_SNP };
	struct err_msg err = { "" };
	struct coco_kvm c = { .plan = &plan, .sev_fd = -1, .gmem_fd = -1, .err = &err };

	/* no VM calls happen before the order check: c.vm stays NULL */
	assert_int_equal(coco_kvm_vm_init(&c, 1ULL << 30), -EPROTO);
	assert_string_equal(err.msg, "internal error: the VM's creation out of order (the VM "
			    "is at \"nothing built\")");
	assert_int_equal(coco_kvm_prepare(&c, 1ULL << KVM_X86_SNP_VM), 0);
	assert_ptr_equal(c.ops, &coco_snp_ops);
	assert_int_equal(c.vm_type, KVM_X86_SNP_VM);
	assert_int_equal(coco_kvm_prepare(&c, 1ULL << KVM_X86_SNP_VM), -EPROTO);
	assert_int_equal(coco_kvm_vm_ready(&c), -EPROTO);
	assert_int_equal(coco_kvm_memory_added(&c, 0, 4096, NULL), -EPROTO);
	assert_int_equal(coco_kvm_convert(&c, 0, 4096, true, false), -EPROTO);
	assert_string_equal(err.msg, "internal error: a conversion before the launch");
	assert_int_equal(c.stage, COCO_STAGE_PLANNED);
}

static void test_platform_table(void **state)
{
	struct launch_plan plan = { .type = COCO_TDX };
	struct err_msg err = { "" };
	struct coco_kvm c = { .plan = &plan, .err = &err };

	assert_null(coco_platform(COCO_NONE));
	assert_ptr_equal(coco_platform(COCO_SEV), &coco_sev_ops);
	assert_ptr_equal(coco_platform(COCO_SEV_ES), &coco_sev_es_ops);
	assert_ptr_equal(coco_platform(COCO_SNP), &coco_snp_ops);
	assert_ptr_equal(coco_platform(COCO_TDX), &coco_tdx_ops);
	assert_null(coco_platform((enum coco_type)99));
	/* SNP and TDX need their VM type; SEV falls back to the legacy INIT */
	assert_int_equal(coco_kvm_prepare(&c, 1ULL << KVM_X86_SNP_VM), -ENODEV);
	assert_string_equal(err.msg, "KVM does not offer the TDX VM type (KVM_CAP_VM_TYPES "
			    "0x10): this host has no TDX");
	plan.type = COCO_SEV_ES;
	c.stage = COCO_STAGE_NONE;
	assert_int_equal(coco_kvm_prepare(&c, 0), 0);
	assert_int_equal(c.vm_type, KVM_X86_DEFAULT_VM);
	assert_true(c.legacy_sev);
	assert_true(c.ops->sets_regs);
	assert_false(coco_sev_ops.sets_regs);
	assert_true(coco_tdx_ops.split_irqchip && coco_tdx_ops.vcpu_state_protected);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_table),
		cmocka_unit_test(test_coco_kvm_refuses_out_of_order),
		cmocka_unit_test(test_platform_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
