// SPDX-License-Identifier: GPL-2.0-only
/* virtio-rng from a hostile ring: at most 64 KiB per chain, never more. */
#include <stdlib.h>

#include "devices/virtio/rng.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *rng;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfuzz f;
	unsigned int i;

	if (!vfuzz_begin(&f, data, size))
		return 0;
	if (rng_dev_create(&(struct virtio_dev_env){ .access_platform = f.extra & 1,
						    .mem = &f.mem, .plat = &f.fp.plat }, &rng)) {
		vfuzz_end(&f);
		return 0;
	}
	vfuzz_start(&f, rng, 1);
	for (i = 0; i < f.rounds; i++)
		vfuzz_kick(&f, rng, 0);
	if (rng_of(rng)->bytes > (uint64_t)VIRTIO_RNG_MAX_CHAIN * 8 * 256 * 2)
		abort();
	vfuzz_check(&f, 1);
	virtio_dev_free(rng);
	vfuzz_end(&f);
	return 0;
}
