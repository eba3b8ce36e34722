// SPDX-License-Identifier: GPL-2.0-only
/*
 * Record dispatch, the platform record and the initialization records.
 * Layouts are igvm_defs' IGVM_VHS_* structures; every known record must
 * have exactly its structure's length.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvm/records.h"

void igvm_rec_err(struct igvm_parser *ps, uint32_t off, uint32_t type,
		  const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(ps->err, "header at 0x%x (%s): %s", off, igvm_vht_name(type), msg);
}

int igvm_rec_mask(struct igvm_parser *ps, uint32_t off, uint32_t type, uint32_t mask)
{
	if (!mask) {
		igvm_rec_err(ps, off, type, "its compatibility mask is 0");
		return -EINVAL;
	}
	if (mask & ~ps->declared) {
		igvm_rec_err(ps, off, type, "compatibility mask 0x%x names a platform the "
			     "file does not declare (declared: 0x%x)", mask, ps->declared);
		return -EINVAL;
	}
	return 0;
}

int igvm_rec_data(struct igvm_parser *ps, uint32_t off, uint32_t type,
		  uint32_t file_off, uint64_t len, const uint8_t **data)
{
	const struct igvm_file *f = ps->f;

	if (file_off < f->data_off || file_off > f->len || len > f->len - file_off) {
		igvm_rec_err(ps, off, type, "its 0x%llx bytes of data at file offset 0x%x "
			     "are outside the file data (0x%x-0x%zx)", (unsigned long long)len,
			     file_off, f->data_off, f->len);
		return -EINVAL;
	}
	*data = f->buf + file_off;
	return 0;
}

int igvm_rec_gpa(struct igvm_parser *ps, uint32_t off, uint32_t type, uint64_t gpa,
		 uint64_t len, uint64_t align)
{
	if (gpa % align) {
		igvm_rec_err(ps, off, type, "GPA 0x%llx is not aligned to 0x%llx",
			     (unsigned long long)gpa, (unsigned long long)align);
		return -EINVAL;
	}
	if (!len || len % IGVM_PAGE_SIZE) {
		igvm_rec_err(ps, off, type, "size 0x%llx is not a non-zero multiple of 4 KiB",
			     (unsigned long long)len);
		return -EINVAL;
	}
	if (gpa >= IGVM_GPA_LIMIT || len > IGVM_GPA_LIMIT - gpa) {
		igvm_rec_err(ps, off, type, "GPA 0x%llx + 0x%llx is beyond the 52-bit "
			     "physical address space", (unsigned long long)gpa,
			     (unsigned long long)len);
		return -EINVAL;
	}
	return 0;
}

static void *grow(void *arr, unsigned int nr, unsigned int *cap, size_t size)
{
	unsigned int ncap;
	void *n;

	if (nr < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 64;
	n = realloc(arr, (size_t)ncap * size);
	if (n)
		*cap = ncap;
	return n;
}

struct igvm_dir *igvm_rec_new_dir(struct igvm_parser *ps, uint32_t type,
				  uint32_t mask, uint32_t off)
{
	struct igvm_file *f = ps->f;
	struct igvm_dir *n = grow(f->dirs, f->nr_dirs, &ps->cap_dirs, sizeof(*n));

	if (!n)
		return NULL;
	f->dirs = n;
	n = &f->dirs[f->nr_dirs++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->mask = mask;
	n->off = off;
	return n;
}

static struct igvm_init *new_init(struct igvm_parser *ps, uint32_t type,
				  uint32_t mask, uint32_t off)
{
	struct igvm_file *f = ps->f;
	struct igvm_init *n = grow(f->inits, f->nr_inits, &ps->cap_inits, sizeof(*n));

	if (!n)
		return NULL;
	f->inits = n;
	n = &f->inits[f->nr_inits++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->mask = mask;
	n->off = off;
	return n;
}

/* SUPPORTED_PLATFORM: mask u32, highest_vtl u8, type u8, version u16, boundary u64 */
static int dec_platform(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
			uint32_t off)
{
	struct igvm_file *f = ps->f;
	struct igvm_platform p = {
		.mask = get_le32(r), .highest_vtl = r[4], .type = r[5],
		.version = get_le16(r + 6), .shared_gpa_boundary = get_le64(r + 8),
	};

	if (__builtin_popcount(p.mask) != 1 || (p.mask & ps->declared)) {
		igvm_rec_err(ps, off, type, "compatibility mask 0x%x is not one bit of its "
			     "own", p.mask);
		return -EINVAL;
	}
	if (p.type > IGVM_PLAT_CCA) {
		igvm_rec_err(ps, off, type, "platform type %u is unknown", p.type);
		return -EINVAL;
	}
	if (igvm_platform_find(f, p.type)) {
		igvm_rec_err(ps, off, type, "platform %s is declared twice",
			     igvm_platform_name(p.type));
		return -EINVAL;
	}
	if (p.version != 1) {
		igvm_rec_err(ps, off, type, "%s platform version %u is not 1",
			     igvm_platform_name(p.type), p.version);
		return -EINVAL;
	}
	if (p.highest_vtl != 0 && p.highest_vtl != 2) {
		igvm_rec_err(ps, off, type, "highest VTL %u is neither 0 nor 2", p.highest_vtl);
		return -EINVAL;
	}
	if ((p.type == IGVM_PLAT_NATIVE || p.type == IGVM_PLAT_VSM) &&
	    p.shared_gpa_boundary) {
		igvm_rec_err(ps, off, type, "a %s platform has a shared-GPA boundary",
			     igvm_platform_name(p.type));
		return -EINVAL;
	}
	f->platforms[f->nr_platforms++] = p;
	ps->declared |= p.mask;
	return 0;
}

/* GUEST_POLICY: policy u64, mask u32, reserved u32 */
static int dec_policy(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		      uint32_t off)
{
	struct igvm_init *n;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r + 8));

	if (ret)
		return ret;
	if (get_le32(r + 12)) {
		igvm_rec_err(ps, off, type, "reserved field is not zero");
		return -EINVAL;
	}
	n = new_init(ps, type, get_le32(r + 8), off);
	if (!n)
		return -ENOMEM;
	n->u.policy = get_le64(r);
	return 0;
}

/* RELOCATABLE_REGION: mask, vp u16, vtl u8, flags u8, align, gpa, size, min, max */
static int dec_reloc(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		     uint32_t off)
{
	uint64_t align = get_le64(r + 8), gpa = get_le64(r + 16);
	uint64_t size = get_le64(r + 24), min = get_le64(r + 32), max = get_le64(r + 40);
	struct igvm_init *n;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));

	if (ret)
		return ret;
	if (!align || align % IGVM_PAGE_SIZE || r[7] & ~7u) {
		igvm_rec_err(ps, off, type, "alignment 0x%llx or flags 0x%x are invalid",
			     (unsigned long long)align, r[7]);
		return -EINVAL;
	}
	ret = igvm_rec_gpa(ps, off, type, gpa, size, align);
	if (ret)
		return ret;
	if (min % align || max % align || min > gpa || gpa > max) {
		igvm_rec_err(ps, off, type, "relocation bounds 0x%llx-0x%llx do not hold "
			     "GPA 0x%llx at the alignment", (unsigned long long)min,
			     (unsigned long long)max, (unsigned long long)gpa);
		return -EINVAL;
	}
	n = new_init(ps, type, get_le32(r), off);
	if (!n)
		return -ENOMEM;
	n->u.reloc.vp_index = get_le16(r + 4);
	n->u.reloc.vtl = r[6];
	n->u.reloc.flags = r[7];
	n->u.reloc.align = align;
	n->u.reloc.gpa = gpa;
	n->u.reloc.size = size;
	n->u.reloc.min_gpa = min;
	n->u.reloc.max_gpa = max;
	return 0;
}

/* PAGE_TABLE_RELOCATION: mask, vp u16, vtl u8, reserved u8, gpa, size, used */
static int dec_pt_reloc(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
			uint32_t off)
{
	uint64_t gpa = get_le64(r + 8), size = get_le64(r + 16), used = get_le64(r + 24);
	struct igvm_init *n;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));

	if (!ret)
		ret = igvm_rec_gpa(ps, off, type, gpa, size, IGVM_PAGE_SIZE);
	if (ret)
		return ret;
	if (r[7] || used % IGVM_PAGE_SIZE || used > size) {
		igvm_rec_err(ps, off, type, "used size 0x%llx of 0x%llx (or the reserved "
			     "byte) is invalid", (unsigned long long)used,
			     (unsigned long long)size);
		return -EINVAL;
	}
	n = new_init(ps, type, get_le32(r), off);
	if (!n)
		return -ENOMEM;
	n->u.pt_reloc.vp_index = get_le16(r + 4);
	n->u.pt_reloc.vtl = r[6];
	n->u.pt_reloc.gpa = gpa;
	n->u.pt_reloc.size = size;
	n->u.pt_reloc.used = used;
	return 0;
}

/* CORIM_DOCUMENT / CORIM_SIGNATURE: mask, file_offset, size, reserved */
static int dec_corim(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		     uint32_t off)
{
	struct igvm_init *n;
	const uint8_t *data;
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));

	if (ret)
		return ret;
	if (get_le32(r + 12) || !get_le32(r + 8)) {
		igvm_rec_err(ps, off, type, "empty, or its reserved field is not zero");
		return -EINVAL;
	}
	ret = igvm_rec_data(ps, off, type, get_le32(r + 4), get_le32(r + 8), &data);
	if (ret)
		return ret;
	n = new_init(ps, type, get_le32(r), off);
	if (!n)
		return -ENOMEM;
	n->u.corim.data = data;
	n->u.corim.len = get_le32(r + 8);
	return 0;
}

/* CCA_POLICY: mask, reserved, required zeros u64, ones u64, hash u8, lfa u8, 6 reserved */
static int dec_cca(struct igvm_parser *ps, uint32_t type, const uint8_t *r,
		   uint32_t off)
{
	int ret = igvm_rec_mask(ps, off, type, get_le32(r));
	unsigned int i;

	if (ret)
		return ret;
	for (i = 26; i < 32; i++)
		ret |= r[i];
	if (ret || get_le32(r + 4) || (get_le64(r + 8) & get_le64(r + 16)) ||
	    r[24] > 2 || r[25] > 1) {
		igvm_rec_err(ps, off, type, "invalid attribute masks, algorithm or reserved "
			     "bytes");
		return -EINVAL;
	}
	return new_init(ps, type, get_le32(r), off) ? 0 : -ENOMEM;
}

static const struct igvm_kind {
	uint32_t type;
	uint32_t len;
	int (*decode)(struct igvm_parser *ps, uint32_t type, const uint8_t *r, uint32_t off);
} kinds[] = {
	{ IGVM_VHT_SUPPORTED_PLATFORM, 16, dec_platform },
	{ IGVM_VHT_GUEST_POLICY, 16, dec_policy },
	{ IGVM_VHT_RELOCATABLE_REGION, 48, dec_reloc },
	{ IGVM_VHT_PAGE_TABLE_RELOCATION, 32, dec_pt_reloc },
	{ IGVM_VHT_CORIM_DOCUMENT, 16, dec_corim },
	{ IGVM_VHT_CORIM_SIGNATURE, 16, dec_corim },
	{ IGVM_VHT_CCA_POLICY, 32, dec_cca },
	{ IGVM_VHT_PARAMETER_AREA, 16, igvm_dec_area },
	{ IGVM_VHT_PAGE_DATA, 24, igvm_dec_page },
	{ IGVM_VHT_PARAMETER_INSERT, 16, igvm_dec_insert },
	{ IGVM_VHT_VP_CONTEXT, 20, igvm_dec_vp },
	{ IGVM_VHT_REQUIRED_MEMORY, 24, igvm_dec_range },
	{ IGVM_VHT_VP_COUNT, 8, igvm_dec_param },
	{ IGVM_VHT_SRAT, 8, igvm_dec_param },
	{ IGVM_VHT_MADT, 8, igvm_dec_param },
	{ IGVM_VHT_MMIO_RANGES, 8, igvm_dec_param },
	{ IGVM_VHT_SNP_ID_BLOCK, IGVM_ID_BLOCK_LEN, igvm_dec_id_block },
	{ IGVM_VHT_MEMORY_MAP, 8, igvm_dec_param },
	{ IGVM_VHT_ERROR_RANGE, 16, igvm_dec_range },
	{ IGVM_VHT_COMMAND_LINE, 8, igvm_dec_param },
	{ IGVM_VHT_SLIT, 8, igvm_dec_param },
	{ IGVM_VHT_PPTT, 8, igvm_dec_param },
	{ IGVM_VHT_VBS_MEASUREMENT, 864, igvm_dec_vbs },
	{ IGVM_VHT_DEVICE_TREE, 8, igvm_dec_param },
	{ IGVM_VHT_ENVIRONMENT_INFO, 8, igvm_dec_param },
};

static const struct igvm_kind *kind_of(uint32_t type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (kinds[i].type == type)
			return &kinds[i];
	return NULL;
}

bool igvm_type_known(uint32_t type)
{
	return kind_of(type) != NULL;
}

enum igvm_section igvm_type_section(uint32_t type)
{
	if (type >= 0x1 && type <= 0x100)
		return IGVM_SEC_PLATFORM;
	if (type >= 0x101 && type <= 0x200)
		return IGVM_SEC_INIT;
	if (type >= 0x301 && type <= 0x400)
		return IGVM_SEC_DIRECTIVE;
	return IGVM_SEC_NONE;
}

int igvm_record_decode(struct igvm_parser *ps, uint32_t type, const uint8_t *rec,
		       uint32_t len, uint32_t off)
{
	const struct igvm_kind *k = kind_of(type);

	if (!k)
		return -EINVAL;
	if (len != k->len) {
		igvm_rec_err(ps, off, type, "length %u is not %u", len, k->len);
		return -EINVAL;
	}
	return k->decode(ps, type, rec, off);
}
