/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_BLK_IMAGE_H
#define CVMM_DEVICES_VIRTIO_BLK_IMAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_err.h"

/*
 * A disk image (--blk path=FILE): a raw image file or a block device,
 * opened once per machine and lent to each boot's virtio-blk device, so
 * that its lock is held from start to exit, across guest resets.
 *
 * Locking follows QEMU's file-posix scheme, so that cvmm and QEMU see
 * each other: open-file-description (OFD) read locks on byte 100 + P for
 * each permission P held (0 consistent read, 1 write) and on byte 200 + P
 * for each permission not shared with others (1 write).  A read-write
 * image holds 100, 101 and 201, a read-only one 100 and 201: readers
 * share, a writer excludes everyone else.  A conflict is -EBUSY with
 * the reason in the dev_err; a file system without OFD locks gets a
 * warning there and no lock.
 *
 * The size must be a multiple of 512 bytes: the guest sees whole sectors,
 * and a partial last one would be lost (-EINVAL, with a line saying how
 * to pad the image).
 */

#define BLK_IMAGE_ID_BYTES	20
#define BLK_IMAGE_SECTOR	512

struct blk_image {
	int fd;			/* -1: not open */
	uint64_t size;		/* bytes */
	bool readonly, direct;
	char id[BLK_IMAGE_ID_BYTES];	/* "<st_dev>:<st_ino>" in hex (GET_ID) */
};

/*
 * Open and lock @path: 0 (perhaps with warnings in @err), or -errno with
 * the reason in @err (the caller prints "cvmm: <path>: <why>").
 * @rw_hint: the caller's advice after "cannot open disk image for
 * writing" (" (add readonly=on?)"), or NULL.
 */
int blk_image_open(struct blk_image *img, const char *path, bool readonly, bool direct,
		   const char *rw_hint, struct dev_err *err);
/* Close (releasing the lock).  Idempotent. */
void blk_image_close(struct blk_image *img);

#endif
