// SPDX-License-Identifier: GPL-2.0-only
/*
 * The split virtqueue walker on a ring the input writes: every chain it
 * accepts must consist of buffers wholly inside one guest RAM region, no
 * more than VQ_MAX_CHAIN of them, readable ones first; the cursors must
 * stay inside the chain.  ASan/UBSan watch the host memory.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "devices/virtio/virtqueue.h"
#include "vfuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct virtqueue vq;

static void check_chain(struct vfuzz *f, const struct vq_chain *c)
{
	uint64_t out = 0, in = 0;
	unsigned int i;

	if (c->nr > VQ_MAX_CHAIN || c->nr != c->nr_out + c->nr_in || c->head >= vq.size)
		abort();
	for (i = 0; i < c->nr; i++) {
		const struct vq_buf *b = &c->bufs[i];

		if (!b->len || guest_mem_ptr(&f->mem, b->gpa, b->len) != b->hva)
			abort();
		if (b->write != (i >= c->nr_out))
			abort();
		if (b->write)
			in += b->len;
		else
			out += b->len;
	}
	if (out != c->out_len || in != c->in_len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfuzz f;
	struct vq_chain c;
	unsigned int i;

	if (!vfuzz_begin(&f, data, size))
		return 0;
	if (vq_setup(&vq, &f.mem, f.qsize, vfuzz_desc(0), vfuzz_avail(0), vfuzz_used(0),
		     f.flags & 1, f.flags & 2))
		goto out;
	for (i = 0; i < 4u * f.qsize + 8; i++) {
		uint8_t buf[64];
		struct iovec iov[8];
		struct vq_iter it;
		int ret = vq_pop(&vq, &c);

		if (!ret || ret == -EIO)
			break;
		if (ret < 0)
			continue;
		check_chain(&f, &c);
		vq_iter_out(&it, &c);
		vq_iter_skip(&it, f.extra);
		vq_iter_read(&it, buf, sizeof(buf) < it.left ? sizeof(buf) : it.left);
		vq_iter_in(&it, &c);
		vq_iter_iov(&it, it.left < 4096 ? it.left : 4096, iov, 8);
		memset(buf, 0xa5, sizeof(buf));
		vq_iter_write(&it, buf, it.left < sizeof(buf) ? it.left : sizeof(buf));
		if (f.extra & 1) {
			/* taken again: the writes above may have changed the
			 * ring (buffers may overlap it), so it is walked anew */
			vq_unpop(&vq);
			if (vq_pop(&vq, &c) != 1)
				continue;
			check_chain(&f, &c);
		}
		vq_push(&vq, c.head, (uint32_t)(c.in_len & 0xffff));
		vq_should_notify(&vq);
		if (i & 1)
			vq_enable_notify(&vq);
		else
			vq_disable_notify(&vq);
	}
	vfuzz_check(&f, 1);
out:
	vfuzz_end(&f);
	return 0;
}
