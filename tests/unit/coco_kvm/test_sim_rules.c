// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's rules: each documented rule of the kernel
 * (amd-memory-encryption.rst, intel-tdx.rst, and the KVM code behind
 * them), violated once, gives the exact -errno (and PSP status / TDX
 * error) Linux gives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "coco/kvm_coco.h"
#include "harness.h"
#include "measure/sev.h"
#include "measure/snp.h"

#define SNP_POLICY	0x30000ULL
#define GPA		0x100000ULL

static struct sim_config amd = { .platform = COCO_SNP };
static struct sim_config intel = { .platform = COCO_TDX };

static void make_private(struct hs *h, uint64_t gpa, uint64_t len)
{
	assert_int_equal(kvm_vm_set_memory_attributes(&h->vm, gpa, len,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), 0);
}

/* ---------------- SEV / SEV-ES ---------------- */

static void sev_started(struct hs *h, unsigned long type, uint32_t policy)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = policy };

	hs_open(h, &amd);
	assert_int_equal(hs_vm(h, type), 0);
	assert_int_equal(hs_ram(h, false), 0);
	if (type == KVM_X86_DEFAULT_VM)
		assert_int_equal(hs_sev(h, policy & 4 ? KVM_SEV_ES_INIT : KVM_SEV_INIT, NULL, NULL), 0);
	else
		assert_int_equal(hs_sev(h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	assert_int_equal(hs_sev(h, KVM_SEV_LAUNCH_START, &st, NULL), 0);
	assert_int_not_equal(st.handle, 0);
}

static void test_sev_init_rules(void **state)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = 1 };
	struct kvm_vcpu v;
	struct hs h;

	/* INIT2 only on the SEV VM types; INIT/ES_INIT only on the default type */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_DEFAULT_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	/* nothing before INIT: LAUNCH_START is for SEV guests only */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &st, NULL), -ENOTTY);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), -EINVAL);	/* twice */
	hs_close(&h);

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_INIT, NULL, NULL), -EINVAL);
	init.vmsa_features = 1ULL << 5;			/* no VMSA for plain SEV */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	init.vmsa_features = 0;
	init.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	init.flags = 0;
	init.ghcb_version = 1;				/* SEV issues no GHCB calls */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	hs_close(&h);

	/* INIT2 after a vCPU exists */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_ES_VM), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	init.ghcb_version = 0;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EINVAL);
	/* an SEV VM type does not run before INIT2 */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_sev_launch_start_rules(void **state)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct kvm_sev_launch_start st = { .policy = 0x5 };
	struct kvm_sev_cmd cmd;
	uint32_t err;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	/* sev_fd must be /dev/sev */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = KVM_SEV_LAUNCH_START;
	cmd.data = (uint64_t)(uintptr_t)&st;
	cmd.sev_fd = (uint32_t)h.vm.fd;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -EBADF);
	/* an ES policy on a plain SEV guest: the PSP's policy check */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &st, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_POLICY_FAILURE);
	/* SEV-ES only commands on SEV */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), -ENOTTY);
	/* NULL argument: "is SEV enabled" */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, NULL), 0);
	hs_close(&h);
}

static void test_sev_update_measure_finish(void **state)
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
	/* memory the VMM does not own */
	u = (struct kvm_sev_launch_update_data){ .uaddr = (uint64_t)(uintptr_t)blob, .len = 16 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), -ENOMEM);
	/* 16-byte alignment of address and length (the PSP) */
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA + 8), 16 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_ADDRESS);
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 24 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_LEN);
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 0 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), -EINVAL);
	u = (struct kvm_sev_launch_update_data){ (uint64_t)(uintptr_t)(h.ram + GPA), 0x1000 };
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, NULL), 0);
	/* FINISH needs MEASURE first */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	/* length query: -EIO INVALID_LEN and the length */
	memset(&m, 0, sizeof(m));
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_MEASURE, &m, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_LEN);
	assert_int_equal(m.len, 48);
	m.uaddr = (uint64_t)(uintptr_t)blob;
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_MEASURE, &m, NULL), 0);
	/* the HMAC over the launch digest of exactly the bytes given */
	assert_int_equal(sev_ld_init(&l), 0);
	assert_int_equal(sev_ld_update(&l, h.ram + GPA, 0x1000), 0);
	assert_int_equal(sev_ld_final(&l, ld), 0);
	sev_ld_free(&l);
	assert_int_equal(sev_launch_measure(tik, 1, 55, 21, 1, ld, blob + 32, mac), 0);
	assert_memory_equal(blob, mac, 32);
	/* no more data once measured */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_DATA, &u, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, NULL), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_FINISH, NULL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.len, 32);
	assert_memory_equal(rec.digest, ld, 32);
	hs_close(&h);
}

static void test_sev_es_vmsa_rules(void **state)
{
	struct kvm_regs regs;
	struct kvm_fpu fpu;
	struct kvm_vcpu v;
	uint32_t err;
	struct hs h;

	/* INIT2 type: protected state after LAUNCH_UPDATE_VMSA */
	sev_started(&h, KVM_X86_SEV_ES_VM, 5);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	/* not before the launch is finished */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_REGS, &regs), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &fpu), -EINVAL);
	/* each VMSA once */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, NULL), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);

	/* the legacy default type silently ignores register writes instead */
	sev_started(&h, KVM_X86_DEFAULT_VM, 5);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, &err), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	regs.rip = 0x1234;
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_REGS, &regs), 0);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), 0);
	assert_int_equal(regs.rip, 0xfff0);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_memslot_rules(void **state)
{
	struct hs h;
	uint8_t *p;
	int fd;

	/* read-only memslots need a VM without protected state */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_ES_VM), 0);
	p = aligned_alloc(4096, 0x2000);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0x100000, 0x2000, p,
					    -1, 0), -EINVAL);
	/* no private memory on SEV types: no guest_memfd, no attributes */
	assert_int_equal(kvm_vm_create_guest_memfd(&h.vm, 1 << 20), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0x1000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), -EINVAL);
	hs_close(&h);

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SEV_VM), 0);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0x100000, 0x2000, p,
					    -1, 0), 0);
	/* overlap, alignment */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x101000, 0x2000, p, -1, 0), -EEXIST);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x200800, 0x1000, p, -1, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x200000, 0x1000, p + 8, -1, 0), -EINVAL);
	hs_close(&h);

	/* guest_memfd slots (SNP): binding rules, immutability */
	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	fd = kvm_vm_create_guest_memfd(&h.vm, 1 << 20);
	assert_true(fd >= 0);
	assert_int_equal(kvm_vm_create_guest_memfd(&h.vm, 12345), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, h.vm.fd, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, 9999, 0), -EBADF);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, (1 << 20) - 0x1000),
			 -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, KVM_MEM_READONLY, 0, 0x2000, p, fd, 0),
			 -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, 0), 0);
	/* the same guest_memfd range cannot back two slots */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 2, 0, 0x10000, 0x2000, p, fd, 0x1000), -EINVAL);
	/* guest_memfd slots are immutable (delete and re-add) */
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0x2000, p, fd, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0, p, -1, 0), 0);
	assert_int_equal(kvm_vm_set_memslot(&h.vm, 1, 0, 0, 0, p, -1, 0), -EINVAL);
	/* attributes: flags, alignment, emptiness */
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x800, 0x1000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0, 0), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0, 0x1000, 1), -EINVAL);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x1000, 0x3000,
						      KVM_MEMORY_ATTRIBUTE_PRIVATE), 0);
	assert_int_equal(kvm_vm_set_memory_attributes(&h.vm, 0x2000, 0x1000, 0), 0);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x1000), 1);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x2000), 0);
	assert_int_equal(sim_vm_private(h.s, h.vm.fd, 0x3000), 1);
	kvm_vm_close_fd(&h.vm, fd);
	hs_close(&h);
	free(p);
}

/* ---------------- SEV-SNP ---------------- */

static void snp_started(struct hs *h, const struct sim_config *cfg)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct cvmm_kvm_sev_snp_launch_start st = { .policy = SNP_POLICY };

	hs_open(h, cfg);
	assert_int_equal(hs_vm(h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_ram(h, true), 0);
	assert_int_equal(hs_sev(h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	assert_int_equal(hs_sev(h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), 0);
}

static int snp_update(struct hs *h, struct cvmm_kvm_sev_snp_launch_update *u, uint64_t gpa,
		      uint64_t len, uint8_t type, uint32_t *err)
{
	memset(u, 0, sizeof(*u));
	u->gfn_start = gpa >> 12;
	u->uaddr = (uint64_t)(uintptr_t)(h->ram + gpa);
	u->len = len;
	u->type = type;
	return hs_sev(h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, u, err);
}

static void test_snp_start_rules(void **state)
{
	struct cvmm_kvm_sev_init init = { 0 };
	struct cvmm_kvm_sev_snp_launch_start st;
	struct cvmm_kvm_sev_snp_launch_update u;
	struct kvm_sev_launch_start legacy = { 0 };
	struct kvm_sev_cmd cmd;
	uint32_t err;
	struct hs h;

	hs_open(&h, &amd);
	assert_int_equal(hs_vm(&h, KVM_X86_SNP_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), 0);
	/* an SNP guest takes only SNP commands */
	assert_int_equal(hs_sev(&h, KVM_SEV_LAUNCH_START, &legacy, NULL), -EPERM);
	/* UPDATE before START */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, NULL), -EINVAL);
	st = (struct cvmm_kvm_sev_snp_launch_start){ .policy = 0x10000 };	/* no bit 17 */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	st.policy = SNP_POLICY | (1ULL << 40);					/* reserved */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	st.policy = SNP_POLICY;
	st.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	st.flags = 0;
	/* a bad sev_fd: the context cannot be created, KVM says -ENOTTY */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = CVMM_KVM_SEV_SNP_LAUNCH_START;
	cmd.data = (uint64_t)(uintptr_t)&st;
	cmd.sev_fd = 12345;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -ENOTTY);
	/* the PSP: SMT is on, so the policy must allow it */
	st.policy = 0x20000;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_POLICY_FAILURE);
	st.policy = SNP_POLICY;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), 0);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_START, &st, NULL), -EINVAL);
	/* INIT2 again: an SNP guest takes no more non-SNP commands */
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_INIT2, &init, NULL), -EPERM);
	hs_close(&h);
}

static void test_snp_update_rules(void **state)
{
	struct cvmm_kvm_sev_snp_launch_update u;
	uint32_t err;
	struct hs h;

	snp_started(&h, &amd);
	/* argument checks */
	assert_int_equal(snp_update(&h, &u, GPA, 0x800, SNP_PAGE_NORMAL, NULL), -EINVAL);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_VMSA, NULL), -EINVAL);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, 7, NULL), -EINVAL);
	u.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL), -EINVAL);
	/* a GFN outside any guest_memfd memslot */
	assert_int_equal(snp_update(&h, &u, HS_RAM_SIZE, 0x1000, SNP_PAGE_ZERO, NULL), -EINVAL);
	/* the private attribute first: KVM reports the populate failure as -EIO */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, &err), -EIO);
	assert_int_equal(err, 0);
	make_private(&h, GPA, 0x4000);
	/* the source must be page aligned */
	u.uaddr += 8;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL), -EIO);
	/* a range that runs into shared memory: partial progress, then -EIO */
	assert_int_equal(snp_update(&h, &u, GPA + 0x2000, 0x4000, SNP_PAGE_NORMAL, NULL), 0);
	assert_int_equal(u.len, 0x2000);
	assert_int_equal(u.gfn_start, (GPA + 0x4000) >> 12);
	assert_int_equal(u.uaddr, (uint64_t)(uintptr_t)(h.ram + GPA + 0x4000));
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_UPDATE, &u, NULL), -EIO);
	/* a page goes into the RMP once */
	assert_int_equal(snp_update(&h, &u, GPA + 0x2000, 0x1000, SNP_PAGE_NORMAL, NULL), -EIO);
	/* ZERO pages ignore uaddr */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_ZERO, NULL), 0);
	hs_close(&h);
}

static void test_snp_update_progress(void **state)
{
	struct sim_config cfg = { .platform = COCO_SNP, .snp_update_pages = 3, .eagain = 2 };
	struct cvmm_kvm_sev_snp_launch_update u;
	unsigned int calls = 0, again = 0;
	struct hs h;
	int ret;

	snp_started(&h, &cfg);
	make_private(&h, GPA, 0x8000);
	/* -EAGAIN: try again, nothing done */
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

static void test_snp_cpuid_page(void **state)
{
	struct cvmm_kvm_sev_snp_launch_update u;
	const struct kvm_cpuid2 *supported;
	uint8_t page[4096];
	uint32_t err;
	struct hs h;

	snp_started(&h, &amd);
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &supported), 0);
	/* the host's raw table has TSC deadline etc., which SNP guests cannot have */
	assert_int_equal(coco_snp_cpuid_page(supported, page, NULL), 0);
	memcpy(h.ram + GPA, page, sizeof(page));
	make_private(&h, GPA, 0x1000);
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_CPUID, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_PARAM);
	/* the PSP's corrections are in the source page now */
	assert_memory_not_equal(h.ram + GPA, page, sizeof(page));
	{
		char diff[300];
		unsigned int n = coco_snp_cpuid_diff(page, h.ram + GPA, diff, sizeof(diff));

		assert_true(n >= 3);
		assert_non_null(strstr(diff, "leaf 0x1.0 ECX"));
		assert_non_null(strstr(diff, "leaf 0x7.0 EDX 0xac000000 -> 0x0"));
	}
	/* the corrected page is accepted */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_CPUID, NULL), 0);
	hs_close(&h);
}

static void test_snp_finish_rules(void **state)
{
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
	memset(&fin, 0, sizeof(fin));
	fin.flags = 1;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, NULL), -EINVAL);
	/* an ID block whose digest is not the launch's */
	memset(block, 0, sizeof(block));
	memset(auth, 0, sizeof(auth));
	fin.flags = 0;
	fin.id_block_en = 1;
	fin.id_block_uaddr = (uint64_t)(uintptr_t)block;
	fin.id_auth_uaddr = (uint64_t)(uintptr_t)auth;
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_BAD_MEASUREMENT);
	/* the VMSAs are in the digest already: the vCPU is protected */
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
	/* nothing after FINISH */
	assert_int_equal(snp_update(&h, &u, GPA, 0x1000, SNP_PAGE_NORMAL, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	assert_int_equal(hs_sev(&h, CVMM_KVM_SEV_SNP_LAUNCH_FINISH, &fin, &err), -EIO);
	assert_int_equal(err, CVMM_SEV_RET_INVALID_GUEST_STATE);
	hs_close(&h);
}

static void test_snp_backend_cpuid_rejected(void **state)
{
	struct plan_op op = {
		.gpa = GPA, .len = 4096, .src = PLAN_SRC_CPUID, .snp_type = SNP_PAGE_CPUID,
		.what = "CPUID",
	};
	struct launch_plan plan = { .type = COCO_SNP, .policy = SNP_POLICY, .nr_ops = 1,
				    .ops = &op };
	const struct kvm_cpuid2 *supported;
	struct coco_err err = { "" };
	struct guest_mem mem;
	struct coco_kvm c;
	struct hs h;

	snp_started(&h, &amd);
	memset(&mem, 0, sizeof(mem));
	mem.regions[0] = (struct guest_region){ .gpa = 0, .size = HS_RAM_SIZE, .hva = h.ram,
						.kind = GUEST_REGION_RAM, .fd = -1, .name = "ram" };
	mem.nr = 1;
	assert_int_equal(kvm_get_supported_cpuid(&h.sys, &supported), 0);
	memset(&c, 0, sizeof(c));
	c.plan = &plan;
	c.vm = &h.vm;
	c.mem = &mem;
	c.sev_fd = sim_sev_fd(h.s);
	c.gmem_fd = h.gmem;
	c.cpuid = supported;		/* not masked for SNP: the PSP says no */
	c.err = &err;
	assert_int_equal(coco_snp_launch(&c), -EIO);
	assert_int_equal(c.fw_error, CVMM_SEV_RET_INVALID_PARAM);
	assert_non_null(strstr(err.msg, "the PSP rejected the CPUID page at 0x100000 ("));
	assert_non_null(strstr(err.msg, "leaf 0x1.0 ECX 0x77f83203 -> 0x76f83203"));
	assert_non_null(strstr(err.msg, "leaf 0x80000008.0 EBX"));
	hs_close(&h);
}

/* ---------------- TDX ---------------- */

static void test_tdx_vm_rules(void **state)
{
	_Alignas(8) uint8_t caps[sizeof(struct cvmm_kvm_tdx_capabilities) + sizeof(struct kvm_cpuid2) +
		     64 * sizeof(struct kvm_cpuid_entry2)];
	struct kvm_cpuid2 *cc = (void *)(caps + sizeof(struct cvmm_kvm_tdx_capabilities));
	struct cvmm_kvm_tdx_cmd cmd;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	/* capabilities: -E2BIG until the buffer holds every leaf */
	memset(caps, 0, sizeof(caps));
	cc->nent = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 0, caps, NULL), -E2BIG);
	cc->nent = 64;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 1, caps, NULL), -EINVAL);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_CAPABILITIES, 0, caps, NULL), 0);
	assert_int_equal(cc->nent, 5);
	/* like KVM: indexed leaves come without SIGNIFICANT_INDEX */
	assert_int_equal(cc->entries[2].function, 7);
	assert_int_equal(cc->entries[2].index, 1);
	assert_int_equal(cc->entries[2].flags, 0);
	/* hw_error must be 0 on input */
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = CVMM_KVM_TDX_CAPABILITIES;
	cmd.data = (uint64_t)(uintptr_t)caps;
	cmd.hw_error = 1;
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_MEMORY_ENCRYPT_OP, &cmd), -EINVAL);
	/* no vCPU before INIT_VM */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EIO);
	/* FINALIZE before INIT_VM */
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), -EINVAL);
	assert_int_equal(hs_tdx_init(&h), 0);
	/* twice */
	assert_int_equal(hs_tdx_init(&h), -EINVAL);
	hs_close(&h);

	/* a TD needs the split irqchip */
	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	{
		const struct kvm_cpuid2 *sup;
		struct launch_plan plan = { .type = COCO_TDX, .tdx_attr = 1ULL << 28 };
		struct coco_kvm c = { .plan = &plan, .vm = &h.vm, .sev_fd = -1, .gmem_fd = -1 };

		assert_int_equal(kvm_get_supported_cpuid(&h.sys, &sup), 0);
		c.cpuid = sup;
		assert_int_equal(coco_tdx_vm_init(&c), 0);
		coco_kvm_release(&c);
	}
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), -EINVAL);
	/* too late for the split irqchip? not before a vCPU exists */
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), 0);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_SPLIT_IRQCHIP, 24), -EEXIST);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* VM-wide settings are frozen once a vCPU exists */
	assert_int_equal(kvm_vm_ioctl(&h.vm, KVM_SET_TSC_KHZ, (void *)2000000), -EINVAL);
	assert_int_equal(kvm_vm_enable_cap(&h.vm, KVM_CAP_X86_APIC_BUS_CYCLES_NS, 40), -EINVAL);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_tdx_init_vm_rules(void **state)
{
	_Alignas(8) uint8_t buf[sizeof(struct cvmm_kvm_tdx_init_vm) + sizeof(struct kvm_cpuid2) +
		    4 * sizeof(struct kvm_cpuid_entry2)];
	struct cvmm_kvm_tdx_init_vm *init = (void *)buf;
	struct kvm_cpuid2 *c = (void *)(buf + sizeof(*init));
	uint64_t hw;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	memset(buf, 0, sizeof(buf));
	init->attributes = 1ULL << 28;
	c->nent = 1;
	c->entries[0] = (struct kvm_cpuid_entry2){ .function = 0x80000008, .eax = 48 << 16 };
	/* attributes and XFAM the module does not support */
	init->attributes = 1ULL << 30;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->attributes = 1ULL << 28;
	init->xfam = 1ULL << 18;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->xfam = 0;
	/* reserved bytes, flags */
	init->reserved[3] = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	init->reserved[3] = 0;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 1, buf, NULL), -EINVAL);
	/* GPAW (0x80000008 EAX[23:16]) must be 48 or 52 */
	c->entries[0].eax = 40 << 16;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	c->entries[0].eax = 48 << 16;
	/* a leaf the module does not let the VMM configure */
	c->nent = 2;
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0xd, .flags = 1, .eax = 7 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	/* a bit of a configurable leaf that is not configurable */
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0x7, .index = 1, .flags = 1,
						   .eax = 0x30 | 1 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, &hw), -EINVAL);
	assert_int_equal(hw, 0xC000010000000000ULL);
	/* TSX is never allowed */
	c->entries[1] = (struct kvm_cpuid_entry2){ .function = 0x7, .flags = 1, .ebx = 1 << 11 };
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), -EINVAL);
	c->nent = 1;
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_INIT_VM, 0, buf, NULL), 0);
	hs_close(&h);
}

static void test_tdx_vcpu_rules(void **state)
{
	struct cvmm_kvm_tdx_init_mem_region r;
	struct kvm_lapic_state lapic;
	struct kvm_regs regs;
	struct kvm_fpu fpu;
	struct kvm_vcpu v, w;
	struct sim_launch rec;
	struct hs h;

	hs_open(&h, &intel);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(kvm_vcpu_create(&h.vm, 0, &v), 0);
	/* the TDX module owns LAPIC, FPU and registers */
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_LAPIC, &lapic), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_LAPIC, &lapic), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_SET_FPU, &fpu), -EINVAL);
	assert_int_equal(kvm_vcpu_ioctl(&v, KVM_GET_REGS, &regs), -EINVAL);
	/* INIT_MEM_REGION needs INIT_VCPU, INIT_VCPU needs x2APIC in the CPUID */
	memset(&r, 0, sizeof(r));
	r.source_addr = (uint64_t)(uintptr_t)h.ram;
	r.gpa = GPA;
	r.nr_pages = 1;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_VCPU, 0, (void *)0x800000), -EINVAL);
	kvm_vcpu_destroy(&v);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_VCPU, 0, NULL), -EINVAL);
	/* not private yet */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	make_private(&h, GPA, 0x4000);
	/* alignment, emptiness, the shared bit, flags */
	r.source_addr += 8;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.source_addr -= 8;
	r.nr_pages = 0;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.nr_pages = 1;
	r.gpa = GPA | (1ULL << 51);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	r.gpa = GPA;
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 2, &r), -EINVAL);
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION,
				     KVM_TDX_MEASURE_MEMORY_REGION, &r), 0);
	assert_int_equal(r.nr_pages, 0);
	assert_int_equal(r.gpa, GPA + 0x1000);
	/* a page is added once (TDH.MEM.PAGE.ADD fails) */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EIO);
	/* not before FINALIZE */
	assert_int_equal(kvm_vcpu_run(&v), -EINVAL);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), 0);
	assert_int_equal(hs_tdx_vm(&h, CVMM_KVM_TDX_FINALIZE_VM, 0, NULL, NULL), -EINVAL);
	/* the initial memory is fixed once finalized */
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA + 0x2000, 1 };
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINVAL);
	/* and no vCPU joins a finalized TD */
	assert_int_equal(kvm_vcpu_create(&h.vm, 1, &w), -EIO);
	assert_int_equal(sim_vm_launch(h.s, h.vm.fd, &rec), 0);
	assert_int_equal(rec.len, 48);
	assert_int_equal(rec.tdx_attr, 1ULL << 28);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

static void test_tdx_interrupted_region(void **state)
{
	struct sim_config cfg = { .platform = COCO_TDX, .tdx_interrupt_pages = 2 };
	struct cvmm_kvm_tdx_init_mem_region r;
	struct kvm_vcpu v;
	struct hs h;

	hs_open(&h, &cfg);
	assert_int_equal(hs_vm(&h, KVM_X86_TDX_VM), 0);
	assert_int_equal(hs_ram(&h, true), 0);
	assert_int_equal(hs_tdx_init(&h), 0);
	assert_int_equal(hs_vcpu(&h, &v, 0), 0);
	make_private(&h, GPA, 0x5000);
	r = (struct cvmm_kvm_tdx_init_mem_region){ (uint64_t)(uintptr_t)h.ram, GPA, 5 };
	/* -EINTR with the region advanced past what was done */
	assert_int_equal(hs_tdx_vcpu(&h, &v, CVMM_KVM_TDX_INIT_MEM_REGION, 0, &r), -EINTR);
	assert_int_equal(r.nr_pages, 3);
	assert_int_equal(r.gpa, GPA + 0x2000);
	assert_int_equal(r.source_addr, (uint64_t)(uintptr_t)h.ram + 0x2000);
	kvm_vcpu_destroy(&v);
	hs_close(&h);
}

/* ---------------- generic ---------------- */

static void test_vm_types_and_objects(void **state)
{
	struct sim_config cfg = { .platform = COCO_SNP, .no_vm_types = true };
	struct kvm_sys sys;
	struct kvm_vm vm;
	struct sim *s;
	unsigned int fds = count_fds();

	assert_int_equal(sim_create(&amd, &s), 0);
	sim_install(s, &sys);
	assert_int_equal(kvm_check_extension(&sys, KVM_CAP_VM_TYPES), 0x1f);
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_TDX_VM, &vm), -EINVAL);
	assert_int_equal(kvm_vm_create(&sys, 9, &vm), -EINVAL);
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_SNP_VM, &vm), 0);
	assert_int_equal(sim_nr_objects(s), 3);		/* kvm, sev, vm */
	assert_int_equal(count_fds(), fds + 3);
	kvm_vm_destroy(&vm);
	kvm_sys_close(&sys);
	assert_int_equal(sim_nr_objects(s), 1);		/* /dev/sev stays with the sim */
	sim_put(s);
	assert_int_equal(count_fds(), fds);

	/* a kernel without KVM_CAP_VM_TYPES: only the default type */
	assert_int_equal(sim_create(&cfg, &s), 0);
	sim_install(s, &sys);
	sim_put(s);
	assert_int_equal(kvm_check_extension(&sys, KVM_CAP_VM_TYPES), 0);
	assert_int_equal(kvm_vm_create(&sys, KVM_X86_SEV_VM, &vm), -EINVAL);
	kvm_sys_close(&sys);
	assert_int_equal(count_fds(), fds);
}

/* A KVM whose answers the test sets, for the MAP_GPA_RANGE exit probe. */
static int fake_check, fake_enable;

static int fake_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	if (req == KVM_CHECK_EXTENSION)
		return fake_check;
	if (req == KVM_ENABLE_CAP)
		return fake_enable;
	return -ENOTTY;
}

static const struct kvm_sys_ops fake_ops = { .ioctl = fake_ioctl };

static void test_map_gpa_exit_probe(void **state)
{
	struct launch_plan plan = { .type = COCO_SNP };
	struct coco_err err = { "" };
	struct kvm_sys sys;
	struct kvm_vm vm;
	struct coco_kvm c;

	memset(&sys, 0, sizeof(sys));
	sys.ops = &fake_ops;
	sys.fd = -1;
	vm = (struct kvm_vm){ .sys = &sys, .fd = 3, .type = KVM_X86_SNP_VM };
	memset(&c, 0, sizeof(c));
	c.plan = &plan;
	c.vm = &vm;
	c.err = &err;
	c.fw_error = CVMM_SEV_RET_INVALID_PARAM;	/* stale: must not be reported */

	/* a failing KVM_CHECK_EXTENSION is no capability (-EINVAL has bit 12 set) */
	fake_check = -EINVAL;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -ENODEV);
	assert_non_null(strstr(err.msg, "cannot pass KVM_HC_MAP_GPA_RANGE"));
	fake_check = 0;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -ENODEV);
	/* offered but refused: KVM's errno, no PSP status */
	fake_check = 1 << KVM_HC_MAP_GPA_RANGE;
	fake_enable = -EINVAL;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), -EINVAL);
	assert_string_equal(err.msg, "KVM_CAP_EXIT_HYPERCALL: Invalid argument");
	fake_enable = 0;
	assert_int_equal(coco_kvm_enable_map_gpa(&c), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sev_init_rules),
		cmocka_unit_test(test_sev_launch_start_rules),
		cmocka_unit_test(test_sev_update_measure_finish),
		cmocka_unit_test(test_sev_es_vmsa_rules),
		cmocka_unit_test(test_memslot_rules),
		cmocka_unit_test(test_snp_start_rules),
		cmocka_unit_test(test_snp_update_rules),
		cmocka_unit_test(test_snp_update_progress),
		cmocka_unit_test(test_snp_cpuid_page),
		cmocka_unit_test(test_snp_finish_rules),
		cmocka_unit_test(test_snp_backend_cpuid_rejected),
		cmocka_unit_test(test_tdx_vm_rules),
		cmocka_unit_test(test_tdx_init_vm_rules),
		cmocka_unit_test(test_tdx_vcpu_rules),
		cmocka_unit_test(test_tdx_interrupted_region),
		cmocka_unit_test(test_vm_types_and_objects),
		cmocka_unit_test(test_map_gpa_exit_probe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
