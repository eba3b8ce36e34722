/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VSOCK_SERVICE_H
#define CVMM_DEVICES_VIRTIO_VSOCK_SERVICE_H

#include <stdint.h>

#include "devices/virtio/vsock_listener.h"

/*
 * A vsock host port served inside cvmm rather than by a host program on
 * "<uds>_<port>": every guest connection to CID 2, @port gets an AF_UNIX
 * socketpair; the virtio-vsock device keeps one end as the connection's
 * host socket (exactly as if it had connected to "<uds>_<port>"), and a
 * worker thread runs @serve(@opaque, fd) on the other end, then closes it.
 * @serve reads and writes a plain blocking stream socket; it should bound
 * its own waits (the guest may never send), and it sees EOF when the
 * service is destroyed.
 *
 * At most @max_workers connections are served at once; one more is
 * refused (the guest gets RST).  The service outlives guest resets (the
 * machine holds it with the vsock listener); vsock_service_destroy() shuts
 * every open connection down and joins the workers.
 */
struct vsock_service;

typedef void (*vsock_serve_fn)(void *opaque, int fd);

int vsock_service_create(uint32_t port, vsock_serve_fn serve, void *opaque,
			 unsigned int max_workers, struct vsock_service **out);
/* Register @s with @l (vsock_listener_add_service()): 0 or -errno. */
int vsock_service_attach(struct vsock_service *s, struct vsock_listener *l);
/* Connections served so far (tests). */
unsigned long vsock_service_count(struct vsock_service *s);
void vsock_service_destroy(struct vsock_service *s);

#endif
