/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_TESTS_VIRTIO_VRIG_H
#define CVMM_TESTS_VIRTIO_VRIG_H

/*
 * Guest RAM, a fake platform, and the driver side of split virtqueues and
 * of the virtio-pci registers, for the virtio unit tests.
 */
#include <stdbool.h>
#include <stdint.h>

#include "devices/virtio/virtio.h"
#include "../pci/fake_platform.h"
#include "mem/guest_mem.h"

#define VRIG_RAM	(4u << 20)

struct vrig {
	struct guest_mem mem;
	struct fake_platform fp;
};

void vrig_init(struct vrig *r);
void vrig_free(struct vrig *r);
void *gp(struct vrig *r, uint64_t gpa);

/* a driver-side split queue in guest memory */
struct dq {
	struct vrig *r;
	uint16_t size;
	uint64_t desc, avail, used;
	uint16_t avail_idx, last_used, next;
};

struct tb {
	uint64_t gpa;
	uint32_t len;
	bool write;
};

/* Rings at @base: descriptors, then available, then used (aligned). */
void dq_init(struct dq *q, struct vrig *r, uint16_t size, uint64_t base);
void dq_desc(struct dq *q, uint16_t i, uint64_t addr, uint32_t len,
	     uint16_t flags, uint16_t next);
void dq_publish(struct dq *q, uint16_t head);
/* Link @n buffers in the next free descriptors and publish; the head. */
uint16_t dq_chain(struct dq *q, const struct tb *b, unsigned int n);
/* A used element? 1 with *id and *len, else 0. */
int dq_used(struct dq *q, uint32_t *id, uint32_t *len);
void dq_set_avail_flags(struct dq *q, uint16_t flags);
void dq_set_used_event(struct dq *q, uint16_t v);
uint16_t dq_used_flags(struct dq *q);
uint16_t dq_avail_event(struct dq *q);

/* virtio-pci registers through the BAR handler */
uint64_t bar_r(struct virtio_dev *vd, uint32_t off, uint32_t len);
void bar_w(struct virtio_dev *vd, uint32_t off, uint64_t v, uint32_t len);
void cfg_w16(struct virtio_dev *vd, uint32_t off, uint16_t v);
/*
 * The driver's start-up: reset, features ((@features | VERSION_1) & offered),
 * FEATURES_OK, MSI-X on with vector i+1 for queue i (if @msix), the
 * queues in @q (rings already built with dq_init), DRIVER_OK.  Returns
 * the status read back.
 */
uint8_t drv_start(struct virtio_dev *vd, uint64_t features, struct dq *q,
		  unsigned int nq, bool msix);
/* Notify queue @q and run the fake event loop. */
void drv_kick(struct vrig *r, struct virtio_dev *vd, unsigned int q);

#endif
