// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PCI bus of one VM boot and its virtio devices (see
 * machine/pci_setup.h): every device of every kind of machine/devices.c
 * goes through pci_setup_add(), and leaves through pci_setup_remove().
 */
#include "machine/pci_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/pci/pci_host.h"
#include "devices/q35/q35.h"
#include "machine/devices.h"
#include "machine/evloop.h"
#include "machine/loader.h"
#include "machine/machine.h"
#include "machine/platform_kvm.h"
#include "util/log.h"

/* One device on the bus: its kind, its event loop, its platform, the device. */
struct vm_pci_dev {
	const struct vm_device_kind *kind;
	char name[16];
	struct evloop *loop;
	struct platform_kvm plat;
	struct virtio_dev *vd;
	bool on_bus;
};

struct vm_pci {
	struct pci_host host;
	struct kvm_irq_router router;
	struct platform_kvm bridge_plat;	/* INTx levels only */
	struct vm_pci_dev *devs[PCI_HOST_MAX_DEVS];	/* in the order added */
	unsigned int nr;
	bool running;			/* registered on the buses, loops started */
};

bool pci_setup_present(const struct vm *vm)
{
	return vm->dev.pci != NULL;
}

/* The Q35 persona: the window around the ECAM where it is now, ICH9's _PRT, its PM block. */
static void describe_q35(const struct vm *vm, struct acpi_config *ac)
{
	uint64_t base, size, start = vm->ram_low, end = Q35_PCI_WINDOW_END;
	uint16_t pm = q35_pm_base(vm->dev.q35);
	unsigned int slot, pin;

	q35_ecam(vm->dev.q35, &base, &size);
	/* the MCFG describes a 256-bus ECAM below 4 GiB; any other: none */
	ac->ecam_off = size != PCI_ECAM_SIZE || base + size > SZ_4G;
	ac->ecam_base = ac->ecam_off ? 0 : base;
	if (!ac->ecam_off && base <= start && base + size > start)
		start = base + size;
	else if (!ac->ecam_off && base < end && base + size >= end)
		end = base;
	else if (!ac->ecam_off && base > start && base + size < end) {
		ac->pci_mmio32_hole_start = (uint32_t)base;
		ac->pci_mmio32_hole_end = (uint32_t)(base + size);
	}
	ac->pci_mmio32_start = (uint32_t)start;
	ac->pci_mmio32_end = (uint32_t)end;
	ac->pci_prt_table = true;
	for (slot = 0; slot < 32; slot++)
		for (pin = 0; pin < 4; pin++)
			ac->pci_prt_gsi[slot][pin] = Q35_PIRQ_GSI_BASE +
				(slot < 25 ? 4 + (slot + pin) % 4 : slot == 30 ? 4 + pin : pin);
	/* before the firmware places it: where OVMF will */
	if (!pm)
		pm = PORT_Q35_PM_BASE;
	ac->pm1a_evt_port = pm + ACPI_PM_OFF_EVT;
	ac->pm1a_cnt_port = pm + ACPI_PM_OFF_CNT;
	ac->pm_tmr_port = pm + ACPI_PM_OFF_TMR;
	ac->slp_typ_s5 = 0;		/* SLP_TYP 0 powers off, as QEMU's q35 */
}

void pci_setup_describe_acpi(const struct vm *vm, struct acpi_config *ac)
{
	static const uint32_t gsi[4] = PCI_INTX_GSIS;

	if (!vm->dev.pci)
		return;
	if (vm->dev.q35) {
		ac->pci = true;
		ac->pci_mmio64_size = 0;
		ac->pci_intx = true;
		describe_q35(vm, ac);
		return;
	}
	ac->pci = true;
	ac->ecam_base = PCI_ECAM_START;
	ac->pci_mmio32_start = (uint32_t)PCI_MMIO32_START;
	ac->pci_mmio32_end = (uint32_t)PCI_MMIO32_END;
	ac->pci_mmio64_size = 0;
	ac->pci_intx = true;
	memcpy(ac->pci_intx_gsi, gsi, sizeof(gsi));
}

/* Undo pci_setup_add() step by step: loop stopped, off the bus, destroyed. */
static void dev_free(struct vm_pci *bus, struct vm_pci_dev *d)
{
	if (d->loop)
		evloop_stop(d->loop);
	if (d->on_bus)
		pci_host_remove_dev(&bus->host, &d->vd->pci);
	virtio_dev_free(d->vd);
	evloop_destroy(d->loop);
	free(d);
}

static void dev_name(struct vm_pci_dev *d, const struct vm_device_kind *kind, unsigned int i)
{
	if (kind->numbered)
		snprintf(d->name, sizeof(d->name), "%s%u", kind->name, i);
	else
		snprintf(d->name, sizeof(d->name), "%s", kind->name);
}

int pci_setup_add(struct vm *vm, const struct vm_device_kind *kind, unsigned int i,
		  struct vm_pci_dev **out)
{
	struct vm_pci *bus = vm->dev.pci;
	struct virtio_dev_env env = {
		.access_platform = coco_layout_type(&vm->cfg->coco) != COCO_NONE,
		.mem = &vm->mem,
	};
	struct vm_pci_dev *d;
	int ret;

	if (bus->nr == PCI_HOST_MAX_DEVS)
		return log_errno("pci", -ENOSPC);
	d = calloc(1, sizeof(*d));
	if (!d)
		return log_errno("pci", -ENOMEM);
	d->kind = kind;
	dev_name(d, kind, i);
	ret = evloop_create(&d->loop, d->name);
	if (ret) {
		log_err(d->name, "cannot create the event loop: %s", strerror(-ret));
		goto fail;
	}
	platform_kvm_init(&d->plat, &bus->router, d->loop);
	env.name = d->name;
	env.plat = &d->plat.plat;
	ret = kind->create(vm, i, &env, &d->vd);	/* says why itself */
	if (ret)
		goto fail;
	ret = pci_host_add_dev(&bus->host, &d->vd->pci, 0);
	if (ret < 0) {
		log_err(d->name, "no room on the PCI bus: %s", strerror(-ret));
		goto fail;
	}
	d->on_bus = true;
	if (bus->running) {
		ret = evloop_start(d->loop);
		if (ret) {
			log_err(d->name, "cannot start the event loop thread: %s", strerror(-ret));
			goto fail;
		}
	}
	bus->devs[bus->nr++] = d;
	if (out)
		*out = d;
	return 0;
fail:
	dev_free(bus, d);
	return ret;
}

void pci_setup_remove(struct vm *vm, struct vm_pci_dev *d)
{
	struct vm_pci *bus = vm->dev.pci;
	unsigned int i;

	for (i = 0; i < bus->nr && bus->devs[i] != d; i++)
		;
	if (i == bus->nr)
		return;
	memmove(&bus->devs[i], &bus->devs[i + 1], (bus->nr - i - 1) * sizeof(bus->devs[0]));
	bus->nr--;
	if (vm->dev.console.opaque == d->vd)
		vm->dev.console = (struct console_sink){ 0 };
	dev_free(bus, d);
}

uint8_t pci_setup_dev_devfn(const struct vm_pci_dev *d)
{
	return d->vd->pci.devfn;
}

static void q35_changed(void *opaque)
{
	loader_acpi_update(opaque);	/* the ECAM or the PM block moved */
}

/* The Q35 persona's chipset: the MCH becomes the root, the ECAM movable, PIRQ routing. */
static void q35_host_config(struct vm *vm, struct vm_pci *bus, struct pci_host_config *hc)
{
	struct q35_config qc = {
		.pm = &vm->dev.pm, .plat = &bus->bridge_plat.plat, .ctl = vm->ctl,
		.changed = q35_changed, .opaque = vm,
	};

	q35_init(vm->dev.q35, &qc);
	hc->mmio_start = vm->ram_low;
	hc->mmio_end = Q35_PCI_WINDOW_END;
	hc->alloc_start = PCI_MMIO32_START;
	hc->ecam_base = 0;
	hc->root = &vm->dev.q35->mch;
	hc->router = &vm->dev.q35->router;
}

/* The bridge and its window, ECAM and INTx wiring. */
static int bus_create(struct vm *vm, struct vm_pci *bus)
{
	struct pci_host_config hc = {
		.mmio_start = PCI_MMIO32_START,
		.mmio_end = PCI_MMIO32_END,
		.ecam_base = PCI_ECAM_START,
		.ecam_size = PCI_ECAM_SIZE,
		.intx_gsi = PCI_INTX_GSIS,
		/* pulses on shared lines: needed on edge pins, harmless on level */
		.intx_edge = true,
	};
	int ret;

	kvm_irq_router_init(&bus->router, vm, vm->coco_props.split_irqchip);
	platform_kvm_init(&bus->bridge_plat, &bus->router, NULL);
	if (vm->dev.q35)
		q35_host_config(vm, bus, &hc);
	ret = pci_host_init(&bus->host, &hc, &bus->bridge_plat.plat);
	if (!ret && vm->dev.q35)
		ret = q35_attach(vm->dev.q35, &bus->host);
	if (ret)
		return log_errno("pci", ret);
	return 0;
}

/* Claim the buses, start every device's loop: from now on devices come and go one by one. */
static int bus_start(struct vm *vm, struct vm_pci *bus)
{
	unsigned int i;
	int ret;

	ret = pci_host_register(&bus->host, &vm->pio, &vm->mmio);
	if (!ret && vm->dev.q35)
		ret = q35_register(vm->dev.q35, &vm->pio, &vm->mmio);
	if (ret) {
		log_err("pci", "cannot claim the configuration ports, ECAM or MMIO window: %s",
			strerror(-ret));
		return ret;
	}
	for (i = 0; i < bus->nr; i++) {
		ret = evloop_start(bus->devs[i]->loop);
		if (ret) {
			log_err(bus->devs[i]->name, "cannot start the event loop thread: %s",
				strerror(-ret));
			return ret;
		}
	}
	bus->running = true;
	return 0;
}

int pci_setup(struct vm *vm)
{
	struct vm_pci_dev *d;
	unsigned int k, i, n;
	int ret;

	if (!vm_devices_wanted(vm->cfg) && !config_q35(vm->cfg))
		return 0;
	vm->dev.pci = calloc(1, sizeof(*vm->dev.pci));
	if (!vm->dev.pci)
		return log_errno("pci", -ENOMEM);
	if (config_q35(vm->cfg)) {
		vm->dev.q35 = calloc(1, sizeof(*vm->dev.q35));
		if (!vm->dev.q35)
			return log_errno("pci", -ENOMEM);
	}
	ret = bus_create(vm, vm->dev.pci);	/* on failure vm_destroy() calls pci_teardown() */
	for (k = 0; !ret && k < vm_nr_device_kinds; k++) {
		const struct vm_device_kind *kind = &vm_device_kinds[k];

		n = kind->count(vm->cfg);
		for (i = 0; !ret && i < n; i++) {
			ret = pci_setup_add(vm, kind, i, &d);
			if (!ret && kind->console_input)
				vm->dev.console = (struct console_sink){
					.input = kind->console_input, .opaque = d->vd,
				};
		}
	}
	return ret ? ret : bus_start(vm, vm->dev.pci);
}

void pci_teardown(struct vm *vm)
{
	struct vm_pci *bus = vm->dev.pci;

	if (!bus)
		return;
	vm->dev.console = (struct console_sink){ 0 };
	/* no device code runs once its loop stops (the vCPUs are gone) */
	while (bus->nr)
		pci_setup_remove(vm, bus->devs[bus->nr - 1]);
	pci_host_destroy(&bus->host);
	kvm_irq_router_destroy(&bus->router);
	free(bus);
	vm->dev.pci = NULL;
	if (vm->dev.q35) {
		q35_destroy(vm->dev.q35);
		free(vm->dev.q35);
		vm->dev.q35 = NULL;
	}
}
