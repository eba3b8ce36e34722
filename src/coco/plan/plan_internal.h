/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_PLAN_PLAN_INTERNAL_H
#define CVMM_COCO_PLAN_PLAN_INTERNAL_H

#include "coco/plan/plan.h"

void plan_vcpu_reset_state(enum plan_vmm vmm, uint32_t eip, bool bsp,
			   uint32_t sig, uint64_t features, struct vmsa_state *v);
void plan_vcpu_svsm_state(uint32_t eip, uint32_t sig, struct vmsa_state *v);

#endif
