/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_VSOCK_RIG_H
#define CVMM_TESTS_VSOCK_RIG_H

/*
 * A virtio-vsock device on the virtio rig (vrig.h) with a host listener in
 * a temporary directory, and the guest driver's side: send a packet, take
 * the next packet for the guest.
 */
#include <stdint.h>

#include "devices/virtio/vsock.h"
#include "vrig.h"

#define CID	3
#define RXB	0x100000ULL
#define RXSZ	(44 + 4096)
#define TXB	0x200000ULL
#define NRX	8

struct rig {
	struct vrig r;
	struct vsock_listener l;
	struct vsock_dev *v;
	struct dq q[3];
	char dir[40], uds[64];
	uint32_t fwd;		/* guest's fwd_cnt for the connection under test */
	uint32_t buf_alloc;
};

struct rig *rig_new(void);
void rig_free(struct rig *g);
/* The guest sends one packet (op, ports, flags, payload). */
void g_send(struct rig *g, uint16_t op, uint32_t sport, uint32_t dport,
	    uint32_t flags, const char *data, uint32_t len);
/* The next packet for the guest (0), or -1; the buffer goes back. */
int g_recv(struct rig *g, struct vsock_hdr *h, char *data, size_t max);
/* As g_recv(), waiting up to 5 s for host threads to produce it. */
int g_recv_wait(struct rig *g, struct vsock_hdr *h, char *data, size_t max);
/* Listen on "<uds>_<port>"; connect to the device's own socket. */
int listen_at(struct rig *g, unsigned int port);
int connect_uds(struct rig *g);

#endif
