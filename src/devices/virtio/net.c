// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "devices/dev_alloc.h"
#include "devices/virtio/net.h"
#include "util/compiler.h"
#include "util/log.h"

#define RX_BUDGET	64

/* ------------------------------------------------------------------ */
/* the tap */

static int tap_up(const char *name, uint16_t mtu)
{
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int ret = 0;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (mtu) {
		ifr.ifr_mtu = mtu;
		if (ioctl(s, SIOCSIFMTU, &ifr) < 0)
			ret = -errno;
	}
	if (!ret && ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	if (!ret && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
			ret = -errno;
	}
	close(s);
	return ret;
}

int net_tap_open(const char *name, uint16_t mtu, struct dev_err *err)
{
	bool existed = if_nametoindex(name) != 0;
	struct ifreq ifr;
	int fd, ret;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		dev_err_set(err, "cannot open /dev/net/tun: %s%s", strerror(errno),
			    errno == ENOENT ? " (is the tun module loaded?)" : "");
		return ret;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		ret = -errno;
		if (errno == EPERM && !existed)
			dev_err_set(err, "cannot create the tap device: %s (needs CAP_NET_ADMIN; "
				    "or create it first: ip tuntap add %s mode tap user $USER)",
				    strerror(errno), name);
		else if (errno == EPERM)
			dev_err_set(err, "cannot attach to the tap device: %s (it belongs to "
				    "another user or group)", strerror(errno));
		else if (errno == EBUSY)
			dev_err_set(err, "the tap device is in use by another process");
		else if (errno == EINVAL && existed)
			dev_err_set(err, "an interface of that name exists and is not a tap "
				    "device");
		else
			dev_err_set(err, "TUNSETIFF: %s", strerror(errno));
		close(fd);
		return ret;
	}
	if (!existed || mtu) {
		ret = tap_up(name, mtu);
		if (ret && !existed) {
			dev_err_set(err, "cannot bring the new tap device up: %s", strerror(-ret));
			close(fd);
			return ret;
		}
		if (ret)
			dev_warn(err, "cannot set the MTU to %u: %s", mtu, strerror(-ret));
	}
	return fd;
}

int net_tap_adopt(int fd, const int *extra, unsigned int nr_extra, char name[16],
		  bool *vnet_hdr, struct dev_err *err)
{
	struct ifreq ifr;
	int hdr = VIRTIO_NET_HDR_LEN, flags, ret;
	unsigned int i;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0 || (ifr.ifr_flags & (IFF_TUN | IFF_TAP)) != IFF_TAP) {
		dev_err_set(err, "the file descriptor passed is not a tap device");
		return -EINVAL;
	}
	if (!(ifr.ifr_flags & IFF_NO_PI)) {
		dev_err_set(err, "the tap was opened without IFF_NO_PI");
		return -EINVAL;
	}
	snprintf(name, 16, "%.15s", ifr.ifr_name);
	*vnet_hdr = ifr.ifr_flags & IFF_VNET_HDR;
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		goto fail;
	if (*vnet_hdr && (ioctl(fd, TUNSETOFFLOAD, 0) < 0 ||
			  ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0))
		goto fail;
	for (i = 0; i < nr_extra; i++) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_DETACH_QUEUE;
		if (ioctl(extra[i], TUNSETQUEUE, &ifr) < 0 && errno != EINVAL)
			goto fail;
	}
	return 0;
fail:
	ret = -errno;
	dev_err_set(err, "cannot set the tap up: %s", strerror(errno));
	return ret;
}

/* ------------------------------------------------------------------ */
/* transmit */

int net_tx_parse(const struct vq_chain *c, struct iovec *iov, unsigned int max,
		 uint64_t *frame_len)
{
	struct vq_iter it;
	uint64_t len;

	if (c->out_len < VIRTIO_NET_HDR_LEN + 14)
		return -EINVAL;		/* no room for an Ethernet header */
	len = c->out_len - VIRTIO_NET_HDR_LEN;
	if (len > VIRTIO_NET_MAX_FRAME)
		return -EINVAL;
	vq_iter_out(&it, c);
	/* No offloads were negotiated: the header carries nothing we use. */
	if (vq_iter_skip(&it, VIRTIO_NET_HDR_LEN))
		return -EINVAL;
	*frame_len = len;
	return vq_iter_iov(&it, len, iov, max);
}

static int tx_chain(struct virtio_dev *vd, struct vq_chain *c, void *ctx)
{
	static uint8_t hdr_zero[VIRTIO_NET_HDR_LEN];
	struct net_dev *n = net_of(vd);
	unsigned int h = n->vnet_hdr;	/* the tap's header: zeros, no offload */
	uint64_t len;
	int cnt = net_tx_parse(c, n->iov + h, VQ_MAX_CHAIN - h, &len);
	ssize_t w;

	if (cnt < 0) {
		n->tx_dropped++;
		return 0;
	}
	if (h)
		n->iov[0] = (struct iovec){ hdr_zero, sizeof(hdr_zero) };
	do {
		w = writev(n->tap_fd, n->iov, cnt + (int)h);
	} while (w < 0 && errno == EINTR);
	if (w < 0)
		n->tx_dropped++;	/* tap queue full or link down: drop */
	else
		n->tx_frames++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* receive */

static void rx_watch(struct net_dev *n, bool on)
{
	struct platform *p = n->vd.plat;

	if (n->rx_watching == on || !p || n->tap_gone)
		return;
	if (!p->ops->watch_mod(p, n->tap_fd, on ? PLAT_EV_IN : 0))
		n->rx_watching = on;
}

/* Frames from the tap into receive buffers (lock held). */
static void net_rx(struct net_dev *n)
{
	struct virtqueue *vq = virtio_vq(&n->vd, VIRTIO_NET_RXQ);
	static const uint8_t hdr_zero[VIRTIO_NET_HDR_LEN - 2];
	uint8_t tap_hdr[VIRTIO_NET_HDR_LEN];
	unsigned int budget = RX_BUDGET;
	bool pushed = false;
	struct vq_chain c;
	int ret;

	if (!n->vd.queues[VIRTIO_NET_RXQ].enabled || !virtio_dev_live(&n->vd)) {
		rx_watch(n, false);
		return;
	}
	while (budget--) {
		struct vq_iter it, hdr;
		uint8_t nb[2] = { 1, 0 };	/* num_buffers */
		ssize_t r;
		int cnt;

		ret = vq_pop(vq, &c);
		if (ret == -EIO) {
			virtio_dev_fail(&n->vd, "broken receive queue");
			rx_watch(n, false);
			break;
		}
		if (ret == -EBADMSG) {
			pushed = true;
			continue;
		}
		if (!ret) {
			/* no buffers: wait for a kick, unless some came meanwhile */
			if (vq_enable_notify(vq))
				continue;
			rx_watch(n, false);
			break;
		}
		if (c.in_len <= VIRTIO_NET_HDR_LEN) {
			vq_push(vq, c.head, 0);
			pushed = true;
			continue;
		}
		vq_iter_in(&it, &c);
		hdr = it;
		vq_iter_skip(&it, VIRTIO_NET_HDR_LEN);
		cnt = vq_iter_iov(&it, MIN(c.in_len - VIRTIO_NET_HDR_LEN,
					   (uint64_t)VIRTIO_NET_MAX_FRAME),
				  n->iov + n->vnet_hdr, VQ_MAX_CHAIN - n->vnet_hdr);
		if (cnt < 0) {
			vq_push(vq, c.head, 0);
			pushed = true;
			continue;
		}
		if (n->vnet_hdr)	/* the tap's header is not the guest's: dropped */
			n->iov[0] = (struct iovec){ tap_hdr, sizeof(tap_hdr) };
		do {
			r = readv(n->tap_fd, n->iov, cnt + n->vnet_hdr);
		} while (r < 0 && errno == EINTR);
		if (r > 0 && n->vnet_hdr)
			r = r < (ssize_t)sizeof(tap_hdr) ? -1 : r - (ssize_t)sizeof(tap_hdr);
		if (r <= 0) {
			vq_unpop(vq);	/* nothing to read after all */
			break;
		}
		vq_iter_write(&hdr, hdr_zero, sizeof(hdr_zero));
		vq_iter_write(&hdr, nb, sizeof(nb));
		vq_push(vq, c.head, VIRTIO_NET_HDR_LEN + (uint32_t)r);
		n->rx_frames++;
		pushed = true;
	}
	if (pushed)
		virtio_queue_done(&n->vd, VIRTIO_NET_RXQ);
}

static void tap_event(void *opaque, uint32_t events)
{
	struct net_dev *n = opaque;

	pthread_mutex_lock(&n->vd.lock);
	net_rx(n);
	/*
	 * The tap was deleted (or, in tests, the far end closed): epoll
	 * reports that even with no events asked for, so leave epoll or the
	 * loop spins on it.
	 */
	if ((events & (PLAT_EV_ERR | PLAT_EV_HUP)) && !n->tap_gone) {
		log_warn(n->vd.info.name, "the tap device went away: nothing more is received");
		n->vd.plat->ops->unwatch(n->vd.plat, n->tap_fd);
		n->tap_gone = true;
		n->rx_watching = false;
	}
	pthread_mutex_unlock(&n->vd.lock);
}

static void net_queue_notify(struct virtio_dev *vd, unsigned int q)
{
	struct net_dev *n = net_of(vd);

	if (q == VIRTIO_NET_TXQ) {
		virtio_process(vd, q, tx_chain, NULL);
	} else {
		/* new receive buffers: listen to the tap again */
		rx_watch(n, true);
		net_rx(n);
	}
}

static void net_activate(struct virtio_dev *vd)
{
	rx_watch(net_of(vd), true);
}

static void net_reset(struct virtio_dev *vd)
{
	rx_watch(net_of(vd), false);
}

static void net_cfg_read(struct virtio_dev *vd, uint32_t off, uint8_t *data,
			 uint32_t len)
{
	struct net_dev *n = net_of(vd);
	uint8_t c[VIRTIO_NET_CFG_SIZE];

	memset(c, 0, sizeof(c));
	memcpy(c, n->mac, 6);
	pci_put16(c + 6, VIRTIO_NET_S_LINK_UP);
	pci_put16(c + 8, 1);			/* max_virtqueue_pairs */
	pci_put16(c + 10, n->mtu);
	memcpy(data, c + off, len);
}

static void net_destroy(struct virtio_dev *vd)
{
	struct net_dev *n = net_of(vd);

	virtio_close_watched(&n->vd, &n->tap_fd);
	virtio_dev_destroy(&n->vd);
	dev_zfree(n, sizeof(*n));
}

static const struct virtio_dev_ops net_ops = {
	.cfg_read = net_cfg_read,
	.queue_notify = net_queue_notify,
	.activate = net_activate,
	.reset = net_reset,
	.destroy = net_destroy,
};

/* A locally administered MAC, stable for a given tap name: 52:54:00 + a hash. */
static void net_default_mac(const char *tap, uint8_t mac[6])
{
	uint32_t h = 2166136261u;
	const char *s;

	for (s = tap ? tap : ""; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	mac[0] = 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

int net_dev_create_fd(int fd, const struct net_dev_config *cfg, const struct virtio_dev_env *env,
		      struct virtio_dev **out)
{
	struct virtio_dev_info info = {
		.name = env->name ? env->name : "virtio-net",
		.id = VIRTIO_ID_NET,
		.pci_class = 0x020000,		/* Ethernet */
		.nr_queues = 2,
		.queue_max = VIRTIO_NET_QUEUE_SIZE,
		.cfg_size = VIRTIO_NET_CFG_SIZE,
		.features = 1ULL << VIRTIO_NET_F_MAC | 1ULL << VIRTIO_NET_F_STATUS,
		.access_platform = env->access_platform,
		.ops = &net_ops,
	};
	struct net_dev *n = dev_zalloc(sizeof(*n));
	int ret;

	if (!n) {
		close(fd);
		return -ENOMEM;
	}
	n->tap_fd = fd;
	n->vnet_hdr = cfg->vnet_hdr;
	n->mtu = cfg->mtu;
	if (cfg->mtu)
		info.features |= 1ULL << VIRTIO_NET_F_MTU;
	if (cfg->mac)
		memcpy(n->mac, cfg->mac, 6);
	else
		net_default_mac(cfg->tap, n->mac);
	ret = virtio_dev_init(&n->vd, &info, env->mem, env->plat);
	if (!ret && env->plat)
		ret = env->plat->ops->watch(env->plat, fd, 0, tap_event, n);
	if (ret) {
		net_destroy(&n->vd);
		return ret;
	}
	*out = &n->vd;
	return 0;
}

int net_dev_create(const struct net_dev_config *cfg, const struct virtio_dev_env *env,
		   struct virtio_dev **out, struct dev_err *err)
{
	int fd = net_tap_open(cfg->tap, cfg->mtu, err);
	int ret;

	if (fd < 0)
		return fd;
	ret = net_dev_create_fd(fd, cfg, env, out);
	if (ret)
		dev_err_set(err, "cannot create the virtio-net device: %s", strerror(-ret));
	return ret;
}
