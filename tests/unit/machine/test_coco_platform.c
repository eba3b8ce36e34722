// SPDX-License-Identifier: GPL-2.0-only
/*
 * machine/coco_machine.c: what outlives a boot of a confidential machine.
 *
 *  - platform=sim through the real machine_run() loop, /dev/kvm being a
 *    simulator that stands in for plain KVM (--wrap=kvm_sys_open): every
 *    boot (three resets, then power-off) runs its launch on a fresh
 *    simulated platform and measures what the plan predicts, while the VM
 *    that runs on "KVM" is a plain one (no confidential launch there, no
 *    SEV leaf in its CPUID), and no descriptor leaks;
 *  - certs=DIR on an SNP host whose KVM has the certificate-request exit
 *    (7.0): KVM_SEV_SNP_ENABLE_REQ_CERTS before the vCPUs, then the exit
 *    with hostile buffers; on an older KVM one warning and no exit.
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
#include "../coco/kvm/harness.h"
#include "arch/x86/cpuid.h"
#include "coco/plan/plan.h"
#include "machine/coco.h"
#include "machine/machine.h"
#include "machine/vcpu.h"
#include "sim/sim_ca.h"
#include "stderr_capture.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"
#include "util/err.h"

static struct sim *g_sim;
static char dir[64];

int __real_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why);
int __wrap_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why);

int __wrap_kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why)
{
	if (!g_sim)
		return __real_kvm_sys_open(sys, dev, why);
	sim_install(g_sim, sys);
	return 0;
}

static int group_setup(void **state)
{
	struct sim_ca_params p = { .rsa_bits = 2048, .bl = 3, .snp = 8, .ucode = 115 };
	struct err_msg why;
	char ca[96];

	snprintf(dir, sizeof(dir), "/tmp/cvmm-platform-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(ca, sizeof(ca), "%s/ca", dir);
	return sim_ca_init(ca, &p, &why);
}

static int group_teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

static void expected_hex(const uint8_t *fw, size_t len, char hex[97])
{
	struct coco_config coco = { 0 };
	struct launch_plan *plan;
	struct plan_digest d;
	struct plan_params pp = {
		.coco = &coco, .fw = fw, .fw_len = len, .nr_vcpus = 1,
		.vcpu_sig = 0x00a00f11,		/* the simulated EPYC-Milan host */
		.guest_features = 1, .mem_size = CONFIG_DEFAULT_MEM,
	};

	assert_int_equal(coco_config_parse(&coco, "snp,policy=0x30000"), 0);
	assert_int_equal(plan_build(&pp, &plan, NULL), 0);
	assert_int_equal(plan_measure(plan, NULL, &d), 0);
	hex_encode(d.d, d.len, hex);
	plan_free(plan);
	coco_config_free(&coco);
}

static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (; (hay = strstr(hay, needle)); hay++)
		n++;
	return n;
}

static void test_sim_platform_restart(void **state)
{
	struct sim_config sc = { .platform = COCO_SNP };	/* plain KVM on an AMD host */
	char path[128], spec[200], hex[97], line[160];
	unsigned int fds, i, resets = 3;
	struct vm_config cfg;
	struct capture cap;
	struct sim_exit e;
	struct fwgen g;
	uint8_t *fw;
	int status;

	fwgen_ovmf(&g);
	fw = fwgen_build(&g);
	snprintf(path, sizeof(path), "%s/fw.img", dir);
	assert_int_equal(file_write_atomic(path, fw, g.size), 0);
	expected_hex(fw, g.size, hex);
	config_init(&cfg);
	snprintf(spec, sizeof(spec), "snp,policy=0x30000,platform=sim,sim-ca=%s/ca", dir);
	assert_int_equal(coco_config_parse(&cfg.coco, spec), 0);
	cfg.firmware = strdup(path);
	cfg.console.kind = CONSOLE_NONE;

	fds = count_fds();
	assert_int_equal(sim_create(&sc, &g_sim), 0);
	for (i = 0; i < resets; i++) {
		sim_exit_system_event(&e, 0, KVM_SYSTEM_EVENT_RESET);
		assert_int_equal(sim_script_push(g_sim, &e), 0);
	}
	sim_exit_system_event(&e, 0, KVM_SYSTEM_EVENT_SHUTDOWN);
	assert_int_equal(sim_script_push(g_sim, &e), 0);
	log_level = LOG_INFO;
	capture_start(&cap);
	status = machine_run(&cfg);
	capture_stop(&cap);
	log_level = LOG_NORMAL;
	assert_int_equal(status, 0);
	assert_int_equal(sim_script_left(g_sim), 0);
	/* "KVM" ran plain VMs only: no confidential launch there */
	assert_int_equal(sim_nr_launches(g_sim), 0);
	assert_int_equal(sim_nr_objects(g_sim), 1);	/* its /dev/sev alone */
	/* the loud line, once; one simulated launch per boot, as the plan predicts */
	assert_int_equal(count(cap.text, "platform=sim: a SIMULATED snp launch"), 1);
	assert_non_null(strstr(cap.text, "memory is NOT encrypted"));
	assert_non_null(strstr(cap.text, "signed by a TEST key"));
	for (i = 1; i <= resets + 1; i++) {
		snprintf(line, sizeof(line), "platform=sim: launch %u measured %s", i, hex);
		assert_non_null(strstr(cap.text, line));
	}
	assert_int_equal(count(cap.text, "platform=sim: launch "), resets + 1);
	sim_put(g_sim);
	g_sim = NULL;
	assert_int_equal(count_fds(), fds);
	config_free(&cfg);
	free(fw);
	unlink(path);
}

/* The plain VM of platform=sim: no SEV leaf (vm_coco_prepare()). */
static void test_plain_vm_cpuid(void **state)
{
	struct kvm_cpuid_entry2 *e;
	struct fwgen g;
	struct hm h;

	fwgen_ovmf(&g);
	hm_init(&h, "snp,policy=0x30000,platform=sim", fwgen_build(&g), g.size, 1, 256 << 20);
	h.cfg.coco.type = COCO_NONE;		/* what machine_coco_open() gives the plain VM */
	assert_int_equal(hm_build(&h, NULL), 0);
	assert_null(h.vm.coco);
	e = cpuid_find(h.vm.cpuid, 0x8000001f, 0);
	assert_true(!e || (!e->eax && !e->ebx && !e->ecx && !e->edx));
	hm_close(&h);
}

/* ---------------- certs=DIR ---------------- */

static struct cvmm_kvm_exit_snp_req_certs *req_certs(struct hm *h, uint64_t gpa,
						      uint64_t npages)
{
	struct kvm_run *run = h->vm.vcpus[0].kvm.run;
	struct cvmm_kvm_exit_snp_req_certs *r = kvm_run_snp_req_certs(run);

	run->exit_reason = KVM_EXIT_SNP_REQ_CERTS;
	r->gpa = gpa;
	r->npages = npages;
	r->ret = 0x5a;		/* stale: the VMM must always answer */
	assert_int_equal(vm_coco_handle_exit(&h->vm.vcpus[0], 0), VCPU_EXIT_CONTINUE);
	return r;
}

static void to_shared(struct hm *h, uint64_t gpa, uint64_t pages)
{
	struct kvm_run *run = h->vm.vcpus[0].kvm.run;

	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = KVM_HC_MAP_GPA_RANGE;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = pages;
	run->hypercall.args[2] = 0;
	assert_int_equal(vm_coco_handle_exit(&h->vm.vcpus[0], 0), VCPU_EXIT_CONTINUE);
	assert_int_equal(run->hypercall.ret, 0);
}

static void certs_vm(struct hm *h, unsigned int kernel, struct capture *cap)
{
	struct sim_config sc = { .platform = COCO_SNP, .kernel = kernel };
	char spec[160];
	struct fwgen g;

	fwgen_ovmf(&g);
	snprintf(spec, sizeof(spec), "snp,policy=0x30000,certs=%s/ca", dir);
	hm_init(h, spec, fwgen_build(&g), g.size, 1, 256 << 20);
	capture_start(cap);
	assert_int_equal(machine_coco_open(&h->m), 0);
	assert_int_equal(hm_build(h, &sc), 0);
	capture_stop(cap);
}

static void test_certs_exit(void **state)
{
	struct cvmm_kvm_exit_snp_req_certs *r;
	const uint64_t buf = 0x2000000;
	uint8_t got[64];
	struct capture cap;
	struct hm h;
	uint64_t need;

	certs_vm(&h, 0, &cap);
	assert_string_equal(cap.text, "");		/* 7.0: enabled, nothing to say */
	/* too small: ENOSPC and the pages needed */
	r = req_certs(&h, buf, 0);
	assert_int_equal(r->ret, ENOSPC);
	need = r->npages;
	assert_true(need >= 1 && need <= 4);
	/* a private buffer (RAM starts private): EIO, nothing written */
	r = req_certs(&h, buf, need);
	assert_int_equal(r->ret, EIO);
	/* shared: the table, then zeros to the end of its pages */
	to_shared(&h, buf, need);
	assert_int_equal(guest_mem_fill(&h.vm.mem, buf, 0xcc, need * 4096), 0);
	r = req_certs(&h, buf, need + 3);
	assert_int_equal(r->ret, 0);
	assert_int_equal(r->npages, need + 3);		/* left as the guest gave it */
	assert_int_equal(guest_mem_read(&h.vm.mem, buf, got, 64), 0);
	assert_int_equal(got[0], 0x63);				/* the VCEK's GUID */
	assert_int_equal(got[16] | got[17] << 8, (3 + 1) * 24);	/* its DER at 96 */
	assert_int_equal(guest_mem_read(&h.vm.mem, buf + need * 4096 - 8, got, 8), 0);
	assert_memory_equal(got, (uint8_t[8]){ 0 }, 8);
	/* hostile: unaligned, past RAM, wrapping */
	assert_int_equal(req_certs(&h, buf + 8, need)->ret, EIO);
	assert_int_equal(req_certs(&h, 1ULL << 40, need)->ret, EIO);
	assert_int_equal(req_certs(&h, 0xfffffffffffff000ULL, need)->ret, EIO);
	hm_close(&h);
	machine_coco_close(&h.m);

	/* a KVM before 7.0: one warning, and KVM never exits so (EIO if it did) */
	certs_vm(&h, SIM_KERNEL_6_17, &cap);
	assert_non_null(strstr(cap.text, "cvmm: warning: --coco: certs="));
	assert_non_null(strstr(cap.text, "this KVM has no certificate-request exit"));
	assert_int_equal(count(cap.text, "\n"), 1);
	assert_int_equal(req_certs(&h, buf, 4)->ret, EIO);
	hm_close(&h);
	machine_coco_close(&h.m);
}

static void test_bad_options(void **state)
{
	struct coco_config c;
	struct capture cap;
	static const char *const bad[] = {
		"snp,platform=sim,certs=/x",
		"snp,sim-ca=/x",
		"snp,platform=hw",
		"tdx,platform=sim",
		"sev,policy=0x1,platform=sim",
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		capture_start(&cap);
		assert_int_equal(coco_config_parse(&c, bad[i]), -EINVAL);
		capture_stop(&cap);
		assert_int_equal(count(cap.text, "\n"), 1);
		assert_non_null(strstr(cap.text, "cvmm: --coco: "));
	}
	assert_int_equal(coco_config_parse(&c, "snp,platform=kvm,certs=/x"), 0);
	assert_int_equal(c.platform, COCO_PLATFORM_KVM);
	assert_string_equal(c.certs_dir, "/x");
	coco_config_free(&c);
	assert_int_equal(coco_config_parse(&c, "snp,platform=sim,sim-ca=/y"), 0);
	assert_int_equal(c.platform, COCO_PLATFORM_SIM);
	assert_string_equal(c.sim_ca_dir, "/y");
	coco_config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sim_platform_restart),
		cmocka_unit_test(test_plain_vm_cpuid),
		cmocka_unit_test(test_certs_exit),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
