// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm measure --igvm FILE [--zero-pages normal|zero]: the SEV-SNP launch
 * digest of an IGVM file's SNP platform, from the launch plan `cvmm boot
 * --igvm FILE --coco snp` executes (coco/plan/plan_igvm.h): the file's
 * pages in order, then its VMSAs.  The zero-page rule is named on stderr
 * (and in --json): NORMAL pages of zeros as QEMU loads them (the default),
 * or ZERO pages as Cloud Hypervisor imports them on KVM.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/measure_internal.h"
#include "coco/plan/plan_igvm.h"
#include "igvm/load.h"
#include "machine/launch_report.h"
#include "util/file.h"
#include "util/log.h"

#define IGVM_FILE_MAX	(1ULL << 30)

/* What the two zero-page rules are, for the line on stderr and the JSON. */
static const char *zero_rule(enum igvm_zero_pages z)
{
	return z == IGVM_ZERO_AS_ZERO ?
	       "ZERO pages (Cloud Hypervisor on KVM)" :
	       "NORMAL pages of zeros (QEMU)";
}

const struct arg_opt measure_igvm_opts[] = {
	{ "zero-pages", 0, ARG_REQUIRED, MEASURE_OPT_ZERO_PAGES, "normal|zero",
	  "with --igvm FILE: measure pages without data as NORMAL pages\n"
	  "of zeros (default, as QEMU loads them) or as ZERO pages (as\n"
	  "Cloud Hypervisor imports them on KVM)", 0 },
	ARG_END,
};

int measure_igvm_zero_pages(struct measure_args *a, const char *arg)
{
	a->have_zero_pages = true;
	if (igvm_zero_parse(arg, &a->zero_pages)) {
		log_err("--zero-pages", "'%s': expected normal or zero", arg);
		return -EINVAL;
	}
	return 0;
}

int measure_igvm_check(const struct measure_args *a)
{
	const char *bad = a->ovmf_hash_only ? "--ovmf-hash-only" :
			  a->have_ovmf_hash ? "--ovmf-hash" : a->svsm ? "--svsm" :
			  a->have_vars_size ? "--vars-size" : a->id_block ? "--id-block" :
			  a->have_measurement ? "--measurement" : a->cfg.kernel ? "--kernel" :
			  a->cfg.initramfs ? "--initramfs" : NULL;

	if (!a->cfg.igvm) {
		log_err("--zero-pages", "needs --igvm FILE");
		return -EINVAL;
	}
	if (bad) {
		log_err(bad, "does not go with --igvm: the IGVM file is the whole launch "
			"(its own firmware, kernel, SVSM and ID block)");
		return -EINVAL;
	}
	if (a->vmm != PLAN_VMM_CVMM && a->vmm != PLAN_VMM_QEMU) {
		log_err("--vmm", "%s: an IGVM launch is modelled as cvmm's and QEMU's",
			plan_vmm_name(a->vmm));
		return -EINVAL;
	}
	return 0;
}

struct igvm_measure {
	uint8_t *buf;
	size_t len;
	struct igvm_file *file;
	const struct igvm_platform *platform;
	struct igvm_load *load;
	struct launch_plan *plan;
	char reason[256];
};

static void im_free(struct igvm_measure *m)
{
	plan_free(m->plan);
	igvm_load_free(m->load);
	igvm_free(m->file);
	free(m->buf);
}

/* The file, its SNP platform and its load with cvmm's host values for @a. */
static int im_load(struct igvm_measure *m, const struct measure_args *a)
{
	const struct vm_config *cfg = &a->cfg;
	const char *path = cfg->igvm;
	struct td_ram_range ram[2];
	struct igvm_mem_entry mem[2];
	struct igvm_host host = { .mem = mem, .vp_count = cfg->cpu.count,
				  .cmdline = cfg->cmdline };
	struct err_msg err;
	unsigned int i;
	int ret;

	ret = measure_read_file("IGVM file", path, IGVM_FILE_MAX, FILE_REGULAR, &m->buf,
				&m->len);
	if (ret)
		return ret;
	ret = igvm_parse(m->buf, m->len, &m->file, &err);
	if (!ret)
		ret = igvm_select_platform(m->file, 1u << IGVM_PLAT_SNP, &m->platform, &err);
	if (ret) {
		log_err(path, "%s", ret == -ENOMEM ? "out of memory" : err.msg);
		return ret;
	}
	igvm_select_reason(m->file, m->platform, m->reason, sizeof(m->reason));
	host.nr_mem = plan_default_ram(cfg->mem.size, ram);
	for (i = 0; i < host.nr_mem; i++)
		mem[i] = (struct igvm_mem_entry){ ram[i].start, ram[i].len, IGVM_MEM_MEMORY };
	ret = igvm_load_build(m->file, m->platform, &host,
			      a->have_zero_pages ? a->zero_pages : IGVM_ZERO_AS_NORMAL, false,
			      &m->load, &err);
	if (ret)
		log_err(path, "%s", ret == -ENOMEM ? "out of memory" : err.msg);
	return ret;
}

/* The plan; --cpu sig=/model= must be the VMSAs' (RDX holds the signature). */
static int im_plan(struct igvm_measure *m, const struct measure_args *a)
{
	const struct vm_config *cfg = &a->cfg;
	struct coco_config snp = { .type = COCO_SNP, .policy = 0x30000 };
	struct plan_igvm_params pp = {
		.load = m->load, .coco = cfg->coco.type == COCO_SNP ? &cfg->coco : &snp,
		.nr_vcpus = cfg->cpu.count, .mem_size = cfg->mem.size,
	};
	struct err_msg err = { "" };
	int ret;

	ret = plan_from_igvm(&pp, &m->plan, &err);
	if (ret) {
		log_err(cfg->igvm, "%s", err.msg);
		return ret;
	}
	if (a->have_sig && (uint32_t)m->plan->vcpus[0].vmsa.rdx != a->sig) {
		log_err(cfg->igvm, "the file's VMSAs have the vCPU signature 0x%x (RDX), not "
			"0x%x: leave out --cpu model=/sig=", (unsigned int)m->plan->vcpus[0].vmsa.rdx,
			a->sig);
		return -EINVAL;
	}
	return 0;
}

static int im_json(const struct measure_args *a, const struct igvm_measure *m,
		   const struct launch_report *r)
{
	enum igvm_zero_pages z = a->have_zero_pages ? a->zero_pages : IGVM_ZERO_AS_NORMAL;
	json_t *json = launch_report_json(r);
	const char *cmd;
	char *full = NULL;
	int ret = -ENOMEM;

	if (!json)
		goto out;
	cmd = json_string_value(json_object_get(json, "command"));
	if (z != IGVM_ZERO_AS_NORMAL && cmd &&
	    asprintf(&full, "%s --zero-pages %s", cmd, igvm_zero_name(z)) < 0)
		goto out;
	if ((full && json_object_set_new(json, "command", json_string(full))) ||
	    json_object_set_new(json, "igvm_platform",
				json_string(igvm_platform_name(m->platform->type))) ||
	    json_object_set_new(json, "igvm_selection", json_string(m->reason)) ||
	    json_object_set_new(json, "zero_pages", json_string(igvm_zero_name(z))) ||
	    json_object_set_new(json, "zero_pages_measured_as", json_string(zero_rule(z))))
		goto out;
	ret = json_dumpf(json, stdout, JSON_INDENT(2)) || fputc('\n', stdout) == EOF ?
	      -EIO : 0;
out:
	free(full);
	json_decref(json);
	return ret == -ENOMEM ? log_errno("measure", ret) : ret;
}

static int im_output(const struct measure_args *a, const struct igvm_measure *m,
		     const struct plan_digest *dg)
{
	enum igvm_zero_pages z = a->have_zero_pages ? a->zero_pages : IGVM_ZERO_AS_NORMAL;
	struct launch_report r = {
		.cfg = &a->cfg, .plan = m->plan, .vmm = a->vmm,
		.vcpu_sig = (uint32_t)m->plan->vcpus[0].vmsa.rdx,
		.digest = dg->d, .digest_len = dg->len,
		.id_block = m->plan->snp_finish.id_block_en ? m->plan->snp_finish.id_block : NULL,
		.id_auth = m->plan->snp_finish.id_auth,
		.author_key = m->plan->snp_finish.auth_key_en,
	};

	if (log_level >= LOG_NORMAL)
		fprintf(stderr, "cvmm measure: %s: %s; zero pages measured as %s\n",
			a->cfg.igvm, m->reason, zero_rule(z));
	if (log_level >= LOG_INFO)
		launch_report_text(stderr, &r);
	if (a->json)
		return im_json(a, m, &r);
	measure_print_digest(a, dg->d, dg->len);
	return 0;
}

int measure_igvm(const struct measure_args *a)
{
	struct igvm_measure m = { 0 };
	struct plan_digest dg;
	int ret;

	ret = im_load(&m, a);
	if (!ret)
		ret = im_plan(&m, a);
	if (ret)
		goto out;
	if (a->print_plan)
		plan_print(m.plan, stderr);
	ret = plan_measure(m.plan, NULL, &dg);
	if (ret)
		log_errno("measure", ret);
	else
		ret = im_output(a, &m, &dg);
out:
	im_free(&m);
	return ret;
}
