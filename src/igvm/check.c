// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules that need the whole file, checked for every declared platform:
 * at most one GUEST_POLICY and SNP_ID_BLOCK, one VP context per vCPU, and
 * no page loaded twice (PAGE_DATA and PARAMETER_INSERT ranges: an SNP page
 * cannot be launched twice, and on any platform the second load would
 * silently overwrite the first).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/igvm_internal.h"

struct load_range {
	uint64_t start, end;
	uint32_t off;
};

static int range_cmp(const void *a, const void *b)
{
	const struct load_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static unsigned int collect(const struct igvm_file *f, uint32_t mask,
			    struct load_range *r)
{
	unsigned int i, n = 0;

	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];

		if (!(d->mask & mask))
			continue;
		if (d->type == IGVM_VHT_PAGE_DATA) {
			r[n].start = d->u.page.gpa;
			r[n].end = d->u.page.gpa + (d->u.page.flags & IGVM_PAGE_2MB ?
						    IGVM_PAGE_2M : IGVM_PAGE_SIZE);
		} else if (d->type == IGVM_VHT_PARAMETER_INSERT) {
			r[n].start = d->u.insert.gpa;
			r[n].end = d->u.insert.gpa + d->u.insert.size;
		} else {
			continue;
		}
		r[n++].off = d->off;
	}
	return n;
}

static int check_overlaps(struct igvm_parser *ps, const struct igvm_platform *p,
			  struct load_range *r)
{
	unsigned int i, n = collect(ps->f, p->mask, r);

	qsort(r, n, sizeof(*r), range_cmp);
	for (i = 1; i < n; i++) {
		if (r[i].start < r[i - 1].end) {
			err_set(ps->err, "platform %s: the headers at 0x%x and 0x%x both "
				     "load GPA 0x%llx", igvm_platform_name(p->type),
				     r[i - 1].off, r[i].off, (unsigned long long)r[i].start);
			return -EINVAL;
		}
		/* keep the furthest end so a long range covers the later short ones */
		if (r[i].end < r[i - 1].end)
			r[i].end = r[i - 1].end;
	}
	return 0;
}

static int check_policy(struct igvm_parser *ps, const struct igvm_platform *p)
{
	const struct igvm_file *f = ps->f;
	uint32_t first = 0;
	unsigned int i;

	for (i = 0; i < f->nr_inits; i++) {
		const struct igvm_init *n = &f->inits[i];

		if (n->type != IGVM_VHT_GUEST_POLICY || !(n->mask & p->mask))
			continue;
		if (first) {
			err_set(ps->err, "platform %s: GUEST_POLICY at 0x%x and at 0x%x",
				     igvm_platform_name(p->type), first, n->off);
			return -EINVAL;
		}
		first = n->off;
	}
	return 0;
}

/* One SNP_ID_BLOCK, one VP context per vCPU (@seen: a 64 Ki-bit map). */
static int check_once(struct igvm_parser *ps, const struct igvm_platform *p,
		      uint8_t *seen)
{
	const struct igvm_file *f = ps->f;
	uint32_t first_id = 0;
	unsigned int i;

	memset(seen, 0, 65536 / 8);
	for (i = 0; i < f->nr_dirs; i++) {
		const struct igvm_dir *d = &f->dirs[i];
		unsigned int vp = d->u.vp.vp_index;

		if (!(d->mask & p->mask) || d->mask == IGVM_MASK_ALL)
			continue;
		if (d->type == IGVM_VHT_SNP_ID_BLOCK) {
			if (first_id) {
				err_set(ps->err, "platform %s: SNP_ID_BLOCK at 0x%x and "
					     "at 0x%x", igvm_platform_name(p->type),
					     first_id, d->off);
				return -EINVAL;
			}
			first_id = d->off;
		}
		if (d->type != IGVM_VHT_VP_CONTEXT)
			continue;
		if (seen[vp / 8] & (1u << (vp % 8))) {
			err_set(ps->err, "platform %s: a second VP context for vCPU %u "
				     "(at 0x%x)", igvm_platform_name(p->type), vp, d->off);
			return -EINVAL;
		}
		seen[vp / 8] |= (uint8_t)(1u << (vp % 8));
	}
	return 0;
}

int igvm_check_platforms(struct igvm_parser *ps)
{
	const struct igvm_file *f = ps->f;
	uint8_t seen[65536 / 8];
	struct load_range *r;
	unsigned int i;
	int ret = 0;

	if (!f->nr_platforms) {
		err_set(ps->err, "the file declares no platform");
		return -EINVAL;
	}
	r = malloc((f->nr_dirs ? f->nr_dirs : 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (i = 0; i < f->nr_platforms && !ret; i++) {
		ret = check_policy(ps, &f->platforms[i]);
		if (!ret)
			ret = check_once(ps, &f->platforms[i], seen);
		if (!ret)
			ret = check_overlaps(ps, &f->platforms[i], r);
	}
	free(r);
	return ret;
}
