// SPDX-License-Identifier: GPL-2.0-only
/* virtio-rng from a hostile ring: at most 64 KiB per chain, never more. */
#include <stdlib.h>

#include "devices/virtio/rng.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rng_dev rng;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfuzz f;
	unsigned int i;

	if (!vfuzz_begin(&f, data, size))
		return 0;
	if (rng_dev_create(&rng, NULL, f.extra & 1, &f.mem, &f.fp.plat)) {
		vfuzz_end(&f);
		return 0;
	}
	vfuzz_start(&f, &rng.vd, 1);
	for (i = 0; i < f.rounds; i++)
		vfuzz_kick(&f, &rng.vd, 0);
	if (rng.bytes > (uint64_t)VIRTIO_RNG_MAX_CHAIN * 8 * 256 * 2)
		abort();
	rng_dev_destroy(&rng);
	vfuzz_end(&f);
	return 0;
}
