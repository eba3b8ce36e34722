// SPDX-License-Identifier: GPL-2.0-only
#include "machine/pci_setup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "devices/pci/pci_host.h"
#include "devices/virtio/blk.h"
#include "devices/virtio/console.h"
#include "devices/virtio/net.h"
#include "devices/virtio/rng.h"
#include "devices/virtio/vsock.h"
#include "machine/coco.h"
#include "machine/evloop.h"
#include "machine/machine.h"
#include "machine/platform_kvm.h"
#include "util/log.h"

enum pci_kind { DEV_BLK, DEV_NET, DEV_RNG, DEV_VSOCK, DEV_CONSOLE };

#define MAX_DEVS	(CONFIG_MAX_BLK + CONFIG_MAX_NET + 3)

struct pci_slot {
	enum pci_kind kind;
	char name[16];
	struct evloop *loop;
	struct platform_kvm plat;
	union {
		struct blk_dev *blk;
		struct net_dev *net;
		struct rng_dev *rng;
		struct vsock_dev *vsock;
		struct console_dev *con;
		void *any;
	} u;
};

struct vm_pci {
	struct pci_host host;
	struct kvm_irq_router router;
	struct platform_kvm bridge_plat;	/* INTx levels only */
	struct pci_slot devs[MAX_DEVS];
	unsigned int nr;
};

static bool wants_pci(const struct vm_config *cfg)
{
	return cfg->nr_blk || cfg->nr_net || cfg->vsock.enabled || cfg->entropy ||
	       cfg->console.kind == CONSOLE_VIRTIO;
}

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

static void slot_destroy(struct pci_slot *s)
{
	if (!s->u.any)
		return;
	switch (s->kind) {
	case DEV_BLK:
		blk_dev_destroy(s->u.blk);
		break;
	case DEV_NET:
		net_dev_destroy(s->u.net);
		break;
	case DEV_RNG:
		rng_dev_destroy(s->u.rng);
		break;
	case DEV_VSOCK:
		vsock_dev_destroy(s->u.vsock);
		break;
	case DEV_CONSOLE:
		console_dev_destroy(s->u.con);
		break;
	}
	free(s->u.any);
	s->u.any = NULL;
}

static struct pci_dev *slot_pci(struct pci_slot *s)
{
	switch (s->kind) {
	case DEV_BLK:
		return &s->u.blk->vd.pci;
	case DEV_NET:
		return &s->u.net->vd.pci;
	case DEV_RNG:
		return &s->u.rng->vd.pci;
	case DEV_VSOCK:
		return &s->u.vsock->vd.pci;
	case DEV_CONSOLE:
		return &s->u.con->vd.pci;
	}
	return NULL;
}

/* Create device number @i of @kind in a new slot. */
static int add_device(struct vm *vm, struct vm_pci *st, enum pci_kind kind,
		      unsigned int i)
{
	const struct vm_config *cfg = vm->cfg;
	bool coco = cfg->coco.type != COCO_NONE;
	struct pci_slot *s = &st->devs[st->nr];
	int ret;

	s->kind = kind;
	switch (kind) {
	case DEV_BLK:
		snprintf(s->name, sizeof(s->name), "virtio-blk%u", i);
		break;
	case DEV_NET:
		snprintf(s->name, sizeof(s->name), "virtio-net%u", i);
		break;
	case DEV_RNG:
		snprintf(s->name, sizeof(s->name), "virtio-rng");
		break;
	case DEV_VSOCK:
		snprintf(s->name, sizeof(s->name), "virtio-vsock");
		break;
	case DEV_CONSOLE:
		snprintf(s->name, sizeof(s->name), "virtio-con");
		break;
	}
	ret = evloop_create(&s->loop, s->name);
	if (ret) {
		log_err(s->name, "cannot create the event loop: %s", strerror(-ret));
		return ret;
	}
	st->nr++;
	platform_kvm_init(&s->plat, &st->router, s->loop);

	switch (kind) {
	case DEV_BLK: {
		struct blk_dev_config bc = {
			.image = &vm->machine->disks[i], .access_platform = coco,
			.name = s->name,
		};

		s->u.blk = calloc(1, sizeof(*s->u.blk));
		if (!s->u.blk)
			return -ENOMEM;
		ret = blk_dev_create(s->u.blk, &bc, &vm->mem, &s->plat.plat);
		break;
	}
	case DEV_NET: {
		struct net_config_dev nc = {
			.tap = cfg->net[i].tap,
			.mac = cfg->net[i].have_mac ? cfg->net[i].mac : NULL,
			.mtu = cfg->net[i].mtu, .access_platform = coco, .name = s->name,
		};

		s->u.net = calloc(1, sizeof(*s->u.net));
		if (!s->u.net)
			return -ENOMEM;
		ret = net_dev_create(s->u.net, &nc, &vm->mem, &s->plat.plat);
		break;
	}
	case DEV_RNG:
		s->u.rng = calloc(1, sizeof(*s->u.rng));
		if (!s->u.rng)
			return -ENOMEM;
		ret = rng_dev_create(s->u.rng, s->name, coco, &vm->mem, &s->plat.plat);
		if (ret)
			log_err("--entropy", "cannot create the virtio-rng device: %s",
				strerror(-ret));
		break;
	case DEV_VSOCK:
		s->u.vsock = calloc(1, sizeof(*s->u.vsock));
		if (!s->u.vsock)
			return -ENOMEM;
		/* says why itself */
		ret = vsock_dev_create(s->u.vsock, cfg->vsock.cid, &vm->machine->vsock,
				       coco, &vm->mem, &s->plat.plat);
		break;
	case DEV_CONSOLE:
		s->u.con = calloc(1, sizeof(*s->u.con));
		if (!s->u.con)
			return -ENOMEM;
		ret = console_dev_create(s->u.con, vm->machine->console.out_fd, coco,
					 &vm->mem, &s->plat.plat);
		if (ret)
			log_err("--console", "cannot create the virtio-console device: %s",
				strerror(-ret));
		break;
	}
	if (ret) {
		free(s->u.any);		/* the create function cleaned up */
		s->u.any = NULL;
		return ret;
	}
	ret = pci_host_add_dev(&st->host, slot_pci(s), 0);
	if (ret < 0) {
		log_err(s->name, "no room on the PCI bus: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

static int pci_build(struct vm *vm, struct vm_pci *st)
{
	const struct vm_config *cfg = vm->cfg;
	struct pci_host_config hc = {
		.mmio_start = PCI_MMIO32_START,
		.mmio_end = PCI_MMIO32_END,
		.ecam_base = PCI_ECAM_START,
		.ecam_size = PCI_ECAM_SIZE,
		.intx_gsi = PCI_INTX_GSIS,
		/* pulses on shared lines: needed on edge pins, harmless on level */
		.intx_edge = true,
	};
	unsigned int i;
	int ret;

	kvm_irq_router_init(&st->router, vm, vm->coco_props.split_irqchip);
	platform_kvm_init(&st->bridge_plat, &st->router, NULL);
	ret = pci_host_init(&st->host, &hc, &st->bridge_plat.plat);
	if (ret)
		return log_errno("pci", ret);
	for (i = 0; i < cfg->nr_blk && !ret; i++)
		ret = add_device(vm, st, DEV_BLK, i);
	for (i = 0; i < cfg->nr_net && !ret; i++)
		ret = add_device(vm, st, DEV_NET, i);
	if (!ret && cfg->entropy)
		ret = add_device(vm, st, DEV_RNG, 0);
	if (!ret && cfg->vsock.enabled)
		ret = add_device(vm, st, DEV_VSOCK, 0);
	if (!ret && cfg->console.kind == CONSOLE_VIRTIO)
		ret = add_device(vm, st, DEV_CONSOLE, 0);
	if (ret)
		return ret;
	ret = pci_host_register(&st->host, &vm->pio, &vm->mmio);
	if (ret) {
		log_err("pci", "cannot claim the configuration ports, ECAM or MMIO window: %s",
			strerror(-ret));
		return ret;
	}
	for (i = 0; i < st->nr; i++) {
		ret = evloop_start(st->devs[i].loop);
		if (ret) {
			log_err(st->devs[i].name, "cannot start the event loop thread: %s",
				strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int pci_setup(struct vm *vm)
{
	struct vm_pci *st;
	unsigned int i;
	int ret;

	if (!wants_pci(vm->cfg))
		return 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		return log_errno("pci", -ENOMEM);
	vm->dev.pci = st;
	ret = pci_build(vm, st);
	if (ret)
		return ret;	/* vm_destroy() calls pci_teardown() */
	for (i = 0; i < st->nr; i++) {
		if (st->devs[i].kind == DEV_CONSOLE) {
			vm->dev.console = (struct console_sink){
				.input = console_dev_input, .opaque = st->devs[i].u.con,
			};
		}
	}
	return 0;
}

void pci_teardown(struct vm *vm)
{
	struct vm_pci *st = vm->dev.pci;
	unsigned int i;

	if (!st)
		return;
	vm->dev.console = (struct console_sink){ 0 };
	/* no device code runs once the loops stop (the vCPUs are gone) */
	for (i = 0; i < st->nr; i++)
		evloop_stop(st->devs[i].loop);
	for (i = 0; i < st->nr; i++) {
		slot_destroy(&st->devs[i]);
		evloop_destroy(st->devs[i].loop);
	}
	pci_host_destroy(&st->host);
	kvm_irq_router_destroy(&st->router);
	free(st);
	vm->dev.pci = NULL;
}
