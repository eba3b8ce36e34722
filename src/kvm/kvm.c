// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm/kvm.h"

static int real_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR && req != KVM_RUN);
	return ret < 0 ? -errno : ret;
}

static void *real_mmap_run(void *priv, int vcpu_fd, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void real_munmap_run(void *priv, void *addr, size_t len)
{
	munmap(addr, len);
}

static int real_close(void *priv, int fd)
{
	return close(fd) < 0 ? -errno : 0;
}

const struct kvm_sys_ops kvm_real_ops = {
	.ioctl = real_ioctl,
	.mmap_run = real_mmap_run,
	.munmap_run = real_munmap_run,
	.close = real_close,
};

void kvm_sys_init_ops(struct kvm_sys *sys, const struct kvm_sys_ops *ops,
		      void *priv, int fd, size_t run_size)
{
	memset(sys, 0, sizeof(*sys));
	sys->ops = ops;
	sys->priv = priv;
	sys->fd = fd;
	sys->run_size = run_size;
}

int kvm_sys_open(struct kvm_sys *sys, const char *dev, const char **why)
{
	int fd, ret;

	if (!dev)
		dev = "/dev/kvm";
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		if (ret == -ENOENT)
			*why = "no such device: KVM is not available on this host "
			       "(is the kvm module loaded and virtualization enabled?)";
		else if (ret == -EACCES || ret == -EPERM)
			*why = "permission denied: add yourself to the 'kvm' group or run as root";
		else
			*why = strerror(-ret);
		return ret;
	}
	kvm_sys_init_ops(sys, &kvm_real_ops, NULL, fd, 0);
	ret = kvm_sys_ioctl(sys, fd, KVM_GET_API_VERSION, NULL);
	if (ret != KVM_API_VERSION) {
		*why = "unsupported KVM API version";
		close(fd);
		return -EINVAL;
	}
	ret = kvm_sys_ioctl(sys, fd, KVM_GET_VCPU_MMAP_SIZE, NULL);
	if (ret < (int)sizeof(struct kvm_run)) {
		*why = "KVM_GET_VCPU_MMAP_SIZE failed";
		close(fd);
		return ret < 0 ? ret : -EINVAL;
	}
	sys->run_size = (size_t)ret;
	return 0;
}

void kvm_sys_close(struct kvm_sys *sys)
{
	if (sys->ops && sys->fd >= 0)
		sys->ops->close(sys->priv, sys->fd);
	free(sys->supported_cpuid);
	sys->supported_cpuid = NULL;
	sys->fd = -1;
}

int kvm_sys_ioctl(struct kvm_sys *sys, int fd, unsigned long req, void *arg)
{
	return sys->ops->ioctl(sys->priv, fd, req, arg);
}

int kvm_check_extension(struct kvm_sys *sys, long cap)
{
	int ret = kvm_sys_ioctl(sys, sys->fd, KVM_CHECK_EXTENSION, (void *)cap);

	return ret < 0 ? 0 : ret;
}

struct kvm_cpuid2 *kvm_cpuid2_alloc(uint32_t nent)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + nent * sizeof(c->entries[0]));

	if (c)
		c->nent = nent;
	return c;
}

int kvm_get_supported_cpuid(struct kvm_sys *sys,
			    const struct kvm_cpuid2 **out)
{
	uint32_t nent = 128;
	int ret;

	while (!sys->supported_cpuid) {
		struct kvm_cpuid2 *c = kvm_cpuid2_alloc(nent);

		if (!c)
			return -ENOMEM;
		ret = kvm_sys_ioctl(sys, sys->fd, KVM_GET_SUPPORTED_CPUID, c);
		if (ret == -E2BIG && nent < 4096) {
			free(c);
			nent *= 2;
			continue;
		}
		if (ret < 0) {
			free(c);
			return ret;
		}
		sys->supported_cpuid = c;
	}
	*out = sys->supported_cpuid;
	return 0;
}

int kvm_vm_create(struct kvm_sys *sys, unsigned long type, struct kvm_vm *vm)
{
	int fd;

	do {
		/* KVM_CREATE_VM can fail transiently with EINTR. */
		fd = kvm_sys_ioctl(sys, sys->fd, KVM_CREATE_VM, (void *)type);
	} while (fd == -EINTR);
	if (fd < 0)
		return fd;
	vm->sys = sys;
	vm->fd = fd;
	vm->type = type;
	return 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->sys && vm->fd >= 0)
		vm->sys->ops->close(vm->sys->priv, vm->fd);
	vm->fd = -1;
}

int kvm_vm_ioctl(struct kvm_vm *vm, unsigned long req, void *arg)
{
	return kvm_sys_ioctl(vm->sys, vm->fd, req, arg);
}

int kvm_vm_check_extension(struct kvm_vm *vm, long cap)
{
	int ret = kvm_vm_ioctl(vm, KVM_CHECK_EXTENSION, (void *)cap);

	return ret < 0 ? 0 : ret;
}

int kvm_vm_enable_cap(struct kvm_vm *vm, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap ec = { .cap = cap, .args = { arg0 } };

	return kvm_vm_ioctl(vm, KVM_ENABLE_CAP, &ec);
}

int kvm_vm_set_memslot(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
		       uint64_t gpa, uint64_t size, void *hva, int gmem_fd,
		       uint64_t gmem_offset)
{
	if (gmem_fd >= 0) {
		struct kvm_userspace_memory_region2 r = {
			.slot = slot,
			.flags = flags | KVM_MEM_GUEST_MEMFD,
			.guest_phys_addr = gpa,
			.memory_size = size,
			.userspace_addr = (uintptr_t)hva,
			.guest_memfd_offset = gmem_offset,
			.guest_memfd = (uint32_t)gmem_fd,
		};

		return kvm_vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r);
	} else {
		struct kvm_userspace_memory_region r = {
			.slot = slot,
			.flags = flags,
			.guest_phys_addr = gpa,
			.memory_size = size,
			.userspace_addr = (uintptr_t)hva,
		};

		return kvm_vm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
	}
}

int kvm_vm_set_memory_attributes(struct kvm_vm *vm, uint64_t gpa,
				 uint64_t size, uint64_t attributes)
{
	struct kvm_memory_attributes a = {
		.address = gpa, .size = size, .attributes = attributes,
	};

	return kvm_vm_ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &a);
}

int kvm_vm_create_guest_memfd(struct kvm_vm *vm, uint64_t size)
{
	struct kvm_create_guest_memfd g = { .size = size };

	return kvm_vm_ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
}

int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t gsi, int level)
{
	struct kvm_irq_level irq = { .irq = gsi, .level = (uint32_t)level };

	return kvm_vm_ioctl(vm, KVM_IRQ_LINE, &irq);
}

int kvm_vm_close_fd(struct kvm_vm *vm, int fd)
{
	return vm->sys->ops->close(vm->sys->priv, fd);
}

int kvm_vcpu_create(struct kvm_vm *vm, uint32_t id, struct kvm_vcpu *vcpu)
{
	int fd = kvm_vm_ioctl(vm, KVM_CREATE_VCPU, (void *)(uintptr_t)id);

	if (fd < 0)
		return fd;
	vcpu->vm = vm;
	vcpu->fd = fd;
	vcpu->id = id;
	vcpu->run = vm->sys->ops->mmap_run(vm->sys->priv, fd, vm->sys->run_size);
	if (!vcpu->run) {
		vm->sys->ops->close(vm->sys->priv, fd);
		vcpu->fd = -1;
		return -ENOMEM;
	}
	return 0;
}

void kvm_vcpu_destroy(struct kvm_vcpu *vcpu)
{
	struct kvm_sys *sys;

	if (!vcpu->vm)
		return;
	sys = vcpu->vm->sys;
	if (vcpu->run)
		sys->ops->munmap_run(sys->priv, vcpu->run, sys->run_size);
	if (vcpu->fd >= 0)
		sys->ops->close(sys->priv, vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

int kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned long req, void *arg)
{
	return kvm_sys_ioctl(vcpu->vm->sys, vcpu->fd, req, arg);
}

int kvm_vcpu_run(struct kvm_vcpu *vcpu)
{
	return kvm_vcpu_ioctl(vcpu, KVM_RUN, NULL);
}

const char *kvm_exit_reason_name(uint32_t reason)
{
	static const char *const names[] = {
		[KVM_EXIT_UNKNOWN] = "UNKNOWN",
		[KVM_EXIT_EXCEPTION] = "EXCEPTION",
		[KVM_EXIT_IO] = "IO",
		[KVM_EXIT_HYPERCALL] = "HYPERCALL",
		[KVM_EXIT_DEBUG] = "DEBUG",
		[KVM_EXIT_HLT] = "HLT",
		[KVM_EXIT_MMIO] = "MMIO",
		[KVM_EXIT_IRQ_WINDOW_OPEN] = "IRQ_WINDOW_OPEN",
		[KVM_EXIT_SHUTDOWN] = "SHUTDOWN",
		[KVM_EXIT_FAIL_ENTRY] = "FAIL_ENTRY",
		[KVM_EXIT_INTR] = "INTR",
		[KVM_EXIT_SET_TPR] = "SET_TPR",
		[KVM_EXIT_TPR_ACCESS] = "TPR_ACCESS",
		[KVM_EXIT_NMI] = "NMI",
		[KVM_EXIT_INTERNAL_ERROR] = "INTERNAL_ERROR",
		[KVM_EXIT_SYSTEM_EVENT] = "SYSTEM_EVENT",
		[KVM_EXIT_IOAPIC_EOI] = "IOAPIC_EOI",
		[KVM_EXIT_HYPERV] = "HYPERV",
		[KVM_EXIT_X86_RDMSR] = "X86_RDMSR",
		[KVM_EXIT_X86_WRMSR] = "X86_WRMSR",
		[KVM_EXIT_DIRTY_RING_FULL] = "DIRTY_RING_FULL",
		[KVM_EXIT_X86_BUS_LOCK] = "X86_BUS_LOCK",
		[KVM_EXIT_NOTIFY] = "NOTIFY",
		[KVM_EXIT_MEMORY_FAULT] = "MEMORY_FAULT",
		[KVM_EXIT_TDX] = "TDX",
	};

	if (reason < sizeof(names) / sizeof(names[0]) && names[reason])
		return names[reason];
	return "unknown exit";
}
