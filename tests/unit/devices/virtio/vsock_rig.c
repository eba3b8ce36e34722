// SPDX-License-Identifier: GPL-2.0-only
/* The virtio-vsock test rig (vsock_rig.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "vsock_rig.h"

struct rig *rig_new(void)
{
	struct rig *g = calloc(1, sizeof(*g));
	struct virtio_dev_env env = { .name = "virtio-vsock" };
	struct virtio_dev *vd;
	struct tb b;
	unsigned int i;

	snprintf(g->dir, sizeof(g->dir), "/tmp/cvmm-vsock-XXXXXX");
	assert_non_null(mkdtemp(g->dir));
	snprintf(g->uds, sizeof(g->uds), "%s/v.sock", g->dir);
	vrig_init(&g->r);
	assert_int_equal(vsock_listener_open(&g->l, g->uds, NULL), 0);
	env.mem = &g->r.mem;
	env.plat = &g->r.fp.plat;
	assert_int_equal(vsock_dev_create(CID, &g->l, &env, &vd), 0);
	g->v = vsock_of(vd);
	dq_init(&g->q[0], &g->r, 16, 0x10000);
	dq_init(&g->q[1], &g->r, 16, 0x20000);
	dq_init(&g->q[2], &g->r, 4, 0x30000);
	assert_int_equal(drv_start(&g->v->vd, 0, g->q, 3, false) & 0xf, 0xf);
	for (i = 0; i < NRX; i++) {
		b = (struct tb){ RXB + (uint64_t)i * 0x2000, RXSZ, true };
		dq_chain(&g->q[0], &b, 1);
	}
	drv_kick(&g->r, &g->v->vd, 0);
	g->buf_alloc = 65536;
	return g;
}

void rig_free(struct rig *g)
{
	char cmd[160];

	virtio_dev_free(&g->v->vd);
	vsock_listener_close(&g->l);
	vrig_free(&g->r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", g->dir);
	assert_int_equal(system(cmd), 0);
	free(g);
}

void g_send(struct rig *g, uint16_t op, uint32_t sport, uint32_t dport,
	    uint32_t flags, const char *data, uint32_t len)
{
	struct vsock_hdr h = {
		.src_cid = CID, .dst_cid = 2, .src_port = sport, .dst_port = dport,
		.len = len, .type = VSOCK_TYPE_STREAM, .op = op, .flags = flags,
		.buf_alloc = g->buf_alloc, .fwd_cnt = g->fwd,
	};
	struct tb b[2] = { { TXB, 44, false }, { TXB + 0x1000, len, false } };
	uint32_t id, ulen;

	vsock_hdr_encode(&h, gp(&g->r, TXB));
	if (len)
		memcpy(gp(&g->r, TXB + 0x1000), data, len);
	dq_chain(&g->q[1], b, len ? 2 : 1);
	drv_kick(&g->r, &g->v->vd, 1);
	assert_int_equal(dq_used(&g->q[1], &id, &ulen), 1);
}

/* The next packet for the guest (0), or -1; the buffer goes back. */
int g_recv(struct rig *g, struct vsock_hdr *h, char *data, size_t max)
{
	uint32_t id, len;
	uint64_t gpa;
	struct tb b;

	fake_platform_run(&g->r.fp);
	if (!dq_used(&g->q[0], &id, &len))
		return -1;
	gpa = RXB + (uint64_t)(id % NRX) * 0x2000;
	/* dq_chain hands out descriptors in order: id == buffer index */
	assert_true(len >= 44);
	vsock_hdr_decode(gp(&g->r, gpa), h);
	assert_int_equal(len, 44 + h->len);
	if (data && max) {
		size_t n = h->len < max - 1 ? h->len : max - 1;

		memcpy(data, gp(&g->r, gpa + 44), n);
		data[n] = 0;
	}
	g->fwd += h->len;
	b = (struct tb){ gpa, RXSZ, true };
	g->q[0].next = (uint16_t)id;	/* reuse the same descriptor */
	dq_chain(&g->q[0], &b, 1);
	drv_kick(&g->r, &g->v->vd, 0);
	return 0;
}

int listen_at(struct rig *g, unsigned int port)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s_%u", g->uds, port);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 4), 0);
	return fd;
}

int connect_uds(struct rig *g)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct timeval tv = { .tv_sec = 2 };

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", g->uds);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

int g_recv_wait(struct rig *g, struct vsock_hdr *h, char *data, size_t max)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };
	unsigned int i;

	for (i = 0; i < 2500; i++) {
		if (!g_recv(g, h, data, max))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -1;
}
