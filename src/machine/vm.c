// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "arch/x86/cpuid.h"
#include "arch/x86/layout.h"
#include "boot/firmware.h"
#include "machine/coco.h"
#include "machine/exit_status.h"
#include "machine/limits.h"
#include "machine/loader.h"
#include "machine/machine.h"
#include "machine/pci_setup.h"
#include "machine/vcpu.h"
#include "machine/vm.h"
#include "util/log.h"
#include "util/num.h"

enum {
	SLOT_RAM_LOW = 0,
	SLOT_RAM_HIGH = 1,
	SLOT_ROM = 2,
	SLOT_RAM_MORE = 3,	/* high RAM past the first LIMITS_SLOT_MAX bytes */
};

void vm_stop(struct vm *vm, enum vm_outcome outcome, int status,
	     const char *fmt, ...)
{
	uint64_t one = 1;
	va_list ap;

	pthread_mutex_lock(&vm->lock);
	if (vm->outcome == VM_RUNNING) {
		vm->outcome = outcome;
		vm->status = status;
		if (fmt) {
			va_start(ap, fmt);
			vsnprintf(vm->message, sizeof(vm->message), fmt, ap);
			va_end(ap);
		}
	}
	pthread_mutex_unlock(&vm->lock);
	/*
	 * A stopped VM never runs again (a reset builds a new one): the vCPU
	 * that stopped it leaves its loop now instead of entering KVM_RUN
	 * once more to be kicked out of it by vm_join().
	 */
	atomic_store(&vm->stopping, true);
	if (write(vm->event_fd, &one, sizeof(one)) < 0)
		log_debug("vm event write failed");
}

static void vm_request(void *opaque, enum vm_request req, int status)
{
	struct vm *vm = opaque;

	switch (req) {
	case VM_REQ_POWEROFF:
		vm_stop(vm, VM_POWEROFF, 0, NULL);
		break;
	case VM_REQ_RESET:
		vm_stop(vm, VM_RESET, 0, NULL);
		break;
	case VM_REQ_EXIT:
		vm_stop(vm, VM_EXIT_STATUS, status, NULL);
		break;
	case VM_REQ_NONE:
		break;
	}
}

/* The legacy devices' interrupt lines */
static void vm_irq_set_level(void *opaque, uint32_t gsi, int level)
{
	struct vm *vm = opaque;

	irqchip_set_level(&vm->irqchip, gsi, level);
}

static int vm_setup_kvm(struct vm *vm)
{
	int ret;

	ret = kvm_vm_create(&vm->machine->kvm, vm->coco_props.vm_type, &vm->kvm);
	if (ret)
		return log_errno("KVM_CREATE_VM", ret);
	ret = vm_coco_vm_created(vm);
	if (ret)
		return ret;
	ret = kvm_vm_ioctl(&vm->kvm, KVM_SET_TSS_ADDR, (void *)(uintptr_t)KVM_TSS_ADDR);
	if (ret < 0)
		return log_errno("KVM_SET_TSS_ADDR", ret);
	{
		uint64_t addr = KVM_IDENTITY_MAP_ADDR;

		ret = kvm_vm_ioctl(&vm->kvm, KVM_SET_IDENTITY_MAP_ADDR, &addr);
		if (ret < 0)
			return log_errno("KVM_SET_IDENTITY_MAP_ADDR", ret);
	}
	ret = irqchip_create(&vm->irqchip, &vm->kvm, vm->coco_props.split_irqchip,
			     vm->nr_vcpus, &vm->mmio);
	if (ret)
		return ret;
	/* the irqchip exists, memory and vCPUs do not yet */
	return vm_coco_irqchip_ready(vm);
}

/*
 * One RAM region in memslots of at most LIMITS_SLOT_MAX bytes (KVM refuses a
 * larger one): the first in @slot, the rest from SLOT_RAM_MORE on.
 */
static int vm_map_ram(struct vm *vm, const struct guest_region *r, uint32_t slot)
{
	uint64_t off, len;
	uint32_t more = SLOT_RAM_MORE;
	int ret;

	for (off = 0; off < r->size; off += len) {
		len = r->size - off < LIMITS_SLOT_MAX ? r->size - off : LIMITS_SLOT_MAX;
		ret = kvm_vm_set_memslot(&vm->kvm, off ? more++ : slot, 0, r->gpa + off,
					 len, (uint8_t *)r->hva + off, vm->gmem_fd,
					 r->gpa + off);
		if (ret)
			return log_errno(vm->gmem_fd >= 0 ? "KVM_SET_USER_MEMORY_REGION2" :
					 "KVM_SET_USER_MEMORY_REGION", ret);
	}
	return 0;
}

static int vm_setup_memory(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	enum guest_mem_backend backend = cfg->mem.backend == MEM_BACKEND_MEMFD ?
					 GUEST_MEM_MEMFD : GUEST_MEM_ANON;
	const struct guest_region *r;
	unsigned int i;
	int ret;

	/* the Q35 persona splits RAM as QEMU's q35; a launch plan measured cvmm's */
	if (config_q35_ram(cfg))
		e820_ram_split_q35(cfg->mem.size, &vm->ram_low, &vm->ram_high);
	else
		e820_ram_split(cfg->mem.size, &vm->ram_low, &vm->ram_high);
	cmos_set_memory(&vm->machine->cmos, vm->ram_low, vm->ram_high);
	ret = guest_mem_add_ram(&vm->mem, 0, vm->ram_low, backend,
				cfg->mem.shared, "ram-low");
	if (!ret && vm->ram_high)
		ret = guest_mem_add_ram(&vm->mem, HIGH_RAM_START, vm->ram_high,
					backend, cfg->mem.shared, "ram-high");
	if (ret) {
		char size[32];

		size_format(cfg->mem.size, size, sizeof(size));
		log_err("--memory", "cannot allocate %s of guest RAM: %s", size,
			strerror(-ret));
		return ret;
	}
	for (i = 0; i < vm->mem.nr; i++) {
		r = &vm->mem.regions[i];
		ret = vm_map_ram(vm, r, i == 0 ? SLOT_RAM_LOW : SLOT_RAM_HIGH);
		if (!ret)
			ret = vm_coco_memory_added(vm, r->gpa, r->size, r->hva);
		if (ret)
			return ret;
	}
	return 0;
}

/* Map the firmware ROM read-only below 4 GiB (called by the loader). */
int vm_map_firmware(struct vm *vm, const uint8_t *rom, size_t len)
{
	const struct guest_region *r;
	uint64_t gpa = firmware_base(len);
	int ret;

	if (vm->coco_props.firmware_in_ram) {
		/*
		 * A confidential guest's firmware is launched into private
		 * (encrypted) RAM: a writable slot holding a copy of the image.
		 */
		ret = guest_mem_add_ram(&vm->mem, gpa, len, GUEST_MEM_ANON, false,
					"firmware");
		if (!ret)
			ret = guest_mem_write(&vm->mem, gpa, rom, len);
		if (ret)
			return log_errno("--firmware", ret);
		r = guest_mem_region(&vm->mem, gpa, len);
		ret = kvm_vm_set_memslot(&vm->kvm, SLOT_ROM, 0, r->gpa, r->size,
					 r->hva, vm->gmem_fd, r->gpa);
		if (ret)
			return log_errno("KVM_SET_USER_MEMORY_REGION (firmware)", ret);
		return vm_coco_memory_added(vm, r->gpa, r->size, r->hva);
	}
	ret = firmware_map(&vm->mem, rom, len);
	if (ret)
		return log_errno("--firmware", ret);
	r = guest_mem_region(&vm->mem, gpa, len);
	ret = kvm_vm_set_memslot(&vm->kvm, SLOT_ROM, KVM_MEM_READONLY, r->gpa,
				 r->size, r->hva, -1, 0);
	if (ret)
		return log_errno("KVM_SET_USER_MEMORY_REGION (firmware)", ret);
	return 0;
}

/* --ucall: a test guest's verdict ends cvmm (machine/exit_status.h) */
static void vm_ucall(void *opaque, const struct ucall_msg *m)
{
	struct vm *vm = opaque;

	switch (m->cmd) {
	case UCALL_DONE:
		log_info("the test guest passed (%s:%u)", m->file, m->line);
		vm_stop(vm, VM_EXIT_STATUS, EXIT_TEST_PASSED, NULL);
		break;
	case UCALL_ASSERT:
		vm_stop(vm, VM_GUEST_FATAL, EXIT_GUEST_FATAL, "guest assertion failed at %s:%u: %s",
			m->file, m->line, m->msg);
		break;
	case UCALL_MALFORMED:
		vm_stop(vm, VM_GUEST_FATAL, EXIT_GUEST_FATAL, "%s", m->msg);
		break;
	}
}

/* The opt-in port devices: --debug-exit, --ucall. */
static int vm_setup_test_ports(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	int ret = 0;

	if (cfg->debug_exit)
		ret = debug_exit_register(&vm->dev.debug_exit, &vm->pio, cfg->debug_exit_port);
	if (ret == -EBUSY) {
		log_err("--debug-exit", "port 0x%x is already used by another device",
			cfg->debug_exit_port);
		return ret;
	}
	if (!ret && cfg->ucall) {
		ucall_init(&vm->dev.ucall, &vm->mem, vm_ucall, vm);
		ret = ucall_register(&vm->dev.ucall, &vm->pio, cfg->ucall_port);
		if (ret == -EBUSY) {
			log_err("--ucall", "port 0x%x is already used by another device",
				cfg->ucall_port);
			return ret;
		}
	}
	return ret ? log_errno("devices", ret) : 0;
}

static size_t com1_input(void *opaque, const uint8_t *buf, size_t len)
{
	return serial_receive(opaque, buf, len);
}

static int vm_setup_devices(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct irq_line com1_irq = {
		.set_level = vm_irq_set_level, .opaque = vm, .gsi = IRQ_COM1,
	};
	int ret;

	vm->ctl = (struct vm_control){ .request = vm_request, .opaque = vm };
	serial_init(&vm->dev.com1, m->console.virtio ? -1 : m->console.out_fd, &com1_irq);
	i8042_init(&vm->dev.i8042, &vm->ctl);
	if (config_q35(vm->cfg))
		acpi_pm_init_ich9(&vm->dev.pm, &vm->ctl);	/* the LPC decodes it */
	else
		acpi_pm_init(&vm->dev.pm, &vm->ctl);
	reset_ctl_init(&vm->dev.reset, &vm->ctl);
	debug_exit_init(&vm->dev.debug_exit, &vm->ctl);
	vm->dev.debugcon.fd = m->debugcon_fd;

	ret = serial_register(&vm->dev.com1, &vm->pio, PORT_COM1);
	if (!ret)
		ret = i8042_register(&vm->dev.i8042, &vm->pio);
	if (!ret)
		ret = cmos_register(&m->cmos, &vm->pio);
	if (!ret && !config_q35(vm->cfg))
		ret = acpi_pm_register(&vm->dev.pm, &vm->pio);
	if (!ret)
		ret = reset_ctl_register(&vm->dev.reset, &vm->pio);
	if (!ret)
		ret = post_port_register(&vm->pio);
	if (!ret && (vm->cfg->firmware || m->debugcon_fd >= 0))
		ret = debugcon_register(&vm->dev.debugcon, &vm->pio);
	if (ret)
		return log_errno("devices", ret);
	ret = vm_setup_test_ports(vm);
	if (ret)
		return ret;
	vm->dev.console = (struct console_sink){ .input = com1_input, .opaque = &vm->dev.com1 };
	return 0;
}

static int vm_setup_cpuid(struct vm *vm)
{
	struct kvm_sys *sys = &vm->machine->kvm;
	const struct kvm_cpuid2 *supported;
	struct cpuid_config cc = {
		.nr_vcpus = vm->nr_vcpus,
		.tsc_deadline = kvm_check_extension(sys, KVM_CAP_TSC_DEADLINE_TIMER) > 0,
		.edits = vm->cfg->cpu.features,
		.nr_edits = vm->cfg->cpu.nr_features,
		.have_sig = vm->cfg->cpu.have_sig,	/* --cpu model=/sig= */
		.sig = vm->cfg->cpu.sig,
	};
	int ret;

	ret = kvm_get_supported_cpuid(sys, &supported);
	if (ret)
		return log_errno("KVM_GET_SUPPORTED_CPUID", ret);
	return cpuid_build(supported, &cc, &vm->cpuid);
}

int vm_create(struct vm *vm, struct machine *m)
{
	unsigned int i;
	int ret, max;

	memset(vm, 0, sizeof(*vm));
	vm->machine = m;
	vm->cfg = m->cfg;
	vm->kvm.fd = -1;
	vm->nr_vcpus = m->cfg->cpu.count;
	vm->pio.name = "pio";
	vm->mmio.name = "mmio";
	pthread_mutex_init(&vm->lock, NULL);
	atomic_init(&vm->stopping, false);
	vm->gmem_fd = -1;
	vm->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (vm->event_fd < 0)
		return log_errno("eventfd", -errno);

	max = kvm_check_extension(&m->kvm, KVM_CAP_MAX_VCPUS);
	if (max > 0 && vm->nr_vcpus > (unsigned int)max) {
		log_err("--cpu", "count=%u: this host's KVM allows at most %d vCPUs",
			vm->nr_vcpus, max);
		return -EINVAL;
	}
	ret = vm_setup_cpuid(vm);
	if (!ret)
		ret = vm_coco_prepare(vm);
	if (!ret)
		ret = vm_setup_kvm(vm);
	if (!ret)
		ret = vm_setup_memory(vm);
	if (!ret)
		ret = vm_setup_devices(vm);
	if (!ret)
		ret = pci_setup(vm);
	if (ret)
		return ret;

	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		return -ENOMEM;
	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu_create(vm, &vm->vcpus[i], i);
		if (!ret)
			ret = vm_coco_vcpu_created(vm, &vm->vcpus[i]);
		if (ret)
			return ret;
	}
	if (!vm->coco_props.sets_regs) {
		ret = vcpu_get_sregs(&vm->vcpus[0], &vm->bsp_state.sregs);
		if (ret)
			return log_errno("KVM_GET_SREGS", ret);
	}
	ret = loader_load(vm);
	if (ret)
		return ret;
	if (vm->coco_props.sets_regs)
		return vm_coco_launch(vm);
	ret = vcpu_set_boot_state(&vm->vcpus[0], &vm->bsp_state);
	if (!ret)
		ret = vm_coco_launch(vm);
	return ret;
}

int vm_start(struct vm *vm)
{
	unsigned int i;
	int ret;

	for (i = 0; i < vm->nr_vcpus; i++) {
		ret = vcpu_start(&vm->vcpus[i]);
		if (ret)
			return log_errno("pthread_create", ret);
	}
	return 0;
}

void vm_join(struct vm *vm)
{
	unsigned int i;

	atomic_store(&vm->stopping, true);
	if (!vm->vcpus)
		return;
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	for (i = 0; i < vm->nr_vcpus; i++)
		vcpu_join(&vm->vcpus[i]);
}

void vm_destroy(struct vm *vm)
{
	unsigned int i;

	vm_join(vm);
	if (vm->vcpus) {
		for (i = 0; i < vm->nr_vcpus; i++)
			vcpu_destroy(&vm->vcpus[i]);
		free(vm->vcpus);
		vm->vcpus = NULL;
	}
	pci_teardown(vm);
	vm_coco_destroy(vm);
	irqchip_destroy(&vm->irqchip);
	if (vm->dev.fw_cfg)
		fw_cfg_free(vm->dev.fw_cfg);
	vm->dev.fw_cfg = NULL;
	if (vm->gmem_fd >= 0)
		kvm_vm_close_fd(&vm->kvm, vm->gmem_fd);
	vm->gmem_fd = -1;
	kvm_vm_destroy(&vm->kvm);
	guest_mem_free(&vm->mem);
	io_bus_free(&vm->pio);
	io_bus_free(&vm->mmio);
	serial_destroy(&vm->dev.com1);
	i8042_destroy(&vm->dev.i8042);
	acpi_pm_destroy(&vm->dev.pm);
	free(vm->cpuid);
	vm->cpuid = NULL;
	if (vm->event_fd >= 0)
		close(vm->event_fd);
	vm->event_fd = -1;
	pthread_mutex_destroy(&vm->lock);
}
