// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP launch plan of an IGVM file's SNP load (see plan_igvm.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "coco/plan/plan_igvm.h"
#include "coco/plan/plan_internal.h"
#include "measure/snp.h"
#include "util/err.h"

/* The operation's name in plan dumps and launch errors. */
static const char *op_what(const struct igvm_op *o)
{
	switch (o->kind) {
	case IGVM_OP_SECRETS:
		return "IGVM secrets page";
	case IGVM_OP_CPUID:
		return "IGVM CPUID page";
	case IGVM_OP_PARAM:
		return "IGVM parameter area";
	case IGVM_OP_ZERO:
		return o->measured ? "IGVM zero pages" : "IGVM unmeasured zero pages";
	case IGVM_OP_DATA:
		break;
	}
	return o->measured ? "IGVM pages" : "IGVM unmeasured pages";
}

static bool in_window(uint64_t gpa, uint64_t len, uint64_t start, uint64_t size)
{
	return gpa >= start && len <= size && gpa - start <= size - len;
}

/* In guest RAM (cvmm's layout) or in the firmware window below 4 GiB. */
static int check_range(const struct igvm_op *o, uint64_t mem_size, struct err_msg *err)
{
	struct td_ram_range ram[2];
	unsigned int i, n = plan_default_ram(mem_size, ram);

	if (in_window(o->gpa, o->len, PLAN_FOUR_GB - PLAN_FW_MAX, PLAN_FW_MAX))
		return 0;
	for (i = 0; i < n; i++)
		if (in_window(o->gpa, o->len, ram[i].start, ram[i].len))
			return 0;
	err_set(err, "%s at 0x%" PRIx64 " (0x%" PRIx64 " bytes) lie outside guest RAM "
		"(%" PRIu64 " MiB) and the firmware window below 4 GiB", op_what(o), o->gpa,
		o->len, mem_size >> 20);
	return -EINVAL;
}

static int add_op(struct builder *b, const struct igvm_op *o)
{
	struct plan_op *op;
	enum plan_src src;
	uint8_t *data = NULL;

	switch (o->kind) {
	case IGVM_OP_SECRETS:
		src = PLAN_SRC_SECRETS;
		break;
	case IGVM_OP_CPUID:
		src = PLAN_SRC_CPUID;
		break;
	case IGVM_OP_ZERO:
		src = PLAN_SRC_ZERO;
		break;
	default:	/* DATA, PARAM: the plan owns a copy */
		src = PLAN_SRC_DATA;
		data = plan_alloc(b->plan, (size_t)o->len);
		if (!data)
			return -ENOMEM;
		memcpy(data, o->data, (size_t)o->len);
		break;
	}
	op = plan_add_op(b, o->gpa, o->len, src, data, 0, op_what(o));
	if (!op)
		return -ENOMEM;
	op->snp_type = o->snp_type;
	return 0;
}

static int add_vcpus(struct builder *b, const struct igvm_load *l, unsigned int nr_vcpus)
{
	struct launch_plan *p = b->plan;
	struct err_msg e;
	unsigned int i;
	int ret;

	if (!l->nr_vmsas || nr_vcpus != l->nr_vmsas) {
		err_set(b->err, "the file's SEV-SNP platform has VP contexts for %u vCPU%s; "
			"cvmm launches one vCPU per context (give --cpu count=%u)",
			l->nr_vmsas, l->nr_vmsas == 1 ? "" : "s", l->nr_vmsas);
		return -EINVAL;
	}
	ret = plan_alloc_vcpus(p, nr_vcpus);
	if (ret)
		return ret;
	for (i = 0; i < nr_vcpus; i++) {
		struct plan_vcpu *v = &p->vcpus[i];

		if (igvm_vmsa_decode(l->vmsas[i], &v->vmsa, &e)) {
			err_set(b->err, "vCPU %u: %s", i, e.msg);
			return -EINVAL;
		}
		v->eip = (uint32_t)(v->vmsa.seg[VMSA_CS].base + v->vmsa.rip);
	}
	return 0;
}

/* Policy, SEV features, ID block, host data. */
static int set_launch(struct launch_plan *p, const struct plan_igvm_params *pp,
		      struct err_msg *err)
{
	const struct igvm_load *l = pp->load;
	const struct coco_config *c = pp->coco;

	p->policy = l->have_policy ? l->policy : c->policy;
	p->sev_features = l->sev_features;
	if (c->have_sev_features && c->sev_features != l->sev_features) {
		err_set(err, "sev-features=0x%" PRIx64 " disagrees with the file's VMSAs "
			"(SEV_FEATURES 0x%" PRIx64 "): leave it out", c->sev_features,
			l->sev_features);
		return -EINVAL;
	}
	if (l->have_id_block) {
		if (c->id_block_path) {
			err_set(err, "the file has an SNP ID block: leave out id-block=");
			return -EINVAL;
		}
		igvm_id_block_to_psp(&l->id_block, p->policy, p->snp_finish.id_block,
				     p->snp_finish.id_auth, &p->snp_finish.auth_key_en);
		p->snp_finish.id_block_en = true;
	}
	if (c->have_host_data)
		memcpy(p->snp_finish.host_data, c->host_data, sizeof(c->host_data));
	return 0;
}

int plan_from_igvm(const struct plan_igvm_params *pp, struct launch_plan **out,
		   struct err_msg *err)
{
	const struct igvm_load *l = pp->load;
	struct builder b = { .err = err };
	unsigned int i;
	int ret;

	*out = NULL;
	if (!l->platform || l->platform->type != IGVM_PLAT_SNP) {
		err_set(err, "not an SEV-SNP load");
		return -EINVAL;
	}
	b.plan = calloc(1, sizeof(*b.plan));
	if (!b.plan)
		return -ENOMEM;
	b.plan->type = COCO_SNP;
	b.plan->vmm = PLAN_VMM_CVMM;
	ret = set_launch(b.plan, pp, err);
	for (i = 0; !ret && i < l->nr_ops; i++) {
		ret = check_range(&l->ops[i], pp->mem_size, err);
		if (!ret)
			ret = add_op(&b, &l->ops[i]);
	}
	if (!ret)
		ret = add_vcpus(&b, l, pp->nr_vcpus);
	if (ret == -ENOMEM)
		err_set(err, "out of memory");
	if (ret) {
		plan_free(b.plan);
		return ret;
	}
	*out = b.plan;
	return 0;
}
