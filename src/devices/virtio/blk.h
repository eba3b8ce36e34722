/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_BLK_H
#define CVMM_DEVICES_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "devices/virtio/blk_image.h"
#include "devices/virtio/virtio.h"

/*
 * virtio-blk (5.2) on a raw image file or block device: read, write,
 * flush, get-id, discard and write-zeroes; read-only images; O_DIRECT
 * (unaligned guest buffers then go through an aligned bounce buffer).
 * One request queue, served synchronously on the device's event loop.
 */

#define VIRTIO_BLK_T_IN			0
#define VIRTIO_BLK_T_OUT		1
#define VIRTIO_BLK_T_FLUSH		4
#define VIRTIO_BLK_T_GET_ID		8
#define VIRTIO_BLK_T_DISCARD		11
#define VIRTIO_BLK_T_WRITE_ZEROES	13

#define VIRTIO_BLK_S_OK			0
#define VIRTIO_BLK_S_IOERR		1
#define VIRTIO_BLK_S_UNSUPP		2

#define VIRTIO_BLK_F_SIZE_MAX		1
#define VIRTIO_BLK_F_SEG_MAX		2
#define VIRTIO_BLK_F_RO			5
#define VIRTIO_BLK_F_BLK_SIZE		6
#define VIRTIO_BLK_F_FLUSH		9
#define VIRTIO_BLK_F_DISCARD		13
#define VIRTIO_BLK_F_WRITE_ZEROES	14

#define VIRTIO_BLK_ID_BYTES		20
#define VIRTIO_BLK_SECTOR		512
#define VIRTIO_BLK_CFG_SIZE		60
#define VIRTIO_BLK_QUEUE_SIZE		256
#define VIRTIO_BLK_MAX_SEGS		(VIRTIO_BLK_QUEUE_SIZE - 2)
#define VIRTIO_BLK_MAX_DISCARD_SEGS	16
#define VIRTIO_BLK_MAX_DISCARD_SECTORS	(1u << 22)	/* 2 GiB per segment */
#define VIRTIO_BLK_WZ_UNMAP		1

/* A request, as parsed from a chain (pure: no I/O). */
struct blk_req {
	uint32_t type;
	uint64_t sector;
	struct vq_iter data;	/* positioned at the payload */
	uint64_t data_len;	/* payload bytes (readable for OUT/DISCARD/
				 * WRITE_ZEROES, writable for IN/GET_ID) */
	uint8_t *status;	/* the last writable byte */
};

/*
 * Parse @c: 0, or -EINVAL when the chain cannot even carry a status byte
 * (no header or no writable byte: the request fails with length 0).
 */
int blk_req_parse(const struct vq_chain *c, struct blk_req *r);

struct blk_dev {
	struct virtio_dev vd;
	int fd;
	bool own_fd;		/* closed with the device (not an image's) */
	bool readonly, direct;
	uint64_t capacity;	/* sectors */
	char id[VIRTIO_BLK_ID_BYTES];
	struct iovec iov[VQ_MAX_CHAIN];
	void *bounce;		/* O_DIRECT bounce buffer */
	size_t bounce_len;
	uint64_t reqs[16];	/* requests served, by type (statistics) */
};

/*
 * A device on the open @img, which outlives it; virtio_dev_free()
 * destroys it.  0 or -errno.
 */
int blk_dev_create(const struct blk_image *img, const struct virtio_dev_env *env,
		   struct virtio_dev **out);
/* Use an open @fd of @size bytes (tests, fuzzing); takes the fd, even on failure. */
int blk_dev_create_fd(int fd, uint64_t size, bool readonly, const struct virtio_dev_env *env,
		      struct virtio_dev **out);

static inline struct blk_dev *blk_of(struct virtio_dev *vd)
{
	return (struct blk_dev *)vd;	/* vd is its first member */
}

/* Serve one parsed request; returns the used length (tests, fuzzing). */
uint32_t blk_handle(struct blk_dev *b, struct vq_chain *c);

#endif
