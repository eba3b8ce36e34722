// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "devices/virtio/console.h"
#include "util/compiler.h"
#include "util/log.h"

/* Write all of @buf, waiting a little for a slow terminal; false: gave up. */
static bool write_all(int fd, const uint8_t *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	int stalls = 0;

	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
			stalls = 0;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && stalls++ < 10 && poll(&p, 1, 100) >= 0)
			continue;
		return false;
	}
	return true;
}

uint64_t console_tx_chain(int fd, const struct vq_chain *c)
{
	uint64_t done = 0;
	unsigned int i;

	for (i = 0; i < c->nr_out && done < VIRTIO_CONSOLE_MAX_CHAIN; i++) {
		const struct vq_buf *b = &c->bufs[i];
		uint32_t n = (uint32_t)MIN((uint64_t)b->len, VIRTIO_CONSOLE_MAX_CHAIN - done);

		if (fd >= 0 && !write_all(fd, b->hva, n))
			fd = -1;	/* output is gone: drop the rest */
		done += n;
	}
	return done;
}

static int tx_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	struct console_dev *con = console_of(vd);

	con->out_bytes += console_tx_chain(con->out_fd, c);
	return 0;
}

/* Move buffered input into receive buffers (lock held). */
static void console_rx(struct console_dev *con)
{
	struct virtqueue *vq = virtio_vq(&con->vd, VIRTIO_CONSOLE_RXQ);
	unsigned int budget = VIRTIO_BUDGET;
	bool pushed = false;
	struct vq_chain c;
	int ret;

	if (!con->vd.queues[VIRTIO_CONSOLE_RXQ].enabled || !virtio_dev_live(&con->vd))
		return;
	pthread_mutex_lock(&con->in_lock);
	while (con->in_len && budget--) {
		struct vq_iter it;
		size_t n, first;

		ret = vq_pop(vq, &c);
		if (ret == -EIO) {
			virtio_dev_fail(&con->vd, "broken receive queue");
			break;
		}
		if (ret == -EBADMSG) {
			pushed = true;
			continue;
		}
		if (!ret) {
			/* no buffer: ask for a kick when one comes (EVENT_IDX
			 * needs avail_event current), unless one came already */
			if (vq_enable_notify(vq))
				continue;
			break;
		}
		vq_iter_in(&it, &c);
		n = (size_t)MIN((uint64_t)con->in_len, c.in_len);
		first = MIN(n, VIRTIO_CONSOLE_IN_BUF - con->in_head);
		vq_iter_write(&it, con->in + con->in_head, first);
		vq_iter_write(&it, con->in, n - first);
		con->in_head = (con->in_head + n) % VIRTIO_CONSOLE_IN_BUF;
		con->in_len -= n;
		vq_push(vq, c.head, (uint32_t)n);
		pushed = true;
	}
	if (con->in_len && budget == UINT_MAX) {
		uint64_t one = 1;

		/* out of budget with input left: continue later */
		if (write(con->in_event, &one, sizeof(one)) < 0)
			log_debug("virtio-console: input event: %s", strerror(errno));
	}
	pthread_mutex_unlock(&con->in_lock);
	if (pushed)
		virtio_queue_done(&con->vd, VIRTIO_CONSOLE_RXQ);
}

static void con_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	if (q == VIRTIO_CONSOLE_TXQ)
		virtio_process(vd, q, tx_chain, NULL);
	else
		console_rx(console_of(vd));
}

static void input_event(void *opaque, uint32_t events)
{
	struct console_dev *con = opaque;
	uint64_t v;

	if (read(con->in_event, &v, sizeof(v)) < 0)
		return;
	pthread_mutex_lock(&con->vd.lock);
	console_rx(con);
	pthread_mutex_unlock(&con->vd.lock);
}

size_t console_dev_input(void *opaque, const uint8_t *buf, size_t len)
{
	struct console_dev *con = opaque;
	uint64_t one = 1;
	size_t n, tail, first;

	pthread_mutex_lock(&con->in_lock);
	n = MIN(len, VIRTIO_CONSOLE_IN_BUF - con->in_len);
	tail = (con->in_head + con->in_len) % VIRTIO_CONSOLE_IN_BUF;
	first = MIN(n, VIRTIO_CONSOLE_IN_BUF - tail);
	memcpy(con->in + tail, buf, first);
	memcpy(con->in, buf + first, n - first);
	con->in_len += n;
	pthread_mutex_unlock(&con->in_lock);
	if (n && write(con->in_event, &one, sizeof(one)) < 0)
		log_debug("virtio-console: input event: %s", strerror(errno));
	return n;
}

static void con_cfg_read(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			 uint32_t len)
{
	uint8_t c[VIRTIO_CONSOLE_CFG_SIZE];

	memset(c, 0, sizeof(c));
	pci_put16(c + 0, 80);		/* cols */
	pci_put16(c + 2, 25);		/* rows */
	pci_put32(c + 4, 1);		/* max_nr_ports */
	memcpy(data, c + off, len);
}

static void con_cfg_write(struct virtio_dev *vd, uint32_t off,
			  const uint8_t *data, uint32_t len)
{
	struct console_dev *con = console_of(vd);

	/* emerg_wr: one character, written at once */
	if (off == 8 && virtio_has(vd, VIRTIO_CONSOLE_F_EMERG_WRITE) &&
	    con->out_fd >= 0 && write_all(con->out_fd, data, 1))
		con->out_bytes++;
}

static void con_reset(struct virtio_dev *vd)
{
	/* Input typed while no driver runs is kept for the next one. */
}

static void con_destroy(struct virtio_dev *vd)
{
	struct console_dev *con = console_of(vd);

	virtio_close_watched(&con->vd, &con->in_event);
	virtio_dev_destroy(&con->vd);
	pthread_mutex_destroy(&con->in_lock);
	free(con);
}

static const struct virtio_dev_ops con_ops = {
	.cfg_read = con_cfg_read,
	.cfg_write = con_cfg_write,
	.queue_notify = con_queue_notify,
	.reset = con_reset,
	.destroy = con_destroy,
};

int console_dev_create(int out_fd, const struct virtio_dev_env *env, struct virtio_dev **out)
{
	struct virtio_dev_info info = {
		.name = env->name ? env->name : "virtio-console",
		.id = VIRTIO_ID_CONSOLE,
		.pci_class = 0x078000,		/* communication, other */
		.nr_queues = 2,
		.queue_max = VIRTIO_CONSOLE_QUEUE_SIZE,
		.cfg_size = VIRTIO_CONSOLE_CFG_SIZE,
		.features = 1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE,
		.access_platform = env->access_platform,
		.ops = &con_ops,
	};
	struct console_dev *con = calloc(1, sizeof(*con));
	int ret;

	if (!con)
		return -ENOMEM;
	con->out_fd = out_fd;
	pthread_mutex_init(&con->in_lock, NULL);
	con->in_event = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->in_event < 0) {
		ret = -errno;
		pthread_mutex_destroy(&con->in_lock);
		free(con);
		return ret;
	}
	ret = virtio_dev_init(&con->vd, &info, env->mem, env->plat);
	if (!ret && env->plat)
		ret = env->plat->ops->watch(env->plat, con->in_event, PLAT_EV_IN, input_event,
					    con);
	if (ret) {
		con_destroy(&con->vd);
		return ret;
	}
	*out = &con->vd;
	return 0;
}
