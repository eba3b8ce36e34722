// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/dev_alloc.h"
#include "devices/virtio/virtio.h"
#include "util/compiler.h"
#include "util/log.h"

/* struct virtio_pci_cap */
#define CAP_CFG_TYPE	3
#define CAP_BAR		4
#define CAP_ID		5
#define CAP_OFFSET	8
#define CAP_LENGTH	12
#define CAP_LEN		16
#define CAP_NOTIFY_MULT	16	/* struct virtio_pci_notify_cap */
#define CAP_NOTIFY_LEN	20
#define CAP_PCI_CFG_DATA 16	/* struct virtio_pci_cfg_cap */
#define CAP_PCI_CFG_LEN	20

static struct virtio_dev *to_vd(struct pci_dev *d)
{
	return d->opaque;
}

static uint64_t transport_features(const struct virtio_dev_info *info)
{
	uint64_t f = 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_F_INDIRECT_DESC |
		     1ULL << VIRTIO_F_EVENT_IDX;

	if (info->access_platform)
		f |= 1ULL << VIRTIO_F_ACCESS_PLATFORM;
	return f;
}

bool virtio_dev_live(const struct virtio_dev *vd)
{
	return (vd->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(vd->status & VIRTIO_STATUS_NEEDS_RESET);
}

struct virtqueue *virtio_vq(struct virtio_dev *vd, unsigned int q)
{
	return &vd->queues[q].vq;
}

/* ------------------------------------------------------------------ */
/* interrupts */

static void virtio_raise(struct virtio_dev *vd, uint16_t vector, uint8_t isr)
{
	int ret = msix_notify(&vd->msix, vector);

	vd->interrupts++;
	if (ret != -ENOENT)
		return;		/* MSI-X on: delivered, pending or NO_VECTOR */
	pthread_mutex_lock(&vd->isr_lock);
	vd->isr |= isr;
	pci_dev_set_irq(&vd->pci, true);
	pthread_mutex_unlock(&vd->isr_lock);
}

static uint8_t virtio_isr_read(struct virtio_dev *vd)
{
	uint8_t v;

	pthread_mutex_lock(&vd->isr_lock);
	v = vd->isr;
	vd->isr = 0;
	pci_dev_set_irq(&vd->pci, false);
	pthread_mutex_unlock(&vd->isr_lock);
	return v;
}

void virtio_queue_done(struct virtio_dev *vd, unsigned int q)
{
	struct virtio_queue *vq = &vd->queues[q];

	if (vq_should_notify(&vq->vq))
		virtio_raise(vd, vq->vector, VIRTIO_PCI_ISR_QUEUE);
}

void virtio_config_changed(struct virtio_dev *vd)
{
	vd->config_generation++;
	if (vd->status & VIRTIO_STATUS_DRIVER_OK)
		virtio_raise(vd, vd->config_vector, VIRTIO_PCI_ISR_CONFIG);
}

void virtio_dev_fail(struct virtio_dev *vd, const char *why)
{
	if (vd->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	log_debug("%s: %s: device needs reset", vd->info.name, why);
	vd->status |= VIRTIO_STATUS_NEEDS_RESET;
	virtio_config_changed(vd);
}

void virtio_kick(struct virtio_dev *vd, unsigned int q)
{
	uint64_t one = 1;

	if (q < vd->info.nr_queues &&
	    write(vd->queues[q].kick_fd, &one, sizeof(one)) < 0)
		log_debug("%s: kick: %s", vd->info.name, strerror(errno));
}

void virtio_process(struct virtio_dev *vd, unsigned int q, virtio_chain_fn fn,
		    void *ctx)
{
	struct virtio_queue *vq = &vd->queues[q];
	unsigned int budget = VIRTIO_BUDGET;
	bool pushed = false, busy = false;
	struct vq_chain c;
	int ret;

	if (!vq->enabled || !virtio_dev_live(vd))
		return;
	for (;;) {
		vq_disable_notify(&vq->vq);
		while (budget) {
			ret = vq_pop(&vq->vq, &c);
			if (!ret)
				break;
			if (ret == -EIO) {
				virtio_dev_fail(vd, "broken virtqueue");
				return;
			}
			budget--;
			pushed = true;
			if (ret < 0)
				continue;	/* bad chain, already failed */
			ret = fn(vd, &c, ctx);
			if (ret == -EAGAIN) {
				vq_unpop(&vq->vq);
				busy = true;
				break;
			}
			vq_push(&vq->vq, c.head, ret < 0 ? 0 : (uint32_t)ret);
		}
		if (busy || !budget)
			break;
		if (!vq_enable_notify(&vq->vq))
			break;
	}
	if (busy)
		vq_enable_notify(&vq->vq);
	else if (!budget)
		virtio_kick(vd, q);	/* more later, after other work */
	if (pushed)
		virtio_queue_done(vd, q);
}

/* ------------------------------------------------------------------ */
/* reset, features, status */

static void transport_reset(struct virtio_dev *vd)
{
	unsigned int i;

	for (i = 0; i < vd->info.nr_queues; i++) {
		struct virtio_queue *q = &vd->queues[i];

		vq_reset(&q->vq);
		q->enabled = false;
		q->size = vd->info.queue_max;
		q->vector = VIRTIO_MSI_NO_VECTOR;
		q->desc = q->avail = q->used = 0;
	}
	vd->dfselect = vd->gfselect = 0;
	vd->driver_features = 0;
	vd->status = 0;
	vd->config_vector = VIRTIO_MSI_NO_VECTOR;
	vd->queue_select = 0;
	virtio_isr_read(vd);
}

static void virtio_reset(struct virtio_dev *vd)
{
	if (vd->info.ops->reset)
		vd->info.ops->reset(vd);
	transport_reset(vd);
}

static bool features_acceptable(struct virtio_dev *vd)
{
	uint64_t f = vd->driver_features;

	if (f & ~vd->host_features)
		return false;
	if (!(f & 1ULL << VIRTIO_F_VERSION_1))
		return false;	/* modern only */
	if ((vd->host_features & 1ULL << VIRTIO_F_ACCESS_PLATFORM) &&
	    !(f & 1ULL << VIRTIO_F_ACCESS_PLATFORM))
		return false;	/* a confidential guest must bounce */
	if (vd->info.ops->features_ok && vd->info.ops->features_ok(vd, f))
		return false;
	return true;
}

static void status_write(struct virtio_dev *vd, uint8_t v)
{
	uint8_t old = vd->status;

	if (!v) {
		virtio_reset(vd);
		return;
	}
	v &= (uint8_t)~VIRTIO_STATUS_NEEDS_RESET;	/* the device's bit */
	v |= old & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FEATURES_OK);
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_acceptable(vd))
		v &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	/* DRIVER_OK without FEATURES_OK is a driver bug: not live */
	if ((v & VIRTIO_STATUS_DRIVER_OK) && !(v & VIRTIO_STATUS_FEATURES_OK))
		v &= (uint8_t)~VIRTIO_STATUS_DRIVER_OK;
	vd->status = v;
	if ((v & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
		unsigned int i;

		if (vd->info.ops->activate)
			vd->info.ops->activate(vd);
		/* kicks that came before DRIVER_OK */
		for (i = 0; i < vd->info.nr_queues; i++)
			if (vd->queues[i].enabled)
				virtio_kick(vd, i);
	}
}

static void queue_enable(struct virtio_dev *vd, struct virtio_queue *q)
{
	int ret;

	if (q->enabled)
		return;
	ret = vq_setup(&q->vq, vd->mem, q->size, q->desc, q->avail, q->used,
		       virtio_has(vd, VIRTIO_F_EVENT_IDX),
		       virtio_has(vd, VIRTIO_F_INDIRECT_DESC));
	if (ret) {
		log_debug("%s: queue %u: rings at 0x%llx/0x%llx/0x%llx size %u: %s",
			  vd->info.name, q->index, (unsigned long long)q->desc,
			  (unsigned long long)q->avail, (unsigned long long)q->used,
			  q->size, strerror(-ret));
		virtio_dev_fail(vd, "unusable queue");
		return;
	}
	q->enabled = true;
}

/* ------------------------------------------------------------------ */
/* common configuration */

static struct virtio_queue *selected(struct virtio_dev *vd)
{
	if (vd->queue_select >= vd->info.nr_queues)
		return NULL;
	return &vd->queues[vd->queue_select];
}

static void common_read(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			uint32_t len)
{
	struct virtio_queue *q = selected(vd);
	uint8_t r[VIRTIO_PCI_COMMON_SIZE];
	uint64_t f = 0;

	memset(r, 0, sizeof(r));
	if (vd->dfselect < 2)
		f = vd->host_features >> (32 * vd->dfselect);
	pci_put32(&r[VIRTIO_PCI_COMMON_DFSELECT], vd->dfselect);
	pci_put32(&r[VIRTIO_PCI_COMMON_DF], (uint32_t)f);
	pci_put32(&r[VIRTIO_PCI_COMMON_GFSELECT], vd->gfselect);
	pci_put32(&r[VIRTIO_PCI_COMMON_GF], vd->gfselect < 2 ?
		  (uint32_t)(vd->driver_features >> (32 * vd->gfselect)) : 0);
	pci_put16(&r[VIRTIO_PCI_COMMON_MSIX], vd->config_vector);
	pci_put16(&r[VIRTIO_PCI_COMMON_NUMQ], (uint16_t)vd->info.nr_queues);
	r[VIRTIO_PCI_COMMON_STATUS] = vd->status;
	r[VIRTIO_PCI_COMMON_CFGGENERATION] = vd->config_generation;
	pci_put16(&r[VIRTIO_PCI_COMMON_Q_SELECT], vd->queue_select);
	if (q) {
		pci_put16(&r[VIRTIO_PCI_COMMON_Q_SIZE], q->size);
		pci_put16(&r[VIRTIO_PCI_COMMON_Q_MSIX], q->vector);
		pci_put16(&r[VIRTIO_PCI_COMMON_Q_ENABLE], q->enabled);
		pci_put16(&r[VIRTIO_PCI_COMMON_Q_NOFF], (uint16_t)q->index);
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_DESCLO], (uint32_t)q->desc);
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_DESCHI], (uint32_t)(q->desc >> 32));
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_AVAILLO], (uint32_t)q->avail);
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_AVAILHI], (uint32_t)(q->avail >> 32));
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_USEDLO], (uint32_t)q->used);
		pci_put32(&r[VIRTIO_PCI_COMMON_Q_USEDHI], (uint32_t)(q->used >> 32));
		pci_put16(&r[VIRTIO_PCI_COMMON_Q_NDATA], (uint16_t)q->index);
	}
	if (off + len <= sizeof(r))
		memcpy(data, &r[off], len);
	else
		memset(data, 0, len);
}

static uint16_t valid_vector(struct virtio_dev *vd, uint16_t v)
{
	return v < vd->msix.nr ? v : VIRTIO_MSI_NO_VECTOR;
}

static void set_addr(uint64_t *a, uint32_t off, uint32_t lo_off,
		     const uint8_t *data, uint32_t len)
{
	if (len == 8 && off == lo_off) {
		*a = (uint64_t)pci_get32(data + 4) << 32 | pci_get32(data);
	} else if (len == 4 && off == lo_off) {
		*a = (*a & ~0xffffffffULL) | pci_get32(data);
	} else if (len == 4 && off == lo_off + 4) {
		*a = (*a & 0xffffffffULL) | (uint64_t)pci_get32(data) << 32;
	}
}

static void common_write(struct virtio_dev *vd, uint32_t off,
			 const uint8_t *data, uint32_t len)
{
	struct virtio_queue *q = selected(vd);
	uint32_t v32 = len == 4 ? pci_get32(data) : 0;
	uint16_t v16 = len == 2 ? pci_get16(data) : 0;

	switch (off) {
	case VIRTIO_PCI_COMMON_DFSELECT:
		if (len == 4)
			vd->dfselect = v32;
		return;
	case VIRTIO_PCI_COMMON_GFSELECT:
		if (len == 4)
			vd->gfselect = v32;
		return;
	case VIRTIO_PCI_COMMON_GF:
		if (len != 4 || vd->gfselect >= 2 ||
		    (vd->status & VIRTIO_STATUS_FEATURES_OK))
			return;
		vd->driver_features &= ~(0xffffffffULL << (32 * vd->gfselect));
		vd->driver_features |= (uint64_t)v32 << (32 * vd->gfselect);
		return;
	case VIRTIO_PCI_COMMON_MSIX:
		if (len == 2)
			vd->config_vector = valid_vector(vd, v16);
		return;
	case VIRTIO_PCI_COMMON_STATUS:
		if (len == 1)
			status_write(vd, data[0]);
		return;
	case VIRTIO_PCI_COMMON_Q_SELECT:
		if (len == 2)
			vd->queue_select = v16;
		return;
	}
	if (!q || q->enabled)
		return;		/* the rest configures a disabled queue */
	switch (off) {
	case VIRTIO_PCI_COMMON_Q_SIZE:
		/* a power of two up to the maximum; other values are ignored */
		if (len == 2 && v16 && v16 <= vd->info.queue_max && !(v16 & (v16 - 1)))
			q->size = v16;
		return;
	case VIRTIO_PCI_COMMON_Q_MSIX:
		if (len == 2)
			q->vector = valid_vector(vd, v16);
		return;
	case VIRTIO_PCI_COMMON_Q_ENABLE:
		if (len == 2 && v16 == 1)
			queue_enable(vd, q);
		return;
	case VIRTIO_PCI_COMMON_Q_DESCLO:
	case VIRTIO_PCI_COMMON_Q_DESCHI:
		set_addr(&q->desc, off, VIRTIO_PCI_COMMON_Q_DESCLO, data, len);
		return;
	case VIRTIO_PCI_COMMON_Q_AVAILLO:
	case VIRTIO_PCI_COMMON_Q_AVAILHI:
		set_addr(&q->avail, off, VIRTIO_PCI_COMMON_Q_AVAILLO, data, len);
		return;
	case VIRTIO_PCI_COMMON_Q_USEDLO:
	case VIRTIO_PCI_COMMON_Q_USEDHI:
		set_addr(&q->used, off, VIRTIO_PCI_COMMON_Q_USEDLO, data, len);
		return;
	}
}

/* ------------------------------------------------------------------ */
/* the BAR */

int virtio_pci_bar_io(struct pci_dev *d, unsigned int bar, uint64_t off,
		      uint8_t *data, uint32_t len, bool is_write)
{
	struct virtio_dev *vd = to_vd(d);
	uint64_t region = off & ~(uint64_t)(VIRTIO_REGION_SIZE - 1);
	uint32_t o = (uint32_t)(off - region);

	if (bar != VIRTIO_BAR || len > 8)
		goto unclaimed;
	switch (region) {
	case VIRTIO_OFF_COMMON:
		if (o + len > VIRTIO_PCI_COMMON_SIZE)
			goto unclaimed;
		pthread_mutex_lock(&vd->lock);
		if (is_write)
			common_write(vd, o, data, len);
		else
			common_read(vd, o, data, len);
		pthread_mutex_unlock(&vd->lock);
		return 0;
	case VIRTIO_OFF_ISR:
		if (is_write)
			return 0;
		memset(data, 0, len);
		if (o == 0)
			data[0] = virtio_isr_read(vd);
		return 0;
	case VIRTIO_OFF_DEVICE:
		if (o + len > vd->info.cfg_size)
			goto unclaimed;
		pthread_mutex_lock(&vd->lock);
		if (is_write) {
			if (vd->info.ops->cfg_write)
				vd->info.ops->cfg_write(vd, o, data, len);
		} else {
			memset(data, 0, len);
			if (vd->info.ops->cfg_read)
				vd->info.ops->cfg_read(vd, o, data, len);
		}
		pthread_mutex_unlock(&vd->lock);
		return 0;
	case VIRTIO_OFF_NOTIFY:
		/* without an ioeventfd the kick arrives here */
		if (is_write && !(o % VIRTIO_NOTIFY_MULT))
			virtio_kick(vd, o / VIRTIO_NOTIFY_MULT);
		else if (!is_write)
			memset(data, 0, len);
		return 0;
	case VIRTIO_OFF_MSIX_TABLE:
		if (o + len > msix_table_size(vd->msix.nr))
			goto unclaimed;
		msix_table_io(&vd->msix, o, data, len, is_write);
		return 0;
	case VIRTIO_OFF_MSIX_PBA:
		msix_pba_io(&vd->msix, o, data, len, is_write);
		return 0;
	}
unclaimed:
	if (!is_write)
		memset(data, 0xff, len);
	return 0;
}

/* BAR moved: move the ioeventfds of the notify addresses along. */
static void virtio_bar_map(struct pci_dev *d, unsigned int bar, uint64_t addr)
{
	struct virtio_dev *vd = to_vd(d);
	const struct platform_ops *ops = vd->plat ? vd->plat->ops : NULL;
	uint64_t base = addr == PCI_BAR_UNMAPPED ? 0 : addr + VIRTIO_OFF_NOTIFY;
	unsigned int i;

	if (bar != VIRTIO_BAR || !ops)
		return;
	for (i = 0; i < vd->info.nr_queues; i++) {
		struct virtio_queue *q = &vd->queues[i];

		if (q->ioeventfd)
			ops->ioeventfd_del(vd->plat, vd->notify_base +
					   VIRTIO_NOTIFY_MULT * i, q->kick_fd);
		q->ioeventfd = base &&
			!ops->ioeventfd_add(vd->plat, base + VIRTIO_NOTIFY_MULT * i,
					    q->kick_fd);
	}
	vd->notify_base = base;
}

/* The VIRTIO_PCI_CAP_PCI_CFG window: BAR accesses through config space. */
static bool pci_cfg_window(struct virtio_dev *vd, uint32_t off, uint32_t len,
			   uint32_t *bar_off, uint32_t *n)
{
	const uint8_t *c = &vd->pci.cfg[vd->cfg_cap];
	uint32_t cap = vd->cfg_cap, l;

	if (!cap || off + len <= cap + CAP_PCI_CFG_DATA ||
	    off >= cap + CAP_PCI_CFG_LEN)
		return false;	/* the access does not touch pci_cfg_data */
	l = pci_get32(&c[CAP_LENGTH]);
	*bar_off = pci_get32(&c[CAP_OFFSET]);
	*n = l;
	/* the offset is the guest's: compare without wrapping around */
	return c[CAP_BAR] == VIRTIO_BAR && (l == 1 || l == 2 || l == 4) &&
	       !(*bar_off & (l - 1)) && *bar_off <= VIRTIO_BAR_SIZE - l;
}

static void virtio_cfg_read(struct pci_dev *d, uint32_t off, uint32_t len)
{
	struct virtio_dev *vd = to_vd(d);
	uint32_t bar_off, n;

	if (pci_cfg_window(vd, off, len, &bar_off, &n)) {
		uint8_t buf[4] = { 0 };

		virtio_pci_bar_io(d, VIRTIO_BAR, bar_off, buf, n, false);
		memcpy(&d->cfg[vd->cfg_cap + CAP_PCI_CFG_DATA], buf, 4);
	}
}

static void virtio_cfg_write(struct pci_dev *d, uint32_t off, uint32_t len)
{
	struct virtio_dev *vd = to_vd(d);
	uint32_t bar_off, n;
	bool was = msix_enabled(&vd->msix);

	if (pci_cfg_window(vd, off, len, &bar_off, &n)) {
		uint8_t buf[4];

		memcpy(buf, &d->cfg[vd->cfg_cap + CAP_PCI_CFG_DATA], 4);
		virtio_pci_bar_io(d, VIRTIO_BAR, bar_off, buf, n, true);
	}
	msix_cfg_write(&vd->msix, off, len);
	if (!was && msix_enabled(&vd->msix))
		virtio_isr_read(vd);	/* MSI-X on: INTx goes quiet */
}

static const struct pci_dev_ops virtio_pci_ops = {
	.bar_io = virtio_pci_bar_io,
	.bar_map = virtio_bar_map,
	.cfg_write = virtio_cfg_write,
	.cfg_read = virtio_cfg_read,
};

/* ------------------------------------------------------------------ */

static int add_vcap(struct pci_dev *d, uint8_t type, uint8_t len,
		    uint32_t off, uint32_t length)
{
	int cap = pci_dev_add_cap(d, PCI_CAP_ID_VNDR, len);

	if (cap < 0)
		return cap;
	d->cfg[cap + 2] = len;
	d->cfg[cap + CAP_CFG_TYPE] = type;
	d->cfg[cap + CAP_BAR] = VIRTIO_BAR;
	pci_put32(&d->cfg[cap + CAP_OFFSET], off);
	pci_put32(&d->cfg[cap + CAP_LENGTH], length);
	return cap;
}

static void kick_event(void *opaque, uint32_t events)
{
	struct virtio_queue *q = opaque;
	struct virtio_dev *vd = q->vd;
	uint64_t v;

	if (read(q->kick_fd, &v, sizeof(v)) < 0)
		return;
	pthread_mutex_lock(&vd->lock);
	if (q->enabled && virtio_dev_live(vd) && vd->info.ops->queue_notify)
		vd->info.ops->queue_notify(vd, q->index);
	pthread_mutex_unlock(&vd->lock);
}

static int virtio_pci_caps(struct virtio_dev *vd)
{
	struct pci_dev *d = &vd->pci;
	unsigned int nr_vec = vd->info.nr_queues + 1;
	int cap, ret;

	ret = pci_dev_add_bar(d, VIRTIO_BAR, VIRTIO_BAR_SIZE, false);
	if (ret)
		return ret;
	ret = msix_init(&vd->msix, d, vd->plat, nr_vec, VIRTIO_BAR,
			VIRTIO_OFF_MSIX_TABLE, VIRTIO_OFF_MSIX_PBA);
	if (ret)
		return ret;
	cap = add_vcap(d, VIRTIO_PCI_CAP_COMMON_CFG, CAP_LEN, VIRTIO_OFF_COMMON,
		       VIRTIO_PCI_COMMON_SIZE);
	if (cap < 0)
		return cap;
	cap = add_vcap(d, VIRTIO_PCI_CAP_NOTIFY_CFG, CAP_NOTIFY_LEN,
		       VIRTIO_OFF_NOTIFY, VIRTIO_NOTIFY_MULT * vd->info.nr_queues);
	if (cap < 0)
		return cap;
	pci_put32(&d->cfg[cap + CAP_NOTIFY_MULT], VIRTIO_NOTIFY_MULT);
	cap = add_vcap(d, VIRTIO_PCI_CAP_ISR_CFG, CAP_LEN, VIRTIO_OFF_ISR, 1);
	if (cap < 0)
		return cap;
	if (vd->info.cfg_size) {
		cap = add_vcap(d, VIRTIO_PCI_CAP_DEVICE_CFG, CAP_LEN,
			       VIRTIO_OFF_DEVICE, vd->info.cfg_size);
		if (cap < 0)
			return cap;
	}
	cap = add_vcap(d, VIRTIO_PCI_CAP_PCI_CFG, CAP_PCI_CFG_LEN, 0, 0);
	if (cap < 0)
		return cap;
	/* bar, offset, length and data are the driver's to write */
	d->wmask[cap + CAP_BAR] = 0xff;
	pci_put32(&d->wmask[cap + CAP_OFFSET], 0xffffffff);
	pci_put32(&d->wmask[cap + CAP_LENGTH], 0xffffffff);
	pci_put32(&d->wmask[cap + CAP_PCI_CFG_DATA], 0xffffffff);
	vd->cfg_cap = (uint8_t)cap;
	return 0;
}

int virtio_dev_init(struct virtio_dev *vd, const struct virtio_dev_info *info,
		    const struct guest_mem *mem, struct platform *plat)
{
	unsigned int i;
	int ret;

	if (!info->nr_queues || info->nr_queues > VIRTIO_MAX_QUEUES ||
	    !info->queue_max || info->queue_max > VQ_MAX_SIZE ||
	    (info->queue_max & (info->queue_max - 1)) ||
	    info->cfg_size > VIRTIO_CFG_MAX || !info->ops)
		return -EINVAL;
	memset(vd, 0, sizeof(*vd));
	vd->info = *info;
	vd->mem = mem;
	vd->plat = plat;
	vd->host_features = info->features | transport_features(info);
	pthread_mutex_init(&vd->lock, NULL);
	pthread_mutex_init(&vd->isr_lock, NULL);
	pci_dev_init(&vd->pci, VIRTIO_PCI_VENDOR_ID,
		     (uint16_t)(VIRTIO_PCI_DEVICE_ID_BASE + info->id), info->pci_class,
		     1, VIRTIO_PCI_VENDOR_ID, VIRTIO_PCI_SUBSYS_ID, true,
		     &virtio_pci_ops, vd);
	vd->queues = dev_zalloc(info->nr_queues * sizeof(*vd->queues));
	if (!vd->queues)
		return -ENOMEM;
	for (i = 0; i < info->nr_queues; i++) {
		struct virtio_queue *q = &vd->queues[i];

		q->vd = vd;
		q->index = i;
		q->vq.mem = mem;
		q->kick_fd = -1;
	}
	for (i = 0; i < info->nr_queues; i++) {
		struct virtio_queue *q = &vd->queues[i];

		q->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (q->kick_fd < 0)
			return -errno;
		if (plat) {
			ret = plat->ops->watch(plat, q->kick_fd, PLAT_EV_IN,
					       kick_event, q);
			if (ret)
				return ret;
		}
	}
	ret = virtio_pci_caps(vd);
	if (ret)
		return ret;
	transport_reset(vd);
	return 0;
}

void virtio_close_watched(struct virtio_dev *vd, int *fd)
{
	if (*fd < 0)
		return;
	if (vd->plat)
		vd->plat->ops->unwatch(vd->plat, *fd);
	close(*fd);
	*fd = -1;
}

void virtio_dev_free(struct virtio_dev *vd)
{
	if (vd)
		vd->info.ops->destroy(vd);
}

void virtio_dev_destroy(struct virtio_dev *vd)
{
	unsigned int i;

	if (!vd->queues)
		return;
	for (i = 0; i < vd->info.nr_queues; i++) {
		struct virtio_queue *q = &vd->queues[i];

		if (q->ioeventfd && vd->plat)
			vd->plat->ops->ioeventfd_del(vd->plat, vd->notify_base +
						     VIRTIO_NOTIFY_MULT * i, q->kick_fd);
		q->ioeventfd = false;
		virtio_close_watched(vd, &q->kick_fd);
	}
	msix_destroy(&vd->msix);
	dev_zfree(vd->queues, vd->info.nr_queues * sizeof(*vd->queues));
	vd->queues = NULL;
	pthread_mutex_destroy(&vd->lock);
	pthread_mutex_destroy(&vd->isr_lock);
}
