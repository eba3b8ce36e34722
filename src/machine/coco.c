// SPDX-License-Identifier: GPL-2.0-only
/*
 * Confidential launch glue (see machine/coco.h): builds the launch plan
 * from the machine's pristine images and drives the KVM backends of
 * coco/kvm at the points vm_create() calls us, in the order of
 * coco/stage.h; --dry-run.  The exits of a running confidential VM are
 * coco_exits.c.  With --dry-run the same code runs against the simulated
 * platform (sim/sim.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch/x86/cpuid.h"
#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "machine/coco_internal.h"
#include "machine/igvm_boot.h"
#include "machine/machine.h"
#include "measure/id_block.h"
#include "util/log.h"
#include "util/num.h"

/* ------------------------------------------------------------------ */
/* building the plan */

static int open_sev(struct vm_coco *c, const struct vm_config *cfg, uint64_t vm_types)
{
	const char *path = cfg->dev_sev ? cfg->dev_sev : "/dev/sev";
	int fd;

	if (c->sim) {
		c->k.sev_fd = sim_sev_fd(c->sim);
		return 0;
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		if (err == -ENOENT && c->k.legacy_sev && !cfg->dev_sev)
			log_err("--coco", "KVM does not offer the %s VM type (KVM_CAP_VM_TYPES "
				"0x%" PRIx64 ") and %s does not exist: this host has no %s",
				c->k.ops->vm_type_name, vm_types, path, c->k.ops->name);
		else
			log_err(path, "cannot open the SEV device: %s", strerror(-err));
		return err;
	}
	c->k.sev_fd = fd;
	c->own_sev_fd = true;
	return 0;
}

static int build_plan(struct vm_coco *c, struct vm *vm)
{
	struct machine *m = vm->machine;
	const struct vm_config *cfg = vm->cfg;
	struct plan_params pp;
	bool kernel = m->kernel && !m->builtin && cfg->kernel;
	int ret;

	if (m->igvm)	/* the plan of the file's SEV-SNP platform */
		return igvm_boot_plan(vm, &c->plan, &c->err);
	memset(&pp, 0, sizeof(pp));
	pp.coco = &cfg->coco;
	pp.vmm = PLAN_VMM_CVMM;
	pp.fw = m->firmware;
	pp.fw_len = m->firmware_len;
	pp.kernel = kernel ? m->kernel : NULL;
	pp.kernel_len = kernel ? m->kernel_len : 0;
	pp.initrd = kernel && cfg->initramfs ? m->initrd : NULL;
	pp.initrd_len = kernel && cfg->initramfs ? m->initrd_len : 0;
	pp.cmdline = kernel ? m->cmdline : NULL;
	pp.nr_vcpus = vm->nr_vcpus;
	/* --cpu model=/sig= or the host's, as vCPU 0's CPUID says (cpuid_build()) */
	pp.vcpu_sig = cpuid_signature(vm->cpuid);
	pp.guest_features = cfg->coco.type == COCO_SNP ? cfg->coco.sev_features :
			    SVM_SEV_FEAT_SNP_ACTIVE;
	pp.mem_size = cfg->mem.size;
	if (m->id_block) {	/* read once, by machine_read_inputs() */
		pp.id_block = m->id_block;
		pp.id_auth = m->id_auth;
		/* an author key is present when its algorithm and curve are */
		pp.auth_key_en = m->id_auth[4] == SNP_ALGO_ECDSA_P384 &&
				 m->id_auth[SNP_ID_AUTH_OFF_AUTHOR_KEY] == SNP_CURVE_P384;
	}
	ret = plan_build(&pp, &c->plan, &c->err);
	if (ret)
		log_err(cfg->firmware ? cfg->firmware : "--coco", "%s",
			c->err.msg[0] ? c->err.msg : strerror(-ret));
	return ret;
}

static int coco_fail(struct vm_coco *c, int ret)
{
	log_err("--coco", "%s", c->err.msg);
	return ret;
}

static int coco_alloc(struct vm *vm)
{
	struct vm_coco *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	vm->coco = c;
	c->vm = vm;
	pthread_mutex_init(&c->lock, NULL);
	c->sim = sim_of(&vm->machine->kvm);
	c->k.sev_fd = -1;
	c->k.gmem_fd = -1;
	c->k.err = &c->err;
	c->k.mem = &vm->mem;
	c->k.vm = &vm->kvm;
	c->k.nr_vcpus = vm->nr_vcpus;
	c->vcpus = calloc(vm->nr_vcpus, sizeof(*c->vcpus));
	if (!c->vcpus)
		return -ENOMEM;
	c->k.vcpus = c->vcpus;
	c->k.certs = vm->machine->coco ? machine_coco_certs(vm->machine) : NULL;
	return 0;
}

/* vCPU 0's CPUID table, as the platform's guests may have it (SNP CPUID page, TDX INIT_VM). */
static int coco_cpuid0(struct vm_coco *c, struct vm *vm)
{
	const struct coco_platform_ops *ops = coco_platform(vm->cfg->coco.type);

	if (ops && ops->mask_cpuid)
		ops->mask_cpuid(vm->cpuid);
	c->cpuid0 = kvm_cpuid2_alloc(vm->cpuid->nent);
	if (!c->cpuid0)
		return -ENOMEM;
	memcpy(c->cpuid0->entries, vm->cpuid->entries,
	       vm->cpuid->nent * sizeof(vm->cpuid->entries[0]));
	cpuid_set_apic_id(c->cpuid0, 0);
	c->k.cpuid = c->cpuid0;
	return 0;
}

/*
 * platform=sim: the VM that runs is a plain one standing in for the
 * simulated confidential launch.  Like QEMU for guests without SEV, it
 * offers no leaf 0x8000001F (SME/SEV/SEV-ES/SNP): a guest seeing SEV there
 * would look for encryption this VM does not have.
 */
static void coco_plain_cpuid(struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpuid_entry2 *e = cpuid_find(cpuid, 0x8000001f, 0);

	if (e)
		e->eax = e->ebx = e->ecx = e->edx = 0;
}

int vm_coco_prepare(struct vm *vm)
{
	struct kvm_sys *sys = &vm->machine->kvm;
	const struct coco_platform_ops *ops;
	struct vm_coco *c;
	uint64_t vm_types;
	int ret;

	if (vm->cfg->coco.type == COCO_NONE) {
		if (vm->cfg->coco.platform == COCO_PLATFORM_SIM)
			coco_plain_cpuid(vm->cpuid);
		return 0;
	}
	ret = coco_alloc(vm);
	if (ret)
		return ret;
	c = vm->coco;
	ret = coco_cpuid0(c, vm);
	if (!ret)
		ret = build_plan(c, vm);
	if (ret)
		return ret;
	c->k.plan = c->plan;

	vm_types = (uint64_t)kvm_check_extension(sys, KVM_CAP_VM_TYPES);
	vm_coco_log_launch(vm);
	ret = coco_kvm_prepare(&c->k, vm_types);
	if (ret)
		return coco_fail(c, ret);
	ops = c->k.ops;
	vm->coco_props = (struct vm_coco_props){
		.vm_type = c->k.vm_type,
		.split_irqchip = ops->split_irqchip,
		.firmware_in_ram = true,
		.sets_regs = ops->sets_regs,
		.vcpu_state_protected = ops->vcpu_state_protected,
	};
	return ops->needs_sev_fd ? open_sev(c, vm->cfg, vm_types) : 0;
}

/* ------------------------------------------------------------------ */
/* the build steps */

int vm_coco_vm_created(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	uint64_t low, high;
	int ret;

	if (!c)
		return 0;
	c->k.vm = &vm->kvm;
	e820_ram_split(vm->cfg->mem.size, &low, &high);
	ret = coco_kvm_vm_init(&c->k, high ? HIGH_RAM_START + high : low);
	if (ret)
		return coco_fail(c, ret);
	if (c->k.certs_skipped)
		machine_coco_certs_skipped(vm->machine, c->k.certs_skipped);
	vm->gmem_fd = c->k.gmem_fd;
	return 0;
}

int vm_coco_irqchip_ready(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	int ret;

	if (!c)
		return 0;
	/* TDX's APIC bus cycle needs the irqchip (-ENXIO); INIT_VM precedes the vCPUs */
	ret = coco_kvm_vm_ready(&c->k);
	return ret ? coco_fail(c, ret) : 0;
}

int vm_coco_memory_added(struct vm *vm, uint64_t gpa, uint64_t size, void *hva)
{
	struct vm_coco *c = vm->coco;
	int ret;

	if (!c)
		return 0;
	ret = coco_kvm_memory_added(&c->k, gpa, size, hva);
	if (ret)
		return coco_fail(c, ret);
	pthread_mutex_lock(&c->lock);
	ret = coco_attrs_add(c, gpa, size, c->k.ops->private_mem);
	pthread_mutex_unlock(&c->lock);
	if (ret)
		log_err("--coco", "tracking the page attributes of 0x%" PRIx64 " bytes at 0x%"
			PRIx64 ": %s", size, gpa, strerror(-ret));
	return ret;
}

int vm_coco_vcpu_created(struct vm *vm, struct vcpu *v)
{
	struct vm_coco *c = vm->coco;
	int ret;

	if (!c)
		return 0;
	ret = coco_kvm_vcpu_created(&c->k, v->index, &v->kvm);
	if (ret)
		log_err("--coco", "vCPU %u: %s", v->index, c->err.msg);
	return ret;
}

const struct launch_plan *vm_coco_plan(const struct vm *vm)
{
	return vm->coco ? vm->coco->plan : NULL;
}

static void log_measurement(struct vm_coco *c)
{
	char hex[2 * 64 + 1];
	struct sim_launch rec;

	if (c->k.sev_measurement_len) {
		hex_encode(c->k.sev_measurement, c->k.sev_measurement_len, hex);
		log_info("--coco: LAUNCH_MEASURE %s", hex);
	}
	if (c->sim && !sim_vm_launch(c->sim, c->vm->kvm.fd, &rec)) {
		hex_encode(rec.digest, rec.len, hex);
		log_info("--coco: the simulated platform measured %s", hex);
	}
}

int vm_coco_launch(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	int ret;

	if (!c)
		return 0;
	ret = coco_kvm_launch(&c->k);
	if (ret)
		return coco_fail(c, ret);
	log_info("--coco: %s launch of %u operations finished", coco_type_name(c->plan->type),
		 c->plan->nr_ops);
	log_measurement(c);
	return 0;
}

void vm_coco_destroy(struct vm *vm)
{
	struct vm_coco *c = vm->coco;

	if (!c)
		return;
	if (c->own_sev_fd && c->k.sev_fd >= 0)
		close(c->k.sev_fd);
	coco_kvm_release(&c->k);
	plan_free(c->plan);
	coco_attrs_free(c);
	free(c->vcpus);
	free(c->cpuid0);
	pthread_mutex_destroy(&c->lock);
	free(c);
	vm->coco = NULL;
}

/* ------------------------------------------------------------------ */
/* --dry-run */

int machine_coco_dry_run_open(struct machine *m)
{
	struct sim_config sc = { .platform = m->cfg->coco.type, .vmm_order = true };
	struct sim *s;
	int ret;

	if (m->cfg->coco.type == COCO_NONE) {
		log_err("--dry-run", "runs a confidential launch: add --coco");
		return -EINVAL;
	}
	ret = sim_create(&sc, &s);
	if (ret)
		return log_errno("--dry-run", ret);
	sim_install(s, &m->kvm);
	sim_put(s);
	return 0;
}

int vm_coco_sim_result(struct vm *vm, const char *what, struct sim_launch *got)
{
	struct vm_coco *c = vm->coco;
	struct sim *s = sim_of(&vm->machine->kvm);
	struct plan_digest want;
	char hex[2 * 64 + 1], hw[2 * 48 + 1];
	int ret;

	if (!c || !s)
		return -EINVAL;
	ret = plan_measure(c->plan, NULL, &want);
	if (ret)
		return log_errno(what, ret);
	if (sim_vm_launch(s, vm->kvm.fd, got)) {
		log_err(what, "the simulated platform did not finish the launch");
		return -EIO;
	}
	if (got->len != want.len || memcmp(got->digest, want.d, want.len)) {
		hex_encode(got->digest, got->len, hex);
		hex_encode(want.d, want.len, hw);
		log_err(what, "the simulated platform measured %s, the plan predicts %s",
			hex, hw);
		return -EIO;
	}
	return 0;
}
