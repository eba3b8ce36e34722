/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VSOCK_LISTENER_H
#define CVMM_DEVICES_VIRTIO_VSOCK_LISTENER_H

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
struct vsock_listener {
	int fd;
	char *path;		/* NULL: not open */
	dev_t dev;		/* the socket file we bound */
	ino_t ino;
};

/*
 * Bind and listen on @path: 0, or -errno with the reason in @err
 * (-EADDRINUSE: a live socket is there, -EEXIST: a file that is not a
 * socket).
 */
int vsock_listener_open(struct vsock_listener *l, const char *path, struct dev_err *err);
/* Close, and remove the socket file if it is still ours.  Idempotent. */
void vsock_listener_close(struct vsock_listener *l);

#endif
