// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's SEV, SEV-ES and SEV-SNP rules (arch/x86/kvm/
 * svm/sev.c and the PSP behind it), one case per rule of docs/coco.md's
 * table, each violated once with the kernel's -errno and PSP status.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "measure/sev.h"
#include "sim_rules.h"

/* ---------------- SEV / SEV-ES ---------------- */

void test_sev_init_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = 1 };
	struct kvm_vcpu v;
	struct hs h;

	/* [S1] INIT2 only on the SEV VM types; [S2] INIT/ES_INIT only on the default type */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	/* [S7] nothing before INIT: LAUNCH_START is for SEV guests only */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &st, NULL), -ENOTTY);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), -EINVAL);	/* [S5] twice */
	hs_close(&h);

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), -EINVAL);	/* [S2] */
	/* [S4] no VMSA features, no GHCB for plain SEV; no flags */
	init.vmsa_features = 1ULL << 5;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	init.vmsa_features = 0;
	init.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	init.flags = 0;
	init.ghcb_version = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	hs_close(&h);

	/* [S4] SEV-ES: only the features KVM_X86_SEV_VMSA_FEATURES lists, GHCB 2 at most */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_ES_VM), 0);
	init = (struct cvmm_kvm_sev_init){ .vmsa_features = 1ULL << 6 };
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	init = (struct cvmm_kvm_sev_init){ .ghcb_version = 3 };
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	/* [S3] INIT2 after a vCPU exists */
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	init = (struct cvmm_kvm_sev_init){ .vmsa_features = 1ULL << 5 };
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	/* [S16] an SEV VM type does not run before INIT2 */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

void test_sev_launch_start_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = 0x5 };
	struct kvm_sev_cmd cmd;
	uint32_t err;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	/* [S8] sev_fd must be /dev/sev */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = KVM_SEV_LAUNCH_START;
	cmd.data = (uint64_t)(uintptr_t)&st;
	cmd.sev_fd = (uint32_t)h.vm.fd;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -EBADF);
	/* [S9] an ES policy on a plain SEV guest: the PSP's policy check */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &st, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_POLICY_FAILURE);
	/* [S11] SEV-ES only commands on SEV */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), -ENOTTY);
	/* NULL argument: "is SEV enabled" */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, NULL), 0);
	hs_close(&h);
}

void test_sev_update_measure_finish(void **state)
{
	static const uint8_t tik[16] = "cvmm-sim-tik-001";
	struct kvm_sev_launch_update_data u;
	struct kvm_sev_launch_measure m;
	uint8_t blob[48], ld[32], mac[32];
	struct sim_launch rec;
	struct sev_ld l;
	uint32_t err;
	struct hs h;

	sev_started(&h, KVM_X86_SEV_VM, 1);
	memset(h.ram + GPA, 0xa5, 0x1000);
	/* [S10] memory the VMM does not own cannot be pinned */
	u = (struct kvm_sev_launch_update_data){ .uaddr = (uint64_t)(uintptr_t)blob, .len = 16 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), -ENOMEM);
	/* [S10] 16-byte alignment of address and length (the PSP) */
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA + 8), 16 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_ADDRESS);
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 24 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_LEN);
	/* [S10] nothing to pin: sev_pin_memory() says -EINVAL */
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 0 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), -EINVAL);
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 0x1000 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), 0);
	/* [S15] FINISH needs MEASURE first */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	/* [S14] the length query: -EIO INVALID_LEN and the length; at most 16 KiB */
	memset(&m, 0, sizeof(m));
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_MEASURE, &m, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_LEN);
	assert_int_equal(m.len, 48);
	m.uaddr = (uint64_t)(uintptr_t)blob;
	m.len = 0x4001;
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_MEASURE, &m, NULL), -EINVAL);
	m.len = 48;
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_MEASURE, &m, NULL), 0);
	/* the HMAC over the launch digest of exactly the bytes given */
	assert_int_equal(sev_ld_init(&l), 0);
	assert_int_equal(sev_ld_update(&l, h.ram + GPA, 0x1000), 0);
	assert_int_equal(sev_ld_final(&l, ld), 0);
	sev_ld_free(&l);
	assert_int_equal(sev_launch_measure(tik, 1, 55, 21, 1, ld, blob + 32, mac), 0);
	assert_memory_equal(blob, mac, 32);
	/* [S10] no more data once measured */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, NULL), 0);
	/* [S15] once */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.len, 32);
	assert_memory_equal(rec.digest, ld, 32);
	hs_close(&h);
}

void test_sev_es_vmsa_rules(void **state)
{
	struct kvm_debugregs d;
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_fpu fpu;
	struct kvm_xcrs xcrs;
	struct kvm_vcpu v;
	uint32_t err;
	struct hs h;

	/* INIT2 type: protected state after LAUNCH_UPDATE_VMSA */
	sev_started(&h, KVM_X86_SEV_ES_VM, 5);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	/* [S17] not before the launch is finished */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	/* [S13] a DR7 with breakpoints: KVM does not encrypt the VMSA */
	memset(&d, 0, sizeof(d));
	d.dr6 = 0xffff0ff0;
	d.dr7 = 0x401;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_DEBUGREGS, &d), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), -EINVAL);
	d.dr7 = 0x400;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_DEBUGREGS, &d), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), 0);
	/* [K19] the registers, FPU, XCRs and debug registers are protected now */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_REGS, &regs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &sregs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &fpu), -EINVAL);
	memset(&xcrs, 0, sizeof(xcrs));
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_XCRS, &xcrs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_DEBUGREGS, &d), -EINVAL);
	/* [S12] each VMSA once */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/*
	 * [K19] the legacy default type refuses nothing: the GPRs still go to
	 * vcpu->arch (the encrypted VMSA never sees them), KVM_SET_SREGS and
	 * the FPU are ignored, KVM_GET_SREGS shows no segments
	 */
	sev_started(&h, KVM_X86_DEFAULT_VM, 5);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, &err), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	regs.rip = 0x1234;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_REGS, &regs), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	assert_int_equal(regs.rip, 0x1234);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_SREGS, &sregs), 0);
	assert_int_equal(sregs.cs.selector, 0);
	assert_int_equal(sregs.apic_base, 0xfee00900);
	sregs.cr0 = 0x20000000;		/* not even checked */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_SREGS, &sregs), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &fpu), 0);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* ---------------- SEV-SNP ---------------- */

void test_snp_start_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_init init = { 0 };
	struct cvmm_kvm_sev_snp_launch_start st;
	struct cvmm_kvm_sev_snp_launch_update u;
	struct kvm_sev_launch_start legacy = { 0 };
	struct kvm_sev_cmd cmd;
	uint32_t err;
	struct hs h;

	/* [N1] SNP commands on a VM that is no SNP guest */
	sev_started(&h, KVM_X86_SEV_ES_VM, 5);
	st = (struct cvmm_kvm_sev_snp_launch_start){ .policy = SNP_POLICY };
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -ENOTTY);
	hs_close(&h);

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	/* [S6] an SNP guest takes only SNP commands */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &legacy, NULL), -EPERM);
	/* [N6] UPDATE before START */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, NULL), -EINVAL);
	/* [N2] bit 17 must be set; no bit KVM does not know */
	st = (struct cvmm_kvm_sev_snp_launch_start){ .policy = 0x10000 };
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	st.policy = SNP_POLICY | (1ULL << 40);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	/* [N1] flags */
	st.policy = SNP_POLICY;
	st.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	st.flags = 0;
	/* [N3] a bad sev_fd: the context cannot be created, KVM says -ENOTTY */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = CVMM_KVM_SEV_SNP_LAUNCH_START;
	cmd.data = (uint64_t)(uintptr_t)&st;
	cmd.sev_fd = 12345;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -ENOTTY);
	/* [N4] the PSP: SMT is on, so the policy must allow it; ABI 1.55 at most */
	st.policy = 0x20000;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_POLICY_FAILURE);
	st.policy = SNP_POLICY | 1ULL << 8 | 56;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_POLICY_FAILURE);
	st.policy = SNP_POLICY;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), 0);
	/* [N1] twice */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	/* [S6] INIT2 again: an SNP guest takes no more non-SNP commands */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EPERM);
	hs_close(&h);
}

static int snp_start_policy(const struct sim_config *cfg, uint64_t policy)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct cvmm_kvm_sev_snp_launch_start st = { .policy = policy };
	struct hs h;
	int ret;

	hs_open(&h, cfg);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	ret = hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL);
	hs_close(&h);
	return ret;
}

static int get_attr(struct hs *h, uint64_t attr, uint64_t *val)
{
	struct kvm_device_attr a = { .group = KVM_X86_GRP_SEV, .attr = attr,
				     .addr = (uint64_t)(uintptr_t)val };

	return kvm_sys_ioctl(&h->sys, h->sys.fd, KVM_GET_DEVICE_ATTR, &a);
}

void test_snp_policy_bits(void **state)
{
	struct sim_config old = sim_amd(SIM_KERNEL_6_17), cur = sim_amd(SIM_KERNEL_7_0);
	struct sim_config fw = cur;
	uint64_t bits = 0;
	struct hs h;

	/* [N5] KVM_X86_SNP_POLICY_BITS: 6.18+ only */
	hs_open(&h, &old);
	assert_int_equal(get_attr(&h, KVM_X86_SNP_POLICY_BITS, &bits), -ENXIO);
	assert_int_equal(get_attr(&h, KVM_X86_SEV_VMSA_FEATURES, &bits), 0);
	assert_int_equal(bits, 1ULL << 5);
	hs_close(&h);
	hs_open(&h, &cur);
	assert_int_equal(get_attr(&h, KVM_X86_SNP_POLICY_BITS, &bits), 0);
	assert_int_equal(bits, SIM_SNP_POLICY_BITS);
	assert_int_equal(get_attr(&h, 77, &bits), -ENXIO);
	hs_close(&h);
	/* [N2] before 6.18 the fixed mask: MIGRATE_MA (18) yes, RAPL_DIS (23) no */
	assert_int_equal(snp_start_policy(&old, SNP_POLICY | 1ULL << 18), 0);
	assert_int_equal(snp_start_policy(&old, SNP_POLICY | 1ULL << 23), -EINVAL);
	/* [N2] since then what the firmware supports */
	assert_int_equal(snp_start_policy(&cur, SNP_POLICY | 1ULL << 23), 0);
	fw.snp_policy_bits = SIM_SNP_POLICY_BITS_OLD;
	assert_int_equal(snp_start_policy(&fw, SNP_POLICY | 1ULL << 23), -EINVAL);
	assert_int_equal(snp_start_policy(&fw, SNP_POLICY | 1ULL << 19), 0);
}

void test_snp_update_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_snp_launch_update u;
	uint32_t err;
	struct hs h;

	snp_started(&h, &amd);
	/* [N7] argument checks */
	assert_int_equal(snp_update(&h, &u, GPA, 0x800, SNP_PAGE_NORMAL, NULL), -EINVAL);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_VMSA, NULL), -EINVAL);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, 7, NULL), -EINVAL);
	u.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL), -EINVAL);
	/* [N9] a GFN outside any guest_memfd memslot */
	assert_int_equal(snp_update(&h, &u, HS_RAM_SIZE, 0x1000, SNP_PAGE_ZERO, NULL), -EINVAL);
	/* [N10] the private attribute first: KVM reports the populate failure as -EIO */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, &err), -EIO);
	assert_int_equal(err, 0);
	make_private(&h, GPA, 0x4000);
	/* [N11] a range that runs into shared memory: partial progress, then -EIO */
	assert_int_equal(snp_update(&h, &u, GPA + 0x2000, 0x4000, SNP_PAGE_NORMAL, NULL), 0);
	assert_int_equal(u.len, 0x2000);
	assert_int_equal(u.gfn_start, (GPA + 0x4000) >> 12);
	assert_int_equal(u.uaddr, (uint64_t)(uintptr_t)(h.ram + GPA + 0x4000));
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL), -EIO);
	/* [N10] a page goes into the RMP once */
	assert_int_equal(snp_update(&h, &u, GPA + 0x2000, 0x1000, SNP_PAGE_NORMAL, NULL), -EIO);
	/* ZERO pages ignore uaddr */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_ZERO, NULL), 0);
	hs_close(&h);
}

/* [N7] [N8] what changed after 6.17: a zero length and a source that is not a page */
void test_snp_update_profiles(void **state)
{
	static const unsigned int kernels[] = { SIM_KERNEL_6_16, SIM_KERNEL_6_17, SIM_KERNEL_7_0 };
	struct cvmm_kvm_sev_snp_launch_update u;
	unsigned int i;
	struct hs h;

	for (i = 0; i < 3; i++) {
		struct sim_config cfg = sim_amd(kernels[i]);
		bool strict = kernels[i] == SIM_KERNEL_7_0;

		snp_started(&h, &cfg);
		make_private(&h, GPA, 0x3000);
		/* [N7] len 0: 6.16/6.17 do nothing and succeed */
		assert_int_equal(snp_update(&h, &u, GPA, 0, SNP_PAGE_NORMAL, NULL),
				 strict ? -EINVAL : 0);
		assert_int_equal(u.gfn_start, GPA >> 12);
		/* [N8] a source 8 bytes into a page: copied as it is before 7.0 */
		assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, NULL), 0);
		u.gfn_start = (GPA + 0x1000) >> 12;
		u.uaddr = (uint64_t)(uintptr_t)(h.ram + GPA + 8);
		u.len = 0x1000;
		assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL),
				 strict ? -EINVAL : 0);
		assert_int_equal(u.len, strict ? 0x1000 : 0);
		/* [N8] a ZERO page has no source at all */
		assert_int_equal(snp_update(&h, &u, GPA + 0x2000, 0x1000, SNP_PAGE_ZERO, NULL), 0);
		hs_close(&h);
	}
}

void test_snp_update_progress(void **state)
{
	struct sim_config cfg = { .platform = COCO_SNP, .snp_update_pages = 3, .eagain = 2 };
	struct cvmm_kvm_sev_snp_launch_update u;
	unsigned int calls = 0, again = 0;
	struct hs h;
	int ret;

	snp_started(&h, &cfg);
	make_private(&h, GPA, 0x8000);
	/* [N11] -EAGAIN: try again, nothing done */
	assert_int_equal(snp_update(&h, &u, GPA, 0x8000, SNP_PAGE_NORMAL, NULL), -EAGAIN);
	assert_int_equal(u.len, 0x8000);
	do {
		ret = hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL);
		if (ret == -EAGAIN)
			again++;
		else
			assert_int_equal(ret, 0);
		calls++;
	} while (u.len);
	/* 8 pages, 3 per call: 3 calls after one more -EAGAIN */
	assert_int_equal(again, 1);
	assert_int_equal(calls, 4);
	assert_int_equal(u.gfn_start, (GPA + 0x8000) >> 12);
	hs_close(&h);
}

void test_snp_cpuid_page(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_snp_launch_update u;
	const struct kvm_cpuid2 *supported;
	uint8_t page[4096];
	char diff[300];
	unsigned int n;
	uint32_t err;
	struct hs h;

	snp_started(&h, &amd);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &supported), 0);
	/* [N12] the host's raw table has TSC deadline etc., which SNP guests cannot have */
	assert_int_equal(coco_snp_cpuid_page(supported, page, NULL), 0);
	memcpy(h.ram + GPA, page, sizeof(page));
	make_private(&h, GPA, 0x1000);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_CPUID, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_PARAM);
	/* the PSP's corrections are in the source page now */
	assert_memory_not_equal(h.ram + GPA, page, sizeof(page));
	n = coco_snp_cpuid_diff(page, h.ram + GPA, diff, sizeof(diff));
	assert_true(n >= 3);
	assert_non_null(strstr(diff, "leaf 0x1.0 ECX"));
	assert_non_null(strstr(diff, "leaf 0x7.0 EDX 0xac000000 -> 0x0"));
	/* the corrected page is accepted */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_CPUID, NULL), 0);
	hs_close(&h);
}

void test_snp_finish_rules(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct cvmm_kvm_sev_snp_launch_finish fin;
	struct cvmm_kvm_sev_snp_launch_update u;
	uint8_t block[96], auth[4096];
	struct sim_launch rec;
	struct kvm_regs regs;
	struct kvm_vcpu v;
	uint32_t err;
	struct hs h;

	snp_started(&h, &amd);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	make_private(&h, GPA, 0x1000);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, NULL), 0);
	/* [N14] flags */
	memset(&fin, 0, sizeof(fin));
	fin.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, NULL), -EINVAL);
	/* [N14] an ID block whose digest is not the launch's */
	memset(block, 0, sizeof(block));
	memset(auth, 0, sizeof(auth));
	fin.flags = 0;
	fin.id_block_en = 1;
	fin.id_block_uaddr = (uint64_t)(uintptr_t)block;
	fin.id_auth_uaddr = (uint64_t)(uintptr_t)auth;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_BAD_MEASUREMENT);
	/* [K19] the VMSAs are in the digest already: the vCPU is protected */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	snp_started(&h, &amd);
	make_private(&h, GPA, 0x1000);
	memset(&fin, 0, sizeof(fin));
	memset(fin.host_data, 0x42, sizeof(fin.host_data));
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, NULL), 0);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.host_data[31], 0x42);
	/* [N13] nothing after FINISH */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	/* [N14] once */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	hs_close(&h);
}

/* [N15] the certificate requests of Linux 7.0 */
void test_snp_req_certs(void **state)
{
	struct sim_config old = sim_amd(SIM_KERNEL_6_17), cur = sim_amd(SIM_KERNEL_7_0);
	uint64_t val = 0;
	struct kvm_vcpu v;
	struct hs h;

	/* 6.17: neither the attribute nor the command exists */
	snp_started(&h, &old);
	assert_int_equal(get_attr(&h, KVM_X86_SEV_SNP_REQ_CERTS, &val), -ENXIO);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL), -EINVAL);
	hs_close(&h);

	snp_started(&h, &cur);
	assert_int_equal(get_attr(&h, KVM_X86_SEV_SNP_REQ_CERTS, &val), 0);
	assert_int_equal(val, 1);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL), 0);
	/* not once a vCPU exists */
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/* SNP guests only */
	sev_started_on(&h, &cur, KVM_X86_SEV_ES_VM, 5);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL), -EINVAL);
	hs_close(&h);
}

/* An SNP guest launched with one vCPU, certificate requests enabled or not. */
static void snp_running(struct hs *h, struct kvm_vcpu *v, bool certs)
{
	struct sim_config cur = sim_amd(SIM_KERNEL_7_0);
	struct cvmm_kvm_sev_snp_launch_finish fin;
	struct cvmm_kvm_sev_snp_launch_update u;

	snp_started(h, &cur);
	if (certs)
		assert_int_equal(hs_sev(h, CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL, NULL), 0);
	assert_int_equal(kvm_vcpu_create(&h->vm, 0, v), 0);
	make_private(h, GPA, 0x1000);
	assert_int_equal(snp_update(h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, NULL), 0);
	memset(&fin, 0, sizeof(fin));
	assert_int_equal(hs_sev(h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, NULL), 0);
}

static void push_req_certs(struct hs *h)
{
	struct sim_exit e;

	memset(&e, 0, sizeof(e));
	e.reason = KVM_EXIT_SNP_REQ_CERTS;
	memcpy(e.data, &(uint64_t){ 0x200000 }, 8);	/* gpa */
	memcpy(e.data + 8, &(uint64_t){ 1 }, 8);	/* npages */
	assert_int_equal(sim_script_push(h->s, &e), 0);
}

/* [N16] KVM_EXIT_SNP_REQ_CERTS and what userspace may answer (7.0) */
void test_snp_req_certs_exit(void **state)
{
	struct cvmm_kvm_exit_snp_req_certs *r;
	uint8_t reply[256];
	struct kvm_vcpu v;
	struct sim_exit e;
	struct hs h;

	snp_running(&h, &v, true);
	push_req_certs(&h);
	assert_int_equal(kvm_vcpu_run(&v), 0);
	assert_int_equal(v.run->exit_reason, KVM_EXIT_SNP_REQ_CERTS);
	r = kvm_run_snp_req_certs(v.run);
	assert_int_equal(r->gpa, 0x200000);
	assert_int_equal(r->npages, 1);
	/* ENOSPC with the pages needed: the guest learns them (RBX) */
	r->ret = ENOSPC;
	r->npages = 2;
	v.run->immediate_exit = 1;
	assert_int_equal(kvm_vcpu_run(&v), -EINTR);
	assert_int_equal(sim_script_reply(h.s, 0, reply), 0);
	assert_int_equal(reply[8], 2);
	assert_int_equal(reply[16], ENOSPC);
	/* an answer KVM does not know fails KVM_RUN */
	v.run->immediate_exit = 0;
	push_req_certs(&h);
	assert_int_equal(kvm_vcpu_run(&v), 0);
	kvm_run_snp_req_certs(v.run)->ret = EINVAL;
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/* not enabled: KVM answers the guest itself, no exit reaches userspace */
	snp_running(&h, &v, false);
	push_req_certs(&h);
	sim_exit_system_event(&e, 0, KVM_SYSTEM_EVENT_SHUTDOWN);
	assert_int_equal(sim_script_push(h.s, &e), 0);
	assert_int_equal(kvm_vcpu_run(&v), 0);
	assert_int_equal(v.run->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	assert_int_equal(sim_script_reply(h.s, 0, reply), -ENOENT);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void backend(struct coco_kvm *c, struct hs *h, struct launch_plan *plan,
		    struct guest_mem *mem, struct err_msg *err)
{
	memset(mem, 0, sizeof(*mem));
	mem->regions[0] = (struct guest_region){ .gpa = 0, .size = HS_RAM_SIZE, .hva = h->ram,
						 .kind = GUEST_REGION_RAM, .fd = -1, .name = "ram" };
	mem->nr = 1;
	memset(c, 0, sizeof(*c));
	c->plan = plan;
	c->vm = &h->vm;
	c->mem = mem;
	c->sev_fd = sim_sev_fd(h->s);
	c->gmem_fd = h->gmem;
	c->err = err;
}

void test_snp_backend_cpuid_rejected(void **state)
{
	struct sim_config amd = sim_amd(0);
	struct plan_op op = {
		.gpa = GPA, .len = 4096, .src = PLAN_SRC_CPUID, .snp_type = SNP_PAGE_CPUID,
		.what = "CPUID",
	};
	struct launch_plan plan = { .type = COCO_SNP, .policy = SNP_POLICY, .nr_ops = 1,
				    .ops = &op };
	const struct kvm_cpuid2 *supported;
	struct err_msg err = { "" };
	struct guest_mem mem;
	struct coco_kvm c;
	struct hs h;

	snp_started(&h, &amd);
	backend(&c, &h, &plan, &mem, &err);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &supported), 0);
	c.cpuid = supported;		/* not masked for SNP: the PSP says no [N12] */
	assert_int_equal(coco_snp_ops.launch(&c), -EIO);
	assert_int_equal(c.fw_error, CVMM_SEV_RET_INVALID_PARAM);
	assert_non_null(strstr(err.msg, "the PSP rejected the CPUID page at 0x100000 ("));
	assert_non_null(strstr(err.msg, "leaf 0x1.0 ECX 0x77f83203 -> 0x76f83203"));
	assert_non_null(strstr(err.msg, "leaf 0x80000008.0 EBX"));
	hs_close(&h);
}

/* The backend refuses a policy this host does not take, naming the bits [N2] [N5]. */
static int backend_policy(unsigned int kernel, uint64_t policy, struct err_msg *err)
{
	struct sim_config amd = sim_amd(kernel);
	struct launch_plan plan = { .type = COCO_SNP, .policy = policy, .sev_features = 1 };
	struct guest_mem mem;
	struct coco_kvm c;
	struct hs h;
	int ret;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	backend(&c, &h, &plan, &mem, err);
	ret = coco_snp_ops.vm_init(&c);
	hs_close(&h);
	return ret;
}

void test_snp_backend_policy(void **state)
{
	struct err_msg err = { "" };

	assert_int_equal(backend_policy(SIM_KERNEL_7_0, SNP_POLICY | 1ULL << 23, &err), 0);
	assert_int_equal(backend_policy(SIM_KERNEL_6_16, SNP_POLICY | 1ULL << 23, &err), -EINVAL);
	assert_string_equal(err.msg, "the SNP policy 0x830000 sets bits 0x800000 this host does "
			    "not support (what KVM takes before Linux 6.18: 0x1fffff)");
	assert_int_equal(backend_policy(SIM_KERNEL_7_0, SNP_POLICY | 1ULL << 30, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "(KVM_X86_SNP_POLICY_BITS: 0xdfffff)"));
	assert_int_equal(backend_policy(SIM_KERNEL_7_0, 0x10000, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "lacks bit 17"));
}

/*
 * [S18] KVM_X86_SEV_VMSA_FEATURES: the VMSA features INIT2 takes; the
 * backend checks --coco sev-features= against it first, naming the flag.
 */
static int backend_features(uint64_t offered, uint64_t features, struct err_msg *err)
{
	struct sim_config amd = sim_amd(0);
	struct launch_plan plan = { .type = COCO_SNP, .policy = SNP_POLICY,
				    .sev_features = features };
	struct guest_mem mem;
	struct coco_kvm c;
	struct hs h;
	int ret;

	amd.vmsa_features = offered;
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	backend(&c, &h, &plan, &mem, err);
	ret = coco_snp_ops.vm_init(&c);
	hs_close(&h);
	return ret;
}

void test_snp_vmsa_features(void **state)
{
	struct sim_config none = sim_amd(0);
	struct cvmm_kvm_sev_init init = { .vmsa_features = 1ULL << 5 };
	struct err_msg err = { "" };
	uint64_t v = 0;
	struct hs h;

	/* [S18] a host without DebugSwap offers nothing, and INIT2 refuses it */
	none.vmsa_features = SIM_NO_VMSA_FEATURES;
	hs_open(&h, &none);
	assert_int_equal(get_attr(&h, KVM_X86_SEV_VMSA_FEATURES, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	hs_close(&h);
	/* the backend: what is offered passes, the rest is named */
	assert_int_equal(backend_features(0, 0x21, &err), 0);
	assert_int_equal(backend_features(0, 0x1, &err), 0);
	assert_int_equal(backend_features(SIM_NO_VMSA_FEATURES, 0x1, &err), 0);
	assert_int_equal(backend_features(SIM_NO_VMSA_FEATURES, 0x21, &err), -EINVAL);
	assert_string_equal(err.msg, "sev-features=0x21: this KVM does not offer 0x20 "
			    "(KVM_X86_SEV_VMSA_FEATURES: 0x0; DebugSwap needs the CPU's and "
			    "kvm_amd.debug_swap)");
	assert_int_equal(backend_features(0, 0x41, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "does not offer 0x40"));
}
