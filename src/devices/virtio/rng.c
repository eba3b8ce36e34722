// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "devices/virtio/rng.h"
#include "util/compiler.h"

uint32_t rng_fill(struct vq_chain *c)
{
	uint32_t done = 0;
	unsigned int i;

	for (i = c->nr_out; i < c->nr && done < VIRTIO_RNG_MAX_CHAIN; i++) {
		const struct vq_buf *b = &c->bufs[i];
		uint32_t want = MIN(b->len, (uint32_t)VIRTIO_RNG_MAX_CHAIN - done);
		uint32_t got = 0;

		while (got < want) {
			ssize_t n = getrandom((uint8_t *)b->hva + got, want - got, 0);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				return done + got;
			}
			got += (uint32_t)n;
		}
		done += got;
	}
	return done;
}

static int rng_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	struct rng_dev *r = rng_of(vd);
	uint32_t n = rng_fill(c);

	r->bytes += n;
	return (int)n;
}

static void rng_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_process(vd, q, rng_chain, NULL);
}

static void rng_destroy(struct virtio_dev *vd)
{
	virtio_dev_destroy(vd);
	free(rng_of(vd));
}

static const struct virtio_dev_ops rng_ops = {
	.queue_notify = rng_queue_notify,
	.destroy = rng_destroy,
};

int rng_dev_create(const struct virtio_dev_env *env, struct virtio_dev **out)
{
	struct virtio_dev_info info = {
		.name = env->name ? env->name : "virtio-rng",
		.id = VIRTIO_ID_RNG,
		.pci_class = 0x00ff00,
		.nr_queues = 1,
		.queue_max = VIRTIO_RNG_QUEUE_SIZE,
		.access_platform = env->access_platform,
		.ops = &rng_ops,
	};
	struct rng_dev *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return -ENOMEM;
	ret = virtio_dev_init(&r->vd, &info, env->mem, env->plat);
	if (ret) {
		rng_destroy(&r->vd);
		return ret;
	}
	*out = &r->vd;
	return 0;
}
