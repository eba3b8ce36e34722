// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/platform_kvm.h"
#include "util/log.h"

int kvm_irq_router_init(struct kvm_irq_router *r, struct vm *v, bool split)
{
	struct kvm_vm *vm = &v->kvm;

	memset(r, 0, sizeof(*r));
	r->vm = v;
	r->split = split;
	pthread_mutex_init(&r->lock, NULL);
	r->routing_ok = kvm_vm_check_extension(vm, KVM_CAP_IRQ_ROUTING) > 0;
	r->irqfd_ok = kvm_vm_check_extension(vm, KVM_CAP_IRQFD) > 0;
	r->signal_msi_ok = kvm_vm_check_extension(vm, KVM_CAP_SIGNAL_MSI) > 0;
	r->ioeventfd_ok = kvm_vm_check_extension(vm, KVM_CAP_IOEVENTFD) > 0;
	r->ioeventfd_any_len =
		kvm_vm_check_extension(vm, KVM_CAP_IOEVENTFD_ANY_LENGTH) > 0 ||
		kvm_vm_check_extension(vm, KVM_CAP_IOEVENTFD_NO_LENGTH) > 0;
	return 0;
}

void kvm_irq_router_destroy(struct kvm_irq_router *r)
{
	pthread_mutex_destroy(&r->lock);
}

static void route_irqchip(struct kvm_irq_routing_entry *e, uint32_t gsi,
			  uint32_t chip, uint32_t pin)
{
	memset(e, 0, sizeof(*e));
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

/* Rewrite KVM's routing table: the irqchip defaults, then the MSIs. */
static int router_commit(struct kvm_irq_router *r)
{
	struct kvm_irq_routing *t;
	unsigned int i, n = 0, max = 16 + KVM_ROUTER_IOAPIC_PINS + r->nr_msi;
	int ret;

	t = calloc(1, sizeof(*t) + max * sizeof(t->entries[0]));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < KVM_ROUTER_IOAPIC_PINS && !r->split; i++) {
		route_irqchip(&t->entries[n++], i, KVM_IRQCHIP_IOAPIC, i);
		if (i < 16)
			route_irqchip(&t->entries[n++], i,
				      i < 8 ? KVM_IRQCHIP_PIC_MASTER : KVM_IRQCHIP_PIC_SLAVE,
				      i % 8);
	}
	for (i = 0; i < r->nr_msi; i++) {
		struct kvm_irq_routing_entry *e;

		if (!r->used[i])
			continue;
		e = &t->entries[n++];
		e->gsi = KVM_ROUTER_IOAPIC_PINS + i;
		e->type = KVM_IRQ_ROUTING_MSI;
		e->u.msi.address_lo = (uint32_t)r->msg[i].addr;
		e->u.msi.address_hi = (uint32_t)(r->msg[i].addr >> 32);
		e->u.msi.data = r->msg[i].data;
	}
	t->nr = n;
	ret = kvm_vm_ioctl(&r->vm->kvm, KVM_SET_GSI_ROUTING, t);
	free(t);
	return ret < 0 ? ret : 0;
}

static struct platform_kvm *pk(struct platform *p)
{
	return p->priv;
}

static int kvm_ioeventfd(struct kvm_irq_router *r, uint64_t addr, int fd,
			 bool assign)
{
	struct kvm_ioeventfd io = {
		.addr = addr,
		.len = r->ioeventfd_any_len ? 0 : 2,
		.fd = fd,
		.flags = assign ? 0 : KVM_IOEVENTFD_FLAG_DEASSIGN,
	};
	int ret;

	if (!r->ioeventfd_ok)
		return -ENOTSUP;
	ret = kvm_vm_ioctl(&r->vm->kvm, KVM_IOEVENTFD, &io);
	return ret < 0 ? ret : 0;
}

static int pk_ioeventfd_add(struct platform *p, uint64_t addr, int fd)
{
	return kvm_ioeventfd(pk(p)->router, addr, fd, true);
}

static void pk_ioeventfd_del(struct platform *p, uint64_t addr, int fd)
{
	int ret = kvm_ioeventfd(pk(p)->router, addr, fd, false);

	if (ret && ret != -ENOTSUP)
		log_debug("KVM_IOEVENTFD deassign 0x%llx: %s",
			  (unsigned long long)addr, strerror(-ret));
}

static int kvm_irqfd(struct kvm_irq_router *r, int fd, uint32_t gsi,
		     bool assign)
{
	struct kvm_irqfd irqfd = {
		.fd = (uint32_t)fd,
		.gsi = gsi,
		.flags = assign ? 0 : KVM_IRQFD_FLAG_DEASSIGN,
	};
	int ret = kvm_vm_ioctl(&r->vm->kvm, KVM_IRQFD, &irqfd);

	return ret < 0 ? ret : 0;
}

static int pk_msi_route_add(struct platform *p, int fd,
			    const struct msi_msg *msg)
{
	struct kvm_irq_router *r = pk(p)->router;
	unsigned int i;
	int ret;

	if (!r->routing_ok || !r->irqfd_ok)
		return -ENOTSUP;
	pthread_mutex_lock(&r->lock);
	for (i = 0; i < KVM_ROUTER_MAX_MSI && r->used[i]; i++)
		;
	if (i == KVM_ROUTER_MAX_MSI) {
		pthread_mutex_unlock(&r->lock);
		return -ENOSPC;
	}
	r->used[i] = true;
	r->msg[i] = *msg;
	if (i >= r->nr_msi)
		r->nr_msi = i + 1;
	ret = router_commit(r);
	if (!ret)
		ret = kvm_irqfd(r, fd, KVM_ROUTER_IOAPIC_PINS + i, true);
	if (ret) {
		r->used[i] = false;
		router_commit(r);
	}
	pthread_mutex_unlock(&r->lock);
	return ret ? ret : (int)i;
}

static int pk_msi_route_update(struct platform *p, int route,
			       const struct msi_msg *msg)
{
	struct kvm_irq_router *r = pk(p)->router;
	int ret;

	if (route < 0 || route >= KVM_ROUTER_MAX_MSI)
		return -EINVAL;
	pthread_mutex_lock(&r->lock);
	if (!r->used[route]) {
		ret = -ENOENT;
	} else if (r->msg[route].addr == msg->addr &&
		   r->msg[route].data == msg->data) {
		ret = 0;
	} else {
		r->msg[route] = *msg;
		ret = router_commit(r);
	}
	pthread_mutex_unlock(&r->lock);
	return ret;
}

static void pk_msi_route_del(struct platform *p, int route, int fd)
{
	struct kvm_irq_router *r = pk(p)->router;

	if (route < 0 || route >= KVM_ROUTER_MAX_MSI)
		return;
	pthread_mutex_lock(&r->lock);
	if (r->used[route]) {
		kvm_irqfd(r, fd, KVM_ROUTER_IOAPIC_PINS + (uint32_t)route, false);
		r->used[route] = false;
		while (r->nr_msi && !r->used[r->nr_msi - 1])
			r->nr_msi--;
		router_commit(r);
	}
	pthread_mutex_unlock(&r->lock);
}

static int pk_msi_signal(struct platform *p, const struct msi_msg *msg)
{
	struct kvm_irq_router *r = pk(p)->router;
	struct kvm_msi m = {
		.address_lo = (uint32_t)msg->addr,
		.address_hi = (uint32_t)(msg->addr >> 32),
		.data = msg->data,
	};
	int ret;

	if (!r->signal_msi_ok)
		return -ENOTSUP;
	ret = kvm_vm_ioctl(&r->vm->kvm, KVM_SIGNAL_MSI, &m);
	return ret < 0 ? ret : 0;
}

static int pk_irq_set(struct platform *p, uint32_t gsi, int level)
{
	return irqchip_set_level(&pk(p)->router->vm->irqchip, gsi, level);
}

static int pk_watch(struct platform *p, int fd, uint32_t events,
		    platform_fd_fn fn, void *opaque)
{
	return evloop_add(pk(p)->loop, fd, events, fn, opaque);
}

static int pk_watch_mod(struct platform *p, int fd, uint32_t events)
{
	return evloop_mod(pk(p)->loop, fd, events);
}

static void pk_unwatch(struct platform *p, int fd)
{
	evloop_del(pk(p)->loop, fd);
}

static const struct platform_ops platform_kvm_ops = {
	.ioeventfd_add = pk_ioeventfd_add,
	.ioeventfd_del = pk_ioeventfd_del,
	.msi_route_add = pk_msi_route_add,
	.msi_route_update = pk_msi_route_update,
	.msi_route_del = pk_msi_route_del,
	.msi_signal = pk_msi_signal,
	.irq_set = pk_irq_set,
	.watch = pk_watch,
	.watch_mod = pk_watch_mod,
	.unwatch = pk_unwatch,
};

void platform_kvm_init(struct platform_kvm *p, struct kvm_irq_router *r,
		       struct evloop *loop)
{
	p->plat.ops = &platform_kvm_ops;
	p->plat.priv = p;
	p->router = r;
	p->loop = loop;
}
