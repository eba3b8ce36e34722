/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory handed back with a secret still in it.  A test linked with
 * FREED_SECRET_LINK_ARGS (tests/unit/broker/meson.build: -Wl,--wrap=…)
 * sees every malloc(), calloc(), realloc(), strdup() and free() of the
 * objects linked into it (the broker library and the test, not shared
 * libraries such as libpq): blocks are handed out zeroed, so what a block
 * holds when it is freed was written into it since, and a block that still
 * holds the watched secret when it is freed is counted.
 *
 *	freed_secret_watch("hunter2");
 *	config_free(&c);
 *	assert_int_equal(freed_secret_hits(), 0);
 *
 * Include it in one file of a test program only (it defines the wrappers).
 */
#ifndef CVMM_TESTS_UNIT_BROKER_FREED_SECRET_H
#define CVMM_TESTS_UNIT_BROKER_FREED_SECRET_H

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
void __wrap_free(void *p);

static const char *freed_watch;
static unsigned int freed_hits;

/* Count the blocks freed from now on with @secret in them (NULL: stop). */
static inline void freed_secret_watch(const char *secret)
{
	freed_watch = secret;
	freed_hits = 0;
}

static inline unsigned int freed_secret_hits(void)
{
	return freed_hits;
}

void *__wrap_malloc(size_t n)
{
	return __real_calloc(1, n ? n : 1);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	size_t old = p ? malloc_usable_size(p) : 0, now;
	void *q = __real_realloc(p, n);

	now = q ? malloc_usable_size(q) : 0;
	if (q && now > old)
		memset((char *)q + old, 0, now - old);
	return q;
}

char *__wrap_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = __wrap_malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

void __wrap_free(void *p)
{
	if (p && freed_watch &&
	    memmem(p, malloc_usable_size(p), freed_watch, strlen(freed_watch)))
		freed_hits++;
	__real_free(p);
}

#endif
