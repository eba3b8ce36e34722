// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated hosts' CPUID: what KVM_GET_SUPPORTED_CPUID reports on an
 * AMD EPYC Milan (family 25 model 1 stepping 1, QEMU's EPYC-Milan
 * signature: a part that has SEV-SNP) with SEV, SEV-ES and SEV-SNP, and
 * on an Intel Sapphire Rapids with TDX; the
 * TDX module's configurable CPUID leaves; and the PSP's check of an SNP
 * CPUID page.  Fixed tables, so simulated measurements are reproducible.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/sim_internal.h"
#include "util/bytes.h"
#include "util/compiler.h"

#define SIG	KVM_CPUID_FLAG_SIGNIFCANT_INDEX

struct leaf {
	uint32_t fn, idx, flags, eax, ebx, ecx, edx;
};

static const struct leaf amd_leaves[] = {
	{ 0x0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65 },	/* AuthenticAMD */
	{ 0x1, 0, 0, 0x00a00f11, 0x00000800, 0x77f83203, 0x178bfbff },
	{ 0x6, 0, 0, 0x4, 0, 0, 0 },
	{ 0x7, 0, SIG, 0x1, 0x219c01ab, 0x00400004, 0xac000000 },
	{ 0x7, 1, SIG, 0, 0, 0, 0 },
	{ 0xd, 0, SIG, 0x7, 0x340, 0x340, 0 },
	{ 0xd, 1, SIG, 0xf, 0x340, 0, 0 },
	{ 0xd, 2, SIG, 0x100, 0x240, 0, 0 },
	{ 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d },	/* KVMKVMKVM */
	{ 0x40000001, 0, 0, 0x01007afb, 0, 0, 0 },
	{ 0x80000000, 0, 0, 0x8000001f, 0x68747541, 0x444d4163, 0x69746e65 },
	{ 0x80000001, 0, 0, 0x00a00f11, 0, 0x00c003f3, 0x2fd3fbff },
	{ 0x80000002, 0, 0, 0x20444d41, 0x43595045, 0x76632820, 0x73206d6d },	/* "AMD EPYC (cvmm s" */
	{ 0x80000003, 0, 0, 0x6c756d69, 0x64657461, 0x00000029, 0 },	/* "imulated)" */
	{ 0x80000004, 0, 0, 0, 0, 0, 0 },
	{ 0x80000005, 0, 0, 0xff40ff40, 0xff40ff40, 0x20080140, 0x40040140 },
	{ 0x80000006, 0, 0, 0, 0x42004200, 0x02006140, 0x00808140 },
	{ 0x80000007, 0, 0, 0, 0, 0, 0x100 },
	{ 0x80000008, 0, 0, 0x00003030, 0x0300d205, 0, 0 },
	{ 0x8000001e, 0, 0, 0, 0x100, 0, 0 },
	/* SME, SEV, SEV-ES, SEV-SNP; C-bit 51, one physical address bit less; 509 ASIDs */
	{ 0x8000001f, 0, 0, 0x1b, 0x73, 0x1fd, 0x80 },
};

static const struct leaf intel_leaves[] = {
	{ 0x0, 0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69 },	/* GenuineIntel */
	{ 0x1, 0, 0, 0x000806f8, 0x00000800, 0x77f83203, 0x1f8bfbff },
	{ 0x4, 0, SIG, 0x121, 0x02c0003f, 0x3f, 0 },
	{ 0x4, 1, SIG, 0x122, 0x01c0003f, 0x3f, 0 },
	{ 0x4, 2, SIG, 0x143, 0x03c0003f, 0x7ff, 0 },
	{ 0x4, 3, SIG, 0x163, 0x03c0003f, 0xffff, 0x4 },
	{ 0x4, 4, SIG, 0, 0, 0, 0 },
	{ 0x6, 0, 0, 0x4, 0, 0, 0 },
	{ 0x7, 0, SIG, 0x1, 0xd59f0fbb, 0x0040072c, 0xac004400 },
	{ 0x7, 1, SIG, 0x30, 0, 0, 0 },
	{ 0xb, 0, SIG, 0, 1, 0x100, 0 },
	{ 0xb, 1, SIG, 0, 1, 0x201, 0 },
	{ 0xd, 0, SIG, 0x2e7, 0xa88, 0xa88, 0 },
	{ 0xd, 1, SIG, 0xf, 0, 0, 0 },
	{ 0xd, 2, SIG, 0x100, 0x240, 0, 0 },
	{ 0x1f, 0, SIG, 0, 1, 0x100, 0 },
	{ 0x1f, 1, SIG, 0, 1, 0x201, 0 },
	{ 0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d },
	{ 0x40000001, 0, 0, 0x01007afb, 0, 0, 0 },
	{ 0x80000000, 0, 0, 0x80000008, 0, 0, 0 },
	{ 0x80000001, 0, 0, 0, 0, 0x121, 0x2c100800 },
	{ 0x80000007, 0, 0, 0, 0, 0, 0x100 },
	{ 0x80000008, 0, 0, 0x00003934, 0, 0, 0 },	/* 52 physical, 57 linear bits; GPA bits set by sim.c */
};

/* The TDX module's configurable leaves (TDX_FEATURES / CPUID_CONFIG): bits the VMM may set. */
static const struct leaf tdx_config[] = {
	{ 0x1, 0, 0, 0, 0, 0x76d83203, 0xbfebfbff },
	{ 0x7, 0, 0, 0, 0xd59f07ab, 0x0040070c, 0xac004400 },
	{ 0x7, 1, 0, 0x30, 0, 0, 0 },
	{ 0x80000001, 0, 0, 0, 0, 0x121, 0x2c100800 },
	{ 0x80000008, 0, 0, 0xff, 0, 0, 0 },
};

#define TDX_ATTR_SEPT_VE_DISABLE	(1ULL << 28)

static struct kvm_cpuid_entry2 leaf_entry(const struct leaf *l)
{
	return (struct kvm_cpuid_entry2){
		.function = l->fn, .index = l->idx, .flags = l->flags,
		.eax = l->eax, .ebx = l->ebx, .ecx = l->ecx, .edx = l->edx,
	};
}

static struct kvm_cpuid2 *to_cpuid2(const struct leaf *l, unsigned int n)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_alloc(n);
	unsigned int i;

	if (!c)
		return NULL;
	for (i = 0; i < n; i++)
		c->entries[i] = leaf_entry(&l[i]);
	return c;
}

struct kvm_cpuid2 *sim_cpuid_supported(enum coco_type platform)
{
	if (platform == COCO_TDX)
		return to_cpuid2(intel_leaves, ARRAY_SIZE(intel_leaves));
	return to_cpuid2(amd_leaves, ARRAY_SIZE(amd_leaves));
}

unsigned int sim_tdx_cpuid_config(struct kvm_cpuid_entry2 *out, unsigned int max)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tdx_config) && i < max; i++)
		out[i] = leaf_entry(&tdx_config[i]);
	return i;
}

uint64_t sim_tdx_supported_attrs(void)
{
	return TDX_ATTR_SEPT_VE_DISABLE;	/* KVM_SUPPORTED_TD_ATTRS */
}

uint64_t sim_tdx_supported_xfam(void)
{
	return 0x2e7;	/* x87, SSE, AVX, AVX-512 (3 components), PKRU */
}

/*
 * What the simulated PSP accepts for (fn, idx): the host's values plus
 * what a VMM legitimately changes (topology, hypervisor bit), minus the
 * features SNP guests cannot have (TSC deadline and TSC_ADJUST, the
 * speculation-control MSRs, VIRT_SSBD).  Hypervisor leaves are not
 * policed.  Returns false when the leaf is unknown.
 */
static bool allowed(uint32_t fn, uint32_t idx, uint32_t mask[4])
{
	unsigned int i;

	if (fn >= 0x40000000 && fn < 0x50000000) {
		mask[0] = mask[1] = mask[2] = mask[3] = 0xffffffff;
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(amd_leaves); i++) {
		const struct leaf *l = &amd_leaves[i];

		if (l->fn != fn || ((l->flags & SIG) && l->idx != idx))
			continue;
		mask[0] = l->eax;
		mask[1] = l->ebx;
		mask[2] = l->ecx;
		mask[3] = l->edx;
		switch (fn) {
		case 0x1:
			/*
			 * the signature: any model (QEMU launches SNP guests
			 * with -cpu EPYC-v4 on Milan and Genoa hosts)
			 */
			mask[0] = 0xffffffff;
			mask[1] = 0xffffffff;			/* APIC ID, count */
			mask[2] = (mask[2] | 1u << 31) & ~(1u << 24);	/* +HV, -TSC deadline */
			mask[3] |= 1u << 28;			/* HTT */
			break;
		case 0x7:
			if (idx == 0) {
				mask[1] &= ~(1u << 1);		/* TSC_ADJUST */
				mask[3] &= ~0xfc000000u;	/* SPEC_CTRL .. SSBD */
			}
			break;
		case 0xd:
			mask[1] = 0xffffffff;			/* depends on XCR0_IN */
			break;
		case 0x80000001:
			mask[0] = 0xffffffff;			/* the signature again */
			mask[2] |= 1u << 1;			/* CMP_LEGACY */
			break;
		case 0x80000008:
			mask[1] &= ~(1u << 25);			/* VIRT_SSBD */
			mask[2] = 0xffffffff;			/* core count */
			break;
		case 0x8000001e:
			mask[0] = mask[1] = mask[2] = 0xffffffff;	/* topology */
			break;
		}
		return true;
	}
	return false;
}

bool sim_snp_cpuid_check(uint8_t page[4096], bool lax)
{
	uint32_t count = get_le32(page), i, r;
	bool ok = true;

	if (lax)
		return true;
	if (count > 64) {
		put_le32(page, 64);
		return false;
	}
	for (i = 0; i < count; i++) {
		uint8_t *e = page + 16 + i * 48;
		uint32_t mask[4] = { 0, 0, 0, 0 };

		allowed(get_le32(e), get_le32(e + 4), mask);
		for (r = 0; r < 4; r++) {
			uint32_t v = get_le32(e + 24 + 4 * r);

			if (v & ~mask[r]) {
				put_le32(e + 24 + 4 * r, v & mask[r]);
				ok = false;
			}
		}
	}
	return ok;
}
