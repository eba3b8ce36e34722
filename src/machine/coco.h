/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_COCO_H
#define CVMM_MACHINE_COCO_H

#include <stdbool.h>
#include <stdint.h>

#include "machine/vm.h"

/*
 * The confidential-launch glue of one VM boot.  vm.c, vcpu.c and loader.c
 * call these hooks at fixed points of building and running a VM; with
 * --coco absent every hook is a no-op (vm->coco is NULL).  A guest reset
 * rebuilds the whole VM, so every hook runs again on a fresh KVM VM, from
 * the pristine images the machine keeps: that is the confidential restart.
 *
 * Order in vm_create():
 *   vm_coco_prepare()        after the CPUID table is built, before
 *                            KVM_CREATE_VM: build the launch plan, probe
 *                            what the host offers (one clear line if not)
 *   vm_coco_vm_type()        the KVM_CREATE_VM type
 *   vm_coco_vm_init()        right after KVM_CREATE_VM: capabilities,
 *                            SEV INIT/INIT2 + LAUNCH_START, TDX vCPU
 *                            limit + caps, guest_memfd (sets vm->gmem_fd)
 *   vm_coco_split_irqchip()  KVM_CAP_SPLIT_IRQCHIP instead of the full
 *                            in-kernel irqchip (TDX)
 *   (memslots: with vm->gmem_fd >= 0 they use KVM_SET_USER_MEMORY_REGION2
 *    with guest_memfd_offset = gpa; then vm_coco_memory_added())
 *   vm_coco_memory_added()   for every RAM region (and the firmware when
 *                            it is RAM): memory attributes, SEV REG_REGION;
 *                            the first call, after the irqchip and before
 *                            any vCPU, also does TDX's APIC bus cycle, TSC
 *                            and INIT_VM
 *   vm_coco_vcpu_created()   after each vCPU got its CPUID (TDX INIT_VCPU)
 *   vm_coco_firmware_is_ram() the firmware is private RAM, not a ROM slot
 *   vm_coco_launch()         after the images are loaded: execute the
 *                            plan, set every vCPU's state, finish
 *   vm_coco_sets_regs()      the launch owns vCPU registers (no BSP state
 *                            from the loader)
 *   vm_coco_vcpu_state_protected() vcpu_create() must not touch the LAPIC
 *                            or FPU state (TDX: KVM refuses, the TDX
 *                            module owns them)
 * At run time vcpu.c gives vm_coco_handle_exit() every exit it does not
 * handle itself and every KVM_RUN -EFAULT: MAP_GPA_RANGE hypercalls,
 * memory faults (private<->shared), KVM_EXIT_TDX, KVM_EXIT_IOAPIC_EOI;
 * and vm_coco_guest_fatal() the SEV termination requests and TDX
 * ReportFatalError system events, which stop the VM with one line.
 */

struct vm_coco;

int vm_coco_prepare(struct vm *vm);
unsigned long vm_coco_vm_type(const struct vm *vm);
int vm_coco_vm_init(struct vm *vm);
bool vm_coco_split_irqchip(const struct vm *vm);
int vm_coco_memory_added(struct vm *vm, uint64_t gpa, uint64_t size, void *hva);
int vm_coco_vcpu_created(struct vm *vm, struct vcpu *v);
bool vm_coco_firmware_is_ram(const struct vm *vm);
bool vm_coco_sets_regs(const struct vm *vm);
int vm_coco_launch(struct vm *vm);
/*
 * 1: handled, keep running; 0: not a confidential-computing exit;
 * negative: the VM stops (the outcome was recorded with vm_stop()).
 * @run_ret is KVM_RUN's return value (0 or -EFAULT with a memory fault).
 */
int vm_coco_handle_exit(struct vcpu *v, int run_ret);
void vm_coco_destroy(struct vm *vm);
bool vm_coco_vcpu_state_protected(const struct vm *vm);
/*
 * KVM_SYSTEM_EVENT_SEV_TERM / _TDX_FATAL: stop the VM (VM_GUEST_FATAL,
 * exit status 35) with the guest's reason, error code and message.
 */
void vm_coco_guest_fatal(struct vcpu *v);
/* The launch plan this VM executes (NULL without --coco). */
struct launch_plan;
const struct launch_plan *vm_coco_plan(const struct vm *vm);

struct machine;
/*
 * `cvmm boot --dry-run`: open the simulated platform in place of /dev/kvm
 * (the machine calls this instead of kvm_sys_open()), and after the VM was
 * built, print the plan and the measurement the platform computed.
 */
int machine_coco_dry_run_open(struct machine *m);
int machine_coco_dry_run_report(struct vm *vm);

#endif
