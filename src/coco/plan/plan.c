// SPDX-License-Identifier: GPL-2.0-only
/*
 * Launch plan construction: firmware metadata + user options -> ordered
 * memory operations and initial vCPU states (see coco/plan.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "coco/fw/fw_table.h"
#include "coco/plan/plan_internal.h"
#include "coco/fw/sev_meta.h"
#include "coco/fw/tdvf.h"
#include "measure/sev_hashes.h"
#include "measure/snp.h"

#define FOUR_GB		0x100000000ULL
#define PAGE_SIZE	4096ULL
#define LOW_RAM_LIMIT	0xc0000000ULL	/* arch/x86/layout.h LOW_RAM_END */
/* TDVF scratch memory is a few MiB in practice; bound the work a hostile image causes. */
#define PLAN_TEMP_MEM_MAX	(1ULL << 30)

struct builder {
	const struct plan_params *pp;
	struct launch_plan *plan;
	unsigned int cap;
	struct td_ram_range ram_default[2];
	const struct td_ram_range *ram;
	unsigned int nr_ram;
	struct coco_err *err;
};

unsigned int plan_default_ram(uint64_t mem_size, struct td_ram_range ram[2])
{
	uint64_t low = mem_size < LOW_RAM_LIMIT ? mem_size : LOW_RAM_LIMIT;
	unsigned int n = 0;

	if (!mem_size)
		return 0;
	ram[n++] = (struct td_ram_range){ 0, low };
	if (mem_size > low)
		ram[n++] = (struct td_ram_range){ FOUR_GB, mem_size - low };
	return n;
}

static uint8_t *plan_alloc(struct launch_plan *p, size_t len)
{
	uint8_t **nb, *buf;

	nb = realloc(p->bufs, (p->nr_bufs + 1) * sizeof(*nb));
	if (!nb)
		return NULL;
	p->bufs = nb;
	buf = calloc(1, len ? len : 1);
	if (!buf)
		return NULL;
	p->bufs[p->nr_bufs++] = buf;
	return buf;
}

static struct plan_op *add_op(struct builder *b, uint64_t gpa, uint64_t len,
			      enum plan_src src, const uint8_t *data,
			      uint32_t flags, const char *what)
{
	struct launch_plan *p = b->plan;
	struct plan_op *op;

	if (p->nr_ops == b->cap) {
		unsigned int ncap = b->cap ? b->cap * 2 : 16;
		struct plan_op *n = realloc(p->ops, ncap * sizeof(*n));

		if (!n)
			return NULL;
		p->ops = n;
		b->cap = ncap;
	}
	op = &p->ops[p->nr_ops++];
	memset(op, 0, sizeof(*op));
	op->gpa = gpa;
	op->len = len;
	op->src = src;
	op->data = data;
	op->flags = flags;
	op->what = what;
	return op;
}

#define ADD_OP(b, ...) do { if (!add_op(b, __VA_ARGS__)) return -ENOMEM; } while (0)

static int hashes_table(struct builder *b, const struct fw_table *t,
			const uint8_t *img, bool snp)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct sev_hashes_input in = {
		.kernel = pp->kernel,
		.kernel_len = pp->kernel_len,
		.initrd = pp->initrd,
		.initrd_len = pp->initrd_len,
		.cmdline = pp->cmdline,
	};
	uint32_t gpa = 0, size = 0;
	int ret;

	ret = sev_hashes_location(t, img, &gpa, &size, b->err);
	if (ret == -ENOENT) {
		coco_err_set(b->err, snp ?
			     "kernel specified but the firmware has no SEV hash table entry" :
			     "kernel specified but the firmware doesn't support "
			     "kernel/initrd/cmdline measurement");
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (size < SEV_HASHES_PADDED_LEN) {
		coco_err_set(b->err, "the firmware's kernel-hashes area (0x%x bytes) is "
			     "smaller than the %d-byte table", size, SEV_HASHES_PADDED_LEN);
		return -EINVAL;
	}
	if (gpa % 16 || (gpa & 0xfff) > PAGE_SIZE - SEV_HASHES_PADDED_LEN) {
		coco_err_set(b->err, "the firmware's kernel-hashes table address 0x%x is "
			     "misaligned or crosses a page", gpa);
		return -EINVAL;
	}
	ret = sev_hashes_table(&in, p->hashes_table);
	if (ret)
		return ret;
	p->have_hashes = true;
	p->hashes_gpa = gpa;
	return 0;
}

static int ap_eip(struct builder *b, const struct fw_table *t, const uint8_t *img)
{
	struct launch_plan *p = b->plan;
	int ret = sev_reset_eip(t, img, &p->ap_eip, b->err);

	if (ret == -ENOENT) {
		if (b->pp->nr_vcpus > 1) {
			coco_err_set(b->err, "the firmware has no SEV-ES reset block: its "
				     "application processors cannot start");
			return -EINVAL;
		}
		return 0;
	}
	if (ret)
		return ret;
	p->have_ap_eip = true;
	return 0;
}

static int alloc_vcpus(struct launch_plan *p, unsigned int n)
{
	unsigned int i;

	p->vcpus = calloc(n, sizeof(*p->vcpus));
	if (!p->vcpus)
		return -ENOMEM;
	p->nr_vcpus = n;
	for (i = 0; i < n; i++) {
		p->vcpus[i].index = i;
		p->vcpus[i].eip = i ? 0 : PLAN_BSP_EIP;
	}
	return 0;
}

static int es_vcpus(struct builder *b, uint64_t features)
{
	struct launch_plan *p = b->plan;
	unsigned int i;
	int ret = alloc_vcpus(p, b->pp->nr_vcpus);

	if (ret)
		return ret;
	for (i = 0; i < p->nr_vcpus; i++) {
		struct plan_vcpu *v = &p->vcpus[i];

		v->eip = i ? p->ap_eip : PLAN_BSP_EIP;
		plan_vcpu_reset_state(p->vmm, v->eip, i == 0, b->pp->vcpu_sig,
				      features, &v->vmsa);
	}
	return 0;
}

static int build_sev(struct builder *b)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct fw_table t;
	int ret;

	ret = fw_table_parse(p->fw, p->fw_len, &t, b->err);
	if (ret)
		return ret;
	ADD_OP(b, p->fw_gpa, p->fw_len, PLAN_SRC_DATA, p->fw, PLAN_OP_FIRMWARE, "firmware");
	if (pp->kernel) {
		ret = hashes_table(b, &t, p->fw, false);
		if (ret)
			return ret;
		ADD_OP(b, p->hashes_gpa, SEV_HASHES_PADDED_LEN, PLAN_SRC_DATA,
		       p->hashes_table, PLAN_OP_KERNEL_HASHES, "kernel hashes");
	}
	if (p->type == COCO_SEV)
		return alloc_vcpus(p, pp->nr_vcpus);
	ret = ap_eip(b, &t, p->fw);
	if (ret)
		return ret;
	/* KVM's SEV-ES VMSAs carry no SEV features (no SNP, no debug swap) */
	return es_vcpus(b, 0);
}

static int snp_section(struct builder *b, const struct sev_section *s,
		       unsigned int idx)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct plan_op *op = NULL;
	uint8_t *page;

	switch (s->type) {
	case SEV_SECTION_SEC_MEM:
		op = add_op(b, s->gpa, s->size, PLAN_SRC_ZERO, NULL, 0, "SEC_MEM");
		if (op)
			op->snp_type = p->vmm == PLAN_VMM_GCE ? SNP_PAGE_UNMEASURED :
							       SNP_PAGE_ZERO;
		break;
	case SEV_SECTION_SECRETS:
	case SEV_SECTION_CPUID:
		if (s->size != PAGE_SIZE) {
			coco_err_set(b->err, "SEV metadata section %u (%s) is 0x%x bytes, "
				     "not one page", idx, sev_section_name(s->type), s->size);
			return -EINVAL;
		}
		if (s->type == SEV_SECTION_SECRETS) {
			op = add_op(b, s->gpa, s->size, PLAN_SRC_SECRETS, NULL, 0, "SECRETS");
			if (op)
				op->snp_type = SNP_PAGE_SECRETS;
		} else if (p->vmm != PLAN_VMM_EC2) {
			op = add_op(b, s->gpa, s->size, PLAN_SRC_CPUID, NULL, 0, "CPUID");
			if (op)
				op->snp_type = SNP_PAGE_CPUID;
		} else {
			return 0;	/* EC2 adds the CPUID page after all others */
		}
		break;
	case SEV_SECTION_KERNEL_HASHES:
		if (!pp->kernel) {
			op = add_op(b, s->gpa, s->size, PLAN_SRC_ZERO, NULL, 0,
				    "KERNEL_HASHES");
			if (op)
				op->snp_type = SNP_PAGE_ZERO;
			break;
		}
		if (s->size != PAGE_SIZE || p->hashes_gpa < s->gpa ||
		    p->hashes_gpa >= s->gpa + PAGE_SIZE) {
			coco_err_set(b->err, "the kernel-hashes table at 0x%llx is not inside "
				     "the one-page SNP_KERNEL_HASHES section at 0x%x",
				     (unsigned long long)p->hashes_gpa, s->gpa);
			return -EINVAL;
		}
		page = plan_alloc(p, PAGE_SIZE);
		if (!page)
			return -ENOMEM;
		sev_hashes_page(p->hashes_table, (unsigned int)(p->hashes_gpa & 0xfff), page);
		op = add_op(b, s->gpa, PAGE_SIZE, PLAN_SRC_DATA, page,
			    PLAN_OP_KERNEL_HASHES, "kernel hashes");
		if (op)
			op->snp_type = SNP_PAGE_NORMAL;
		break;
	case SEV_SECTION_SVSM_CAA:
		op = add_op(b, s->gpa, s->size, PLAN_SRC_ZERO, NULL, 0, "SVSM_CAA");
		if (op)
			op->snp_type = SNP_PAGE_ZERO;
		break;
	default:
		coco_err_set(b->err, "SEV metadata section %u has unknown type 0x%x",
			     idx, s->type);
		return -EINVAL;
	}
	return op ? 0 : -ENOMEM;
}

static int build_snp(struct builder *b)
{
	const struct plan_params *pp = b->pp;
	struct launch_plan *p = b->plan;
	struct fw_table t, svsm_t;
	const struct fw_table *meta_t = &t;
	const uint8_t *meta_img = p->fw;
	size_t meta_len = p->fw_len;
	struct sev_meta *m;
	struct plan_op *op;
	unsigned int i;
	int ret;

	if (!(pp->guest_features & 1)) {
		coco_err_set(b->err, "SNP guest features 0x%llx lack bit 0 (SNPActive)",
			     (unsigned long long)pp->guest_features);
		return -EINVAL;
	}
	p->sev_features = pp->guest_features;
	ret = fw_table_parse(p->fw, p->fw_len, &t, b->err);
	if (ret)
		return ret;
	if (pp->svsm) {
		uint8_t *copy;

		if (pp->kernel) {
			coco_err_set(b->err, "kernel hashes are not supported with an SVSM");
			return -EINVAL;
		}
		if (p->vmm != PLAN_VMM_CVMM && p->vmm != PLAN_VMM_QEMU) {
			coco_err_set(b->err, "an SVSM launch is only modelled for QEMU");
			return -EINVAL;
		}
		if (!pp->svsm_len || pp->svsm_len % PAGE_SIZE || pp->vars_size % PAGE_SIZE ||
		    pp->svsm_len > PLAN_FW_MAX || pp->vars_size > PLAN_FW_MAX ||
		    pp->svsm_len + pp->vars_size > p->fw_gpa - LOW_RAM_LIMIT) {
			coco_err_set(b->err, "the SVSM image (0x%zx bytes) and vars size "
				     "(0x%llx) must be page multiples and fit below the "
				     "firmware", pp->svsm_len,
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
		ret = fw_table_parse(p->svsm, p->svsm_len, &svsm_t, b->err);
		if (ret)
			return ret;
		meta_t = &svsm_t;
		meta_img = p->svsm;
		meta_len = p->svsm_len;
	}

	op = add_op(b, p->fw_gpa, p->fw_len, PLAN_SRC_DATA, p->fw, PLAN_OP_FIRMWARE,
		    "firmware");
	if (!op)
		return -ENOMEM;
	op->snp_type = SNP_PAGE_NORMAL;
	if (p->svsm) {
		op = add_op(b, p->svsm_gpa, p->svsm_len, PLAN_SRC_DATA, p->svsm,
			    PLAN_OP_SVSM, "SVSM");
		if (!op)
			return -ENOMEM;
		op->snp_type = SNP_PAGE_NORMAL;
	}
	m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	ret = sev_meta_parse(meta_img, meta_len, meta_t, m, b->err);
	if (ret == -ENOENT) {
		m->n = 0;
		ret = 0;
	}
	if (!ret && pp->kernel) {
		for (i = 0; i < m->n && m->s[i].type != SEV_SECTION_KERNEL_HASHES; i++)
			;
		if (i == m->n) {
			coco_err_set(b->err, "kernel specified but the firmware's SEV "
				     "metadata doesn't include an SNP_KERNEL_HASHES section");
			ret = -EINVAL;
		} else {
			ret = hashes_table(b, &t, p->fw, true);
		}
	}
	for (i = 0; !ret && i < m->n; i++)
		ret = snp_section(b, &m->s[i], i);
	if (!ret && p->vmm == PLAN_VMM_EC2) {
		for (i = 0; i < m->n; i++) {
			if (m->s[i].type != SEV_SECTION_CPUID)
				continue;
			op = add_op(b, m->s[i].gpa, m->s[i].size, PLAN_SRC_CPUID, NULL, 0,
				    "CPUID");
			if (!op) {
				ret = -ENOMEM;
				break;
			}
			op->snp_type = SNP_PAGE_CPUID;
		}
	}
	free(m);
	if (ret)
		return ret;

	if (p->svsm) {
		uint32_t off;

		ret = fw_table_u32(&svsm_t, p->svsm, &FW_GUID_SVSM_INFO, 0, &off, b->err);
		if (ret == -ENOENT)
			coco_err_set(b->err, "the SVSM image has no SVSM info entry");
		if (ret)
			return -EINVAL;
		if (off >= p->svsm_len) {
			coco_err_set(b->err, "the SVSM entry point 0x%x is outside its image",
				     off);
			return -EINVAL;
		}
		ret = alloc_vcpus(p, pp->nr_vcpus);
		if (ret)
			return ret;
		for (i = 0; i < p->nr_vcpus; i++) {
			p->vcpus[i].eip = (uint32_t)(p->svsm_gpa + off);
			plan_vcpu_svsm_state(p->vcpus[i].eip, pp->vcpu_sig,
					     &p->vcpus[i].vmsa);
		}
	} else {
		ret = ap_eip(b, &t, p->fw);
		if (!ret)
			ret = es_vcpus(b, pp->guest_features);
		if (ret)
			return ret;
	}

	if (pp->id_block) {
		if (!pp->id_auth) {
			coco_err_set(b->err, "an SNP ID block needs its ID auth structure");
			return -EINVAL;
		}
		p->snp_finish.id_block_en = true;
		memcpy(p->snp_finish.id_block, pp->id_block, sizeof(p->snp_finish.id_block));
		memcpy(p->snp_finish.id_auth, pp->id_auth, sizeof(p->snp_finish.id_auth));
		p->snp_finish.auth_key_en = pp->auth_key_en;
	}
	if (pp->coco->have_host_data)
		memcpy(p->snp_finish.host_data, pp->coco->host_data, 32);
	return 0;
}

static int build_tdx(struct builder *b)
{
	struct launch_plan *p = b->plan;
	bool have_hob = false;
	struct fw_table t;
	struct tdvf *v;
	unsigned int i;
	int ret;

	p->tdx_attr = b->pp->coco->tdx_attr;
	if (!b->nr_ram) {
		coco_err_set(b->err, "a TDX plan needs the guest RAM size (for the TD HOB)");
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
		coco_err_set(b->err, "the firmware has no TDVF metadata: it is not a TDX "
			     "firmware");
		ret = -EINVAL;
	}
	for (i = 0; !ret && i < v->n; i++) {
		const struct tdvf_section *s = &v->s[i];
		enum plan_src src = PLAN_SRC_DATA;
		uint32_t flags = 0;
		uint8_t *buf = NULL;
		struct plan_op *op;

		if (s->size > (s->type == TDVF_SECTION_TEMP_MEM ? PLAN_TEMP_MEM_MAX :
			       PLAN_FW_MAX)) {
			coco_err_set(b->err, "TDVF section %u (%s) is too large (0x%llx bytes)",
				     i, tdvf_section_name(s->type),
				     (unsigned long long)s->size);
			ret = -EINVAL;
			break;
		}
		switch (s->type) {
		case TDVF_SECTION_BFV:
		case TDVF_SECTION_CFV:
			/*
			 * Firmware bytes belong in the ROM window (check_ops() says so
			 * too, but only after every section was copied): checked first,
			 * up to 32 sections of 16 MiB elsewhere are never allocated.
			 */
			if (!range_within(s->addr, s->size, FOUR_GB - PLAN_FW_MAX, PLAN_FW_MAX)) {
				coco_err_set(b->err, "%s at 0x%llx (0x%llx bytes) is outside guest "
					     "ROM window", tdvf_section_name(s->type),
					     (unsigned long long)s->addr,
					     (unsigned long long)s->size);
				ret = -EINVAL;
				break;
			}
			buf = plan_alloc(p, s->size);
			if (!buf)
				break;
			memcpy(buf, p->fw + s->data_offset, s->raw_size);
			flags = PLAN_OP_FIRMWARE;
			break;
		case TDVF_SECTION_TD_HOB:
			buf = plan_alloc(p, s->size);
			if (!buf)
				break;
			ret = td_hob_build(b->ram, b->nr_ram, v, buf, s->size,
					   &p->tdx_hob_len, b->err);
			p->tdx_hob_gpa = s->addr;
			have_hob = true;
			break;
		case TDVF_SECTION_TEMP_MEM:
			src = PLAN_SRC_ZERO;
			break;
		}
		if (ret)
			break;
		if (src == PLAN_SRC_DATA && !buf) {
			ret = -ENOMEM;
			break;
		}
		op = add_op(b, s->addr, s->size, src, buf, flags, tdvf_section_name(s->type));
		if (!op) {
			ret = -ENOMEM;
			break;
		}
		op->tdx_measure = s->attr & TDVF_ATTR_MR_EXTEND;
		op->tdx_aug = s->attr & TDVF_ATTR_PAGE_AUG;
	}
	if (!ret && !have_hob) {
		coco_err_set(b->err, "TDVF metadata has no TD_HOB section");
		ret = -EINVAL;
	}
	free(v);
	if (ret)
		return ret;
	return alloc_vcpus(p, b->pp->nr_vcpus);
}

static bool in_ram(const struct builder *b, uint64_t gpa, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < b->nr_ram; i++)
		if (range_within(gpa, len, b->ram[i].start, b->ram[i].len))
			return true;
	return false;
}

/* Every op inside RAM or (firmware bytes) the ROM window below 4 GiB; no overlaps. */
static int check_ops(struct builder *b)
{
	const struct launch_plan *p = b->plan;
	uint64_t win = FOUR_GB - PLAN_FW_MAX;
	unsigned int i, j;

	if (p->svsm && p->svsm_gpa < win)
		win = p->svsm_gpa;
	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];
		bool rom = o->flags & (PLAN_OP_FIRMWARE | PLAN_OP_SVSM);

		if (range_overflows(o->gpa, o->len) || !o->len) {
			coco_err_set(b->err, "%s: empty or wrapping range", o->what);
			return -EINVAL;
		}
		if (rom ? !range_within(o->gpa, o->len, win, FOUR_GB - win) :
			  (b->nr_ram && !in_ram(b, o->gpa, o->len))) {
			coco_err_set(b->err, "%s at 0x%llx (0x%llx bytes) is outside guest %s",
				     o->what, (unsigned long long)o->gpa,
				     (unsigned long long)o->len, rom ? "ROM window" : "RAM");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			const struct plan_op *q = &p->ops[j];

			if (o->gpa < q->gpa + q->len && q->gpa < o->gpa + o->len) {
				coco_err_set(b->err, "%s at 0x%llx overlaps %s at 0x%llx",
					     o->what, (unsigned long long)o->gpa, q->what,
					     (unsigned long long)q->gpa);
				return -EINVAL;
			}
		}
	}
	return 0;
}

int plan_build(const struct plan_params *pp, struct launch_plan **out,
	       struct coco_err *err)
{
	struct builder b = { .pp = pp, .err = err };
	struct launch_plan *p;
	uint8_t *fw;
	int ret;

	*out = NULL;
	if (pp->give_fw) {
		/* adopt the buffer first, so every failure path frees it */
		p = calloc(1, sizeof(*p));
		if (!p || !(p->bufs = malloc(sizeof(*p->bufs)))) {
			free((void *)pp->fw);
			free(p);
			coco_err_set(err, "out of memory");
			return -ENOMEM;
		}
		p->bufs[p->nr_bufs++] = (uint8_t *)pp->fw;
	} else {
		p = calloc(1, sizeof(*p));
		if (!p)
			return -ENOMEM;
	}
	b.plan = p;
	ret = -EINVAL;
	if (!pp->coco || pp->coco->type == COCO_NONE) {
		coco_err_set(err, "no confidential platform selected");
		goto fail;
	}
	if (!pp->fw || !pp->fw_len || pp->fw_len % PAGE_SIZE || pp->fw_len > PLAN_FW_MAX) {
		coco_err_set(err, "the firmware image must be a non-empty multiple of "
			     "4 KiB, at most %llu MiB", PLAN_FW_MAX >> 20);
		goto fail;
	}
	if (!pp->nr_vcpus || pp->nr_vcpus > PLAN_MAX_VCPUS) {
		coco_err_set(err, "%u vCPUs: expected 1 to %d", pp->nr_vcpus, PLAN_MAX_VCPUS);
		goto fail;
	}
	if (pp->svsm && pp->coco->type != COCO_SNP) {
		coco_err_set(err, "an SVSM needs an SEV-SNP guest");
		goto fail;
	}
	p->type = pp->coco->type;
	p->vmm = pp->vmm;
	p->policy = pp->coco->policy;
	if (pp->give_fw) {
		fw = (uint8_t *)pp->fw;
	} else {
		fw = plan_alloc(p, pp->fw_len);
		if (!fw) {
			ret = -ENOMEM;
			goto fail;
		}
		memcpy(fw, pp->fw, pp->fw_len);
	}
	p->fw = fw;
	p->fw_len = pp->fw_len;
	p->fw_gpa = FOUR_GB - pp->fw_len;
	if (pp->ram) {
		b.ram = pp->ram;
		b.nr_ram = pp->nr_ram;
	} else {
		b.ram = b.ram_default;
		b.nr_ram = plan_default_ram(pp->mem_size, b.ram_default);
	}

	switch (p->type) {
	case COCO_SEV:
	case COCO_SEV_ES:
		ret = build_sev(&b);
		break;
	case COCO_SNP:
		ret = build_snp(&b);
		break;
	case COCO_TDX:
		ret = build_tdx(&b);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (!ret)
		ret = check_ops(&b);
	if (ret)
		goto fail;
	*out = p;
	return 0;
fail:
	if (ret == -ENOMEM)
		coco_err_set(err, "out of memory");
	plan_free(p);
	return ret;
}

void plan_free(struct launch_plan *p)
{
	unsigned int i;

	if (!p)
		return;
	for (i = 0; i < p->nr_bufs; i++)
		free(p->bufs[i]);
	free(p->bufs);
	free(p->ops);
	free(p->vcpus);
	free(p);
}

int plan_vcpu_vmsa(const struct launch_plan *p, unsigned int idx,
		   uint8_t page[VMSA_PAGE_SIZE])
{
	if ((p->type != COCO_SEV_ES && p->type != COCO_SNP) || idx >= p->nr_vcpus)
		return -EINVAL;
	vmsa_build(&p->vcpus[idx].vmsa, page);
	return 0;
}

const char *plan_vmm_name(enum plan_vmm vmm)
{
	switch (vmm) {
	case PLAN_VMM_CVMM:
		return "cvmm";
	case PLAN_VMM_QEMU:
		return "qemu";
	case PLAN_VMM_EC2:
		return "ec2";
	case PLAN_VMM_GCE:
		return "gce";
	}
	return "?";
}

int plan_vmm_parse(const char *s, enum plan_vmm *vmm)
{
	static const enum plan_vmm all[] = {
		PLAN_VMM_CVMM, PLAN_VMM_QEMU, PLAN_VMM_EC2, PLAN_VMM_GCE,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all); i++) {
		if (!strcasecmp(s, plan_vmm_name(all[i]))) {
			*vmm = all[i];
			return 0;
		}
	}
	return -EINVAL;
}
