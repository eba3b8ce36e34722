// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk requests from a hostile ring, through the transport, against
 * a 64 KiB in-memory image (read-only when byte 3 is odd) filled with a
 * pattern, so that writing zeroes or discarding changes it too.  A
 * read-only image must stay as it was, no image may grow (a request past
 * the end), the device writes only the used ring and writable buffers
 * (vfuzz_check); the host must survive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio/blk.h"
#include "vfuzz.h"

#define IMAGE	(64u << 10)
#define FILL	0x5a

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *b;

static uint8_t img[IMAGE];

/* A memfd holding the image, every byte FILL; -1 if not. */
static int image_create(void)
{
	int fd = memfd_create("fuzz-disk", MFD_CLOEXEC);

	memset(img, FILL, IMAGE);
	if (fd >= 0 && pwrite(fd, img, IMAGE, 0) != IMAGE) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* No request may grow the image; on a read-only disk none may change it. */
static void check_image(int fd, bool readonly)
{
	struct stat st;
	size_t i;

	if (fstat(fd, &st) || st.st_size != IMAGE) {
		fprintf(stderr, "fuzz_virtio_blk: the image grew to %lld bytes\n",
			(long long)st.st_size);
		abort();
	}
	if (!readonly)
		return;
	if (pread(fd, img, IMAGE, 0) != IMAGE)
		abort();
	for (i = 0; i < IMAGE; i++)
		if (img[i] != FILL) {
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
	fd = image_create();
	if (fd < 0) {
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
	check_image(fd, f.extra & 1);
	virtio_dev_free(b);
	vfuzz_end(&f);
	return 0;
}
