// SPDX-License-Identifier: GPL-2.0-only
#include <endian.h>
#include <errno.h>
#include <string.h>

#include "devices/virtio/virtio_spec.h"
#include "devices/virtio/virtqueue.h"
#include "util/compiler.h"
#include "util/log.h"

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* avail: le16 flags, le16 idx, le16 ring[size], le16 used_event */
#define AVAIL_FLAGS	0
#define AVAIL_IDX	2
#define AVAIL_RING	4
/* used: le16 flags, le16 idx, {le32 id, le32 len} ring[size], le16 avail_event */
#define USED_FLAGS	0
#define USED_IDX	2
#define USED_RING	4

uint64_t vq_desc_size(uint16_t size)
{
	return 16ULL * size;
}

uint64_t vq_avail_size(uint16_t size)
{
	return 6 + 2ULL * size;
}

uint64_t vq_used_size(uint16_t size)
{
	return 6 + 8ULL * size;
}

/* Guest-shared memory: each load and store happens exactly once. */
static uint16_t load16(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED));
}

static uint16_t load16_acquire(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE));
}

static void store16(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, htole16(v), __ATOMIC_RELAXED);
}

static void store16_release(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, htole16(v), __ATOMIC_RELEASE);
}

static void store32(uint8_t *p, uint32_t v)
{
	__atomic_store_n((uint32_t *)p, htole32(v), __ATOMIC_RELAXED);
}

static void desc_load(const uint8_t *p, struct vring_desc *d)
{
	struct vring_desc raw;

	memcpy(&raw, p, sizeof(raw));
	/* the compiler must not re-read guest memory for the fields */
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	d->addr = le64toh(raw.addr);
	d->len = le32toh(raw.len);
	d->flags = le16toh(raw.flags);
	d->next = le16toh(raw.next);
}

void vq_reset(struct virtqueue *vq)
{
	const struct guest_mem *mem = vq->mem;

	memset(vq, 0, offsetof(struct virtqueue, bufs));
	vq->mem = mem;
}

int vq_setup(struct virtqueue *vq, const struct guest_mem *mem, uint16_t size,
	     uint64_t desc, uint64_t avail, uint64_t used, bool event_idx,
	     bool indirect)
{
	uint8_t *d, *a, *u;

	vq_reset(vq);
	vq->mem = mem;
	if (!size || size > VQ_MAX_SIZE || (size & (size - 1)))
		return -EINVAL;
	if ((desc & 15) || (avail & 1) || (used & 3))
		return -EINVAL;
	d = guest_mem_ptr(mem, desc, vq_desc_size(size));
	a = guest_mem_ptr(mem, avail, vq_avail_size(size));
	u = guest_mem_ptr(mem, used, vq_used_size(size));
	if (!d || !a || !u)
		return -EFAULT;
	vq->size = size;
	vq->desc_gpa = desc;
	vq->avail_gpa = avail;
	vq->used_gpa = used;
	vq->desc = d;
	vq->avail = a;
	vq->used = u;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	/* indices start at 0 whatever the rings hold (2.7.13) */
	vq->used_idx = 0;
	vq->last_avail = 0;
	vq->ready = true;
	return 0;
}

static int chain_add(struct virtqueue *vq, struct vq_chain *c,
		     const struct vring_desc *d)
{
	bool w = d->flags & VIRTQ_DESC_F_WRITE;
	struct vq_buf *b;
	void *hva;

	if (!d->len)
		return 0;		/* nothing to transfer: ignore */
	if (c->nr >= VQ_MAX_CHAIN)
		return -E2BIG;
	if (!w && c->nr_in)
		return -EINVAL;		/* readable after writable */
	hva = guest_mem_ptr(vq->mem, d->addr, d->len);
	if (!hva)
		return -EFAULT;
	b = &c->bufs[c->nr++];
	b->gpa = d->addr;
	b->len = d->len;
	b->write = w;
	b->hva = hva;
	if (w) {
		c->nr_in++;
		c->in_len += d->len;
	} else {
		c->nr_out++;
		c->out_len += d->len;
	}
	return 0;
}

static int walk_indirect(struct virtqueue *vq, struct vq_chain *c,
			 const struct vring_desc *ind)
{
	unsigned int n, i = 0, steps;
	struct vring_desc d;
	const uint8_t *table;
	int ret;

	if (!vq->indirect || (ind->flags & VIRTQ_DESC_F_NEXT))
		return -EINVAL;
	if (!ind->len || (ind->len % 16) || ind->len / 16 > VQ_MAX_INDIRECT ||
	    (ind->addr & 15))
		return -EINVAL;
	table = guest_mem_ptr(vq->mem, ind->addr, ind->len);
	if (!table)
		return -EFAULT;
	n = ind->len / 16;
	for (steps = 0;; steps++) {
		if (steps >= n)
			return -ELOOP;
		desc_load(table + 16 * i, &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return -EINVAL;	/* nested */
		ret = chain_add(vq, c, &d);
		if (ret)
			return ret;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = d.next;
		if (i >= n)
			return -EINVAL;
	}
}

static int walk(struct virtqueue *vq, struct vq_chain *c, uint16_t head)
{
	unsigned int i = head, steps;
	struct vring_desc d;
	int ret;

	for (steps = 0;; steps++) {
		if (steps >= vq->size)
			return -ELOOP;
		desc_load(vq->desc + 16 * i, &d);
		if (d.flags & VIRTQ_DESC_F_INDIRECT)
			return walk_indirect(vq, c, &d);
		ret = chain_add(vq, c, &d);
		if (ret)
			return ret;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = d.next;
		if (i >= vq->size)
			return -EINVAL;
	}
}

bool vq_has_avail(struct virtqueue *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	return load16_acquire(vq->avail + AVAIL_IDX) != vq->last_avail;
}

int vq_pop(struct virtqueue *vq, struct vq_chain *c)
{
	uint16_t avail_idx, head;
	int ret;

	if (!vq->ready || vq->broken)
		return 0;
	avail_idx = load16_acquire(vq->avail + AVAIL_IDX);
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->size) {
		vq->broken = true;
		log_debug("virtqueue: available index %u runs %u entries ahead of %u",
			  avail_idx, (uint16_t)(avail_idx - vq->last_avail),
			  vq->last_avail);
		return -EIO;
	}
	if (avail_idx == vq->last_avail)
		return 0;
	head = load16(vq->avail + AVAIL_RING + 2 * (vq->last_avail & (vq->size - 1)));
	if (head >= vq->size) {
		vq->broken = true;
		log_debug("virtqueue: head %u past the queue size %u", head, vq->size);
		return -EIO;
	}
	vq->last_avail++;
	memset(c, 0, sizeof(*c));
	c->head = head;
	c->bufs = vq->bufs;
	vq->stats.chains++;
	ret = walk(vq, c, head);
	if (ret) {
		vq->stats.bad_chains++;
		vq->stats.last_error = ret;
		log_debug("virtqueue: bad chain at head %u: %s", head, strerror(-ret));
		vq_push(vq, head, 0);
		return -EBADMSG;
	}
	return 1;
}

void vq_unpop(struct virtqueue *vq)
{
	vq->last_avail--;
}

void vq_push(struct virtqueue *vq, uint16_t head, uint32_t len)
{
	uint8_t *e;

	if (!vq->ready)
		return;
	e = vq->used + USED_RING + 8 * (vq->used_idx & (vq->size - 1));
	store32(e, head);
	store32(e + 4, len);
	vq->used_idx++;
	store16_release(vq->used + USED_IDX, vq->used_idx);
}

bool vq_should_notify(struct virtqueue *vq)
{
	uint16_t old, now, event;
	bool valid;

	if (!vq->ready)
		return false;
	/* our used index store before reading the driver's wishes */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!vq->event_idx)
		return !(load16(vq->avail + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT);
	old = vq->signalled_used;
	valid = vq->signalled_valid;
	now = vq->used_idx;
	vq->signalled_used = now;
	vq->signalled_valid = true;
	if (!valid)
		return true;
	event = load16(vq->avail + AVAIL_RING + 2 * vq->size);	/* used_event */
	return (uint16_t)(now - event - 1) < (uint16_t)(now - old);
}

void vq_disable_notify(struct virtqueue *vq)
{
	if (!vq->ready || vq->event_idx)
		return;
	store16(vq->used + USED_FLAGS, VIRTQ_USED_F_NO_NOTIFY);
}

bool vq_enable_notify(struct virtqueue *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	if (vq->event_idx)
		store16(vq->used + USED_RING + 8 * vq->size, vq->last_avail);
	else
		store16(vq->used + USED_FLAGS, 0);
	/* publish before looking at the available index again */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return load16_acquire(vq->avail + AVAIL_IDX) != vq->last_avail;
}

/* ------------------------------------------------------------------ */
/* cursors */

static void iter_init(struct vq_iter *it, const struct vq_chain *c,
		      unsigned int start, unsigned int end, uint64_t len)
{
	it->c = c;
	it->i = start;
	it->end = end;
	it->off = 0;
	it->left = len;
}

void vq_iter_out(struct vq_iter *it, const struct vq_chain *c)
{
	iter_init(it, c, 0, c->nr_out, c->out_len);
}

void vq_iter_in(struct vq_iter *it, const struct vq_chain *c)
{
	iter_init(it, c, c->nr_out, c->nr, c->in_len);
}

/* Walk @len bytes; @fn gets each host piece. */
static int iter_walk(struct vq_iter *it, uint64_t len,
		     void (*fn)(void *ctx, uint8_t *p, size_t n), void *ctx)
{
	if (len > it->left)
		return -EFAULT;
	while (len) {
		const struct vq_buf *b = &it->c->bufs[it->i];
		uint64_t n = MIN(len, (uint64_t)b->len - it->off);

		if (fn)
			fn(ctx, (uint8_t *)b->hva + it->off, (size_t)n);
		it->off += (uint32_t)n;
		it->left -= n;
		len -= n;
		if (it->off == b->len) {
			it->i++;
			it->off = 0;
		}
	}
	return 0;
}

struct copy_ctx {
	uint8_t *p;
	bool to_guest;
};

static void copy_piece(void *ctx, uint8_t *p, size_t n)
{
	struct copy_ctx *cc = ctx;

	if (cc->to_guest)
		memcpy(p, cc->p, n);
	else
		memcpy(cc->p, p, n);
	cc->p += n;
}

int vq_iter_read(struct vq_iter *it, void *buf, size_t len)
{
	struct copy_ctx cc = { .p = buf, .to_guest = false };

	return iter_walk(it, len, copy_piece, &cc);
}

int vq_iter_write(struct vq_iter *it, const void *buf, size_t len)
{
	struct copy_ctx cc = { .p = (uint8_t *)buf, .to_guest = true };

	return iter_walk(it, len, copy_piece, &cc);
}

int vq_iter_skip(struct vq_iter *it, uint64_t len)
{
	return iter_walk(it, len, NULL, NULL);
}

struct iov_ctx {
	struct iovec *iov;
	unsigned int n, max;
};

static void iov_piece(void *ctx, uint8_t *p, size_t n)
{
	struct iov_ctx *ic = ctx;

	ic->iov[ic->n].iov_base = p;
	ic->iov[ic->n].iov_len = n;
	ic->n++;
}

int vq_iter_iov(struct vq_iter *it, uint64_t len, struct iovec *iov,
		unsigned int max)
{
	struct iov_ctx ic = { .iov = iov, .max = max };
	struct vq_iter probe = *it;
	unsigned int pieces = 0;
	uint64_t left = len;

	if (len > it->left)
		return -EFAULT;
	/* count the pieces first: never write past @max */
	while (left) {
		const struct vq_buf *b = &probe.c->bufs[probe.i];
		uint64_t n = MIN(left, (uint64_t)b->len - probe.off);

		pieces++;
		left -= n;
		probe.off = 0;
		probe.i++;
	}
	if (pieces > max)
		return -E2BIG;
	iter_walk(it, len, iov_piece, &ic);
	return (int)ic.n;
}
