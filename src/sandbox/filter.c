// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tables to seccomp-BPF with libseccomp: compiled once per thread type
 * when the sandbox is armed (before any thread starts), exported to
 * memory, and loaded by each thread with seccomp(2).
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/sandbox_internal.h"
#include "util/err.h"

extern const struct sandbox_table *const __start_sandbox_tables[] __attribute__((weak));
extern const struct sandbox_table *const __stop_sandbox_tables[] __attribute__((weak));

unsigned int sandbox_nr_tables(void)
{
	if (!__start_sandbox_tables)
		return 0;
	return (unsigned int)(__stop_sandbox_tables - __start_sandbox_tables);
}

const struct sandbox_table *sandbox_table_at(unsigned int i)
{
	return i < sandbox_nr_tables() ? __start_sandbox_tables[i] : NULL;
}

const struct sandbox_table *sandbox_table_find(const char *name)
{
	unsigned int i;

	if (!strcmp(name, "main"))
		return &sandbox_table_main;
	if (!strcmp(name, "common"))
		return &sandbox_table_common;
	for (i = 0; i < sandbox_nr_tables(); i++)
		if (!strcmp(sandbox_table_at(i)->name, name))
			return sandbox_table_at(i);
	return NULL;
}

bool sandbox_table_applies(const struct sandbox_table *t, uint32_t needs)
{
	return !t->needs || (t->needs & needs);
}

bool sandbox_rule_applies(const struct sandbox_rule *r, uint32_t needs)
{
	return !r->needs || (r->needs & needs);
}

uint64_t sandbox_arg_value(const struct sandbox_arg *a)
{
	switch (a->value) {
	case SANDBOX_VAL_PID:
		return (uint64_t)getpid();
	case SANDBOX_VAL_SIGRTMIN:
		return (uint64_t)SIGRTMIN;
	}
	return a->value;
}

static int add_rule(scmp_filter_ctx ctx, const struct sandbox_rule *r)
{
	struct scmp_arg_cmp cmp[SANDBOX_MAX_ARGS];
	unsigned int i;
	int ret;

	for (i = 0; i < r->nr_args && i < SANDBOX_MAX_ARGS; i++) {
		const struct sandbox_arg *a = &r->args[i];
		uint64_t v = sandbox_arg_value(a);

		if (a->mask == ~0ULL)
			cmp[i] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_EQ, v, 0 };
		else
			cmp[i] = (struct scmp_arg_cmp){ a->idx, SCMP_CMP_MASKED_EQ, a->mask, v };
	}
	ret = seccomp_rule_add_exact_array(ctx, r->err ? SCMP_ACT_ERRNO((uint32_t)r->err) :
					   SCMP_ACT_ALLOW, r->nr, i, cmp);
	/* the same call already allowed without conditions */
	return ret == -EEXIST ? 0 : ret;
}

static int add_table(scmp_filter_ctx ctx, const struct sandbox_table *t, uint32_t needs,
		     struct err_msg *why)
{
	unsigned int i;
	int ret;

	for (i = 0; i < t->nr_rules; i++) {
		const struct sandbox_rule *r = &t->rules[i];

		if (!sandbox_rule_applies(r, needs))
			continue;
		ret = add_rule(ctx, r);
		if (ret)
			return err_fail(why, ret, "table %s: system call %d (%s): %s", t->name,
					r->nr, r->why, strerror(-ret));
	}
	return 0;
}

/* The BPF program of @ctx, in memory. */
static int export_prog(scmp_filter_ctx ctx, struct sock_fprog *out)
{
	int fd = memfd_create("cvmm-seccomp", MFD_CLOEXEC);
	struct stat st;
	void *buf = NULL;
	int ret;

	if (fd < 0)
		return -errno;
	ret = seccomp_export_bpf(ctx, fd);
	if (!ret && fstat(fd, &st) < 0)
		ret = -errno;
	if (!ret && (!st.st_size || st.st_size % sizeof(struct sock_filter) ||
		     st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS))
		ret = -E2BIG;
	if (!ret && !(buf = malloc((size_t)st.st_size)))
		ret = -ENOMEM;
	if (!ret && pread(fd, buf, (size_t)st.st_size, 0) != st.st_size)
		ret = -EIO;
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	out->filter = buf;
	out->len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	return 0;
}

int sandbox_filter_compile(const struct sandbox_table *t, uint32_t needs, bool log,
			   struct sandbox_prog *out, struct err_msg *why)
{
	scmp_filter_ctx ctx = seccomp_init(log ? SCMP_ACT_LOG : SCMP_ACT_TRAP);
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	err_set(why, "libseccomp cannot build a filter");
	if (!ctx)
		return -ENOMEM;
	/* a foreign ABI (x32, i386 int 0x80) ends the process at once */
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* a binary tree of system call numbers, not a linear list */
	if (!ret && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2))
		(void)0;	/* older libseccomp: the linear list works too */
	if (!ret)
		ret = add_table(ctx, &sandbox_table_common, needs, why);
	if (!ret)
		ret = add_table(ctx, t, needs, why);
	for (i = 0; !ret && t == &sandbox_table_main && i < sandbox_nr_tables(); i++)
		if (sandbox_table_applies(sandbox_table_at(i), needs))
			ret = add_table(ctx, sandbox_table_at(i), needs, why);
	if (!ret) {
		ret = export_prog(ctx, &out->fprog);
		if (ret)
			err_set(why, "table %s: cannot export the filter: %s", t->name,
				strerror(-ret));
	}
	seccomp_release(ctx);
	if (!ret)
		out->table = t;
	return ret;
}

void sandbox_filter_free(struct sandbox_prog *p)
{
	free(p->fprog.filter);
	memset(p, 0, sizeof(*p));
}

int sandbox_filter_load(const struct sandbox_prog *p)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p->fprog) < 0)
		return -errno;
	return 0;
}
