/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KVM ABI that Debian 12's 6.1 uapi headers lack: VM types, guest_memfd,
 * KVM_SET_USER_MEMORY_REGION2, memory attributes, KVM_EXIT_MEMORY_FAULT,
 * SEV INIT2, SEV-SNP launch commands and TDX.  Values follow the upstream
 * include/uapi/linux/kvm.h, arch/x86/include/uapi/asm/kvm.h and
 * Documentation/virt/kvm/x86/{amd-memory-encryption,intel-tdx}.rst.
 * Each definition is guarded so newer system headers win.
 */
#ifndef CVMM_KVM_UAPI_H
#define CVMM_KVM_UAPI_H

#include <linux/kvm.h>
#include <linux/kvm_para.h>
#include <stddef.h>

/* ---- capabilities ---- */
#ifndef KVM_CAP_USER_MEMORY2
#define KVM_CAP_USER_MEMORY2		231
#endif
#ifndef KVM_CAP_MEMORY_FAULT_INFO
#define KVM_CAP_MEMORY_FAULT_INFO	232
#endif
#ifndef KVM_CAP_MEMORY_ATTRIBUTES
#define KVM_CAP_MEMORY_ATTRIBUTES	233
#endif
#ifndef KVM_CAP_GUEST_MEMFD
#define KVM_CAP_GUEST_MEMFD		234
#endif
#ifndef KVM_CAP_VM_TYPES
#define KVM_CAP_VM_TYPES		235
#endif
#ifndef KVM_CAP_X86_APIC_BUS_CYCLES_NS
#define KVM_CAP_X86_APIC_BUS_CYCLES_NS	237
#endif

/* ---- VM types (KVM_CREATE_VM argument on x86) ---- */
#ifndef KVM_X86_DEFAULT_VM
#define KVM_X86_DEFAULT_VM		0
#define KVM_X86_SW_PROTECTED_VM		1
#endif
#ifndef KVM_X86_SEV_VM
#define KVM_X86_SEV_VM			2
#define KVM_X86_SEV_ES_VM		3
#endif
#ifndef KVM_X86_SNP_VM
#define KVM_X86_SNP_VM			4
#endif
#ifndef KVM_X86_TDX_VM
#define KVM_X86_TDX_VM			5
#endif

/* ---- exits ---- */
#ifndef KVM_EXIT_MEMORY_FAULT
#define KVM_EXIT_MEMORY_FAULT		39
#endif
#ifndef KVM_EXIT_TDX
#define KVM_EXIT_TDX			40
#endif
#ifndef KVM_MEMORY_EXIT_FLAG_PRIVATE
#define KVM_MEMORY_EXIT_FLAG_PRIVATE	(1ULL << 3)
#endif
#ifndef KVM_SYSTEM_EVENT_SEV_TERM
#define KVM_SYSTEM_EVENT_SEV_TERM	6
#endif
#ifndef KVM_SYSTEM_EVENT_TDX_FATAL
#define KVM_SYSTEM_EVENT_TDX_FATAL	7
#endif

/*
 * The members of kvm_run's exit union that 6.1 lacks.  They live at the
 * union's offset (offsetof(struct kvm_run, mmio)); access them with
 * kvm_run_memory_fault() / kvm_run_tdx().
 */
struct cvmm_kvm_memory_fault {
	__u64 flags;
	__u64 gpa;
	__u64 size;
};

struct cvmm_kvm_tdx_exit {
	__u64 flags;
	__u64 nr;
	union {
		struct {
			__u64 ret;
			__u64 data[5];
		} unknown;
		struct {
			__u64 ret;
			__u64 gpa;
			__u64 size;
		} get_quote;
		struct {
			__u64 ret;
			__u64 leaf;
			__u64 r11, r12, r13, r14;
		} get_tdvmcall_info;
		struct {
			__u64 ret;
			__u64 vector;
		} setup_event_notify;
	};
};

/*
 * SEV-SNP certificate requests (Linux 7.0).  KVM_SEV_SNP_ENABLE_REQ_CERTS
 * (below; SNP guests only, before any vCPU exists, -EINVAL otherwise)
 * makes KVM exit with KVM_EXIT_SNP_REQ_CERTS when the guest sends an SNP
 * Extended Guest Request for an attestation report: gpa and npages are
 * the guest's certificate buffer (GHCB RAX, RBX; gpa 4 KiB aligned, the
 * rest unchecked), ret is 0 on exit.  Userspace writes the certificate
 * table there and answers in ret before the next KVM_RUN: 0 (KVM sends
 * the request to the PSP), ENOSPC (npages = the pages needed), EAGAIN
 * (the guest retries), EIO (any other failure); another value fails
 * KVM_RUN with -EINVAL.  The device attribute KVM_X86_SEV_SNP_REQ_CERTS
 * reads 1 where the kernel has all this.  The exit number is 43: the
 * posted series (v7, Jan 2026) said 42, but KVM_EXIT_ARM_LDST64B took 42
 * first in the merged tree (include/uapi/linux/kvm.h).
 */
#ifndef KVM_EXIT_SNP_REQ_CERTS
#define KVM_EXIT_SNP_REQ_CERTS		43
#endif

struct cvmm_kvm_exit_snp_req_certs {
	__u64 gpa;
	__u64 npages;
	__u64 ret;
};

static inline struct cvmm_kvm_exit_snp_req_certs *kvm_run_snp_req_certs(struct kvm_run *run)
{
	return (struct cvmm_kvm_exit_snp_req_certs *)((char *)run +
						       offsetof(struct kvm_run, mmio));
}

static inline struct cvmm_kvm_memory_fault *kvm_run_memory_fault(struct kvm_run *run)
{
	return (struct cvmm_kvm_memory_fault *)((char *)run + offsetof(struct kvm_run, mmio));
}

static inline struct cvmm_kvm_tdx_exit *kvm_run_tdx(struct kvm_run *run)
{
	return (struct cvmm_kvm_tdx_exit *)((char *)run + offsetof(struct kvm_run, mmio));
}

/* ---- guest_memfd, memslots v2, memory attributes ---- */
#ifndef KVM_MEM_GUEST_MEMFD
#define KVM_MEM_GUEST_MEMFD		(1UL << 2)

struct kvm_userspace_memory_region2 {
	__u32 slot;
	__u32 flags;
	__u64 guest_phys_addr;
	__u64 memory_size;
	__u64 userspace_addr;
	__u64 guest_memfd_offset;
	__u32 guest_memfd;
	__u32 pad1;
	__u64 pad2[14];
};
#define KVM_SET_USER_MEMORY_REGION2	_IOW(KVMIO, 0x49, struct kvm_userspace_memory_region2)

struct kvm_memory_attributes {
	__u64 address;
	__u64 size;
	__u64 attributes;
	__u64 flags;
};
#define KVM_MEMORY_ATTRIBUTE_PRIVATE	(1ULL << 3)
#define KVM_SET_MEMORY_ATTRIBUTES	_IOW(KVMIO, 0xd2, struct kvm_memory_attributes)

struct kvm_create_guest_memfd {
	__u64 size;
	__u64 flags;
	__u64 reserved[6];
};
#define KVM_CREATE_GUEST_MEMFD		_IOWR(KVMIO, 0xd4, struct kvm_create_guest_memfd)
#endif

/* ---- SEV / SEV-ES / SEV-SNP (KVM_MEMORY_ENCRYPT_OP, struct kvm_sev_cmd) ---- */
#define CVMM_KVM_SEV_INIT2			22
#define CVMM_KVM_SEV_SNP_LAUNCH_START		100
#define CVMM_KVM_SEV_SNP_LAUNCH_UPDATE		101
#define CVMM_KVM_SEV_SNP_LAUNCH_FINISH		102
#define CVMM_KVM_SEV_SNP_ENABLE_REQ_CERTS	103	/* Linux 7.0, no argument */

struct cvmm_kvm_sev_init {
	__u64 vmsa_features;
	__u32 flags;
	__u16 ghcb_version;
	__u16 pad1;
	__u32 pad2[8];
};

struct cvmm_kvm_sev_snp_launch_start {
	__u64 policy;
	__u8 gosvw[16];
	__u16 flags;
	__u8 pad0[6];
	__u64 pad1[4];
};

#define KVM_SEV_SNP_PAGE_TYPE_NORMAL		0x1
#define KVM_SEV_SNP_PAGE_TYPE_ZERO		0x3
#define KVM_SEV_SNP_PAGE_TYPE_UNMEASURED	0x4
#define KVM_SEV_SNP_PAGE_TYPE_SECRETS		0x5
#define KVM_SEV_SNP_PAGE_TYPE_CPUID		0x6

struct cvmm_kvm_sev_snp_launch_update {
	__u64 gfn_start;
	__u64 uaddr;
	__u64 len;
	__u8 type;
	__u8 pad0;
	__u16 flags;
	__u32 pad1;
	__u64 pad2[4];
};

#define KVM_SEV_SNP_ID_BLOCK_SIZE		96
#define KVM_SEV_SNP_ID_AUTH_SIZE		4096
#define KVM_SEV_SNP_FINISH_DATA_SIZE		32

struct cvmm_kvm_sev_snp_launch_finish {
	__u64 id_block_uaddr;
	__u64 id_auth_uaddr;
	__u8 id_block_en;
	__u8 auth_key_en;
	__u8 vcek_disabled;
	__u8 host_data[KVM_SEV_SNP_FINISH_DATA_SIZE];
	__u8 pad0[3];
	__u16 flags;
	__u64 pad1[4];
};

/* ---- TDX (KVM_MEMORY_ENCRYPT_OP with struct kvm_tdx_cmd) ---- */
enum cvmm_kvm_tdx_cmd_id {
	CVMM_KVM_TDX_CAPABILITIES = 0,
	CVMM_KVM_TDX_INIT_VM,
	CVMM_KVM_TDX_INIT_VCPU,
	CVMM_KVM_TDX_INIT_MEM_REGION,
	CVMM_KVM_TDX_FINALIZE_VM,
	CVMM_KVM_TDX_GET_CPUID,
};

struct cvmm_kvm_tdx_cmd {
	__u32 id;
	__u32 flags;
	__u64 data;
	__u64 hw_error;
};

/* Followed by a struct kvm_cpuid2 with its entries (variable length). */
struct cvmm_kvm_tdx_capabilities {
	__u64 supported_attrs;
	__u64 supported_xfam;
	__u64 kernel_tdvmcallinfo_1_r11;
	__u64 user_tdvmcallinfo_1_r11;
	__u64 kernel_tdvmcallinfo_1_r12;
	__u64 user_tdvmcallinfo_1_r12;
	__u64 reserved[250];
	/* struct kvm_cpuid2 cpuid; */
};

/* Followed by a struct kvm_cpuid2 with its entries (variable length). */
struct cvmm_kvm_tdx_init_vm {
	__u64 attributes;
	__u64 xfam;
	__u64 mrconfigid[6];
	__u64 mrowner[6];
	__u64 mrownerconfig[6];
	__u64 reserved[12];
	/* struct kvm_cpuid2 cpuid; */
};

#define KVM_TDX_MEASURE_MEMORY_REGION	(1UL << 0)

struct cvmm_kvm_tdx_init_mem_region {
	__u64 source_addr;
	__u64 gpa;
	__u64 nr_pages;
};

/* TDVMCALL leaves that reach userspace through KVM_EXIT_TDX */
#define TDVMCALL_GET_TD_VM_CALL_INFO		0x10000
#define TDVMCALL_MAP_GPA			0x10001
#define TDVMCALL_GET_QUOTE			0x10002
#define TDVMCALL_REPORT_FATAL_ERROR		0x10003
#define TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT	0x10004

#define TDVMCALL_STATUS_SUCCESS			0x0000000000000000ULL
#define TDVMCALL_STATUS_RETRY			0x0000000000000001ULL
#define TDVMCALL_STATUS_INVALID_OPERAND		0x8000000000000000ULL
#define TDVMCALL_STATUS_ALIGN_ERROR		0x8000000000000002ULL

/* TDG.VP.VMCALL<GetTdVmCallInfo> leaf 1, R11: sub-functions userspace serves */
#define TDVMCALLINFO_GET_QUOTE			(1ULL << 0)
#define TDVMCALLINFO_SETUP_EVENT_NOTIFY_INTERRUPT (1ULL << 1)

/* The GHCB MSR protocol's termination request (data[0] of SEV_TERM) */
#define GHCB_MSR_INFO_MASK			0xfffULL
#define GHCB_MSR_TERM_REQ			0x100ULL

/* ---- /dev/kvm device attributes (KVM_GET_DEVICE_ATTR) ---- */
#ifndef KVM_X86_GRP_SEV
#define KVM_X86_GRP_SEV				1
#define KVM_X86_SEV_VMSA_FEATURES		0
#endif
/* the SNP policy bits this KVM and PSP firmware accept (Linux 6.18+) */
#ifndef KVM_X86_SNP_POLICY_BITS
#define KVM_X86_SNP_POLICY_BITS			1
#endif
/* 1: KVM_SEV_SNP_ENABLE_REQ_CERTS and KVM_EXIT_SNP_REQ_CERTS exist (Linux 7.0) */
#ifndef KVM_X86_SEV_SNP_REQ_CERTS
#define KVM_X86_SEV_SNP_REQ_CERTS		2
#endif

/* VMSA SEV_FEATURES bits KVM sets itself */
#define SVM_SEV_FEAT_SNP_ACTIVE			(1ULL << 0)

/* The PSP's status codes (linux/psp-sev.h), as kvm_sev_cmd.error reports them */
#define CVMM_SEV_RET_INVALID_PLATFORM_STATE	0x01
#define CVMM_SEV_RET_INVALID_GUEST_STATE	0x02
#define CVMM_SEV_RET_INVALID_LEN		0x04
#define CVMM_SEV_RET_POLICY_FAILURE		0x07
#define CVMM_SEV_RET_INVALID_ADDRESS		0x09
#define CVMM_SEV_RET_BAD_SIGNATURE		0x0a
#define CVMM_SEV_RET_BAD_MEASUREMENT		0x0b
#define CVMM_SEV_RET_INVALID_PARAM		0x16

/* Layout checks against the sizes the kernel documents. */
_Static_assert(sizeof(struct kvm_userspace_memory_region2) == 160, "region2");
_Static_assert(sizeof(struct cvmm_kvm_sev_init) == 48, "sev_init");
_Static_assert(sizeof(struct cvmm_kvm_sev_snp_launch_start) == 64, "snp start");
_Static_assert(sizeof(struct cvmm_kvm_sev_snp_launch_update) == 64, "snp update");
_Static_assert(sizeof(struct cvmm_kvm_sev_snp_launch_finish) == 88, "snp finish");
_Static_assert(sizeof(struct cvmm_kvm_tdx_capabilities) == 2048, "tdx caps");
_Static_assert(sizeof(struct cvmm_kvm_tdx_init_vm) == 256, "tdx init vm");
_Static_assert(sizeof(struct cvmm_kvm_tdx_cmd) == 24, "tdx cmd");
_Static_assert(sizeof(struct cvmm_kvm_tdx_exit) <= 256, "tdx exit fits the union");
_Static_assert(sizeof(struct cvmm_kvm_exit_snp_req_certs) == 24, "snp req certs exit");

#endif
