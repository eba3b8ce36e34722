// SPDX-License-Identifier: GPL-2.0-only
/*
 * Confidential launch glue (see machine/coco.h): builds the launch plan
 * from the machine's pristine images, drives the KVM backends of coco/ at
 * the points vm_create() calls us, serves the confidential exits at run
 * time (private<->shared conversions, TDX GetQuote / GetTdVmCallInfo /
 * SetupEventNotifyInterrupt, the userspace IOAPIC's EOIs) and reports
 * fatal guest events.  With --dry-run the same code runs against the
 * simulated platform (coco/sim.h).
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
#include "coco/kvm/exit_parse.h"
#include "coco/kvm/kvm_coco.h"
#include "coco/kvm/qgs.h"
#include "sim/sim.h"
#include "devices/ioapic.h"
#include "machine/coco.h"
#include "machine/exit_status.h"
#include "machine/machine.h"
#include "measure/id_block.h"
#include "util/file.h"
#include "util/log.h"
#include "util/num.h"

#define PAGE_SIZE		4096ULL
#define QGS_TIMEOUT_MS		30000
#define MAX_ATTR_REGIONS	GUEST_MEM_MAX_REGIONS

/* Which pages are private, to check the buffers guests hand us as shared. */
struct attr_map {
	uint64_t gpa, pages;
	uint8_t *bits;			/* 1: private */
};

struct vm_coco {
	struct vm *vm;
	struct launch_plan *plan;
	struct coco_kvm k;
	struct coco_err err;
	struct sim *sim;		/* the simulated platform, or NULL */
	bool own_sev_fd;
	struct kvm_vcpu **vcpus;
	struct kvm_cpuid2 *cpuid0;	/* vCPU 0's table (SNP CPUID page, TDX INIT_VM) */

	struct ioapic ioapic;		/* TDX: split irqchip */
	bool have_ioapic;
	bool vm_ready;			/* coco_kvm_vm_ready() done */

	pthread_mutex_t lock;		/* attributes, event notification */
	struct attr_map attrs[MAX_ATTR_REGIONS];
	unsigned int nr_attrs;
	bool notify_set;
	uint32_t notify_vector, notify_apic;
};

static bool is_gmem_type(enum coco_type t)
{
	return t == COCO_SNP || t == COCO_TDX;
}

/* ------------------------------------------------------------------ */
/* page attribute tracking */

static int attrs_add(struct vm_coco *c, uint64_t gpa, uint64_t size, bool private)
{
	struct attr_map *a;

	if (!size)
		return 0;
	if (c->nr_attrs == MAX_ATTR_REGIONS)
		return -ENOSPC;
	a = &c->attrs[c->nr_attrs];
	a->pages = size / PAGE_SIZE;
	a->bits = malloc((a->pages + 7) / 8);
	if (!a->bits)
		return -ENOMEM;
	memset(a->bits, private ? 0xff : 0, (a->pages + 7) / 8);
	a->gpa = gpa;
	c->nr_attrs++;
	return 0;
}

/* Apply to [gpa, gpa + size): set (to), or check that all pages have @to. */
static bool attrs_walk(struct vm_coco *c, uint64_t gpa, uint64_t size, bool to, bool set)
{
	uint64_t p, end = gpa + size;
	unsigned int i;

	for (p = gpa; p < end; p += PAGE_SIZE) {
		bool found = false;

		for (i = 0; i < c->nr_attrs; i++) {
			struct attr_map *a = &c->attrs[i];
			uint64_t n;

			if (p < a->gpa || (p - a->gpa) / PAGE_SIZE >= a->pages)
				continue;
			n = (p - a->gpa) / PAGE_SIZE;
			found = true;
			if (set) {
				if (to)
					a->bits[n / 8] |= (uint8_t)(1u << (n % 8));
				else
					a->bits[n / 8] &= (uint8_t)~(1u << (n % 8));
			} else if (!!(a->bits[n / 8] & (1u << (n % 8))) != to) {
				return false;
			}
			break;
		}
		if (!found && !set)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* building the plan */

/*
 * SEV-SNP guests cannot use these (the PSP rejects a CPUID page that has
 * them), as QEMU's sev_snp_mask_cpuid_features() and Alioth.
 */
static void snp_mask_cpuid(struct kvm_cpuid2 *cpuid)
{
	struct kvm_cpuid_entry2 *e;

	e = cpuid_find(cpuid, 1, 0);
	if (e)
		e->ecx &= ~(1u << 24);			/* TSC_DEADLINE */
	e = cpuid_find(cpuid, 7, 0);
	if (e) {
		e->ebx &= ~(1u << 1);			/* TSC_ADJUST */
		e->edx &= ~0xfc000000u;			/* SPEC_CTRL, STIBP, L1D_FLUSH,
							   ARCH_CAPABILITIES, CORE_CAPS, SSBD */
	}
	e = cpuid_find(cpuid, 0x80000008, 0);
	if (e)
		e->ebx &= ~(1u << 25);			/* VIRT_SSBD */
}

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
				c->plan->type == COCO_SEV ? "SEV" : "SEV-ES", vm_types, path,
				c->plan->type == COCO_SEV ? "SEV" : "SEV-ES");
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
	pp.vcpu_sig = cpuid_signature(vm->cpuid);
	pp.guest_features = SVM_SEV_FEAT_SNP_ACTIVE;
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

int vm_coco_prepare(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	struct kvm_sys *sys = &vm->machine->kvm;
	struct vm_coco *c;
	uint64_t vm_types;
	int ret;

	if (cfg->coco.type == COCO_NONE)
		return 0;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	vm->coco = c;
	c->vm = vm;
	pthread_mutex_init(&c->lock, NULL);
	c->sim = sim_of(sys);
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

	if (cfg->coco.type == COCO_SNP)
		snp_mask_cpuid(vm->cpuid);
	c->cpuid0 = kvm_cpuid2_alloc(vm->cpuid->nent);
	if (!c->cpuid0)
		return -ENOMEM;
	memcpy(c->cpuid0->entries, vm->cpuid->entries,
	       vm->cpuid->nent * sizeof(vm->cpuid->entries[0]));
	cpuid_set_apic_id(c->cpuid0, 0);
	c->k.cpuid = c->cpuid0;

	ret = build_plan(c, vm);
	if (ret)
		return ret;
	c->k.plan = c->plan;

	vm_types = (uint64_t)kvm_check_extension(sys, KVM_CAP_VM_TYPES);
	ret = coco_kvm_choose_vm_type(&c->k, vm_types);
	if (ret) {
		log_err("--coco", "%s", c->err.msg);
		return ret;
	}
	if (cfg->coco.type != COCO_TDX)
		return open_sev(c, cfg, vm_types);
	return 0;
}

unsigned long vm_coco_vm_type(const struct vm *vm)
{
	return vm->coco ? vm->coco->k.vm_type : KVM_X86_DEFAULT_VM;
}

/* ------------------------------------------------------------------ */
/* the userspace IOAPIC (TDX) */

static void ioapic_send_msi(void *opaque, uint64_t address, uint32_t data)
{
	struct vm *vm = opaque;
	struct kvm_msi msi = {
		.address_lo = (uint32_t)address,
		.address_hi = (uint32_t)(address >> 32),
		.data = data,
	};
	int ret = kvm_vm_ioctl(&vm->kvm, KVM_SIGNAL_MSI, &msi);

	if (ret < 0)
		log_debug("KVM_SIGNAL_MSI 0x%" PRIx64 "/0x%x: %s", address, data,
			  strerror(-ret));
}

static void ioapic_irq(void *opaque, uint32_t gsi, int level)
{
	struct vm_coco *c = opaque;

	ioapic_set_irq(&c->ioapic, gsi, level);
}

static int setup_ioapic(struct vm_coco *c, struct vm *vm)
{
	int ret;

	ioapic_init(&c->ioapic, (uint8_t)vm->nr_vcpus, ioapic_send_msi, vm);
	c->have_ioapic = true;
	ret = ioapic_register(&c->ioapic, &vm->mmio, IOAPIC_ADDR);
	if (ret)
		return log_errno("ioapic", ret);
	vm->irq_route = ioapic_irq;
	vm->irq_route_opaque = c;
	return 0;
}

int vm_coco_vm_init(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	uint64_t low, high;
	int ret;

	if (!c)
		return 0;
	c->k.vm = &vm->kvm;
	ret = coco_kvm_vm_init(&c->k);
	if (ret) {
		log_err("--coco", "%s", c->err.msg);
		return ret;
	}
	if (is_gmem_type(c->plan->type)) {
		e820_ram_split(vm->cfg->mem.size, &low, &high);
		ret = coco_kvm_gmem_create(&c->k, high ? HIGH_RAM_START + high : low);
		if (ret) {
			log_err("--coco", "%s", c->err.msg);
			return ret;
		}
		vm->gmem_fd = c->k.gmem_fd;
	}
	if (c->plan->type == COCO_TDX)
		return setup_ioapic(c, vm);
	return 0;
}

bool vm_coco_split_irqchip(const struct vm *vm)
{
	return vm->coco && vm->coco->plan->type == COCO_TDX;
}

int vm_coco_memory_added(struct vm *vm, uint64_t gpa, uint64_t size, void *hva)
{
	struct vm_coco *c = vm->coco;
	int ret;

	if (!c)
		return 0;
	if (!c->vm_ready) {
		/*
		 * The first RAM region is the first hook after vm.c created the
		 * irqchip and before any vCPU: TDX's APIC bus cycle needs the
		 * former (-ENXIO), INIT_VM must precede the latter.
		 */
		ret = coco_kvm_vm_ready(&c->k);
		if (ret) {
			log_err("--coco", "%s", c->err.msg);
			return ret;
		}
		c->vm_ready = true;
	}
	ret = coco_kvm_memory_added(&c->k, gpa, size, hva);
	if (ret) {
		log_err("--coco", "%s", c->err.msg);
		return ret;
	}
	pthread_mutex_lock(&c->lock);
	ret = attrs_add(c, gpa, size, is_gmem_type(c->plan->type));
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

bool vm_coco_firmware_is_ram(const struct vm *vm)
{
	return vm->coco != NULL;
}

bool vm_coco_sets_regs(const struct vm *vm)
{
	/* plain SEV boots from the reset vector like any VM */
	return vm->coco && vm->coco->plan->type != COCO_SEV;
}

const struct launch_plan *vm_coco_plan(const struct vm *vm)
{
	return vm->coco ? vm->coco->plan : NULL;
}

bool vm_coco_vcpu_state_protected(const struct vm *vm)
{
	return vm->coco && vm->coco->plan->type == COCO_TDX;
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
	if (ret) {
		log_err("--coco", "%s", c->err.msg);
		return ret;
	}
	log_info("--coco: %s launch of %u operations finished", coco_type_name(c->plan->type),
		 c->plan->nr_ops);
	log_measurement(c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* exits */

static int convert(struct vcpu *v, uint64_t gpa, uint64_t size, bool to_private)
{
	struct vm_coco *c = v->vm->coco;
	struct coco_err err = { "" };
	struct coco_kvm k;
	int ret;

	/* the backend context is shared; its error slot is per call */
	pthread_mutex_lock(&c->lock);
	k = c->k;
	k.err = &err;
	ret = coco_kvm_convert(&k, gpa, size, to_private, true);
	if (!ret)
		attrs_walk(c, gpa, size, to_private, true);
	pthread_mutex_unlock(&c->lock);
	if (ret)
		log_debug("vCPU %u: %s", v->index, err.msg);
	return ret;
}

static int handle_memory_fault(struct vcpu *v)
{
	struct cvmm_kvm_memory_fault *mf = kvm_run_memory_fault(v->kvm.run);
	bool to_private = mf->flags & KVM_MEMORY_EXIT_FLAG_PRIVATE;
	uint64_t gpa = mf->gpa, size = mf->size;

	if (!convert(v, gpa, size, to_private))
		return 1;
	vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
		"vCPU %u: the guest accessed 0x%" PRIx64 " (0x%" PRIx64 " bytes) as %s memory, "
		"which cannot be converted: it is not page-aligned guest RAM", v->index, gpa,
		size, to_private ? "private" : "shared");
	return -EINVAL;
}

static int handle_map_gpa_range(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	uint64_t gpa = run->hypercall.args[0], npages = run->hypercall.args[1];
	uint64_t attrs = run->hypercall.args[2];
	int ret = -EINVAL;

	if (npages && npages <= (UINT64_MAX >> 12))
		ret = convert(v, gpa, npages << 12, attrs & KVM_MAP_GPA_RANGE_ENCRYPTED);
	/* always answer: KVM (and the guest) read it back */
	run->hypercall.ret = ret ? (uint64_t)(int64_t)-KVM_EINVAL : 0;
	return 1;
}

static void notify(struct vm_coco *c)
{
	bool set;
	uint32_t vector, apic;

	pthread_mutex_lock(&c->lock);
	set = c->notify_set;
	vector = c->notify_vector;
	apic = c->notify_apic;
	pthread_mutex_unlock(&c->lock);
	if (set)
		ioapic_send_msi(c->vm, 0xfee00000ULL | (uint64_t)(apic & 0xff) << 12 |
				(uint64_t)(apic & 0xffffff00) << 32, vector);
}

static void write_quote_hdr(struct vm *vm, uint64_t gpa, const struct tdx_quote_hdr *h)
{
	uint8_t buf[TDX_QUOTE_HDR_LEN];

	tdx_quote_hdr_encode(h, buf);
	guest_mem_write(&vm->mem, gpa, buf, sizeof(buf));
}

static void handle_get_quote(struct vcpu *v, struct cvmm_kvm_tdx_exit *t)
{
	struct vm *vm = v->vm;
	struct vm_coco *c = vm->coco;
	const char *qgs = vm->cfg->coco.qgs_path;
	uint64_t gpa = t->get_quote.gpa, size = t->get_quote.size;
	uint8_t hdr[TDX_QUOTE_HDR_LEN], *report = NULL, *quote = NULL;
	struct tdx_quote_hdr h;
	size_t quote_len = 0;
	bool shared;
	int ret;

	t->get_quote.ret = tdx_quote_check(gpa, size, guest_mem_read(&vm->mem, gpa, hdr,
					   sizeof(hdr)) ? NULL : hdr, &h);
	if (t->get_quote.ret != TDVMCALL_STATUS_SUCCESS)
		return;
	/* the whole buffer: guest RAM, converted to shared */
	pthread_mutex_lock(&c->lock);
	shared = guest_mem_ptr(&vm->mem, gpa, size) && attrs_walk(c, gpa, size, false, false);
	pthread_mutex_unlock(&c->lock);
	if (!shared) {
		t->get_quote.ret = TDVMCALL_STATUS_INVALID_OPERAND;
		return;
	}
	h.out_len = 0;
	if (!qgs) {
		h.status = TDX_QUOTE_QGS_UNAVAILABLE;
		write_quote_hdr(vm, gpa, &h);
		return;
	}
	report = malloc(h.in_len ? h.in_len : 1);
	quote = malloc(size - TDX_QUOTE_HDR_LEN);
	if (!report || !quote ||
	    guest_mem_read(&vm->mem, gpa + TDX_QUOTE_HDR_LEN, report, h.in_len)) {
		h.status = TDX_QUOTE_ERROR;
		goto done;
	}
	h.status = TDX_QUOTE_IN_FLIGHT;
	write_quote_hdr(vm, gpa, &h);
	ret = qgs_get_quote(qgs, report, h.in_len, quote, size - TDX_QUOTE_HDR_LEN,
			    &quote_len, QGS_TIMEOUT_MS, &vm->stopping);
	if (!ret && !guest_mem_write(&vm->mem, gpa + TDX_QUOTE_HDR_LEN, quote, quote_len)) {
		h.status = TDX_QUOTE_SUCCESS;
		h.out_len = (uint32_t)quote_len;
	} else {
		h.status = ret == -ECONNREFUSED || ret == -ENOENT ? TDX_QUOTE_QGS_UNAVAILABLE :
			   TDX_QUOTE_ERROR;
		log_warn(qgs, "GetQuote: %s", strerror(-ret));
	}
done:
	write_quote_hdr(vm, gpa, &h);
	free(report);
	free(quote);
	notify(c);
}

static int handle_tdx(struct vcpu *v)
{
	struct vm_coco *c = v->vm->coco;
	struct cvmm_kvm_tdx_exit *t = kvm_run_tdx(v->kvm.run);
	uint64_t vector;

	switch (t->nr) {
	case TDVMCALL_GET_QUOTE:
		handle_get_quote(v, t);
		break;
	case TDVMCALL_GET_TD_VM_CALL_INFO:
		if (t->get_tdvmcall_info.leaf != 1)
			break;
		t->get_tdvmcall_info.r11 = (c->k.tdx_caps.user_tdvmcallinfo_1_r11 &
					    (TDVMCALLINFO_GET_QUOTE |
					     TDVMCALLINFO_SETUP_EVENT_NOTIFY_INTERRUPT)) |
					   c->k.tdx_caps.kernel_tdvmcallinfo_1_r11;
		t->get_tdvmcall_info.r12 = c->k.tdx_caps.kernel_tdvmcallinfo_1_r12;
		t->get_tdvmcall_info.r13 = 0;
		t->get_tdvmcall_info.r14 = 0;
		t->get_tdvmcall_info.ret = TDVMCALL_STATUS_SUCCESS;
		break;
	case TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT:
		vector = t->setup_event_notify.vector;
		if (vector < 32 || vector > 255) {
			t->setup_event_notify.ret = TDVMCALL_STATUS_INVALID_OPERAND;
			break;
		}
		pthread_mutex_lock(&c->lock);
		c->notify_set = true;
		c->notify_vector = (uint32_t)vector;
		c->notify_apic = v->index;	/* APIC ID = vCPU index */
		pthread_mutex_unlock(&c->lock);
		t->setup_event_notify.ret = TDVMCALL_STATUS_SUCCESS;
		break;
	default:
		/* KVM preset the "unsupported" answer in t->unknown.ret */
		break;
	}
	return 1;
}

int vm_coco_handle_exit(struct vcpu *v, int run_ret)
{
	struct vm_coco *c = v->vm->coco;
	struct kvm_run *run = v->kvm.run;

	if (!c)
		return 0;
	if (run_ret == -EFAULT)
		return run->exit_reason == KVM_EXIT_MEMORY_FAULT ? handle_memory_fault(v) : 0;
	switch (run->exit_reason) {
	case KVM_EXIT_HYPERCALL:
		if (run->hypercall.nr == KVM_HC_MAP_GPA_RANGE)
			return handle_map_gpa_range(v);
		run->hypercall.ret = (uint64_t)(int64_t)-KVM_ENOSYS;
		return 1;
	case KVM_EXIT_MEMORY_FAULT:
		return handle_memory_fault(v);
	case KVM_EXIT_TDX:
		return handle_tdx(v);
	case KVM_EXIT_IOAPIC_EOI:
		if (!c->have_ioapic)
			return 0;
		ioapic_eoi(&c->ioapic, run->eoi.vector);
		return 1;
	}
	return 0;
}

void vm_coco_guest_fatal(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	uint32_t i, ndata = run->system_event.ndata;
	uint64_t data[16];
	char why[400];

	if (ndata > 16)
		ndata = 16;
	for (i = 0; i < ndata; i++)
		data[i] = run->system_event.data[i];
	if (run->system_event.type == KVM_SYSTEM_EVENT_TDX_FATAL)
		coco_describe_tdx_fatal(data, ndata, why, sizeof(why));
	else
		coco_describe_sev_term(data, ndata, why, sizeof(why));
	vm_stop(v->vm, VM_GUEST_FATAL, EXIT_GUEST_FATAL, "vCPU %u: %s", v->index, why);
}

void vm_coco_destroy(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	unsigned int i;

	if (!c)
		return;
	if (c->have_ioapic) {
		vm->irq_route = NULL;
		ioapic_destroy(&c->ioapic);
	}
	if (c->own_sev_fd && c->k.sev_fd >= 0)
		close(c->k.sev_fd);
	coco_kvm_release(&c->k);
	plan_free(c->plan);
	for (i = 0; i < c->nr_attrs; i++)
		free(c->attrs[i].bits);
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
	struct sim_config sc = { .platform = m->cfg->coco.type };
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

int machine_coco_dry_run_report(struct vm *vm)
{
	struct vm_coco *c = vm->coco;
	struct sim *s = sim_of(&vm->machine->kvm);
	struct plan_digest want;
	struct sim_launch got;
	char hex[2 * 64 + 1];
	int ret;

	if (!c || !s)
		return -EINVAL;
	plan_print(c->plan, stdout);
	ret = plan_measure(c->plan, NULL, &want);
	if (ret)
		return log_errno("--dry-run", ret);
	if (sim_vm_launch(s, vm->kvm.fd, &got)) {
		log_err("--dry-run", "the simulated platform did not finish the launch");
		return -EIO;
	}
	if (got.len != want.len || memcmp(got.digest, want.d, want.len)) {
		char hw[2 * 48 + 1];

		hex_encode(got.digest, got.len, hex);
		hex_encode(want.d, want.len, hw);
		log_err("--dry-run", "the simulated platform measured %s, the plan predicts %s",
			hex, hw);
		return -EIO;
	}
	if (c->k.sev_measurement_len) {
		hex_encode(c->k.sev_measurement, c->k.sev_measurement_len, hex);
		printf("launch-measure: %s\n", hex);
	}
	hex_encode(got.digest, got.len, hex);
	printf("measurement: %s\n", hex);
	fflush(stdout);
	return 0;
}
