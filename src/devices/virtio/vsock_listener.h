/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VSOCK_LISTENER_H
#define CVMM_DEVICES_VIRTIO_VSOCK_LISTENER_H

#include <stdint.h>
#include <sys/types.h>

#include "devices/dev_err.h"

/*
 * The host AF_UNIX socket of a hybrid vsock device (--vsock uds=PATH).
 * It belongs to the machine, not to one VM boot: it is created once,
 * survives guest resets (host programs connecting during a reset wait in
 * its backlog) and is lent to each boot's virtio-vsock device.
 *
 * Another cvmm may be using PATH: an existing socket there is probed with
 * connect() first and only a stale one (nobody listening) is replaced;
 * on close the file is removed only if it is still the one we bound.
 */
/*
 * A host port served inside cvmm instead of by "<path>_<port>" (e.g. the
 * simulated platform's report service, sim/sim_tee.h): a guest connection
 * to CID 2, @port calls @connect, which returns the device's end of a
 * connected stream socket (vsock_service.h makes one with a socketpair and
 * a worker thread), or -errno: the guest gets RST.
 */
struct vsock_port_service {
	uint32_t port;
	int (*connect)(void *opaque);
	void *opaque;
};

#define VSOCK_MAX_SERVICES	4

struct vsock_listener {
	int fd;
	char *path;		/* NULL: not open */
	dev_t dev;		/* the socket file we bound */
	ino_t ino;
	/* in-process ports, looked up before "<path>_<port>" */
	struct vsock_port_service services[VSOCK_MAX_SERVICES];
	unsigned int nr_services;
};

/*
 * Bind and listen on @path: 0, or -errno with the reason in @err
 * (-EADDRINUSE: a live socket is there, -EEXIST: a file that is not a
 * socket).
 */
int vsock_listener_open(struct vsock_listener *l, const char *path, struct dev_err *err);
/* Close, and remove the socket file if it is still ours.  Idempotent. */
void vsock_listener_close(struct vsock_listener *l);

/*
 * Serve @s->port in-process (before the devices are created; the entry is
 * copied).  -EEXIST when the port is served already, -ENOSPC beyond
 * VSOCK_MAX_SERVICES.  vsock_listener_close() forgets the services.
 */
int vsock_listener_add_service(struct vsock_listener *l, const struct vsock_port_service *s);
/* The service of @port, or NULL. */
const struct vsock_port_service *vsock_listener_service(const struct vsock_listener *l,
							uint32_t port);

#endif
