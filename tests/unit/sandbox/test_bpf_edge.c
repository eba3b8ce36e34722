// SPDX-License-Identifier: GPL-2.0-only
/*
 * src/sandbox/bpf.c on rows no table of cvmm's has (yet): trees whose
 * halves lie further apart than a conditional jump reaches, chains of
 * more compares than one chain holds, the longest program the kernel
 * takes and one more, rows the builder must refuse, and random tables of
 * every shape a row may take (masks on either word, two arguments, twins,
 * rows that imply others or can never match, errno rows).  Each program
 * passes the kernel's load-time checks and gives, for every input tried,
 * what its rows mean (bpf_oracle.c) and libseccomp's answer.
 */
#include <errno.h>
#include <linux/audit.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bpf_oracle.h"
#include "sandbox/sandbox_internal.h"

#define MAX_ROWS	2048

static uint64_t rnd_state = 0x2545f4914f6cdd1dULL;

static uint64_t rnd(void)
{
	return oracle_rnd(&rnd_state);
}

struct table {
	struct sandbox_rule rule[MAX_ROWS];
	const struct sandbox_rule *row[MAX_ROWS];
	unsigned int n;
	/*
	 * A value with bits its mask clears: such a row never matches ((arg &
	 * mask) == value, table.h), where libseccomp masks the value too.
	 */
	bool unmasked;
};

static struct sandbox_rule *add(struct table *t, int nr, int err)
{
	struct sandbox_rule *r = &t->rule[t->n];

	assert_true(t->n < MAX_ROWS);
	*r = (struct sandbox_rule){ .nr = nr, .err = err, .why = "test" };
	t->row[t->n++] = r;
	return r;
}

static void arg(struct sandbox_rule *r, uint8_t idx, uint64_t mask, uint64_t value)
{
	r->args[r->nr_args++] = (struct sandbox_arg){ idx, mask, value };
}

struct run {
	const struct table *t;
	struct sock_fprog ours, lib;	/* lib.len 0: libseccomp refused a row */
	bool log;
};

/* The rows, when an answer differs. */
static void print_rows(const struct table *t)
{
	unsigned int i, k;

	for (i = 0; i < t->n; i++) {
		const struct sandbox_rule *r = t->row[i];

		print_message("row: nr %d, errno %d:", r->nr, r->err);
		for (k = 0; k < r->nr_args; k++)
			print_message(" (args[%u] & %#llx) == %#llx", r->args[k].idx,
				      (unsigned long long)r->args[k].mask,
				      (unsigned long long)r->args[k].value);
		print_message("\n");
	}
}

static void same(struct run *c, const struct seccomp_data *d)
{
	uint32_t o = oracle_run(&c->ours, d), s = oracle_spec(c->t->row, c->t->n, c->log, d);
	uint32_t l = c->lib.len ? oracle_run(&c->lib, d) : s;

	if (o == s && l == s)
		return;
	print_rows(c->t);
	fail_msg("nr %d args %#llx %#llx %#llx %#llx: ours 0x%x, the rows 0x%x, libseccomp 0x%x",
		 d->nr, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
		 (unsigned long long)d->args[2], (unsigned long long)d->args[3], o, s, l);
}

/* @d with @r's values; each one bit off (every bit), the words a mask ignores random. */
static void row_inputs(struct run *c, struct seccomp_data d, const struct sandbox_rule *r)
{
	unsigned int k, b;

	for (k = 0; k < r->nr_args; k++)
		d.args[r->args[k].idx] = sandbox_arg_value(&r->args[k]);
	same(c, &d);
	for (k = 0; k < r->nr_args; k++) {
		struct seccomp_data e = d;
		uint8_t i = r->args[k].idx;

		for (b = 0; b < 64; b++) {
			e.args[i] = d.args[i] ^ (1ULL << b);
			same(c, &e);
		}
		e.args[i] = d.args[i] | (rnd() & ~r->args[k].mask);
		same(c, &e);
	}
}

static void inputs_of_nr(struct run *c, int nr)
{
	struct seccomp_data d = { .nr = nr, .arch = AUDIT_ARCH_X86_64 };
	unsigned int i;

	same(c, &d);
	memset(d.args, 0xff, sizeof(d.args));
	same(c, &d);
	for (i = 0; i < 6; i++)
		d.args[i] = rnd();
	same(c, &d);
	for (i = 0; i < c->t->n; i++) {
		if (c->t->row[i]->nr != nr)
			continue;
		memset(d.args, 0, sizeof(d.args));
		row_inputs(c, d, c->t->row[i]);
	}
}

/*
 * Build @t both ways; check ours as the kernel would (and, with @load, let
 * it load it); compare on every call number below @max_nr, around each
 * row's, and the foreign ones.  Returns ours, for a look at its shape.
 */
static struct sock_fprog compare(struct table *t, bool log, int max_nr, bool load)
{
	static const int odd[] = { -1, -2, INT32_MIN, 0x3fffffff, 0x40000000, 0x7fffffff };
	struct run c = { .t = t, .log = log };
	struct seccomp_data d = { .arch = AUDIT_ARCH_I386 };
	const struct sandbox_rule *rows[MAX_ROWS];
	const char *bad;
	unsigned int i;
	int nr;

	c.lib = t->unmasked ? (struct sock_fprog){ 0 } : oracle_libseccomp(t->row, t->n, log);
	memcpy(rows, t->row, t->n * sizeof(*rows));	/* the builder sorts them */
	assert_int_equal(sandbox_bpf_build(rows, t->n, log, &c.ours), 0);
	bad = oracle_check(&c.ours);
	if (bad)
		fail_msg("the kernel would refuse the program (%u instructions): %s", c.ours.len,
			 bad);
	if (load)
		assert_int_equal(oracle_load(&c.ours), 0);
	for (nr = 0; nr < max_nr; nr++)
		inputs_of_nr(&c, nr);
	/* each listed call and its neighbours once: the rows are sorted now */
	for (i = 0; i < t->n; i++) {
		if (i && rows[i]->nr == rows[i - 1]->nr)
			continue;
		for (nr = rows[i]->nr - 1; nr <= rows[i]->nr + 1; nr++)
			if (nr >= max_nr)
				inputs_of_nr(&c, nr);
	}
	for (i = 0; i < ARRAY_SIZE(odd); i++)
		inputs_of_nr(&c, odd[i]);
	d.nr = t->n ? t->row[0]->nr : 0;
	assert_int_equal(oracle_run(&c.ours, &d), SECCOMP_RET_KILL_PROCESS);
	free(c.lib.filter);
	return c.ours;
}

/*
 * @n calls, every third number: leaves of every kind of call (allowed, an
 * errno, argument rows), each call's rows far behind the tree.
 */
static void tree_table(struct table *t, int n)
{
	struct sandbox_rule *r;
	int i;

	t->n = 0;
	for (i = 0; i < n; i++) {
		switch (i % 5) {
		case 0:
			add(t, 3 * i, 0);
			break;
		case 1:
			add(t, 3 * i, i % 2 ? EPERM : ENOSYS);
			break;
		case 2:
			arg(add(t, 3 * i, 0), 0, ~0ULL, (uint64_t)i);
			break;
		case 3:
			r = add(t, 3 * i, EACCES);
			arg(r, 1, 0xffffffffULL, (uint64_t)i);
			arg(r, 3, 0xff00000000ULL, 0x1200000000ULL);
			break;
		case 4:
			arg(add(t, 3 * i, 0), 2, 0x4, 0);
			arg(add(t, 3 * i, 0), 2, 0x4, 0x4);	/* with the first: any value */
			break;
		}
	}
}

/*
 * 512 calls allowed, but for @k of the first 128, each refused with an
 * errno of its own (at most 7 of a leaf's 8): every such errno is one more
 * return in its leaf, so the tree over the first 256 calls has a left half
 * 175 + @k instructions long -- and is itself the left half of the root's.
 */
static void root_table(struct table *t, unsigned int k)
{
	unsigned int i;

	t->n = 0;
	for (i = 0; i < 512; i++)
		add(t, (int)i, 0);
	for (i = 0; i < k; i++)
		t->rule[(i % 16) * 8 + i / 16].err = 1 + (int)i;
}

/* The length of the first 128 calls' subtree, as the jump over it says. */
static unsigned int root_jump(const struct sock_fprog *f)
{
	unsigned int pc;

	for (pc = 0; pc + 1 < f->len; pc++) {
		const struct sock_filter *i = &f->filter[pc];

		if (i->code != (BPF_JMP | BPF_JGE | BPF_K) || i->k != 128)
			continue;
		if (i->jt == 0 && i->jf == 1 && i[1].code == (BPF_JMP | BPF_JA))
			return i[1].k;	/* the BPF_JA's, after the jge */
		return i->jt;
	}
	fail_msg("no jump over the first 128 calls");
	return 0;
}

/*
 * Trees whose left halves span 255 instructions (a conditional jump's
 * reach), 256 (a BPF_JA) -- each under a jump over them all -- and more at
 * every depth (400 calls of every kind).
 */
static void test_long_tree(void **state)
{
	static struct table t;
	struct sock_fprog f;
	unsigned int k;

	(void)state;
	for (k = 75; k <= 85; k++) {
		root_table(&t, k);
		f = compare(&t, false, 520, k == 80 || k == 81);
		assert_int_equal(root_jump(&f), 175 + k);
		free(f.filter);
	}
	tree_table(&t, 400);
	f = compare(&t, false, 1300, true);
	free(f.filter);
	f = compare(&t, true, 0, false);
	free(f.filter);
}

/* One call with 500 request values (more than a chain holds), and other shapes of it. */
static void test_long_chain(void **state)
{
	static struct table t;
	struct sock_fprog f;
	struct sandbox_rule *r;
	int i;

	(void)state;
	t.n = 0;
	for (i = 0; i < 500; i++)
		arg(add(&t, __NR_ioctl, 0), 1, 0xffffffffULL, 0xc0000000u + 7u * (unsigned int)i);
	for (i = 0; i < 20; i++)	/* the same argument word, a high word compared too */
		arg(add(&t, __NR_ioctl, 0), 1, ~0ULL, 0x100000000ULL + (unsigned int)i);
	r = add(&t, __NR_ioctl, 0);	/* two arguments */
	arg(r, 0, ~0ULL, 0);
	arg(r, 1, 0xffffffffULL, 0x5401);
	add(&t, __NR_read, 0);
	add(&t, __NR_openat, ENOENT);
	f = compare(&t, false, 512, true);
	assert_true(f.len > 500);
	free(f.filter);
}

/* Two-argument rows over 100 calls, then @k request values of ioctl: its length (0: too long). */
static unsigned int longest_table(struct table *t, unsigned int k)
{
	const struct sandbox_rule *rows[MAX_ROWS];
	struct sock_fprog f;
	struct sandbox_rule *r;
	unsigned int i;

	t->n = 0;
	for (i = 0; i < 300; i++) {
		r = add(t, 20 + (int)(i % 100), 0);
		arg(r, 0, ~0ULL, i);
		arg(r, 1, ~0ULL, 1ULL << 40 | i);
	}
	for (i = 0; i < k; i++)
		arg(add(t, __NR_ioctl, 0), 1, 0xffffffffULL, 0x1000u + i);
	memcpy(rows, t->row, t->n * sizeof(*rows));
	if (sandbox_bpf_build(rows, t->n, false, &f) == -E2BIG)
		return 0;
	assert_non_null(f.filter);
	free(f.filter);
	return f.len;
}

/* The longest program the kernel takes (BPF_MAXINSNS) is built; one row more is -E2BIG. */
static void test_longest(void **state)
{
	static struct table t;
	const struct sandbox_rule *rows[MAX_ROWS];
	unsigned int lo = 0, hi = 1500, mid;
	struct sock_fprog f;

	(void)state;
	/* the most ioctl rows that fit: lo */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (longest_table(&t, mid))
			lo = mid;
		else
			hi = mid;
	}
	assert_int_equal(longest_table(&t, lo), BPF_MAXINSNS);
	f = compare(&t, false, 0, true);
	assert_int_equal(f.len, BPF_MAXINSNS);
	free(f.filter);

	longest_table(&t, lo + 1);
	memcpy(rows, t.row, t.n * sizeof(*rows));
	f = (struct sock_fprog){ 1, (struct sock_filter *)rows };	/* emptied on error */
	assert_int_equal(sandbox_bpf_build(rows, t.n, false, &f), -E2BIG);
	assert_null(f.filter);
	assert_int_equal(f.len, 0);
}

/*
 * A random table: up to 48 rows over a few call numbers, of every shape;
 * @dense: over two arguments and small values, so that rows imply others.
 */
static void random_table(struct table *t, bool dense)
{
	static const uint64_t masks[] = { ~0ULL, 0xffffffffULL, 0xffffffff00000000ULL, 0x4,
					  0xff00ULL, 0x8000000000000000ULL, 0x80000001ULL,
					  0xf0000000f0ULL, 0 };
	static const uint64_t dense_masks[] = { ~0ULL, 0xffffffffULL, 1, 2, 3, 0 };
	int base = (int)(rnd() % 480), err[12];
	unsigned int i, k, n = 1 + rnd() % 48, calls = 1 + rnd() % (dense ? 3 : 12);

	t->n = 0;
	t->unmasked = !dense && rnd() % 8 == 0;
	for (i = 0; i < calls; i++)
		err[i] = rnd() % 3 ? 0 : 1 + (int)(rnd() % 133);
	for (i = 0; i < n; i++) {
		unsigned int c = rnd() % calls, nr_args = rnd() % 4 ? 1 + rnd() % 2 : 0;
		unsigned int nr_idx = dense ? 2 : 6;
		struct sandbox_rule *r;

		if (i && rnd() % 8 == 0) {	/* a twin, or a narrower row of the same call */
			r = add(t, 0, 0);
			*r = t->rule[rnd() % (t->n - 1)];
			if (r->nr_args == 1 && rnd() % 2)
				arg(r, (r->args[0].idx + 1) % nr_idx, ~0ULL, rnd() % 4);
			continue;
		}
		r = add(t, base + (int)(c * (1 + rnd() % 5)), 0);
		for (k = 0; k < nr_args; k++) {
			uint64_t m = dense ? dense_masks[rnd() % ARRAY_SIZE(dense_masks)] :
					     masks[rnd() % ARRAY_SIZE(masks)];
			uint64_t v = (rnd() % 4 && !dense ? rnd() : rnd() % 4) &
				     (t->unmasked ? ~0ULL : m);
			unsigned int idx = rnd() % nr_idx;

			if (k)	/* never the first row's argument again */
				idx = (r->args[0].idx + 1 + rnd() % (nr_idx - 1)) % nr_idx;
			arg(r, (uint8_t)idx, m, v);
		}
	}
	/* every row of one call has one action */
	for (i = 0; i < t->n; i++)
		t->rule[i].err = err[(unsigned int)t->rule[i].nr % calls];
}

static void test_random_tables(void **state)
{
	static struct table t;
	struct sock_fprog f;
	unsigned int i;

	(void)state;
	for (i = 0; i < 600; i++) {
		random_table(&t, i % 3 == 0);
		f = compare(&t, i & 1, 0, i % 25 == 0);
		free(f.filter);
	}
}

/*
 * Rows the builder must refuse, not compile into a program the kernel
 * refuses at load time (an argument past args[5]), one that reads past a
 * row (more arguments than a row holds), rows no call can reach (negative
 * or x32 numbers), or an errno that is not one (negative: the kernel clamps
 * it to 4095; above 0xffff: it is cut to its low 16 bits, 0x10000 an
 * ERRNO(0), a call that does nothing and "succeeds").
 */
static void test_bad_rows(void **state)
{
	static const struct sandbox_rule bad[] = {
		{ .nr = __NR_read, .nr_args = 1, .args = { { 6, ~0ULL, 0 } } },
		{ .nr = __NR_read, .nr_args = 1, .args = { { 255, 0xffffffffULL, 0 } } },
		{ .nr = __NR_read, .nr_args = 3,
		  .args = { { 0, ~0ULL, 0 }, { 1, ~0ULL, 0 } } },
		{ .nr = -2 },
		{ .nr = -1 },
		{ .nr = 0x40000000 | __NR_read },
		{ .nr = 0x7fffffff },
		{ .nr = __NR_clone3, .err = -ENOSYS },
		{ .nr = __NR_clone3, .err = 4096 },
		{ .nr = __NR_clone3, .err = 0x10000 },
	};
	static const struct sandbox_rule good = SB(write, "test"), errno_max = {
		.nr = __NR_clone3, .err = 4095,
	};
	const struct sandbox_rule *rows[2];
	struct seccomp_data d = { .nr = __NR_clone3, .arch = AUDIT_ARCH_X86_64 };
	struct sock_fprog f;
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		rows[0] = &good;
		rows[1] = &bad[i];
		f = (struct sock_fprog){ 1, (struct sock_filter *)rows };
		if (sandbox_bpf_build(rows, 2, false, &f) != -EINVAL) {
			const char *why = f.filter ? oracle_check(&f) : "none";

			d.nr = bad[i].nr;
			fail_msg("row %u (nr %d, %u arguments, err %d) not refused: %u instructions, "
				 "the kernel's checks: %s, the answer without arguments: 0x%x", i,
				 bad[i].nr, bad[i].nr_args, bad[i].err, f.len, why ? why : "passed",
				 f.filter && !why ? oracle_run(&f, &d) : 0);
		}
		assert_null(f.filter);
		assert_int_equal(f.len, 0);
	}
	rows[0] = &good;
	rows[1] = &errno_max;
	assert_int_equal(sandbox_bpf_build(rows, 2, false, &f), 0);
	d.nr = __NR_clone3;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_ERRNO | 4095);
	free(f.filter);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_tree),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_longest),
		cmocka_unit_test(test_random_tables),
		cmocka_unit_test(test_bad_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
