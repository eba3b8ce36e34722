// SPDX-License-Identifier: GPL-2.0-only
/* The split virtqueue walker against well-formed and hostile rings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "devices/virtio/virtqueue.h"
#include "vrig.h"

#define RINGS	0x10000
#define BUFS	0x100000
#define NEXT	VIRTQ_DESC_F_NEXT
#define WRITE	VIRTQ_DESC_F_WRITE
#define IND	VIRTQ_DESC_F_INDIRECT

struct t {
	struct vrig r;
	struct dq q;
	struct virtqueue *vq;
	struct vq_chain c;
};

static struct t *setup(uint16_t size, bool event_idx, bool indirect)
{
	struct t *t = calloc(1, sizeof(*t));

	vrig_init(&t->r);
	t->vq = calloc(1, sizeof(*t->vq));
	dq_init(&t->q, &t->r, size, RINGS);
	assert_int_equal(vq_setup(t->vq, &t->r.mem, size, t->q.desc, t->q.avail,
				  t->q.used, event_idx, indirect), 0);
	return t;
}

static void teardown(struct t *t)
{
	vrig_free(&t->r);
	free(t->vq);
	free(t);
}

/* Pop a chain that must be bad: -EBADMSG and returned with length 0. */
static void expect_bad(struct t *t, uint16_t head, int err)
{
	uint32_t id, len;

	assert_int_equal(vq_pop(t->vq, &t->c), -EBADMSG);
	assert_int_equal(t->vq->stats.last_error, err);
	assert_int_equal(dq_used(&t->q, &id, &len), 1);
	assert_int_equal(id, head);
	assert_int_equal(len, 0);
	assert_false(t->vq->broken);
}

static void test_setup_checks(void **state)
{
	struct vrig r;
	struct virtqueue *vq = calloc(1, sizeof(*vq));

	vrig_init(&r);
	assert_int_equal(vq_setup(vq, &r.mem, 0, 0x1000, 0x2000, 0x3000, 0, 0), -EINVAL);
	assert_int_equal(vq_setup(vq, &r.mem, 3, 0x1000, 0x2000, 0x3000, 0, 0), -EINVAL);
	assert_int_equal(vq_setup(vq, &r.mem, 2048, 0x1000, 0x20000, 0x30000, 0, 0), -EINVAL);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1008, 0x2000, 0x3000, 0, 0), -EINVAL);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, 0x2001, 0x3000, 0, 0), -EINVAL);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, 0x2000, 0x3002, 0, 0), -EINVAL);
	/* rings (event fields included) must lie in RAM */
	assert_int_equal(vq_setup(vq, &r.mem, 8, VRIG_RAM, 0x2000, 0x3000, 0, 0), -EFAULT);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, VRIG_RAM - 20, 0x3000, 0, 0), -EFAULT);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, 0x2000, VRIG_RAM - 68, 0, 0), -EFAULT);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, 0x2000, ~0ULL - 3, 0, 0), -EFAULT);
	assert_false(vq->ready);
	assert_int_equal(vq_setup(vq, &r.mem, 8, 0x1000, VRIG_RAM - 22, VRIG_RAM - 72, 0, 0), 0);
	assert_true(vq->ready);
	assert_int_equal(vq_desc_size(8), 128);
	assert_int_equal(vq_avail_size(8), 22);
	assert_int_equal(vq_used_size(8), 70);
	vrig_free(&r);
	free(vq);
}

static void test_simple_chain(void **state)
{
	struct t *t = setup(8, false, false);
	struct tb b[3] = {
		{ BUFS, 16, false }, { BUFS + 0x1000, 512, true }, { BUFS + 0x2000, 1, true },
	};
	uint32_t id, len;
	uint16_t head;

	assert_int_equal(vq_pop(t->vq, &t->c), 0);
	assert_false(vq_has_avail(t->vq));
	head = dq_chain(&t->q, b, 3);
	assert_true(vq_has_avail(t->vq));
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_int_equal(t->c.head, head);
	assert_int_equal(t->c.nr, 3);
	assert_int_equal(t->c.nr_out, 1);
	assert_int_equal(t->c.nr_in, 2);
	assert_int_equal(t->c.out_len, 16);
	assert_int_equal(t->c.in_len, 513);
	assert_ptr_equal(t->c.bufs[1].hva, gp(&t->r, BUFS + 0x1000));
	assert_true(t->c.bufs[2].write);
	vq_push(t->vq, t->c.head, 513);
	assert_int_equal(dq_used(&t->q, &id, &len), 1);
	assert_int_equal(id, head);
	assert_int_equal(len, 513);
	/* zero-length descriptors carry nothing and are skipped */
	b[1].len = 0;
	dq_chain(&t->q, b, 3);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_int_equal(t->c.nr, 2);
	/* unpop gives the chain back */
	dq_chain(&t->q, b, 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	vq_unpop(t->vq);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 0);
	assert_int_equal(t->vq->stats.chains, 4);
	teardown(t);
}

static void test_bad_chains(void **state)
{
	struct t *t = setup(8, false, false);
	unsigned int i;

	/* self loop */
	dq_desc(&t->q, 0, BUFS, 16, NEXT, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -ELOOP);
	/* a loop through the whole table */
	for (i = 0; i < 8; i++)
		dq_desc(&t->q, (uint16_t)i, BUFS, 16, NEXT, (uint16_t)((i + 1) % 8));
	dq_publish(&t->q, 3);
	expect_bad(t, 3, -ELOOP);
	/* loops of zero-length descriptors add no buffer, so only the step
	 * count ends them (issue 21) */
	dq_desc(&t->q, 0, BUFS, 0, NEXT, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -ELOOP);
	for (i = 0; i < 8; i++)
		dq_desc(&t->q, (uint16_t)i, BUFS, 0, NEXT, (uint16_t)((i + 1) % 8));
	dq_publish(&t->q, 5);
	expect_bad(t, 5, -ELOOP);
	/* next past the table */
	dq_desc(&t->q, 0, BUFS, 16, NEXT, 8);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EINVAL);
	/* buffers outside RAM, across its end, 4 GiB long, wrapping */
	dq_desc(&t->q, 0, VRIG_RAM, 16, 0, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EFAULT);
	dq_desc(&t->q, 0, VRIG_RAM - 8, 16, 0, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EFAULT);
	dq_desc(&t->q, 0, BUFS, 0xffffffff, WRITE, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EFAULT);
	dq_desc(&t->q, 0, ~0ULL - 15, 32, 0, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EFAULT);
	/* readable after writable */
	dq_desc(&t->q, 0, BUFS, 16, WRITE | NEXT, 1);
	dq_desc(&t->q, 1, BUFS, 16, 0, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EINVAL);
	/* indirect without the feature */
	dq_desc(&t->q, 0, BUFS, 16, IND, 0);
	dq_publish(&t->q, 0);
	expect_bad(t, 0, -EINVAL);
	assert_int_equal(t->vq->stats.bad_chains, 11);
	teardown(t);
}

static void test_indirect(void **state)
{
	struct t *t = setup(8, false, true);
	uint64_t tbl = BUFS + 0x10000;
	unsigned int i;

	/* a good table: header, data, status */
	dq_desc(&t->q, 0, tbl, 48, IND, 0);
	{
		struct dq it = t->q;

		it.desc = tbl;
		dq_desc(&it, 0, BUFS, 16, NEXT, 1);
		dq_desc(&it, 1, BUFS + 0x1000, 4096, WRITE | NEXT, 2);
		dq_desc(&it, 2, BUFS + 0x3000, 1, WRITE, 0);
		dq_publish(&t->q, 0);
		assert_int_equal(vq_pop(t->vq, &t->c), 1);
		assert_int_equal(t->c.nr, 3);
		assert_int_equal(t->c.in_len, 4097);

		/* a direct descriptor may lead to the table */
		dq_desc(&t->q, 5, BUFS + 0x4000, 8, NEXT, 6);
		dq_desc(&t->q, 6, tbl, 48, IND, 0);
		dq_publish(&t->q, 5);
		assert_int_equal(vq_pop(t->vq, &t->c), 1);
		assert_int_equal(t->c.nr, 4);

		/* empty, odd size, misaligned, outside RAM, with NEXT */
		dq_desc(&t->q, 0, tbl, 0, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		dq_desc(&t->q, 0, tbl, 17, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		/* a length not a multiple of 16, even where its whole entries
		 * make a chain of their own (issue 21) */
		dq_desc(&it, 0, BUFS, 16, WRITE, 0);
		dq_desc(&t->q, 0, tbl, 24, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		dq_desc(&t->q, 0, tbl, 16, IND, 0);	/* the same entry, whole: fine */
		dq_publish(&t->q, 0);
		assert_int_equal(vq_pop(t->vq, &t->c), 1);
		assert_int_equal(t->c.in_len, 16);
		dq_desc(&it, 0, BUFS, 16, NEXT, 1);
		dq_desc(&t->q, 0, tbl + 8, 48, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		dq_desc(&t->q, 0, VRIG_RAM - 32, 48, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EFAULT);
		dq_desc(&t->q, 0, tbl, 48, IND | NEXT, 1);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		/* too many entries */
		dq_desc(&t->q, 0, tbl, 16 * (VQ_MAX_INDIRECT + 1), IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		/* nested */
		dq_desc(&it, 1, BUFS, 48, IND, 0);
		dq_desc(&t->q, 0, tbl, 48, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		/* a loop of zero-length entries inside the table (issue 21) */
		dq_desc(&it, 0, BUFS, 0, NEXT, 1);
		dq_desc(&it, 1, BUFS, 0, NEXT, 0);
		dq_desc(&t->q, 0, tbl, 48, IND, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -ELOOP);
		dq_desc(&it, 0, BUFS, 16, NEXT, 1);
		dq_desc(&it, 1, BUFS + 0x1000, 4096, WRITE | NEXT, 2);
		/* a loop inside the table, a next past it */
		dq_desc(&it, 1, BUFS, 16, NEXT, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -ELOOP);
		dq_desc(&it, 1, BUFS, 16, NEXT, 3);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);
		/* a readable entry after a writable one */
		dq_desc(&it, 0, BUFS, 16, WRITE | NEXT, 1);
		dq_desc(&it, 1, BUFS, 16, 0, 0);
		dq_publish(&t->q, 0);
		expect_bad(t, 0, -EINVAL);

		/* the largest table: VQ_MAX_INDIRECT one-byte buffers */
		for (i = 0; i < VQ_MAX_INDIRECT; i++)
			dq_desc(&it, (uint16_t)i, BUFS + i, 1,
				i + 1 < VQ_MAX_INDIRECT ? NEXT : 0, (uint16_t)(i + 1));
		dq_desc(&t->q, 0, tbl, 16 * VQ_MAX_INDIRECT, IND, 0);
		dq_publish(&t->q, 0);
		assert_int_equal(vq_pop(t->vq, &t->c), 1);
		assert_int_equal(t->c.nr, VQ_MAX_INDIRECT);
		/* ...plus direct buffers before it: more than VQ_MAX_CHAIN */
		dq_desc(&t->q, 5, BUFS, 8, NEXT, 6);
		dq_desc(&t->q, 6, tbl, 16 * VQ_MAX_INDIRECT, IND, 0);
		dq_publish(&t->q, 5);
		expect_bad(t, 5, -E2BIG);
	}
	teardown(t);
}

static void test_broken_rings(void **state)
{
	struct t *t = setup(8, false, false);
	struct tb b = { BUFS, 16, false };

	/* a head past the table breaks the queue for good */
	dq_publish(&t->q, 8);
	assert_int_equal(vq_pop(t->vq, &t->c), -EIO);
	assert_true(t->vq->broken);
	dq_chain(&t->q, &b, 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 0);
	assert_false(vq_has_avail(t->vq));
	assert_false(vq_enable_notify(t->vq));
	teardown(t);

	/* an available index more than the queue size ahead */
	t = setup(8, false, false);
	t->q.avail_idx = 9;
	dq_publish(&t->q, 0);
	assert_int_equal(vq_pop(t->vq, &t->c), -EIO);
	teardown(t);

	/* exactly the queue size ahead is fine */
	t = setup(8, false, false);
	for (int i = 0; i < 8; i++)
		dq_chain(&t->q, &b, 1);
	for (int i = 0; i < 8; i++)
		assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 0);
	teardown(t);
}

static void test_index_wrap(void **state)
{
	struct t *t = setup(4, false, false);
	struct tb b = { BUFS, 16, false };
	uint32_t id, len;
	unsigned int i;

	/* 70000 requests: both 16-bit indices wrap */
	for (i = 0; i < 70000; i++) {
		uint16_t head = dq_chain(&t->q, &b, 1);

		assert_int_equal(vq_pop(t->vq, &t->c), 1);
		assert_int_equal(t->c.head, head);
		vq_push(t->vq, head, i & 0xff);
		assert_int_equal(dq_used(&t->q, &id, &len), 1);
		assert_int_equal(len, i & 0xff);
	}
	assert_int_equal(t->vq->used_idx, (uint16_t)70000);
	teardown(t);
}

static void test_notify_flags(void **state)
{
	struct t *t = setup(8, false, false);
	struct tb b = { BUFS, 16, false };

	vq_push(t->vq, 0, 0);
	assert_true(vq_should_notify(t->vq));
	dq_set_avail_flags(&t->q, VIRTQ_AVAIL_F_NO_INTERRUPT);
	vq_push(t->vq, 0, 0);
	assert_false(vq_should_notify(t->vq));
	/* kick suppression: the used flags */
	vq_disable_notify(t->vq);
	assert_int_equal(dq_used_flags(&t->q), VIRTQ_USED_F_NO_NOTIFY);
	assert_false(vq_enable_notify(t->vq));
	assert_int_equal(dq_used_flags(&t->q), 0);
	dq_chain(&t->q, &b, 1);
	assert_true(vq_enable_notify(t->vq));
	teardown(t);
}

static void test_event_idx(void **state)
{
	struct t *t = setup(8, true, false);
	struct tb b = { BUFS, 16, false };

	/* the first interrupt always goes out */
	vq_push(t->vq, 0, 0);
	assert_true(vq_should_notify(t->vq));
	/* the driver wants one when used crosses used_event */
	dq_set_used_event(&t->q, 2);
	vq_push(t->vq, 0, 0);			/* used 2: event 2 not crossed */
	assert_false(vq_should_notify(t->vq));
	vq_push(t->vq, 0, 0);			/* used 3: crossed */
	assert_true(vq_should_notify(t->vq));
	vq_push(t->vq, 0, 0);
	assert_false(vq_should_notify(t->vq));
	/* nothing new: no interrupt */
	assert_false(vq_should_notify(t->vq));
	/* avail_event follows what the device took */
	dq_chain(&t->q, &b, 1);
	dq_chain(&t->q, &b, 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_true(vq_enable_notify(t->vq));
	assert_int_equal(dq_avail_event(&t->q), 1);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	assert_false(vq_enable_notify(t->vq));
	assert_int_equal(dq_avail_event(&t->q), 2);
	teardown(t);
}

static void test_iter(void **state)
{
	struct t *t = setup(8, false, false);
	struct tb b[4] = {
		{ BUFS, 3, false }, { BUFS + 0x100, 5, false },
		{ BUFS + 0x200, 4, true }, { BUFS + 0x300, 4, true },
	};
	uint8_t buf[16];
	struct iovec iov[4];
	struct vq_iter it;

	memcpy(gp(&t->r, BUFS), "abc", 3);
	memcpy(gp(&t->r, BUFS + 0x100), "defgh", 5);
	dq_chain(&t->q, b, 4);
	assert_int_equal(vq_pop(t->vq, &t->c), 1);
	vq_iter_out(&it, &t->c);
	assert_int_equal(it.left, 8);
	assert_int_equal(vq_iter_read(&it, buf, 4), 0);
	assert_memory_equal(buf, "abcd", 4);
	assert_int_equal(vq_iter_skip(&it, 1), 0);
	assert_int_equal(vq_iter_read(&it, buf, 3), 0);
	assert_memory_equal(buf, "fgh", 3);
	assert_int_equal(vq_iter_read(&it, buf, 1), -EFAULT);
	/* writes across the two writable buffers */
	vq_iter_in(&it, &t->c);
	assert_int_equal(vq_iter_write(&it, "0123456", 7), 0);
	assert_memory_equal(gp(&t->r, BUFS + 0x200), "0123", 4);
	assert_memory_equal(gp(&t->r, BUFS + 0x300), "456", 3);
	assert_int_equal(vq_iter_write(&it, "78", 2), -EFAULT);
	/* iovecs */
	vq_iter_out(&it, &t->c);
	vq_iter_skip(&it, 2);
	assert_int_equal(vq_iter_iov(&it, 6, iov, 4), 2);
	assert_int_equal(iov[0].iov_len, 1);
	assert_int_equal(iov[1].iov_len, 5);
	assert_ptr_equal(iov[0].iov_base, gp(&t->r, BUFS + 2));
	vq_iter_out(&it, &t->c);
	assert_int_equal(vq_iter_iov(&it, 8, iov, 1), -E2BIG);
	assert_int_equal(it.left, 8);		/* nothing consumed */
	assert_int_equal(vq_iter_iov(&it, 9, iov, 4), -EFAULT);
	teardown(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_setup_checks),
		cmocka_unit_test(test_simple_chain),
		cmocka_unit_test(test_bad_chains),
		cmocka_unit_test(test_indirect),
		cmocka_unit_test(test_broken_rings),
		cmocka_unit_test(test_index_wrap),
		cmocka_unit_test(test_notify_flags),
		cmocka_unit_test(test_event_idx),
		cmocka_unit_test(test_iter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
