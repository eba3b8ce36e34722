// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-console from a hostile ring: transmit chains go to /dev/null,
 * byte 3 bytes of host input wait for the receive queue.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "devices/virtio/console.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *con;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t input[256];
	struct vfuzz f;
	unsigned int i;
	int out = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (out < 0)
		return 0;
	if (!vfuzz_begin(&f, data, size) ||
	    console_dev_create(out, &(struct virtio_dev_env){ .mem = &f.mem, .plat = &f.fp.plat },
			       &con)) {
		if (size >= VFUZZ_HDR)
			vfuzz_end(&f);
		close(out);
		return 0;
	}
	vfuzz_start(&f, con, 2);
	memset(input, 'k', sizeof(input));
	console_dev_input(con, input, f.extra);
	for (i = 0; i < f.rounds; i++) {
		vfuzz_kick(&f, con, 0);
		vfuzz_kick(&f, con, 1);
	}
	vfuzz_check(&f, 2);
	virtio_dev_free(con);
	close(out);
	vfuzz_end(&f);
	return 0;
}
