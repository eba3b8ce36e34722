// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <sys/mman.h>

#include "devices/dev_alloc.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEV_ALLOC_HEAP	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DEV_ALLOC_HEAP	1
#endif
#endif

void *dev_zalloc(size_t size)
{
#ifdef DEV_ALLOC_HEAP
	return calloc(1, size);
#else
	void *p;

	if (!size)
		size = 1;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
#endif
}

void dev_zfree(void *p, size_t size)
{
	if (!p)
		return;
#ifdef DEV_ALLOC_HEAP
	(void)size;
	free(p);
#else
	munmap(p, size ? size : 1);
#endif
}
