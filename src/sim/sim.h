/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SIM_SIM_H
#define CVMM_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "coco/coco_config.h"
#include "kvm/kvm.h"

/*
 * The simulated confidential platform: a strict software KVM with an AMD
 * PSP (SEV, SEV-ES, SEV-SNP) or an Intel TDX module behind it, reached
 * through the same struct kvm_sys_ops as /dev/kvm (kvm/kvm.h).  It
 * implements every ioctl vm_create() issues and enforces the kernel's
 * rules as Linux 6.16, 6.17 or 7.0 applies them (sim_config.kernel;
 * arch/x86/kvm/x86.c, svm/svm.c, svm/sev.c, vmx/tdx.c,
 * virt/kvm/guest_memfd.c), returning the same -errno (and PSP status /
 * TDX error) the kernel would; docs/coco.md has the rule table.  A vCPU
 * starts from KVM's reset state (init_vmcb(), kvm_vcpu_reset()) and its
 * registers go through svm_get/set_segment() and friends, so the VMSAs
 * are the pages sev_es_sync_vmsa() builds.  It computes the launch digest
 * the PSP / TDX module would report from the bytes it was given: the SEV
 * launch digest (and LAUNCH_MEASURE's HMAC), the SNP MEASUREMENT, the TDX
 * MRTD (PAGE.ADD and MR.EXTEND per page, as KVM issues them).
 *
 * Every object (the /dev/kvm and /dev/sev handles, VMs, vCPUs,
 * guest_memfds) is a real file descriptor (a memfd), so leaks show in
 * /proc/self/fd, and guest_memfd hole punching works on it.
 *
 * KVM_RUN returns exits scripted with sim_script_push() (tests); without
 * one it waits until the vCPU is kicked (-EINTR).  Nothing executes.
 */

struct sim;

struct sim_config {
	/*
	 * The host: COCO_TDX is an Intel host with a TDX module, anything
	 * else an AMD host with SEV, SEV-ES and SEV-SNP.
	 */
	enum coco_type platform;
	/* KVM_CAP_VM_TYPES; 0: every type the host has */
	uint64_t vm_types;
	bool no_vm_types;		/* a kernel without KVM_CAP_VM_TYPES */
	/* SNP: pages one SNP_LAUNCH_UPDATE call does (0: up to the memslot's end) */
	unsigned int snp_update_pages;
	/* the first N SNP_LAUNCH_UPDATE / KVM_TDX_INIT_VM calls fail with -EAGAIN */
	unsigned int eagain;
	/* TDX: KVM_TDX_INIT_MEM_REGION is interrupted (-EINTR) after N pages (0: never) */
	unsigned int tdx_interrupt_pages;
	/* TDX: caps entries carry SIGNIFICANT_INDEX (the proposed KVM fix) */
	bool tdx_caps_sig_index;
	/* SNP: the PSP accepts every CPUID value (no corrections) */
	bool snp_cpuid_lax;
	/*
	 * The kernel release whose rules apply where they changed
	 * (SIM_KERNEL_*; 0: the newest).  docs/coco.md lists the rules
	 * that differ.
	 */
	unsigned int kernel;
	/* present host CPUs: a TD's vCPU limit (tdx_vm_init()); 0: 8 */
	unsigned int host_cpus;
	/* TDX: the CPU has no 5-level EPT, so KVM offers no 52-bit GPAW */
	bool tdx_ept_4level;
	/*
	 * SNP, Linux 6.18+: the policy bits the PSP firmware supports
	 * (KVM_X86_SNP_POLICY_BITS); 0: SIM_SNP_POLICY_BITS.
	 */
	uint64_t snp_policy_bits;
	/*
	 * The VMSA features KVM offers SEV-ES and SNP guests
	 * (KVM_X86_SEV_VMSA_FEATURES, [S18]); 0: SIM_VMSA_FEATURES
	 * (DebugSwap), SIM_NO_VMSA_FEATURES: none (a CPU without DebugSwap,
	 * or kvm_amd.debug_swap=0).
	 */
	uint64_t vmsa_features;
	/*
	 * Check the VMM's build order (coco/stage.h) besides the kernel's
	 * rules: irqchip, memory, vCPUs, launch, run ([K20], stricter than
	 * KVM).  --dry-run and the whole-launch tests set it; the rule tests
	 * that issue single ioctls do not.
	 */
	bool vmm_order;
};

/* Kernel releases with a rule profile (sim_config.kernel). */
#define SIM_KERNEL_6_16		616
#define SIM_KERNEL_6_17		617
#define SIM_KERNEL_7_0		700
#define SIM_KERNEL_NEWEST	SIM_KERNEL_7_0
/* "6.16", "6.17", "7.0" -> SIM_KERNEL_*; -EINVAL for other releases. */
int sim_kernel_parse(const char *s, unsigned int *kernel);

#define SIM_NO_VMSA_FEATURES	(1ULL << 63)

/* SNP policy bits KVM knew before 6.18 (API version, SMT, bit 17, MIGRATE_MA, DEBUG, SINGLE_SOCKET) */
#define SIM_SNP_POLICY_BITS_OLD	0x1fffffULL
/* The simulated firmware's policy bits: those plus MEM_AES_256_XTS (22) and RAPL_DIS (23) */
#define SIM_SNP_POLICY_BITS	(SIM_SNP_POLICY_BITS_OLD | 1ULL << 22 | 1ULL << 23)

int sim_create(const struct sim_config *cfg, struct sim **out);
/* References: the kvm_sys handle holds one (dropped when its fd closes). */
void sim_get(struct sim *s);
void sim_put(struct sim *s);

extern const struct kvm_sys_ops sim_kvm_ops;
/* Make @sys use the simulator (takes a reference for it). */
void sim_install(struct sim *s, struct kvm_sys *sys);
/* The simulator behind @sys, or NULL when @sys is something else. */
struct sim *sim_of(const struct kvm_sys *sys);
/* The simulated /dev/sev (for kvm_sev_cmd.sev_fd). */
int sim_sev_fd(struct sim *s);

/* ---- what the platform measured ---- */
struct sim_launch {
	enum coco_type type;
	int vm_fd;			/* the VM's fd (reused after close) */
	size_t len;			/* 32 (SEV launch digest) or 48 */
	uint8_t digest[48];		/* SEV LD, SNP MEASUREMENT, TDX MRTD */
	uint8_t host_data[32];		/* SNP */
	bool id_block;			/* SNP: an ID block was accepted */
	/* SNP: what the PSP keeps for the guest's reports (SNP_LAUNCH_START/FINISH) */
	uint64_t policy;
	uint8_t family_id[16], image_id[16];	/* from the ID block (zero without) */
	uint32_t guest_svn;
	uint8_t id_key_digest[48];	/* SHA-384 of the ID key (zero without) */
	uint8_t author_key_digest[48];	/* SHA-384 of the author key (zero without) */
	bool author_key_en;
	uint64_t tdx_attr, tdx_xfam;	/* TDX */
	uint32_t tsc_khz;		/* TDX */
};

/* Launches finished so far (LAUNCH_FINISH, SNP_LAUNCH_FINISH, FINALIZE_VM), oldest first. */
unsigned int sim_nr_launches(struct sim *s);
int sim_launch_get(struct sim *s, unsigned int i, struct sim_launch *out);
/* The launch of the VM behind @vm_fd: -ENOENT if it has not finished. */
int sim_vm_launch(struct sim *s, int vm_fd, struct sim_launch *out);
/* Live objects (fds) the simulator holds, /dev/kvm and /dev/sev included. */
unsigned int sim_nr_objects(struct sim *s);
/* Why the last refused call was refused (one clause, "" if none). */
void sim_last_error(struct sim *s, char *buf, size_t len);

/*
 * The VMSA page KVM built for vCPU @index (creation order) of the VM behind
 * @vm_fd when LAUNCH_UPDATE_VMSA / SNP_LAUNCH_FINISH measured it
 * (sev_es_sync_vmsa()): -ENOENT before that.
 */
int sim_vcpu_vmsa(struct sim *s, int vm_fd, unsigned int index, uint8_t page[4096]);
/* Is @gpa private in the VM behind @vm_fd?  -ENOENT for no such VM. */
int sim_vm_private(struct sim *s, int vm_fd, uint64_t gpa);
/* A guest_memfd page's contents as the platform holds them (tests). */
int sim_gmem_read(struct sim *s, int gmem_fd, uint64_t offset, void *buf, size_t len);

/* ---- scripted KVM_RUN ---- */
struct sim_exit {
	unsigned int vcpu;		/* vCPU index that reports it */
	int ret;			/* KVM_RUN's result: 0 or -EFAULT */
	uint32_t reason;		/* kvm_run.exit_reason */
	uint8_t data[256];		/* the exit union of kvm_run */
	uint32_t ndata;			/* SYSTEM_EVENT: system_event.ndata */
};

int sim_script_push(struct sim *s, const struct sim_exit *e);
unsigned int sim_script_left(struct sim *s);
/* A SYSTEM_EVENT exit of @type for vCPU @vcpu. */
void sim_exit_system_event(struct sim_exit *e, unsigned int vcpu, uint32_t type);
/*
 * What the VMM left in kvm_run's exit union when it re-entered KVM_RUN
 * after scripted exit number @i (e.g. hypercall.ret): -ENOENT until then.
 */
int sim_script_reply(struct sim *s, unsigned int i, uint8_t data[256]);

/* MSIs signalled with KVM_SIGNAL_MSI, oldest first. */
unsigned int sim_nr_msis(struct sim *s);
int sim_msi_get(struct sim *s, unsigned int i, uint64_t *address, uint32_t *data);

#endif
