// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP plan, in the order the PSP measures it (sev-snp-measure's
 * snp_calc_launch_digest(); attest-anchors.md §1.4):
 *
 *   1. the firmware image, page by page (NORMAL);
 *   2. with a Coconut SVSM: its image below the firmware and the OVMF vars
 *      (NORMAL), and its metadata sections instead of the firmware's;
 *   3. the SEV metadata sections (snp_section_op()): SEC_MEM zero pages,
 *      the SECRETS and CPUID pages, the kernel hashes (a NORMAL page when
 *      a kernel is measured, else zero pages), the SVSM CAA zero pages, in
 *      the order snp_section_order() gives;
 *   4. one VMSA per vCPU, in index order (coco/plan/plan_vcpu.c);
 *   5. SNP_LAUNCH_FINISH with the ID block, ID auth and host data.
 *
 * Which VMM's launch is modelled changes only what plan_vmm.c's row for
 * it says (GCE: unmeasured SEC_MEM; EC2: the CPUID page last).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coco/fw/sev_meta.h"
#include "coco/plan/plan_internal.h"
#include "measure/sev_hashes.h"
#include "measure/snp.h"

/* Where the metadata sections come from: the firmware, or the SVSM when there is one. */
struct snp_meta_src {
	struct fw_table t;		/* the firmware's GUID table */
	struct fw_table svsm_t;		/* the SVSM's */
	const struct fw_table *meta_t;
	const uint8_t *meta_img;
	size_t meta_len;
};

/*
 * A Coconut SVSM: checked and copied below the firmware and the OVMF vars;
 * its metadata replaces the firmware's.  Only QEMU's SVSM launch is modelled.
 */
static int snp_svsm_image(struct builder *b, struct snp_meta_src *src)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	uint8_t *copy;
	int ret;

	if (pp->kernel) {
		err_set(b->err, "kernel hashes are not supported with an SVSM");
		return -EINVAL;
	}
	if (!plan_vmm_quirks(p->vmm)->svsm) {
		err_set(b->err, "an SVSM launch is only modelled for QEMU");
		return -EINVAL;
	}
	if (!pp->svsm_len || pp->svsm_len % PLAN_PAGE_SIZE || pp->vars_size % PLAN_PAGE_SIZE ||
	    pp->svsm_len > PLAN_FW_MAX || pp->vars_size > PLAN_FW_MAX ||
	    pp->svsm_len + pp->vars_size > p->fw_gpa - PLAN_LOW_RAM_LIMIT) {
		err_set(b->err, "the SVSM image (0x%zx bytes) and vars size (0x%llx) must "
			"be page multiples and fit below the firmware", pp->svsm_len,
			(unsigned long long)pp->vars_size);
		return -EINVAL;
	}
	copy = plan_alloc(p, pp->svsm_len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, pp->svsm, pp->svsm_len);
	p->svsm = copy;
	p->svsm_len = pp->svsm_len;
	p->svsm_gpa = p->fw_gpa - pp->vars_size - pp->svsm_len;
	ret = fw_table_parse(p->svsm, p->svsm_len, &src->svsm_t, b->err);
	if (ret)
		return ret;
	src->meta_t = &src->svsm_t;
	src->meta_img = p->svsm;
	src->meta_len = p->svsm_len;
	return 0;
}

/* Steps 1 and 2: the firmware image and the SVSM image, NORMAL pages. */
static int snp_image_ops(struct builder *b)
{
	struct launch_plan *p = b->plan;
	struct plan_op *op;

	op = plan_add_op(b, p->fw_gpa, p->fw_len, PLAN_SRC_DATA, p->fw, PLAN_OP_FIRMWARE,
			 "firmware");
	if (!op)
		return -ENOMEM;
	op->snp_type = SNP_PAGE_NORMAL;
	if (!p->svsm)
		return 0;
	op = plan_add_op(b, p->svsm_gpa, p->svsm_len, PLAN_SRC_DATA, p->svsm, PLAN_OP_SVSM,
			 "SVSM");
	if (!op)
		return -ENOMEM;
	op->snp_type = SNP_PAGE_NORMAL;
	return 0;
}

/* A measured kernel needs an SNP_KERNEL_HASHES section; the table goes into it. */
static int snp_kernel_hashes(struct builder *b, const struct sev_meta *m,
			     const struct snp_meta_src *src)
{
	unsigned int i;

	if (!b->pp->kernel)
		return 0;
	for (i = 0; i < m->n; i++)
		if (m->s[i].type == SEV_SECTION_KERNEL_HASHES)
			return plan_hashes_table(b, &src->t, b->plan->fw, true);
	err_set(b->err, "kernel specified but the firmware's SEV metadata doesn't "
		"include an SNP_KERNEL_HASHES section, so it cannot check a measured "
		"kernel: use an AmdSev OVMF (OvmfPkg/AmdSev) or stage0, or no --kernel");
	return -EINVAL;
}

/* Can metadata section @idx be launched?  Checked in table order, before any is added. */
static int snp_section_check(struct builder *b, const struct sev_section *s, unsigned int idx)
{
	const struct launch_plan *p = b->plan;

	switch (s->type) {
	case SEV_SECTION_SEC_MEM:
	case SEV_SECTION_SVSM_CAA:
		return 0;
	case SEV_SECTION_SECRETS:
	case SEV_SECTION_CPUID:
		if (s->size == PLAN_PAGE_SIZE)
			return 0;
		err_set(b->err, "SEV metadata section %u (%s) is 0x%x bytes, not one page",
			idx, sev_section_name(s->type), s->size);
		return -EINVAL;
	case SEV_SECTION_KERNEL_HASHES:
		if (!b->pp->kernel || (s->size == PLAN_PAGE_SIZE && p->hashes_gpa >= s->gpa &&
				       p->hashes_gpa < s->gpa + PLAN_PAGE_SIZE))
			return 0;
		err_set(b->err, "the kernel-hashes table at 0x%llx is not inside the "
			"one-page SNP_KERNEL_HASHES section at 0x%x",
			(unsigned long long)p->hashes_gpa, s->gpa);
		return -EINVAL;
	}
	err_set(b->err, "SEV metadata section %u has unknown type 0x%x", idx, s->type);
	return -EINVAL;
}

/* The op of one (checked) metadata section. */
static int snp_section_op(struct builder *b, const struct sev_section *s)
{
	const struct plan_vmm_quirks *q = plan_vmm_quirks(b->plan->vmm);
	struct launch_plan *p = b->plan;
	enum plan_src src = PLAN_SRC_ZERO;
	uint8_t type = SNP_PAGE_ZERO, *page = NULL;
	const char *what = sev_section_name(s->type);
	uint64_t len = s->size;
	uint32_t flags = 0;
	struct plan_op *op;

	switch (s->type) {
	case SEV_SECTION_SEC_MEM:
		type = q->sec_mem_unmeasured ? SNP_PAGE_UNMEASURED : SNP_PAGE_ZERO;
		break;
	case SEV_SECTION_SECRETS:
		src = PLAN_SRC_SECRETS;
		type = SNP_PAGE_SECRETS;
		break;
	case SEV_SECTION_CPUID:
		src = PLAN_SRC_CPUID;
		type = SNP_PAGE_CPUID;
		break;
	case SEV_SECTION_KERNEL_HASHES:
		if (!b->pp->kernel)
			break;
		page = plan_alloc(p, PLAN_PAGE_SIZE);
		if (!page)
			return -ENOMEM;
		sev_hashes_page(p->hashes_table, (unsigned int)(p->hashes_gpa & 0xfff), page);
		src = PLAN_SRC_DATA;
		type = SNP_PAGE_NORMAL;
		len = PLAN_PAGE_SIZE;
		flags = PLAN_OP_KERNEL_HASHES;
		what = "kernel hashes";
		break;
	}
	op = plan_add_op(b, s->gpa, len, src, page, flags, what);
	if (!op)
		return -ENOMEM;
	op->snp_type = type;
	return 0;
}

/*
 * The order the sections are launched in: the table's, except that EC2
 * issues the CPUID page after all others (plan_vmm.c).  @order gets
 * table indices.
 */
static unsigned int snp_section_order(const struct sev_meta *m, const struct plan_vmm_quirks *q,
				      unsigned int order[SEV_META_MAX])
{
	unsigned int i, n = 0;

	for (i = 0; i < m->n; i++)
		if (!(q->cpuid_page_last && m->s[i].type == SEV_SECTION_CPUID))
			order[n++] = i;
	for (i = 0; q->cpuid_page_last && i < m->n; i++)
		if (m->s[i].type == SEV_SECTION_CPUID)
			order[n++] = i;
	return n;
}

/* Step 3: the kernel hashes, then every metadata section, checked, then launched in order. */
static int snp_metadata_ops(struct builder *b, const struct snp_meta_src *src)
{
	unsigned int order[SEV_META_MAX], i, n;
	struct sev_meta *m;
	int ret;

	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = sev_meta_parse(src->meta_img, src->meta_len, src->meta_t, m, b->err);
	if (ret == -ENOENT) {	/* whatever the vCPU count */
		err_set(b->err, "the firmware has no SEV metadata (GUID entry "
			"SEV_METADATA: its secrets and CPUID pages): it is not built for "
			"SEV-SNP; use an OVMF with SEV support (OvmfX64, AmdSev) or stage0");
		ret = -EINVAL;
	}
	if (!ret)
		ret = snp_kernel_hashes(b, m, src);
	for (i = 0; !ret && i < m->n; i++)
		ret = snp_section_check(b, &m->s[i], i);
	n = ret ? 0 : snp_section_order(m, plan_vmm_quirks(b->plan->vmm), order);
	for (i = 0; !ret && i < n; i++)
		ret = snp_section_op(b, &m->s[order[i]]);
	free(m);
	return ret;
}

/* Step 4: every vCPU at the SVSM's entry point, or from reset as SEV-ES. */
static int snp_vcpus(struct builder *b, const struct snp_meta_src *src)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	unsigned int i;
	uint32_t off;
	int ret;

	if (!p->svsm) {
		ret = plan_ap_eip(b, &src->t, p->fw);
		return ret ? ret : plan_es_vcpus(b, pp->guest_features);
	}
	ret = fw_table_u32(&src->svsm_t, p->svsm, &FW_GUID_SVSM_INFO, 0, &off, b->err);
	if (ret == -ENOENT)
		err_set(b->err, "the SVSM image has no SVSM info entry");
	if (ret)
		return -EINVAL;
	if (off >= p->svsm_len) {
		err_set(b->err, "the SVSM entry point 0x%x is outside its image", off);
		return -EINVAL;
	}
	ret = plan_alloc_vcpus(p, pp->nr_vcpus);
	if (ret)
		return ret;
	for (i = 0; i < p->nr_vcpus; i++) {
		p->vcpus[i].eip = (uint32_t)(p->svsm_gpa + off);
		plan_vcpu_svsm_state(p->vcpus[i].eip, pp->vcpu_sig, &p->vcpus[i].vmsa);
	}
	return 0;
}

/* Step 5: what SNP_LAUNCH_FINISH takes besides the digest. */
static int snp_finish(struct builder *b)
{
	const struct plan_params *pp = b->pp;
	struct plan_snp_finish *f = &b->plan->snp_finish;

	if (pp->id_block) {
		if (!pp->id_auth) {
			err_set(b->err, "an SNP ID block needs its ID auth structure");
			return -EINVAL;
		}
		f->id_block_en = true;
		memcpy(f->id_block, pp->id_block, sizeof(f->id_block));
		memcpy(f->id_auth, pp->id_auth, sizeof(f->id_auth));
		f->auth_key_en = pp->auth_key_en;
	}
	if (pp->coco->have_host_data)
		memcpy(f->host_data, pp->coco->host_data, 32);
	return 0;
}

int plan_build_snp(struct builder *b)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct snp_meta_src src;
	int ret;

	if (!(pp->guest_features & 1)) {
		err_set(b->err, "SNP guest features 0x%llx lack bit 0 (SNPActive)",
			(unsigned long long)pp->guest_features);
		return -EINVAL;
	}
	p->sev_features = pp->guest_features;
	ret = fw_table_parse(p->fw, p->fw_len, &src.t, b->err);
	if (ret)
		return ret;
	src.meta_t = &src.t;
	src.meta_img = p->fw;
	src.meta_len = p->fw_len;
	if (pp->svsm) {
		ret = snp_svsm_image(b, &src);
		if (ret)
			return ret;
	}
	ret = snp_image_ops(b);
	if (!ret)
		ret = snp_metadata_ops(b, &src);
	if (!ret)
		ret = snp_vcpus(b, &src);
	if (!ret)
		ret = snp_finish(b);
	return ret;
}
