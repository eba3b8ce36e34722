// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a confidential launch is, told to the user (machine/launch_report.h):
 * with -v at a real launch (on stderr, with the `cvmm measure` line that
 * predicts its measurement) and as the report of --dry-run (on stdout,
 * text or JSON, after checking the simulated platform measured what the
 * plan predicts).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/cpuid.h"
#include "machine/coco_internal.h"
#include "machine/launch_report.h"
#include "machine/machine.h"
#include "util/log.h"
#include "util/num.h"

/* The launch record of this VM (machine/launch_report.h), without digests. */
static void coco_report(const struct vm *vm, struct launch_report *r)
{
	const struct machine *m = vm->machine;
	const struct vm_config *cfg = vm->cfg;
	bool kernel = m->kernel && !m->builtin && cfg->kernel;

	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->plan = vm->coco->plan;
	r->vmm = PLAN_VMM_CVMM;
	r->vcpu_sig = cpuid_signature(vm->cpuid);
	if (cfg->igvm && r->plan->nr_vcpus)	/* the file's VMSAs carry it */
		r->vcpu_sig = (uint32_t)r->plan->vcpus[0].vmsa.rdx;
	if (kernel) {
		r->kernel = m->kernel;
		r->kernel_len = m->kernel_len;
		r->initrd = cfg->initramfs ? m->initrd : NULL;
		r->initrd_len = cfg->initramfs ? m->initrd_len : 0;
		r->cmdline = m->cmdline;
	}
	if (m->id_block) {
		r->id_block = m->id_block;
		r->id_auth = m->id_auth;
		r->author_key = r->plan->snp_finish.auth_key_en;
	} else if (cfg->igvm && r->plan->snp_finish.id_block_en) {	/* the file's */
		r->id_block = r->plan->snp_finish.id_block;
		r->id_auth = r->plan->snp_finish.id_auth;
		r->author_key = r->plan->snp_finish.auth_key_en;
	}
}

/*
 * -v at a real launch: what is launched and the `cvmm measure` line that
 * predicts its measurement (once, not at every reboot).
 */
void vm_coco_log_launch(const struct vm *vm)
{
	struct launch_report r;
	struct plan_digest want;
	char *text = NULL, *line, *save = NULL, hex[2 * 64 + 1];
	size_t len = 0;
	FILE *f;

	if (log_level < LOG_INFO || vm->machine->boots || sim_of(&vm->machine->kvm) ||
	    plan_measure(vm->coco->plan, NULL, &want))
		return;
	coco_report(vm, &r);
	f = open_memstream(&text, &len);
	if (!f)
		return;
	launch_report_text(f, &r);
	if (!fclose(f))
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			log_info("--coco: %s", line);
	free(text);
	hex_encode(want.d, want.len, hex);
	log_info("--coco: the measurement will be %s, as computed by:", hex);
	launch_report_command(stderr, &r);
}

json_t *vm_coco_launch_json(const struct vm *vm)
{
	struct launch_report r;
	struct plan_digest d;

	if (!vm->coco || !vm->coco->plan || plan_measure(vm->coco->plan, NULL, &d))
		return NULL;
	coco_report(vm, &r);
	r.digest = d.d;
	r.digest_len = d.len;
	return launch_report_json(&r);
}

static int dry_run_text(struct vm *vm, struct launch_report *r)
{
	char hex[2 * 64 + 1];

	launch_report_text(stdout, r);
	plan_print(vm->coco->plan, stdout);
	if (r->launch_measure) {
		hex_encode(r->launch_measure, r->launch_measure_len, hex);
		printf("launch-measure: %s\n", hex);
	}
	hex_encode(r->predicted, r->digest_len, hex);
	printf("predicted: %s (the launch plan)\n", hex);
	hex_encode(r->digest, r->digest_len, hex);
	printf("measurement: %s\n", hex);
	printf("# the same measurement, from the same files and flags:\n");
	launch_report_command(stdout, r);
	return 0;
}

int machine_coco_dry_run_report(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	struct launch_report r;
	struct sim_launch got;
	int ret;

	/* the platform's digest, checked against the plan's (coco.c) */
	ret = vm_coco_sim_result(vm, "--dry-run", &got);
	if (ret)
		return ret;
	coco_report(vm, &r);
	r.digest = got.digest;
	r.digest_len = got.len;
	r.predicted = got.digest;	/* equal, or vm_coco_sim_result() failed */
	if (c->k.sev_measurement_len) {
		r.launch_measure = c->k.sev_measurement;
		r.launch_measure_len = c->k.sev_measurement_len;
	}
	ret = vm->cfg->json ? launch_report_print_json(stdout, &r) : dry_run_text(vm, &r);
	if (!ret && fflush(stdout))
		ret = -EIO;
	return ret ? log_errno("--dry-run", ret) : 0;
}
