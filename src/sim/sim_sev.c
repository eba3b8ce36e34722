// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated AMD PSP behind KVM_MEMORY_ENCRYPT_OP: SEV/SEV-ES (INIT,
 * ES_INIT, INIT2, LAUNCH_START, LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA,
 * LAUNCH_MEASURE, LAUNCH_FINISH) and SEV-SNP (INIT2, SNP_LAUNCH_START,
 * SNP_LAUNCH_UPDATE with kvm_gmem_populate()'s rules, SNP_LAUNCH_FINISH
 * with the ID block checks, SNP_ENABLE_REQ_CERTS).  KVM's own checks come
 * first with KVM's errno (arch/x86/kvm/svm/sev.c); the PSP's refusals are
 * -EIO with its status in kvm_sev_cmd.error, as sev_do_cmd() reports them.
 * [Sn]/[Nn] tags refer to the rule table in docs/coco.md.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "sim/sim_internal.h"
#include "measure/digest.h"
#include "measure/id_block.h"
#include "util/bytes.h"

#define SEV_POLICY_ES			(1u << 2)
#define SNP_POLICY_SMT			(1ULL << 16)
#define SNP_POLICY_MBO			(1ULL << 17)
#define SEV_FW_BLOB_MAX_SIZE		0x4000
#define SIM_API_MAJOR			1
#define SIM_API_MINOR			55
#define SIM_BUILD			21
#define SEV_MEASURE_LEN			48	/* HMAC[32] | MNONCE[16] */
#define GHCB_VERSION_MAX		2

/* The simulated platform's transport integrity key (tests recompute the HMAC). */
static const uint8_t sim_tik[16] = {
	0x63, 0x76, 0x6d, 0x6d, 0x2d, 0x73, 0x69, 0x6d,
	0x2d, 0x74, 0x69, 0x6b, 0x2d, 0x30, 0x30, 0x31,
};

static int psp_fail(struct sim_vm *vm, struct kvm_sev_cmd *cmd, uint32_t status,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int psp_fail(struct sim_vm *vm, struct kvm_sev_cmd *cmd, uint32_t status,
		    const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cmd->error = status;
	return sim_fail(vm->sim, -EIO, "PSP status 0x%x: %s", status, msg);
}

bool sim_sev_launched(const struct sim_vm *vm)
{
	return vm->psp == PSP_RUNNING;
}

void sim_sev_free(struct sim_vm *vm)
{
	if (vm->ld_open)
		sev_ld_free(&vm->ld);
	if (vm->gctx_open)
		snp_gctx_free(&vm->gctx);
	vm->ld_open = vm->gctx_open = false;
}

int sim_sev_reg_region(struct sim_vm *vm, bool reg)
{
	if (!vm->sev_active)
		return -ENOTTY;
	return 0;
}

/* __sev_guest_init() */
static int sev_init(struct sim_vm *vm, const struct cvmm_kvm_sev_init *d, unsigned long type)
{
	struct sim *s = vm->sim;
	bool es = type != KVM_X86_SEV_VM;
	uint64_t valid = es ? sim_vmsa_features(s) : 0;

	if (vm->nr_vcpus)	/* [S3] */
		return sim_fail(s, -EINVAL, "SEV init after KVM_CREATE_VCPU");
	if (d->flags)		/* [S4] */
		return sim_fail(s, -EINVAL, "SEV init: flags 0x%x", d->flags);
	if (d->vmsa_features & ~valid)
		return sim_fail(s, -EINVAL, "SEV init: VMSA features 0x%llx not supported",
				(unsigned long long)d->vmsa_features);
	if (d->ghcb_version > GHCB_VERSION_MAX || (!es && d->ghcb_version))
		return sim_fail(s, -EINVAL, "SEV init: GHCB version %u", d->ghcb_version);
	if (vm->sev_active)	/* [S5] */
		return sim_fail(s, -EINVAL, "SEV init twice");
	vm->sev_active = true;
	vm->sev_es = es;
	vm->sev_snp = type == KVM_X86_SNP_VM;
	vm->vmsa_features = d->vmsa_features;
	vm->ghcb_version = d->ghcb_version;
	if (es && !vm->ghcb_version)
		vm->ghcb_version = GHCB_VERSION_MAX;
	if (vm->sev_snp)
		vm->vmsa_features |= SVM_SEV_FEAT_SNP_ACTIVE;
	vm->sev_need_init = false;
	vm->rec.type = vm->sev_snp ? COCO_SNP : es ? COCO_SEV_ES : COCO_SEV;
	return 0;
}

static int sev_launch_start(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct sim *s = vm->sim;
	struct kvm_sev_launch_start *p = (void *)(uintptr_t)cmd->data;

	if (!vm->sev_active)	/* sev_guest() [S7] */
		return -ENOTTY;
	if (!p)
		return -EFAULT;
	if ((int)cmd->sev_fd != s->sev_fd || s->sev_fd < 0)	/* __sev_issue_cmd() [S8] */
		return sim_fail(s, -EBADF, "LAUNCH_START: sev_fd %u is not /dev/sev", cmd->sev_fd);
	if (vm->psp != PSP_NONE)
		return psp_fail(vm, cmd, 0x0c, "LAUNCH_START: the ASID has a guest already");
	if (!!(p->policy & SEV_POLICY_ES) != vm->sev_es)	/* [S9] */
		return psp_fail(vm, cmd, CVMM_SEV_RET_POLICY_FAILURE, "LAUNCH_START: policy "
				"0x%x %s ES but the VM is %sSEV-ES", p->policy,
				p->policy & SEV_POLICY_ES ? "asks for" : "lacks",
				vm->sev_es ? "" : "not ");
	if (sev_ld_init(&vm->ld))
		return -ENOMEM;
	vm->ld_open = true;
	vm->policy = p->policy;
	vm->handle = s->next_handle++;
	vm->psp = PSP_LUPDATE;
	p->handle = vm->handle;
	return 0;
}

static int sev_launch_update_data(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct sim *s = vm->sim;
	struct kvm_sev_launch_update_data *p = (void *)(uintptr_t)cmd->data;
	const uint8_t *src;

	if (!vm->sev_active)
		return -ENOTTY;
	if (!p)
		return -EFAULT;
	if (!p->len || p->uaddr + p->len < p->uaddr)	/* sev_pin_memory() [S10] */
		return sim_fail(s, -EINVAL, "LAUNCH_UPDATE_DATA: empty or wrapping range");
	src = sim_user_ptr(vm, p->uaddr, p->len);
	if (!src)
		return sim_fail(s, -ENOMEM, "LAUNCH_UPDATE_DATA: 0x%llx+0x%x is not guest "
				"memory the simulator can pin", (unsigned long long)p->uaddr, p->len);
	if (vm->psp != PSP_LUPDATE)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_GUEST_STATE,
				"LAUNCH_UPDATE_DATA outside the launch-update state");
	if (p->uaddr & 15)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_ADDRESS,
				"LAUNCH_UPDATE_DATA: address not 16-byte aligned");
	if (p->len & 15)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_LEN,
				"LAUNCH_UPDATE_DATA: length 0x%x not a multiple of 16", p->len);
	return sev_ld_update(&vm->ld, src, p->len);
}

/* Encrypt and measure vCPU @v's VMSA (sev_es_sync_vmsa(), then the PSP). */
static int measure_vmsa(struct sim_vm *vm, struct kvm_sev_cmd *cmd, struct sim_vcpu *v)
{
	int ret = sim_vcpu_sync_vmsa(v, v->vmsa);

	if (ret)
		return ret;
	if (vm->psp != PSP_LUPDATE)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_GUEST_STATE, "%s after the launch "
				"finished", vm->sev_snp ? "SNP_LAUNCH_UPDATE(VMSA)" :
				"LAUNCH_UPDATE_VMSA");
	ret = vm->sev_snp ? snp_gctx_update_vmsa(&vm->gctx, v->vmsa) :
			    sev_ld_update(&vm->ld, v->vmsa, VMSA_PAGE_SIZE);
	if (ret)
		return ret;
	v->vmsa_done = true;
	v->protected_state = true;
	v->fpu_confidential = true;
	return 0;
}

/* sev_launch_update_vmsa() */
static int sev_launch_update_vmsa(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	unsigned int i;
	int ret;

	if (!vm->sev_active || !vm->sev_es)	/* [S11] */
		return -ENOTTY;
	for (i = 0; i < vm->nr_vcpus; i++) {
		struct sim_vcpu *v = vm->vcpus[i];

		if (!v)
			continue;
		if (v->protected_state)		/* [S12] */
			return sim_fail(vm->sim, -EINVAL, "LAUNCH_UPDATE_VMSA: vCPU %u's VMSA is "
					"encrypted already", i);
		ret = measure_vmsa(vm, cmd, v);
		if (ret)
			return ret;
	}
	return 0;
}

static int psp_launch_measure(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct kvm_sev_launch_measure *p = (void *)(uintptr_t)cmd->data;
	uint8_t out[SEV_MEASURE_LEN];
	unsigned int i;
	int ret;

	if (!vm->sev_active)
		return -ENOTTY;
	if (!p)
		return -EFAULT;
	if (p->len && p->uaddr && p->len > SEV_FW_BLOB_MAX_SIZE)	/* [S14] */
		return sim_fail(vm->sim, -EINVAL, "LAUNCH_MEASURE: length %u", p->len);
	if (vm->psp != PSP_LUPDATE && vm->psp != PSP_LSECRET)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_GUEST_STATE,
				"LAUNCH_MEASURE outside the launch states");
	if (!p->len) {
		/* the length query: the PSP says how much it needs (not a refusal) */
		p->len = SEV_MEASURE_LEN;
		cmd->error = CVMM_SEV_RET_INVALID_LEN;
		return -EIO;
	}
	if (p->len < SEV_MEASURE_LEN) {
		p->len = SEV_MEASURE_LEN;
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_LEN, "LAUNCH_MEASURE: %s",
				"buffer too small");
	}
	if (!p->uaddr)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_ADDRESS, "LAUNCH_MEASURE: %s",
				"no buffer");
	if (vm->psp == PSP_LUPDATE) {
		ret = sev_ld_final(&vm->ld, vm->ld_final);
		if (ret)
			return ret;
		vm->psp = PSP_LSECRET;
	}
	for (i = 0; i < 16; i++)
		out[32 + i] = (uint8_t)(vm->handle * 16 + i);	/* MNONCE */
	ret = sev_launch_measure(sim_tik, SIM_API_MAJOR, SIM_API_MINOR, SIM_BUILD,
				 (uint32_t)vm->policy, vm->ld_final, out + 32, out);
	if (ret)
		return ret;
	memcpy((void *)(uintptr_t)p->uaddr, out, sizeof(out));
	p->len = SEV_MEASURE_LEN;
	return 0;
}

static int sev_launch_finish(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	if (!vm->sev_active)
		return -ENOTTY;
	if (vm->psp != PSP_LSECRET)	/* [S15] */
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_GUEST_STATE, "LAUNCH_FINISH %s",
				vm->psp == PSP_RUNNING ? "twice" : "before LAUNCH_MEASURE");
	if (sim_order(vm, COCO_STEP_LAUNCH))
		return -EINVAL;
	vm->psp = PSP_RUNNING;
	sim_record_launch(vm, vm->ld_final, SEV_LD_LEN);
	return 0;
}

/* ------------------------------------------------------------------ */
/* SEV-SNP */

/* The policy bits KVM takes: fixed before 6.18, the firmware's since (snp_launch_start()) */
static uint64_t snp_policy_bits(const struct sim *s)
{
	if (sim_kernel(s) < 618)
		return SIM_SNP_POLICY_BITS_OLD;
	return s->cfg.snp_policy_bits ? s->cfg.snp_policy_bits : SIM_SNP_POLICY_BITS;
}

static int snp_launch_start(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct sim *s = vm->sim;
	struct cvmm_kvm_sev_snp_launch_start *p = (void *)(uintptr_t)cmd->data;
	uint64_t valid = snp_policy_bits(s);
	unsigned int major, minor;

	if (!vm->sev_snp)			/* [N1] */
		return -ENOTTY;
	if (!p)
		return -EFAULT;
	if (vm->snp_context)
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_START twice");
	if (p->flags)
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_START: flags 0x%x", p->flags);
	if (p->policy & ~valid)			/* [N2] */
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_START: policy bits 0x%llx are not "
				"supported (KVM takes 0x%llx)",
				(unsigned long long)(p->policy & ~valid), (unsigned long long)valid);
	if (!(p->policy & SNP_POLICY_MBO))
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_START: policy bit 17 must be set");
	if ((int)cmd->sev_fd != s->sev_fd || s->sev_fd < 0)	/* [N3] */
		/* snp_context_create() fails, KVM reports -ENOTTY */
		return sim_fail(s, -ENOTTY, "SNP_LAUNCH_START: sev_fd %u is not /dev/sev",
				cmd->sev_fd);
	major = (unsigned int)(p->policy >> 8) & 0xff;
	minor = (unsigned int)p->policy & 0xff;
	if (major > SIM_API_MAJOR || (major == SIM_API_MAJOR && minor > SIM_API_MINOR)) /* [N4] */
		return psp_fail(vm, cmd, CVMM_SEV_RET_POLICY_FAILURE, "SNP_LAUNCH_START: "
				"policy needs ABI %u.%u, the firmware is %d.%d", major, minor,
				SIM_API_MAJOR, SIM_API_MINOR);
	if (!(p->policy & SNP_POLICY_SMT))
		return psp_fail(vm, cmd, CVMM_SEV_RET_POLICY_FAILURE, "SNP_LAUNCH_START: %s",
				"SMT is enabled but the policy forbids it");
	if (snp_gctx_init(&vm->gctx, NULL))
		return -ENOMEM;
	vm->gctx_open = true;
	vm->snp_context = true;
	vm->policy = p->policy;
	vm->handle = s->next_handle++;
	vm->psp = PSP_LUPDATE;
	return 0;
}

static bool snp_type_valid(uint8_t t)
{
	return t == SNP_PAGE_NORMAL || t == SNP_PAGE_ZERO || t == SNP_PAGE_UNMEASURED ||
	       t == SNP_PAGE_SECRETS || t == SNP_PAGE_CPUID;
}

/* One page of kvm_gmem_populate() + sev_gmem_post_populate() + the PSP. */
static int snp_populate_page(struct sim_vm *vm, struct kvm_sev_cmd *cmd,
			     const struct sim_slot *slot, uint64_t gpa, uint8_t type,
			     uint64_t src, uint32_t *fw_error)
{
	static const uint8_t zero_page[SIM_PAGE];
	uint8_t page[SIM_PAGE], contents[SNP_LD_LEN];
	const uint8_t *p = zero_page;
	unsigned int i;
	int ret;

	if (!sim_ranges_covers(&vm->private, gpa, gpa + SIM_PAGE))
		return sim_fail(vm->sim, -EINVAL, "SNP_LAUNCH_UPDATE: GPA 0x%llx is not "
				"private (KVM_SET_MEMORY_ATTRIBUTES first)",
				(unsigned long long)gpa);
	if (sim_ranges_overlaps(&vm->launched, gpa, gpa + SIM_PAGE))
		return sim_fail(vm->sim, -EEXIST, "SNP_LAUNCH_UPDATE: GPA 0x%llx was "
				"launched already (private in the RMP)", (unsigned long long)gpa);
	if (type != SNP_PAGE_ZERO) {
		p = sim_user_ptr(vm, src, SIM_PAGE);
		if (!p)
			return sim_fail(vm->sim, -EFAULT, "SNP_LAUNCH_UPDATE: source 0x%llx is "
					"not memory the simulator knows",
					(unsigned long long)src);
	}
	if (vm->psp != PSP_LUPDATE) {
		*fw_error = CVMM_SEV_RET_INVALID_GUEST_STATE;
		return psp_fail(vm, cmd, *fw_error, "SNP_LAUNCH_UPDATE after SNP_LAUNCH_FINISH"); /* [N13] */
	}
	memcpy(page, p, sizeof(page));
	if (type == SNP_PAGE_CPUID && !sim_snp_cpuid_check(page, vm->sim->cfg.snp_cpuid_lax)) { /* [N12] */
		/* the PSP leaves its corrections; KVM copies them back to the source */
		memcpy((void *)(uintptr_t)src, page, sizeof(page));
		*fw_error = CVMM_SEV_RET_INVALID_PARAM;
		return psp_fail(vm, cmd, *fw_error, "SNP_LAUNCH_UPDATE: %s",
				"the CPUID page has values the platform does not allow");
	}
	if (type == SNP_PAGE_NORMAL) {
		ret = md_sha384(page, sizeof(page), contents);
		if (!ret)
			ret = snp_gctx_update(&vm->gctx, SNP_PAGE_NORMAL, gpa, contents);
	} else {
		ret = snp_gctx_update(&vm->gctx, (enum snp_page_type)type, gpa, NULL);
	}
	if (ret)
		return ret;
	if (type == SNP_PAGE_SECRETS)
		for (i = 0; i < sizeof(page); i++)
			page[i] = (uint8_t)(vm->handle * 31 + i * 7);	/* VMPCKs etc. */
	ret = sim_gmem_write(slot, gpa, type == SNP_PAGE_ZERO ? zero_page : page, SIM_PAGE);
	if (ret)
		return ret;
	return sim_ranges_set(&vm->launched, gpa, gpa + SIM_PAGE, true);
}

/* snp_launch_update() + kvm_gmem_populate() */
static int snp_launch_update(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct sim *s = vm->sim;
	struct cvmm_kvm_sev_snp_launch_update *p = (void *)(uintptr_t)cmd->data;
	bool strict = sim_kernel(s) > SIM_KERNEL_6_17;
	const struct sim_slot *slot;
	uint64_t npages, left, count = 0, src;
	uint32_t fw_error = 0;
	int ret = 0;

	if (!vm->sev_snp || !vm->snp_context)	/* [N6] */
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_UPDATE before SNP_LAUNCH_START");
	if (!p)
		return -EFAULT;
	/* [N7]: 6.16/6.17 take len 0 (and do nothing); later kernels refuse it */
	if ((p->len & (SIM_PAGE - 1)) || p->flags || !snp_type_valid(p->type) ||
	    (strict && !p->len))
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_UPDATE: length 0x%llx, flags 0x%x, "
				"type %u", (unsigned long long)p->len, p->flags, p->type);
	src = p->type == SNP_PAGE_ZERO ? 0 : p->uaddr;
	/* [N8]: 6.16/6.17 copy from any address; later kernels want whole pages */
	if (strict && p->type != SNP_PAGE_ZERO && (!src || (src & (SIM_PAGE - 1))))
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_UPDATE: source 0x%llx is not a page",
				(unsigned long long)src);
	npages = p->len / SIM_PAGE;
	slot = sim_slot_find(vm, p->gfn_start << 12);
	if (!slot || !slot->gmem)		/* kvm_slot_can_be_private() [N9] */
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_UPDATE: GFN 0x%llx is not in a "
				"guest_memfd memslot", (unsigned long long)p->gfn_start);
	if (s->eagain_left) {
		s->eagain_left--;
		return sim_fail(s, -EAGAIN, "SNP_LAUNCH_UPDATE: try again");
	}
	if (!npages)
		return 0;	/* kvm_gmem_populate() of no pages */
	if (slot->gmem == SIM_SLOT_GMEM_CLOSED)
		return sim_fail(s, -EIO, "SNP_LAUNCH_UPDATE: the guest_memfd was closed");
	left = (slot->gpa + slot->size - (p->gfn_start << 12)) / SIM_PAGE;
	if (npages > left)
		npages = left;		/* never past the memslot: the caller loops [N11] */
	if (s->cfg.snp_update_pages && npages > s->cfg.snp_update_pages)
		npages = s->cfg.snp_update_pages;
	for (count = 0; count < npages; count++) {
		ret = snp_populate_page(vm, cmd, slot, (p->gfn_start + count) << 12, p->type,
					src ? src + count * SIM_PAGE : 0, &fw_error);
		if (ret)
			break;
	}
	if (ret && !count) {
		/* kvm_gmem_populate() < 0: -EIO with the PSP's status, if any [N10] */
		cmd->error = fw_error;
		return -EIO;
	}
	p->gfn_start += count;
	p->len -= count * SIM_PAGE;
	if (p->type != SNP_PAGE_ZERO)
		p->uaddr += count * SIM_PAGE;
	return 0;
}

/* ID_KEY / AUTHOR_KEY (SNP ABI, 0x404 bytes: curve, Qx[72 LE], Qy[72 LE]) */
static EVP_PKEY *p384_key(const uint8_t *pub)
{
	uint8_t point[97];
	OSSL_PARAM_BLD *bld;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;
	unsigned int i;

	if (pub[0] != SNP_CURVE_P384 || pub[1] || pub[2] || pub[3])
		return NULL;
	point[0] = 0x04;
	for (i = 0; i < 48; i++) {
		point[1 + i] = pub[4 + 47 - i];
		point[49 + i] = pub[4 + 72 + 47 - i];
	}
	bld = OSSL_PARAM_BLD_new();
	if (!bld)
		return NULL;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "P-384", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
					     sizeof(point)))
		params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

/* SNP_LAUNCH_FINISH's ID block checks; returns a PSP status. */
static uint32_t snp_check_id_block(struct sim_vm *vm, const uint8_t *block,
				   const uint8_t *auth, bool auth_key_en)
{
	EVP_PKEY *id_key, *author = NULL;
	uint32_t status = 0;

	if (memcmp(block, vm->gctx.ld, SNP_LD_LEN))
		return CVMM_SEV_RET_BAD_MEASUREMENT;
	if (get_le(block + 80, 4) != 1)
		return CVMM_SEV_RET_INVALID_PARAM;
	if (get_le(block + 88, 8) != vm->policy)
		return CVMM_SEV_RET_POLICY_FAILURE;
	if (get_le(auth, 4) != SNP_ALGO_ECDSA_P384)
		return CVMM_SEV_RET_INVALID_PARAM;
	id_key = p384_key(auth + SNP_ID_AUTH_OFF_ID_KEY);
	if (!id_key)
		return CVMM_SEV_RET_INVALID_PARAM;
	if (snp_verify(id_key, block, SNP_ID_BLOCK_LEN, auth + SNP_ID_AUTH_OFF_BLOCK_SIG))
		status = CVMM_SEV_RET_BAD_SIGNATURE;
	if (!status && auth_key_en) {
		author = p384_key(auth + SNP_ID_AUTH_OFF_AUTHOR_KEY);
		if (!author || get_le(auth + 4, 4) != SNP_ALGO_ECDSA_P384)
			status = CVMM_SEV_RET_INVALID_PARAM;
		else if (snp_verify(author, auth + SNP_ID_AUTH_OFF_ID_KEY, SNP_PUBKEY_LEN,
				    auth + SNP_ID_AUTH_OFF_ID_KEY_SIG))
			status = CVMM_SEV_RET_BAD_SIGNATURE;
	}
	EVP_PKEY_free(id_key);
	EVP_PKEY_free(author);
	return status;
}

/* What the report of this guest will carry: policy and the ID block's fields. */
static int snp_record_id(struct sim_vm *vm, const uint8_t *block, const uint8_t *auth,
			 bool author)
{
	struct sim_launch *r = &vm->rec;

	r->policy = vm->policy;
	r->id_block = block != NULL;
	r->author_key_en = author;
	if (!block)
		return 0;
	memcpy(r->family_id, block + 48, 16);
	memcpy(r->image_id, block + 64, 16);
	r->guest_svn = (uint32_t)get_le(block + 84, 4);
	if (md_sha384(auth + SNP_ID_AUTH_OFF_ID_KEY, SNP_PUBKEY_LEN, r->id_key_digest) ||
	    (author && md_sha384(auth + SNP_ID_AUTH_OFF_AUTHOR_KEY, SNP_PUBKEY_LEN,
				 r->author_key_digest)))
		return -ENOMEM;
	return 0;
}

static int snp_launch_finish(struct sim_vm *vm, struct kvm_sev_cmd *cmd)
{
	struct sim *s = vm->sim;
	struct cvmm_kvm_sev_snp_launch_finish *p = (void *)(uintptr_t)cmd->data;
	const uint8_t *block = NULL, *auth = NULL;
	unsigned int i;
	uint32_t st;
	int ret;

	if (!vm->sev_snp)
		return -ENOTTY;
	if (!vm->snp_context)
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_FINISH before SNP_LAUNCH_START");
	if (!p)
		return -EFAULT;
	if (p->flags)
		return sim_fail(s, -EINVAL, "SNP_LAUNCH_FINISH: flags 0x%x", p->flags);
	/* snp_launch_update_vmsa(): every vCPU, in index order [N14] */
	for (i = 0; i < vm->nr_vcpus; i++) {
		if (!vm->vcpus[i])
			continue;
		ret = measure_vmsa(vm, cmd, vm->vcpus[i]);
		if (ret)
			return ret;
	}
	if (p->id_block_en) {
		block = (const uint8_t *)(uintptr_t)p->id_block_uaddr;
		auth = (const uint8_t *)(uintptr_t)p->id_auth_uaddr;
		if (!block || !auth)
			return sim_fail(s, -EFAULT, "SNP_LAUNCH_FINISH: no ID block or ID auth");
	}
	if (vm->psp != PSP_LUPDATE)
		return psp_fail(vm, cmd, CVMM_SEV_RET_INVALID_GUEST_STATE,
				"SNP_LAUNCH_FINISH twice");
	if (block) {
		st = snp_check_id_block(vm, block, auth, p->auth_key_en);
		if (st)
			return psp_fail(vm, cmd, st, "SNP_LAUNCH_FINISH: the ID block does not "
					"match the launch (digest, policy or signature)");
	}
	if (sim_order(vm, COCO_STEP_LAUNCH))
		return -EINVAL;
	vm->psp = PSP_RUNNING;
	memcpy(vm->rec.host_data, p->host_data, sizeof(vm->rec.host_data));
	ret = snp_record_id(vm, block, auth, block && p->auth_key_en);
	if (ret)
		return ret;
	sim_record_launch(vm, vm->gctx.ld, SNP_LD_LEN);
	return 0;
}

int sim_sev_ioctl(struct sim_vm *vm, void *arg)
{
	struct sim *s = vm->sim;
	struct kvm_sev_cmd *cmd = arg;
	const struct cvmm_kvm_sev_init *init;
	unsigned long type;

	if (!arg)
		return 0;
	cmd->error = 0;
	/* once INIT2 made an SNP guest, only SNP commands */
	if (vm->sev_snp && cmd->id < CVMM_KVM_SEV_SNP_LAUNCH_START)	/* [S6] */
		return sim_fail(s, -EPERM, "SEV command %u on an SNP guest", cmd->id);
	switch (cmd->id) {
	case KVM_SEV_INIT:
	case KVM_SEV_ES_INIT: {
		struct cvmm_kvm_sev_init legacy = { 0 };

		if (vm->type != KVM_X86_DEFAULT_VM)	/* sev_guest_init() [S2] */
			return sim_fail(s, -EINVAL, "KVM_SEV_%sINIT on VM type %lu (INIT2 only)",
					cmd->id == KVM_SEV_ES_INIT ? "ES_" : "", vm->type);
		type = cmd->id == KVM_SEV_INIT ? KVM_X86_SEV_VM : KVM_X86_SEV_ES_VM;
		legacy.ghcb_version = type == KVM_X86_SEV_ES_VM ? 1 : 0;
		return sev_init(vm, &legacy, type);
	}
	case CVMM_KVM_SEV_INIT2:
		if (!vm->sev_need_init)	/* sev_guest_init2() [S1] */
			return sim_fail(s, -EINVAL, "KVM_SEV_INIT2 on VM type %lu%s", vm->type,
					vm->sev_active ? " (initialized already)" : "");
		init = (const void *)(uintptr_t)cmd->data;
		if (!init)
			return -EFAULT;
		return sev_init(vm, init, vm->type);
	case KVM_SEV_LAUNCH_START:
		return sev_launch_start(vm, cmd);
	case KVM_SEV_LAUNCH_UPDATE_DATA:
		return sev_launch_update_data(vm, cmd);
	case KVM_SEV_LAUNCH_UPDATE_VMSA:
		return sev_launch_update_vmsa(vm, cmd);
	case KVM_SEV_LAUNCH_MEASURE:
		return psp_launch_measure(vm, cmd);
	case KVM_SEV_LAUNCH_FINISH:
		return sev_launch_finish(vm, cmd);
	case CVMM_KVM_SEV_SNP_LAUNCH_START:
		return snp_launch_start(vm, cmd);
	case CVMM_KVM_SEV_SNP_LAUNCH_UPDATE:
		return snp_launch_update(vm, cmd);
	case CVMM_KVM_SEV_SNP_LAUNCH_FINISH:
		return snp_launch_finish(vm, cmd);
	case CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS:	/* snp_enable_certs(), 7.0 [N15] */
		if (sim_kernel(s) < SIM_KERNEL_7_0)
			break;
		if (vm->nr_vcpus || !vm->sev_snp)
			return sim_fail(s, -EINVAL, "SNP_ENABLE_REQ_CERTS %s",
					vm->sev_snp ? "after KVM_CREATE_VCPU" : "on a non-SNP VM");
		vm->snp_certs = true;
		return 0;
	}
	return sim_fail(s, -EINVAL, "SEV command %u is not simulated", cmd->id);
}
