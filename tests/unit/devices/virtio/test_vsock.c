// SPDX-License-Identifier: GPL-2.0-only
/* virtio-vsock: packets, hybrid connections to host AF_UNIX sockets, credit. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../machine/stderr_capture.h"

#include "devices/virtio/vsock.h"
#include "util/file.h"
#include "vsock_rig.h"

static void test_parse(void **state)
{
	uint8_t raw[64];
	struct vq_buf bufs[2] = { { .len = 44, .hva = raw }, { .len = 8, .hva = raw } };
	struct vq_chain c = { .bufs = bufs, .nr = 2, .nr_out = 2, .out_len = 52 };
	struct vsock_hdr h = { .op = VSOCK_OP_RW, .len = 8 };
	struct vq_iter it;

	vsock_hdr_encode(&h, raw);
	assert_int_equal(vsock_pkt_parse(&c, &h, &it), 0);
	assert_int_equal(it.left, 8);
	h.len = 9;
	vsock_hdr_encode(&h, raw);
	assert_int_equal(vsock_pkt_parse(&c, &h, &it), -EINVAL);
	h.len = 8;
	h.op = VSOCK_OP_REQUEST;		/* only RW carries data */
	vsock_hdr_encode(&h, raw);
	assert_int_equal(vsock_pkt_parse(&c, &h, &it), -EINVAL);
	h.op = VSOCK_OP_RW;
	h.len = VSOCK_BUF_ALLOC + 1;
	vsock_hdr_encode(&h, raw);
	c.out_len = 44 + VSOCK_BUF_ALLOC + 1;
	assert_int_equal(vsock_pkt_parse(&c, &h, &it), -EINVAL);
	c.out_len = 43;
	assert_int_equal(vsock_pkt_parse(&c, &h, &it), -EINVAL);
}

static void test_guest_to_host(void **state)
{
	struct rig *g = rig_new();
	int l = listen_at(g, 5000), s;
	struct vsock_hdr h;
	char buf[64];

	g_send(g, VSOCK_OP_REQUEST, 1234, 5000, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RESPONSE);
	assert_int_equal(h.src_port, 5000);
	assert_int_equal(h.dst_port, 1234);
	assert_int_equal(h.dst_cid, CID);
	assert_int_equal(h.buf_alloc, VSOCK_BUF_ALLOC);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	g_send(g, VSOCK_OP_RW, 1234, 5000, 0, "ping", 4);
	assert_int_equal(recv(s, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "ping", 4);
	/* the host answers */
	assert_int_equal(send(s, "pong!", 5, 0), 5);
	assert_int_equal(g_recv(g, &h, buf, sizeof(buf)), 0);
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_string_equal(buf, "pong!");
	assert_int_equal(h.fwd_cnt, 4);		/* we forwarded the 4 bytes */
	/* a credit request is answered */
	g_send(g, VSOCK_OP_CREDIT_REQUEST, 1234, 5000, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_CREDIT_UPDATE);
	/* close: RST to the guest, EOF to the host */
	g_send(g, VSOCK_OP_SHUTDOWN, 1234, 5000, 3, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RST);
	assert_int_equal(recv(s, buf, sizeof(buf), 0), 0);
	assert_int_equal(g->v->nr_conns, 0);
	/* nothing listens on 5001 */
	g_send(g, VSOCK_OP_REQUEST, 1235, 5001, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RST);
	assert_int_equal(h.dst_port, 1235);
	close(s);
	close(l);
	rig_free(g);
}

static void test_host_to_guest(void **state)
{
	struct rig *g = rig_new();
	struct vsock_hdr h;
	char buf[64];
	uint32_t hport;
	int s = connect_uds(g), n;

	assert_int_equal(send(s, "CONNECT 1234\nextra", 18, 0), 18);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_REQUEST);
	assert_int_equal(h.dst_port, 1234);
	hport = h.src_port;
	assert_true(hport >= VSOCK_HOST_PORT_BASE);
	/* the bytes after the newline are data, held until accepted */
	g->fwd = 0;
	g_send(g, VSOCK_OP_RESPONSE, 1234, hport, 0, NULL, 0);
	n = (int)recv(s, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = 0;
	snprintf(buf + 32, 32, "OK %u\n", hport);
	assert_string_equal(buf, buf + 32);
	assert_int_equal(g_recv(g, &h, buf, sizeof(buf)), 0);
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_string_equal(buf, "extra");
	/* the host closes: SHUTDOWN; the guest resets */
	close(s);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_SHUTDOWN);
	assert_true(h.flags & VSOCK_SHUTDOWN_SEND);
	g_send(g, VSOCK_OP_RST, 1234, hport, 0, NULL, 0);
	assert_int_equal(g->v->nr_conns, 0);

	/* the guest refuses: the host socket is closed */
	s = connect_uds(g);
	send(s, "CONNECT 99\n", 11, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	g_send(g, VSOCK_OP_RST, 99, h.src_port, 0, NULL, 0);
	assert_int_equal(recv(s, buf, sizeof(buf), 0), 0);
	close(s);
	rig_free(g);
}

static void test_bad_handshakes(void **state)
{
	static const char *lines[] = {
		"HELLO\n", "CONNECT\n", "CONNECT 12x\n", "CONNECT 99999999999\n",
		"CONNECT 1 2 3 4 5 6 7 8 9 10 11 12 13 14",
	};
	struct rig *g = rig_new();
	struct vsock_hdr h;
	char buf[8];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		int s = connect_uds(g);
		ssize_t n;

		send(s, lines[i], strlen(lines[i]), 0);
		fake_platform_run(&g->r.fp);
		/* closed: EOF, or a reset when our bytes were left unread */
		n = recv(s, buf, sizeof(buf), 0);
		if (n > 0 || (n < 0 && errno != ECONNRESET))
			fail_msg("handshake '%s' not refused", lines[i]);
		close(s);
	}
	assert_int_equal(g_recv(g, &h, NULL, 0), -1);
	assert_int_equal(g->v->nr_conns, 0);
	rig_free(g);
}

static void test_stray_packets(void **state)
{
	struct rig *g = rig_new();
	struct vsock_hdr h;

	/* data for no connection: RST */
	g_send(g, VSOCK_OP_RW, 7, 8, 0, "x", 1);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RST);
	assert_int_equal(h.src_port, 8);
	/* an RST for no connection: nothing */
	g_send(g, VSOCK_OP_RST, 7, 8, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), -1);
	/* a foreign source CID: dropped */
	{
		struct vsock_hdr bad = { .src_cid = 77, .dst_cid = 2, .type = 1, .op = 1 };
		struct tb b = { TXB, 44, false };
		uint32_t id, len;

		vsock_hdr_encode(&bad, gp(&g->r, TXB));
		dq_chain(&g->q[1], &b, 1);
		drv_kick(&g->r, &g->v->vd, 1);
		assert_int_equal(dq_used(&g->q[1], &id, &len), 1);
		assert_int_equal(g_recv(g, &h, NULL, 0), -1);
		assert_int_equal(g->v->bad_pkts, 1);
	}
	rig_free(g);
}

static void test_credit(void **state)
{
	struct rig *g = rig_new();
	int l = listen_at(g, 6000), s;
	struct vsock_hdr h;
	char buf[64];

	g->buf_alloc = 10;		/* the guest has room for 10 bytes */
	g_send(g, VSOCK_OP_REQUEST, 1, 6000, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	s = accept(l, NULL, NULL);
	g->fwd = 0;
	assert_int_equal(send(s, "0123456789abcdefghij", 20, 0), 20);
	assert_int_equal(g_recv(g, &h, buf, sizeof(buf)), 0);
	assert_int_equal(h.len, 10);
	assert_string_equal(buf, "0123456789");
	/* no more until the guest says it consumed them */
	assert_int_equal(g_recv(g, &h, NULL, 0), -1);
	g_send(g, VSOCK_OP_CREDIT_UPDATE, 1, 6000, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "abcdefghij");
	/* the host stops reading: writing fails, the guest gets an RST */
	{
		static char big[4096];

		memset(big, 'b', sizeof(big));
		shutdown(s, SHUT_RD);
		g_send(g, VSOCK_OP_RW, 1, 6000, 0, big, sizeof(big));
		g_send(g, VSOCK_OP_RW, 1, 6000, 0, big, sizeof(big));
		assert_int_equal(g_recv(g, &h, NULL, 0), 0);
		assert_int_equal(h.op, VSOCK_OP_RST);
		assert_int_equal(g->v->nr_conns, 0);
	}
	close(s);
	close(l);
	rig_free(g);
}

/*
 * A guest that ignores the credit we gave it (issue 21): the host side
 * reads nothing, so what the device could not write to the socket waits
 * in its VSOCK_BUF_ALLOC buffer.  The packet that would overfill that
 * buffer resets the connection, and no earlier one does.  What the
 * device has forwarded is what waits in the host socket (FIONREAD).
 */
static void test_guest_ignores_credit(void **state)
{
	static char chunk[4096];
	struct rig *g = rig_new();
	int l = listen_at(g, 6001), s, queued;
	uint64_t sent = 0;
	struct vsock_hdr h;
	bool reset = false;
	unsigned int i;

	memset(chunk, 'c', sizeof(chunk));
	g_send(g, VSOCK_OP_REQUEST, 2, 6001, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RESPONSE);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	for (i = 0; i < 1024 && !reset; i++) {
		g_send(g, VSOCK_OP_RW, 2, 6001, 0, chunk, sizeof(chunk));
		sent += sizeof(chunk);
		assert_int_equal(ioctl(s, FIONREAD, &queued), 0);
		while (g_recv(g, &h, NULL, 0) == 0)
			if (h.op == VSOCK_OP_RST)
				reset = true;
		/* reset exactly when the unforwarded bytes exceed the buffer */
		if (sent - (uint64_t)queued > VSOCK_BUF_ALLOC)
			assert_true(reset);
		else
			assert_false(reset);
	}
	assert_true(reset);
	assert_int_equal(g->v->nr_conns, 0);
	close(s);
	close(l);
	rig_free(g);
}

static void test_reset_closes(void **state)
{
	struct rig *g = rig_new();
	struct vsock_hdr h;
	char buf[8];
	int s = connect_uds(g);

	send(s, "CONNECT 5\n", 10, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(g->v->nr_conns, 1);
	bar_w(&g->v->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS, 0, 1);
	fake_platform_run(&g->r.fp);
	assert_int_equal(g->v->nr_conns, 0);
	assert_int_equal(recv(s, buf, sizeof(buf), 0), 0);
	close(s);
	rig_free(g);
}

/* A connection to host port @port, accepted there: returns the host end. */
static int g_connect(struct rig *g, int l, uint32_t sport, uint32_t port)
{
	struct vsock_hdr h;
	int s;

	g_send(g, VSOCK_OP_REQUEST, sport, port, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RESPONSE);
	s = accept(l, NULL, NULL);
	assert_true(s >= 0);
	return s;
}

#define STATUS_NO_DRIVER_OK	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | \
				 VIRTIO_STATUS_FEATURES_OK)

/*
 * Host data waits while the device is not live (DRIVER_OK dropped without
 * a reset, or NEEDS_RESET): the event loop must not spin on the readable
 * socket meanwhile (issue 12, finding 1).  fake_platform_run() returns
 * the callbacks it ran, up to 1000 rounds when something stays ready.
 */
static void test_not_live_no_spin(void **state)
{
	struct rig *g = rig_new();
	int l = listen_at(g, 5000), s;
	struct vsock_hdr h;
	char buf[16];

	s = g_connect(g, l, 1234, 5000);
	/* the driver clears DRIVER_OK without resetting: not live */
	bar_w(&g->v->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS, STATUS_NO_DRIVER_OK, 1);
	assert_int_equal(send(s, "x", 1, 0), 1);
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	/* DRIVER_OK again: the byte arrives */
	bar_w(&g->v->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS,
	      STATUS_NO_DRIVER_OK | VIRTIO_STATUS_DRIVER_OK, 1);
	assert_int_equal(g_recv(g, &h, buf, sizeof(buf)), 0);
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_string_equal(buf, "x");
	close(s);
	close(l);
	rig_free(g);
}

static void test_needs_reset_no_spin(void **state)
{
	struct rig *g = rig_new();
	int l = listen_at(g, 5000), s;
	uint16_t idx = 1000;

	s = g_connect(g, l, 1234, 5000);
	/* the transmit ring's available index runs 1000 ahead: NEEDS_RESET */
	memcpy(gp(&g->r, g->q[1].avail + 2), &idx, 2);
	drv_kick(&g->r, &g->v->vd, 1);
	assert_true(bar_r(&g->v->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS, 1) &
		    VIRTIO_STATUS_NEEDS_RESET);
	assert_int_equal(send(s, "x", 1, 0), 1);
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	/* the host closing meanwhile does not make it spin either */
	close(s);
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	/* a reset closes everything */
	bar_w(&g->v->vd, VIRTIO_OFF_COMMON + VIRTIO_PCI_COMMON_STATUS, 0, 1);
	fake_platform_run(&g->r.fp);
	assert_int_equal(g->v->nr_conns, 0);
	close(l);
	rig_free(g);
}

/*
 * Out of file descriptors: accept() fails with EMFILE and the listening
 * socket stays readable.  The listener must pause instead of spinning
 * (issue 12, finding 2) and resume once a connection closes.
 */
static void test_emfile_no_spin(void **state)
{
	struct rig *g = rig_new();
	int l = listen_at(g, 5000), a, c, fill[512], nfill = 0, i;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct rlimit rl, low;
	struct vsock_hdr h;

	a = g_connect(g, l, 1, 5000);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(c >= 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", g->uds);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	low = (struct rlimit){ .rlim_cur = 256, .rlim_max = rl.rlim_max };
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	while (nfill < 512 && (fill[nfill] = dup(0)) >= 0)
		nfill++;
	assert_int_equal(errno, EMFILE);
	assert_int_equal(connect(c, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(send(c, "CONNECT 5\n", 10, 0), 10);
	assert_true(fake_platform_run(&g->r.fp) <= 2);
	assert_true(g->v->listen_paused);
	/* descriptors free again: still paused until a connection closes */
	for (i = 0; i < nfill; i++)
		close(fill[i]);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), -1);
	g_send(g, VSOCK_OP_RST, 1, 5000, 0, NULL, 0);
	assert_false(g->v->listen_paused);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_REQUEST);
	assert_int_equal(h.dst_port, 5);
	close(c);
	close(a);
	close(l);
	rig_free(g);
}

/* Connections are capped below what the descriptor limit allows. */
static void test_conn_cap_follows_fd_limit(void **state)
{
	struct rlimit rl, low;
	struct rig *g;
	long soft;

	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	soft = fd_count_open() + VSOCK_FD_RESERVE + 100;
	if (rl.rlim_max < (rlim_t)soft)
		skip();
	low = (struct rlimit){ .rlim_cur = (rlim_t)soft, .rlim_max = rl.rlim_max };
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	g = rig_new();
	assert_true(g->v->max_conns >= VSOCK_MIN_CONNS);
	assert_true(g->v->max_conns <= 100);
	assert_true(g->v->max_conns + VSOCK_FD_RESERVE + fd_count_open() <= soft + 8);
	rig_free(g);
	/* plenty of descriptors: the fixed cap */
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur > 4096) {
		g = rig_new();
		assert_int_equal(g->v->max_conns, VSOCK_MAX_CONNS);
		rig_free(g);
	}
}

static int uds_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret;
}

/*
 * A second cvmm must not take over a live socket, and the first must not
 * remove the second's when it exits (issue 12, finding 3).
 */
static void test_listener_takeover(void **state)
{
	char dir[] = "/tmp/cvmm-vsock-XXXXXX", path[64];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct dev_err err = { 0 };
	struct vsock_listener a, b;
	struct capture cap;
	struct stat st;
	int fd, ret;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/v.sock", dir);
	assert_int_equal(vsock_listener_open(&a, path, &err), 0);
	capture_start(&cap);
	ret = vsock_listener_open(&b, path, &err);
	capture_stop(&cap);
	assert_int_equal(ret, -EADDRINUSE);
	assert_string_equal(err.msg, "another process listens on this socket (is another "
			    "cvmm running with it?)");
	assert_string_equal(cap.text, "");	/* the machine prints it, as --vsock */
	assert_int_equal(uds_connect(path), 0);		/* still ours */
	fd = accept(a.fd, NULL, NULL);
	assert_true(fd >= 0);
	close(fd);

	/* replaced behind our back: closing leaves the newcomer's socket */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(vsock_listener_open(&b, path, &err), 0);
	vsock_listener_close(&a);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(uds_connect(path), 0);
	vsock_listener_close(&b);
	assert_int_equal(lstat(path, &st), -1);
	vsock_listener_close(&b);			/* idempotent */

	/* a stale socket, nobody listening: replaced, and removed at close */
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	close(fd);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(vsock_listener_open(&a, path, &err), 0);
	assert_int_equal(uds_connect(path), 0);
	vsock_listener_close(&a);
	assert_int_equal(lstat(path, &st), -1);

	/* not a socket */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	ret = vsock_listener_open(&a, path, &err);
	assert_int_equal(ret, -EEXIST);
	assert_string_equal(err.msg, "exists and is not a socket");
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_guest_to_host),
		cmocka_unit_test(test_host_to_guest),
		cmocka_unit_test(test_bad_handshakes),
		cmocka_unit_test(test_stray_packets),
		cmocka_unit_test(test_credit),
		cmocka_unit_test(test_guest_ignores_credit),
		cmocka_unit_test(test_reset_closes),
		cmocka_unit_test(test_not_live_no_spin),
		cmocka_unit_test(test_needs_reset_no_spin),
		cmocka_unit_test(test_emfile_no_spin),
		cmocka_unit_test(test_conn_cap_follows_fd_limit),
		cmocka_unit_test(test_listener_takeover),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
