// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coco/fw/td_hob.h"
#include "util/bytes.h"

struct ram_entry {
	uint64_t start, len;
	int accepted;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct ram_entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Split the accepted range [start, start + len) out of the RAM entry holding it. */
static int accept_range(struct ram_entry *e, unsigned int *n, unsigned int max,
			uint64_t start, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < *n; i++) {
		struct ram_entry old = e[i];
		uint64_t end = start + len, oend = old.start + old.len;

		if (start < old.start || end > oend)
			continue;
		if (old.accepted)
			return -EINVAL;
		if (*n + 2 > max)
			return -ENOSPC;
		e[i] = (struct ram_entry){ start, len, 1 };
		if (start > old.start)
			e[(*n)++] = (struct ram_entry){ old.start, start - old.start, 0 };
		if (end < oend)
			e[(*n)++] = (struct ram_entry){ end, oend - end, 0 };
		return 0;
	}
	return -EINVAL;
}

int td_hob_build(const struct td_ram_range *ram, unsigned int nr_ram,
		 const struct tdvf *v, uint8_t *out, size_t out_len, size_t *used,
		 struct err_msg *err)
{
	const struct tdvf_section *hob = NULL;
	unsigned int i, n = 0, max = nr_ram + 2 * v->n;
	struct ram_entry *e;
	size_t need, pos;
	int ret = -EINVAL;

	for (i = 0; i < v->n; i++) {
		if (v->s[i].type != TDVF_SECTION_TD_HOB)
			continue;
		if (hob) {
			err_set(err, "TDVF metadata has more than one TD_HOB section");
			return -EINVAL;
		}
		hob = &v->s[i];
	}
	if (!hob) {
		err_set(err, "TDVF metadata has no TD_HOB section");
		return -EINVAL;
	}
	e = calloc(max ? max : 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	for (i = 0; i < nr_ram; i++)
		if (ram[i].len)
			e[n++] = (struct ram_entry){ ram[i].start, ram[i].len, 0 };
	for (i = 0; i < v->n; i++) {
		const struct tdvf_section *s = &v->s[i];

		if (s->type != TDVF_SECTION_TD_HOB && s->type != TDVF_SECTION_TEMP_MEM)
			continue;
		if (accept_range(e, &n, max, s->addr, s->size)) {
			err_set(err, "TDVF section %u (%s at 0x%llx, 0x%llx bytes) is "
				"not inside guest RAM", i, tdvf_section_name(s->type),
				(unsigned long long)s->addr,
				(unsigned long long)s->size);
			goto out;
		}
	}
	qsort(e, n, sizeof(*e), cmp_entry);

	need = TD_HOB_PHIT_LEN + (size_t)n * TD_HOB_RESOURCE_LEN + TD_HOB_END_LEN;
	if (need > out_len) {
		err_set(err, "the TD HOB (%zu bytes) does not fit the 0x%zx-byte "
			"TD_HOB section", need, out_len);
		goto out;
	}
	memset(out, 0, out_len);
	put_le(out, EFI_HOB_TYPE_HANDOFF, 2);
	put_le(out + 2, TD_HOB_PHIT_LEN, 2);
	put_le(out + 8, EFI_HOB_HANDOFF_TABLE_VERSION, 4);
	/* boot mode and the four memory fields stay 0 */
	put_le(out + 48, hob->addr + need, 8);	/* EfiEndOfHobList */
	pos = TD_HOB_PHIT_LEN;
	for (i = 0; i < n; i++, pos += TD_HOB_RESOURCE_LEN) {
		uint8_t *r = out + pos;

		put_le(r, EFI_HOB_TYPE_RESOURCE_DESCRIPTOR, 2);
		put_le(r + 2, TD_HOB_RESOURCE_LEN, 2);
		/* owner GUID (r + 8) is zero */
		put_le(r + 24, e[i].accepted ? EFI_RESOURCE_SYSTEM_MEMORY :
			       EFI_RESOURCE_MEMORY_UNACCEPTED, 4);
		put_le(r + 28, EFI_RESOURCE_ATTR_TDVF, 4);
		put_le(r + 32, e[i].start, 8);
		put_le(r + 40, e[i].len, 8);
	}
	put_le(out + pos, EFI_HOB_TYPE_END_OF_HOB_LIST, 2);
	put_le(out + pos + 2, TD_HOB_END_LEN, 2);
	*used = need;
	ret = 0;
out:
	free(e);
	return ret;
}
