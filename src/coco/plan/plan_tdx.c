// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TDX plan: one op per TDVF section (BFV and CFV from the firmware
 * image, TD_HOB built from guest RAM, TEMP_MEM zero), measured iff the
 * section says MR.EXTEND, left to the guest when it says PAGE.AUG; every
 * vCPU starts at the reset vector with RCX = the TD HOB (see
 * coco/plan/plan.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coco/fw/td_hob.h"
#include "coco/fw/tdvf.h"
#include "coco/plan/plan_internal.h"

/* TDVF scratch memory is a few MiB in practice; bound the work a hostile image causes. */
#define PLAN_TEMP_MEM_MAX	(1ULL << 30)

/* The bytes of one TDVF section: firmware, the TD HOB, or none (TEMP_MEM). */
static int tdx_section_data(struct builder *b, const struct tdvf *v, unsigned int i,
			    uint8_t **buf, uint32_t *flags)
{
	const struct tdvf_section *s = &v->s[i];
	struct launch_plan *p = b->plan;
	int ret;

	switch (s->type) {
	case TDVF_SECTION_BFV:
	case TDVF_SECTION_CFV:
		/*
		 * Firmware bytes belong in the ROM window (check_ops() says so
		 * too, but only after every section was copied): checked first,
		 * up to 32 sections of 16 MiB elsewhere are never allocated.
		 */
		if (!range_within(s->addr, s->size, PLAN_FOUR_GB - PLAN_FW_MAX, PLAN_FW_MAX)) {
			err_set(b->err, "%s at 0x%llx (0x%llx bytes) is outside guest "
				"ROM window", tdvf_section_name(s->type),
				(unsigned long long)s->addr, (unsigned long long)s->size);
			return -EINVAL;
		}
		*buf = plan_alloc(p, s->size);
		if (!*buf)
			return -ENOMEM;
		memcpy(*buf, p->fw + s->data_offset, s->raw_size);
		*flags = PLAN_OP_FIRMWARE;
		return 0;
	case TDVF_SECTION_TD_HOB:
		*buf = plan_alloc(p, s->size);
		if (!*buf)
			return -ENOMEM;
		ret = td_hob_build(b->ram, b->nr_ram, v, *buf, s->size, &p->tdx_hob_len, b->err);
		p->tdx_hob_gpa = s->addr;
		return ret;
	case TDVF_SECTION_TEMP_MEM:
		return 0;
	}
	return 0;
}

static int tdx_section(struct builder *b, const struct tdvf *v, unsigned int i)
{
	const struct tdvf_section *s = &v->s[i];
	uint32_t flags = 0;
	uint8_t *buf = NULL;
	struct plan_op *op;
	int ret;

	if (s->size > (s->type == TDVF_SECTION_TEMP_MEM ? PLAN_TEMP_MEM_MAX : PLAN_FW_MAX)) {
		err_set(b->err, "TDVF section %u (%s) is too large (0x%llx bytes)", i,
			tdvf_section_name(s->type), (unsigned long long)s->size);
		return -EINVAL;
	}
	ret = tdx_section_data(b, v, i, &buf, &flags);
	if (ret)
		return ret;
	op = plan_add_op(b, s->addr, s->size, buf ? PLAN_SRC_DATA : PLAN_SRC_ZERO, buf, flags,
			 tdvf_section_name(s->type));
	if (!op)
		return -ENOMEM;
	op->tdx_measure = s->attr & TDVF_ATTR_MR_EXTEND;
	op->tdx_aug = s->attr & TDVF_ATTR_PAGE_AUG;
	return 0;
}

int plan_build_tdx(struct builder *b)
{
	struct launch_plan *p = b->plan;
	bool have_hob = false;
	struct fw_table t;
	struct tdvf *v;
	unsigned int i;
	int ret;

	p->tdx_attr = b->pp->coco->tdx_attr;
	if (!b->nr_ram) {
		err_set(b->err, "a TDX plan needs the guest RAM size (for the TD HOB)");
		return -EINVAL;
	}
	ret = fw_table_parse(p->fw, p->fw_len, &t, b->err);
	if (ret)
		return ret;
	v = malloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	ret = tdvf_parse(p->fw, p->fw_len, &t, v, b->err);
	if (ret == -ENOENT) {
		err_set(b->err, "the firmware has no TDVF metadata: it is not a TDX "
			"firmware");
		ret = -EINVAL;
	}
	for (i = 0; !ret && i < v->n; i++) {
		ret = tdx_section(b, v, i);
		have_hob |= v->s[i].type == TDVF_SECTION_TD_HOB;
	}
	if (!ret && !have_hob) {
		err_set(b->err, "TDVF metadata has no TD_HOB section");
		ret = -EINVAL;
	}
	free(v);
	if (ret)
		return ret;
	return plan_alloc_vcpus(p, b->pp->nr_vcpus);
}
