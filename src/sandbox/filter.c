// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registered tables, and each thread type's filter: its rows gathered
 * (bpf.c builds the program) once per type when the sandbox is armed,
 * before any thread starts, and loaded by each thread with seccomp(2).
 */
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

/* @t's rows that apply to a run that needs @needs, appended to @rows (NULL: counted). */
static unsigned int add_table(const struct sandbox_rule **rows, unsigned int n,
			      const struct sandbox_table *t, uint32_t needs)
{
	unsigned int i;

	for (i = 0; i < t->nr_rules; i++) {
		if (!sandbox_rule_applies(&t->rules[i], needs))
			continue;
		if (rows)
			rows[n] = &t->rules[i];
		n++;
	}
	return n;
}

/*
 * The rows of @t's filter: its own first (the thread's hot calls, KVM_RUN,
 * are then compared first), every thread type's for main, common's.
 */
static unsigned int collect(const struct sandbox_rule **rows, const struct sandbox_table *t,
			    uint32_t needs)
{
	unsigned int i, n = add_table(rows, 0, t, needs);

	for (i = 0; t == &sandbox_table_main && i < sandbox_nr_tables(); i++)
		if (sandbox_table_applies(sandbox_table_at(i), needs))
			n = add_table(rows, n, sandbox_table_at(i), needs);
	return add_table(rows, n, &sandbox_table_common, needs);
}

int sandbox_filter_compile(const struct sandbox_table *t, uint32_t needs, bool log,
			   struct sandbox_prog *out, struct err_msg *why)
{
	unsigned int n = collect(NULL, t, needs);
	const struct sandbox_rule **rows = malloc((n ? n : 1) * sizeof(*rows));
	int ret;

	memset(out, 0, sizeof(*out));
	if (!rows)
		return err_fail(why, -ENOMEM, "table %s: %s", t->name, strerror(ENOMEM));
	collect(rows, t, needs);
	ret = sandbox_bpf_build(rows, n, log, &out->fprog);
	free(rows);
	if (ret)
		return err_fail(why, ret, "table %s: cannot build its filter: %s", t->name,
				strerror(-ret));
	out->table = t;
	return 0;
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
