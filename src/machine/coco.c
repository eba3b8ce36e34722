// SPDX-License-Identifier: GPL-2.0-only
/*
 * Confidential launch glue: placeholder until the KVM backends land; a
 * --coco request is refused with one line.
 */
#include <errno.h>

#include "machine/coco.h"
#include "util/log.h"

int vm_coco_prepare(struct vm *vm)
{
	if (vm->cfg->coco.type == COCO_NONE)
		return 0;
	log_err("--coco", "confidential launch is not available in this build yet");
	return -ENOSYS;
}

unsigned long vm_coco_vm_type(const struct vm *vm)
{
	return KVM_X86_DEFAULT_VM;
}

int vm_coco_vm_init(struct vm *vm)
{
	return 0;
}

bool vm_coco_split_irqchip(const struct vm *vm)
{
	return false;
}

int vm_coco_memory_added(struct vm *vm, uint64_t gpa, uint64_t size, void *hva)
{
	return 0;
}

int vm_coco_vcpu_created(struct vm *vm, struct vcpu *v)
{
	return 0;
}

bool vm_coco_firmware_is_ram(const struct vm *vm)
{
	return false;
}

bool vm_coco_sets_regs(const struct vm *vm)
{
	return false;
}

int vm_coco_launch(struct vm *vm)
{
	return 0;
}

int vm_coco_handle_exit(struct vcpu *v, int run_ret)
{
	return 0;
}

void vm_coco_destroy(struct vm *vm)
{
}

int machine_coco_dry_run_open(struct machine *m)
{
	log_err("--dry-run", "the simulated platform is not available in this build yet");
	return -ENOSYS;
}

int machine_coco_dry_run_report(struct vm *vm)
{
	return -ENOSYS;
}
