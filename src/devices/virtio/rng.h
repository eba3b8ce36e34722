/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_RNG_H
#define CVMM_DEVICES_VIRTIO_RNG_H

#include "devices/virtio/virtio.h"

/*
 * virtio-rng (5.4): every device-writable buffer the driver offers is
 * filled from getrandom(2), at most VIRTIO_RNG_MAX_CHAIN bytes per chain.
 */

#define VIRTIO_RNG_QUEUE_SIZE	64
#define VIRTIO_RNG_MAX_CHAIN	65536

struct rng_dev {
	struct virtio_dev vd;
	uint64_t bytes;		/* statistics */
};

/* A virtio-rng device; virtio_dev_free() destroys it.  0 or -errno. */
int rng_dev_create(const struct virtio_dev_env *env, struct virtio_dev **out);

static inline struct rng_dev *rng_of(struct virtio_dev *vd)
{
	return (struct rng_dev *)vd;	/* vd is its first member */
}

/* Fill the chain's writable buffers; returns the bytes written. */
uint32_t rng_fill(struct vq_chain *c);

#endif
