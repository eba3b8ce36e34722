// SPDX-License-Identifier: GPL-2.0-only
/*
 * Restartable confidential guests: the real machine_run() loop on the
 * simulated platform (linked with --wrap=kvm_sys_open so that /dev/kvm is
 * the simulator).  vCPU 0's KVM_RUN reports SYSTEM_EVENT RESET three
 * times, then SHUTDOWN: the machine rebuilds the VM fd, guest_memfd,
 * memslots, irqchip and vCPUs and relaunches from the pristine firmware
 * each time.  Every launch must measure the same, equal to the plan's
 * prediction, and no file descriptor may leak.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../coco/fwgen.h"
#include "coco/plan/plan.h"
#include "../coco/kvm/harness.h"
#include "machine/machine.h"
#include "util/file.h"

static struct sim *g_sim;

int __real_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why);
int __wrap_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why);

int __wrap_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why)
{
	if (!g_sim)
		return __real_kvm_sys_open(sys, dev, why);
	sim_install(g_sim, sys);
	return 0;
}

static void expected(const uint8_t *fw, size_t len, const char *spec, unsigned int vcpus,
		     struct plan_digest *d)
{
	struct coco_config coco = { 0 };
	struct launch_plan *plan;
	struct plan_params pp = {
		.coco = &coco, .fw = fw, .fw_len = len, .nr_vcpus = vcpus,
		.vcpu_sig = 0x00a00f11,		/* the simulated EPYC Milan */
		.guest_features = 1, .mem_size = CONFIG_DEFAULT_MEM,
	};

	assert_int_equal(coco_config_parse(&coco, spec), 0);
	assert_int_equal(plan_build(&pp, &plan, NULL), 0);
	assert_int_equal(plan_measure(plan, NULL, d), 0);
	plan_free(plan);
	coco_config_free(&coco);
}

static void restart(const char *spec, enum coco_type platform, bool with_hypercall)
{
	char dir[] = "/tmp/cvmm-restart-XXXXXX", path[600];
	struct sim_config sc = { .platform = platform, .vmm_order = true };
	struct sim_launch first, rec;
	struct plan_digest want;
	struct vm_config cfg;
	struct sim_exit e;
	struct fwgen g;
	unsigned int fds, i, resets = 3;
	uint8_t *fw, reply[256];
	int status;

	fwgen_ovmf(&g);
	fw = fwgen_build(&g);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/fw.img", dir);
	assert_int_equal(file_write_atomic(path, fw, g.size), 0);
	expected(fw, g.size, spec, 2, &want);

	config_init(&cfg);
	assert_int_equal(coco_config_parse(&cfg.coco, spec), 0);
	cfg.firmware = strdup(path);
	cfg.cpu.count = 2;
	cfg.console.kind = CONSOLE_NONE;

	fds = count_fds();
	assert_int_equal(sim_create(&sc, &g_sim), 0);
	if (with_hypercall) {
		/* a page-state change in the first boot, answered through the real loop */
		memset(&e, 0, sizeof(e));
		e.reason = KVM_EXIT_HYPERCALL;
		e.data[0] = KVM_HC_MAP_GPA_RANGE;		/* hypercall.nr */
		memcpy(e.data + 8, &(uint64_t){ 0x100000 }, 8);	/* args[0] */
		memcpy(e.data + 16, &(uint64_t){ 4 }, 8);	/* args[1] */
		memset(e.data + 56, 0xee, 8);			/* hypercall.ret: stale */
		assert_int_equal(sim_script_push(g_sim, &e), 0);
	}
	for (i = 0; i < resets; i++) {
		sim_exit_system_event(&e, 0, KVM_SYSTEM_EVENT_RESET);
		assert_int_equal(sim_script_push(g_sim, &e), 0);
	}
	sim_exit_system_event(&e, 0, KVM_SYSTEM_EVENT_SHUTDOWN);
	assert_int_equal(sim_script_push(g_sim, &e), 0);

	status = machine_run(&cfg);
	assert_int_equal(status, 0);
	assert_int_equal(sim_script_left(g_sim), 0);
	if (with_hypercall) {
		uint64_t ret;

		assert_int_equal(sim_script_reply(g_sim, 0, reply), 0);
		memcpy(&ret, reply + 56, 8);
		assert_int_equal(ret, 0);
	}
	/* one launch per boot, all alike, all as predicted */
	assert_int_equal(sim_nr_launches(g_sim), resets + 1);
	assert_int_equal(sim_launch_get(g_sim, 0, &first), 0);
	assert_int_equal(first.len, want.len);
	assert_memory_equal(first.digest, want.d, want.len);
	for (i = 1; i <= resets; i++) {
		assert_int_equal(sim_launch_get(g_sim, i, &rec), 0);
		assert_int_equal(rec.type, first.type);
		assert_int_equal(rec.len, first.len);
		assert_memory_equal(rec.digest, first.digest, first.len);
	}
	/* nothing but the simulated /dev/sev is left; no fd leaked */
	assert_int_equal(sim_nr_objects(g_sim), platform == COCO_TDX ? 0 : 1);
	sim_put(g_sim);
	g_sim = NULL;
	assert_int_equal(count_fds(), fds);

	config_free(&cfg);
	free(fw);
	unlink(path);
	rmdir(dir);
}

static void test_restart_sev(void **state)
{
	restart("sev,policy=0x1", COCO_SEV, false);
}

static void test_restart_sev_es(void **state)
{
	restart("sev,policy=0x5", COCO_SEV_ES, false);
}

static void test_restart_snp(void **state)
{
	restart("snp,policy=0x30000", COCO_SNP, true);
}

static void test_restart_tdx(void **state)
{
	restart("tdx,attr=0x10000000", COCO_TDX, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_sev),
		cmocka_unit_test(test_restart_sev_es),
		cmocka_unit_test(test_restart_snp),
		cmocka_unit_test(test_restart_tdx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
