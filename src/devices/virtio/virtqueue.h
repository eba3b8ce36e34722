/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VIRTQUEUE_H
#define CVMM_DEVICES_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "mem/guest_mem.h"

/*
 * The device side of a split virtqueue (virtio 1.2, 2.7).
 *
 * The guest owns the rings and may change them at any time, from another
 * vCPU, while the device reads them: every index, descriptor and length is
 * read once into a local copy and validated there.
 *
 *   - the ring addresses are checked once, when the queue is enabled: the
 *     whole descriptor table, available and used rings (event fields
 *     included) must lie inside guest RAM, suitably aligned;
 *   - an available index that runs more than the queue size ahead, or a
 *     head index past the table, breaks the ring: vq_pop() returns -EIO
 *     and the queue stops until the driver resets the device (the
 *     transport then sets DEVICE_NEEDS_RESET);
 *   - a bad chain fails that request only: it is returned to the driver
 *     in the used ring with length 0 and vq_pop() says -EBADMSG.  A chain
 *     is bad when it loops or holds more than the queue size (direct) or
 *     the table size (indirect) descriptors, has more than VQ_MAX_CHAIN
 *     buffers, a next index past its table, a buffer that is not wholly
 *     inside guest RAM, a device-readable buffer after a device-writable
 *     one, or an indirect descriptor when the feature is off, that also
 *     has NEXT set, is nested, is empty, not a multiple of 16 bytes, not
 *     16-byte aligned, larger than VQ_MAX_INDIRECT entries or outside RAM.
 *
 * Nothing here loops longer than the queue size (or the indirect table
 * size) per chain, whatever the guest wrote.  Not thread safe: the
 * device's lock covers the queue.
 */

#define VQ_MAX_SIZE		1024	/* the largest queue cvmm offers */
#define VQ_MAX_INDIRECT		1024	/* entries in one indirect table */
#define VQ_MAX_CHAIN		1024	/* buffers in one chain */

struct vq_buf {
	uint64_t gpa;
	uint32_t len;
	bool write;		/* device-writable */
	void *hva;		/* host mapping of [gpa, gpa + len) */
};

struct vq_chain {
	uint16_t head;
	unsigned int nr;	/* buffers: nr_out readable, then nr_in writable */
	unsigned int nr_out, nr_in;
	uint64_t out_len, in_len;
	struct vq_buf *bufs;
};

struct vq_stats {
	uint64_t chains, bad_chains;
	int last_error;		/* -errno of the last bad chain */
};

struct virtqueue {
	const struct guest_mem *mem;
	uint16_t size;		/* power of two, 0: not set up */
	bool ready;
	bool broken;
	bool event_idx;		/* VIRTIO_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_F_INDIRECT_DESC negotiated */
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint8_t *desc, *avail, *used;	/* host mappings */
	uint16_t last_avail;	/* next entry of the available ring to take */
	uint16_t used_idx;	/* our copy of used->idx */
	uint16_t signalled_used;
	bool signalled_valid;
	struct vq_buf bufs[VQ_MAX_CHAIN];
	struct vq_stats stats;
};

/* Ring sizes in bytes, event fields included. */
uint64_t vq_desc_size(uint16_t size);
uint64_t vq_avail_size(uint16_t size);
uint64_t vq_used_size(uint16_t size);

/*
 * Start using the rings at the given guest addresses.  Returns 0, -EINVAL
 * for a size that is not a power of two in 1..VQ_MAX_SIZE or misaligned
 * rings, -EFAULT for rings outside guest RAM.
 */
int vq_setup(struct virtqueue *vq, const struct guest_mem *mem, uint16_t size,
	     uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
	     bool indirect);
void vq_reset(struct virtqueue *vq);

/*
 * Take the next available chain into *c (c->bufs points into @vq).
 * Returns 1 with a chain, 0 when none is available, -EBADMSG when the
 * chain was bad (already returned to the driver with length 0), -EIO when
 * the ring is broken.
 */
int vq_pop(struct virtqueue *vq, struct vq_chain *c);
/* Give back the chain taken last (the device could not use it yet). */
void vq_unpop(struct virtqueue *vq);
/* Return chain @head to the driver with @len bytes written. */
void vq_push(struct virtqueue *vq, uint16_t head, uint32_t len);
/* After pushes: does the driver want an interrupt? */
bool vq_should_notify(struct virtqueue *vq);
/* Kick suppression while the device is busy / before it waits again.
 * vq_enable_notify() returns true if more chains arrived meanwhile. */
void vq_disable_notify(struct virtqueue *vq);
bool vq_enable_notify(struct virtqueue *vq);
/* Are chains waiting? */
bool vq_has_avail(struct virtqueue *vq);

/*
 * A byte cursor over the readable or the writable buffers of a chain:
 * requests and replies may be split across buffers any way the driver
 * likes (VIRTIO_F_ANY_LAYOUT is implied by VERSION_1).
 */
struct vq_iter {
	const struct vq_chain *c;
	unsigned int i, end;	/* buffer index, one past the last */
	uint32_t off;		/* offset inside buffer i */
	uint64_t left;		/* bytes left */
};

void vq_iter_out(struct vq_iter *it, const struct vq_chain *c);
void vq_iter_in(struct vq_iter *it, const struct vq_chain *c);
/* Copy @len bytes out of / into the chain; -EFAULT if they are not there. */
int vq_iter_read(struct vq_iter *it, void *buf, size_t len);
int vq_iter_write(struct vq_iter *it, const void *buf, size_t len);
int vq_iter_skip(struct vq_iter *it, uint64_t len);
/*
 * Describe the next @len bytes as host iovecs (at most @max); returns the
 * number of iovecs, or -EFAULT/-E2BIG.  The cursor advances.
 */
int vq_iter_iov(struct vq_iter *it, uint64_t len, struct iovec *iov,
		unsigned int max);

#endif
