/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_PLATFORM_H
#define CVMM_DEVICES_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The services a device model needs from the hypervisor and the host,
 * without seeing a KVM file descriptor:
 *
 *   - ioeventfds: a guest write to an MMIO address signals an eventfd
 *     inside KVM, without an exit to user space (virtio queue kicks);
 *   - MSI routes: an eventfd bound to an MSI message (irqfd + GSI
 *     routing), so a device thread raises an interrupt by writing the
 *     eventfd; and the direct way, signalling one MSI message;
 *   - INTx lines: set the level of a GSI;
 *   - host fd watches: callbacks on the device's event loop thread when a
 *     host fd (eventfd, tap, socket) becomes ready.
 *
 * machine/platform_kvm.c implements it with KVM_IOEVENTFD, KVM_IRQFD,
 * KVM_SET_GSI_ROUTING, KVM_SIGNAL_MSI, KVM_IRQ_LINE and an epoll loop
 * (machine/evloop.c); unit tests and fuzzers use a fake that records the
 * calls.  Each device gets its own struct platform, whose watches run on
 * that device's event loop thread.
 *
 * Every function returns 0 (or a handle >= 0) or a negative errno; the
 * *_del functions cannot fail.
 */

struct msi_msg {
	uint64_t addr;
	uint32_t data;
};

/* Event bits of watch(): the same values as EPOLLIN/EPOLLOUT/... */
#define PLAT_EV_IN	0x001u
#define PLAT_EV_OUT	0x004u
#define PLAT_EV_ERR	0x008u
#define PLAT_EV_HUP	0x010u

typedef void (*platform_fd_fn)(void *opaque, uint32_t events);

struct platform;

struct platform_ops {
	/*
	 * Guest writes of any width at MMIO address @addr signal @fd
	 * (the data is ignored).  -ENOTSUP when unavailable: the device then
	 * sees the write as an ordinary MMIO exit.
	 */
	int (*ioeventfd_add)(struct platform *p, uint64_t addr, int fd);
	void (*ioeventfd_del)(struct platform *p, uint64_t addr, int fd);

	/* Writing to @fd injects @msg; returns a route handle. */
	int (*msi_route_add)(struct platform *p, int fd, const struct msi_msg *msg);
	int (*msi_route_update)(struct platform *p, int route, const struct msi_msg *msg);
	void (*msi_route_del)(struct platform *p, int route, int fd);
	/* Inject @msg once, now. */
	int (*msi_signal)(struct platform *p, const struct msi_msg *msg);

	/* INTx: set the level of GSI @gsi (1 asserted, 0 not). */
	int (*irq_set)(struct platform *p, uint32_t gsi, int level);

	/*
	 * Call @fn(@opaque, events) on the device's event loop thread while
	 * @fd is ready for @events (level triggered).  watch_mod changes the
	 * events (0 pauses the watch); unwatch may be called from the loop
	 * thread itself, or from another thread once the loop is stopped.
	 */
	int (*watch)(struct platform *p, int fd, uint32_t events,
		     platform_fd_fn fn, void *opaque);
	int (*watch_mod)(struct platform *p, int fd, uint32_t events);
	void (*unwatch)(struct platform *p, int fd);
};

struct platform {
	const struct platform_ops *ops;
	void *priv;
};

#endif
