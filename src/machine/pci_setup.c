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
#include "machine/devices.h"
#include "machine/evloop.h"
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

void pci_setup_describe_acpi(const struct vm *vm, struct acpi_config *ac)
{
	static const uint32_t gsi[4] = PCI_INTX_GSIS;

	if (!vm->dev.pci)
		return;
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
		.access_platform = vm->cfg->coco.type != COCO_NONE,
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
	ret = pci_host_init(&bus->host, &hc, &bus->bridge_plat.plat);
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

	if (!vm_devices_wanted(vm->cfg))
		return 0;
	vm->dev.pci = calloc(1, sizeof(*vm->dev.pci));
	if (!vm->dev.pci)
		return log_errno("pci", -ENOMEM);
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
}
