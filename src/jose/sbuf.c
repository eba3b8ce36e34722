// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jose/sbuf.h"

void sbuf_add(struct sbuf *b, const void *d, size_t n)
{
	if (b->err)
		return;
	if (n >= SIZE_MAX / 2 - b->len) {
		b->err = -ENOMEM;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->err = -ENOMEM;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sbuf_addc(struct sbuf *b, char c)
{
	sbuf_add(b, &c, 1);
}

void sbuf_adds(struct sbuf *b, const char *s)
{
	sbuf_add(b, s, strlen(s));
}

int sbuf_finish(struct sbuf *b, char **out, size_t *len)
{
	if (!b->err && !b->p)
		sbuf_add(b, "", 0);
	if (b->err) {
		free(b->p);
		b->p = NULL;
		return b->err;
	}
	*out = b->p;
	if (len)
		*len = b->len;
	b->p = NULL;
	return 0;
}
