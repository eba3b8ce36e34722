// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parameter areas filled with the host's values, and the vCPU contexts of
 * a load.  Layouts: a u32 for VP_COUNT and ENVIRONMENT_INFO, a NUL-ended
 * string for COMMAND_LINE, IGVM_VHS_MEMORY_MAP_ENTRY {u64 first page, u64
 * pages, u16 type, u16 flags, u32 reserved} sorted by address for
 * MEMORY_MAP (gpa and size truncated to pages, as QEMU does).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/igvm_internal.h"
#include "igvm/load_internal.h"
#include "measure/vmsa.h"

int igvm_area_new(struct igvm_builder *b, const struct igvm_dir *d)
{
	struct igvm_area_buf *n = realloc(b->areas, (b->nr_areas + 1) * sizeof(*n));
	uint8_t *buf;

	if (!n)
		return -ENOMEM;
	b->areas = n;
	buf = calloc(1, d->u.area.size);
	if (!buf)
		return -ENOMEM;
	if (d->u.area.data)
		memcpy(buf, d->u.area.data, d->u.area.size);
	if (igvm_load_keep(b->l, buf))
		return -ENOMEM;
	n[b->nr_areas++] = (struct igvm_area_buf){ d->u.area.index, d->u.area.size, buf };
	return 0;
}

static struct igvm_area_buf *area_find(struct igvm_builder *b, uint32_t index)
{
	unsigned int i;

	for (i = 0; i < b->nr_areas; i++)
		if (b->areas[i].index == index)
			return &b->areas[i];
	return NULL;
}

uint8_t *igvm_area_get(struct igvm_builder *b, uint32_t index)
{
	struct igvm_area_buf *a = area_find(b, index);

	return a ? a->buf : NULL;
}

static int mem_cmp(const void *x, const void *y)
{
	const struct igvm_mem_entry *a = x, *b = y;

	return a->gpa < b->gpa ? -1 : a->gpa > b->gpa;
}

static int fill_memory_map(struct igvm_builder *b, const struct igvm_dir *d,
			   uint8_t *p, uint64_t room)
{
	const struct igvm_host *h = b->host;
	struct igvm_mem_entry *sorted;
	unsigned int i;

	if ((uint64_t)h->nr_mem * IGVM_MEM_ENTRY_LEN > room) {
		err_set(b->err, "header at 0x%x (MEMORY_MAP): %u memory-map entries do "
			     "not fit the %llu bytes of parameter area %u", d->off, h->nr_mem,
			     (unsigned long long)room, d->u.param.index);
		return -EINVAL;
	}
	sorted = malloc((h->nr_mem ? h->nr_mem : 1) * sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	if (h->nr_mem)
		memcpy(sorted, h->mem, h->nr_mem * sizeof(*sorted));
	qsort(sorted, h->nr_mem, sizeof(*sorted), mem_cmp);
	for (i = 0; i < h->nr_mem; i++, p += IGVM_MEM_ENTRY_LEN) {
		memset(p, 0, IGVM_MEM_ENTRY_LEN);
		put_le(p, sorted[i].gpa / IGVM_PAGE_SIZE, 8);
		put_le(p + 8, sorted[i].len / IGVM_PAGE_SIZE, 8);
		put_le(p + 16, sorted[i].type, 2);
	}
	free(sorted);
	return 0;
}

static int fill_cmdline(struct igvm_builder *b, const struct igvm_dir *d, uint8_t *p,
			uint64_t room)
{
	const char *s = b->host->cmdline ? b->host->cmdline : "";
	size_t n = strlen(s) + 1;

	if (n > room) {
		err_set(b->err, "header at 0x%x (COMMAND_LINE): the command line (%zu "
			     "bytes with its NUL) does not fit the %llu bytes left in "
			     "parameter area %u", d->off, n, (unsigned long long)room,
			     d->u.param.index);
		return -EINVAL;
	}
	memcpy(p, s, n);
	return 0;
}

int igvm_param_fill(struct igvm_builder *b, const struct igvm_dir *d)
{
	struct igvm_area_buf *a = area_find(b, d->u.param.index);
	uint8_t *p;

	if (!b->host)
		return 0;		/* measurement only: parameters are unmeasured */
	if (!a)
		return -EINVAL;		/* cannot happen: igvm_parse() checked it */
	p = a->buf + d->u.param.offset;
	switch (d->type) {
	case IGVM_VHT_VP_COUNT:
		put_le(p, b->host->vp_count, 4);
		return 0;
	case IGVM_VHT_ENVIRONMENT_INFO:
		put_le(p, b->host->memory_is_shared ? 1 : 0, 4);
		return 0;
	case IGVM_VHT_MEMORY_MAP:
		return fill_memory_map(b, d, p, a->size - d->u.param.offset);
	case IGVM_VHT_COMMAND_LINE:
		return fill_cmdline(b, d, p, a->size - d->u.param.offset);
	}
	err_set(b->err, "header at 0x%x (%s): the file asks for a parameter cvmm does "
		     "not provide", d->off, igvm_vht_name(d->type));
	return -EINVAL;
}

/*
 * The VP contexts of the load's platform by vCPU index, in one pass (not
 * igvm_vp_context() per vCPU: quadratic in a file of 65536 contexts).
 * igvm_vp_count() said they are vCPUs 0..@n-1, each once.
 */
static const struct igvm_dir **vp_index(const struct igvm_builder *b, unsigned int n)
{
	const struct igvm_dir **vp = calloc(n, sizeof(*vp));
	unsigned int i;

	for (i = 0; vp && i < b->f->nr_dirs; i++) {
		const struct igvm_dir *d = &b->f->dirs[i];

		if (d->type == IGVM_VHT_VP_CONTEXT && d->mask == b->l->platform->mask &&
		    d->u.vp.vp_index < n)
			vp[d->u.vp.vp_index] = d;
	}
	return vp;
}

static int snp_vmsas(struct igvm_builder *b, const struct igvm_dir **vp, unsigned int n,
		     bool any_vmsa)
{
	struct igvm_load *l = b->l;
	struct vmsa_state s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct igvm_dir *d = vp[i];

		if (!d)
			return -EINVAL;		/* cannot happen: igvm_vp_count() */
		memcpy(l->vmsas[i], d->u.vp.data, IGVM_PAGE_SIZE);
		l->nr_vmsas++;
		if (!any_vmsa && igvm_vmsa_decode(l->vmsas[i], &s, b->err)) {
			char why[sizeof(b->err->msg)];

			memcpy(why, b->err->msg, sizeof(why));
			err_set(b->err, "header at 0x%x (VP_CONTEXT) of vCPU %u: %.200s",
				     d->off, i, why);
			return -EINVAL;
		}
		if (i && igvm_vmsa_sev_features(l->vmsas[i]) != l->sev_features) {
			err_set(b->err, "the VMSAs of vCPU 0 and vCPU %u have different "
				     "SEV_FEATURES (KVM_SEV_INIT2 takes one value)", i);
			return -EINVAL;
		}
		l->sev_features = igvm_vmsa_sev_features(l->vmsas[i]);
	}
	return 0;
}

static int snp_vcpus(struct igvm_builder *b, unsigned int n, bool any_vmsa)
{
	struct igvm_load *l = b->l;
	const struct igvm_dir **vp;
	int ret;

	if (!n) {
		err_set(b->err, "platform snp: no VP context for vCPU 0 (an SNP launch "
			     "needs its VMSA)");
		return -EINVAL;
	}
	l->vmsas = malloc(n * sizeof(*l->vmsas));
	vp = vp_index(b, n);
	ret = l->vmsas && vp ? snp_vmsas(b, vp, n, any_vmsa) : -ENOMEM;
	free(vp);
	return ret;
}

int igvm_load_vcpus(struct igvm_builder *b, bool any_vmsa)
{
	struct igvm_load *l = b->l;
	unsigned int n;
	int ret = igvm_vp_count(b->f, l->platform, &n, b->err);

	if (ret)
		return ret;
	switch (l->platform->type) {
	case IGVM_PLAT_SNP:
		return snp_vcpus(b, n, any_vmsa);
	case IGVM_PLAT_NATIVE:
		if (n > 1) {
			err_set(b->err, "platform native: VP contexts for %u vCPUs (only "
				     "the boot vCPU's is used, as in QEMU)", n);
			return -EINVAL;
		}
		if (n) {
			igvm_native_decode(igvm_vp_context(b->f, l->platform, 0)->u.vp.data,
					   &l->native_ctx);
			l->have_native_ctx = true;
		}
		return 0;
	case IGVM_PLAT_TDX:
		return 0;
	}
	err_set(b->err, "platform %s cannot be loaded by cvmm",
		     igvm_platform_name(l->platform->type));
	return -EINVAL;
}

int igvm_load_add_vmsa(struct igvm_load *l, const uint8_t page[4096])
{
	uint8_t (*n)[4096] = realloc(l->vmsas, (l->nr_vmsas + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	l->vmsas = n;
	memcpy(l->vmsas[l->nr_vmsas++], page, 4096);
	return 0;
}
