// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every sev-snp-measure case through plan_build() + plan_measure(), for
 * --vmm cvmm and the case's own VMM profile (cvmm must equal qemu).
 *
 * EC2: virtee/sev's tests still build the EC2 VMSA with RDX = 0 and expect
 * 7d375615... (features 0x1) / 6ae80856... (0x21).  We follow
 * sev-snp-measure, which since commit 4a02bf04 (2026-05-12, "Update the EC2
 * VMSA used to calculate the expected measurement") sets RDX = 0x600 for
 * EC2 like GCE; test_ec2_virtee_differs() pins that choice.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "coco/plan/plan.h"
#include "measure/vcpu_types.h"
#include "../../measure/tdata.h"
#include "vectors.h"

static int run_case(const struct vcase *c, enum plan_vmm vmm, struct plan_digest *d,
		    struct err_msg *err)
{
	struct coco_config cc = { 0 };
	struct plan_params pp = { 0 };
	struct plan_measure_opts mo = { 0 };
	struct launch_plan *plan = NULL;
	uint8_t *fw, *svsm = NULL, seed[48];
	size_t fw_len, svsm_len = 0;
	char rel[128];
	uint32_t sig = 0;
	int ret;

	snprintf(rel, sizeof(rel), "measure/sev-snp-measure/%s", c->ovmf);
	fw = tdata_read(rel, &fw_len);
	if (c->svsm)
		svsm = tdata_read("measure/sev-snp-measure/svsm.bin", &svsm_len);
	if (!strcmp(c->mode, "sev")) {
		cc.type = COCO_SEV;
		cc.policy = 1;
	} else if (!strcmp(c->mode, "seves")) {
		cc.type = COCO_SEV_ES;
		cc.policy = 5;
	} else {
		cc.type = COCO_SNP;
		cc.policy = 0x30000;
	}
	if (c->vcpu_type)
		assert_int_equal(vcpu_sig_lookup(c->vcpu_type, &sig), 0);
	pp.coco = &cc;
	pp.vmm = vmm;
	pp.fw = fw;
	pp.fw_len = fw_len;
	pp.kernel = c->kernel ? (const uint8_t *)"" : NULL;
	pp.initrd = c->initrd ? (const uint8_t *)"" : NULL;
	pp.cmdline = c->append;
	pp.nr_vcpus = (unsigned int)c->vcpus;
	pp.vcpu_sig = sig;
	pp.guest_features = c->features;
	pp.svsm = svsm;
	pp.svsm_len = svsm_len;
	pp.vars_size = 540672;
	pp.mem_size = 512 << 20;
	ret = plan_build(&pp, &plan, err);
	if (!ret) {
		if (c->ovmf_hash) {
			tdata_hex(c->ovmf_hash, seed, 48);
			mo.snp_seed = seed;
		}
		mo.firmware_only = !strcmp(c->mode, "snp:ovmf-hash");
		ret = plan_measure(plan, &mo, d);
	}
	plan_free(plan);
	free(fw);
	free(svsm);
	return ret;
}

static void test_all_cases(void **state)
{
	char *path = tdata_path("measure/sev-snp-measure/expected_digests.json");
	struct vcase *c = NULL;
	json_t *root = NULL;
	int i, n = vcases_load(path, &root, &c), errors = 0;

	assert_int_equal(n, 24);
	for (i = 0; i < n; i++) {
		enum plan_vmm vmms[2] = { PLAN_VMM_CVMM, PLAN_VMM_QEMU };
		int k, nv = 2;

		if (plan_vmm_parse(c[i].vmm, &vmms[1]))
			fail();
		if (vmms[1] != PLAN_VMM_QEMU)
			vmms[0] = vmms[1], nv = 1;
		for (k = 0; k < nv; k++) {
			struct err_msg err = { "" };
			struct plan_digest d;
			int ret = run_case(&c[i], vmms[k], &d, &err);

			if (!strncmp(c[i].expected, "ERROR: ", 7)) {
				if (ret != -EINVAL ||
				    !strstr(c[i].expected, strstr(c[i].expected, "SNP_KERNEL") ?
					    "SNP_KERNEL_HASHES" : "kernel/initrd/cmdline") ||
				    !strstr(err.msg, strstr(c[i].expected, "SNP_KERNEL") ?
					    "SNP_KERNEL_HASHES" : "kernel/initrd/cmdline measurement")) {
					fprintf(stderr, "%s: expected failure, got %d '%s'\n",
						c[i].test, ret, err.msg);
					errors++;
				}
				continue;
			}
			if (ret || strcmp(tdata_tohex(d.d, d.len), c[i].expected)) {
				fprintf(stderr, "%s (%s): got %s (%d %s)\n  want %s\n", c[i].test,
					plan_vmm_name(vmms[k]), tdata_tohex(d.d, d.len), ret,
					err.msg, c[i].expected);
				errors++;
			}
		}
	}
	assert_int_equal(errors, 0);
	free(c);
	json_decref(root);
	free(path);
}

static void test_ec2_virtee_differs(void **state)
{
	struct vcase c = {
		.test = "virtee ec2", .mode = "snp", .vcpus = 1, .vcpu_type = "EPYC-v4",
		.ovmf = "ovmf_AmdSev_suffix.bin", .kernel = true, .initrd = true,
		.append = NULL, .features = 0x1, .vmm = "ec2",
	};
	struct err_msg err;
	struct plan_digest d;

	assert_int_equal(run_case(&c, PLAN_VMM_EC2, &d, &err), 0);
	/* sev-snp-measure (RDX 0x600), not virtee/sev's 7d375615... (RDX 0) */
	assert_string_equal(tdata_tohex(d.d, d.len),
			    "0883bd0eeb716e65b7b977a321c278d1e51b33b5c655fab985443bbcc65c086b"
			    "9c15e8a0bd8811050dec7e24964e5056");
	assert_string_not_equal(tdata_tohex(d.d, d.len),
				"7d3756157c805bf6adf617064c8552e8c1688fa1c8756f11cbf56ba5d25c9270"
				"fb69c0505c1cbe1c5c66c0e34c6ed3be");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_cases),
		cmocka_unit_test(test_ec2_virtee_differs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
