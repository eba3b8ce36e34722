/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_VM_H
#define CVMM_MACHINE_VM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/e820.h"
#include "arch/x86/regs.h"
#include "devices/acpi_pm.h"
#include "devices/bus.h"
#include "devices/cmos.h"
#include "devices/fw_cfg/fw_cfg.h"
#include "devices/i8042.h"
#include "devices/misc_ports.h"
#include "devices/serial.h"
#include "devices/ucall.h"
#include "devices/vm_control.h"
#include "kvm/kvm.h"
#include "machine/config.h"
#include "machine/irqchip.h"
#include "mem/guest_mem.h"

/*
 * One boot of the machine: the KVM VM, its memory, devices and vCPUs.
 * A guest reset destroys the whole struct vm and builds a new one (new VM
 * fd, memory, vCPUs, images loaded again); what outlives a reset on real
 * hardware (CMOS RAM, the console) belongs to struct machine, and so do
 * the inputs read once at start and the host ends of devices (the locked
 * disk images, the vsock socket), which each boot's devices borrow.
 */

enum vm_outcome {
	VM_RUNNING = 0,
	VM_POWEROFF,
	VM_RESET,
	VM_EXIT_STATUS,		/* debug-exit or signal: use vm->status */
	VM_TRIPLE_FAULT,
	VM_KVM_ERROR,
	VM_GUEST_FATAL,
	VM_HOST_ERROR,		/* cvmm itself failed while running */
};

struct machine;

/*
 * What a vCPU thread does after an exit was handled: run on, stop (the
 * VM's outcome was recorded with vm_stop()), or, from a handler that
 * serves only some exits, "not mine: ask the next one".
 */
enum vcpu_exit_action {
	VCPU_EXIT_CONTINUE,
	VCPU_EXIT_STOP,
	VCPU_EXIT_NOT_MINE,
};

/*
 * What a confidential platform changes in how vm.c builds the VM; all
 * zero (a plain VM) without --coco.  Set by vm_coco_prepare().
 */
struct vm_coco_props {
	unsigned long vm_type;		/* KVM_CREATE_VM type */
	bool split_irqchip;		/* LAPICs in KVM, IOAPIC and PIC in cvmm (TDX) */
	bool firmware_in_ram;		/* the firmware is private RAM, not a ROM slot */
	bool sets_regs;			/* the launch owns vCPU registers: no BSP state */
	bool vcpu_state_protected;	/* no LAPIC or FPU writes (TDX: the module owns them) */
};

struct vcpu {
	struct vm *vm;
	struct kvm_vcpu kvm;
	unsigned int index;
	pthread_t thread;
	bool thread_started;
};

/* Where keyboard input from the host goes: COM1, or the virtio-console. */
struct console_sink {
	size_t (*input)(void *opaque, const uint8_t *buf, size_t len);
	void *opaque;
};

struct vm_pci;

struct q35;

/*
 * The devices of one boot: the legacy ones at their fixed ports (vm.c),
 * fw_cfg for firmware boots (loader.c), the PCI bus with the virtio
 * devices (pci_setup.c; NULL without any), the Q35 persona's chipset
 * (pci_setup.c; NULL on cvmm's machine), whose ACPI PM block is @pm.
 */
struct vm_devices {
	struct serial com1;
	struct i8042 i8042;
	struct acpi_pm pm;
	struct reset_ctl reset;
	struct debug_exit debug_exit;
	struct debugcon debugcon;
	struct ucall_dev ucall;		/* --ucall */
	struct fw_cfg *fw_cfg;		/* firmware boots and --fw-cfg */
	size_t acpi_len;		/* Q35: the padded size of etc/acpi/tables */
	struct vm_pci *pci;		/* machine/pci_setup.h */
	struct q35 *q35;		/* devices/q35 */
	struct console_sink console;
};

struct vm {
	struct machine *machine;
	const struct vm_config *cfg;
	struct kvm_vm kvm;
	struct kvm_cpuid2 *cpuid;	/* every vCPU's, but for the APIC ID */

	/* guest RAM: below the PCI hole and from 4 GiB (arch/x86/layout.h) */
	struct guest_mem mem;
	int gmem_fd;			/* guest_memfd for private memory, or -1 */
	struct e820_map e820;
	uint64_t ram_low, ram_high;

	struct io_bus pio, mmio;
	struct irqchip irqchip;
	struct vm_devices dev;

	/* confidential launch (machine/coco.c); NULL without --coco */
	struct vm_coco *coco;
	struct vm_coco_props coco_props;

	unsigned int nr_vcpus;
	struct vcpu *vcpus;
	struct vcpu_boot_state bsp_state;

	/* how the VM stops: requests from devices, vm_stop() from anywhere */
	struct vm_control ctl;
	atomic_bool stopping;		/* set by vm_stop() and vm_join(): the vCPUs end */
	pthread_mutex_t lock;		/* outcome, status, message */
	enum vm_outcome outcome;
	int status;
	char message[512];
	int event_fd;			/* written when the outcome is set */
};

/* Build every part of one boot; prints the error and returns -errno. */
int vm_create(struct vm *vm, struct machine *m);
/* Map the firmware ROM so that it ends at 4 GiB (read-only memslot). */
int vm_map_firmware(struct vm *vm, const uint8_t *rom, size_t len);
/* Start the vCPU threads. */
int vm_start(struct vm *vm);
/*
 * Record why the VM stops (first caller wins), with a one-line message
 * for the user, and wake the machine.  Safe from any thread.
 */
void vm_stop(struct vm *vm, enum vm_outcome outcome, int status,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Kick and join every vCPU thread. */
void vm_join(struct vm *vm);
void vm_destroy(struct vm *vm);

#endif
