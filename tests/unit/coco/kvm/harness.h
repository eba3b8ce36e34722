/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_COCO_KVM_HARNESS_H
#define CVMM_TESTS_COCO_KVM_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/sim.h"
#include "kvm/kvm.h"
#include "machine/config.h"
#include "machine/machine.h"
#include "machine/vm.h"

/*
 * Two ways to drive the simulated platform in tests:
 *  - struct hs: raw ioctls on a simulated /dev/kvm (rule tests);
 *  - struct hm: the real vm_create() of a machine whose KVM is the
 *    simulator (whole launches, exits, restarts).
 */

struct hs {
	struct sim *s;
	struct kvm_sys sys;
	struct kvm_vm vm;
	uint8_t *ram;			/* RAM_SIZE bytes, mapped at GPA 0 when asked */
	int gmem;
};

#define HS_RAM_SIZE	(8ULL << 20)

void hs_open(struct hs *h, const struct sim_config *cfg);
int hs_vm(struct hs *h, unsigned long type);
/* memslot 0 over [0, HS_RAM_SIZE): guest_memfd-backed when @gmem */
int hs_ram(struct hs *h, bool gmem);
void hs_close(struct hs *h);
int hs_sev(struct hs *h, uint32_t id, void *data, uint32_t *error);
int hs_tdx_vm(struct hs *h, uint32_t id, uint32_t flags, void *data, uint64_t *hw_error);
int hs_tdx_vcpu(struct hs *h, struct kvm_vcpu *v, uint32_t id, uint32_t flags, void *data);
/* A TDX VM up to INIT_VM with a CPUID table built by the backend's filter. */
int hs_tdx_init(struct hs *h);
/* Create a vCPU with the sim's CPUID (and INIT_VCPU for TDX). */
int hs_vcpu(struct hs *h, struct kvm_vcpu *v, uint32_t id);

struct hm {
	struct vm_config cfg;
	struct machine m;
	struct vm vm;
	struct sim *s;
	bool vm_built;
};

/*
 * Build a VM with --coco @coco_spec on the simulator from firmware @fw
 * (taken over).  @sc NULL: the default simulator for the platform.
 * Returns vm_create()'s result (the VM is destroyed by hm_close()).
 */
int hm_open(struct hm *h, const char *coco_spec, uint8_t *fw, size_t fw_len,
	    unsigned int vcpus, uint64_t mem, const struct sim_config *sc);
/* The same in two steps, to adjust h->cfg / h->m (kernel, ID block) in between. */
void hm_init(struct hm *h, const char *coco_spec, uint8_t *fw, size_t fw_len,
	     unsigned int vcpus, uint64_t mem);
int hm_build(struct hm *h, const struct sim_config *sc);
void hm_close(struct hm *h);
/*
 * The digest the simulator measured for h->vm, and the plan's; fails the
 * test when the launch did not finish.
 */
void hm_digests(struct hm *h, uint8_t got[48], uint8_t want[48], size_t *len);

/* Open fds of this process. */
unsigned int count_fds(void);
/* A test data file (CVMM_TEST_DATA) or a host file; NULL when absent. */
uint8_t *load_file(const char *path, size_t *len);

#endif
