// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sandbox-bpf tests' references (bpf_oracle.h).  The load-time checks
 * follow the kernel's net/core/filter.c bpf_check_classic() and
 * kernel/seccomp.c seccomp_check_filter() for the opcodes a seccomp filter
 * may use; oracle_load() asks the kernel itself.
 */
#include <errno.h>
#include <linux/audit.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bpf_oracle.h"
#include "sandbox/sandbox_internal.h"

#define X32_SYSCALL_BIT		0x40000000u

/*
 * libseccomp 2.5.4 leaks parts of its rule tree when an unconditional row
 * follows argument rows of the same call (random tables make that): not
 * this test's leak, nor cvmm's, which no longer links libseccomp.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libseccomp.so\n";
}

static uint32_t word_at(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;

	assert_true(off % 4 == 0 && off + 4 <= sizeof(*d));
	memcpy(&w, (const char *)d + off, 4);
	return w;
}

uint32_t oracle_run(const struct sock_fprog *f, const struct seccomp_data *d)
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

const char *oracle_check(const struct sock_fprog *f)
{
	static char why[64];
	unsigned int pc;

	if (!f->filter || !f->len || f->len > BPF_MAXINSNS)
		return "no program, or longer than BPF_MAXINSNS";
	for (pc = 0; pc < f->len; pc++) {
		const struct sock_filter *i = &f->filter[pc];
		const char *bad = NULL;

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			/* seccomp_check_filter(): inside struct seccomp_data, aligned */
			if (i->k >= sizeof(struct seccomp_data) || i->k & 3)
				bad = "load outside seccomp_data";
			break;
		case BPF_LD | BPF_MEM:
		case BPF_ST:
			if (i->k >= BPF_MEMWORDS)
				bad = "scratch word out of range";
			break;
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_RET | BPF_K:
			break;
		case BPF_JMP | BPF_JA:
			if (i->k >= f->len - pc - 1)
				bad = "ja out of range";
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			if (pc + i->jt + 1 >= f->len || pc + i->jf + 1 >= f->len)
				bad = "jt/jf out of range";
			break;
		default:
			bad = "opcode not used by seccomp filters";
		}
		if (bad) {
			snprintf(why, sizeof(why), "%s at %u", bad, pc);
			return why;
		}
	}
	if (BPF_CLASS(f->filter[f->len - 1].code) != BPF_RET)
		return "the last instruction is not a return";
	return NULL;
}

int oracle_load(const struct sock_fprog *f)
{
	int status;
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid) {
		/* a trapped _exit() below ends the child with SIGSYS: no core */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(100);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, f) < 0)
			_exit(errno & 0x7f);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		return 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 100);
	return -WEXITSTATUS(status);
}

static uint32_t action_of(const struct sandbox_rule *r)
{
	return r->err ? SECCOMP_RET_ERRNO | (uint32_t)r->err : SECCOMP_RET_ALLOW;
}

static bool row_matches(const struct sandbox_rule *r, const struct seccomp_data *d)
{
	unsigned int i;

	for (i = 0; i < r->nr_args; i++)
		if ((d->args[r->args[i].idx] & r->args[i].mask) != sandbox_arg_value(&r->args[i]))
			return false;
	return true;
}

uint32_t oracle_spec(const struct sandbox_rule *const *rows, unsigned int n, bool log,
		     const struct seccomp_data *d)
{
	unsigned int i;

	if (d->arch != AUDIT_ARCH_X86_64)
		return SECCOMP_RET_KILL_PROCESS;
	if ((uint32_t)d->nr >= X32_SYSCALL_BIT && d->nr != -1)
		return SECCOMP_RET_KILL_PROCESS;
	for (i = 0; i < n; i++)
		if (rows[i]->nr == d->nr && row_matches(rows[i], d))
			return action_of(rows[i]);
	return log ? SECCOMP_RET_LOG : SECCOMP_RET_TRAP;
}

static int libseccomp_add(scmp_filter_ctx ctx, const struct sandbox_rule *r)
{
	struct scmp_arg_cmp cmp[SANDBOX_MAX_ARGS];
	unsigned int j;

	for (j = 0; j < r->nr_args; j++) {
		const struct sandbox_arg *a = &r->args[j];
		uint64_t v = sandbox_arg_value(a);

		if (a->mask == ~0ULL)
			cmp[j] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_EQ, v, 0 };
		else
			cmp[j] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_MASKED_EQ, a->mask, v };
	}
	return seccomp_rule_add_exact_array(ctx, r->err ? SCMP_ACT_ERRNO((uint32_t)r->err) :
					    SCMP_ACT_ALLOW, r->nr, j, cmp);
}

struct sock_fprog oracle_libseccomp(const struct sandbox_rule *const *rows, unsigned int n,
				    bool log)
{
	scmp_filter_ctx ctx = seccomp_init(log ? SCMP_ACT_LOG : SCMP_ACT_TRAP);
	struct sock_fprog f = { 0 };
	struct stat st;
	unsigned int i;
	int fd = memfd_create("ref", 0), ret = 0;

	assert_non_null(ctx);
	assert_true(fd >= 0);
	assert_int_equal(seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), 0);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; i < n && (!ret || ret == -EEXIST); i++)
		ret = libseccomp_add(ctx, rows[i]);
	if (ret) print_message("libseccomp: %d at row %u nr %d nargs %u\n", ret, i - 1, rows[i-1]->nr, rows[i-1]->nr_args);
	if (!ret || ret == -EEXIST) {
		assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
		assert_int_equal(fstat(fd, &st), 0);
		f.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
		f.filter = malloc((size_t)st.st_size);
		assert_non_null(f.filter);
		assert_int_equal(pread(fd, f.filter, (size_t)st.st_size, 0), st.st_size);
	}
	close(fd);
	seccomp_release(ctx);
	return f;
}

uint64_t oracle_rnd(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}
