// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-net transmit and receive from a hostile ring, with a packet
 * socket pair standing in for the tap: the host side sends a frame of
 * byte 3 * 8 bytes before each round and drains what the guest sent.
 */
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/virtio/net.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtio_dev *n;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_dev_config nc = { .tap = "fuzz", .mtu = 1500 };
	static uint8_t frame[2048];
	struct vfuzz f;
	unsigned int i;
	int sv[2];

	if (!vfuzz_begin(&f, data, size))
		return 0;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv)) {
		vfuzz_end(&f);
		return 0;
	}
	if (net_dev_create_fd(sv[0], &nc, &(struct virtio_dev_env){ .mem = &f.mem,
			      .plat = &f.fp.plat }, &n)) {
		close(sv[1]);
		vfuzz_end(&f);
		return 0;
	}
	vfuzz_start(&f, n, 2);
	memset(frame, 0x5a, sizeof(frame));
	for (i = 0; i < f.rounds; i++) {
		if (send(sv[1], frame, (size_t)f.extra * 8 + 1, 0) < 0) {
			/* the socket is full: fine */
		}
		vfuzz_kick(&f, n, 0);
		vfuzz_kick(&f, n, 1);
		while (recv(sv[1], frame, sizeof(frame), 0) > 0)
			;
	}
	vfuzz_check(&f, 2);
	virtio_dev_free(n);
	close(sv[1]);
	vfuzz_end(&f);
	return 0;
}
