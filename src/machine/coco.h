/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_COCO_H
#define CVMM_MACHINE_COCO_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "machine/vm.h"

/*
 * The confidential-launch glue of one VM boot.  vm.c calls the build
 * hooks below in the order of coco/stage.h, which coco/kvm enforces (a
 * hook out of order fails with one line) and the simulated platform
 * checks; with --coco absent every hook is a no-op (vm->coco is NULL).
 * A guest reset rebuilds the whole VM, so every hook runs again on a
 * fresh KVM VM, from the pristine images the machine keeps: that is the
 * confidential restart.
 *
 *   vm_coco_prepare()        after the CPUID table is built, before
 *                            KVM_CREATE_VM: the launch plan, what the host
 *                            offers (one clear line if not), and
 *                            vm->coco_props, what the platform changes in
 *                            the build (VM type, split irqchip, firmware
 *                            in RAM, who sets the registers)
 *   vm_coco_vm_created()     right after KVM_CREATE_VM: capabilities,
 *                            SEV INIT/INIT2 + LAUNCH_START, TDX vCPU
 *                            limit + caps, guest_memfd (vm->gmem_fd)
 *   vm_coco_irqchip_ready()  the (split) irqchip exists, no memory and no
 *                            vCPU yet: TDX APIC bus cycle, TSC, INIT_VM
 *   vm_coco_memory_added()   for every RAM region (and the firmware, which
 *                            is RAM): memory attributes, SEV REG_REGION;
 *                            memslots use KVM_SET_USER_MEMORY_REGION2
 *                            with guest_memfd_offset = gpa when
 *                            vm->gmem_fd >= 0
 *   vm_coco_vcpu_created()   after each vCPU got its CPUID (TDX INIT_VCPU)
 *   vm_coco_launch()         after the images are loaded: execute the
 *                            plan, set every vCPU's state, finish
 *
 * At run time (machine/coco_exits.c) vcpu.c gives vm_coco_handle_exit()
 * every exit it does not handle itself and every KVM_RUN -EFAULT:
 * MAP_GPA_RANGE hypercalls, memory faults (private<->shared),
 * KVM_EXIT_TDX; and vm_coco_guest_fatal() the SEV
 * termination requests and TDX ReportFatalError system events, which stop
 * the VM with one line.
 */

struct vm_coco;

int vm_coco_prepare(struct vm *vm);
int vm_coco_vm_created(struct vm *vm);
int vm_coco_irqchip_ready(struct vm *vm);
int vm_coco_memory_added(struct vm *vm, uint64_t gpa, uint64_t size, void *hva);
int vm_coco_vcpu_created(struct vm *vm, struct vcpu *v);
int vm_coco_launch(struct vm *vm);
void vm_coco_destroy(struct vm *vm);

/*
 * VCPU_EXIT_CONTINUE: handled, keep running; VCPU_EXIT_NOT_MINE: not a
 * confidential-computing exit; VCPU_EXIT_STOP: the VM stops (the outcome
 * was recorded with vm_stop()).  @run_ret is KVM_RUN's return value (0,
 * or -EFAULT with a memory fault).
 */
enum vcpu_exit_action vm_coco_handle_exit(struct vcpu *v, int run_ret);
/*
 * KVM_SYSTEM_EVENT_SEV_TERM / _TDX_FATAL: stop the VM (VM_GUEST_FATAL,
 * exit status 35) with the guest's reason, error code and message.
 */
void vm_coco_guest_fatal(struct vcpu *v);
/* The launch plan this VM executes (NULL without --coco). */
struct launch_plan;
const struct launch_plan *vm_coco_plan(const struct vm *vm);
/*
 * What this VM's launch is, as `cvmm measure --json` prints it for the
 * same flags (machine/launch_report.h), with the plan's measurement; NULL
 * without a plan or on allocation failure.
 */
json_t *vm_coco_launch_json(const struct vm *vm);

struct machine;

/*
 * What the machine keeps across resets (coco_machine.c):
 *
 *   machine_coco_open()   at start, after the devices' host ends: the
 *                         certificate table of certs=DIR; for platform=sim
 *                         the loud warning, the test CA (sim-ca=DIR) and
 *                         the simulated firmware's report service on vsock
 *                         port 4051 (sim/sim_tee.h); from then on m->cfg is
 *                         the plain VM's configuration (no --coco)
 *   machine_coco_boot()   before each boot's vm_create(): platform=sim runs
 *                         the launch on a fresh simulated platform exactly
 *                         as --dry-run does (same plan, the digest checked
 *                         against it, = cvmm measure), then destroys it and
 *                         hands the launch to the report service; the VM
 *                         that runs is built next, on KVM, from the same
 *                         pristine images, without encryption
 *   machine_coco_close()  at exit
 *
 * All three do nothing without certs= or platform=sim.
 */
int machine_coco_open(struct machine *m);
int machine_coco_boot(struct machine *m);
void machine_coco_close(struct machine *m);
/*
 * The control API changed the user's configuration (a device added or
 * dropped): platform=sim's plain VM configuration follows it.
 */
void machine_coco_cfg_changed(struct machine *m);
/* What the user asked (--coco …), whatever m->cfg is now. */
const struct vm_config *machine_coco_user_cfg(const struct machine *m);
/* platform=sim: the record of the last simulated launch (NULL: none yet). */
struct sim_launch;
const struct sim_launch *machine_coco_sim_launch(const struct machine *m);

/*
 * `cvmm boot --dry-run`: open the simulated platform in place of /dev/kvm
 * (the machine calls this instead of kvm_sys_open()), and after the VM was
 * built, print the plan and the measurement the platform computed.
 */
int machine_coco_dry_run_open(struct machine *m);
int machine_coco_dry_run_report(struct vm *vm);

#endif
