// SPDX-License-Identifier: GPL-2.0-only
/* The directive records (IGVM_VHT_RANGE_DIRECTIVE, 0x301-0x400). */
#include <errno.h>
#include <stdlib.h>

#include "igvm/records.h"

/* Every platform @mask names has type @want. */
static int mask_only(struct igvm_parser *ps, uint32_t off, uint32_t type,
		     uint32_t mask, unsigned int want, const char *what)
{
	const struct igvm_file *f = ps->f;
	unsigned int i;

	for (i = 0; i < f->nr_platforms; i++) {
		if (!(f->platforms[i].mask & mask) || f->platforms[i].type == want)
			continue;
		igvm_rec_err(ps, off, type, "%s applies to the %s platform, which has none",
			     what, igvm_platform_name(f->platforms[i].type));
		return -EINVAL;
	}
	return 0;
}

static struct igvm_area_state *area_find(struct igvm_parser *ps, uint32_t index)
{
	unsigned int i;

	for (i = 0; i < ps->nr_areas; i++)
		if (ps->areas[i].index == index)
			return &ps->areas[i];
	return NULL;
}

/* The area @index, declared and not inserted yet. */
static struct igvm_area_state *area_open(struct igvm_parser *ps, uint32_t off,
					 uint32_t type, uint32_t index)
{
	struct igvm_area_state *a = area_find(ps, index);

	if (!a)
		igvm_rec_err(ps, off, type, "parameter area %u is not declared before it",
			     index);
	else if (a->inserted)
		igvm_rec_err(ps, off, type, "parameter area %u is already inserted", index);
	return a && !a->inserted ? a : NULL;
}

/* PARAMETER_AREA: size u64, index u32, file_offset u32 (0: zeros) */
int igvm_dec_area(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint64_t size = get_le64(r);
	uint32_t index = get_le32(r + 8), foff = get_le32(r + 12);
	const uint8_t *data = NULL;
	struct igvm_area_state *a;
	struct igvm_dir *d;
	int ret;

	if (!size || size % IGVM_PAGE_SIZE || size > IGVM_AREA_MAX) {
		igvm_rec_err(ps, off, type, "size 0x%llx is not a multiple of 4 KiB between "
			     "4 KiB and 16 MiB", (unsigned long long)size);
		return -EINVAL;
	}
	/* bounds the load's buffers and the linear area_find() walks too */
	if (size > IGVM_AREA_MAX - ps->area_bytes) {
		igvm_rec_err(ps, off, type, "the parameter areas would total more than "
			     "16 MiB (0x%llx bytes before this one)",
			     (unsigned long long)ps->area_bytes);
		return -EINVAL;
	}
	if (area_find(ps, index)) {
		igvm_rec_err(ps, off, type, "parameter area %u is declared twice", index);
		return -EINVAL;
	}
	if (foff) {
		ret = igvm_rec_data(ps, off, type, foff, size, &data);
		if (ret)
			return ret;
	}
	if (ps->nr_areas == ps->cap_areas) {
		unsigned int cap = ps->cap_areas ? 2 * ps->cap_areas : 8;

		a = realloc(ps->areas, cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		ps->areas = a;
		ps->cap_areas = cap;
	}
	ps->areas[ps->nr_areas++] = (struct igvm_area_state){ index, size, false };
	ps->area_bytes += size;
	d = igvm_rec_new_dir(ps, type, IGVM_MASK_ALL, off);
	if (!d)
		return -ENOMEM;
	d->u.area.size = size;
	d->u.area.index = index;
	d->u.area.data = data;
	return 0;
}

/* PAGE_DATA: gpa u64, mask u32, file_offset u32, flags u32, data_type u16, reserved u16 */
int igvm_dec_page(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint64_t gpa = get_le64(r);
	uint32_t mask = get_le32(r + 8), foff = get_le32(r + 12), flags = get_le32(r + 16);
	uint16_t dt = get_le16(r + 20);
	uint64_t size = flags & IGVM_PAGE_2MB ? IGVM_PAGE_2M : IGVM_PAGE_SIZE;
	const uint8_t *data = NULL;
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, mask);

	if (ret)
		return ret;
	if (flags & ~7u || dt > IGVM_PAGE_CPUID_XF || get_le16(r + 22)) {
		igvm_rec_err(ps, off, type, "flags 0x%x, data type %u or the reserved field "
			     "are not valid", flags, dt);
		return -EINVAL;
	}
	ret = igvm_rec_gpa(ps, off, type, gpa, size, size);
	if (ret)
		return ret;
	if (dt != IGVM_PAGE_NORMAL) {
		if (flags & IGVM_PAGE_2MB) {
			igvm_rec_err(ps, off, type, "a SECRETS or CPUID page cannot be 2 MiB");
			return -EINVAL;
		}
		ret = mask_only(ps, off, type, mask, IGVM_PLAT_SNP,
				dt == IGVM_PAGE_SECRETS ? "a SECRETS page" : "a CPUID page");
		if (ret)
			return ret;
	}
	if (foff && (flags & IGVM_PAGE_2MB)) {
		igvm_rec_err(ps, off, type, "a 2 MiB page with file data (not supported: "
			     "the igvm library reads 4 KiB of it, QEMU zero-fills the rest, "
			     "igvmmeasure stops)");
		return -EINVAL;
	}
	if (foff) {
		ret = igvm_rec_data(ps, off, type, foff, IGVM_PAGE_SIZE, &data);
		if (ret)
			return ret;
	}
	d = igvm_rec_new_dir(ps, type, mask, off);
	if (!d)
		return -ENOMEM;
	d->u.page.gpa = gpa;
	d->u.page.flags = flags;
	d->u.page.data_type = dt;
	d->u.page.data = data;
	return 0;
}

/* PARAMETER_INSERT: gpa u64, mask u32, index u32 */
int igvm_dec_insert(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint64_t gpa = get_le64(r);
	uint32_t mask = get_le32(r + 8), index = get_le32(r + 12);
	struct igvm_area_state *a;
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, mask);

	if (ret)
		return ret;
	a = area_open(ps, off, type, index);
	if (!a)
		return -EINVAL;
	ret = igvm_rec_gpa(ps, off, type, gpa, a->size, IGVM_PAGE_SIZE);
	if (ret)
		return ret;
	a->inserted = true;
	d = igvm_rec_new_dir(ps, type, mask, off);
	if (!d)
		return -ENOMEM;
	d->u.insert.gpa = gpa;
	d->u.insert.index = index;
	d->u.insert.size = a->size;
	return 0;
}

/* A native x86-64 context: 232 bytes, then zeros; attribute bits 11:8 clear. */
static int check_native(struct igvm_parser *ps, uint32_t off, uint32_t type,
			const uint8_t *data)
{
	unsigned int i;

	for (i = IGVM_NATIVE_CTX_LEN; i < IGVM_PAGE_SIZE; i++) {
		if (data[i]) {
			igvm_rec_err(ps, off, type, "native VP context: byte 0x%x past its "
				     "%u-byte structure is not zero", i, IGVM_NATIVE_CTX_LEN);
			return -EINVAL;
		}
	}
	if (get_le32(data + 0x9a) || (get_le16(data + 0xaa) & 0xf00) ||
	    (get_le16(data + 0xb6) & 0xf00)) {
		igvm_rec_err(ps, off, type, "native VP context: reserved bits are set");
		return -EINVAL;
	}
	return 0;
}

static int vp_data(struct igvm_parser *ps, uint32_t off, uint32_t type,
		   const struct igvm_platform *p, uint64_t gpa, uint32_t foff,
		   const uint8_t **data)
{
	int ret;

	switch (p->type) {
	case IGVM_PLAT_SNP:
	case IGVM_PLAT_SEV_ES:
		if (p->type == IGVM_PLAT_SNP && gpa != IGVM_SNP_VMSA_GPA) {
			igvm_rec_err(ps, off, type, "the SNP VMSA is at GPA 0x%llx, not at "
				     "KVM's fixed 0xFFFFFFFFF000", (unsigned long long)gpa);
			return -EINVAL;
		}
		break;
	case IGVM_PLAT_NATIVE:
	case IGVM_PLAT_SEV:
		if (gpa) {
			igvm_rec_err(ps, off, type, "a %s VP context has GPA 0x%llx, not 0",
				     igvm_platform_name(p->type), (unsigned long long)gpa);
			return -EINVAL;
		}
		break;
	case IGVM_PLAT_TDX:
		igvm_rec_err(ps, off, type, "TDX has no VP context (a TD starts from its "
			     "architectural reset state)");
		return -EINVAL;
	}
	if (!foff) {
		igvm_rec_err(ps, off, type, "the VP context has no data");
		return -EINVAL;
	}
	if (p->type == IGVM_PLAT_VSM) {
		/* VbsVpContextHeader {u32 count} and count 32-byte registers */
		ret = igvm_rec_data(ps, off, type, foff, 4, data);
		if (!ret)
			ret = igvm_rec_data(ps, off, type, foff,
					    4 + 32ULL * get_le32(*data), data);
		return ret;
	}
	ret = igvm_rec_data(ps, off, type, foff, IGVM_PAGE_SIZE, data);
	if (!ret && (p->type == IGVM_PLAT_NATIVE || p->type == IGVM_PLAT_SEV))
		ret = check_native(ps, off, type, *data);
	return ret;
}

/* VP_CONTEXT: gpa u64, mask u32, file_offset u32, vp_index u16, reserved u16 */
int igvm_dec_vp(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint64_t gpa = get_le64(r);
	uint32_t mask = get_le32(r + 8);
	const struct igvm_platform *p;
	const uint8_t *data;
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, mask);

	if (ret)
		return ret;
	p = igvm_platform_by_mask(ps->f, mask);
	if (!p || get_le16(r + 18)) {
		igvm_rec_err(ps, off, type, "compatibility mask 0x%x is not one platform's "
			     "(a VP context's format depends on it), or reserved is set", mask);
		return -EINVAL;
	}
	if (gpa % IGVM_PAGE_SIZE) {
		igvm_rec_err(ps, off, type, "GPA 0x%llx is not page aligned",
			     (unsigned long long)gpa);
		return -EINVAL;
	}
	ret = vp_data(ps, off, type, p, gpa, get_le32(r + 12), &data);
	if (ret)
		return ret;
	d = igvm_rec_new_dir(ps, type, mask, off);
	if (!d)
		return -ENOMEM;
	d->u.vp.gpa = gpa;
	d->u.vp.vp_index = get_le16(r + 16);
	d->u.vp.platform = p->type;
	d->u.vp.data = data;
	return 0;
}

/*
 * REQUIRED_MEMORY: gpa u64, mask u32, bytes u32, flags u32, reserved u32
 * ERROR_RANGE:     gpa u64, mask u32, bytes u32
 */
int igvm_dec_range(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint64_t gpa = get_le64(r);
	uint32_t mask = get_le32(r + 8), size = get_le32(r + 12), flags = 0;
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, mask);

	if (!ret)
		ret = igvm_rec_gpa(ps, off, type, gpa, size, IGVM_PAGE_SIZE);
	if (ret)
		return ret;
	if (type == IGVM_VHT_REQUIRED_MEMORY) {
		flags = get_le32(r + 16);
		if (flags & ~1u || get_le32(r + 20)) {
			igvm_rec_err(ps, off, type, "flags 0x%x or the reserved field are not "
				     "valid", flags);
			return -EINVAL;
		}
	}
	d = igvm_rec_new_dir(ps, type, mask, off);
	if (!d)
		return -ENOMEM;
	d->u.range.gpa = gpa;
	d->u.range.size = size;
	d->u.range.flags = flags;
	return 0;
}

/* IGVM_VHS_PARAMETER: index u32, byte_offset u32 */
int igvm_dec_param(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	uint32_t index = get_le32(r), offset = get_le32(r + 4), need = 1;
	struct igvm_area_state *a = area_open(ps, off, type, index);
	struct igvm_dir *d;

	if (!a)
		return -EINVAL;
	if (type == IGVM_VHT_VP_COUNT || type == IGVM_VHT_ENVIRONMENT_INFO)
		need = 4;
	else if (type == IGVM_VHT_MEMORY_MAP)
		need = IGVM_MEM_ENTRY_LEN;
	if (offset > a->size || need > a->size - offset) {
		igvm_rec_err(ps, off, type, "offset 0x%x leaves no room for it in the "
			     "0x%llx-byte parameter area %u", offset,
			     (unsigned long long)a->size, index);
		return -EINVAL;
	}
	d = igvm_rec_new_dir(ps, type, IGVM_MASK_ALL, off);
	if (!d)
		return -ENOMEM;
	d->u.param.index = index;
	d->u.param.offset = offset;
	return 0;
}

/* SNP_ID_BLOCK: mask u32, author_key_enabled u8, reserved[3], ... (696 bytes) */
int igvm_dec_id_block(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		      uint32_t off)
{
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));

	if (!ret)
		ret = mask_only(ps, off, type, get_le32(r), IGVM_PLAT_SNP, "an SNP ID block");
	if (ret)
		return ret;
	if (r[4] > 1 || r[5] || r[6] || r[7]) {
		igvm_rec_err(ps, off, type, "author_key_enabled %u or the reserved bytes are "
			     "not valid", r[4]);
		return -EINVAL;
	}
	d = igvm_rec_new_dir(ps, type, get_le32(r), off);
	if (!d)
		return -ENOMEM;
	d->u.raw = r;
	return 0;
}

/* VBS_MEASUREMENT: mask u32, ... (864 bytes); kept as is (VSM only). */
int igvm_dec_vbs(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off)
{
	struct igvm_dir *d;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));

	if (ret)
		return ret;
	d = igvm_rec_new_dir(ps, type, get_le32(r), off);
	if (!d)
		return -ENOMEM;
	d->u.raw = r;
	return 0;
}
