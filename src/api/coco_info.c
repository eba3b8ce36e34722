// SPDX-License-Identifier: GPL-2.0-only
/*
 * GET /api/v1/vm.coco: the confidential launch of the machine's VM (see
 * api/api.h and docs/api.md).  The measurement is the launch digest of the
 * plan the VM was launched from (coco/plan): what the PSP or the TDX
 * module computed over the same bytes, in the object `cvmm measure --json`
 * prints for the same flags (machine/launch_report.h).
 */
#include <stdio.h>

#include "api/api.h"
#include "coco/plan/plan.h"
#include "machine/coco.h"
#include "machine/vm.h"
#include "sim/sim.h"
#include "util/num.h"

static const char *const launch_states[] = {
	[MACHINE_EMPTY] = "none",
	[MACHINE_CREATED] = "created",		/* described, not launched */
	[MACHINE_RUNNING] = "running",		/* launched, the guest runs */
	[MACHINE_PAUSED] = "paused",		/* launched, the vCPUs parked */
	[MACHINE_SHUTDOWN] = "shutdown",	/* torn down: the next boot launches again */
};

static int set_hex(json_t *o, const char *key, const uint8_t *d, size_t len)
{
	char hex[2 * 64 + 1];

	hex_encode(d, len, hex);
	return json_object_set_new(o, key, json_string(hex));
}

static int set_u64(json_t *o, const char *key, uint64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
	return json_object_set_new(o, key, json_string(s));
}

/* What the simulated platform itself computed (it must equal the plan's). */
static int platform_reported(json_t *o, const struct machine *m)
{
	struct sim *s = sim_of(&m->kvm);
	struct sim_launch rec;

	if (!s || sim_vm_launch(s, m->vm->kvm.fd, &rec))
		return 0;
	return set_hex(o, "platform_measured", rec.digest, rec.len);
}

/* platform=sim: the launch ran on the simulated platform, the guest runs on KVM. */
static const char *backend(const struct vm_config *cfg)
{
	if (cfg->dry_run)
		return "simulated";
	return cfg->coco.platform == COCO_PLATFORM_SIM ? "simulated launch, plain KVM guest" :
							  "kvm";
}

json_t *api_coco_info(const struct machine *m)
{
	const struct vm_config *cfg = machine_coco_user_cfg(m);
	const struct coco_config *cc = &cfg->coco;
	const struct launch_plan *plan = m->vm ? vm_coco_plan(m->vm) : NULL;
	const struct sim_launch *sim = machine_coco_sim_launch(m);
	json_t *o;
	int ret = 0;

	o = json_pack("{s:s, s:s, s:s, s:i}", "platform", coco_type_name(cc->type), "backend",
		      backend(cfg), "launch_state", launch_states[m->state], "launches",
		      (int)m->boots);
	if (!o)
		return NULL;
	if (cc->type == COCO_TDX)
		ret |= set_u64(o, "attributes", cc->tdx_attr);
	else if (cc->type != COCO_NONE)
		ret |= set_u64(o, "policy", cc->policy);
	if (cc->type == COCO_SNP && cc->have_host_data)
		ret |= set_hex(o, "host_data", cc->host_data, 32);
	if (plan) {
		/* the object `cvmm measure --json` prints for the same flags */
		json_t *meas = vm_coco_launch_json(m->vm);

		ret |= meas ? json_object_set_new(o, "measurement", meas) : -1;
		ret |= platform_reported(o, m);
	}
	if (sim && m->vm)	/* platform=sim: no plan outlives the launch VM */
		ret |= set_hex(o, "platform_measured", sim->digest, sim->len);
	if (ret) {
		json_decref(o);
		return NULL;
	}
	return o;
}
