/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_COCO_INTERNAL_H
#define CVMM_MACHINE_COCO_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "coco/kvm/kvm_coco.h"
#include "machine/coco.h"
#include "sim/sim.h"

/*
 * Shared by coco.c (building the VM, --dry-run) and coco_exits.c (the
 * confidential exits at run time).
 */

#define COCO_PAGE_SIZE		4096ULL
#define MAX_ATTR_REGIONS	GUEST_MEM_MAX_REGIONS

/* Which pages are private, to check the buffers guests hand us as shared. */
struct attr_map {
	uint64_t gpa, pages;
	uint8_t *bits;			/* 1: private */
};

struct vm_coco {
	struct vm *vm;
	struct launch_plan *plan;
	struct coco_kvm k;
	struct err_msg err;
	struct sim *sim;		/* the simulated platform, or NULL */
	bool own_sev_fd;
	struct kvm_vcpu **vcpus;
	struct kvm_cpuid2 *cpuid0;	/* vCPU 0's table (SNP CPUID page, TDX INIT_VM) */

	pthread_mutex_t lock;		/* attributes, event notification */
	struct attr_map attrs[MAX_ATTR_REGIONS];
	unsigned int nr_attrs;
	bool notify_set;
	uint32_t notify_vector, notify_apic;
};

/*
 * The launch the simulated platform behind @vm finished, checked against
 * the plan's digest: 0, or -EIO / -errno after one line naming @what.
 */
int vm_coco_sim_result(struct vm *vm, const char *what, struct sim_launch *got);

/* coco_machine.c: certs=DIR's table (NULL: none); say once why guests get none. */
const struct coco_certs *machine_coco_certs(struct machine *m);
void machine_coco_certs_skipped(struct machine *m, const char *why);

/* Track [gpa, gpa + size) as all private or all shared (lock held). */
int coco_attrs_add(struct vm_coco *c, uint64_t gpa, uint64_t size, bool private);
void coco_attrs_free(struct vm_coco *c);

/*
 * -v at a real launch (coco_report.c): the launch and the `cvmm measure`
 * line predicting its measurement, on stderr, at the first boot.
 */
void vm_coco_log_launch(const struct vm *vm);

#endif
