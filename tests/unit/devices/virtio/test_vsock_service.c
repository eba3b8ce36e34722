// SPDX-License-Identifier: GPL-2.0-only
/* virtio-vsock: ports served inside cvmm (vsock_service.h). */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices/virtio/vsock_service.h"
#include "vsock_rig.h"

#define PORT	4051

/* Reads up to 16 bytes, answers "<them>:ok", closes (by returning). */
static void serve_echo(void *opaque, int fd)
{
	char in[16], out[24];
	ssize_t n = read(fd, in, sizeof(in));

	(void)opaque;
	if (n <= 0)
		return;
	memcpy(out, in, (size_t)n);
	memcpy(out + n, ":ok", 3);
	if (write(fd, out, (size_t)n + 3) < 0)
		return;
}

/* Waits until the peer closes (or the service is destroyed). */
static void serve_block(void *opaque, int fd)
{
	char c;
	int *seen_eof = opaque;

	while (read(fd, &c, 1) > 0)
		;
	(*seen_eof)++;
}

/* Guest connects to PORT, sends @msg; returns the op of the first answer. */
static uint16_t g_connect(struct rig *g, uint32_t sport)
{
	struct vsock_hdr h;

	g_send(g, VSOCK_OP_REQUEST, sport, PORT, 0, NULL, 0);
	assert_int_equal(g_recv(g, &h, NULL, 0), 0);
	assert_int_equal(h.dst_port, sport);
	return h.op;
}

static void test_service_answers(void **state)
{
	struct rig *g = rig_new();
	struct vsock_service *s;
	struct vsock_hdr h;
	int other = listen_at(g, PORT);	/* a host program on the same port */
	struct pollfd p = { .fd = other, .events = POLLIN };
	char buf[64];

	assert_int_equal(vsock_service_create(PORT, serve_echo, NULL, 2, &s), 0);
	assert_int_equal(vsock_service_attach(s, &g->l), 0);
	assert_int_equal(vsock_service_attach(s, &g->l), -EEXIST);

	assert_int_equal(g_connect(g, 1000), VSOCK_OP_RESPONSE);
	g_send(g, VSOCK_OP_RW, 1000, PORT, 0, "req", 3);
	assert_int_equal(g_recv_wait(g, &h, buf, sizeof(buf)), 0);
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_string_equal(buf, "req:ok");
	/* the service closed: the guest hears SHUTDOWN */
	assert_int_equal(g_recv_wait(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_SHUTDOWN);
	assert_int_equal(vsock_service_count(s), 1);
	/* the service, not the host socket on <uds>_4051, got the connection */
	assert_int_equal(poll(&p, 1, 0), 0);

	/* and again, on a fresh connection (the finished worker is reused) */
	g_send(g, VSOCK_OP_SHUTDOWN, 1000, PORT, 3, NULL, 0);
	assert_int_equal(g_recv_wait(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_RST);
	g->fwd = 0;				/* a new connection counts from 0 */
	assert_int_equal(g_connect(g, 1001), VSOCK_OP_RESPONSE);
	g_send(g, VSOCK_OP_RW, 1001, PORT, 0, "two", 3);
	assert_int_equal(g_recv_wait(g, &h, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "two:ok");
	assert_int_equal(vsock_service_count(s), 2);
	close(other);
	rig_free(g);
	vsock_service_destroy(s);
}

static void test_service_limit_and_stop(void **state)
{
	struct rig *g = rig_new();
	struct vsock_service *s;
	struct vsock_hdr h;
	int eofs = 0;

	assert_int_equal(vsock_service_create(PORT, serve_block, &eofs, 1, &s), 0);
	assert_int_equal(vsock_service_attach(s, &g->l), 0);
	assert_int_equal(g_connect(g, 2000), VSOCK_OP_RESPONSE);
	/* one worker: a second connection is refused while the first is open */
	assert_int_equal(g_connect(g, 2001), VSOCK_OP_RST);
	assert_int_equal(vsock_service_count(s), 1);
	/* destroying the service ends the blocked worker (it reads EOF) */
	vsock_service_destroy(s);
	assert_int_equal(eofs, 1);
	/* the device's end sees the service gone: the guest gets SHUTDOWN */
	assert_int_equal(g_recv_wait(g, &h, NULL, 0), 0);
	assert_int_equal(h.op, VSOCK_OP_SHUTDOWN);
	rig_free(g);
}

static void test_listener_services(void **state)
{
	struct vsock_listener l = { .fd = -1 };
	struct vsock_port_service e = { .connect = NULL };
	unsigned int i;

	for (i = 0; i < VSOCK_MAX_SERVICES; i++) {
		e.port = 100 + i;
		assert_int_equal(vsock_listener_add_service(&l, &e), 0);
	}
	e.port = 999;
	assert_int_equal(vsock_listener_add_service(&l, &e), -ENOSPC);
	assert_non_null(vsock_listener_service(&l, 101));
	assert_null(vsock_listener_service(&l, 999));
	assert_null(vsock_listener_service(NULL, 101));
	vsock_listener_close(&l);		/* not open: forgets the services */
	assert_null(vsock_listener_service(&l, 101));
	assert_int_equal(vsock_service_create(PORT, NULL, NULL, 1, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_answers),
		cmocka_unit_test(test_service_limit_and_stop),
		cmocka_unit_test(test_listener_services),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
