// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "arch/x86/e820.h"
#include "coco/kvm/kvm_coco.h"
#include "coco/plan/plan.h"
#include "harness.h"
#include "machine/coco.h"
#include "util/file.h"

void hs_open(struct hs *h, const struct sim_config *cfg)
{
	memset(h, 0, sizeof(*h));
	h->vm.fd = -1;
	h->gmem = -1;
	if (sim_create(cfg, &h->s))
		abort();
	sim_install(h->s, &h->sys);
}

int hs_vm(struct hs *h, unsigned long type)
{
	return kvm_vm_create(&h->sys, type, &h->vm);
}

int hs_ram(struct hs *h, bool gmem)
{
	int ret;

	h->ram = mmap(NULL, HS_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (h->ram == MAP_FAILED)
		abort();
	if (gmem) {
		h->gmem = kvm_vm_create_guest_memfd(&h->vm, 1ULL << 33);
		if (h->gmem < 0)
			return h->gmem;
	}
	ret = kvm_vm_set_memslot(&h->vm, 0, 0, 0, HS_RAM_SIZE, h->ram, gmem ? h->gmem : -1, 0);
	return ret < 0 ? ret : 0;
}

void hs_close(struct hs *h)
{
	if (h->gmem >= 0)
		kvm_vm_close_fd(&h->vm, h->gmem);
	kvm_vm_destroy(&h->vm);
	kvm_sys_close(&h->sys);
	if (h->ram)
		munmap(h->ram, HS_RAM_SIZE);
	sim_put(h->s);
}

int hs_sev(struct hs *h, uint32_t id, void *data, uint32_t *error)
{
	struct kvm_sev_cmd cmd = {
		.id = id, .data = (uint64_t)(uintptr_t)data, .sev_fd = (uint32_t)sim_sev_fd(h->s),
	};
	int ret = kvm_vm_ioctl(&h->vm, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (error)
		*error = cmd.error;
	return ret < 0 ? ret : 0;
}

int hs_tdx_vm(struct hs *h, uint32_t id, uint32_t flags, void *data, uint64_t *hw_error)
{
	struct cvmm_kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = (uint64_t)(uintptr_t)data };
	int ret = kvm_vm_ioctl(&h->vm, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (hw_error)
		*hw_error = cmd.hw_error;
	return ret < 0 ? ret : 0;
}

int hs_tdx_vcpu(struct hs *h, struct kvm_vcpu *v, uint32_t id, uint32_t flags, void *data)
{
	struct cvmm_kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = (uint64_t)(uintptr_t)data };
	int ret = kvm_vcpu_ioctl(v, KVM_MEMORY_ENCRYPT_OP, &cmd);

	return ret < 0 ? ret : 0;
}

int hs_tdx_init(struct hs *h)
{
	const struct kvm_cpuid2 *supported;
	struct launch_plan plan = { .type = COCO_TDX, .tdx_attr = 1ULL << 28 };
	struct err_msg err = { "" };
	struct coco_kvm c = {
		.plan = &plan, .vm = &h->vm, .sev_fd = -1, .gmem_fd = -1, .err = &err,
	};
	int ret;

	ret = kvm_get_supported_cpuid(&h->sys, &supported);
	if (ret)
		return ret;
	c.cpuid = supported;
	ret = kvm_vm_enable_cap(&h->vm, KVM_CAP_SPLIT_IRQCHIP, 24);
	if (ret == -EEXIST)
		ret = 0;
	if (!ret)
		ret = coco_tdx_ops.vm_init(&c);
	if (!ret)
		ret = coco_tdx_ops.vm_ready(&c);
	if (ret)
		fprintf(stderr, "hs_tdx_init: %s\n", err.msg);
	coco_kvm_release(&c);
	return ret;
}

int hs_vcpu(struct hs *h, struct kvm_vcpu *v, uint32_t id)
{
	const struct kvm_cpuid2 *supported;
	int ret = kvm_vcpu_create(&h->vm, id, v);

	if (ret)
		return ret;
	ret = kvm_get_supported_cpuid(&h->sys, &supported);
	if (!ret)
		ret = kvm_vcpu_ioctl(v, KVM_SET_CPUID2, (void *)supported);
	if (!ret && h->vm.type == KVM_X86_TDX_VM)
		ret = hs_tdx_vcpu(h, v, CVMM_KVM_TDX_INIT_VCPU, 0, (void *)0x809000);
	return ret < 0 ? ret : 0;
}

void hm_init(struct hm *h, const char *coco_spec, uint8_t *fw, size_t fw_len,
	     unsigned int vcpus, uint64_t mem)
{
	uint64_t low, high;

	memset(h, 0, sizeof(*h));
	config_init(&h->cfg);
	if (coco_config_parse(&h->cfg.coco, coco_spec))
		abort();
	h->cfg.firmware = strdup("sim-firmware.img");
	h->cfg.mem.size = mem;
	h->cfg.cpu.count = vcpus;
	h->cfg.console.kind = CONSOLE_NONE;
	h->m.cfg = &h->cfg;
	h->m.kvm.fd = -1;
	h->m.debugcon_fd = -1;
	h->m.console.in_fd = h->m.console.out_fd = -1;
	h->m.firmware = fw;
	h->m.firmware_len = fw_len;
	h->m.cmdline = "console=ttyS0";
	e820_ram_split(mem, &low, &high);
	cmos_init(&h->m.cmos, low, high, vcpus);
}

int hm_build(struct hm *h, const struct sim_config *sc)
{
	struct sim_config def;
	int ret;

	if (sc) {
		def = *sc;
	} else {
		memset(&def, 0, sizeof(def));
		def.platform = h->cfg.coco.type;
	}
	def.vmm_order = true;	/* vm_create() builds in the order of coco/stage.h */
	if (sim_create(&def, &h->s))
		abort();
	sim_install(h->s, &h->m.kvm);
	ret = machine_read_inputs(&h->m);	/* the ID block, as machine_run() */
	if (ret)
		return ret;
	ret = vm_create(&h->vm, &h->m);
	h->vm_built = true;
	return ret;
}

int hm_open(struct hm *h, const char *coco_spec, uint8_t *fw, size_t fw_len,
	    unsigned int vcpus, uint64_t mem, const struct sim_config *sc)
{
	hm_init(h, coco_spec, fw, fw_len, vcpus, mem);
	return hm_build(h, sc);
}

void hm_close(struct hm *h)
{
	if (h->vm_built)
		vm_destroy(&h->vm);
	h->vm_built = false;
	kvm_sys_close(&h->m.kvm);
	machine_free_inputs(&h->m);
	cmos_destroy(&h->m.cmos);
	free(h->m.firmware);
	free(h->m.kernel);
	free(h->m.initrd);
	config_free(&h->cfg);
	if (h->s)
		sim_put(h->s);
	h->s = NULL;
}

void hm_digests(struct hm *h, uint8_t got[48], uint8_t want[48], size_t *len)
{
	struct sim_launch rec;
	struct plan_digest d;

	/* a VM without a finished launch fails the test (no empty comparison) */
	assert_non_null(h->vm.coco);
	assert_int_equal(sim_vm_launch(h->s, h->vm.kvm.fd, &rec), 0);
	assert_int_equal(plan_measure(vm_coco_plan(&h->vm), NULL, &d), 0);
	assert_int_equal(d.len, rec.len);
	memcpy(got, rec.digest, rec.len);
	memcpy(want, d.d, d.len);
	*len = rec.len;
}

unsigned int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

uint8_t *load_file(const char *path, size_t *len)
{
	uint8_t *data;

	if (file_read(path, 64ULL << 20, &data, len))
		return NULL;
	return data;
}
