// SPDX-License-Identifier: GPL-2.0-only
/* virtio-vsock: the packets to the guest (receive queue). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "devices/virtio/vsock.h"
#include "devices/virtio/vsock_internal.h"
#include "util/compiler.h"

#define RX_PER_CONN	4	/* data packets per connection per pass */

static void fill_hdr(struct vsock_dev *v, struct vsock_conn *c,
		     struct vsock_hdr *h, uint16_t op)
{
	*h = (struct vsock_hdr){
		.src_cid = VSOCK_HOST_CID, .dst_cid = v->guest_cid,
		.src_port = c->local_port, .dst_port = c->peer_port,
		.type = VSOCK_TYPE_STREAM, .op = op,
		.buf_alloc = VSOCK_BUF_ALLOC, .fwd_cnt = c->fwd_cnt,
	};
	c->fwd_cnt_sent = c->fwd_cnt;
}

/* Put one header-only packet in a receive chain. */
static bool send_ctl(struct virtqueue *vq, struct vq_chain *ch,
		     const struct vsock_hdr *h)
{
	uint8_t raw[VSOCK_HDR_LEN];
	struct vq_iter it;

	vsock_hdr_encode(h, raw);
	vq_iter_in(&it, ch);
	if (vq_iter_write(&it, raw, sizeof(raw))) {
		vq_push(vq, ch->head, 0);	/* too small for a header */
		return false;
	}
	vq_push(vq, ch->head, VSOCK_HDR_LEN);
	return true;
}

/* 1: got a chain; 0: none; -1: the queue broke */
static int rx_pop(struct vsock_dev *v, struct vq_chain *ch, bool *pushed)
{
	struct virtqueue *vq = virtio_vq(&v->vd, VSOCK_RXQ);
	int ret;

	for (;;) {
		ret = vq_pop(vq, ch);
		if (ret == 1)
			return 1;
		if (ret == -EBADMSG) {
			*pushed = true;
			continue;
		}
		if (ret == -EIO) {
			virtio_dev_fail(&v->vd, "broken receive queue");
			v->rx_buffers = false;
			return -1;
		}
		if (vq_enable_notify(vq))
			continue;
		v->rx_buffers = false;
		return 0;
	}
}

static uint16_t pending_op(struct vsock_conn *c, uint32_t *flags)
{
	static const struct { unsigned int bit; uint16_t op; } order[] = {
		{ VSOCK_PEND_RST, VSOCK_OP_RST },
		{ VSOCK_PEND_RESPONSE, VSOCK_OP_RESPONSE },
		{ VSOCK_PEND_REQUEST, VSOCK_OP_REQUEST },
		{ VSOCK_PEND_SHUTDOWN, VSOCK_OP_SHUTDOWN },
		{ VSOCK_PEND_CREDIT, VSOCK_OP_CREDIT_UPDATE },
	};
	unsigned int i;

	*flags = 0;
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(c->pending & order[i].bit))
			continue;
		c->pending &= ~order[i].bit;
		if (order[i].op == VSOCK_OP_SHUTDOWN)
			*flags = VSOCK_SHUTDOWN_SEND |
				 (c->host_hup ? VSOCK_SHUTDOWN_RCV : 0);
		return order[i].op;
	}
	return 0;
}

/* Host data into the guest's receive buffers: 1 sent, 0 nothing, -1 stop. */
static int conn_rx_data(struct vsock_dev *v, struct vsock_conn *c, bool *pushed)
{
	struct virtqueue *vq = virtio_vq(&v->vd, VSOCK_RXQ);
	uint8_t raw[VSOCK_HDR_LEN];
	struct vq_iter it, hdr_it;
	struct vsock_hdr h;
	struct vq_chain ch;
	uint64_t room;
	uint32_t credit;
	ssize_t n;
	int cnt, ret;

	if (c->state != VSOCK_ESTABLISHED || c->fd < 0 || c->host_eof ||
	    c->guest_no_rcv || !vsock_peer_credit(c))
		return 0;
	ret = rx_pop(v, &ch, pushed);
	if (ret <= 0)
		return -1;
	if (ch.in_len <= VSOCK_HDR_LEN) {
		vq_push(vq, ch.head, 0);
		*pushed = true;
		return 1;
	}
	credit = vsock_peer_credit(c);
	room = MIN(ch.in_len - VSOCK_HDR_LEN, (uint64_t)credit);
	room = MIN(room, (uint64_t)VSOCK_MAX_PAYLOAD);
	vq_iter_in(&it, &ch);
	hdr_it = it;
	vq_iter_skip(&it, VSOCK_HDR_LEN);
	cnt = vq_iter_iov(&it, room, v->iov, VQ_MAX_CHAIN);
	if (cnt < 0) {
		vq_push(vq, ch.head, 0);
		*pushed = true;
		return 1;
	}
	do {
		n = readv(c->fd, v->iov, cnt);
	} while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN) {
		vq_unpop(vq);
		return 0;
	}
	if (n <= 0) {
		vq_unpop(vq);
		c->host_eof = true;
		c->pending |= VSOCK_PEND_SHUTDOWN;
		return 0;
	}
	fill_hdr(v, c, &h, VSOCK_OP_RW);
	h.len = (uint32_t)n;
	vsock_hdr_encode(&h, raw);
	vq_iter_write(&hdr_it, raw, sizeof(raw));
	vq_push(vq, ch.head, VSOCK_HDR_LEN + (uint32_t)n);
	c->rx_cnt += (uint32_t)n;
	*pushed = true;
	v->rx_pkts++;
	return 1;
}

/* Send everything that waits for the guest, as far as buffers allow. */
void vsock_rx_flush(struct vsock_dev *v)
{
	struct virtqueue *vq = virtio_vq(&v->vd, VSOCK_RXQ);
	struct vsock_conn *c, *next;
	bool pushed = false;
	struct vq_chain ch;
	unsigned int i;

	if (!v->vd.queues[VSOCK_RXQ].enabled || !virtio_dev_live(&v->vd)) {
		/*
		 * Nothing can be delivered: stop reading host sockets (their
		 * watches are level-triggered) until the driver is back;
		 * DRIVER_OK kicks the enabled queues, which re-arms this.
		 */
		v->rx_buffers = false;
		vsock_update_all_watches(v);
		return;
	}
	while (v->nr_orphan_rst) {
		if (rx_pop(v, &ch, &pushed) <= 0)
			goto out;
		send_ctl(vq, &ch, &v->orphan_rst[--v->nr_orphan_rst]);
		pushed = true;
	}
	for (c = v->conns; c; c = next) {
		next = c->next;
		while (c->pending) {
			struct vsock_hdr h;
			uint32_t flags;
			uint16_t op;

			if (rx_pop(v, &ch, &pushed) <= 0)
				goto out;
			op = pending_op(c, &flags);
			if (!op) {
				c->pending = 0;
				vq_unpop(vq);
				break;
			}
			fill_hdr(v, c, &h, op);
			h.flags = flags;
			send_ctl(vq, &ch, &h);
			pushed = true;
			if (op == VSOCK_OP_RST) {
				vsock_conn_free(c);
				c = NULL;
				break;
			}
		}
		if (!c)
			continue;
		for (i = 0; i < RX_PER_CONN; i++) {
			int r = conn_rx_data(v, c, &pushed);

			if (r < 0)
				goto out;
			if (!r)
				break;
		}
		/* EOF found while reading: the SHUTDOWN goes out next pass */
		if (c->pending && v->rx_buffers)
			next = c;
	}
out:
	if (pushed)
		virtio_queue_done(&v->vd, VSOCK_RXQ);
	vsock_update_all_watches(v);
}

