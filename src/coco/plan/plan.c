// SPDX-License-Identifier: GPL-2.0-only
/*
 * Launch plan construction: firmware metadata + user options -> ordered
 * memory operations and initial vCPU states (see coco/plan/plan.h).  This
 * file has what every platform shares and the final checks; each
 * platform's builder is its own file (plan_sev.c, plan_snp.c,
 * plan_tdx.c), every VMM's quirks are plan_vmm.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "coco/fw/sev_meta.h"
#include "coco/plan/plan_internal.h"
#include "measure/sev_hashes.h"
#include "util/compiler.h"

/* One builder per platform (enum coco_type). */
static int (*const builders[])(struct builder *b) = {
	[COCO_SEV] = plan_build_sev,
	[COCO_SEV_ES] = plan_build_sev,
	[COCO_SNP] = plan_build_snp,
	[COCO_TDX] = plan_build_tdx,
};

unsigned int plan_default_ram(uint64_t mem_size, struct td_ram_range ram[2])
{
	uint64_t low = mem_size < PLAN_LOW_RAM_LIMIT ? mem_size : PLAN_LOW_RAM_LIMIT;
	unsigned int n = 0;

	if (!mem_size)
		return 0;
	ram[n++] = (struct td_ram_range){ 0, low };
	if (mem_size > low)
		ram[n++] = (struct td_ram_range){ PLAN_FOUR_GB, mem_size - low };
	return n;
}

uint8_t *plan_alloc(struct launch_plan *p, size_t len)
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

struct plan_op *plan_add_op(struct builder *b, uint64_t gpa, uint64_t len,
			    enum plan_src src, const uint8_t *data, uint32_t flags,
			    const char *what)
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

int plan_hashes_table(struct builder *b, const struct fw_table *t, const uint8_t *img,
		      bool snp)
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
		err_set(b->err, snp ?
			"kernel specified but the firmware has no SEV hash table entry" :
			"kernel specified but the firmware doesn't support "
			"kernel/initrd/cmdline measurement (it has no hashes table to check "
			"them against): use an AmdSev OVMF (OvmfPkg/AmdSev) or stage0, or "
			"no --kernel");
		return -EINVAL;
	}
	if (ret)
		return ret;
	if (size < SEV_HASHES_PADDED_LEN) {
		err_set(b->err, "the firmware's kernel-hashes area (0x%x bytes) is "
			"smaller than the %d-byte table", size, SEV_HASHES_PADDED_LEN);
		return -EINVAL;
	}
	if (gpa % 16 || (gpa & 0xfff) > PLAN_PAGE_SIZE - SEV_HASHES_PADDED_LEN) {
		err_set(b->err, "the firmware's kernel-hashes table address 0x%x is "
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

int plan_ap_eip(struct builder *b, const struct fw_table *t, const uint8_t *img)
{
	struct launch_plan *p = b->plan;
	int ret = sev_reset_eip(t, img, &p->ap_eip, b->err);

	if (ret == -ENOENT) {
		/* whatever the vCPU count: such a firmware is not an SEV-ES one */
		err_set(b->err, "the firmware has no SEV-ES reset block (GUID entry "
			"SEV_ES_RESET_BLOCK): it is not built for SEV-ES or SNP; use an "
			"OVMF with SEV support (OvmfX64, AmdSev) or stage0");
		return -EINVAL;
	}
	if (ret)
		return ret;
	p->have_ap_eip = true;
	return 0;
}

int plan_alloc_vcpus(struct launch_plan *p, unsigned int n)
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

int plan_es_vcpus(struct builder *b, uint64_t features)
{
	struct launch_plan *p = b->plan;
	unsigned int i;
	int ret = plan_alloc_vcpus(p, b->pp->nr_vcpus);

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
	uint64_t win = PLAN_FOUR_GB - PLAN_FW_MAX;
	unsigned int i, j;

	if (p->svsm && p->svsm_gpa < win)
		win = p->svsm_gpa;
	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];
		bool rom = o->flags & (PLAN_OP_FIRMWARE | PLAN_OP_SVSM);

		if (range_overflows(o->gpa, o->len) || !o->len) {
			err_set(b->err, "%s: empty or wrapping range", o->what);
			return -EINVAL;
		}
		if (rom ? !range_within(o->gpa, o->len, win, PLAN_FOUR_GB - win) :
			  (b->nr_ram && !in_ram(b, o->gpa, o->len))) {
			err_set(b->err, "%s at 0x%llx (0x%llx bytes) is outside guest %s",
				o->what, (unsigned long long)o->gpa,
				(unsigned long long)o->len, rom ? "ROM window" : "RAM");
			return -EINVAL;
		}
		for (j = 0; j < i; j++) {
			const struct plan_op *q = &p->ops[j];

			if (o->gpa < q->gpa + q->len && q->gpa < o->gpa + o->len) {
				err_set(b->err, "%s at 0x%llx overlaps %s at 0x%llx",
					o->what, (unsigned long long)o->gpa, q->what,
					(unsigned long long)q->gpa);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* Adopt (give_fw), refer to (borrow_fw) or copy the firmware image. */
static int plan_take_fw(struct launch_plan *p, const struct plan_params *pp)
{
	uint8_t *fw;

	if (pp->give_fw || pp->borrow_fw) {
		fw = (uint8_t *)pp->fw;
	} else {
		fw = plan_alloc(p, pp->fw_len);
		if (!fw)
			return -ENOMEM;
		memcpy(fw, pp->fw, pp->fw_len);
	}
	p->fw = fw;
	p->fw_len = pp->fw_len;
	p->fw_gpa = PLAN_FOUR_GB - pp->fw_len;
	return 0;
}

/* What every platform needs: a known platform, a firmware image, 1 to 512 vCPUs. */
static int plan_check_params(const struct plan_params *pp, struct err_msg *err)
{
	if (!pp->coco || (unsigned int)pp->coco->type >= ARRAY_SIZE(builders) ||
	    !builders[pp->coco->type]) {
		err_set(err, "no confidential platform selected");
		return -EINVAL;
	}
	if (!pp->fw || !pp->fw_len || pp->fw_len % PLAN_PAGE_SIZE || pp->fw_len > PLAN_FW_MAX) {
		err_set(err, "the firmware image must be a non-empty multiple of "
			"4 KiB, at most %llu MiB", PLAN_FW_MAX >> 20);
		return -EINVAL;
	}
	if (!pp->nr_vcpus || pp->nr_vcpus > PLAN_MAX_VCPUS) {
		err_set(err, "%u vCPUs: expected 1 to %d", pp->nr_vcpus, PLAN_MAX_VCPUS);
		return -EINVAL;
	}
	if (pp->svsm && pp->coco->type != COCO_SNP) {
		err_set(err, "an SVSM needs an SEV-SNP guest");
		return -EINVAL;
	}
	return 0;
}

/* A new plan; with give_fw it owns pp->fw at once, so every failure path frees it. */
static struct launch_plan *plan_new(const struct plan_params *pp)
{
	struct launch_plan *p = calloc(1, sizeof(*p));

	if (!pp->give_fw)
		return p;
	if (!p || !(p->bufs = malloc(sizeof(*p->bufs)))) {
		free((void *)pp->fw);
		free(p);
		return NULL;
	}
	p->bufs[p->nr_bufs++] = (uint8_t *)pp->fw;
	return p;
}

int plan_build(const struct plan_params *pp, struct launch_plan **out,
	       struct err_msg *err)
{
	struct builder b = { .pp = pp, .err = err };
	struct launch_plan *p;
	int ret;

	*out = NULL;
	p = plan_new(pp);
	if (!p) {
		if (pp->give_fw)
			err_set(err, "out of memory");
		return -ENOMEM;
	}
	b.plan = p;
	ret = plan_check_params(pp, err);
	if (ret)
		goto fail;
	p->type = pp->coco->type;
	p->vmm = pp->vmm;
	p->policy = pp->coco->policy;
	ret = plan_take_fw(p, pp);
	if (ret)
		goto fail;
	if (pp->ram) {
		b.ram = pp->ram;
		b.nr_ram = pp->nr_ram;
	} else {
		b.ram = b.ram_default;
		b.nr_ram = plan_default_ram(pp->mem_size, b.ram_default);
	}
	ret = builders[p->type](&b);
	if (!ret)
		ret = check_ops(&b);
	if (ret)
		goto fail;
	*out = p;
	return 0;
fail:
	if (ret == -ENOMEM)
		err_set(err, "out of memory");
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

