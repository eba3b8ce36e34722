// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/dev_alloc.h"
#include "devices/virtio/blk.h"
#include "util/compiler.h"
#include "util/log.h"

#define BOUNCE_SIZE		(1u << 20)
#define DIRECT_ALIGN		512
#define ZERO_CHUNK		65536

struct blk_discard_seg {
	uint64_t sector;
	uint32_t num_sectors;
	uint32_t flags;
};

/* ------------------------------------------------------------------ */
/* parsing */

int blk_req_parse(const struct vq_chain *c, struct blk_req *r)
{
	const struct vq_buf *last;
	uint8_t hdr[16];
	struct vq_iter it;

	memset(r, 0, sizeof(*r));
	if (c->out_len < sizeof(hdr) || !c->in_len || !c->nr)
		return -EINVAL;
	vq_iter_out(&it, c);
	if (vq_iter_read(&it, hdr, sizeof(hdr)))
		return -EINVAL;
	r->type = pci_get32(hdr);
	r->sector = (uint64_t)pci_get32(hdr + 12) << 32 | pci_get32(hdr + 8);
	last = &c->bufs[c->nr - 1];	/* writable: nr_in >= 1 */
	r->status = (uint8_t *)last->hva + last->len - 1;
	if (r->type == VIRTIO_BLK_T_IN || r->type == VIRTIO_BLK_T_GET_ID) {
		vq_iter_in(&r->data, c);
		r->data_len = c->in_len - 1;
	} else {
		r->data = it;
		r->data_len = c->out_len - sizeof(hdr);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* I/O */

/* Full preadv/pwritev over @iov (consumed), retrying short transfers. */
static int rw_full(int fd, struct iovec *iov, int n, uint64_t off, bool write)
{
	while (n > 0) {
		ssize_t r = write ? pwritev(fd, iov, n, (off_t)off) :
				    preadv(fd, iov, n, (off_t)off);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0)
			return -EIO;	/* the image shrank under us */
		off += (uint64_t)r;
		while (n > 0 && (size_t)r >= iov->iov_len) {
			r -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (uint8_t *)iov->iov_base + r;
			iov->iov_len -= (size_t)r;
		}
	}
	return 0;
}

static bool iov_aligned(const struct iovec *iov, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (((uintptr_t)iov[i].iov_base | iov[i].iov_len) & (DIRECT_ALIGN - 1))
			return false;
	return true;
}

/* O_DIRECT with unaligned guest buffers: through an aligned buffer. */
static int rw_bounce(struct blk_dev *b, struct vq_iter *it, uint64_t len,
		     uint64_t off, bool write)
{
	struct iovec iov;
	uint64_t done;
	int ret;

	if (!b->bounce) {
		if (posix_memalign(&b->bounce, 4096, BOUNCE_SIZE))
			return -ENOMEM;
		b->bounce_len = BOUNCE_SIZE;
	}
	for (done = 0; done < len; done += iov.iov_len) {
		iov.iov_base = b->bounce;
		iov.iov_len = (size_t)MIN(len - done, (uint64_t)BOUNCE_SIZE);
		if (write && vq_iter_read(it, b->bounce, iov.iov_len))
			return -EFAULT;
		ret = rw_full(b->fd, &iov, 1, off + done, write);
		if (ret)
			return ret;
		iov.iov_len = (size_t)MIN(len - done, (uint64_t)BOUNCE_SIZE);
		if (!write && vq_iter_write(it, b->bounce, iov.iov_len))
			return -EFAULT;
	}
	return 0;
}

static bool range_ok(const struct blk_dev *b, uint64_t sector, uint64_t sectors)
{
	return sector <= b->capacity && sectors <= b->capacity - sector;
}

static uint8_t blk_rw(struct blk_dev *b, struct blk_req *r, bool write,
		      uint32_t *written)
{
	uint64_t off = r->sector * VIRTIO_BLK_SECTOR;
	struct vq_iter start = r->data;
	int n, ret;

	if (r->data_len % VIRTIO_BLK_SECTOR ||
	    !range_ok(b, r->sector, r->data_len / VIRTIO_BLK_SECTOR))
		return VIRTIO_BLK_S_IOERR;
	if (!r->data_len)
		return VIRTIO_BLK_S_OK;
	n = vq_iter_iov(&r->data, r->data_len, b->iov, VQ_MAX_CHAIN);
	if (n < 0)
		return VIRTIO_BLK_S_IOERR;
	if (b->direct && !iov_aligned(b->iov, n))
		ret = rw_bounce(b, &start, r->data_len, off, write);
	else
		ret = rw_full(b->fd, b->iov, n, off, write);
	if (ret) {
		log_debug("%s: %s of %llu bytes at sector %llu: %s", b->vd.info.name,
			  write ? "write" : "read", (unsigned long long)r->data_len,
			  (unsigned long long)r->sector, strerror(-ret));
		return VIRTIO_BLK_S_IOERR;
	}
	if (!write)
		*written = (uint32_t)MIN(r->data_len, (uint64_t)UINT32_MAX - 1);
	return VIRTIO_BLK_S_OK;
}

static int write_zeroes(struct blk_dev *b, uint64_t off, uint64_t len, bool unmap)
{
	/* in .bss, not .rodata: never written, so its pages stay the zero page */
	static uint8_t zeros[ZERO_CHUNK];
	int mode = unmap ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE :
			   FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
	uint64_t done;

	if (!fallocate(b->fd, mode, (off_t)off, (off_t)len))
		return 0;
	if (!unmap && !fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				 (off_t)off, (off_t)len))
		return 0;
	if (b->direct)
		return -EOPNOTSUPP;	/* the zero page is not aligned: keep it simple */
	for (done = 0; done < len;) {
		ssize_t w = pwrite(b->fd, zeros, (size_t)MIN(len - done, (uint64_t)ZERO_CHUNK),
				   (off_t)(off + done));

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		done += (uint64_t)w;
	}
	return 0;
}

static uint8_t blk_discard(struct blk_dev *b, struct blk_req *r)
{
	bool wz = r->type == VIRTIO_BLK_T_WRITE_ZEROES;
	uint64_t nseg = r->data_len / sizeof(struct blk_discard_seg), i;
	uint8_t raw[16];

	if (r->data_len % 16 || !nseg || nseg > VIRTIO_BLK_MAX_DISCARD_SEGS)
		return VIRTIO_BLK_S_UNSUPP;
	for (i = 0; i < nseg; i++) {
		struct blk_discard_seg s;
		uint64_t off, len;

		if (vq_iter_read(&r->data, raw, sizeof(raw)))
			return VIRTIO_BLK_S_IOERR;
		s.sector = (uint64_t)pci_get32(raw + 4) << 32 | pci_get32(raw);
		s.num_sectors = pci_get32(raw + 8);
		s.flags = pci_get32(raw + 12);
		if (s.flags & ~(uint32_t)(wz ? VIRTIO_BLK_WZ_UNMAP : 0))
			return VIRTIO_BLK_S_UNSUPP;
		if (s.num_sectors > VIRTIO_BLK_MAX_DISCARD_SECTORS ||
		    !range_ok(b, s.sector, s.num_sectors))
			return VIRTIO_BLK_S_IOERR;
		off = s.sector * VIRTIO_BLK_SECTOR;
		len = (uint64_t)s.num_sectors * VIRTIO_BLK_SECTOR;
		if (!len)
			continue;
		if (wz) {
			if (write_zeroes(b, off, len, s.flags & VIRTIO_BLK_WZ_UNMAP))
				return VIRTIO_BLK_S_IOERR;
		} else {
			/* advisory: a file system without hole punching keeps the data */
			if (fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				      (off_t)off, (off_t)len) &&
			    errno != EOPNOTSUPP)
				return VIRTIO_BLK_S_IOERR;
		}
	}
	return VIRTIO_BLK_S_OK;
}

uint32_t blk_handle(struct blk_dev *b, struct vq_chain *c)
{
	uint32_t written = 0;
	struct blk_req r;
	uint8_t status;

	if (blk_req_parse(c, &r))
		return 0;	/* no room for a status: fail the chain */
	switch (r.type) {
	case VIRTIO_BLK_T_IN:
		status = blk_rw(b, &r, false, &written);
		break;
	case VIRTIO_BLK_T_OUT:
		status = b->readonly ? VIRTIO_BLK_S_IOERR : blk_rw(b, &r, true, &written);
		break;
	case VIRTIO_BLK_T_FLUSH:
		status = fdatasync(b->fd) && errno != EINVAL && errno != EROFS ?
			 VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_GET_ID:
		written = (uint32_t)MIN(r.data_len, (uint64_t)VIRTIO_BLK_ID_BYTES);
		status = vq_iter_write(&r.data, b->id, written) ?
			 VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
		break;
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES:
		status = b->readonly ? VIRTIO_BLK_S_IOERR : blk_discard(b, &r);
		break;
	default:
		status = VIRTIO_BLK_S_UNSUPP;
		break;
	}
	b->reqs[r.type < ARRAY_SIZE(b->reqs) ? r.type : 15]++;
	__atomic_store_n(r.status, status, __ATOMIC_RELAXED);
	return written + 1;
}

/* ------------------------------------------------------------------ */
/* the virtio device */

static int blk_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	uint32_t used = blk_handle(blk_of(vd), c);

	return (int)MIN(used, (uint32_t)INT32_MAX);
}

static void blk_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	virtio_process(vd, q, blk_chain, NULL);
}

static void blk_cfg_read(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			 uint32_t len)
{
	struct blk_dev *b = blk_of(vd);
	uint8_t c[VIRTIO_BLK_CFG_SIZE];

	memset(c, 0, sizeof(c));
	pci_put32(c + 0, (uint32_t)b->capacity);
	pci_put32(c + 4, (uint32_t)(b->capacity >> 32));
	pci_put32(c + 12, VIRTIO_BLK_MAX_SEGS);		/* seg_max */
	pci_put32(c + 20, VIRTIO_BLK_SECTOR);		/* blk_size */
	pci_put16(c + 34, 1);				/* num_queues */
	pci_put32(c + 36, VIRTIO_BLK_MAX_DISCARD_SECTORS);
	pci_put32(c + 40, VIRTIO_BLK_MAX_DISCARD_SEGS);
	pci_put32(c + 44, 1);				/* discard alignment */
	pci_put32(c + 48, VIRTIO_BLK_MAX_DISCARD_SECTORS);
	pci_put32(c + 52, VIRTIO_BLK_MAX_DISCARD_SEGS);
	c[56] = 1;					/* write_zeroes_may_unmap */
	memcpy(data, c + off, len);
}

static void blk_destroy(struct virtio_dev *vd)
{
	struct blk_dev *b = blk_of(vd);

	virtio_dev_destroy(&b->vd);
	if (b->fd >= 0 && b->own_fd)
		close(b->fd);
	free(b->bounce);
	dev_zfree(b, sizeof(*b));
}

static const struct virtio_dev_ops blk_ops = {
	.cfg_read = blk_cfg_read,
	.queue_notify = blk_queue_notify,
	.destroy = blk_destroy,
};

/* A device on @fd of @size bytes (@own_fd: closed with it). */
static int blk_dev_new(int fd, bool own_fd, uint64_t size, bool readonly, bool direct,
		       const char id[VIRTIO_BLK_ID_BYTES], const struct virtio_dev_env *env,
		       struct virtio_dev **out)
{
	struct virtio_dev_info info = {
		.name = env->name ? env->name : "virtio-blk",
		.id = VIRTIO_ID_BLOCK,
		.pci_class = 0x018000,		/* mass storage, other */
		.nr_queues = 1,
		.queue_max = VIRTIO_BLK_QUEUE_SIZE,
		.cfg_size = VIRTIO_BLK_CFG_SIZE,
		.features = 1ULL << VIRTIO_BLK_F_SEG_MAX | 1ULL << VIRTIO_BLK_F_BLK_SIZE |
			    1ULL << VIRTIO_BLK_F_FLUSH,
		.access_platform = env->access_platform,
		.ops = &blk_ops,
	};
	struct blk_dev *b = dev_zalloc(sizeof(*b));
	int ret;

	if (!b) {
		if (own_fd)
			close(fd);
		return -ENOMEM;
	}
	b->fd = fd;
	b->own_fd = own_fd;
	if (readonly)
		info.features |= 1ULL << VIRTIO_BLK_F_RO;
	else
		info.features |= 1ULL << VIRTIO_BLK_F_DISCARD |
				 1ULL << VIRTIO_BLK_F_WRITE_ZEROES;
	ret = virtio_dev_init(&b->vd, &info, env->mem, env->plat);
	if (ret) {
		blk_destroy(&b->vd);
		return ret;
	}
	b->readonly = readonly;
	b->direct = direct;
	b->capacity = size / VIRTIO_BLK_SECTOR;
	if (id)
		memcpy(b->id, id, sizeof(b->id));
	*out = &b->vd;
	return 0;
}

int blk_dev_create_fd(int fd, uint64_t size, bool readonly, const struct virtio_dev_env *env,
		      struct virtio_dev **out)
{
	return blk_dev_new(fd, true, size, readonly, false, NULL, env, out);
}

int blk_dev_create(const struct blk_image *img, const struct virtio_dev_env *env,
		   struct virtio_dev **out)
{
	/* the image's descriptor, which outlives the device */
	return blk_dev_new(img->fd, false, img->size, img->readonly, img->direct, img->id,
			   env, out);
}
