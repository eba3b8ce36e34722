// SPDX-License-Identifier: GPL-2.0-only
/* igvm_load_build(): one platform of a file as ordered load operations. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/load.h"
#include "igvm/load_internal.h"
#include "measure/snp.h"

int igvm_load_keep(struct igvm_load *l, void *buf)
{
	uint8_t **n = realloc(l->bufs, (l->nr_bufs + 1) * sizeof(*n));

	if (!n) {
		free(buf);
		return -ENOMEM;
	}
	l->bufs = n;
	l->bufs[l->nr_bufs++] = buf;
	return 0;
}

static struct igvm_op *op_new(struct igvm_builder *b, unsigned int dir)
{
	struct igvm_load *l = b->l;

	if (l->nr_ops == b->cap_ops) {
		unsigned int cap = b->cap_ops ? 2 * b->cap_ops : 64;
		struct igvm_op *o = realloc(l->ops, cap * sizeof(*o));
		unsigned int *fd = realloc(b->first_dir, cap * sizeof(*fd));

		if (o)
			l->ops = o;
		if (fd)
			b->first_dir = fd;
		if (!o || !fd)
			return NULL;
		b->cap_ops = cap;
	}
	b->first_dir[l->nr_ops] = dir;
	memset(&l->ops[l->nr_ops], 0, sizeof(l->ops[0]));
	return &l->ops[l->nr_ops++];
}

/* The SNP type, kind and flags of one PAGE_DATA page (QEMU's rules). */
static void classify(const struct igvm_dir *d, enum igvm_zero_pages zero, struct igvm_op *o)
{
	memset(o, 0, sizeof(*o));
	o->gpa = d->u.page.gpa;
	o->len = d->u.page.flags & IGVM_PAGE_2MB ? IGVM_PAGE_2M : IGVM_PAGE_SIZE;
	o->shared = d->u.page.flags & IGVM_PAGE_SHARED;
	o->off = d->off;
	switch (d->u.page.data_type) {
	case IGVM_PAGE_SECRETS:
		o->kind = IGVM_OP_SECRETS;
		o->snp_type = SNP_PAGE_SECRETS;
		return;
	case IGVM_PAGE_CPUID:
	case IGVM_PAGE_CPUID_XF:
		o->kind = IGVM_OP_CPUID;
		o->snp_type = SNP_PAGE_CPUID;
		return;
	}
	o->kind = d->u.page.data ? IGVM_OP_DATA : IGVM_OP_ZERO;
	o->measured = !(d->u.page.flags & IGVM_PAGE_UNMEASURED);
	if (!o->measured)
		o->snp_type = SNP_PAGE_UNMEASURED;
	else if (!d->u.page.data && zero == IGVM_ZERO_AS_ZERO)
		o->snp_type = SNP_PAGE_ZERO;
	else
		o->snp_type = SNP_PAGE_NORMAL;
}

static bool extends(const struct igvm_op *last, const struct igvm_op *o)
{
	return (o->kind == IGVM_OP_DATA || o->kind == IGVM_OP_ZERO) &&
	       last->kind == o->kind && last->snp_type == o->snp_type &&
	       last->shared == o->shared && last->measured == o->measured &&
	       last->gpa + last->len == o->gpa;
}

static int add_page(struct igvm_builder *b, const struct igvm_dir *d, unsigned int i)
{
	struct igvm_load *l = b->l;
	struct igvm_op page, *o;
	uint8_t *copy;

	classify(d, l->zero, &page);
	if (l->nr_ops && b->last_page_dir + 1 == i && extends(&l->ops[l->nr_ops - 1], &page)) {
		l->ops[l->nr_ops - 1].len += page.len;
		b->last_page_dir = i;
		return 0;
	}
	o = op_new(b, i);
	if (!o)
		return -ENOMEM;
	*o = page;
	b->last_page_dir = i;
	if (page.kind != IGVM_OP_CPUID || !d->u.page.data)
		return 0;
	copy = malloc(IGVM_PAGE_SIZE);		/* the file's CPUID template */
	if (!copy)
		return -ENOMEM;
	memcpy(copy, d->u.page.data, IGVM_PAGE_SIZE);
	o->data = copy;
	return igvm_load_keep(l, copy);
}

/* Second pass: gather each DATA op's pages into one buffer. */
static int gather_data(struct igvm_builder *b)
{
	const struct igvm_file *f = b->f;
	struct igvm_load *l = b->l;
	unsigned int i, j;

	for (i = 0; i < l->nr_ops; i++) {
		struct igvm_op *o = &l->ops[i];
		uint8_t *buf;
		uint64_t done;

		if (o->kind != IGVM_OP_DATA)
			continue;
		buf = malloc(o->len);
		if (!buf)
			return -ENOMEM;
		for (done = 0, j = b->first_dir[i]; done < o->len; j++, done += IGVM_PAGE_SIZE)
			memcpy(buf + done, f->dirs[j].u.page.data, IGVM_PAGE_SIZE);
		o->data = buf;
		if (igvm_load_keep(l, buf))
			return -ENOMEM;
	}
	return 0;
}

static int add_insert(struct igvm_builder *b, const struct igvm_dir *d, unsigned int i)
{
	struct igvm_op *o;
	uint8_t *area = igvm_area_get(b, d->u.insert.index);

	if (!area)
		return -EINVAL;		/* cannot happen: igvm_parse() checked it */
	o = op_new(b, i);
	if (!o)
		return -ENOMEM;
	o->gpa = d->u.insert.gpa;
	o->len = d->u.insert.size;
	o->kind = IGVM_OP_PARAM;
	o->snp_type = SNP_PAGE_UNMEASURED;
	o->data = area;
	o->off = d->off;
	return 0;
}

static int add_range(struct igvm_load *l, const struct igvm_dir *d)
{
	bool req = d->type == IGVM_VHT_REQUIRED_MEMORY;
	unsigned int *nr = req ? &l->nr_required : &l->nr_error;
	struct igvm_range **arr = req ? &l->required : &l->error;
	struct igvm_range *n = realloc(*arr, (*nr + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	*arr = n;
	n[*nr] = (struct igvm_range){ d->u.range.gpa, d->u.range.size, d->u.range.flags,
				      d->off };
	(*nr)++;
	return 0;
}

static int add_dir(struct igvm_builder *b, const struct igvm_dir *d, unsigned int i)
{
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		return add_page(b, d, i);
	case IGVM_VHT_PARAMETER_AREA:
		return igvm_area_new(b, d);
	case IGVM_VHT_PARAMETER_INSERT:
		return add_insert(b, d, i);
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_ERROR_RANGE:
		return add_range(b->l, d);
	case IGVM_VHT_VP_CONTEXT:
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT:
		return 0;
	}
	return igvm_param_fill(b, d);
}

static int walk(struct igvm_builder *b)
{
	const struct igvm_file *f = b->f;
	unsigned int i;
	int ret;

	b->last_page_dir = ~0u;
	for (i = 0; i < f->nr_dirs; i++) {
		if (!(f->dirs[i].mask & b->l->platform->mask))
			continue;
		ret = add_dir(b, &f->dirs[i], i);
		if (ret)
			return ret;
	}
	return gather_data(b);
}

static void settings(const struct igvm_file *f, struct igvm_load *l)
{
	l->have_policy = !igvm_guest_policy(f, l->platform, &l->policy);
	l->have_id_block = !igvm_snp_id_block(f, l->platform, &l->id_block);
}

int igvm_load_build(const struct igvm_file *f, const struct igvm_platform *p,
		    const struct igvm_host *host, enum igvm_zero_pages zero,
		    bool any_vmsa, struct igvm_load **out, struct err_msg *err)
{
	struct igvm_builder b = { .f = f, .host = host, .err = err };
	struct igvm_load *l = calloc(1, sizeof(*l));
	int ret;

	*out = NULL;
	if (!l)
		return -ENOMEM;
	l->platform = p;
	l->zero = zero;
	b.l = l;
	settings(f, l);
	ret = walk(&b);
	if (!ret)
		ret = igvm_load_vcpus(&b, any_vmsa);
	free(b.first_dir);
	free(b.areas);
	if (ret) {
		if (ret == -ENOMEM)
			err_set(err, "out of memory");
		igvm_load_free(l);
		return ret;
	}
	*out = l;
	return 0;
}

void igvm_load_free(struct igvm_load *l)
{
	unsigned int i;

	if (!l)
		return;
	for (i = 0; i < l->nr_bufs; i++)
		free(l->bufs[i]);
	free(l->bufs);
	free(l->ops);
	free(l->vmsas);
	free(l->required);
	free(l->error);
	free(l);
}
