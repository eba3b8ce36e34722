/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_CONSOLE_H
#define CVMM_DEVICES_VIRTIO_CONSOLE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/virtio/virtio.h"

/*
 * virtio-console (5.3), one port (no MULTIPORT): what the guest transmits
 * goes to @out_fd; bytes handed to console_dev_input() (the host
 * keyboard, from the main thread) are buffered and delivered into the
 * receive queue as the driver offers buffers.  EMERG_WRITE is supported.
 */

#define VIRTIO_CONSOLE_F_EMERG_WRITE	2
#define VIRTIO_CONSOLE_CFG_SIZE		12
#define VIRTIO_CONSOLE_QUEUE_SIZE	128
#define VIRTIO_CONSOLE_IN_BUF		4096
#define VIRTIO_CONSOLE_MAX_CHAIN	(1u << 20)
#define VIRTIO_CONSOLE_RXQ		0
#define VIRTIO_CONSOLE_TXQ		1

struct console_dev {
	struct virtio_dev vd;
	int out_fd;			/* -1: discard */
	pthread_mutex_t in_lock;	/* the input buffer */
	uint8_t in[VIRTIO_CONSOLE_IN_BUF];
	size_t in_head, in_len;
	int in_event;			/* eventfd: input arrived */
	uint64_t out_bytes;		/* statistics */
};

/* A device writing to @out_fd; virtio_dev_free() destroys it.  0 or -errno. */
int console_dev_create(int out_fd, const struct virtio_dev_env *env, struct virtio_dev **out);

static inline struct console_dev *console_of(struct virtio_dev *vd)
{
	return (struct console_dev *)vd;	/* vd is its first member */
}

/*
 * Queue host input for the guest (any thread); returns bytes accepted.
 * @opaque: the device (struct virtio_dev *).
 */
size_t console_dev_input(void *opaque, const uint8_t *buf, size_t len);

/* Write the chain's readable bytes to @fd (-1: count only); returns them. */
uint64_t console_tx_chain(int fd, const struct vq_chain *c);

#endif
