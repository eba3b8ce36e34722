// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "arch/x86/acpi/aml.h"

/* NameSeg := LeadNameChar NameChar NameChar NameChar */
static int name_char_ok(char c, bool lead)
{
	if ((c >= 'A' && c <= 'Z') || c == '_')
		return 1;
	return !lead && c >= '0' && c <= '9';
}

/*
 * Parse one segment of @path starting at @p into @seg (padded with '_').
 * Returns the number of characters consumed, or -1.
 */
static int parse_seg(const char *p, char seg[4])
{
	int n = 0;

	while (p[n] && p[n] != '.') {
		if (n >= 4 || !name_char_ok(p[n], n == 0))
			return -1;
		seg[n] = p[n];
		n++;
	}
	if (n == 0)
		return -1;
	memset(seg + n, '_', 4 - n);
	return n;
}

void aml_name_string(struct acpi_buf *b, const char *path)
{
	char segs[255][4];
	unsigned int nr = 0, i;
	const char *p = path;

	if (!p) {
		acpi_buf_fail(b, -EINVAL);
		return;
	}
	if (*p == '\\') {
		acpi_buf_u8(b, AML_ROOT_CHAR);
		p++;
	} else {
		while (*p == '^') {
			acpi_buf_u8(b, AML_PARENT_PREFIX);
			p++;
		}
	}
	while (*p) {
		int n;

		if (nr >= 255) {
			acpi_buf_fail(b, -EINVAL);
			return;
		}
		n = parse_seg(p, segs[nr]);
		if (n < 0) {
			acpi_buf_fail(b, -EINVAL);
			return;
		}
		nr++;
		p += n;
		if (*p == '.') {
			p++;
			if (!*p) {
				acpi_buf_fail(b, -EINVAL);
				return;
			}
		}
	}
	if (nr == 0) {
		acpi_buf_u8(b, 0);	/* NullName */
		return;
	}
	if (nr == 2) {
		acpi_buf_u8(b, AML_DUAL_NAME_PREFIX);
	} else if (nr > 2) {
		acpi_buf_u8(b, AML_MULTI_NAME_PREFIX);
		acpi_buf_u8(b, (uint8_t)nr);
	}
	for (i = 0; i < nr; i++)
		acpi_buf_put(b, segs[i], 4);
}

void aml_integer(struct acpi_buf *b, uint64_t v)
{
	if (v == 0) {
		acpi_buf_u8(b, AML_ZERO_OP);
	} else if (v == 1) {
		acpi_buf_u8(b, AML_ONE_OP);
	} else if (v <= UINT8_MAX) {
		acpi_buf_u8(b, AML_BYTE_PREFIX);
		acpi_buf_u8(b, (uint8_t)v);
	} else if (v <= UINT16_MAX) {
		acpi_buf_u8(b, AML_WORD_PREFIX);
		acpi_buf_u16(b, (uint16_t)v);
	} else if (v <= UINT32_MAX) {
		acpi_buf_u8(b, AML_DWORD_PREFIX);
		acpi_buf_u32(b, (uint32_t)v);
	} else {
		acpi_buf_u8(b, AML_QWORD_PREFIX);
		acpi_buf_u64(b, v);
	}
}

void aml_string(struct acpi_buf *b, const char *s)
{
	const char *p;

	if (!s) {
		acpi_buf_fail(b, -EINVAL);
		return;
	}
	/* AsciiCharList: 0x01..0x7f */
	for (p = s; *p; p++) {
		if ((unsigned char)*p > 0x7f) {
			acpi_buf_fail(b, -EINVAL);
			return;
		}
	}
	acpi_buf_u8(b, AML_STRING_PREFIX);
	acpi_buf_put(b, s, strlen(s) + 1);
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

uint32_t aml_eisaid_value(const char *id, int *err)
{
	uint8_t c[3], bytes[4];
	int h[4], i;

	*err = 0;
	if (!id || strlen(id) != 7)
		goto bad;
	for (i = 0; i < 3; i++) {
		if (id[i] < 'A' || id[i] > 'Z')
			goto bad;
		c[i] = (uint8_t)(id[i] - 0x40);
	}
	for (i = 0; i < 4; i++) {
		h[i] = hex_val(id[3 + i]);
		if (h[i] < 0)
			goto bad;
	}
	bytes[0] = (uint8_t)((c[0] << 2) | (c[1] >> 3));
	bytes[1] = (uint8_t)(((c[1] & 7) << 5) | c[2]);
	bytes[2] = (uint8_t)((h[0] << 4) | h[1]);
	bytes[3] = (uint8_t)((h[2] << 4) | h[3]);
	return (uint32_t)acpi_get_le(bytes, 4);
bad:
	*err = -EINVAL;
	return 0;
}

void aml_eisaid(struct acpi_buf *b, const char *id)
{
	int err;
	uint32_t v = aml_eisaid_value(id, &err);

	if (err) {
		acpi_buf_fail(b, err);
		return;
	}
	/* Always a DWordConst, as iasl emits it. */
	acpi_buf_u8(b, AML_DWORD_PREFIX);
	acpi_buf_u32(b, v);
}

/* Insert the PkgLength for everything appended since @mark. */
void aml_end(struct acpi_buf *b, size_t mark)
{
	uint8_t enc[4];
	size_t body, total;
	unsigned int n, i;

	if (b->err)
		return;
	if (mark > b->len) {
		acpi_buf_fail(b, -EINVAL);
		return;
	}
	body = b->len - mark;
	if (body + 1 <= 0x3f)
		n = 1;
	else if (body + 2 <= 0xfff)
		n = 2;
	else if (body + 3 <= 0xfffff)
		n = 3;
	else if (body + 4 <= AML_PKGLEN_MAX)
		n = 4;
	else {
		acpi_buf_fail(b, -E2BIG);
		return;
	}
	total = body + n;
	if (n == 1) {
		enc[0] = (uint8_t)total;
	} else {
		enc[0] = (uint8_t)(((n - 1) << 6) | (total & 0xf));
		for (i = 1; i < n; i++)
			enc[i] = (uint8_t)(total >> (4 + 8 * (i - 1)));
	}
	acpi_buf_insert(b, mark, enc, n);
}

void aml_name(struct acpi_buf *b, const char *path)
{
	acpi_buf_u8(b, AML_NAME_OP);
	aml_name_string(b, path);
}

void aml_name_integer(struct acpi_buf *b, const char *path, uint64_t v)
{
	aml_name(b, path);
	aml_integer(b, v);
}

void aml_name_string_obj(struct acpi_buf *b, const char *path, const char *s)
{
	aml_name(b, path);
	aml_string(b, s);
}

void aml_name_eisaid(struct acpi_buf *b, const char *path, const char *id)
{
	aml_name(b, path);
	aml_eisaid(b, id);
}

size_t aml_scope_begin(struct acpi_buf *b, const char *path)
{
	size_t mark;

	acpi_buf_u8(b, AML_SCOPE_OP);
	mark = b->len;
	aml_name_string(b, path);
	return mark;
}

size_t aml_device_begin(struct acpi_buf *b, const char *path)
{
	size_t mark;

	acpi_buf_u8(b, AML_EXT_OP_PREFIX);
	acpi_buf_u8(b, AML_DEVICE_OP);
	mark = b->len;
	aml_name_string(b, path);
	return mark;
}

size_t aml_package_begin(struct acpi_buf *b, unsigned int nr_elements)
{
	size_t mark;

	if (nr_elements > 255)
		acpi_buf_fail(b, -EINVAL);
	acpi_buf_u8(b, AML_PACKAGE_OP);
	mark = b->len;
	acpi_buf_u8(b, (uint8_t)nr_elements);
	return mark;
}

void aml_res_io(struct acpi_buf *r, uint16_t min, uint16_t max,
		uint8_t align, uint8_t len)
{
	acpi_buf_u8(r, AML_RES_IO);
	acpi_buf_u8(r, 0x01);		/* Decode16 */
	acpi_buf_u16(r, min);
	acpi_buf_u16(r, max);
	acpi_buf_u8(r, align);
	acpi_buf_u8(r, len);
}

void aml_res_irq_noflags(struct acpi_buf *r, uint16_t mask)
{
	acpi_buf_u8(r, AML_RES_IRQ_NOFLAGS);
	acpi_buf_u16(r, mask);
}

void aml_res_mem32_fixed(struct acpi_buf *r, bool rw, uint32_t base,
			 uint32_t len)
{
	acpi_buf_u8(r, AML_RES_MEM32_FIXED);
	acpi_buf_u16(r, 9);
	acpi_buf_u8(r, rw ? 1 : 0);
	acpi_buf_u32(r, base);
	acpi_buf_u32(r, len);
}

/* General flags: _MAF (bit 3) and _MIF (bit 2) fixed, positive decode. */
#define ADDR_GFLAGS_FIXED	0x0c
#define ADDR_IO_ENTIRE_RANGE	0x03
#define ADDR_MEM_RW		0x01
#define ADDR_MEM_CACHEABLE	0x02

/*
 * Word/DWord/QWord Address Space Descriptor (ACPI 6.4, 6.4.3.5): the head,
 * then five @size-byte fields _GRA, _MIN, _MAX, _TRA and _LEN (_GRA and
 * _TRA 0).  A window over the whole @size-byte range has a _LEN that does
 * not fit the field: refused, like max < min.
 */
static void res_addr(struct acpi_buf *r, uint8_t tag, unsigned int size,
		     uint8_t type, uint8_t tflags, uint64_t min, uint64_t max)
{
	uint64_t all = size == 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;
	uint8_t *p;

	if (max < min || max - min == all) {
		acpi_buf_fail(r, -EINVAL);
		return;
	}
	acpi_buf_u8(r, tag);
	acpi_buf_u16(r, (uint16_t)(3 + 5 * size));
	acpi_buf_u8(r, type);
	acpi_buf_u8(r, ADDR_GFLAGS_FIXED);
	acpi_buf_u8(r, tflags);
	p = acpi_buf_grow(r, 5 * size);
	if (!p)
		return;
	acpi_put_le(p + size, min, size);
	acpi_put_le(p + 2 * size, max, size);
	acpi_put_le(p + 4 * size, max - min + 1, size);
}

void aml_res_word_bus(struct acpi_buf *r, uint16_t min, uint16_t max)
{
	res_addr(r, AML_RES_WORD, 2, AML_RES_TYPE_BUS, 0, min, max);
}

void aml_res_word_io(struct acpi_buf *r, uint16_t min, uint16_t max)
{
	res_addr(r, AML_RES_WORD, 2, AML_RES_TYPE_IO, ADDR_IO_ENTIRE_RANGE,
		 min, max);
}

void aml_res_dword_mem(struct acpi_buf *r, bool cacheable, uint32_t min,
		       uint32_t max)
{
	res_addr(r, AML_RES_DWORD, 4, AML_RES_TYPE_MEM,
		 ADDR_MEM_RW | (cacheable ? ADDR_MEM_CACHEABLE : 0), min, max);
}

void aml_res_qword_mem(struct acpi_buf *r, bool cacheable, uint64_t min,
		       uint64_t max)
{
	res_addr(r, AML_RES_QWORD, 8, AML_RES_TYPE_MEM,
		 ADDR_MEM_RW | (cacheable ? ADDR_MEM_CACHEABLE : 0), min, max);
}

void aml_resource_template(struct acpi_buf *b, const struct acpi_buf *r)
{
	size_t mark;

	if (r->err) {
		acpi_buf_fail(b, r->err);
		return;
	}
	acpi_buf_u8(b, AML_BUFFER_OP);
	mark = b->len;
	aml_integer(b, r->len + 2);
	acpi_buf_put(b, r->data, r->len);
	acpi_buf_u8(b, AML_RES_END_TAG);
	acpi_buf_u8(b, 0);	/* checksum 0: "treat as valid" */
	aml_end(b, mark);
}
