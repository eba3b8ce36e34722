/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMSA segments as KVM's segment registers.
 *
 * kvm_seg_from_vmsa() is the inverse of KVM's svm_set_segment(): the
 * kvm_segment that KVM turns into the VMCB segment @s (selector, base,
 * limit, the attribute bits; unusable when not present). Used for an SEV-ES
 * or SNP launch's vCPU state and for an IGVM file's native VP context.
 */
#ifndef CVMM_COCO_KVM_VMSA_H
#define CVMM_COCO_KVM_VMSA_H

#include "kvm/kvm.h"

#include "measure/vmsa.h"

void kvm_seg_from_vmsa(const struct vmsa_seg *s, struct kvm_segment *k);

#endif
