/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_COCO_POLICY_H
#define CVMM_COCO_COCO_POLICY_H

#include "coco/coco_config.h"

/*
 * What a --coco spec asks for that no host can launch, refused before
 * anything is read or built, the same for `cvmm boot` and `cvmm measure`
 * (both call this after coco_config_parse()): an SEV policy wider than 32
 * bits or with reserved bits; an SNP policy without bit 17 (must be one)
 * or with reserved bits (26-63); SNP SEV features without SNPActive (bit
 * 0); TD attributes with reserved bits.  One line "--coco: <why>" and
 * -EINVAL.  What a particular host takes (the SNP policy bits of its
 * firmware, its VMSA features, its TDX module's attributes) is checked at
 * launch, against KVM.
 */
int coco_config_validate(const struct coco_config *cfg);

/* The names of the set SNP policy / SEV feature / TD attribute bits, "SMT|DEBUG". */
void coco_snp_policy_names(uint64_t policy, char *buf, size_t len);
void coco_sev_feature_names(uint64_t features, char *buf, size_t len);
void coco_tdx_attr_names(uint64_t attr, char *buf, size_t len);

#endif
