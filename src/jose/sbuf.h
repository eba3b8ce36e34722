/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_JOSE_SBUF_H
#define CVMM_JOSE_SBUF_H

/* A growable NUL-terminated byte buffer.  Internal to src/jose. */
#include <stddef.h>

struct sbuf {
	char *p;
	size_t len, cap;
	int err;	/* sticky: -ENOMEM after a failed append */
};

void sbuf_add(struct sbuf *b, const void *d, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_adds(struct sbuf *b, const char *s);

/* Hand the buffer over (*out, *len) or return b->err (buffer freed). */
int sbuf_finish(struct sbuf *b, char **out, size_t *len);

#endif
