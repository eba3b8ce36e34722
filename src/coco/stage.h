/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_COCO_STAGE_H
#define CVMM_COCO_STAGE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The order in which a confidential VM is built, as code.  Three parties
 * hold to it:
 *
 *  - machine/vm.c calls the hooks of machine/coco.h in this order;
 *  - coco/kvm (struct coco_kvm) refuses a step out of order with
 *    -EPROTO, so a reordered vm_create() fails at once, on every host;
 *  - the simulated platform (src/sim, rule [K20] of docs/coco.md) checks
 *    the same table against the ioctls it receives, so a VMM that skips
 *    a hook or issues an ioctl early is caught there too.
 *
 *   step             from                      to      what happens
 *   PLAN             NONE                      PLANNED launch plan, VM type (before KVM_CREATE_VM)
 *   VM               PLANNED                   VM      KVM_CREATE_VM, the platform's VM init
 *   IRQCHIP          VM                        IRQCHIP the (split) irqchip exists; no vCPU yet
 *                                                      (TDX: APIC bus cycle, TSC, KVM_TDX_INIT_VM)
 *   MEMORY           IRQCHIP, MEMORY, VCPUS    MEMORY  a RAM memslot (the loader adds the
 *                                                      firmware's after the vCPUs)
 *   VCPU             MEMORY, VCPUS             VCPUS   KVM_CREATE_VCPU and its setup
 *   LAUNCH           VCPUS                     LAUNCHED the plan executed, the launch finished
 *   RUN              LAUNCHED                  LAUNCHED KVM_RUN and the exits it brings
 *
 * Stages only move forward: a step from a later stage leaves the stage
 * where it is (MEMORY in stage VCPUS stays VCPUS).
 */

enum coco_stage {
	COCO_STAGE_NONE,
	COCO_STAGE_PLANNED,
	COCO_STAGE_VM,
	COCO_STAGE_IRQCHIP,
	COCO_STAGE_MEMORY,
	COCO_STAGE_VCPUS,
	COCO_STAGE_LAUNCHED,
};

enum coco_step {
	COCO_STEP_PLAN,
	COCO_STEP_VM,
	COCO_STEP_IRQCHIP,
	COCO_STEP_MEMORY,
	COCO_STEP_VCPU,
	COCO_STEP_LAUNCH,
	COCO_STEP_RUN,
};

#define COCO_STAGE_BIT(s)	(1u << (s))

struct coco_step_rule {
	const char *what;
	unsigned int from;		/* COCO_STAGE_BIT()s */
	enum coco_stage to;
};

static inline const struct coco_step_rule *coco_step_rule(enum coco_step step)
{
	static const struct coco_step_rule rules[] = {
		[COCO_STEP_PLAN] = { "the launch plan",
			COCO_STAGE_BIT(COCO_STAGE_NONE), COCO_STAGE_PLANNED },
		[COCO_STEP_VM] = { "the VM's creation",
			COCO_STAGE_BIT(COCO_STAGE_PLANNED), COCO_STAGE_VM },
		[COCO_STEP_IRQCHIP] = { "the irqchip",
			COCO_STAGE_BIT(COCO_STAGE_VM), COCO_STAGE_IRQCHIP },
		[COCO_STEP_MEMORY] = { "a memslot",
			COCO_STAGE_BIT(COCO_STAGE_IRQCHIP) | COCO_STAGE_BIT(COCO_STAGE_MEMORY) |
			COCO_STAGE_BIT(COCO_STAGE_VCPUS), COCO_STAGE_MEMORY },
		[COCO_STEP_VCPU] = { "a vCPU",
			COCO_STAGE_BIT(COCO_STAGE_MEMORY) | COCO_STAGE_BIT(COCO_STAGE_VCPUS),
			COCO_STAGE_VCPUS },
		[COCO_STEP_LAUNCH] = { "the launch",
			COCO_STAGE_BIT(COCO_STAGE_VCPUS), COCO_STAGE_LAUNCHED },
		[COCO_STEP_RUN] = { "running the VM",
			COCO_STAGE_BIT(COCO_STAGE_LAUNCHED), COCO_STAGE_LAUNCHED },
	};

	return &rules[step];
}

static inline const char *coco_stage_name(enum coco_stage s)
{
	static const char *const names[] = {
		[COCO_STAGE_NONE] = "nothing built",
		[COCO_STAGE_PLANNED] = "planned",
		[COCO_STAGE_VM] = "VM created",
		[COCO_STAGE_IRQCHIP] = "irqchip created",
		[COCO_STAGE_MEMORY] = "memory added",
		[COCO_STAGE_VCPUS] = "vCPUs created",
		[COCO_STAGE_LAUNCHED] = "launched",
	};

	return names[s];
}

/* Take @step from *@stage: false (and *@stage unchanged) when out of order. */
static inline bool coco_stage_step(enum coco_stage *stage, enum coco_step step)
{
	const struct coco_step_rule *r = coco_step_rule(step);

	if (!(r->from & COCO_STAGE_BIT(*stage)))
		return false;
	if (r->to > *stage)
		*stage = r->to;
	return true;
}

#endif
