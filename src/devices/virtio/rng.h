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

int rng_dev_create(struct rng_dev *r, const char *name, bool access_platform,
		   const struct guest_mem *mem, struct platform *plat);
void rng_dev_destroy(struct rng_dev *r);

/* Fill the chain's writable buffers; returns the bytes written. */
uint32_t rng_fill(struct vq_chain *c);

#endif
