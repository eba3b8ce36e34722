// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer: launch-plan construction and measurement from an arbitrary
 * firmware image, for every platform.  The input is zero-padded at the
 * front to a multiple of 4 KiB, keeping its end (where the metadata lives)
 * at the end of the image.
 */
#include <stdlib.h>
#include <string.h>

#include "coco/plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *fw, size_t len, enum coco_type type, enum plan_vmm vmm,
		bool kernel, unsigned int vcpus)
{
	struct coco_config cc = { .type = type, .policy = 0x30000, .tdx_attr = 0x10000000 };
	struct plan_measure_opts mo = { 0 };
	struct plan_params pp = {
		.coco = &cc, .vmm = vmm, .fw = fw, .fw_len = len,
		.kernel = kernel ? (const uint8_t *)"k" : NULL, .kernel_len = kernel,
		.cmdline = kernel ? "console=ttyS0" : NULL,
		.nr_vcpus = vcpus, .vcpu_sig = 0x800f12, .guest_features = 0x21,
		.mem_size = 256 << 20,
	};
	struct launch_plan *p = NULL;
	struct err_msg err;
	struct plan_digest d;
	unsigned int i;

	if (plan_build(&pp, &p, &err))
		return;
	for (i = 0; i < p->nr_ops; i++) {
		const struct plan_op *o = &p->ops[i];

		if (o->gpa + o->len < o->gpa || (o->src == PLAN_SRC_DATA && !o->data))
			__builtin_trap();
	}
	if (plan_measure(p, &mo, &d) || !d.len)
		__builtin_trap();
	plan_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	uint8_t *fw;

	if (!size || size > (1 << 20))
		return 0;
	len = (size + 4095) & ~(size_t)4095;
	fw = calloc(1, len);
	if (!fw)
		return 0;
	memcpy(fw + len - size, data, size);
	one(fw, len, COCO_SEV, PLAN_VMM_CVMM, size & 1, 1);
	one(fw, len, COCO_SEV_ES, PLAN_VMM_QEMU, true, 2);
	one(fw, len, COCO_SNP, PLAN_VMM_CVMM, false, 2);
	one(fw, len, COCO_SNP, PLAN_VMM_EC2, true, 1);
	one(fw, len, COCO_SNP, PLAN_VMM_GCE, true, 1);
	one(fw, len, COCO_TDX, PLAN_VMM_CVMM, false, 1);
	free(fw);
	return 0;
}
