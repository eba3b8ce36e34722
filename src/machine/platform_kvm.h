/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_MACHINE_PLATFORM_KVM_H
#define CVMM_MACHINE_PLATFORM_KVM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/platform.h"
#include "kvm/kvm.h"
#include "machine/evloop.h"
#include "machine/vm.h"

/*
 * The KVM implementation of struct platform (devices/platform.h).
 *
 * One struct kvm_irq_router per VM owns the GSI routing table: the
 * default routes KVM installs with the in-kernel irqchip (GSI 0-15 to
 * both PICs and the IOAPIC, 16-23 to the IOAPIC) followed by one MSI
 * route per device vector in use, rewritten with KVM_SET_GSI_ROUTING
 * whenever a route changes.  Each device gets a struct platform_kvm
 * bound to the router and to the event loop its watches run on.
 *
 * With a split irqchip (the IOAPIC and PIC are cvmm's) the table holds
 * the MSI routes only.  INTx levels go to the VM's irqchip
 * (machine/irqchip.h), as the legacy devices' do.
 */

#define KVM_ROUTER_IOAPIC_PINS	24
#define KVM_ROUTER_MAX_MSI	512

struct kvm_irq_router {
	struct vm *vm;
	bool split;			/* no in-kernel IOAPIC/PIC */
	pthread_mutex_t lock;
	bool routing_ok;		/* KVM_CAP_IRQ_ROUTING */
	bool irqfd_ok;			/* KVM_CAP_IRQFD */
	bool signal_msi_ok;		/* KVM_CAP_SIGNAL_MSI */
	bool ioeventfd_ok;		/* KVM_CAP_IOEVENTFD */
	bool ioeventfd_any_len;		/* KVM_CAP_IOEVENTFD_ANY_LENGTH */
	/* MSI routes: GSI KVM_ROUTER_IOAPIC_PINS + index */
	bool used[KVM_ROUTER_MAX_MSI];
	struct msi_msg msg[KVM_ROUTER_MAX_MSI];
	unsigned int nr_msi;		/* highest used index + 1 */
};

int kvm_irq_router_init(struct kvm_irq_router *r, struct vm *vm, bool split);
void kvm_irq_router_destroy(struct kvm_irq_router *r);

struct platform_kvm {
	struct platform plat;		/* plat.priv == this */
	struct kvm_irq_router *router;
	struct evloop *loop;
};

void platform_kvm_init(struct platform_kvm *p, struct kvm_irq_router *r,
		       struct evloop *loop);

#endif
