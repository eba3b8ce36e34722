// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk requests from a hostile ring, through the transport, against
 * a 64 KiB in-memory image (read-only when byte 3 is odd).  A read-only
 * image must stay as it was; the device writes only the used ring and
 * writable buffers (vfuzz_check); the host must survive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devices/virtio/blk.h"
#include "vfuzz.h"

#define IMAGE	(64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *b;

/* A read-only disk: no request may change the (all-zero) image. */
static void check_untouched(int fd)
{
	static uint8_t img[IMAGE];
	size_t i;

	if (pread(fd, img, IMAGE, 0) != IMAGE)
		abort();
	for (i = 0; i < IMAGE; i++)
		if (img[i]) {
			fprintf(stderr, "fuzz_virtio_blk: a read-only image changed at %zu\n", i);
			abort();
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfuzz f;
	unsigned int i;
	int fd;

	if (!vfuzz_begin(&f, data, size))
		return 0;
	fd = memfd_create("fuzz-disk", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, IMAGE)) {
		if (fd >= 0)
			close(fd);
		vfuzz_end(&f);
		return 0;
	}
	if (blk_dev_create_fd(fd, IMAGE, f.extra & 1,
			      &(struct virtio_dev_env){ .mem = &f.mem, .plat = &f.fp.plat }, &b)) {
		vfuzz_end(&f);
		return 0;
	}
	vfuzz_start(&f, b, 1);
	for (i = 0; i < f.rounds; i++)
		vfuzz_kick(&f, b, 0);
	vfuzz_check(&f, 1);
	if (f.extra & 1)
		check_untouched(fd);
	virtio_dev_free(b);
	vfuzz_end(&f);
	return 0;
}
