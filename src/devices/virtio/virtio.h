/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_DEVICES_VIRTIO_VIRTIO_H
#define CVMM_DEVICES_VIRTIO_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "devices/pci/msix.h"
#include "devices/pci/pci.h"
#include "devices/pci/pci_host.h"
#include "devices/platform.h"
#include "devices/virtio/virtio_spec.h"
#include "devices/virtio/virtqueue.h"
#include "mem/guest_mem.h"

/*
 * The virtio 1.x PCI transport (modern only, 4.1): one PCI function per
 * device with a single 32 KiB memory BAR holding
 *
 *   0x0000  common configuration (struct virtio_pci_common_cfg)
 *   0x1000  ISR status (read to clear)
 *   0x2000  device-specific configuration
 *   0x3000  queue notifications: queue q at 0x3000 + 4 q
 *   0x4000  MSI-X table, 0x5000 MSI-X PBA
 *
 * described by the five virtio vendor capabilities (common, notify, ISR,
 * device, PCI config access) and an MSI-X capability.  Split virtqueues;
 * VERSION_1, INDIRECT_DESC and EVENT_IDX are offered by the transport,
 * ACCESS_PLATFORM too for confidential guests (and then required).
 *
 * Threads: the guest's register accesses arrive on vCPU threads; queue
 * kicks arrive as eventfds (ioeventfd on the notify addresses, or written
 * by the notify register handler) on the device's event loop, where
 * ops->queue_notify runs.  vd->lock covers the registers, the queues and
 * the device model's state; every device callback runs with it held.
 */

#define VIRTIO_BAR		0
#define VIRTIO_BAR_SIZE		0x8000
#define VIRTIO_OFF_COMMON	0x0000
#define VIRTIO_OFF_ISR		0x1000
#define VIRTIO_OFF_DEVICE	0x2000
#define VIRTIO_OFF_NOTIFY	0x3000
#define VIRTIO_NOTIFY_MULT	4
#define VIRTIO_OFF_MSIX_TABLE	0x4000
#define VIRTIO_OFF_MSIX_PBA	0x5000
#define VIRTIO_REGION_SIZE	0x1000
#define VIRTIO_MAX_QUEUES	64
#define VIRTIO_CFG_MAX		0x1000
/* chains one kick may handle before the queue yields to other work */
#define VIRTIO_BUDGET		256

struct virtio_dev;

struct virtio_dev_ops {
	/* Device configuration space, @off + @len <= cfg_size. */
	void (*cfg_read)(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			 uint32_t len);
	void (*cfg_write)(struct virtio_dev *vd, uint32_t off,
			  const uint8_t *data, uint32_t len);
	/* The driver's features (a subset of ours): 0, or -errno to refuse. */
	int (*features_ok)(struct virtio_dev *vd, uint64_t features);
	/* DRIVER_OK was set: the device is live. */
	void (*activate)(struct virtio_dev *vd);
	/* Queue @q was kicked (event loop thread, device live). */
	void (*queue_notify)(struct virtio_dev *vd, unsigned int q);
	/* The driver reset the device: drop every request in flight. */
	void (*reset)(struct virtio_dev *vd);
	/*
	 * Undo the device's *_dev_create(): its host ends, the transport
	 * (virtio_dev_destroy()) and the device's memory.  Its event loop
	 * no longer runs.  Required.
	 */
	void (*destroy)(struct virtio_dev *vd);
};

struct virtio_queue {
	struct virtio_dev *vd;
	unsigned int index;
	struct virtqueue vq;
	uint16_t size;		/* what the driver chose */
	uint16_t vector;
	bool enabled;
	uint64_t desc, avail, used;
	int kick_fd;		/* eventfd */
	bool ioeventfd;		/* kick_fd is bound to the notify address */
};

struct virtio_dev_info {
	const char *name;		/* "virtio-blk0", for messages */
	uint16_t id;			/* VIRTIO_ID_* */
	uint32_t pci_class;
	unsigned int nr_queues;
	uint16_t queue_max;		/* power of two <= VQ_MAX_SIZE */
	uint32_t cfg_size;		/* device configuration bytes */
	uint64_t features;		/* device-specific feature bits */
	bool access_platform;		/* offer (and require) ACCESS_PLATFORM */
	const struct virtio_dev_ops *ops;
};

struct virtio_dev {
	struct pci_dev pci;
	struct pci_msix msix;
	struct virtio_dev_info info;
	uint64_t host_features;
	const struct guest_mem *mem;
	struct platform *plat;

	pthread_mutex_t lock;
	uint32_t dfselect, gfselect;
	uint64_t driver_features;
	uint8_t status;
	uint8_t config_generation;
	uint16_t config_vector;
	uint16_t queue_select;
	struct virtio_queue *queues;
	uint64_t notify_base;		/* where the notify region decodes */
	uint8_t cfg_cap;		/* VIRTIO_PCI_CAP_PCI_CFG offset */

	pthread_mutex_t isr_lock;
	uint8_t isr;
	uint64_t interrupts;		/* statistics */
};

/*
 * What the machine gives every virtio device it creates: each device's
 * create function (blk_dev_create(), net_dev_create(), ...) takes this
 * and its own configuration, and returns the generic device, which
 * virtio_dev_free() destroys.  A device is created, put on the PCI bus
 * and its event loop started one at a time, and removed the same way,
 * so the machine can add and remove devices while the VM runs.
 */
struct virtio_dev_env {
	const char *name;		/* "virtio-blk0": messages, its event loop */
	bool access_platform;		/* a confidential guest: offer and require it */
	const struct guest_mem *mem;
	struct platform *plat;		/* its own, bound to its event loop */
};

/* Destroy a device made by one of the *_dev_create() functions (ops->destroy). */
void virtio_dev_free(struct virtio_dev *vd);

/*
 * Create the PCI function, its queues and their kick eventfds (watched on
 * @plat's event loop).  Returns 0 or -errno.  (For the devices' create
 * functions.)
 */
int virtio_dev_init(struct virtio_dev *vd, const struct virtio_dev_info *info,
		    const struct guest_mem *mem, struct platform *plat);
/* Close everything; the device's event loop must not run any more. */
void virtio_dev_destroy(struct virtio_dev *vd);
/* Stop watching the device's host fd *@fd, close it, set it to -1. */
void virtio_close_watched(struct virtio_dev *vd, int *fd);

/* Negotiated feature? */
static inline bool virtio_has(const struct virtio_dev *vd, unsigned int bit)
{
	return vd->driver_features >> bit & 1;
}

/* DRIVER_OK and not broken (lock held). */
bool virtio_dev_live(const struct virtio_dev *vd);
struct virtqueue *virtio_vq(struct virtio_dev *vd, unsigned int q);

/*
 * Handle the available chains of queue @q with @fn, which returns the
 * number of bytes it wrote into the chain's writable buffers, or -EAGAIN
 * to leave the chain for later (the backend is busy).  Stops after
 * VIRTIO_BUDGET chains and kicks itself to continue later.  Interrupts
 * the driver if it wants one.  Lock held.
 */
typedef int (*virtio_chain_fn)(struct virtio_dev *vd, struct vq_chain *c,
			       void *ctx);
void virtio_process(struct virtio_dev *vd, unsigned int q, virtio_chain_fn fn,
		    void *ctx);
/* After pushing chains by hand: interrupt the driver if it wants (lock held). */
void virtio_queue_done(struct virtio_dev *vd, unsigned int q);
/* Schedule a queue_notify for @q on the event loop (any thread). */
void virtio_kick(struct virtio_dev *vd, unsigned int q);
/*
 * The device hit an error it cannot recover from (a broken ring): set
 * DEVICE_NEEDS_RESET and tell the driver.  Lock held.
 */
void virtio_dev_fail(struct virtio_dev *vd, const char *why);
/* The device configuration changed (lock held). */
void virtio_config_changed(struct virtio_dev *vd);

/* The BAR handler (exported for tests and fuzzing). */
int virtio_pci_bar_io(struct pci_dev *d, unsigned int bar, uint64_t off,
		      uint8_t *data, uint32_t len, bool is_write);

#endif
