// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm's own BPF (src/sandbox/bpf.c) against libseccomp's for the same
 * rows: every table, for several runs' needs, trapping and logging, is
 * built both ways and both programs run -- in a small classic-BPF
 * interpreter -- on every x86-64 call number, foreign ABIs, and argument
 * values taken from every row (exact, one bit off, high words set,
 * pseudo-random): the answers must be the same.  And the SIGSYS report's
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox/sandbox_internal.h"

#define MAX_NR		512

/* ---- the reference: what cvmm built with libseccomp before ---- */

static void ref_add_table(scmp_filter_ctx ctx, const struct sandbox_table *t, uint32_t needs)
{
	unsigned int i, j;

	for (i = 0; i < t->nr_rules; i++) {
		const struct sandbox_rule *r = &t->rules[i];
		struct scmp_arg_cmp cmp[SANDBOX_MAX_ARGS];
		int ret;

		if (!sandbox_rule_applies(r, needs))
			continue;
		for (j = 0; j < r->nr_args; j++) {
			const struct sandbox_arg *a = &r->args[j];
			uint64_t v = sandbox_arg_value(a);

			if (a->mask == ~0ULL)
				cmp[j] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_EQ, v, 0 };
			else
				cmp[j] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_MASKED_EQ, a->mask,
								 v };
		}
		ret = seccomp_rule_add_exact_array(ctx, r->err ? SCMP_ACT_ERRNO((uint32_t)r->err) :
						   SCMP_ACT_ALLOW, r->nr, j, cmp);
		assert_true(ret == 0 || ret == -EEXIST);
	}
}

static struct sock_fprog ref_build(const struct sandbox_table *t, uint32_t needs, bool log)
{
	scmp_filter_ctx ctx = seccomp_init(log ? SCMP_ACT_LOG : SCMP_ACT_TRAP);
	struct sock_fprog f;
	struct stat st;
	unsigned int i;
	int fd = memfd_create("ref", 0);

	assert_non_null(ctx);
	assert_true(fd >= 0);
	assert_int_equal(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), 0);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	ref_add_table(ctx, &sandbox_table_common, needs);
	ref_add_table(ctx, t, needs);
	for (i = 0; t == &sandbox_table_main && i < sandbox_nr_tables(); i++)
		if (sandbox_table_applies(sandbox_table_at(i), needs))
			ref_add_table(ctx, sandbox_table_at(i), needs);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	assert_int_equal(fstat(fd, &st), 0);
	f.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	f.filter = malloc((size_t)st.st_size);
	assert_non_null(f.filter);
	assert_int_equal(pread(fd, f.filter, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	seccomp_release(ctx);
	return f;
}

/* ---- a classic BPF interpreter for the opcodes both generators use ---- */

static uint32_t word_at(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;

	assert_true(off % 4 == 0 && off + 4 <= sizeof(*d));
	memcpy(&w, (const char *)d + off, 4);
	return w;
}

static uint32_t run(const struct sock_fprog *f, const struct seccomp_data *d)
{
	uint32_t a = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned int pc = 0;

	while (pc < f->len) {
		const struct sock_filter *i = &f->filter[pc++];
		bool jump;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			a = word_at(d, i->k);
			continue;
		case BPF_LD | BPF_MEM:
			a = mem[i->k % BPF_MEMWORDS];
			continue;
		case BPF_ST:
			mem[i->k % BPF_MEMWORDS] = a;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= i->k;
			continue;
		case BPF_JMP | BPF_JA:
			pc += i->k;
			continue;
		case BPF_RET | BPF_K:
			return i->k;
		case BPF_JMP | BPF_JEQ | BPF_K:
			jump = a == i->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			jump = a > i->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			jump = a >= i->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			jump = (a & i->k) != 0;
			break;
		default:
			fail_msg("opcode 0x%x at %u", i->code, pc - 1);
			return 0;
		}
		pc += jump ? i->jt : i->jf;
	}
	fail_msg("ran off the end");
	return 0;
}

/* ---- the inputs ---- */

static uint64_t rnd_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

struct cmp_ctx {
	struct sock_fprog ours, ref;
	unsigned int checked;
};

static void same(struct cmp_ctx *c, const struct seccomp_data *d)
{
	uint32_t o = run(&c->ours, d), r = run(&c->ref, d);

	if (o != r)
		fail_msg("nr %d arch 0x%x args %#llx %#llx %#llx: ours 0x%x, libseccomp 0x%x", d->nr,
			 d->arch, (unsigned long long)d->args[0], (unsigned long long)d->args[1],
			 (unsigned long long)d->args[2], o, r);
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
	static const int odd[] = { -1, 0x3fffffff, 0x40000000, 0x40000000 + 1, 0x40000000 + 16,
				   0x40000000 + 512, 0x7fffffff, 1000, 4096 };
	struct cmp_ctx c = { .ref = ref_build(t, needs, log) };
	struct sandbox_prog p;
	struct err_msg why;
	unsigned int i;
	int nr;

	assert_int_equal(sandbox_filter_compile(t, needs, log, &p, &why), 0);
	c.ours = p.fprog;
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
	for (n = 0; n < ARRAY_SIZE(needs_cases); n++) {
		compare(&sandbox_table_main, needs_cases[n], n & 1);
		for (t = 0; t < sandbox_nr_tables(); t++)
			compare(sandbox_table_at(t), needs_cases[n], !(n & 1));
	}
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
	assert_int_equal(run(&f, &d), SECCOMP_RET_TRAP);
	d.arch = AUDIT_ARCH_I386;
	assert_int_equal(run(&f, &d), SECCOMP_RET_KILL_PROCESS);
	free(f.filter);

	assert_int_equal(sandbox_bpf_build(rows, 1, true, &f), 0);
	d = (struct seccomp_data){ .nr = rows[0]->nr, .arch = AUDIT_ARCH_X86_64 };
	assert_int_equal(run(&f, &d), SECCOMP_RET_ALLOW);
	d.nr = rows[0]->nr | 0x40000000;
	assert_int_equal(run(&f, &d), SECCOMP_RET_KILL_PROCESS);
	d.nr = -1;
	assert_int_equal(run(&f, &d), SECCOMP_RET_LOG);
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
		cmocka_unit_test(test_shape),
		cmocka_unit_test(test_conflict),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
