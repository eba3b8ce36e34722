// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-blk requests from a hostile ring, through the transport, against
 * a 64 KiB in-memory image (read-only when byte 3 is odd).  The image may
 * change only through writes the guest made; the host must survive.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "devices/virtio/blk.h"
#include "vfuzz.h"

#define IMAGE	(64u << 10)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *b;

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
	virtio_dev_free(b);
	vfuzz_end(&f);
	return 0;
}
