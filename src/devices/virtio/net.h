/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_NET_H
#define CVMM_DEVICES_VIRTIO_NET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "devices/dev_err.h"
#include "devices/virtio/virtio.h"

/*
 * virtio-net (5.1) on a tap device: one receive and one transmit queue,
 * MAC, MTU and link status in the configuration.  No offloads are
 * offered (the tap is opened without IFF_VNET_HDR and nothing is
 * segmented or checksummed on the guest's behalf), so every frame is a
 * whole Ethernet frame behind a 12-byte virtio_net_hdr whose fields are
 * zero (num_buffers 1 on receive).
 */

#define VIRTIO_NET_F_MTU	3
#define VIRTIO_NET_F_MAC	5
#define VIRTIO_NET_F_STATUS	16
#define VIRTIO_NET_S_LINK_UP	1

#define VIRTIO_NET_HDR_LEN	12
#define VIRTIO_NET_CFG_SIZE	12
#define VIRTIO_NET_QUEUE_SIZE	256
#define VIRTIO_NET_MAX_FRAME	(65535 + 14 + 4)
#define VIRTIO_NET_RXQ		0
#define VIRTIO_NET_TXQ		1

struct net_dev {
	struct virtio_dev vd;
	int tap_fd;
	bool vnet_hdr;			/* the tap frames carry a 12-byte virtio_net_hdr */
	uint8_t mac[6];
	uint16_t mtu;			/* 0: not advertised */
	bool rx_watching;
	bool tap_gone;			/* hung up: no longer watched */
	struct iovec iov[VQ_MAX_CHAIN];
	uint64_t rx_frames, tx_frames, tx_dropped;
};

struct net_dev_config {
	const char *tap;
	const uint8_t *mac;		/* NULL: derived from the tap name */
	uint16_t mtu;
	bool vnet_hdr;			/* the fd is a tap opened with IFF_VNET_HDR */
};

/*
 * Open (creating it if needed) tap @name: a non-blocking fd, or -errno
 * with the reason in @err.  A tap created here is brought up; @mtu (if
 * non-zero) is set on it (a warning in @err when that fails).
 */
int net_tap_open(const char *name, uint16_t mtu, struct dev_err *err);

/*
 * Take a tap another process opened and passed to cvmm (as Kata Containers
 * passes one over the API socket): it must be a tap device (TUNGETIFF);
 * its name goes to @name.  It is made non-blocking; a tap opened with
 * IFF_VNET_HDR (*@vnet_hdr) gets no offloads (TUNSETOFFLOAD 0: whole,
 * checksummed frames) and a 12-byte header, the guest's, which cvmm
 * writes as zeros and ignores on receive.  @extra are further queues of a
 * multiqueue tap: detached (TUNSETQUEUE), since the device has one queue
 * pair, and closed.  0 or -errno (reason in @err); @fd is not closed.
 */
int net_tap_adopt(int fd, const int *extra, unsigned int nr_extra, char name[16],
		  bool *vnet_hdr, struct dev_err *err);

/* A device on tap @cfg->tap; virtio_dev_free() destroys it.  0 or -errno (reason in @err). */
int net_dev_create(const struct net_dev_config *cfg, const struct virtio_dev_env *env,
		   struct virtio_dev **out, struct dev_err *err);
/* With an open fd (a tap, or a socket in tests); takes the fd, even on failure. */
int net_dev_create_fd(int fd, const struct net_dev_config *cfg, const struct virtio_dev_env *env,
		      struct virtio_dev **out);

static inline struct net_dev *net_of(struct virtio_dev *vd)
{
	return (struct net_dev *)vd;	/* vd is its first member */
}

/*
 * Transmit: validate a chain (header + frame) and describe the frame as
 * iovecs.  Returns the number of iovecs, or -EINVAL (drop it).
 */
int net_tx_parse(const struct vq_chain *c, struct iovec *iov, unsigned int max,
		 uint64_t *frame_len);

#endif
