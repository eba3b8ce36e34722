// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
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
	struct rng_dev *r = (struct rng_dev *)vd;
	uint32_t n = rng_fill(c);

	r->bytes += n;
	return (int)n;
}

static void rng_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_process(vd, q, rng_chain, NULL);
}

static const struct virtio_dev_ops rng_ops = {
	.queue_notify = rng_queue_notify,
};

int rng_dev_create(struct rng_dev *r, const char *name, bool access_platform,
		   const struct guest_mem *mem, struct platform *plat)
{
	struct virtio_dev_info info = {
		.name = name ? name : "virtio-rng",
		.id = VIRTIO_ID_RNG,
		.pci_class = 0x00ff00,
		.nr_queues = 1,
		.queue_max = VIRTIO_RNG_QUEUE_SIZE,
		.access_platform = access_platform,
		.ops = &rng_ops,
	};
	int ret;

	memset(r, 0, sizeof(*r));
	ret = virtio_dev_init(&r->vd, &info, mem, plat);
	if (ret)
		virtio_dev_destroy(&r->vd);
	return ret;
}

void rng_dev_destroy(struct rng_dev *r)
{
	virtio_dev_destroy(&r->vd);
}
