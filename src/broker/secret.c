// SPDX-License-Identifier: GPL-2.0-only
/*
 * Locked, non-dumpable, cleansed buffers for key material.  An mlock()
 * failure (RLIMIT_MEMLOCK) is not fatal: the buffer is still private,
 * non-dumpable and cleansed, and a warning says once that it may be
 * swapped.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "broker/secret.h"
#include "broker/blog.h"

#define SECRET_MAX	(16u << 20)

static void warn_unlocked(int err)
{
	static bool warned;

	if (!warned) {
		warned = true;
		bwarn("mlock", "%s: key material may be swapped (raise RLIMIT_MEMLOCK)",
			 strerror(err));
	}
}

int secret_alloc(struct secret *s, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t map_len;
	void *p;

	memset(s, 0, sizeof(*s));
	if (!len || len > SECRET_MAX || page <= 0)
		return -EINVAL;
	map_len = (len + (size_t)page - 1) & ~((size_t)page - 1);
	p = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	madvise(p, map_len, MADV_DONTDUMP);
	madvise(p, map_len, MADV_WIPEONFORK);
	if (mlock(p, map_len))
		warn_unlocked(errno);
	s->data = p;
	s->len = len;
	s->map_len = map_len;
	return 0;
}

int secret_dup(struct secret *s, const void *src, size_t len)
{
	int ret = secret_alloc(s, len);

	if (!ret)
		memcpy(s->data, src, len);
	return ret;
}

void secret_free(struct secret *s)
{
	if (!s->data)
		return;
	OPENSSL_cleanse(s->data, s->map_len);
	munlock(s->data, s->map_len);
	munmap(s->data, s->map_len);
	memset(s, 0, sizeof(*s));
}
