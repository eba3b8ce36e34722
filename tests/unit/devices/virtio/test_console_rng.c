// SPDX-License-Identifier: GPL-2.0-only
/* virtio-console (output, input buffering, emergency write) and virtio-rng. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "devices/virtio/console.h"
#include "devices/virtio/rng.h"
#include "vrig.h"

#define BUF	0x100000ULL

/* A device on the rig's memory and fake platform (the machine's env). */
static struct virtio_dev_env env_of(struct vrig *r)
{
	return (struct virtio_dev_env){ .name = "virtio-test", .mem = &r->mem,
					.plat = &r->fp.plat };
}

static void test_console_output(void **state)
{
	struct vrig r;
	struct virtio_dev_env env;
	struct virtio_dev *vd;
	struct console_dev *c;
	struct dq q[2];
	struct tb b[2] = { { BUF, 6, false }, { BUF + 0x100, 7, false } };
	char out[64];
	uint32_t id, len;
	int p[2];

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	vrig_init(&r);
	env = env_of(&r);
	assert_int_equal(console_dev_create(p[1], &env, &vd), 0);
	c = console_of(vd);
	dq_init(&q[0], &r, 8, 0x10000);
	dq_init(&q[1], &r, 8, 0x20000);
	assert_int_equal(drv_start(&c->vd, 1ULL << VIRTIO_CONSOLE_F_EMERG_WRITE, q, 2,
				   false) & 0xf, 0xf);
	/* config: 80x25, one port */
	assert_int_equal(bar_r(&c->vd, VIRTIO_OFF_DEVICE, 4), 80 | 25 << 16);
	assert_int_equal(bar_r(&c->vd, VIRTIO_OFF_DEVICE + 4, 4), 1);
	memcpy(gp(&r, BUF), "hello ", 6);
	memcpy(gp(&r, BUF + 0x100), "world!\n", 7);
	dq_chain(&q[1], b, 2);
	drv_kick(&r, &c->vd, 1);
	assert_int_equal(dq_used(&q[1], &id, &len), 1);
	assert_int_equal(read(p[0], out, sizeof(out)), 13);
	assert_memory_equal(out, "hello world!\n", 13);
	/* emergency write */
	bar_w(&c->vd, VIRTIO_OFF_DEVICE + 8, 'Z', 4);
	assert_int_equal(read(p[0], out, sizeof(out)), 1);
	assert_int_equal(out[0], 'Z');
	assert_int_equal(c->out_bytes, 14);
	/* writable buffers on the transmit queue carry nothing */
	b[0].write = true;
	dq_chain(&q[1], b, 1);
	drv_kick(&r, &c->vd, 1);
	assert_int_equal(read(p[0], out, sizeof(out)), -1);
	virtio_dev_free(vd);
	vrig_free(&r);
	close(p[0]);
	close(p[1]);
}

static void test_console_input(void **state)
{
	struct vrig r;
	struct virtio_dev_env env;
	struct virtio_dev *vd;
	struct console_dev *c;
	struct dq q[2];
	struct tb b = { BUF, 4, true };
	uint8_t big[VIRTIO_CONSOLE_IN_BUF + 100];
	uint32_t id, len;

	vrig_init(&r);
	env = env_of(&r);
	assert_int_equal(console_dev_create(-1, &env, &vd), 0);
	c = console_of(vd);
	dq_init(&q[0], &r, 8, 0x10000);
	dq_init(&q[1], &r, 8, 0x20000);
	/* input typed before the driver runs is kept */
	assert_int_equal(console_dev_input(c, (const uint8_t *)"abcdef", 6), 6);
	fake_platform_run(&r.fp);
	assert_int_equal(drv_start(&c->vd, 0, q, 2, false) & 0xf, 0xf);
	dq_chain(&q[0], &b, 1);
	drv_kick(&r, &c->vd, 0);
	assert_int_equal(dq_used(&q[0], &id, &len), 1);
	assert_int_equal(len, 4);
	assert_memory_equal(gp(&r, BUF), "abcd", 4);
	b.gpa = BUF + 0x100;
	dq_chain(&q[0], &b, 1);
	drv_kick(&r, &c->vd, 0);
	assert_int_equal(dq_used(&q[0], &id, &len), 1);
	assert_int_equal(len, 2);
	assert_memory_equal(gp(&r, BUF + 0x100), "ef", 2);
	/* a buffer waits for input; input arrives later (the main thread's
	 * console_dev_input(), then the input eventfd on the loop) */
	b.gpa = BUF + 0x200;
	dq_chain(&q[0], &b, 1);
	drv_kick(&r, &c->vd, 0);
	assert_int_equal(dq_used(&q[0], &id, &len), 0);
	console_dev_input(c, (const uint8_t *)"xy", 2);
	fake_platform_run(&r.fp);
	assert_int_equal(dq_used(&q[0], &id, &len), 1);
	assert_memory_equal(gp(&r, BUF + 0x200), "xy", 2);
	/* the buffer is bounded: the excess is refused */
	memset(big, 'q', sizeof(big));
	assert_int_equal(console_dev_input(c, big, sizeof(big)), VIRTIO_CONSOLE_IN_BUF);
	assert_int_equal(console_dev_input(c, big, 1), 0);
	virtio_dev_free(vd);
	vrig_free(&r);
}

static void test_rng(void **state)
{
	struct vrig r;
	struct virtio_dev_env env;
	struct virtio_dev *vd;
	struct rng_dev *g;
	struct dq q;
	struct tb b[2] = { { BUF, 32, true }, { BUF + 0x1000, 32, true } };
	uint32_t id, len;
	uint8_t zero[32] = { 0 };

	vrig_init(&r);
	env = env_of(&r);
	assert_int_equal(rng_dev_create(&env, &vd), 0);
	g = rng_of(vd);
	dq_init(&q, &r, 8, 0x10000);
	assert_int_equal(drv_start(&g->vd, 0, &q, 1, false) & 0xf, 0xf);
	dq_chain(&q, b, 2);
	drv_kick(&r, &g->vd, 0);
	assert_int_equal(dq_used(&q, &id, &len), 1);
	assert_int_equal(len, 64);
	assert_memory_not_equal(gp(&r, BUF), zero, 32);
	assert_memory_not_equal(gp(&r, BUF), gp(&r, BUF + 0x1000), 32);
	/* readable buffers are not filled; huge ones are capped */
	b[0].write = false;
	dq_chain(&q, b, 1);
	b[0] = (struct tb){ BUF, 1 << 20, true };
	dq_chain(&q, b, 1);
	drv_kick(&r, &g->vd, 0);
	assert_int_equal(dq_used(&q, &id, &len), 1);
	assert_int_equal(len, 0);
	assert_int_equal(dq_used(&q, &id, &len), 1);
	assert_int_equal(len, VIRTIO_RNG_MAX_CHAIN);
	assert_int_equal(g->bytes, 64 + VIRTIO_RNG_MAX_CHAIN);
	virtio_dev_free(vd);
	vrig_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_output),
		cmocka_unit_test(test_console_input),
		cmocka_unit_test(test_rng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
