// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allow-list rows to a classic BPF program for seccomp(2), without
 * libseccomp: the rows are few and of one shape (a call number, at most
 * two 64-bit arguments compared under a mask), so the program is built
 * here in a few microseconds.  Its layout is libseccomp's:
 *
 *   arch != x86-64                        -> KILL_PROCESS
 *   nr >= 0x40000000 (x32), nr != -1      -> KILL_PROCESS
 *   a binary tree of the listed numbers,  -> a call allowed (or refused
 *   leaves of at most 8 compared in turn     with an errno) whatever its
 *                                            arguments: its action
 *                                         -> else the call's rows
 *   each row: its argument words compared -> its action (ALLOW, ERRNO)
 *   nothing matched                       -> the default (TRAP or LOG)
 *
 * Rows of one argument word (the ioctl requests) share one load and a
 * chain of compares; a row that another row of its call implies is left
 * out.  Conditional jumps reach only 255 instructions ahead, so a jump
 * that may go further (to a call's rows, to a large subtree) is a BPF_JA,
 * whose offset is 32 bits.  The program is built twice: once to count
 * and place each call's rows, once into a buffer of that size.
 * tests/unit/sandbox/test_bpf.c holds it to libseccomp's answers.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"

#define X32_SYSCALL_BIT		0x40000000u
#define LEAF_MAX		8	/* calls compared one by one in a leaf */
#define NO_ACTION		0xffffffffu
#define CHAIN_MAX		200	/* values compared in one chain (jumps reach 255) */
#define NR_ARGS			6	/* struct seccomp_data's args[] */
#define ERRNO_MAX		4095	/* the kernel's MAX_ERRNO */

#define OFF_NR			offsetof(struct seccomp_data, nr)
#define OFF_ARCH		offsetof(struct seccomp_data, arch)
/* x86-64 is little-endian: an argument's low word first */
#define OFF_LO(i)		(offsetof(struct seccomp_data, args) + 8u * (i))
#define OFF_HI(i)		(OFF_LO(i) + 4u)
#define JMP_MAX			255	/* a conditional jump's reach */

/* The rows of one system call: rows[first .. first + n). */
struct group {
	int nr;
	unsigned int first, n;
	uint32_t action;	/* an unconditional row's, or NO_ACTION */
	unsigned int pc;	/* where its rows start */
};

struct prog {
	struct sock_filter *insn;	/* NULL: only count */
	unsigned int len;
	const struct sandbox_rule **rows;
	bool *dead;			/* rows[i] implied by another row of its call */
	bool *done;			/* rows[i] emitted (in a chain) or dead */
	struct group *groups;
	unsigned int nr_groups, nr_rows;
	uint32_t def;			/* TRAP or LOG */
	uint64_t pid;			/* SANDBOX_VAL_PID, asked once */
};

static void emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (p->insn)
		p->insn[p->len] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	p->len++;
}

static void emit_ret(struct prog *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, 0, 0, action);
}

/* A jump to @target, at any distance ahead. */
static void emit_ja(struct prog *p, unsigned int target)
{
	emit(p, BPF_JMP | BPF_JA, 0, 0, p->insn ? target - (p->len + 1) : 0);
}

/* A conditional jump to @target (near) if true, on if false. */
static void emit_jt(struct prog *p, uint16_t op, uint32_t k, unsigned int target)
{
	emit(p, BPF_JMP | op | BPF_K, (uint8_t)(target - (p->len + 1)), 0, k);
}

static uint32_t action_of(const struct sandbox_rule *r)
{
	return r->err ? SECCOMP_RET_ERRNO | ((uint32_t)r->err & SECCOMP_RET_DATA) :
			SECCOMP_RET_ALLOW;
}

static uint64_t arg_value(const struct prog *p, const struct sandbox_arg *a)
{
	return a->value == SANDBOX_VAL_PID ? p->pid : sandbox_arg_value(a);
}

/* ---- a call's rows ---- */

/* The instructions of one argument word: (word & @mask) == @value, else @fail ahead. */
static unsigned int word_len(uint32_t mask)
{
	return !mask ? 0 : mask == ~0u ? 2 : 3;
}

static void emit_word(struct prog *p, uint32_t off, uint32_t mask, uint32_t value,
		      unsigned int fail)
{
	if (!mask)
		return;
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, off);
	if (mask != ~0u)
		emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mask);
	/* jf: past this row, to the next one (a row is at most 13 instructions) */
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, (uint8_t)(fail - (p->len + 1)), value);
}

static bool row_can_match(const struct prog *p, const struct sandbox_rule *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_args; i++)
		if (arg_value(p, &r->args[i]) & ~r->args[i].mask)
			return false;
	return true;
}

/* Does every argument that @b compares hold when @a's hold? */
static bool implies(const struct prog *p, const struct sandbox_rule *a,
		    const struct sandbox_rule *b)
{
	unsigned int i, j;

	for (j = 0; j < b->nr_args; j++) {
		const struct sandbox_arg *y = &b->args[j];

		for (i = 0; i < a->nr_args; i++) {
			const struct sandbox_arg *x = &a->args[i];

			if (x->idx == y->idx && !(y->mask & ~x->mask) &&
			    (arg_value(p, x) & y->mask) == arg_value(p, y))
				break;
		}
		if (i == a->nr_args)
			return false;
	}
	return true;
}

/*
 * A row that cannot match, or whose arguments imply another row's (the
 * main filter's KVM_RUN row and its row for every KVM ioctl; twins from
 * two tables), adds nothing: the first of twins stays.
 */
static void mark_dead(struct prog *p, const struct group *g)
{
	unsigned int i, j;

	for (i = 0; i < g->n; i++) {
		const struct sandbox_rule *a = p->rows[g->first + i];

		p->dead[g->first + i] = !row_can_match(p, a);
		for (j = 0; j < g->n && !p->dead[g->first + i]; j++) {
			const struct sandbox_rule *b = p->rows[g->first + j];

			if (j != i && !p->dead[g->first + j] && row_can_match(p, b) &&
			    implies(p, a, b) && (j < i || !implies(p, b, a)))
				p->dead[g->first + i] = true;
		}
	}
}

/* A row with two arguments: each word compared, then its action; a mismatch goes on. */
static void emit_row(struct prog *p, const struct sandbox_rule *r)
{
	unsigned int i, end = p->len + 1;

	for (i = 0; i < r->nr_args; i++)
		end += word_len((uint32_t)(r->args[i].mask >> 32)) +
		       word_len((uint32_t)r->args[i].mask);
	for (i = 0; i < r->nr_args; i++) {
		const struct sandbox_arg *a = &r->args[i];
		uint64_t v = arg_value(p, a);

		emit_word(p, OFF_HI(a->idx), (uint32_t)(a->mask >> 32), (uint32_t)(v >> 32), end);
		emit_word(p, OFF_LO(a->idx), (uint32_t)a->mask, (uint32_t)v, end);
	}
	emit_ret(p, action_of(r));
}

/* Single-argument rows comparing the same argument word the same way. */
static bool same_word(const struct prog *p, const struct sandbox_rule *a,
		      const struct sandbox_rule *b)
{
	return a->nr_args == 1 && b->nr_args == 1 && a->args[0].idx == b->args[0].idx &&
	       a->args[0].mask == b->args[0].mask &&
	       arg_value(p, &a->args[0]) >> 32 == arg_value(p, &b->args[0]) >> 32;
}

/*
 * Row @i of @g and the later rows of the same word (the ioctl requests): the
 * high word compared once, the low word loaded once, one jeq per value to a
 * shared return.
 */
static void emit_chain(struct prog *p, const struct group *g, unsigned int i)
{
	const struct sandbox_rule *r = p->rows[g->first + i];
	uint32_t mhi = (uint32_t)(r->args[0].mask >> 32), mlo = (uint32_t)r->args[0].mask;
	uint32_t vhi = (uint32_t)(arg_value(p, &r->args[0]) >> 32);
	unsigned int j, n = 0, ret_pc, k = 0;

	for (j = i; j < g->n && n < CHAIN_MAX; j++)
		n += !p->done[g->first + j] && same_word(p, r, p->rows[g->first + j]);
	/* with no low bits compared, the rows are all the same row */
	ret_pc = p->len + word_len(mhi) + (mlo ? word_len(mlo) - 1 + n : 0);
	emit_word(p, OFF_HI(r->args[0].idx), mhi, vhi, ret_pc + 1);
	if (mlo) {
		emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_LO(r->args[0].idx));
		if (mlo != ~0u)
			emit(p, BPF_ALU | BPF_AND | BPF_K, 0, 0, mlo);
	}
	for (j = i; j < g->n && k < n; j++) {
		const struct sandbox_rule *o = p->rows[g->first + j];
		uint32_t v = (uint32_t)arg_value(p, &o->args[0]);

		if (p->done[g->first + j] || !same_word(p, r, o))
			continue;
		p->done[g->first + j] = true;
		if (!mlo)
			continue;
		/* the last one falls through to the return, or past it */
		if (++k < n)
			emit_jt(p, BPF_JEQ, v, ret_pc);
		else
			emit(p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, v);
	}
	emit_ret(p, action_of(r));
}

/* A call whose rows compare arguments (the others return from the tree). */
static void emit_group(struct prog *p, struct group *g)
{
	unsigned int i;

	if (g->action != NO_ACTION)
		return;
	g->pc = p->len;
	for (i = 0; i < g->n; i++) {
		const struct sandbox_rule *r = p->rows[g->first + i];

		if (p->done[g->first + i])
			continue;
		if (r->nr_args == 1)
			emit_chain(p, g, i);
		else
			emit_row(p, r);
	}
	emit_ret(p, p->def);
}

/* ---- the tree of call numbers ---- */

/* The distinct actions of the unconditional calls among [lo, hi), in order. */
static unsigned int leaf_actions(const struct prog *p, unsigned int lo, unsigned int hi,
				 uint32_t *act)
{
	unsigned int i, j, n = 0;

	for (i = lo; i < hi; i++) {
		if (p->groups[i].action == NO_ACTION)
			continue;
		for (j = 0; j < n && act[j] != p->groups[i].action; j++)
			;
		if (j == n)
			act[n++] = p->groups[i].action;
	}
	return n;
}

/* A leaf: one jeq per call, the default, a return per action, a jump per call with rows. */
static unsigned int leaf_len(const struct prog *p, unsigned int lo, unsigned int hi)
{
	uint32_t act[LEAF_MAX];
	unsigned int i, n = hi - lo + 1 + leaf_actions(p, lo, hi, act);

	for (i = lo; i < hi; i++)
		n += p->groups[i].action == NO_ACTION;
	return n;
}

static unsigned int tree_len(const struct prog *p, unsigned int lo, unsigned int hi)
{
	unsigned int mid = lo + (hi - lo) / 2, left;

	if (hi - lo <= LEAF_MAX)
		return leaf_len(p, lo, hi);
	left = tree_len(p, lo, mid);
	return (left <= JMP_MAX ? 1 : 2) + left + tree_len(p, mid, hi);
}

static void emit_leaf(struct prog *p, unsigned int lo, unsigned int hi)
{
	uint32_t act[LEAF_MAX];
	unsigned int i, j, nr_act = leaf_actions(p, lo, hi, act);
	unsigned int ret_pc = p->len + (hi - lo) + 1, ja_pc = ret_pc + nr_act;

	for (i = lo; i < hi; i++) {
		const struct group *g = &p->groups[i];

		if (g->action == NO_ACTION) {
			emit_jt(p, BPF_JEQ, (uint32_t)g->nr, ja_pc++);
			continue;
		}
		for (j = 0; act[j] != g->action; j++)
			;
		emit_jt(p, BPF_JEQ, (uint32_t)g->nr, ret_pc + j);
	}
	emit_ret(p, p->def);
	for (j = 0; j < nr_act; j++)
		emit_ret(p, act[j]);
	for (i = lo; i < hi; i++)
		if (p->groups[i].action == NO_ACTION)
			emit_ja(p, p->groups[i].pc);
}

/* The accumulator holds the call number: find its group among [lo, hi). */
static void emit_tree(struct prog *p, unsigned int lo, unsigned int hi)
{
	unsigned int mid = lo + (hi - lo) / 2, left;

	if (hi - lo <= LEAF_MAX) {
		emit_leaf(p, lo, hi);
		return;
	}
	/* nr >= groups[mid]: the right half, after the left one */
	left = tree_len(p, lo, mid);
	if (left <= JMP_MAX) {
		emit_jt(p, BPF_JGE, (uint32_t)p->groups[mid].nr, p->len + 1 + left);
	} else {
		emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 1, (uint32_t)p->groups[mid].nr);
		emit_ja(p, p->len + 1 + left);
	}
	emit_tree(p, lo, mid);
	emit_tree(p, mid, hi);
}

static void emit_prog(struct prog *p)
{
	unsigned int i;

	p->len = 0;
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_ARCH);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
	emit(p, BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_NR);
	/* x32 calls are numbered from bit 30; -1 is a call a tracer skipped */
	emit(p, BPF_JMP | BPF_JGE | BPF_K, 0, 2, X32_SYSCALL_BIT);
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0xffffffffu);
	emit_ret(p, SECCOMP_RET_KILL_PROCESS);
	if (p->nr_groups)
		emit_tree(p, 0, p->nr_groups);
	else
		emit_ret(p, p->def);
	memcpy(p->done, p->dead, p->nr_rows * sizeof(*p->done));
	for (i = 0; i < p->nr_groups; i++)
		emit_group(p, &p->groups[i]);
}

/* ---- rows to groups ---- */

/*
 * A row the program can hold: a native call number (not x32's, not -1),
 * arguments struct seccomp_data has, an errno the kernel passes on as it
 * is (a negative one would be clamped to 4095, 0x10000 cut to an ERRNO(0):
 * a call that does nothing and returns 0).
 */
static bool row_valid(const struct sandbox_rule *r)
{
	unsigned int i;

	if (r->nr < 0 || (uint32_t)r->nr >= X32_SYSCALL_BIT || r->nr_args > SANDBOX_MAX_ARGS ||
	    r->err < 0 || r->err > ERRNO_MAX)
		return false;
	for (i = 0; i < r->nr_args; i++)
		if (r->args[i].idx >= NR_ARGS)
			return false;
	return true;
}

/* By call number; rows of one call keep the order they were given in. */
static void sort_rows(const struct sandbox_rule **rows, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		const struct sandbox_rule *r = rows[i];

		for (j = i; j && rows[j - 1]->nr > r->nr; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
}

/*
 * Group sorted rows by call; a row the program cannot hold, or a call whose
 * rows disagree on the action, is refused.
 */
static int group_rows(struct prog *p, unsigned int n)
{
	unsigned int i = 0, j;

	while (i < n) {
		struct group *g = &p->groups[p->nr_groups++];
		uint32_t act = action_of(p->rows[i]);

		*g = (struct group){ .nr = p->rows[i]->nr, .first = i, .action = NO_ACTION };
		for (j = i; j < n && p->rows[j]->nr == g->nr; j++) {
			if (!row_valid(p->rows[j]) || action_of(p->rows[j]) != act)
				return -EINVAL;
			if (!p->rows[j]->nr_args)
				g->action = act;
		}
		g->n = j - i;
		if (g->action == NO_ACTION)
			mark_dead(p, g);
		i = j;
	}
	return 0;
}

int sandbox_bpf_build(const struct sandbox_rule **rows, unsigned int n, bool log,
		      struct sock_fprog *out)
{
	struct prog p = { .rows = rows, .nr_rows = n, .pid = (uint64_t)getpid(),
			  .def = log ? SECCOMP_RET_LOG : SECCOMP_RET_TRAP };
	size_t each = sizeof(*p.groups) + 2 * sizeof(bool);
	int ret;

	out->filter = NULL;
	out->len = 0;
	p.groups = calloc(n ? n : 1, each);
	if (!p.groups)
		return -ENOMEM;
	p.dead = (bool *)(p.groups + (n ? n : 1));
	p.done = p.dead + (n ? n : 1);
	sort_rows(rows, n);
	ret = group_rows(&p, n);
	if (!ret) {
		emit_prog(&p);		/* counts, and places each call's rows */
		if (p.len > BPF_MAXINSNS)
			ret = -E2BIG;
	}
	if (!ret && !(p.insn = malloc(p.len * sizeof(*p.insn))))
		ret = -ENOMEM;
	if (!ret) {
		emit_prog(&p);
		out->filter = p.insn;
		out->len = (unsigned short)p.len;
	}
	free(p.groups);
	return ret;
}
