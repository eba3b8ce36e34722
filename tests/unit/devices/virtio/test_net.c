// SPDX-License-Identifier: GPL-2.0-only
/* virtio-net over a packet socket pair standing in for the tap. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices/virtio/net.h"
#include "vrig.h"

#define RXBUF	0x100000ULL
#define TXBUF	0x200000ULL

struct rig {
	struct vrig r;
	struct net_dev *n;
	struct dq q[2];
	int peer;		/* the far end of the "tap" */
};

static struct rig *rig_new_hdr(const uint8_t *mac, uint16_t mtu, bool vnet_hdr)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct net_dev_config nc = { .tap = "cvmmtest0", .mac = mac, .mtu = mtu,
				     .vnet_hdr = vnet_hdr };
	struct virtio_dev_env env = { .name = "virtio-net-test" };
	struct virtio_dev *vd;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, sv), 0);
	g->peer = sv[1];
	vrig_init(&g->r);
	env.mem = &g->r.mem;
	env.plat = &g->r.fp.plat;
	assert_int_equal(net_dev_create_fd(sv[0], &nc, &env, &vd), 0);
	g->n = net_of(vd);
	dq_init(&g->q[0], &g->r, 16, 0x10000);
	dq_init(&g->q[1], &g->r, 16, 0x20000);
	return g;
}

static struct rig *rig_new(const uint8_t *mac, uint16_t mtu)
{
	return rig_new_hdr(mac, mtu, false);
}

static void rig_free(struct rig *g)
{
	virtio_dev_free(&g->n->vd);
	if (g->peer >= 0)
		close(g->peer);
	vrig_free(&g->r);
	free(g);
}

static void test_config(void **state)
{
	static const uint8_t mac[6] = { 0x52, 0x54, 0, 1, 2, 3 };
	struct rig *g = rig_new(mac, 9000);
	struct virtio_dev *vd = &g->n->vd;
	uint8_t got[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		got[i] = (uint8_t)bar_r(vd, VIRTIO_OFF_DEVICE + i, 1);
	assert_memory_equal(got, mac, 6);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 6, 2), VIRTIO_NET_S_LINK_UP);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 8, 2), 1);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_DEVICE + 10, 2), 9000);
	/* MAC, STATUS and MTU are offered; no offload */
	bar_w(vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_DFSELECT, 0, 4);
	assert_int_equal(bar_r(vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_DF, 4),
			 1u << VIRTIO_NET_F_MAC | 1u << VIRTIO_NET_F_STATUS |
			 1u << VIRTIO_NET_F_MTU | 1u << VIRTIO_F_INDIRECT_DESC |
			 1u << VIRTIO_F_EVENT_IDX);
	rig_free(g);

	/* without a MAC: a stable locally administered one from the name */
	g = rig_new(NULL, 0);
	assert_int_equal(bar_r(&g->n->vd, VIRTIO_OFF_DEVICE, 1), 0x52);
	assert_int_equal(bar_r(&g->n->vd, VIRTIO_OFF_DEVICE + 10, 2), 0);
	rig_free(g);
}

static void test_transmit(void **state)
{
	struct rig *g = rig_new(NULL, 0);
	uint8_t frame[128], buf[256];
	uint32_t id, len;
	struct tb b[3];

	assert_int_equal(drv_start(&g->n->vd, 0, g->q, 2, false) & 0xf, 0xf);
	memset(frame, 0x77, sizeof(frame));
	memset(gp(&g->r, TXBUF), 0, 12);
	memcpy(gp(&g->r, TXBUF + 12), frame, 60);
	memcpy(gp(&g->r, TXBUF + 0x1000), frame, 40);
	/* header + frame in two pieces */
	b[0] = (struct tb){ TXBUF, 12 + 60, false };
	b[1] = (struct tb){ TXBUF + 0x1000, 40, false };
	dq_chain(&g->q[1], b, 2);
	drv_kick(&g->r, &g->n->vd, 1);
	assert_int_equal(dq_used(&g->q[1], &id, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(recv(g->peer, buf, sizeof(buf), 0), 100);
	assert_memory_equal(buf, frame, 100);
	assert_int_equal(g->n->tx_frames, 1);
	/* too short for an Ethernet header, too long for a frame: dropped */
	b[0] = (struct tb){ TXBUF, 12 + 10, false };
	dq_chain(&g->q[1], b, 1);
	b[0] = (struct tb){ TXBUF, 12 + VIRTIO_NET_MAX_FRAME + 1, false };
	dq_chain(&g->q[1], b, 1);
	drv_kick(&g->r, &g->n->vd, 1);
	assert_int_equal(dq_used(&g->q[1], &id, &len), 1);
	assert_int_equal(dq_used(&g->q[1], &id, &len), 1);
	assert_int_equal(g->n->tx_dropped, 2);
	assert_int_equal(recv(g->peer, buf, sizeof(buf), 0), -1);
	rig_free(g);
}

static void test_receive(void **state)
{
	struct rig *g = rig_new(NULL, 0);
	uint8_t frame[64], *p = gp(&g->r, RXBUF);
	uint32_t id, len;
	struct tb b;
	unsigned int i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	assert_int_equal(drv_start(&g->n->vd, 0, g->q, 2, false) & 0xf, 0xf);
	/* a frame before any buffer: it waits in the "tap" */
	assert_int_equal(send(g->peer, frame, 64, 0), 64);
	fake_platform_run(&g->r.fp);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 0);
	/* a buffer arrives: the frame goes in, behind a 12-byte header */
	memset(p, 0xff, 12);
	b = (struct tb){ RXBUF, 2048, true };
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 12 + 64);
	for (i = 0; i < 10; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(p[10], 1);		/* num_buffers */
	assert_int_equal(p[11], 0);
	assert_memory_equal(p + 12, frame, 64);
	/* two buffers, two frames, delivered from the fd watch */
	b.gpa = RXBUF + 0x1000;
	dq_chain(&g->q[0], &b, 1);
	b.gpa = RXBUF + 0x2000;
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	send(g->peer, frame, 20, 0);
	send(g->peer, frame, 30, 0);
	fake_platform_run(&g->r.fp);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 32);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 42);
	/* a receive buffer too small for the header fails with length 0 */
	b = (struct tb){ RXBUF, 8, true };
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	send(g->peer, frame, 20, 0);
	fake_platform_run(&g->r.fp);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(g->n->rx_frames, 3);
	/* after a reset the tap is not read */
	bar_w(&g->n->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS, 0, 1);
	assert_false(g->n->rx_watching);
	rig_free(g);
}

/*
 * A tap opened with IFF_VNET_HDR (as Kata passes it): the tap's frames
 * carry a 12-byte header of their own; cvmm sends zeros whatever the guest
 * wrote (no offload was negotiated) and drops the tap's on receive.
 */
static void test_vnet_hdr(void **state)
{
	struct rig *g = rig_new_hdr(NULL, 0, true);
	uint8_t frame[64], buf[256], *p = gp(&g->r, RXBUF);
	uint32_t id, len;
	struct tb b;
	unsigned int i;

	for (i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i + 1);
	assert_int_equal(drv_start(&g->n->vd, 0, g->q, 2, false) & 0xf, 0xf);
	/* transmit: the guest's header (GSO garbage here) is not passed on */
	memset(gp(&g->r, TXBUF), 0xee, 12);
	memcpy(gp(&g->r, TXBUF + 12), frame, 64);
	b = (struct tb){ TXBUF, 12 + 64, false };
	dq_chain(&g->q[1], &b, 1);
	drv_kick(&g->r, &g->n->vd, 1);
	assert_int_equal(dq_used(&g->q[1], &id, &len), 1);
	assert_int_equal(recv(g->peer, buf, sizeof(buf), 0), 12 + 64);
	for (i = 0; i < 12; i++)
		assert_int_equal(buf[i], 0);
	assert_memory_equal(buf + 12, frame, 64);
	/* receive: the tap's header is dropped, the guest gets cvmm's */
	memset(buf, 0xdd, 12);
	memcpy(buf + 12, frame, 64);
	assert_int_equal(send(g->peer, buf, 12 + 64, 0), 12 + 64);
	memset(p, 0xff, 12);
	b = (struct tb){ RXBUF, 2048, true };
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 12 + 64);
	for (i = 0; i < 10; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(p[10], 1);
	assert_memory_equal(p + 12, frame, 64);
	/* a packet shorter than the tap's header is not delivered */
	assert_int_equal(send(g->peer, buf, 5, 0), 5);
	b.gpa = RXBUF + 0x1000;
	dq_chain(&g->q[0], &b, 1);
	fake_platform_run(&g->r.fp);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 0);
	assert_int_equal(g->n->rx_frames, 1);
	rig_free(g);
}

/* net_tap_adopt() takes taps only. */
static void test_adopt_not_a_tap(void **state)
{
	struct dev_err err = { 0 };
	char name[16];
	bool hdr;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(net_tap_adopt(sv[0], NULL, 0, name, &hdr, &err), -EINVAL);
	assert_string_equal(err.msg, "the file descriptor passed is not a tap device");
	close(sv[0]);
	close(sv[1]);
}

static void test_tap_gone(void **state)
{
	struct rig *g = rig_new(NULL, 0);
	uint8_t frame[64] = { 0 };
	uint32_t id, len;
	struct tb b = { RXBUF, 2048, true };

	assert_int_equal(drv_start(&g->n->vd, 0, g->q, 2, false) & 0xf, 0xf);
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	/* a last frame, then the far end goes away (a deleted tap reports
	 * EPOLLERR the same way): the frame arrives, then the watch stops */
	assert_int_equal(send(g->peer, frame, 64, 0), 64);
	close(g->peer);
	g->peer = -1;
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	assert_true(g->n->tap_gone);
	assert_int_equal(dq_used(&g->q[0], &id, &len), 1);
	assert_int_equal(len, 12 + 64);
	/* a later receive kick does not bring the watch back */
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->n->vd, 0);
	assert_false(g->n->rx_watching);
	assert_int_equal(fake_platform_run(&g->r.fp), 0);
	rig_free(g);
}

static void test_tx_parse(void **state)
{
	uint8_t a[12 + 14], bb[100];
	struct vq_buf bufs[2] = {
		{ .len = sizeof(a), .hva = a }, { .len = sizeof(bb), .hva = bb },
	};
	struct vq_chain c = { .bufs = bufs, .nr = 2, .nr_out = 2, .out_len = 126 };
	struct iovec iov[2];
	uint64_t len;

	assert_int_equal(net_tx_parse(&c, iov, 2, &len), 2);
	assert_int_equal(len, 114);
	assert_ptr_equal(iov[0].iov_base, a + 12);
	assert_int_equal(iov[0].iov_len, 14);
	assert_int_equal(net_tx_parse(&c, iov, 1, &len), -E2BIG);
	c.out_len = 25;
	assert_int_equal(net_tx_parse(&c, iov, 2, &len), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_transmit),
		cmocka_unit_test(test_receive),
		cmocka_unit_test(test_vnet_hdr),
		cmocka_unit_test(test_adopt_not_a_tap),
		cmocka_unit_test(test_tap_gone),
		cmocka_unit_test(test_tx_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
