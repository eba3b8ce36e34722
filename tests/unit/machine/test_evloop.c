// SPDX-License-Identifier: GPL-2.0-only
/* The device event loop (machine/evloop.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "machine/evloop.h"

struct ctx {
	struct evloop *l;
	int fd, other_fd;
	atomic_int calls;
	bool del_other, del_self;
};

static void on_event(void *opaque, uint32_t events)
{
	struct ctx *c = opaque;
	uint64_t v;

	if (read(c->fd, &v, sizeof(v)) < 0)
		return;
	atomic_fetch_add(&c->calls, 1);
	if (c->del_other)
		evloop_del(c->l, c->other_fd);
	if (c->del_self)
		evloop_del(c->l, c->fd);
}

static void kick(int fd)
{
	uint64_t one = 1;

	assert_int_equal(write(fd, &one, sizeof(one)), sizeof(one));
}

static void test_run_once(void **state)
{
	struct evloop *l;
	struct ctx a = { 0 }, b = { 0 };

	assert_int_equal(evloop_create(&l, "test"), 0);
	a.l = b.l = l;
	a.fd = eventfd(0, EFD_NONBLOCK);
	b.fd = eventfd(0, EFD_NONBLOCK);
	a.other_fd = b.fd;
	b.other_fd = a.fd;
	assert_int_equal(evloop_add(l, a.fd, 1, on_event, &a), 0);
	assert_int_equal(evloop_add(l, a.fd, 1, on_event, &a), -EEXIST);
	assert_int_equal(evloop_add(l, b.fd, 1, on_event, &b), 0);
	assert_int_equal(evloop_add(l, -1, 1, on_event, &b), -EINVAL);
	assert_int_equal(evloop_run_once(l, 0), 0);
	kick(a.fd);
	assert_int_equal(evloop_run_once(l, 100), 1);
	assert_int_equal(a.calls, 1);
	/* paused watches stay quiet */
	assert_int_equal(evloop_mod(l, a.fd, 0), 0);
	kick(a.fd);
	assert_int_equal(evloop_run_once(l, 0), 0);
	assert_int_equal(evloop_mod(l, a.fd, 1), 0);
	assert_int_equal(evloop_run_once(l, 100), 1);
	assert_int_equal(evloop_mod(l, 12345, 1), -ENOENT);
	/* both ready; whichever runs first removes the other: one call */
	a.del_other = b.del_other = true;
	kick(a.fd);
	kick(b.fd);
	assert_int_equal(evloop_run_once(l, 100), 1);
	assert_int_equal(a.calls + b.calls, 3);
	/* a handler may remove itself */
	evloop_del(l, a.fd);
	evloop_del(l, b.fd);
	evloop_del(l, 999);
	a.del_other = false;
	a.del_self = true;
	assert_int_equal(evloop_add(l, a.fd, 1, on_event, &a), 0);
	kick(a.fd);
	assert_int_equal(evloop_run_once(l, 100), 1);
	kick(a.fd);
	assert_int_equal(evloop_run_once(l, 0), 0);
	evloop_destroy(l);
	close(a.fd);
	close(b.fd);
}

static void test_thread(void **state)
{
	struct evloop *l;
	struct ctx a = { 0 };
	int i;

	assert_int_equal(evloop_create(&l, "test-thread"), 0);
	a.l = l;
	a.fd = eventfd(0, EFD_NONBLOCK);
	assert_int_equal(evloop_add(l, a.fd, 1, on_event, &a), 0);
	assert_int_equal(evloop_start(l), 0);
	assert_int_equal(evloop_start(l), 0);	/* already running */
	kick(a.fd);
	for (i = 0; i < 1000 && atomic_load(&a.calls) < 1; i++)
		usleep(1000);
	assert_int_equal(atomic_load(&a.calls), 1);
	evloop_stop(l);
	evloop_stop(l);
	/* stopped: nothing runs; started again: it does */
	kick(a.fd);
	usleep(20000);
	assert_int_equal(atomic_load(&a.calls), 1);
	assert_int_equal(evloop_start(l), 0);
	for (i = 0; i < 1000 && atomic_load(&a.calls) < 2; i++)
		usleep(1000);
	assert_int_equal(atomic_load(&a.calls), 2);
	evloop_destroy(l);
	close(a.fd);
}

static void on_ready(void *opaque, uint32_t events)
{
	atomic_fetch_add((atomic_int *)opaque, 1);
}

/*
 * Watches added and removed from another thread while the loop runs: a
 * watch removed just after epoll_wait() returned it must not be freed
 * under the loop (ASan sees it if it is).  The fd stays readable, so the
 * loop wakes all the time.
 */
static void test_del_from_another_thread(void **state)
{
	struct evloop *l;
	atomic_int calls = 0;
	int fd = eventfd(1, EFD_NONBLOCK), i, before;

	assert_true(fd >= 0);
	assert_int_equal(evloop_create(&l, "test-del"), 0);
	assert_int_equal(evloop_start(l), 0);
	for (i = 0; i < 20000; i++) {
		assert_int_equal(evloop_add(l, fd, 1, on_ready, &calls), 0);
		evloop_del(l, fd);
	}
	/* the loop survived and still serves new watches */
	before = atomic_load(&calls);
	assert_int_equal(evloop_add(l, fd, 1, on_ready, &calls), 0);
	for (i = 0; i < 1000 && atomic_load(&calls) == before; i++)
		usleep(1000);
	assert_true(atomic_load(&calls) > before);
	evloop_destroy(l);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_once),
		cmocka_unit_test(test_thread),
		cmocka_unit_test(test_del_from_another_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
