// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm's own BPF (src/sandbox/bpf.c) against libseccomp's for the same
 * rows: every table, for several runs' needs, trapping and logging, is
 * built both ways and both programs run -- in a small classic-BPF
 * interpreter -- on every x86-64 call number, foreign ABIs, and argument
 * values taken from every row (exact, one bit off, high words set,
 * pseudo-random): the answers must be the same, and what the rows mean
 * read directly (bpf_oracle.c).  Every program passes the kernel's
 * load-time checks, and the kernel loads each.  And the SIGSYS report's
 * names (syscall_names.c) are libseccomp's.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf_oracle.h"
#include "sandbox/sandbox_internal.h"

#define MAX_NR		512
#define MAX_ROWS	256

/*
 * A table registers itself only when its file is linked (table.h): name
 * each one here, or this test would see main's and common's rows alone.
 */
static const struct sandbox_table *const linked[] __attribute__((used)) = {
	&sandbox_table_vcpu, &sandbox_table_evloop, &sandbox_table_api,
};

/* The rows of @t's filter, gathered here (not by filter.c): common, @t, every type's for main. */
static unsigned int add_rows(const struct sandbox_rule **rows, unsigned int n,
			     const struct sandbox_table *t, uint32_t needs)
{
	unsigned int i;

	for (i = 0; i < t->nr_rules; i++) {
		if (!sandbox_rule_applies(&t->rules[i], needs))
			continue;
		assert_true(n < MAX_ROWS);
		rows[n++] = &t->rules[i];
	}
	return n;
}

static unsigned int rows_of(const struct sandbox_rule **rows, const struct sandbox_table *t,
			    uint32_t needs)
{
	unsigned int i, n = add_rows(rows, 0, &sandbox_table_common, needs);

	n = add_rows(rows, n, t, needs);
	for (i = 0; t == &sandbox_table_main && i < sandbox_nr_tables(); i++)
		if (sandbox_table_applies(sandbox_table_at(i), needs))
			n = add_rows(rows, n, sandbox_table_at(i), needs);
	return n;
}

/* ---- the inputs ---- */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	return oracle_rnd(&rnd_state);
}

struct cmp_ctx {
	struct sock_fprog ours, ref;
	const struct sandbox_rule **rows;
	unsigned int nr_rows, checked;
	bool log;
};

/* The action kinds the answers took, over every program. */
enum { SEEN_ALLOW = 1, SEEN_ERRNO = 2, SEEN_TRAP = 4, SEEN_LOG = 8, SEEN_KILL = 16 };
static unsigned int kinds_seen;

static unsigned int kind_of(uint32_t action)
{
	switch (action & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
		return SEEN_ALLOW;
	case SECCOMP_RET_ERRNO:
		return SEEN_ERRNO;
	case SECCOMP_RET_TRAP:
		return SEEN_TRAP;
	case SECCOMP_RET_LOG:
		return SEEN_LOG;
	case SECCOMP_RET_KILL_PROCESS:
		return SEEN_KILL;
	}
	fail_msg("action 0x%x", action);
	return 0;
}

static void same(struct cmp_ctx *c, const struct seccomp_data *d)
{
	uint32_t o = oracle_run(&c->ours, d), r = oracle_run(&c->ref, d);
	uint32_t s = oracle_spec(c->rows, c->nr_rows, c->log, d);

	if (o != r || o != s)
		fail_msg("nr %d arch 0x%x args %#llx %#llx %#llx: ours 0x%x, libseccomp 0x%x, "
			 "the rows 0x%x", d->nr, d->arch, (unsigned long long)d->args[0],
			 (unsigned long long)d->args[1], (unsigned long long)d->args[2], o, r, s);
	kinds_seen |= kind_of(o);
	c->checked++;
}

static const uint64_t flips[] = { 1, 2, 1ULL << 8, 1ULL << 31, 1ULL << 32, 1ULL << 63 };

/* @d with @r's argument values; each of them one bit off; high words set. */
static void row_inputs(struct cmp_ctx *c, struct seccomp_data d, const struct sandbox_rule *r)
{
	unsigned int k, b;

	for (k = 0; k < r->nr_args; k++)
		d.args[r->args[k].idx] = sandbox_arg_value(&r->args[k]);
	same(c, &d);
	for (k = 0; k < r->nr_args; k++) {
		struct seccomp_data e = d;

		for (b = 0; b < ARRAY_SIZE(flips); b++) {
			e.args[r->args[k].idx] = d.args[r->args[k].idx] ^ flips[b];
			same(c, &e);
		}
		e.args[r->args[k].idx] = d.args[r->args[k].idx] | 0xffffffff00000000ULL;
		same(c, &e);
		/* what a mask ignores may be anything */
		e.args[r->args[k].idx] = d.args[r->args[k].idx] | (rnd() & ~r->args[k].mask);
		same(c, &e);
	}
}

static void inputs_of_nr(struct cmp_ctx *c, int nr, uint32_t arch)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	unsigned int t, i, k;

	same(c, &d);
	memset(d.args, 0xff, sizeof(d.args));
	same(c, &d);
	for (k = 0; k < 16; k++) {
		for (i = 0; i < 6; i++)
			d.args[i] = k & 1 ? rnd() : rnd() & 0xffff;
		same(c, &d);
	}
	/* every row of this call in any table, over zero and random other arguments */
	for (t = 0; t < 2 + sandbox_nr_tables(); t++) {
		const struct sandbox_table *tb = t == 0 ? &sandbox_table_common :
						 t == 1 ? &sandbox_table_main :
						 sandbox_table_at(t - 2);

		for (i = 0; i < tb->nr_rules; i++) {
			if (tb->rules[i].nr != nr)
				continue;
			memset(d.args, 0, sizeof(d.args));
			row_inputs(c, d, &tb->rules[i]);
			for (k = 0; k < 6; k++)
				d.args[k] = rnd();
			row_inputs(c, d, &tb->rules[i]);
		}
	}
}

static void compare(const struct sandbox_table *t, uint32_t needs, bool log)
{
	static const int odd[] = { -1, -2, 0x3fffffff, 0x40000000, 0x40000000 + 1,
				   0x40000000 + 16, 0x40000000 + 512, 0x7fffffff, INT32_MIN,
				   1000, 4096 };
	const struct sandbox_rule *rows[MAX_ROWS];
	struct cmp_ctx c = { .rows = rows, .log = log };
	struct sandbox_prog p;
	struct err_msg why;
	const char *bad;
	unsigned int i;
	int nr;

	c.nr_rows = rows_of(rows, t, needs);
	c.ref = oracle_libseccomp(rows, c.nr_rows, log);
	assert_true(c.ref.len > 0);
	assert_int_equal(sandbox_filter_compile(t, needs, log, &p, &why), 0);
	c.ours = p.fprog;
	bad = oracle_check(&c.ours);
	if (bad)
		fail_msg("table %s, needs %#x: the kernel would refuse the program: %s", t->name,
			 needs, bad);
	assert_null(oracle_check(&c.ref));
	for (nr = 0; nr < MAX_NR; nr++) {
		inputs_of_nr(&c, nr, AUDIT_ARCH_X86_64);
		if (nr % 37 == 0) {
			inputs_of_nr(&c, nr, AUDIT_ARCH_I386);
			inputs_of_nr(&c, nr, 0);
		}
	}
	for (i = 0; i < ARRAY_SIZE(odd); i++)
		inputs_of_nr(&c, odd[i], AUDIT_ARCH_X86_64);
	assert_true(c.checked > 10000);
	sandbox_filter_free(&p);
	free(c.ref.filter);
}

static const uint32_t needs_cases[] = {
	0,
	SANDBOX_NEED_DEVICES | SANDBOX_NEED_BLK,
	SANDBOX_NEED_DEVICES | SANDBOX_NEED_BLK | SANDBOX_NEED_VSOCK | SANDBOX_NEED_RNG,
	SANDBOX_NEED_SIM | SANDBOX_NEED_VSOCK | SANDBOX_NEED_VSOCK_SERVICE | SANDBOX_NEED_DEVICES,
	SANDBOX_NEED_QGS,
	SANDBOX_NEED_ALL,
};

static void test_same_as_libseccomp(void **state)
{
	unsigned int t, n;

	(void)state;
	/* vcpu, evloop, api: each thread type's filter, and main's holds their rows */
	assert_int_equal(sandbox_nr_tables(), 3);
	for (n = 0; n < ARRAY_SIZE(needs_cases); n++) {
		compare(&sandbox_table_main, needs_cases[n], n & 1);
		for (t = 0; t < sandbox_nr_tables(); t++)
			compare(sandbox_table_at(t), needs_cases[n], !(n & 1));
	}
	/* every kind of answer came up: allowed, an errno, trapped, logged, killed */
	assert_int_equal(kinds_seen, SEEN_ALLOW | SEEN_ERRNO | SEEN_TRAP | SEEN_LOG | SEEN_KILL);
}

/* The kernel takes every program cvmm builds (the largest: main's with every need). */
static void test_kernel_loads(void **state)
{
	struct sandbox_prog p;
	struct err_msg why;
	unsigned int t, n;

	(void)state;
	for (n = 0; n < ARRAY_SIZE(needs_cases); n++) {
		for (t = 0; t < 1 + sandbox_nr_tables(); t++) {
			const struct sandbox_table *tb = t ? sandbox_table_at(t - 1) :
							&sandbox_table_main;

			assert_int_equal(sandbox_filter_compile(tb, needs_cases[n], false, &p, &why), 0);
			assert_int_equal(oracle_load(&p.fprog), 0);
			sandbox_filter_free(&p);
		}
	}
}

/* The references catch what the kernel refuses: a load past seccomp_data, jumps off the end. */
static void test_oracle_refuses(void **state)
{
	static const struct sock_filter good[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_JUMP(BPF_JMP | BPF_JA, 1, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_filter bad[ARRAY_SIZE(good)];
	struct sock_fprog f = { ARRAY_SIZE(good), bad };
	struct seccomp_data d = { .nr = 0, .arch = AUDIT_ARCH_X86_64 };

	(void)state;
	memcpy(bad, good, sizeof(good));
	assert_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), 0);
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_TRAP);
	d.nr = 1;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_ALLOW);

	bad[0].k = sizeof(struct seccomp_data);
	assert_non_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), -EINVAL);
	bad[0].k = offsetof(struct seccomp_data, nr) + 2;
	assert_non_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), -EINVAL);
	memcpy(bad, good, sizeof(good));
	bad[1].jf = 3;
	assert_non_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), -EINVAL);
	memcpy(bad, good, sizeof(good));
	bad[2].k = 2;
	assert_non_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), -EINVAL);
	/* the last instruction a load, not a return */
	memcpy(bad, good, sizeof(good));
	bad[2].k = 0;
	bad[3] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0);
	f.len = 4;
	assert_non_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), -EINVAL);
}

/* The program's own shape: the foreign ABIs, and a default for an empty list. */
static void test_shape(void **state)
{
	struct sock_fprog f;
	struct seccomp_data d = { .nr = 0, .arch = AUDIT_ARCH_X86_64 };
	const struct sandbox_rule *rows[] = { &sandbox_table_common.rules[0] };
	const struct sandbox_rule *none[1];

	(void)state;
	assert_int_equal(sandbox_bpf_build(none, 0, false, &f), 0);
	assert_null(oracle_check(&f));
	assert_int_equal(oracle_load(&f), 0);
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_TRAP);
	d.nr = -1;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_TRAP);
	d.arch = AUDIT_ARCH_I386;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_KILL_PROCESS);
	free(f.filter);

	assert_int_equal(sandbox_bpf_build(rows, 1, true, &f), 0);
	assert_null(oracle_check(&f));
	d = (struct seccomp_data){ .nr = rows[0]->nr, .arch = AUDIT_ARCH_X86_64 };
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_ALLOW);
	d.nr = rows[0]->nr | 0x40000000;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_KILL_PROCESS);
	d.nr = -1;
	assert_int_equal(oracle_run(&f, &d), SECCOMP_RET_LOG);
	free(f.filter);
}

/* Rows of one call that disagree (allowed here, refused with an errno there) are refused. */
static void test_conflict(void **state)
{
	static const struct sandbox_rule a = SB(clone3, "a"),
					 b = SB_ERRNO(clone3, ENOSYS, "b");
	const struct sandbox_rule *rows[] = { &a, &b };
	struct sock_fprog f;

	(void)state;
	assert_int_equal(sandbox_bpf_build(rows, 2, false, &f), -EINVAL);
	assert_null(f.filter);
}

static void test_names(void **state)
{
	int nr;

	(void)state;
	for (nr = -2; nr < MAX_NR + 2; nr++) {
		char *ref = nr < 0 ? NULL : seccomp_syscall_resolve_num_arch(SCMP_ARCH_X86_64, nr);
		const char *ours = sandbox_syscall_name(nr);

		if (!ref || !ours) {
			if (ref || ours)
				fail_msg("system call %d: ours %s, libseccomp %s (run "
					 "src/sandbox/gen_syscall_names.py)", nr, ours ? ours : "none",
					 ref ? ref : "none");
		} else {
			assert_string_equal(ours, ref);
		}
		free(ref);
	}
	assert_string_equal(sandbox_syscall_name(__NR_ioctl), "ioctl");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_libseccomp),
		cmocka_unit_test(test_oracle_refuses),
		cmocka_unit_test(test_kernel_loads),
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
