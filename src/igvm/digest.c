// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SEV-SNP launch digest of a load: one PAGE_INFO per 4 KiB page of
 * every op, in order, then one VMSA page per vCPU (measure/snp.h has the
 * chain).  docs/igvm.md explains each rule and where igvmmeasure differs.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "igvm/load.h"
#include "measure/snp.h"

const char *igvm_zero_name(enum igvm_zero_pages z)
{
	return z == IGVM_ZERO_AS_ZERO ? "zero" : "normal";
}

int igvm_zero_parse(const char *s, enum igvm_zero_pages *z)
{
	if (!strcasecmp(s, "normal") || !strcasecmp(s, "qemu"))
		*z = IGVM_ZERO_AS_NORMAL;
	else if (!strcasecmp(s, "zero") || !strcasecmp(s, "cloud-hypervisor"))
		*z = IGVM_ZERO_AS_ZERO;
	else
		return -EINVAL;
	return 0;
}

static int fold_op(struct snp_gctx *g, const struct igvm_op *o, igvm_page_cb cb, void *ctx)
{
	uint64_t done;
	int ret;

	for (done = 0; done < o->len; done += SNP_PAGE_SIZE) {
		const uint8_t *page = o->kind == IGVM_OP_DATA ? o->data + done : NULL;

		ret = snp_gctx_update_pages(g, (enum snp_page_type)o->snp_type,
					    o->gpa + done, page, SNP_PAGE_SIZE);
		if (ret)
			return ret;
		if (cb)
			cb(ctx, o->gpa + done, o->snp_type, g->ld);
	}
	return 0;
}

int igvm_load_snp_digest(const struct igvm_load *l, igvm_page_cb cb, void *ctx,
			 uint8_t digest[48])
{
	struct snp_gctx g;
	unsigned int i;
	int ret = snp_gctx_init(&g, NULL);

	for (i = 0; !ret && i < l->nr_ops; i++)
		ret = fold_op(&g, &l->ops[i], cb, ctx);
	for (i = 0; !ret && i < l->nr_vmsas; i++) {
		ret = snp_gctx_update_vmsa(&g, l->vmsas[i]);
		if (!ret && cb)
			cb(ctx, SNP_VMSA_GPA, SNP_PAGE_VMSA, g.ld);
	}
	if (!ret)
		memcpy(digest, g.ld, SNP_LD_LEN);
	snp_gctx_free(&g);
	return ret;
}

int igvm_snp_digest(const struct igvm_file *f, const struct igvm_platform *p,
		    enum igvm_zero_pages zero, uint8_t digest[48], struct err_msg *err)
{
	struct igvm_load *l;
	int ret;

	if (!p)
		p = igvm_platform_find(f, IGVM_PLAT_SNP);
	if (!p || p->type != IGVM_PLAT_SNP) {
		err_set(err, "the file has no SEV-SNP platform to measure");
		return -ENOENT;
	}
	ret = igvm_load_build(f, p, NULL, zero, false, &l, err);
	if (ret)
		return ret;
	ret = igvm_load_snp_digest(l, NULL, NULL, digest);
	if (ret)
		err_set(err, "SHA-384 failed");
	igvm_load_free(l);
	return ret;
}

static const char *kind_name(enum igvm_op_kind k)
{
	static const char *const names[] = {
		[IGVM_OP_DATA] = "data", [IGVM_OP_ZERO] = "zero",
		[IGVM_OP_SECRETS] = "secrets", [IGVM_OP_CPUID] = "cpuid",
		[IGVM_OP_PARAM] = "param",
	};

	return (unsigned int)k < 5 ? names[k] : "?";
}

void igvm_load_print(const struct igvm_load *l, FILE *out)
{
	unsigned int i;

	fprintf(out, "load: platform %s, zero pages %s, %u ops, %u VMSAs\n",
		igvm_platform_name(l->platform->type), igvm_zero_name(l->zero), l->nr_ops,
		l->nr_vmsas);
	for (i = 0; i < l->nr_ops; i++) {
		const struct igvm_op *o = &l->ops[i];

		fprintf(out, "  op %3u: gpa 0x%09" PRIx64 " len 0x%08" PRIx64 " %-7s %-10s%s%s\n",
			i, o->gpa, o->len, kind_name(o->kind),
			snp_page_type_name((enum snp_page_type)o->snp_type),
			o->measured ? " measured" : "", o->shared ? " shared" : "");
	}
	for (i = 0; i < l->nr_vmsas; i++)
		fprintf(out, "  vcpu %u: VMSA, sev_features 0x%" PRIx64 "\n", i,
			igvm_vmsa_sev_features(l->vmsas[i]));
	if (l->have_native_ctx)
		fprintf(out, "  vcpu 0: native context, rip 0x%" PRIx64 " cr0 0x%" PRIx64 "\n",
			l->native_ctx.rip, l->native_ctx.cr0);
	if (l->have_policy)
		fprintf(out, "  policy 0x%" PRIx64 "\n", l->policy);
	fprintf(out, "  id block %s\n", l->have_id_block ? "yes" : "no");
	for (i = 0; i < l->nr_required; i++)
		fprintf(out, "  required memory 0x%" PRIx64 "+0x%" PRIx64 "\n",
			l->required[i].gpa, l->required[i].len);
	for (i = 0; i < l->nr_error; i++)
		fprintf(out, "  error range 0x%" PRIx64 "+0x%" PRIx64 "\n", l->error[i].gpa,
			l->error[i].len);
}
