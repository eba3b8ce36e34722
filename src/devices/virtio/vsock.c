// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtio-vsock: connections, the guest's packets, host events, the device
 * (packets to the guest: vsock_rx.c; headers: vsock_pkt.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/dev_alloc.h"
#include "devices/virtio/vsock.h"
#include "devices/virtio/vsock_internal.h"
#include "util/compiler.h"
#include "util/file.h"
#include "util/log.h"

/* ------------------------------------------------------------------ */
/* connections */

static struct vsock_conn *conn_find(struct vsock_dev *v, uint32_t local,
				    uint32_t peer)
{
	struct vsock_conn *c;

	for (c = v->conns; c; c = c->next)
		if (c->local_port == local && c->peer_port == peer &&
		    c->state != VSOCK_HANDSHAKE)
			return c;
	return NULL;
}

static bool local_port_used(struct vsock_dev *v, uint32_t port)
{
	struct vsock_conn *c;

	for (c = v->conns; c; c = c->next)
		if (c->local_port == port)
			return true;
	return false;
}

static void conn_close_fd(struct vsock_conn *c)
{
	struct platform *p = c->dev->vd.plat;

	if (c->fd < 0)
		return;
	if (p && c->watched)
		p->ops->unwatch(p, c->fd);
	close(c->fd);
	c->fd = -1;
	c->watched = false;
	c->watch_events = 0;
}

/* Listen again after running out of descriptors (a connection closed). */
static void listen_resume(struct vsock_dev *v)
{
	struct platform *p = v->vd.plat;

	if (!v->listen_paused)
		return;
	if (p && p->ops->watch_mod(p, v->listen_fd, PLAT_EV_IN))
		return;
	v->listen_paused = false;
}

void vsock_conn_free(struct vsock_conn *c)
{
	struct vsock_dev *v = c->dev;
	struct vsock_conn **pp;

	for (pp = &v->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	conn_close_fd(c);
	free(c->buf);
	free(c);
	v->nr_conns--;
	listen_resume(v);
}

/* Credit the guest gave us: bytes we may still send it. */
uint32_t vsock_peer_credit(const struct vsock_conn *c)
{
	uint32_t in_flight = c->rx_cnt - c->peer_fwd_cnt;

	return in_flight >= c->peer_buf_alloc ? 0 : c->peer_buf_alloc - in_flight;
}

static void conn_event(void *opaque, uint32_t events);

static void conn_update_watch(struct vsock_conn *c)
{
	struct platform *p = c->dev->vd.plat;
	uint32_t ev = 0;

	if (c->fd < 0)
		return;
	if (c->state == VSOCK_HANDSHAKE ||
	    (c->state == VSOCK_ESTABLISHED && !c->host_eof && !c->guest_no_rcv &&
	     c->dev->rx_buffers && vsock_peer_credit(c)))
		ev |= PLAT_EV_IN;
	if (c->buf_len)
		ev |= PLAT_EV_OUT;
	if (!p)
		return;
	/*
	 * Nothing wanted: leave epoll altogether, or a hung-up socket would
	 * report EPOLLHUP forever.
	 */
	if (!ev) {
		if (c->watched)
			p->ops->unwatch(p, c->fd);
		c->watched = false;
	} else if (!c->watched) {
		c->watched = !p->ops->watch(p, c->fd, ev, conn_event, c);
	} else if (ev != c->watch_events) {
		if (p->ops->watch_mod(p, c->fd, ev))
			return;
	}
	c->watch_events = ev;
}

void vsock_update_all_watches(struct vsock_dev *v)
{
	struct vsock_conn *c;

	for (c = v->conns; c; c = c->next)
		conn_update_watch(c);
}

/* Drop the host side and tell the guest (RST), once it has a buffer. */
static void conn_reset(struct vsock_conn *c)
{
	conn_close_fd(c);
	c->state = VSOCK_CLOSING;
	c->pending = VSOCK_PEND_RST;
	c->buf_len = 0;
}

static struct vsock_conn *conn_new(struct vsock_dev *v, int fd,
				   enum vsock_conn_state st)
{
	struct vsock_conn *c;

	if (v->nr_conns >= v->max_conns)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->dev = v;
	c->fd = fd;
	c->state = st;
	c->next = v->conns;
	v->conns = c;
	v->nr_conns++;
	return c;
}

/* An RST for a packet that matched no connection. */
static void orphan_rst(struct vsock_dev *v, const struct vsock_hdr *h)
{
	if (h->op == VSOCK_OP_RST || v->nr_orphan_rst >= VSOCK_MAX_ORPHAN_RST)
		return;
	v->orphan_rst[v->nr_orphan_rst++] = (struct vsock_hdr){
		.src_cid = VSOCK_HOST_CID, .dst_cid = v->guest_cid,
		.src_port = h->dst_port, .dst_port = h->src_port,
		.type = VSOCK_TYPE_STREAM, .op = VSOCK_OP_RST,
	};
}

/* Guest -> host: write what the guest sent to the host socket. */
static void conn_flush_out(struct vsock_conn *c)
{
	while (c->buf_len && c->fd >= 0) {
		uint32_t first = MIN(c->buf_len, VSOCK_BUF_ALLOC - c->buf_head);
		struct iovec iov[2] = {
			{ c->buf + c->buf_head, first },
			{ c->buf, c->buf_len - first },
		};
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
		ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			conn_reset(c);	/* the host side went away */
			return;
		}
		c->buf_head = (c->buf_head + (uint32_t)n) % VSOCK_BUF_ALLOC;
		c->buf_len -= (uint32_t)n;
		c->fwd_cnt += (uint32_t)n;
	}
	if (!c->buf_len) {
		free(c->buf);
		c->buf = NULL;
		c->buf_head = 0;
		if (c->state == VSOCK_CLOSING && !(c->pending & VSOCK_PEND_RST)) {
			/* flushed (or the host end hung up before): close, RST the guest */
			conn_reset(c);
			return;
		}
		if (c->guest_no_send && c->fd >= 0)
			shutdown(c->fd, SHUT_WR);
	}
	/* keep the guest's idea of our free space above half the buffer */
	if (c->state == VSOCK_ESTABLISHED && c->fwd_cnt != c->fwd_cnt_sent &&
	    VSOCK_BUF_ALLOC - (c->fwd_cnt + c->buf_len - c->fwd_cnt_sent) < VSOCK_BUF_ALLOC / 2)
		c->pending |= VSOCK_PEND_CREDIT;
}

static void connect_host(struct vsock_dev *v, const struct vsock_hdr *h)
{
	struct vsock_conn *c;
	int fd;

	if (v->nr_conns >= v->max_conns)
		goto refuse;
	fd = vsock_open_host(v, h);
	if (fd < 0)
		goto refuse;
	c = conn_new(v, fd, VSOCK_ESTABLISHED);
	if (!c) {
		close(fd);
		goto refuse;
	}
	c->local_port = h->dst_port;
	c->peer_port = h->src_port;
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	c->pending = VSOCK_PEND_RESPONSE;
	conn_update_watch(c);
	return;
refuse:
	orphan_rst(v, h);
}

static void conn_rw(struct vsock_conn *c, const struct vsock_hdr *h,
		    struct vq_iter *payload)
{
	uint32_t tail, first;

	if (c->state != VSOCK_ESTABLISHED || c->guest_no_send) {
		conn_reset(c);
		return;
	}
	if (!h->len)
		return;
	if (h->len > VSOCK_BUF_ALLOC - c->buf_len) {
		log_debug("vsock: guest port %u ignored our credit: reset",
			  c->peer_port);
		conn_reset(c);
		return;
	}
	if (c->fd < 0) {
		conn_reset(c);	/* the host side is gone */
		return;
	}
	if (!c->buf) {
		c->buf = malloc(VSOCK_BUF_ALLOC);
		if (!c->buf) {
			conn_reset(c);
			return;
		}
	}
	tail = (c->buf_head + c->buf_len) % VSOCK_BUF_ALLOC;
	first = MIN(h->len, VSOCK_BUF_ALLOC - tail);
	if (vq_iter_read(payload, c->buf + tail, first) ||
	    vq_iter_read(payload, c->buf, h->len - first)) {
		conn_reset(c);
		return;
	}
	c->buf_len += h->len;
	conn_flush_out(c);
}

static void conn_shutdown(struct vsock_conn *c, uint32_t flags)
{
	if (flags & VSOCK_SHUTDOWN_SEND)
		c->guest_no_send = true;
	if (flags & VSOCK_SHUTDOWN_RCV)
		c->guest_no_rcv = true;
	if (c->guest_no_send && c->guest_no_rcv) {
		c->state = VSOCK_CLOSING;	/* flush, then close and RST */
		conn_flush_out(c);
		return;
	}
	if (c->guest_no_send && !c->buf_len && c->fd >= 0)
		shutdown(c->fd, SHUT_WR);
}

void vsock_handle_tx(struct vsock_dev *v, struct vq_chain *ch)
{
	struct vq_iter payload;
	struct vsock_hdr h;
	struct vsock_conn *c;
	char ok[24];
	int n;

	if (vsock_pkt_parse(ch, &h, &payload) || h.src_cid != v->guest_cid ||
	    h.dst_cid != VSOCK_HOST_CID) {
		v->bad_pkts++;
		return;
	}
	v->tx_pkts++;
	if (h.type != VSOCK_TYPE_STREAM) {
		orphan_rst(v, &h);
		return;
	}
	c = conn_find(v, h.dst_port, h.src_port);
	if (!c) {
		if (h.op == VSOCK_OP_REQUEST)
			connect_host(v, &h);
		else
			orphan_rst(v, &h);
		return;
	}
	c->peer_buf_alloc = h.buf_alloc;
	c->peer_fwd_cnt = h.fwd_cnt;
	switch (h.op) {
	case VSOCK_OP_RESPONSE:
		if (c->state != VSOCK_CONNECTING) {
			conn_reset(c);
			break;
		}
		c->state = VSOCK_ESTABLISHED;
		n = snprintf(ok, sizeof(ok), "OK %u\n", c->local_port);
		if (c->fd < 0 || send(c->fd, ok, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT) != n)
			conn_reset(c);
		break;
	case VSOCK_OP_RST:
		vsock_conn_free(c);
		return;
	case VSOCK_OP_SHUTDOWN:
		conn_shutdown(c, h.flags);
		break;
	case VSOCK_OP_RW:
		conn_rw(c, &h, &payload);
		break;
	case VSOCK_OP_CREDIT_UPDATE:
		break;		/* the credit fields are all it carries */
	case VSOCK_OP_CREDIT_REQUEST:
		c->pending |= VSOCK_PEND_CREDIT;
		break;
	default:		/* a second REQUEST, or nonsense */
		conn_reset(c);
		break;
	}
	conn_update_watch(c);
}

/* ------------------------------------------------------------------ */
/* host events */

static void cleanup_all(struct vsock_dev *v)
{
	while (v->conns)
		vsock_conn_free(v->conns);
	v->nr_orphan_rst = 0;
	v->rx_buffers = false;
	v->reset_pending = false;
	listen_resume(v);
}

/* Parse "CONNECT <port>\n" without reading past the newline. */
static void conn_handshake(struct vsock_conn *c)
{
	struct vsock_dev *v = c->dev;
	char buf[VSOCK_LINE_MAX];
	uint32_t space = VSOCK_LINE_MAX - 1 - c->line_len;
	unsigned long long port = 0;
	uint32_t local;
	ssize_t n, take;
	char *nl, *p;

	n = recv(c->fd, buf, space, MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		vsock_conn_free(c);
		return;
	}
	nl = memchr(buf, '\n', (size_t)n);
	take = nl ? nl - buf + 1 : n;
	if (recv(c->fd, c->line + c->line_len, (size_t)take, MSG_DONTWAIT) != take) {
		vsock_conn_free(c);
		return;
	}
	c->line_len += (uint32_t)take;
	c->line[c->line_len] = 0;
	if (!nl) {
		if (c->line_len >= VSOCK_LINE_MAX - 1)
			vsock_conn_free(c);	/* no newline in sight */
		return;
	}
	if (strncmp(c->line, "CONNECT ", 8)) {
		vsock_conn_free(c);
		return;
	}
	for (p = c->line + 8; *p >= '0' && *p <= '9' && port <= UINT32_MAX; p++)
		port = port * 10 + (unsigned long long)(*p - '0');
	if (p == c->line + 8 || *p != '\n' || port > UINT32_MAX) {
		vsock_conn_free(c);
		return;
	}
	/* at most nr_conns ports are taken: this ends */
	do {
		local = v->next_host_port++;
		if (v->next_host_port < VSOCK_HOST_PORT_BASE)
			v->next_host_port = VSOCK_HOST_PORT_BASE;
	} while (local_port_used(v, local));
	c->local_port = local;
	c->peer_port = (uint32_t)port;
	c->state = VSOCK_CONNECTING;
	c->pending = VSOCK_PEND_REQUEST;
}

static void conn_event(void *opaque, uint32_t events)
{
	struct vsock_conn *c = opaque;
	struct vsock_dev *v = c->dev;

	pthread_mutex_lock(&v->vd.lock);
	if (v->reset_pending) {
		cleanup_all(v);	/* frees @c too */
		goto out;
	}
	if (c->state == VSOCK_HANDSHAKE) {
		if (events & (PLAT_EV_IN | PLAT_EV_HUP | PLAT_EV_ERR))
			conn_handshake(c);
		else
			conn_update_watch(c);
		goto flush;
	}
	if (events & PLAT_EV_ERR) {
		conn_reset(c);
		goto flush;
	}
	if (events & PLAT_EV_OUT)
		conn_flush_out(c);
	if (events & PLAT_EV_HUP)
		c->host_hup = true;
	if (c->fd >= 0 && (events & PLAT_EV_HUP) && !(events & PLAT_EV_IN)) {
		/* only writing was wanted, and nobody reads any more */
		if (!c->host_eof) {
			c->host_eof = true;
			c->pending |= VSOCK_PEND_SHUTDOWN;
		}
		if (c->buf_len)
			conn_reset(c);
		else
			conn_close_fd(c);
	}
flush:
	vsock_rx_flush(v);
out:
	pthread_mutex_unlock(&v->vd.lock);
}

static void listen_event(void *opaque, uint32_t events)
{
	struct vsock_dev *v = opaque;
	struct vsock_conn *c;
	int fd;

	pthread_mutex_lock(&v->vd.lock);
	if (v->reset_pending)
		cleanup_all(v);
	fd = accept4(v->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd >= 0) {
		c = conn_new(v, fd, VSOCK_HANDSHAKE);
		if (c)
			conn_update_watch(c);
		else
			close(fd);	/* too many connections */
		if (c && !c->watched)
			vsock_conn_free(c);
	} else if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		   errno == ENOMEM) {
		/*
		 * The connection stays queued and the socket readable: stop
		 * listening until a connection closes, or this spins.
		 */
		log_debug("vsock: cannot accept a host connection: %s", strerror(errno));
		if (v->vd.plat && !v->vd.plat->ops->watch_mod(v->vd.plat, v->listen_fd, 0))
			v->listen_paused = true;
	}
	pthread_mutex_unlock(&v->vd.lock);
}

static void ctl_event(void *opaque, uint32_t events)
{
	struct vsock_dev *v = opaque;
	uint64_t x;

	if (read(v->ctl_fd, &x, sizeof(x)) < 0)
		return;
	pthread_mutex_lock(&v->vd.lock);
	if (v->reset_pending)
		cleanup_all(v);
	else
		vsock_rx_flush(v);
	pthread_mutex_unlock(&v->vd.lock);
}

/* ------------------------------------------------------------------ */
/* the virtio device */

static int tx_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	vsock_handle_tx(vsock_of(vd), c);
	return 0;
}

static void vsock_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	struct vsock_dev *v = vsock_of(vd);

	if (v->reset_pending)
		cleanup_all(v);
	switch (q) {
	case VSOCK_TXQ:
		virtio_process(vd, q, tx_chain, NULL);
		vsock_rx_flush(v);	/* replies */
		break;
	case VSOCK_RXQ:
		v->rx_buffers = true;
		vsock_rx_flush(v);
		break;
	default:
		break;		/* event queue: cvmm sends no events */
	}
}

static void vsock_reset(struct virtio_dev *vd)
{
	struct vsock_dev *v = vsock_of(vd);
	uint64_t one = 1;

	/* connections are closed on the event loop thread, not here */
	v->reset_pending = true;
	if (v->ctl_fd >= 0 && write(v->ctl_fd, &one, sizeof(one)) < 0)
		log_debug("vsock: reset event: %s", strerror(errno));
}

static void vsock_cfg_read(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			   uint32_t len)
{
	uint8_t c[VSOCK_CFG_SIZE];

	pci_put32(c, (uint32_t)vsock_of(vd)->guest_cid);
	pci_put32(c + 4, (uint32_t)(vsock_of(vd)->guest_cid >> 32));
	memcpy(data, c + off, len);
}

static void vsock_destroy(struct virtio_dev *vd);

static const struct virtio_dev_ops vsock_ops = {
	.cfg_read = vsock_cfg_read,
	.queue_notify = vsock_queue_notify,
	.reset = vsock_reset,
	.destroy = vsock_destroy,
};

/* Each connection holds one descriptor: stay below the process's limit. */
static unsigned int vsock_max_conns(void)
{
	long lim = fd_limit(), open = fd_count_open(), room;

	if (lim < 0 || open < 0)
		return VSOCK_MAX_CONNS;
	room = lim - open - VSOCK_FD_RESERVE;
	if (room < VSOCK_MIN_CONNS)
		return VSOCK_MIN_CONNS;
	return room < VSOCK_MAX_CONNS ? (unsigned int)room : VSOCK_MAX_CONNS;
}

static void vsock_destroy(struct virtio_dev *vd)
{
	struct vsock_dev *v = vsock_of(vd);

	cleanup_all(v);
	/* the listener is the machine's: stop watching it, no more */
	if (v->listen_fd >= 0 && v->vd.plat)
		v->vd.plat->ops->unwatch(v->vd.plat, v->listen_fd);
	v->listen_fd = -1;
	virtio_close_watched(&v->vd, &v->ctl_fd);
	v->uds = NULL;
	v->listener = NULL;
	virtio_dev_destroy(&v->vd);
	dev_zfree(v, sizeof(*v));
}

/* Serve host connections from @l (guest connections to "<l->path>_<port>"). */
static int vsock_listen(struct vsock_dev *v, const struct vsock_listener *l, struct platform *plat)
{
	int ret;

	v->listener = l;
	if (!l || !l->path)
		return 0;
	v->uds = l->path;
	v->listen_fd = l->fd;
	if (!plat)
		return 0;
	ret = plat->ops->watch(plat, v->listen_fd, PLAT_EV_IN, listen_event, v);
	if (ret)
		v->listen_fd = -1;
	return ret;
}

int vsock_dev_create(uint64_t guest_cid, const struct vsock_listener *l,
		     const struct virtio_dev_env *env, struct virtio_dev **out)
{
	struct virtio_dev_info info = {
		.name = env->name ? env->name : "virtio-vsock",
		.id = VIRTIO_ID_VSOCK,
		.pci_class = 0x00ff00,
		.nr_queues = 3,
		.queue_max = VSOCK_QUEUE_SIZE,
		.cfg_size = VSOCK_CFG_SIZE,
		.access_platform = env->access_platform,
		.ops = &vsock_ops,
	};
	struct platform *plat = env->plat;
	struct vsock_dev *v = dev_zalloc(sizeof(*v));
	int ret;

	if (!v)
		return -ENOMEM;
	v->listen_fd = -1;
	v->ctl_fd = -1;
	v->guest_cid = guest_cid;
	v->next_host_port = VSOCK_HOST_PORT_BASE;
	v->max_conns = vsock_max_conns();
	ret = guest_cid < 3 || guest_cid >= UINT32_MAX ? -EINVAL :
	      virtio_dev_init(&v->vd, &info, env->mem, plat);
	if (!ret) {
		v->ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		ret = v->ctl_fd < 0 ? -errno : 0;
	}
	if (!ret && plat)
		ret = plat->ops->watch(plat, v->ctl_fd, PLAT_EV_IN, ctl_event, v);
	if (!ret)
		ret = vsock_listen(v, l, plat);
	if (ret) {
		vsock_destroy(&v->vd);
		return ret;
	}
	*out = &v->vd;
	return 0;
}
