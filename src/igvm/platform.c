// SPDX-License-Identifier: GPL-2.0-only
/* Names, platform lookup and selection, the per-platform directive iterator. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "igvm/igvm_internal.h"

const char *igvm_vht_name(uint32_t type)
{
	static const struct {
		uint32_t type;
		const char *name;
	} names[] = {
		{ IGVM_VHT_SUPPORTED_PLATFORM, "SUPPORTED_PLATFORM" },
		{ IGVM_VHT_GUEST_POLICY, "GUEST_POLICY" },
		{ IGVM_VHT_RELOCATABLE_REGION, "RELOCATABLE_REGION" },
		{ IGVM_VHT_PAGE_TABLE_RELOCATION, "PAGE_TABLE_RELOCATION" },
		{ IGVM_VHT_CORIM_DOCUMENT, "CORIM_DOCUMENT" },
		{ IGVM_VHT_CORIM_SIGNATURE, "CORIM_SIGNATURE" },
		{ IGVM_VHT_CCA_POLICY, "CCA_POLICY" },
		{ IGVM_VHT_PARAMETER_AREA, "PARAMETER_AREA" },
		{ IGVM_VHT_PAGE_DATA, "PAGE_DATA" },
		{ IGVM_VHT_PARAMETER_INSERT, "PARAMETER_INSERT" },
		{ IGVM_VHT_VP_CONTEXT, "VP_CONTEXT" },
		{ IGVM_VHT_REQUIRED_MEMORY, "REQUIRED_MEMORY" },
		{ IGVM_VHT_VP_COUNT, "VP_COUNT_PARAMETER" },
		{ IGVM_VHT_SRAT, "SRAT" },
		{ IGVM_VHT_MADT, "MADT" },
		{ IGVM_VHT_MMIO_RANGES, "MMIO_RANGES" },
		{ IGVM_VHT_SNP_ID_BLOCK, "SNP_ID_BLOCK" },
		{ IGVM_VHT_MEMORY_MAP, "MEMORY_MAP" },
		{ IGVM_VHT_ERROR_RANGE, "ERROR_RANGE" },
		{ IGVM_VHT_COMMAND_LINE, "COMMAND_LINE" },
		{ IGVM_VHT_SLIT, "SLIT" },
		{ IGVM_VHT_PPTT, "PPTT" },
		{ IGVM_VHT_VBS_MEASUREMENT, "VBS_MEASUREMENT" },
		{ IGVM_VHT_DEVICE_TREE, "DEVICE_TREE" },
		{ IGVM_VHT_ENVIRONMENT_INFO, "ENVIRONMENT_INFO" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].type == type)
			return names[i].name;
	return "unknown";
}

const char *igvm_platform_name(unsigned int type)
{
	static const char *const names[] = {
		[IGVM_PLAT_NATIVE] = "native",
		[IGVM_PLAT_VSM] = "vsm",
		[IGVM_PLAT_SNP] = "snp",
		[IGVM_PLAT_TDX] = "tdx",
		[IGVM_PLAT_SEV] = "sev",
		[IGVM_PLAT_SEV_ES] = "sev-es",
		[IGVM_PLAT_CCA] = "cca",
	};

	return type < ARRAY_SIZE(names) ? names[type] : "?";
}

const struct igvm_platform *igvm_platform_find(const struct igvm_file *f,
					       unsigned int type)
{
	unsigned int i;

	for (i = 0; i < f->nr_platforms; i++)
		if (f->platforms[i].type == type)
			return &f->platforms[i];
	return NULL;
}

const struct igvm_platform *igvm_platform_by_mask(const struct igvm_file *f,
						  uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < f->nr_platforms; i++)
		if (f->platforms[i].mask == mask)
			return &f->platforms[i];
	return NULL;
}

/* Strongest first: what QEMU's qigvm_supported_platform_compat_mask() does. */
static const unsigned int order[] = { IGVM_PLAT_SNP, IGVM_PLAT_TDX, IGVM_PLAT_NATIVE };

static void list_platforms(const struct igvm_file *f, char *buf, size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = 0;
	for (i = 0; i < f->nr_platforms && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
					 igvm_platform_name(f->platforms[i].type));
}

int igvm_select_platform(const struct igvm_file *f, unsigned int allowed,
			 const struct igvm_platform **out, struct err_msg *err)
{
	const struct igvm_platform *p;
	bool vtl2 = false;
	char have[128];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		if (!(allowed & (1u << order[i])))
			continue;
		p = igvm_platform_find(f, order[i]);
		if (p && p->highest_vtl == 0) {
			*out = p;
			return 0;
		}
		vtl2 |= p != NULL;
	}
	list_platforms(f, have, sizeof(have));
	err_set(err, "the file has no platform this launch can use (it has: %s)%s",
		     have, vtl2 ? "; platforms with VTL 2 are not supported" : "");
	*out = NULL;
	return -ENOENT;
}

void igvm_select_reason(const struct igvm_file *f, const struct igvm_platform *p,
			char *buf, size_t len)
{
	char have[128];

	list_platforms(f, have, sizeof(have));
	snprintf(buf, len, "IGVM platform %s (compatibility mask 0x%x) chosen from: %s",
		 igvm_platform_name(p->type), p->mask, have);
}

void igvm_iter_init(struct igvm_iter *it, const struct igvm_file *f,
		    const struct igvm_platform *p)
{
	it->f = f;
	it->mask = p->mask;
	it->next = 0;
}

const struct igvm_dir *igvm_iter_next(struct igvm_iter *it)
{
	while (it->next < it->f->nr_dirs) {
		const struct igvm_dir *d = &it->f->dirs[it->next++];

		if (d->mask & it->mask)
			return d;
	}
	return NULL;
}
