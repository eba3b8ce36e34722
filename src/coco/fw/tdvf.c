// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "coco/fw/tdvf.h"
#include "util/bytes.h"

const char *tdvf_section_name(uint32_t type)
{
	switch (type) {
	case TDVF_SECTION_BFV:
		return "BFV";
	case TDVF_SECTION_CFV:
		return "CFV";
	case TDVF_SECTION_TD_HOB:
		return "TD_HOB";
	case TDVF_SECTION_TEMP_MEM:
		return "TEMP_MEM";
	}
	return "unknown";
}

static int check_section(const struct tdvf_section *s, unsigned int i, size_t len,
			 struct err_msg *err)
{
	const char *name = tdvf_section_name(s->type);

	if (s->size < s->raw_size) {
		err_set(err, "TDVF section %u (%s): memory size 0x%llx is smaller "
			"than its raw data 0x%x", i, name,
			(unsigned long long)s->size, s->raw_size);
		return -EINVAL;
	}
	if (!s->size || s->addr % 4096 || s->size % 4096) {
		err_set(err, "TDVF section %u (%s) at 0x%llx, 0x%llx bytes, is empty "
			"or not page aligned", i, name,
			(unsigned long long)s->addr, (unsigned long long)s->size);
		return -EINVAL;
	}
	if (s->addr + s->size < s->addr || s->addr + s->size > (1ULL << 52)) {
		err_set(err, "TDVF section %u (%s) lies outside the guest physical "
			"address space", i, name);
		return -EINVAL;
	}
	if (s->attr & ~TDVF_ATTR_KNOWN) {
		err_set(err, "TDVF section %u (%s) has unknown attributes 0x%x",
			i, name, s->attr);
		return -EINVAL;
	}
	switch (s->type) {
	case TDVF_SECTION_BFV:
	case TDVF_SECTION_CFV:
		if (!s->raw_size) {
			err_set(err, "TDVF section %u (%s) has no raw data", i, name);
			return -EINVAL;
		}
		if ((uint64_t)s->data_offset + s->raw_size > len) {
			err_set(err, "TDVF section %u (%s): raw data 0x%x+0x%x is outside "
				"the 0x%zx-byte image", i, name, s->data_offset,
				s->raw_size, len);
			return -EINVAL;
		}
		break;
	case TDVF_SECTION_TD_HOB:
	case TDVF_SECTION_TEMP_MEM:
		if (s->raw_size) {
			err_set(err, "TDVF section %u (%s) must not carry raw data",
				i, name);
			return -EINVAL;
		}
		break;
	default:
		err_set(err, "TDVF section %u has unsupported type %u", i, s->type);
		return -EINVAL;
	}
	return 0;
}

int tdvf_parse(const uint8_t *img, size_t len, const struct fw_table *t,
	       struct tdvf *v, struct err_msg *err)
{
	uint32_t off, length, version, n, i, j;
	const uint8_t *h;
	int ret;

	v->n = 0;
	ret = fw_table_u32(t, img, &FW_GUID_TDX_METADATA, 0, &off, err);
	if (ret)
		return ret;
	if (off > len || off < TDVF_HDR_LEN) {
		err_set(err, "TDVF metadata offset 0x%x is outside the image", off);
		return -EINVAL;
	}
	h = img + (len - off);
	if (memcmp(h, "TDVF", 4)) {
		err_set(err, "TDVF metadata has a bad signature");
		return -EINVAL;
	}
	length = get_le32(h + 4);
	version = get_le32(h + 8);
	n = get_le32(h + 12);
	if (length > off) {
		err_set(err, "TDVF metadata length 0x%x runs past the image", length);
		return -EINVAL;
	}
	if (version != 1) {
		err_set(err, "TDVF metadata version %u is not supported", version);
		return -EINVAL;
	}
	if (n < 2 || n > TDVF_MAX_SECTIONS) {
		err_set(err, "TDVF metadata has %u sections (expected 2 to %d)", n,
			TDVF_MAX_SECTIONS);
		return -EINVAL;
	}
	if (length != TDVF_HDR_LEN + n * TDVF_SECTION_LEN) {
		err_set(err, "TDVF metadata length 0x%x does not match %u sections",
			length, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *d = h + TDVF_HDR_LEN + i * TDVF_SECTION_LEN;
		struct tdvf_section *s = &v->s[i];

		s->data_offset = get_le32(d);
		s->raw_size = get_le32(d + 4);
		s->addr = get_le64(d + 8);
		s->size = get_le64(d + 16);
		s->type = get_le32(d + 24);
		s->attr = get_le32(d + 28);
		ret = check_section(s, i, len, err);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			const struct tdvf_section *o = &v->s[j];

			if (s->addr < o->addr + o->size && o->addr < s->addr + s->size) {
				err_set(err, "TDVF sections %u and %u overlap", j, i);
				return -EINVAL;
			}
		}
	}
	v->n = n;
	return 0;
}
