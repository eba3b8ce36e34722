// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "acpi_check.h"

uint64_t le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[n];
	return v;
}

uint8_t sum8(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

static const uint8_t *map_table(phys_map_fn map, void *ctx, uint64_t addr,
				const char *sig, uint32_t *len)
{
	const uint8_t *h = map(ctx, addr, 36);

	assert_non_null(h);
	if (sig)
		assert_memory_equal(h, sig, 4);
	*len = (uint32_t)le(h + 4, 4);
	assert_true(*len >= 36);
	h = map(ctx, addr, *len);
	assert_non_null(h);
	assert_int_equal(sum8(h, *len), 0);
	assert_memory_equal(h + 10, "CVMM  ", 6);
	return h;
}

void walk_acpi(phys_map_fn map, void *ctx, uint64_t rsdp_addr,
	       struct walked_tables *w)
{
	const uint8_t *rsdp = map(ctx, rsdp_addr, 36), *xsdt, *fadt;
	uint32_t xlen, i;

	memset(w, 0, sizeof(*w));
	assert_non_null(rsdp);
	assert_memory_equal(rsdp, "RSD PTR ", 8);
	assert_int_equal(sum8(rsdp, 20), 0);
	assert_int_equal(rsdp[15], 2);			/* revision */
	assert_int_equal(le(rsdp + 20, 4), 36);		/* length */
	assert_int_equal(sum8(rsdp, 36), 0);
	assert_memory_equal(rsdp + 9, "CVMM  ", 6);
	w->rsdp = rsdp_addr;
	w->xsdt = le(rsdp + 24, 8);
	assert_true(w->xsdt != 0);

	xsdt = map_table(map, ctx, w->xsdt, "XSDT", &xlen);
	assert_int_equal((xlen - 36) % 8, 0);
	w->nr = (xlen - 36) / 8;
	assert_true(w->nr <= MAX_TABLES);
	for (i = 0; i < w->nr; i++) {
		w->addr[i] = le(xsdt + 36 + 8 * i, 8);
		w->ptr[i] = map_table(map, ctx, w->addr[i], NULL, &w->len[i]);
		memcpy(w->sig[i], w->ptr[i], 4);
		w->sig[i][4] = 0;
	}
	fadt = walked_find(w, "FACP");
	assert_non_null(fadt);
	/* The 64-bit fields are used, the 32-bit ones are zero. */
	assert_int_equal(le(fadt + 36, 4), 0);
	assert_int_equal(le(fadt + 40, 4), 0);
	w->facs_addr = le(fadt + 132, 8);
	w->dsdt_addr = le(fadt + 140, 8);
	w->dsdt = map_table(map, ctx, w->dsdt_addr, "DSDT", &w->dsdt_len);
	w->facs = map(ctx, w->facs_addr, 64);
	assert_non_null(w->facs);
	assert_memory_equal(w->facs, "FACS", 4);
	assert_int_equal(le(w->facs + 4, 4), 64);
	assert_int_equal(w->facs_addr % 64, 0);
}

const uint8_t *walked_find(const struct walked_tables *w, const char *sig)
{
	unsigned int i;

	for (i = 0; i < w->nr; i++)
		if (!memcmp(w->sig[i], sig, 4))
			return w->ptr[i];
	return NULL;
}

/* ---------------- AML walker ---------------- */

struct cursor {
	const uint8_t *p, *end;
};

static uint8_t cur_u8(struct cursor *c)
{
	assert_true(c->p < c->end);
	return *c->p++;
}

static uint64_t cur_le(struct cursor *c, unsigned int n)
{
	uint64_t v;

	assert_true((size_t)(c->end - c->p) >= n);
	v = le(c->p, n);
	c->p += n;
	return v;
}

/* PkgLength: returns the end of the package (counted from its start). */
static const uint8_t *pkg_end(struct cursor *c)
{
	const uint8_t *start = c->p;
	uint8_t lead = cur_u8(c);
	unsigned int n = lead >> 6, i;
	uint32_t len;

	if (n == 0) {
		len = lead & 0x3f;
	} else {
		assert_int_equal(lead & 0x30, 0);	/* reserved bits */
		len = lead & 0x0f;
		for (i = 0; i < n; i++)
			len |= (uint32_t)cur_u8(c) << (4 + 8 * i);
		/* Minimal encoding: a shorter one would not have fitted. */
		if (n == 1)
			assert_true(len > 0x3f);
	}
	assert_true(len >= (uint32_t)(c->p - start));
	assert_true(len <= (size_t)(c->end - start));
	return start + len;
}

static int seg_char_ok(uint8_t ch, int lead)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!lead && ch >= '0' && ch <= '9');
}

static void read_seg(struct cursor *c, char *out)
{
	int i;

	for (i = 0; i < 4; i++) {
		out[i] = (char)cur_u8(c);
		assert_true(seg_char_ok((uint8_t)out[i], i == 0));
	}
	out[4] = 0;
}

/* NameString -> absolute dotted path, relative to @scope. */
static void read_name(struct cursor *c, const char *scope, char *out,
		      size_t outlen)
{
	char path[64] = "";
	char seg[5];
	unsigned int nr = 1, i;
	int absolute = 0;
	uint8_t b;

	if (c->p < c->end && *c->p == '\\') {
		absolute = 1;
		c->p++;
	}
	assert_true(c->p < c->end && *c->p != '^');	/* not used by us */
	b = *c->p;
	if (b == 0x2e) {
		c->p++;
		nr = 2;
	} else if (b == 0x2f) {
		c->p++;
		nr = cur_u8(c);
	} else if (b == 0x00) {
		c->p++;
		nr = 0;
	}
	for (i = 0; i < nr; i++) {
		read_seg(c, seg);
		if (i)
			strcat(path, ".");
		strcat(path, seg);
	}
	if (absolute || !scope[0] || !strcmp(scope, "\\"))
		snprintf(out, outlen, "\\%s", path);
	else
		snprintf(out, outlen, "%s.%s", scope, path);
}

static struct aml_obj *new_obj(struct aml_ns *ns, const char *path,
			       enum aml_obj_type type)
{
	struct aml_obj *o;

	assert_true(ns->nr < AML_MAX_OBJS);
	o = &ns->objs[ns->nr++];
	memset(o, 0, sizeof(*o));
	snprintf(o->path, sizeof(o->path), "%s", path);
	o->type = type;
	return o;
}

/* ComputationalData integer; returns 0 if the next byte is not one. */
static int read_int(struct cursor *c, uint64_t *v)
{
	uint8_t op = cur_u8(c);

	switch (op) {
	case 0x00: *v = 0; return 1;
	case 0x01: *v = 1; return 1;
	case 0xff: *v = UINT64_MAX; return 1;
	case 0x0a: *v = cur_le(c, 1); return 1;
	case 0x0b: *v = cur_le(c, 2); return 1;
	case 0x0c: *v = cur_le(c, 4); return 1;
	case 0x0e: *v = cur_le(c, 8); return 1;
	}
	c->p--;
	return 0;
}

static void read_package(struct cursor *c, struct aml_obj *o)
{
	struct cursor body;
	unsigned int i;

	body.end = pkg_end(c);
	body.p = c->p;
	o->type = OBJ_PKG;
	o->nr_elems = cur_u8(&body);
	assert_true(o->nr_elems <= AML_MAX_ELEMS);
	for (i = 0; i < o->nr_elems; i++) {
		struct aml_elem *e = &o->elems[i];

		if (read_int(&body, &e->ival)) {
			e->type = OBJ_INT;
			continue;
		}
		/* A nested package of integers (as in _PRT). */
		assert_int_equal(cur_u8(&body), 0x12);
		{
			struct cursor sub;
			unsigned int j;

			sub.end = pkg_end(&body);
			sub.p = body.p;
			e->type = OBJ_PKG;
			e->nr_sub = cur_u8(&sub);
			assert_true(e->nr_sub <= 8);
			for (j = 0; j < e->nr_sub; j++)
				assert_true(read_int(&sub, &e->sub[j]));
			assert_ptr_equal(sub.p, sub.end);
			body.p = sub.end;
		}
	}
	/* NumElements matches the elements actually present. */
	assert_ptr_equal(body.p, body.end);
	c->p = body.end;
}

static void read_data(struct cursor *c, struct aml_obj *o)
{
	uint8_t op;

	if (read_int(c, &o->ival)) {
		o->type = OBJ_INT;
		return;
	}
	op = cur_u8(c);
	if (op == 0x0d) {			/* String */
		const uint8_t *s = c->p;

		while (cur_u8(c))
			;
		o->type = OBJ_STR;
		o->data = s;
		o->len = (size_t)(c->p - s - 1);
	} else if (op == 0x11) {		/* Buffer */
		struct cursor body;
		uint64_t size;

		body.end = pkg_end(c);
		body.p = c->p;
		assert_true(read_int(&body, &size));
		/* BufferSize equals the initializer length here. */
		assert_int_equal(size, (uint64_t)(body.end - body.p));
		o->type = OBJ_BUF;
		o->data = body.p;
		o->len = (size_t)size;
		c->p = body.end;
	} else if (op == 0x12) {		/* Package */
		read_package(c, o);
	} else {
		fail_msg("unexpected data opcode 0x%02x", op);
	}
}

static void parse_terms(struct cursor *c, const char *scope,
			struct aml_ns *ns)
{
	while (c->p < c->end) {
		uint8_t op = cur_u8(c);
		char path[64];
		struct cursor body;
		struct aml_obj *o;

		if (op == 0x08) {			/* Name */
			read_name(c, scope, path, sizeof(path));
			o = new_obj(ns, path, OBJ_INT);
			read_data(c, o);
		} else if (op == 0x10) {		/* Scope */
			body.end = pkg_end(c);
			body.p = c->p;
			read_name(&body, scope, path, sizeof(path));
			new_obj(ns, path, OBJ_SCOPE);
			parse_terms(&body, path, ns);
			c->p = body.end;
		} else if (op == 0x5b) {		/* ExtOp */
			assert_int_equal(cur_u8(c), 0x82);	/* Device */
			body.end = pkg_end(c);
			body.p = c->p;
			read_name(&body, scope, path, sizeof(path));
			new_obj(ns, path, OBJ_DEVICE);
			parse_terms(&body, path, ns);
			c->p = body.end;
		} else if (op == 0x14) {		/* Method */
			body.end = pkg_end(c);
			body.p = c->p;
			read_name(&body, scope, path, sizeof(path));
			o = new_obj(ns, path, OBJ_METHOD);
			o->ival = cur_u8(&body);	/* flags */
			o->data = body.p;
			o->len = (size_t)(body.end - body.p);
			c->p = body.end;
		} else {
			fail_msg("unexpected opcode 0x%02x", op);
		}
	}
	assert_ptr_equal(c->p, c->end);
}

void aml_parse(const uint8_t *aml, size_t len, struct aml_ns *ns)
{
	struct cursor c = { aml, aml + len };

	ns->nr = 0;
	parse_terms(&c, "", ns);
}

const struct aml_obj *aml_find(const struct aml_ns *ns, const char *path)
{
	unsigned int i;

	for (i = 0; i < ns->nr; i++)
		if (!strcmp(ns->objs[i].path, path))
			return &ns->objs[i];
	return NULL;
}

unsigned int res_split(const uint8_t *buf, size_t len, struct res_desc *out)
{
	const uint8_t *p = buf, *end = buf + len;
	unsigned int nr = 0;

	while (p < end) {
		uint8_t tag = *p;

		assert_true(nr < RES_MAX);
		if (tag & 0x80) {
			assert_true(end - p >= 3);
			out[nr].tag = tag;
			out[nr].len = (uint16_t)le(p + 1, 2);
			out[nr].body = p + 3;
			p += 3;
		} else {
			out[nr].tag = tag;
			out[nr].len = tag & 7;
			out[nr].body = p + 1;
			p += 1;
		}
		assert_true(out[nr].len <= (size_t)(end - p));
		p += out[nr].len;
		nr++;
		if ((tag & 0x80) == 0 && ((tag >> 3) & 0xf) == 0xf) {
			/* End Tag: the last descriptor */
			assert_int_equal(tag & 7, 1);
			assert_ptr_equal(p, end);
			return nr - 1;
		}
	}
	fail_msg("resource template without End Tag");
	return 0;
}
