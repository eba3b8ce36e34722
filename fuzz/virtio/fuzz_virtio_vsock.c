// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-vsock packets from a hostile ring.  Host port 1 has a listening
 * socket (connections to it succeed and their data piles up), other ports
 * refuse; with byte 3 odd a host client also connects through the device
 * socket and asks for guest port byte 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "devices/virtio/vsock.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct virtio_dev *v;
static struct vsock_listener vl = { .fd = -1 };
static char dir[64], uds[96];
static int listener = -1;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	snprintf(dir, sizeof(dir), "/tmp/cvmm-fuzz-vsock-XXXXXX");
	if (!mkdtemp(dir))
		return 0;
	snprintf(uds, sizeof(uds), "%s/v", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s_1", uds);
	if (vsock_listener_open(&vl, uds, NULL))
		return 0;
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (listener >= 0 && (bind(listener, (struct sockaddr *)&sa, sizeof(sa)) ||
			      listen(listener, 128))) {
		close(listener);
		listener = -1;
	}
	return 0;
}

static void drain_listener(void)
{
	int fd;

	while (listener >= 0 && (fd = accept(listener, NULL, NULL)) >= 0)
		close(fd);
	/* the device socket outlives the device: no leftovers for the next run */
	while (vl.path && (fd = accept(vl.fd, NULL, NULL)) >= 0)
		close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct vfuzz f;
	unsigned int i;
	int host = -1;

	if (!dir[0])
		LLVMFuzzerInitialize(NULL, NULL);
	if (!vfuzz_begin(&f, data, size))
		return 0;
	if (vsock_dev_create(3, &vl, &(struct virtio_dev_env){ .mem = &f.mem, .plat = &f.fp.plat },
			     &v)) {
		vfuzz_end(&f);
		return 0;
	}
	vfuzz_start(&f, v, 3);
	if (f.extra & 1) {
		char line[32];

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", uds);
		host = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (host >= 0 && !connect(host, (struct sockaddr *)&sa, sizeof(sa))) {
			int n = snprintf(line, sizeof(line), "CONNECT %u\nhello", f.extra);

			if (send(host, line, (size_t)n, MSG_NOSIGNAL) < 0) {
				/* the device refused already */
			}
		}
	}
	for (i = 0; i < f.rounds; i++) {
		vfuzz_kick(&f, v, 1);
		vfuzz_kick(&f, v, 0);
		vfuzz_kick(&f, v, 2);
	}
	vfuzz_check(&f, 3);
	virtio_dev_free(v);
	if (host >= 0)
		close(host);
	drain_listener();
	vfuzz_end(&f);
	return 0;
}
