/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_FUZZ_VIRTIO_VFUZZ_H
#define CVMM_FUZZ_VIRTIO_VFUZZ_H

/*
 * Shared harness of the virtio fuzz targets.  The input is
 *
 *   byte 0   flags: bit 0 EVENT_IDX, bit 1 INDIRECT_DESC, bit 2 MSI-X,
 *            bit 3 leave the device before DRIVER_OK
 *   byte 1   rounds of kicks (1..8)
 *   byte 2   log2 of the queue size (1..8)
 *   byte 3   target-specific
 *   rest     the first VFUZZ_RAM bytes of guest RAM, copied at address 0:
 *            it holds the rings of queue q (descriptors at
 *            0x1000 + 0x3000 q, available ring at 0x2000 + 0x3000 q, used
 *            ring at 0x3000 + 0x3000 q) and whatever the descriptors
 *            point at, anywhere in the 64-bit space.
 *
 * Guest memory is VFUZZ_RAM bytes at 0 and a second small region after a
 * hole, so buffers that cross regions or leave RAM are reachable.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices/virtio/virtio.h"
#include "fake_platform.h"
#include "mem/guest_mem.h"

#define VFUZZ_RAM	(256u << 10)
#define VFUZZ_RAM2	0x100000ULL
#define VFUZZ_HDR	4

struct vfuzz {
	struct guest_mem mem;
	struct fake_platform fp;
	uint8_t flags, extra;
	unsigned int rounds;
	uint16_t qsize;
	const uint8_t *image;	/* the input's RAM image (the rest of RAM is zero) */
	size_t image_len;
};

/* Map guest memory and load the image; false if the input is too short. */
bool vfuzz_begin(struct vfuzz *f, const uint8_t *data, size_t size);
/* The driver's start-up through the registers, rings at the fixed places. */
void vfuzz_start(struct vfuzz *f, struct virtio_dev *vd, unsigned int nq);
/* Notify queue @q and run the device's watches. */
void vfuzz_kick(struct vfuzz *f, struct virtio_dev *vd, unsigned int q);
void vfuzz_end(struct vfuzz *f);
/*
 * The device's invariants after a run over queues 0..@nq-1, abort() on a
 * violation: it wrote guest memory only in those queues' used rings and in
 * buffers a descriptor of the initial rings marks device-writable, and no
 * used element claims more bytes than its chain could take (or names a
 * head past the queue).  Inputs whose writable buffers overlap a ring or
 * an indirect table (the rings could then change under the device) are
 * not checked.
 */
void vfuzz_check(struct vfuzz *f, unsigned int nq);

uint64_t vfuzz_desc(unsigned int q);
uint64_t vfuzz_avail(unsigned int q);
uint64_t vfuzz_used(unsigned int q);

#endif
