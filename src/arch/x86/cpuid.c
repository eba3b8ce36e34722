// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/cpuid.h"
#include "kvm/kvm.h"
#include "util/compiler.h"
#include "util/log.h"

#define F(n, fn, idx, r, b) { n, fn, idx, CPUID_##r, b }

static const struct cpuid_feature features[] = {
	/* leaf 1 EDX */
	F("fpu", 1, 0, EDX, 0), F("vme", 1, 0, EDX, 1), F("de", 1, 0, EDX, 2),
	F("pse", 1, 0, EDX, 3), F("tsc", 1, 0, EDX, 4), F("msr", 1, 0, EDX, 5),
	F("pae", 1, 0, EDX, 6), F("mce", 1, 0, EDX, 7), F("cx8", 1, 0, EDX, 8),
	F("apic", 1, 0, EDX, 9), F("sep", 1, 0, EDX, 11), F("mtrr", 1, 0, EDX, 12),
	F("pge", 1, 0, EDX, 13), F("mca", 1, 0, EDX, 14), F("cmov", 1, 0, EDX, 15),
	F("pat", 1, 0, EDX, 16), F("pse36", 1, 0, EDX, 17), F("clflush", 1, 0, EDX, 19),
	F("mmx", 1, 0, EDX, 23), F("fxsr", 1, 0, EDX, 24), F("sse", 1, 0, EDX, 25),
	F("sse2", 1, 0, EDX, 26), F("ht", 1, 0, EDX, 28),
	/* leaf 1 ECX */
	F("pni", 1, 0, ECX, 0), F("sse3", 1, 0, ECX, 0), F("pclmulqdq", 1, 0, ECX, 1),
	F("monitor", 1, 0, ECX, 3), F("vmx", 1, 0, ECX, 5), F("ssse3", 1, 0, ECX, 9),
	F("fma", 1, 0, ECX, 12), F("cx16", 1, 0, ECX, 13), F("pdcm", 1, 0, ECX, 15),
	F("pcid", 1, 0, ECX, 17), F("sse4_1", 1, 0, ECX, 19), F("sse4_2", 1, 0, ECX, 20),
	F("x2apic", 1, 0, ECX, 21), F("movbe", 1, 0, ECX, 22), F("popcnt", 1, 0, ECX, 23),
	F("tsc-deadline", 1, 0, ECX, 24), F("tsc_deadline_timer", 1, 0, ECX, 24),
	F("aes", 1, 0, ECX, 25), F("xsave", 1, 0, ECX, 26), F("avx", 1, 0, ECX, 28),
	F("f16c", 1, 0, ECX, 29), F("rdrand", 1, 0, ECX, 30), F("hypervisor", 1, 0, ECX, 31),
	/* leaf 7.0 EBX */
	F("fsgsbase", 7, 0, EBX, 0), F("tsc_adjust", 7, 0, EBX, 1), F("bmi1", 7, 0, EBX, 3),
	F("hle", 7, 0, EBX, 4), F("avx2", 7, 0, EBX, 5), F("smep", 7, 0, EBX, 7),
	F("bmi2", 7, 0, EBX, 8), F("erms", 7, 0, EBX, 9), F("invpcid", 7, 0, EBX, 10),
	F("rtm", 7, 0, EBX, 11), F("avx512f", 7, 0, EBX, 16), F("avx512dq", 7, 0, EBX, 17),
	F("rdseed", 7, 0, EBX, 18), F("adx", 7, 0, EBX, 19), F("smap", 7, 0, EBX, 20),
	F("avx512ifma", 7, 0, EBX, 21), F("clflushopt", 7, 0, EBX, 23), F("clwb", 7, 0, EBX, 24),
	F("avx512cd", 7, 0, EBX, 28), F("sha_ni", 7, 0, EBX, 29), F("avx512bw", 7, 0, EBX, 30),
	F("avx512vl", 7, 0, EBX, 31),
	/* leaf 7.0 ECX */
	F("avx512vbmi", 7, 0, ECX, 1), F("umip", 7, 0, ECX, 2), F("pku", 7, 0, ECX, 3),
	F("waitpkg", 7, 0, ECX, 5), F("avx512_vbmi2", 7, 0, ECX, 6), F("gfni", 7, 0, ECX, 8),
	F("vaes", 7, 0, ECX, 9), F("vpclmulqdq", 7, 0, ECX, 10), F("avx512_vnni", 7, 0, ECX, 11),
	F("avx512_bitalg", 7, 0, ECX, 12), F("avx512_vpopcntdq", 7, 0, ECX, 14),
	F("la57", 7, 0, ECX, 16), F("rdpid", 7, 0, ECX, 22),
	/* leaf 7.0 EDX */
	F("fsrm", 7, 0, EDX, 4), F("md_clear", 7, 0, EDX, 10), F("serialize", 7, 0, EDX, 14),
	F("spec_ctrl", 7, 0, EDX, 26), F("stibp", 7, 0, EDX, 27), F("flush_l1d", 7, 0, EDX, 28),
	F("arch_capabilities", 7, 0, EDX, 29), F("core_capabilities", 7, 0, EDX, 30),
	F("ssbd", 7, 0, EDX, 31),
	/* leaf 0xd.1 EAX */
	F("xsaveopt", 0xd, 1, EAX, 0), F("xsavec", 0xd, 1, EAX, 1),
	F("xgetbv1", 0xd, 1, EAX, 2), F("xsaves", 0xd, 1, EAX, 3),
	/* leaf 0x80000001 ECX */
	F("lahf_lm", 0x80000001, 0, ECX, 0), F("cmp_legacy", 0x80000001, 0, ECX, 1),
	F("svm", 0x80000001, 0, ECX, 2), F("extapic", 0x80000001, 0, ECX, 3),
	F("cr8_legacy", 0x80000001, 0, ECX, 4), F("abm", 0x80000001, 0, ECX, 5),
	F("sse4a", 0x80000001, 0, ECX, 6), F("misalignsse", 0x80000001, 0, ECX, 7),
	F("3dnowprefetch", 0x80000001, 0, ECX, 8), F("osvw", 0x80000001, 0, ECX, 9),
	F("xop", 0x80000001, 0, ECX, 11), F("fma4", 0x80000001, 0, ECX, 16),
	F("tbm", 0x80000001, 0, ECX, 21), F("topoext", 0x80000001, 0, ECX, 22),
	F("perfctr_core", 0x80000001, 0, ECX, 23),
	/* leaf 0x80000001 EDX */
	F("syscall", 0x80000001, 0, EDX, 11), F("nx", 0x80000001, 0, EDX, 20),
	F("mmxext", 0x80000001, 0, EDX, 22), F("fxsr_opt", 0x80000001, 0, EDX, 25),
	F("pdpe1gb", 0x80000001, 0, EDX, 26), F("rdtscp", 0x80000001, 0, EDX, 27),
	F("lm", 0x80000001, 0, EDX, 29),
	/* KVM paravirtual features, leaf 0x40000001 EAX */
	F("kvmclock", 0x40000001, 0, EAX, 0), F("kvm-nopiodelay", 0x40000001, 0, EAX, 1),
	F("kvmclock2", 0x40000001, 0, EAX, 3), F("kvm-asyncpf", 0x40000001, 0, EAX, 4),
	F("kvm-steal-time", 0x40000001, 0, EAX, 5), F("kvm-pv-eoi", 0x40000001, 0, EAX, 6),
	F("kvm-pv-unhalt", 0x40000001, 0, EAX, 7), F("kvm-pv-tlb-flush", 0x40000001, 0, EAX, 9),
	F("kvm-asyncpf-vmexit", 0x40000001, 0, EAX, 10), F("kvm-pv-ipi", 0x40000001, 0, EAX, 11),
	F("kvm-poll-control", 0x40000001, 0, EAX, 12), F("kvm-pv-sched-yield", 0x40000001, 0, EAX, 13),
	F("kvm-asyncpf-int", 0x40000001, 0, EAX, 14), F("kvm-msi-ext-dest-id", 0x40000001, 0, EAX, 15),
	F("kvmclock-stable-bit", 0x40000001, 0, EAX, 24),
	/* leaf 0x80000007 EDX */
	F("invtsc", 0x80000007, 0, EDX, 8),
	/* leaf 0x80000008 EBX */
	F("clzero", 0x80000008, 0, EBX, 0), F("xsaveerptr", 0x80000008, 0, EBX, 2),
	F("wbnoinvd", 0x80000008, 0, EBX, 9), F("amd_ibpb", 0x80000008, 0, EBX, 12),
	F("amd_ibrs", 0x80000008, 0, EBX, 14), F("amd_stibp", 0x80000008, 0, EBX, 15),
	F("amd_ssbd", 0x80000008, 0, EBX, 24), F("virt_ssbd", 0x80000008, 0, EBX, 25),
};

const struct cpuid_feature *cpuid_feature_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(features); i++)
		if (!strcmp(features[i].name, name))
			return &features[i];
	return NULL;
}

unsigned int cpuid_feature_count(void)
{
	return ARRAY_SIZE(features);
}

const struct cpuid_feature *cpuid_feature_at(unsigned int i)
{
	return i < ARRAY_SIZE(features) ? &features[i] : NULL;
}

static bool entry_matches(const struct kvm_cpuid_entry2 *e, uint32_t function,
			  uint32_t index)
{
	if (e->function != function)
		return false;
	return !(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == index;
}

struct kvm_cpuid_entry2 *cpuid_find(struct kvm_cpuid2 *cpuid,
				    uint32_t function, uint32_t index)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++)
		if (entry_matches(&cpuid->entries[i], function, index))
			return &cpuid->entries[i];
	return NULL;
}

uint32_t *cpuid_reg_ptr(struct kvm_cpuid_entry2 *e, enum cpuid_reg reg)
{
	switch (reg) {
	case CPUID_EAX:
		return &e->eax;
	case CPUID_EBX:
		return &e->ebx;
	case CPUID_ECX:
		return &e->ecx;
	case CPUID_EDX:
		return &e->edx;
	}
	return NULL;
}

enum cpu_vendor cpuid_vendor(const struct kvm_cpuid2 *cpuid)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		const struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		if (e->function != 0)
			continue;
		/* "GenuineIntel" / "AuthenticAMD" in EBX, EDX, ECX */
		if (e->ebx == 0x756e6547 && e->edx == 0x49656e69 && e->ecx == 0x6c65746e)
			return CPU_VENDOR_INTEL;
		if (e->ebx == 0x68747541 && e->edx == 0x69746e65 && e->ecx == 0x444d4163)
			return CPU_VENDOR_AMD;
	}
	return CPU_VENDOR_OTHER;
}

uint32_t cpuid_signature(const struct kvm_cpuid2 *cpuid)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == 1)
			return cpuid->entries[i].eax;
	return 0;
}

void cpuid_set_signature(struct kvm_cpuid2 *cpuid, uint32_t sig)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function == 1 ||
		    (cpuid->entries[i].function == 0x80000001 && cpuid->entries[i].eax))
			cpuid->entries[i].eax = sig;
}

uint32_t cpuid_host_signature(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return eax;
}

static void set_bit_to(struct kvm_cpuid2 *cpuid, uint32_t fn, uint32_t idx,
		       enum cpuid_reg reg, unsigned int bit, bool on)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(cpuid, fn, idx);
	uint32_t *r;

	if (!e)
		return;
	r = cpuid_reg_ptr(e, reg);
	if (on)
		*r |= 1U << bit;
	else
		*r &= ~(1U << bit);
}

static unsigned int order_base_2(unsigned int n)
{
	unsigned int s = 0;

	while ((1U << s) < n)
		s++;
	return s;
}

/* Drop every entry of @function (e.g. a topology leaf we do not model). */
static void cpuid_remove(struct kvm_cpuid2 *cpuid, uint32_t function)
{
	uint32_t i, j = 0;

	for (i = 0; i < cpuid->nent; i++)
		if (cpuid->entries[i].function != function)
			cpuid->entries[j++] = cpuid->entries[i];
	cpuid->nent = j;
}

/* Room cpuid_build() leaves for the entries it adds. */
#define CPUID_EXTRA_ENTRIES	8

/*
 * Replace leaf 0xb or 0x1f with exactly three subleaves: SMT (no thread
 * bits), core (@shift bits, @n processors) and the invalid terminator.
 * KVM may report only subleaf 0 (this project's AMD host does); Linux then
 * reads a zero core level and puts every APIC id in its own package.
 */
static void cpuid_set_ext_topology(struct kvm_cpuid2 *cpuid, uint32_t leaf,
				   unsigned int shift, unsigned int n)
{
	const struct kvm_cpuid_entry2 levels[3] = {
		{ .function = leaf, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  .eax = 0, .ebx = 1, .ecx = 1 << 8 | 0 },
		{ .function = leaf, .index = 1, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  .eax = shift, .ebx = n, .ecx = 2 << 8 | 1 },
		{ .function = leaf, .index = 2, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX,
		  .eax = 0, .ebx = 0, .ecx = 2 },
	};

	if (!cpuid_find(cpuid, leaf, 0))
		return;
	cpuid_remove(cpuid, leaf);
	memcpy(&cpuid->entries[cpuid->nent], levels, sizeof(levels));
	cpuid->nent += 3;
}

static void cpuid_set_topology(struct kvm_cpuid2 *cpuid, unsigned int n,
			       enum cpu_vendor vendor)
{
	unsigned int core_shift = order_base_2(n);
	struct kvm_cpuid_entry2 *e;
	uint32_t i;

	e = cpuid_find(cpuid, 1, 0);
	if (e) {
		/* logical processor count per package, HTT when > 1 */
		e->ebx = (e->ebx & ~0x00ff0000U) | ((1U << core_shift) & 0xff) << 16;
		if (n > 1)
			e->edx |= 1U << 28;
		else
			e->edx &= ~(1U << 28);
	}
	for (i = 0; i < cpuid->nent; i++) {
		e = &cpuid->entries[i];
		switch (e->function) {
		case 4:
			/* cores per package - 1 in EAX[31:26]; one thread per cache */
			if (e->eax & 0x1f)
				e->eax = (e->eax & 0x3ff) | ((1U << core_shift) - 1) << 26;
			break;
		}
	}
	cpuid_set_ext_topology(cpuid, 0xb, core_shift, n);
	cpuid_set_ext_topology(cpuid, 0x1f, core_shift, n);
	if (vendor == CPU_VENDOR_AMD) {
		e = cpuid_find(cpuid, 0x80000008, 0);
		if (e)
			e->ecx = (e->ecx & ~0xf0ffU) | (core_shift << 12) | (n - 1);
		set_bit_to(cpuid, 0x80000001, 0, CPUID_ECX, 1, n > 1);
		e = cpuid_find(cpuid, 0x8000001e, 0);
		if (e) {
			e->ebx = 0;	/* one thread per core */
			e->ecx = 0;	/* node 0 */
		}
		/* AMD's extended topology leaf is not modelled: drop it. */
		cpuid_remove(cpuid, 0x80000026);
	}
}

/* leaf 0x40000001 EAX bits of features used through hypercalls */
static const unsigned int pv_hypercall_features[] = { 7, 9, 11, 12, 13 };

int cpuid_build(const struct kvm_cpuid2 *supported,
		const struct cpuid_config *cfg, struct kvm_cpuid2 **out)
{
	struct kvm_cpuid2 *c;
	enum cpu_vendor vendor;
	unsigned int i;

	c = kvm_cpuid2_alloc(supported->nent + CPUID_EXTRA_ENTRIES);
	if (!c)
		return -ENOMEM;
	c->nent = supported->nent;
	memcpy(c->entries, supported->entries,
	       supported->nent * sizeof(c->entries[0]));
	vendor = cpuid_vendor(c);

	if (cfg->have_sig)
		cpuid_set_signature(c, cfg->sig);
	set_bit_to(c, 1, 0, CPUID_ECX, 31, true);	/* hypervisor */
	set_bit_to(c, 1, 0, CPUID_ECX, 24, cfg->tsc_deadline);
	cpuid_set_topology(c, cfg->nr_vcpus ? cfg->nr_vcpus : 1, vendor);

	/*
	 * Defaults for KVMs that interpret guest kernel code: cmpxchg16b
	 * cannot be emulated there, and without XSAVEERPTR Linux on AMD
	 * runs an x87 sequence on every return to user space.  Both are
	 * harmless on hardware KVM.
	 */
	set_bit_to(c, 1, 0, CPUID_ECX, 13, false);	/* cx16 */
	if (vendor == CPU_VENDOR_AMD)
		set_bit_to(c, 0x80000008, 0, CPUID_EBX, 2, true);
	/*
	 * KVM paravirtual features the guest uses through hypercalls (PV
	 * unhalt, TLB flush, IPIs, sched yield, poll control) are off by
	 * default: Linux sends every IPI through a hypercall when offered,
	 * and KVMs that emulate the hypercall instruction poorly then hang
	 * SMP bring-up (QEMU -cpu host does too, unless kvm-pv-ipi=off).
	 * Add them back with --cpu +kvm-pv-ipi etc.
	 */
	for (i = 0; i < ARRAY_SIZE(pv_hypercall_features); i++)
		set_bit_to(c, 0x40000001, 0, CPUID_EAX, pv_hypercall_features[i], false);

	for (i = 0; i < cfg->nr_edits; i++) {
		const char *edit = cfg->edits[i];
		const struct cpuid_feature *f = cpuid_feature_find(edit + 1);

		if (!f) {
			log_err("--cpu", "unknown CPU feature '%s'", edit + 1);
			free(c);
			return -EINVAL;
		}
		if (!cpuid_find(c, f->function, f->index) && edit[0] == '+') {
			log_err("--cpu", "cannot add '%s': KVM has no CPUID leaf 0x%x",
				f->name, f->function);
			free(c);
			return -EINVAL;
		}
		set_bit_to(c, f->function, f->index, f->reg, f->bit, edit[0] == '+');
	}
	*out = c;
	return 0;
}

void cpuid_set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t apic_id)
{
	uint32_t i;

	for (i = 0; i < cpuid->nent; i++) {
		struct kvm_cpuid_entry2 *e = &cpuid->entries[i];

		switch (e->function) {
		case 1:
			e->ebx = (e->ebx & 0x00ffffffU) | (apic_id & 0xff) << 24;
			break;
		case 0xb:
		case 0x1f:
			e->edx = apic_id;
			break;
		case 0x8000001e:
			e->eax = apic_id;
			e->ebx = (e->ebx & ~0xffU) | (apic_id & 0xff);
			break;
		}
	}
}
