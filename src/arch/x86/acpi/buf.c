// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/acpi/buf.h"

void acpi_buf_init(struct acpi_buf *b)
{
	memset(b, 0, sizeof(*b));
}

void acpi_buf_free(struct acpi_buf *b)
{
	free(b->data);
	acpi_buf_init(b);
}

void acpi_buf_fail(struct acpi_buf *b, int err)
{
	if (!b->err)
		b->err = err;
}

static int buf_reserve(struct acpi_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->err)
		return b->err;
	if (n > ACPI_BUF_MAX || b->len > ACPI_BUF_MAX - n) {
		acpi_buf_fail(b, -E2BIG);
		return b->err;
	}
	if (b->len + n <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p) {
		acpi_buf_fail(b, -ENOMEM);
		return b->err;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

uint8_t *acpi_buf_grow(struct acpi_buf *b, size_t n)
{
	uint8_t *p;

	/* Reserve at least one byte so that data is never NULL here. */
	if (buf_reserve(b, n ? n : 1))
		return NULL;
	p = b->data + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

void acpi_buf_put(struct acpi_buf *b, const void *p, size_t n)
{
	uint8_t *d = acpi_buf_grow(b, n);

	if (d && n)
		memcpy(d, p, n);
}

static void buf_put_le(struct acpi_buf *b, uint64_t v, unsigned int n)
{
	uint8_t *d = acpi_buf_grow(b, n);

	if (d)
		acpi_put_le(d, v, n);
}

void acpi_buf_u8(struct acpi_buf *b, uint8_t v)
{
	buf_put_le(b, v, 1);
}

void acpi_buf_u16(struct acpi_buf *b, uint16_t v)
{
	buf_put_le(b, v, 2);
}

void acpi_buf_u32(struct acpi_buf *b, uint32_t v)
{
	buf_put_le(b, v, 4);
}

void acpi_buf_u64(struct acpi_buf *b, uint64_t v)
{
	buf_put_le(b, v, 8);
}

void acpi_buf_align(struct acpi_buf *b, size_t align)
{
	size_t pad = (align - (b->len & (align - 1))) & (align - 1);

	acpi_buf_grow(b, pad);
}

void acpi_buf_insert(struct acpi_buf *b, size_t pos, const void *p, size_t n)
{
	if (b->err)
		return;
	if (pos > b->len) {
		acpi_buf_fail(b, -EINVAL);
		return;
	}
	if (buf_reserve(b, n))
		return;
	memmove(b->data + pos + n, b->data + pos, b->len - pos);
	memcpy(b->data + pos, p, n);
	b->len += n;
}

static void buf_set_le(struct acpi_buf *b, size_t off, uint64_t v,
		       unsigned int n)
{
	if (b->err)
		return;
	if (off > b->len || b->len - off < n) {
		acpi_buf_fail(b, -EINVAL);
		return;
	}
	acpi_put_le(b->data + off, v, n);
}

void acpi_buf_set_u8(struct acpi_buf *b, size_t off, uint8_t v)
{
	buf_set_le(b, off, v, 1);
}

void acpi_buf_set_u16(struct acpi_buf *b, size_t off, uint16_t v)
{
	buf_set_le(b, off, v, 2);
}

void acpi_buf_set_u32(struct acpi_buf *b, size_t off, uint32_t v)
{
	buf_set_le(b, off, v, 4);
}

void acpi_buf_set_u64(struct acpi_buf *b, size_t off, uint64_t v)
{
	buf_set_le(b, off, v, 8);
}

uint8_t acpi_sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}
