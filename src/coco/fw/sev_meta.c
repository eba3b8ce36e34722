// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "coco/fw/sev_meta.h"
#include "util/bytes.h"

int sev_meta_parse(const uint8_t *img, size_t len, const struct fw_table *t,
		   struct sev_meta *m, struct err_msg *err)
{
	uint32_t off, size, version, n, i;
	const uint8_t *h;
	size_t start;
	int ret;

	m->n = 0;
	ret = fw_table_u32(t, img, &FW_GUID_SEV_METADATA, 0, &off, err);
	if (ret)
		return ret;
	if (off > len || off < SEV_META_HDR) {
		err_set(err, "SEV metadata offset 0x%x is outside the image", off);
		return -EINVAL;
	}
	start = len - off;
	h = img + start;
	if (memcmp(h, "ASEV", 4)) {
		err_set(err, "SEV metadata has a bad signature");
		return -EINVAL;
	}
	size = get_le32(h + 4);
	version = get_le32(h + 8);
	n = get_le32(h + 12);
	if (version != 1) {
		err_set(err, "SEV metadata version %u is not supported", version);
		return -EINVAL;
	}
	if (n > SEV_META_MAX) {
		err_set(err, "SEV metadata has %u sections (at most %d)", n,
			SEV_META_MAX);
		return -EINVAL;
	}
	if (size < SEV_META_HDR + n * SEV_META_DESC || size > off) {
		err_set(err, "SEV metadata size %u does not match its %u sections",
			size, n);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const uint8_t *d = h + SEV_META_HDR + i * SEV_META_DESC;
		struct sev_section *s = &m->s[i];

		s->gpa = get_le32(d);
		s->size = get_le32(d + 4);
		s->type = get_le32(d + 8);
		if (!s->size || s->gpa % 4096 || s->size % 4096) {
			err_set(err, "SEV metadata section %u (%s at 0x%x, 0x%x bytes) "
				"is empty or not page aligned", i,
				sev_section_name(s->type), s->gpa, s->size);
			return -EINVAL;
		}
		if ((uint64_t)s->gpa + s->size > 0x100000000ULL) {
			err_set(err, "SEV metadata section %u extends past 4 GiB", i);
			return -EINVAL;
		}
	}
	m->n = n;
	return 0;
}

const char *sev_section_name(uint32_t type)
{
	switch (type) {
	case SEV_SECTION_SEC_MEM:
		return "SEC_MEM";
	case SEV_SECTION_SECRETS:
		return "SECRETS";
	case SEV_SECTION_CPUID:
		return "CPUID";
	case SEV_SECTION_SVSM_CAA:
		return "SVSM_CAA";
	case SEV_SECTION_KERNEL_HASHES:
		return "KERNEL_HASHES";
	}
	return "unknown";
}

int sev_reset_eip(const struct fw_table *t, const uint8_t *img, uint32_t *eip,
		  struct err_msg *err)
{
	return fw_table_u32(t, img, &FW_GUID_SEV_ES_RESET_BLOCK, 0, eip, err);
}

static int location(const struct fw_table *t, const uint8_t *img,
		    const struct fw_guid *g, uint32_t *gpa, uint32_t *size,
		    struct err_msg *err)
{
	int ret = fw_table_u32(t, img, g, 0, gpa, err);

	if (!ret)
		ret = fw_table_u32(t, img, g, 4, size, err);
	if (!ret && !*gpa)
		ret = -ENOENT;
	return ret;
}

int sev_hashes_location(const struct fw_table *t, const uint8_t *img,
			uint32_t *gpa, uint32_t *size, struct err_msg *err)
{
	return location(t, img, &FW_GUID_SEV_HASH_TABLE, gpa, size, err);
}

int sev_secret_location(const struct fw_table *t, const uint8_t *img,
			uint32_t *gpa, uint32_t *size, struct err_msg *err)
{
	return location(t, img, &FW_GUID_SEV_SECRET, gpa, size, err);
}
