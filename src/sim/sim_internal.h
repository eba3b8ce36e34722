/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_SIM_SIM_INTERNAL_H
#define CVMM_SIM_SIM_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "coco/stage.h"
#include "sim/sim.h"
#include "measure/sev.h"
#include "measure/snp.h"
#include "measure/tdx.h"
#include "measure/vmsa.h"

/*
 * Shared between sim.c (KVM: objects, KVM_RUN, the order check), sim_vm.c
 * (VM ioctls), sim_dev.c (/dev/kvm, kernel profiles), sim_mem.c (memory), sim_vcpu.c and sim_svm.c (vCPUs
 * and their registers), sim_sev.c (PSP), sim_tdx.c (TDX module),
 * sim_cpuid.c, sim_query.c (what tests ask).
 */

#define SIM_PAGE		4096ULL
#define SIM_MAX_VCPUS		64
#define SIM_MAX_SLOTS		32
#define SIM_RUN_SIZE		(3 * 4096)
#define SIM_MAX_CPUID		256
#define SIM_MAX_SCRIPT		256
#define SIM_MAX_MSIS		256
#define SIM_MAX_LAUNCHES	64
#define SIM_TSC_KHZ		2100000
#define SIM_VMSA_FEATURES	(1ULL << 5)	/* DebugSwap: what INIT2 accepts by default */

enum sim_kind { SIM_DEV, SIM_SEV_DEV, SIM_VM, SIM_VCPU, SIM_GMEM };

struct sim_gmem {
	int fd;
	struct sim_vm *vm;
	uint64_t size;
};

#define SIM_SLOT_GMEM_CLOSED	((struct sim_gmem *)1)

struct sim_slot {
	bool used;
	uint32_t id;
	uint32_t flags;
	uint64_t gpa, size, uaddr;
	struct sim_gmem *gmem;
	uint64_t gmem_off;
};

/* sorted, disjoint [start, end) */
struct sim_ranges {
	unsigned int n;
	uint64_t (*r)[2];
};

enum sim_psp_state { PSP_NONE, PSP_LUPDATE, PSP_LSECRET, PSP_RUNNING };
enum sim_td_state { TD_UNINIT, TD_INITIALIZED, TD_RUNNABLE };
enum sim_irqchip { IRQCHIP_NONE, IRQCHIP_FULL, IRQCHIP_SPLIT };

/* The VMCB save-area bytes that reach a VMSA (sim_svm.c) */
#define SIM_VMCB_SAVE_LEN	0x300

struct sim_vcpu {
	struct sim_vm *vm;
	int fd;
	uint32_t id;
	unsigned int index;		/* creation order */
	struct kvm_run *run;
	/* vcpu->arch (sim_svm.c): GPRs and RIP (regs.rflags lives in the VMCB) */
	struct kvm_regs regs;
	uint64_t cr0, cr2, cr3, cr4, efer, apic_base;
	uint64_t dr6, dr7, xcr0, xss, pat;
	uint32_t pkru;
	struct kvm_fpu fpu;
	uint8_t vmcb[SIM_VMCB_SAVE_LEN];	/* struct vmcb_save_area */
	struct kvm_cpuid2 *cpuid;
	bool has_lapic_state;
	bool protected_state;		/* guest_state_protected */
	bool fpu_confidential;
	bool td_initialized;		/* KVM_TDX_INIT_VCPU done */
	uint64_t td_rcx;
	bool vmsa_done;			/* vmsa holds the page the PSP measured */
	uint8_t vmsa[VMSA_PAGE_SIZE];
	int script_index;		/* scripted exit last returned, -1 */
};

struct sim_vm {
	struct sim *sim;
	int refs;			/* its fd, its vCPUs, its guest_memfds */
	int fd;
	unsigned long type;
	bool has_private_mem;		/* SNP, TDX, SW_PROTECTED */
	bool has_protected_state;	/* SEV-ES and SNP types, TDX */
	unsigned int nr_vcpus, max_vcpus;
	struct sim_vcpu *vcpus[SIM_MAX_VCPUS];
	enum sim_irqchip irqchip;
	bool pit;
	uint64_t exit_hypercall;
	uint64_t apic_bus_ns;
	uint32_t tsc_khz;
	enum coco_stage stage;		/* the VMM's build order (sim_order()) */
	struct sim_slot slots[SIM_MAX_SLOTS];
	struct sim_ranges private;	/* KVM_MEMORY_ATTRIBUTE_PRIVATE */

	/* SEV / SNP (sim_sev.c) */
	bool sev_active, sev_es, sev_snp, sev_need_init;
	uint64_t vmsa_features;
	unsigned int ghcb_version;
	uint32_t handle;
	uint64_t policy;
	enum sim_psp_state psp;
	bool snp_context;
	bool snp_certs;			/* KVM_SEV_SNP_ENABLE_REQ_CERTS done */
	struct sev_ld ld;
	bool ld_open;
	uint8_t ld_final[SEV_LD_LEN];
	struct snp_gctx gctx;
	bool gctx_open;
	struct sim_ranges launched;	/* SNP pages in the RMP / TDX pages added */

	/* TDX (sim_tdx.c) */
	enum sim_td_state td;
	uint64_t td_attr, td_xfam;
	unsigned int td_gpaw;
	struct tdx_mrtd mrtd;
	bool mrtd_open;

	bool finished;			/* the launch finished: rec holds it */
	struct sim_launch rec;
};

struct sim_obj {
	int fd;
	enum sim_kind kind;
	void *p;
};

struct sim {
	pthread_mutex_t lock;
	int refs;
	struct sim_config cfg;
	int dev_fd, sev_fd;
	unsigned int nr_objs, cap_objs;
	struct sim_obj *objs;
	char error[200];
	unsigned int eagain_left;
	uint32_t next_handle;

	struct kvm_cpuid2 *supported;	/* KVM_GET_SUPPORTED_CPUID */

	struct sim_launch launches[SIM_MAX_LAUNCHES];
	unsigned int nr_launches;

	struct sim_exit script[SIM_MAX_SCRIPT];
	unsigned int script_len, script_next;
	uint8_t replies[SIM_MAX_SCRIPT][256];
	bool replied[SIM_MAX_SCRIPT];

	uint64_t msi_addr[SIM_MAX_MSIS];
	uint32_t msi_data[SIM_MAX_MSIS];
	unsigned int nr_msis;
};

/* sim.c */
int sim_fail(struct sim *s, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The kernel release whose rules apply (SIM_KERNEL_*). */
unsigned int sim_kernel(const struct sim *s);
/* The VMSA features this host's KVM offers (sim_config.vmsa_features) [S18]. */
uint64_t sim_vmsa_features(const struct sim *s);
/* A new object handle (a memfd); the object behind a handle. */
int sim_obj_new(struct sim *s, enum sim_kind kind, void *p, const char *name);
struct sim_obj *sim_obj_find(struct sim *s, int fd);
/* Close a handle (the object itself is the caller's). */
void sim_obj_del(struct sim *s, int fd);
/* Are all @n bytes at @p zero? (reserved fields) */
bool sim_all_zero(const void *p, size_t n);
void sim_record_launch(struct sim_vm *vm, const uint8_t *digest, size_t len);
/*
 * With sim_config.vmm_order: take @step of coco/stage.h, or -EINVAL when
 * the VMM is out of order.  Call once every kernel check of the ioctl
 * passed, right before it changes the VM.
 */
int sim_order(struct sim_vm *vm, enum coco_step step);

/* sim_vm.c: the VM ioctls */
int sim_vm_ioctl(struct sim_vm *vm, unsigned long req, void *arg);

/* sim_dev.c */
int sim_check_extension(struct sim *s, const struct sim_vm *vm, long cap);
int sim_dev_ioctl(struct sim *s, unsigned long req, void *arg);

/* sim_mem.c */
const struct sim_slot *sim_slot_find(const struct sim_vm *vm, uint64_t gpa);
/* User memory the VMM handed over: must lie inside a memslot's userspace range. */
const uint8_t *sim_user_ptr(const struct sim_vm *vm, uint64_t uaddr, uint64_t len);
int sim_vm_set_memslot(struct sim_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		       uint64_t size, uint64_t uaddr, bool v2, uint32_t gmem_fd,
		       uint64_t gmem_off);
int sim_vm_set_attributes(struct sim_vm *vm, const struct kvm_memory_attributes *a);
int sim_vm_create_gmem(struct sim_vm *vm, const struct kvm_create_guest_memfd *c);
bool sim_ranges_covers(const struct sim_ranges *r, uint64_t start, uint64_t end);
bool sim_ranges_overlaps(const struct sim_ranges *r, uint64_t start, uint64_t end);
int sim_ranges_set(struct sim_ranges *r, uint64_t start, uint64_t end, bool on);
void sim_ranges_free(struct sim_ranges *r);
int sim_gmem_write(const struct sim_slot *slot, uint64_t gpa, const void *buf, size_t len);

/* sim_vcpu.c */
int sim_vcpu_create(struct sim_vm *vm, unsigned long id);
void sim_vcpu_free(struct sim_vcpu *v);
int sim_vcpu_ioctl(struct sim_vcpu *v, unsigned long req, void *arg);

/* sim_svm.c: the registers of an AMD host's vCPU */
void sim_svm_reset(struct sim_vcpu *v);
void sim_svm_get_regs(const struct sim_vcpu *v, struct kvm_regs *r);
void sim_svm_set_regs(struct sim_vcpu *v, const struct kvm_regs *r);
void sim_svm_get_sregs(const struct sim_vcpu *v, struct kvm_sregs *sr);
int sim_svm_set_sregs(struct sim_vcpu *v, const struct kvm_sregs *sr);
int sim_svm_set_xcrs(struct sim_vcpu *v, const struct kvm_xcrs *x);
int sim_svm_set_debugregs(struct sim_vcpu *v, const struct kvm_debugregs *d);
/* One host-initiated MSR write: false when KVM refuses it. */
bool sim_svm_set_msr(struct sim_vcpu *v, uint32_t index, uint64_t data);
uint64_t sim_svm_get_msr(const struct sim_vcpu *v, uint32_t index);
/* The VMSA page KVM builds from the vCPU's state (sev_es_sync_vmsa()). */
int sim_vcpu_sync_vmsa(struct sim_vcpu *v, uint8_t page[VMSA_PAGE_SIZE]);

/* sim_sev.c */
int sim_sev_ioctl(struct sim_vm *vm, void *arg);
int sim_sev_reg_region(struct sim_vm *vm, bool reg);
void sim_sev_free(struct sim_vm *vm);
bool sim_sev_launched(const struct sim_vm *vm);

/* sim_tdx.c */
int sim_tdx_vm_ioctl(struct sim_vm *vm, void *arg);
int sim_tdx_vcpu_ioctl(struct sim_vcpu *v, void *arg);
void sim_tdx_free(struct sim_vm *vm);

/* sim_cpuid.c */
struct kvm_cpuid2 *sim_cpuid_supported(enum coco_type platform);
/* TDX: the configurable leaves, as the module reports them. */
unsigned int sim_tdx_cpuid_config(struct kvm_cpuid_entry2 *out, unsigned int max);
uint64_t sim_tdx_supported_attrs(void);
uint64_t sim_tdx_supported_xfam(void);
/*
 * SNP: check a CPUID page as the PSP does; on rejection rewrite @page
 * with the values it would accept and return false.
 */
bool sim_snp_cpuid_check(uint8_t page[4096], bool lax);

#endif
