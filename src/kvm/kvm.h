/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef CVMM_KVM_KVM_H
#define CVMM_KVM_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvm/uapi.h"

/*
 * Thin wrappers over the KVM ioctl interface.  Every call goes through a
 * kvm_sys_ops table so the same code can drive the real /dev/kvm or the
 * simulated confidential-computing platform used by tests and --dry-run.
 * All functions return 0 (or a non-negative result) or a negative errno.
 */

struct kvm_sys_ops {
	/* ioctl(2): result >= 0, or -errno */
	int (*ioctl)(void *priv, int fd, unsigned long req, void *arg);
	/* mmap of a vCPU's kvm_run area */
	void *(*mmap_run)(void *priv, int vcpu_fd, size_t len);
	void (*munmap_run)(void *priv, void *addr, size_t len);
	int (*close)(void *priv, int fd);
};

extern const struct kvm_sys_ops kvm_real_ops;

struct kvm_sys {
	const struct kvm_sys_ops *ops;
	void *priv;
	int fd;				/* /dev/kvm */
	size_t run_size;		/* KVM_GET_VCPU_MMAP_SIZE */
	struct kvm_cpuid2 *supported_cpuid;
};

struct kvm_vm {
	struct kvm_sys *sys;
	int fd;
	unsigned long type;		/* KVM_X86_*_VM */
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	int fd;
	uint32_t id;
	struct kvm_run *run;
};

/*
 * Open @dev (NULL: /dev/kvm) and check the API version.  On failure a
 * one-line reason is in @why (e.g. "no such device: is KVM enabled?").
 */
int kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why);
/* Use another backend (the simulated platform); @fd is its handle. */
void kvm_sys_init_ops(struct kvm_sys *sys, const struct kvm_sys_ops *ops,
		      void *priv, int fd, size_t run_size);
void kvm_sys_close(struct kvm_sys *sys);

int kvm_sys_ioctl(struct kvm_sys *sys, int fd, unsigned long req, void *arg);
int kvm_check_extension(struct kvm_sys *sys, long cap);
/* KVM_GET_SUPPORTED_CPUID, cached in sys->supported_cpuid. */
int kvm_get_supported_cpuid(struct kvm_sys *sys,
			    const struct kvm_cpuid2 **out);
/* Allocate a kvm_cpuid2 for @nent entries (zeroed, nent set). */
struct kvm_cpuid2 *kvm_cpuid2_alloc(uint32_t nent);

int kvm_vm_create(struct kvm_sys *sys, unsigned long type, struct kvm_vm *vm);
void kvm_vm_destroy(struct kvm_vm *vm);
int kvm_vm_ioctl(struct kvm_vm *vm, unsigned long req, void *arg);
int kvm_vm_check_extension(struct kvm_vm *vm, long cap);
int kvm_vm_enable_cap(struct kvm_vm *vm, uint32_t cap, uint64_t arg0);
/*
 * Install memslot @slot.  With @gmem_fd >= 0 the slot gets
 * KVM_MEM_GUEST_MEMFD through KVM_SET_USER_MEMORY_REGION2, otherwise the
 * classic KVM_SET_USER_MEMORY_REGION is used.  @size 0 deletes the slot.
 */
int kvm_vm_set_memslot(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
		       uint64_t gpa, uint64_t size, void *hva, int gmem_fd,
		       uint64_t gmem_offset);
int kvm_vm_set_memory_attributes(struct kvm_vm *vm, uint64_t gpa,
				 uint64_t size, uint64_t attributes);
/* Returns a guest_memfd fd. */
int kvm_vm_create_guest_memfd(struct kvm_vm *vm, uint64_t size);
int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t gsi, int level);
int kvm_vm_close_fd(struct kvm_vm *vm, int fd);

int kvm_vcpu_create(struct kvm_vm *vm, uint32_t id, struct kvm_vcpu *vcpu);
void kvm_vcpu_destroy(struct kvm_vcpu *vcpu);
int kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned long req, void *arg);
/* KVM_RUN: 0 on an exit to handle, -EINTR when kicked, other -errno. */
int kvm_vcpu_run(struct kvm_vcpu *vcpu);

/* Human-readable exit reason ("IO", "SHUTDOWN", "INTERNAL_ERROR", ...). */
const char *kvm_exit_reason_name(uint32_t reason);

#endif
