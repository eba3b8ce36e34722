/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_COCO_KVM_SIM_RULES_H
#define CVMM_TESTS_COCO_KVM_SIM_RULES_H

/*
 * The simulated platform's rule tests (coco-kvm-sim-rules): every rule of
 * docs/coco.md's table, violated once, gives the -errno (and PSP status /
 * TDX error) the kernel gives; each case names its rule as [Kn] (KVM),
 * [Vn] (the SVM register model), [Sn] (SEV, SEV-ES), [Nn] (SNP) or [Tn]
 * (TDX), which tests/coco/rule_table_check.py holds against the table.
 *
 * test_sim_rules.c (KVM, registers, main), test_sim_rules_sev.c (SEV,
 * SEV-ES, SNP), test_sim_rules_tdx.c (TDX).  Include after <cmocka.h>.
 */
#include <string.h>

#include "coco/kvm/kvm_coco.h"
#include "../coco/kvm/harness.h"
#include "measure/snp.h"

#define SNP_POLICY	0x30000ULL
#define GPA		0x100000ULL

static inline struct sim_config sim_amd(unsigned int kernel)
{
	return (struct sim_config){ .platform = COCO_SNP, .kernel = kernel };
}

static inline struct sim_config sim_intel(unsigned int kernel)
{
	return (struct sim_config){ .platform = COCO_TDX, .kernel = kernel };
}

static inline void make_private(struct hs *h, uint64_t gpa, uint64_t len)
{
	assert_int_equal(kvm_vm_set_memory_attributes(&h->vm, gpa, len,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), 0);
}

/* An SEV (INIT2 types) or legacy (default type) guest after LAUNCH_START, on @cfg. */
static inline void sev_started_on(struct hs *h, const struct sim_config *cfg, unsigned long type,
				  uint32_t policy)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = policy };

	hs_open(h, cfg);
	assert_int_equal(hs_vm(h, type), 0);
	assert_int_equal(hs_ram(h, false), 0);
	if (type == KVM_X86_DEFAULT_VM)
		assert_int_equal(hs_sev(h, policy & 4 ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL, NULL), 0);
	else
		assert_int_equal(hs_sev(h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	assert_int_equal(hs_sev(h, KVM_SEV_LAUNCH_START, &st, NULL), 0);
	assert_int_not_equal(st.handle, 0);
}

static inline void sev_started(struct hs *h, unsigned long type, uint32_t policy)
{
	struct sim_config amd = sim_amd(0);

	sev_started_on(h, &amd, type, policy);
}

/* An SNP guest after SNP_LAUNCH_START, RAM in a guest_memfd memslot. */
static inline void snp_started(struct hs *h, const struct sim_config *cfg)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct cvmm_kvm_sev_snp_launch_start st = { .policy = SNP_POLICY };

	hs_open(h, cfg);
	assert_int_equal(hs_vm(h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_ram(h, true), 0);
	assert_int_equal(hs_sev(h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	assert_int_equal(hs_sev(h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), 0);
}

static inline int snp_update(struct hs *h, struct cvmm_kvm_sev_snp_launch_update *u,
			     uint64_t gpa, uint64_t len, uint8_t type, uint32_t *err)
{
	memset(u, 0, sizeof(*u));
	u->gfn_start = gpa >> 12;
	u->uaddr = (uint64_t)(uintptr_t)(h->ram + gpa);
	u->len = len;
	u->type = type;
	return hs_sev(h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, u, err);
}

/* test_sim_rules_sev.c */
void test_sev_init_rules(void **state);
void test_sev_launch_start_rules(void **state);
void test_sev_update_measure_finish(void **state);
void test_sev_es_vmsa_rules(void **state);
void test_snp_start_rules(void **state);
void test_snp_policy_bits(void **state);
void test_snp_update_rules(void **state);
void test_snp_update_profiles(void **state);
void test_snp_update_progress(void **state);
void test_snp_cpuid_page(void **state);
void test_snp_finish_rules(void **state);
void test_snp_req_certs(void **state);
void test_snp_req_certs_exit(void **state);
void test_snp_backend_cpuid_rejected(void **state);
void test_snp_backend_policy(void **state);
void test_snp_vmsa_features(void **state);

/* test_sim_rules_tdx.c */
void test_tdx_caps_rules(void **state);
void test_tdx_irqchip_order(void **state);
void test_tdx_init_vm_rules(void **state);
void test_tdx_gpaw(void **state);
void test_tdx_vcpu_limit(void **state);
void test_tdx_vcpu_rules(void **state);
void test_tdx_mem_region_rules(void **state);
void test_tdx_interrupted_region(void **state);

#endif
