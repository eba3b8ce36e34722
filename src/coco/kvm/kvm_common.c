// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform table and the steps of a confidential launch in the order
 * of coco/stage.h, each dispatched to the platform's ops; what the SEV,
 * SNP and TDX backends share: the KVM_MEMORY_ENCRYPT_OP wrappers,
 * guest_memfd, the private attribute, private<->shared conversions and
 * the SNP CPUID page (see coco/kvm/kvm_coco.h).  The vCPU state of SEV-ES/SNP launches is kvm_vmsa.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "coco/kvm/kvm_coco.h"
#include "coco/fw/snp_cpuid.h"
#include "util/bytes.h"
#include "util/compiler.h"

#define PAGE_SIZE	4096ULL

static const struct coco_platform_ops *const platforms[] = {
	[COCO_SEV] = &coco_sev_ops,
	[COCO_SEV_ES] = &coco_sev_es_ops,
	[COCO_SNP] = &coco_snp_ops,
	[COCO_TDX] = &coco_tdx_ops,
};

const struct coco_platform_ops *coco_platform(enum coco_type type)
{
	if ((unsigned int)type >= ARRAY_SIZE(platforms))
		return NULL;
	return platforms[type];
}

/* Take @step of coco/stage.h, or say why not (a bug in the caller). */
static int step(struct coco_kvm *c, enum coco_step s)
{
	enum coco_stage was = c->stage;

	if (coco_stage_step(&c->stage, s))
		return 0;
	err_set(c->err, "internal error: %s out of order (the VM is at \"%s\")",
		coco_step_rule(s)->what, coco_stage_name(was));
	return -EPROTO;
}

int coco_kvm_prepare(struct coco_kvm *c, uint64_t vm_types)
{
	const struct coco_platform_ops *ops = coco_platform(c->plan->type);
	int ret;

	if (!ops) {
		err_set(c->err, "no confidential platform selected");
		return -EINVAL;
	}
	ret = step(c, COCO_STEP_PLAN);
	if (ret)
		return ret;
	c->ops = ops;
	c->legacy_sev = false;
	if (vm_types & (1ULL << ops->vm_type)) {
		c->vm_type = ops->vm_type;
		return 0;
	}
	if (ops->legacy_on_default_type) {
		/* pre-6.10 KVM: SEV on the default type, legacy INIT */
		c->vm_type = KVM_X86_DEFAULT_VM;
		c->legacy_sev = true;
		return 0;
	}
	err_set(c->err, "KVM does not offer the %s VM type (KVM_CAP_VM_TYPES 0x%" PRIx64
		"): this host has no %s", ops->vm_type_name, vm_types, ops->name);
	return -ENODEV;
}

/* Size of the guest_memfd for RAM ending at @ram_end (offset = GPA). */
static uint64_t coco_kvm_gmem_size(uint64_t ram_end)
{
	if (ram_end < SZ_4G)
		ram_end = SZ_4G;	/* the firmware ends at 4 GiB */
	return ALIGN_UP(ram_end, COCO_GMEM_ALIGN);
}

int coco_kvm_vm_init(struct coco_kvm *c, uint64_t ram_end)
{
	int ret, fd;

	ret = step(c, COCO_STEP_VM);
	if (!ret)
		ret = c->ops->vm_init(c);
	if (ret || !c->ops->private_mem)
		return ret;
	fd = kvm_vm_create_guest_memfd(c->vm, coco_kvm_gmem_size(ram_end));
	if (fd < 0) {
		err_set(c->err, "KVM_CREATE_GUEST_MEMFD: %s", strerror(-fd));
		return fd;
	}
	c->gmem_fd = fd;
	return 0;
}

int coco_kvm_vm_ready(struct coco_kvm *c)
{
	int ret = step(c, COCO_STEP_IRQCHIP);

	if (!ret && c->ops->vm_ready)
		ret = c->ops->vm_ready(c);
	return ret;
}

int coco_kvm_memory_added(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva)
{
	int ret = step(c, COCO_STEP_MEMORY);

	if (!ret && c->ops->memory_added)
		ret = c->ops->memory_added(c, gpa, size, hva);
	return ret;
}

int coco_kvm_vcpu_created(struct coco_kvm *c, unsigned int index, struct kvm_vcpu *v)
{
	int ret;

	if (index >= c->nr_vcpus)
		return -EINVAL;
	ret = step(c, COCO_STEP_VCPU);
	if (ret)
		return ret;
	c->vcpus[index] = v;
	return c->ops->vcpu_created ? c->ops->vcpu_created(c, v) : 0;
}

int coco_kvm_launch(struct coco_kvm *c)
{
	unsigned int i;
	int ret;

	for (i = 0; i < c->nr_vcpus; i++) {
		if (!c->vcpus[i]) {
			err_set(c->err, "vCPU %u was not created", i);
			return -EINVAL;
		}
	}
	ret = step(c, COCO_STEP_LAUNCH);
	return ret ? ret : c->ops->launch(c);
}

void coco_kvm_release(struct coco_kvm *c)
{
	free(c->tdx_caps_cpuid);
	c->tdx_caps_cpuid = NULL;
}

int coco_sev_cmd(struct coco_kvm *c, uint32_t id, void *data)
{
	struct kvm_sev_cmd cmd = {
		.id = id,
		.data = (uint64_t)(uintptr_t)data,
		.sev_fd = (uint32_t)c->sev_fd,
	};
	int ret = kvm_vm_ioctl(c->vm, KVM_MEMORY_ENCRYPT_OP, &cmd);

	c->fw_error = cmd.error;
	return ret < 0 ? ret : 0;
}

/* The PSP's statuses a launch meets, with what they mean for the user. */
static const char *psp_status(uint32_t st)
{
	switch (st) {
	case CVMM_SEV_RET_POLICY_FAILURE:
		return "POLICY_FAILURE: the firmware refuses the guest policy (or the ID "
		       "block's differs from it)";
	case CVMM_SEV_RET_BAD_SIGNATURE:
		return "BAD_SIGNATURE: an ID block or ID key signature does not verify";
	case CVMM_SEV_RET_BAD_MEASUREMENT:
		return "BAD_MEASUREMENT: the ID block binds another measurement than this "
		       "launch's (cvmm boot -v prints this launch's)";
	case CVMM_SEV_RET_INVALID_PARAM:
		return "INVALID_PARAM";
	}
	return NULL;
}

int coco_sev_fail(struct coco_kvm *c, const char *what, int ret)
{
	const char *name = psp_status(c->fw_error);

	if (c->fw_error && name)
		err_set(c->err, "%s: PSP status 0x%x %s", what, c->fw_error, name);
	else if (c->fw_error)
		err_set(c->err, "%s: %s (PSP status 0x%x)", what, strerror(-ret),
			c->fw_error);
	else
		err_set(c->err, "%s: %s", what, strerror(-ret));
	return ret;
}

int coco_tdx_cmd(struct coco_kvm *c, struct kvm_sys *sys, int fd, uint32_t id,
		 uint32_t flags, void *data)
{
	struct cvmm_kvm_tdx_cmd cmd = {
		.id = id,
		.flags = flags,
		.data = (uint64_t)(uintptr_t)data,
	};
	int ret = kvm_sys_ioctl(sys, fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	c->hw_error = cmd.hw_error;
	return ret < 0 ? ret : 0;
}

int coco_kvm_enable_map_gpa(struct coco_kvm *c)
{
	int hc = kvm_vm_check_extension(c->vm, KVM_CAP_EXIT_HYPERCALL);
	int ret;

	if (hc < 0 || !(hc & (1 << KVM_HC_MAP_GPA_RANGE))) {
		err_set(c->err, "KVM cannot pass KVM_HC_MAP_GPA_RANGE to userspace "
			"(KVM_CAP_EXIT_HYPERCALL 0x%x)", hc < 0 ? 0 : hc);
		return -ENODEV;
	}
	ret = kvm_vm_enable_cap(c->vm, KVM_CAP_EXIT_HYPERCALL, 1ULL << KVM_HC_MAP_GPA_RANGE);
	if (ret < 0) {
		err_set(c->err, "KVM_CAP_EXIT_HYPERCALL: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

int coco_kvm_set_private(struct coco_kvm *c, uint64_t gpa, uint64_t size, void *hva)
{
	int ret = kvm_vm_set_memory_attributes(c->vm, gpa, size, KVM_MEMORY_ATTRIBUTE_PRIVATE);

	if (ret < 0) {
		err_set(c->err, "KVM_SET_MEMORY_ATTRIBUTES(private) of 0x%" PRIx64
			" bytes at 0x%" PRIx64 ": %s", size, gpa, strerror(-ret));
		return ret;
	}
	return 0;
}

/*
 * Split [gpa, gpa + size) over guest RAM regions; every byte must be RAM.
 * Calls @fn per piece when given.
 */
static int for_each_ram_piece(const struct guest_mem *mem, uint64_t gpa, uint64_t size,
			      void (*fn)(void *opaque, const struct guest_region *r,
					 uint64_t gpa, uint64_t len),
			      void *opaque)
{
	while (size) {
		const struct guest_region *r = NULL;
		unsigned int i;
		uint64_t len;

		for (i = 0; i < mem->nr; i++) {
			const struct guest_region *g = &mem->regions[i];

			if (g->kind == GUEST_REGION_RAM && gpa >= g->gpa &&
			    gpa - g->gpa < g->size) {
				r = g;
				break;
			}
		}
		if (!r)
			return -EINVAL;
		len = MIN(size, r->size - (gpa - r->gpa));
		if (fn)
			fn(opaque, r, gpa, len);
		gpa += len;
		size -= len;
	}
	return 0;
}

static void discard_shared(void *opaque, const struct guest_region *r, uint64_t gpa,
			   uint64_t len)
{
	uint64_t off = gpa - r->gpa;

	if (r->fd >= 0)
		fallocate(r->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			  (off_t)(r->fd_offset + off), (off_t)len);
	else
		madvise(r->hva + off, len, MADV_DONTNEED);
}

int coco_kvm_convert(struct coco_kvm *c, uint64_t gpa, uint64_t size,
		     bool to_private, bool discard)
{
	enum coco_stage stage = c->stage;
	int ret;

	if (!coco_stage_step(&stage, COCO_STEP_RUN)) {
		err_set(c->err, "internal error: a conversion before the launch");
		return -EPROTO;
	}

	if (!size || !IS_ALIGNED(gpa, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) ||
	    range_overflows(gpa, size)) {
		err_set(c->err, "conversion of 0x%" PRIx64 " bytes at 0x%" PRIx64
			" to %s: not a page-aligned range", size, gpa,
			to_private ? "private" : "shared");
		return -EINVAL;
	}
	if (for_each_ram_piece(c->mem, gpa, size, NULL, NULL)) {
		err_set(c->err, "conversion of 0x%" PRIx64 " bytes at 0x%" PRIx64
			" to %s: not guest RAM", size, gpa,
			to_private ? "private" : "shared");
		return -EINVAL;
	}
	ret = kvm_vm_set_memory_attributes(c->vm, gpa, size,
					   to_private ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0);
	if (ret < 0) {
		err_set(c->err, "KVM_SET_MEMORY_ATTRIBUTES(%s) of 0x%" PRIx64
			" bytes at 0x%" PRIx64 ": %s", to_private ? "private" : "shared",
			size, gpa, strerror(-ret));
		return ret;
	}
	if (!discard)
		return 0;
	if (to_private)
		for_each_ram_piece(c->mem, gpa, size, discard_shared, NULL);
	else if (c->gmem_fd >= 0)
		/* guest_memfd offset = GPA */
		fallocate(c->gmem_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			  (off_t)gpa, (off_t)size);
	return 0;
}

int coco_snp_cpuid_page(const struct kvm_cpuid2 *cpuid, uint8_t page[4096],
			struct err_msg *err)
{
	struct snp_cpuid_in in[SNP_CPUID_MAX];
	uint32_t i;

	if (cpuid->nent > SNP_CPUID_MAX) {
		err_set(err, "the CPUID table has %u entries; the SNP CPUID page holds "
			"at most %d", cpuid->nent, SNP_CPUID_MAX);
		return -E2BIG;
	}
	for (i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		in[i] = (struct snp_cpuid_in){
			.function = e->function,
			.index = e->index,
			.significant_index = e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
			.eax = e->eax, .ebx = e->ebx, .ecx = e->ecx, .edx = e->edx,
		};
	}
	return snp_cpuid_page_build(in, cpuid->nent, page, err);
}

unsigned int coco_snp_cpuid_diff(const uint8_t mine[4096], const uint8_t psp[4096],
				 char *buf, size_t len)
{
	static const char *const reg[4] = { "EAX", "EBX", "ECX", "EDX" };
	uint32_t n = MIN(get_le32(mine), (uint32_t)SNP_CPUID_MAX);
	unsigned int diffs = 0, i, r;
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < n; i++) {
		const uint8_t *a = mine + SNP_CPUID_HDR_LEN + i * SNP_CPUID_ENTRY_LEN;
		const uint8_t *b = psp + SNP_CPUID_HDR_LEN + i * SNP_CPUID_ENTRY_LEN;

		for (r = 0; r < 4; r++) {
			uint32_t va = get_le32(a + 24 + 4 * r), vb = get_le32(b + 24 + 4 * r);
			int k;

			if (va == vb)
				continue;
			diffs++;
			if (used + 1 >= len)
				continue;
			k = snprintf(buf + used, len - used, "%sleaf 0x%x.%x %s 0x%x -> 0x%x",
				     used ? ", " : "", get_le32(a), get_le32(a + 4), reg[r], va, vb);
			if (k < 0 || (size_t)k >= len - used) {
				/* out of room: end with an ellipsis if it fits */
				if (len >= 4)
					memcpy(buf + len - 4, "...", 4);
				used = len;
			} else {
				used += (size_t)k;
			}
		}
	}
	return diffs;
}
