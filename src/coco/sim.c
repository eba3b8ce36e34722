// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's KVM: /dev/kvm, VMs, vCPUs, memslots, memory
 * attributes, guest_memfd, irqchip, CPUID, MSRs, registers and scripted
 * KVM_RUN.  The PSP lives in sim_sev.c, the TDX module in sim_tdx.c.
 * Each rule cites the kernel code it mirrors; refusals set the same
 * -errno and a clause for sim_last_error().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "coco/sim_internal.h"
#include "util/compiler.h"
#include "util/log.h"

#define KVM_MAX_VCPU_IDS		1024
#define MAX_RESERVED_IOAPIC_PINS	48
#define EFER_SVME			(1ULL << 12)
#define CR0_NW				(1ULL << 29)
#define CR0_CD				(1ULL << 30)
#define CR4_MCE				(1ULL << 6)
#define MSR_IA32_CR_PAT			0x277
#define PAT_DEFAULT			0x0007040600070406ULL
#define RUN_UNION_OFF			offsetof(struct kvm_run, mmio)

int sim_fail(struct sim *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	/* -v shows why the simulated platform refused a call */
	log_info("simulated platform: %s (%s)", s->error, strerror(-err));
	return err;
}

/* ------------------------------------------------------------------ */
/* objects: every handle is a real fd (a memfd) */

static int obj_new(struct sim *s, enum sim_kind kind, void *p, const char *name)
{
	struct sim_obj *n;
	int fd;

	if (s->nr_objs == s->cap_objs) {
		unsigned int cap = s->cap_objs ? 2 * s->cap_objs : 16;

		n = realloc(s->objs, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->objs = n;
		s->cap_objs = cap;
	}
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	s->objs[s->nr_objs++] = (struct sim_obj){ .fd = fd, .kind = kind, .p = p };
	return fd;
}

static struct sim_obj *obj_find(struct sim *s, int fd)
{
	unsigned int i;

	for (i = 0; i < s->nr_objs; i++)
		if (s->objs[i].fd == fd)
			return &s->objs[i];
	return NULL;
}

static void obj_del(struct sim *s, int fd)
{
	unsigned int i;

	for (i = 0; i < s->nr_objs; i++) {
		if (s->objs[i].fd == fd) {
			close(fd);
			s->objs[i] = s->objs[--s->nr_objs];
			return;
		}
	}
}

/* ------------------------------------------------------------------ */
/* ranges */

bool sim_ranges_covers(const struct sim_ranges *r, uint64_t start, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < r->n && start < end; i++) {
		if (r->r[i][1] <= start)
			continue;
		if (r->r[i][0] > start)
			return false;
		start = r->r[i][1];
	}
	return start >= end;
}

bool sim_ranges_overlaps(const struct sim_ranges *r, uint64_t start, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < r->n; i++)
		if (r->r[i][0] < end && start < r->r[i][1])
			return true;
	return false;
}

int sim_ranges_set(struct sim_ranges *r, uint64_t start, uint64_t end, bool on)
{
	uint64_t (*n)[2];
	unsigned int i, k = 0;

	n = malloc((r->n + 2) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (i = 0; i < r->n; i++) {
		uint64_t a = r->r[i][0], b = r->r[i][1];

		if (b <= start || a >= end) {
			n[k][0] = a;
			n[k++][1] = b;
			continue;
		}
		if (on) {
			/* merge into the new range */
			start = MIN(start, a);
			end = MAX(end, b);
			continue;
		}
		if (a < start) {
			n[k][0] = a;
			n[k++][1] = start;
		}
		if (b > end) {
			n[k][0] = end;
			n[k++][1] = b;
		}
	}
	if (on) {
		/* insert sorted, merging with touching neighbours */
		unsigned int j;

		for (j = 0; j < k && n[j][0] < start; j++)
			;
		memmove(&n[j + 1], &n[j], (k - j) * sizeof(*n));
		n[j][0] = start;
		n[j][1] = end;
		k++;
		for (j = 0; j + 1 < k;) {
			if (n[j][1] >= n[j + 1][0]) {
				n[j][1] = MAX(n[j][1], n[j + 1][1]);
				memmove(&n[j + 1], &n[j + 2], (k - j - 2) * sizeof(*n));
				k--;
			} else {
				j++;
			}
		}
	}
	free(r->r);
	r->r = n;
	r->n = k;
	return 0;
}

void sim_ranges_free(struct sim_ranges *r)
{
	free(r->r);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------------ */
/* lifetime */

int sim_create(const struct sim_config *cfg, struct sim **out)
{
	struct sim *s = calloc(1, sizeof(*s));
	int fd;

	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	s->refs = 1;
	s->cfg = *cfg;
	s->eagain_left = cfg->eagain;
	s->next_handle = 1;
	s->dev_fd = s->sev_fd = -1;
	s->supported = sim_cpuid_supported(cfg->platform);
	fd = s->supported ? obj_new(s, SIM_DEV, NULL, "cvmm-sim-kvm") : -ENOMEM;
	if (fd < 0)
		goto fail;
	s->dev_fd = fd;
	if (cfg->platform != COCO_TDX) {
		fd = obj_new(s, SIM_SEV_DEV, NULL, "cvmm-sim-sev");
		if (fd < 0)
			goto fail;
		s->sev_fd = fd;
	}
	*out = s;
	return 0;
fail:
	sim_put(s);
	return fd;
}

void sim_get(struct sim *s)
{
	pthread_mutex_lock(&s->lock);
	s->refs++;
	pthread_mutex_unlock(&s->lock);
}

static void vm_free(struct sim_vm *vm)
{
	sim_sev_free(vm);
	sim_tdx_free(vm);
	sim_ranges_free(&vm->private);
	sim_ranges_free(&vm->launched);
	free(vm);
}

static void vm_put(struct sim_vm *vm)
{
	if (--vm->refs == 0)
		vm_free(vm);
}

static void vcpu_free(struct sim_vcpu *v)
{
	munmap(v->run, SIM_RUN_SIZE);
	free(v->cpuid);
	free(v);
}

static void obj_release(struct sim *s, struct sim_obj *o)
{
	struct sim_vcpu *v;
	struct sim_gmem *g;
	struct sim_vm *vm;
	unsigned int i;

	switch (o->kind) {
	case SIM_VM:
		vm = o->p;
		vm->fd = -1;
		vm_put(vm);
		break;
	case SIM_VCPU:
		v = o->p;
		vm = v->vm;
		for (i = 0; i < vm->nr_vcpus; i++)
			if (vm->vcpus[i] == v)
				vm->vcpus[i] = NULL;
		vcpu_free(v);
		vm_put(vm);
		break;
	case SIM_GMEM:
		g = o->p;
		vm = g->vm;
		/* kvm_gmem_release(): bindings die with the file */
		for (i = 0; i < SIM_MAX_SLOTS; i++)
			if (vm->slots[i].used && vm->slots[i].gmem == g)
				vm->slots[i].gmem = SIM_SLOT_GMEM_CLOSED;
		free(g);
		vm_put(vm);
		break;
	case SIM_DEV:
	case SIM_SEV_DEV:
		break;
	}
}

void sim_put(struct sim *s)
{
	bool last;

	pthread_mutex_lock(&s->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	/* objects the VMM never closed (it should have: tests count them) */
	while (s->nr_objs) {
		struct sim_obj o = s->objs[s->nr_objs - 1];

		obj_release(s, &o);
		obj_del(s, o.fd);
	}
	free(s->objs);
	free(s->supported);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void sim_install(struct sim *s, struct kvm_sys *sys)
{
	sim_get(s);
	kvm_sys_init_ops(sys, &sim_kvm_ops, s, s->dev_fd, SIM_RUN_SIZE);
}

struct sim *sim_of(const struct kvm_sys *sys)
{
	return sys && sys->ops == &sim_kvm_ops ? sys->priv : NULL;
}

int sim_sev_fd(struct sim *s)
{
	return s->sev_fd;
}

/* ------------------------------------------------------------------ */
/* queries */

unsigned int sim_nr_launches(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_launches;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int sim_launch_get(struct sim *s, unsigned int i, struct sim_launch *out)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->nr_launches) {
		*out = s->launches[i];
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static struct sim_vm *vm_by_fd(struct sim *s, int fd)
{
	struct sim_obj *o = obj_find(s, fd);

	return o && o->kind == SIM_VM ? o->p : NULL;
}

int sim_vm_launch(struct sim *s, int vm_fd, struct sim_launch *out)
{
	struct sim_vm *vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	vm = vm_by_fd(s, vm_fd);
	if (vm && vm->finished) {
		*out = vm->rec;
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_nr_objects(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_objs;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sim_last_error(struct sim *s, char *buf, size_t len)
{
	pthread_mutex_lock(&s->lock);
	snprintf(buf, len, "%s", s->error);
	pthread_mutex_unlock(&s->lock);
}

int sim_vm_private(struct sim *s, int vm_fd, uint64_t gpa)
{
	struct sim_vm *vm;
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	vm = vm_by_fd(s, vm_fd);
	if (vm)
		ret = sim_ranges_covers(&vm->private, gpa, gpa + 1);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int sim_gmem_read(struct sim *s, int gmem_fd, uint64_t offset, void *buf, size_t len)
{
	struct sim_obj *o;
	ssize_t n;
	int ret;

	pthread_mutex_lock(&s->lock);
	o = obj_find(s, gmem_fd);
	if (!o || o->kind != SIM_GMEM) {
		ret = -EBADF;
	} else {
		n = pread(gmem_fd, buf, len, (off_t)offset);
		if (n >= 0 && (size_t)n < len)
			memset((uint8_t *)buf + n, 0, len - (size_t)n);
		ret = n < 0 ? -errno : 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

int sim_script_push(struct sim *s, const struct sim_exit *e)
{
	int ret = -ENOSPC;

	pthread_mutex_lock(&s->lock);
	if (s->script_len < SIM_MAX_SCRIPT) {
		s->script[s->script_len] = *e;
		s->replied[s->script_len] = false;
		s->script_len++;
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_script_left(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->script_len - s->script_next;
	pthread_mutex_unlock(&s->lock);
	return n;
}

void sim_exit_system_event(struct sim_exit *e, unsigned int vcpu, uint32_t type)
{
	memset(e, 0, sizeof(*e));
	e->vcpu = vcpu;
	e->reason = KVM_EXIT_SYSTEM_EVENT;
	memcpy(e->data, &type, sizeof(type));
}

int sim_script_reply(struct sim *s, unsigned int i, uint8_t data[256])
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->script_len && s->replied[i]) {
		memcpy(data, s->replies[i], 256);
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

unsigned int sim_nr_msis(struct sim *s)
{
	unsigned int n;

	pthread_mutex_lock(&s->lock);
	n = s->nr_msis;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int sim_msi_get(struct sim *s, unsigned int i, uint64_t *address, uint32_t *data)
{
	int ret = -ENOENT;

	pthread_mutex_lock(&s->lock);
	if (i < s->nr_msis && i < SIM_MAX_MSIS) {
		*address = s->msi_addr[i];
		*data = s->msi_data[i];
		ret = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* helpers for the PSP and TDX models */

const struct sim_slot *sim_slot_find(const struct sim_vm *vm, uint64_t gpa)
{
	unsigned int i;

	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *sl = &vm->slots[i];

		if (sl->used && gpa >= sl->gpa && gpa - sl->gpa < sl->size)
			return sl;
	}
	return NULL;
}

const uint8_t *sim_user_ptr(const struct sim_vm *vm, uint64_t uaddr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *sl = &vm->slots[i];

		if (sl->used && range_within(uaddr, len, sl->uaddr, sl->size))
			return (const uint8_t *)(uintptr_t)uaddr;
	}
	return NULL;
}

int sim_gmem_write(const struct sim_slot *slot, uint64_t gpa, const void *buf, size_t len)
{
	ssize_t n;

	if (!slot->gmem || slot->gmem == SIM_SLOT_GMEM_CLOSED)
		return -EFAULT;
	n = pwrite(slot->gmem->fd, buf, len, (off_t)(slot->gmem_off + (gpa - slot->gpa)));
	return n == (ssize_t)len ? 0 : -EIO;
}

void sim_record_launch(struct sim_vm *vm, const uint8_t *digest, size_t len)
{
	struct sim *s = vm->sim;

	vm->rec.vm_fd = vm->fd;
	vm->rec.len = len;
	memcpy(vm->rec.digest, digest, len);
	vm->finished = true;
	if (s->nr_launches == SIM_MAX_LAUNCHES) {
		memmove(&s->launches[0], &s->launches[1],
			(SIM_MAX_LAUNCHES - 1) * sizeof(s->launches[0]));
		s->nr_launches--;
	}
	s->launches[s->nr_launches++] = vm->rec;
}

static uint16_t seg_attrib(const struct kvm_segment *s)
{
	if (s->unusable)
		return 0;
	return (uint16_t)((s->type & 0xf) | (s->s & 1) << 4 | (s->dpl & 3) << 5 |
			  (s->present & 1) << 7 | (s->avl & 1) << 8 | (s->l & 1) << 9 |
			  (s->db & 1) << 10 | (s->g & 1) << 11);
}

static void seg_to_vmsa(const struct kvm_segment *s, struct vmsa_seg *d)
{
	d->selector = s->selector;
	d->attrib = seg_attrib(s);
	d->limit = s->limit;
	d->base = s->base;
}

bool sim_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

int sim_vcpu_vmsa(const struct sim_vcpu *v, uint8_t page[VMSA_PAGE_SIZE])
{
	const struct sim_vm *vm = v->vm;
	const struct kvm_sregs *sr = &v->sregs;
	const struct kvm_regs *r = &v->regs;
	struct vmsa_state st;

	/* what struct vmsa_state cannot hold must be zero */
	if (r->r8 | r->r9 | r->r10 | r->r11 | r->r12 | r->r13 | r->r14 | r->r15)
		return sim_fail(vm->sim, -EINVAL, "the simulator models no R8-R15 in a VMSA");
	memset(&st, 0, sizeof(st));
	seg_to_vmsa(&sr->es, &st.seg[VMSA_ES]);
	seg_to_vmsa(&sr->cs, &st.seg[VMSA_CS]);
	seg_to_vmsa(&sr->ss, &st.seg[VMSA_SS]);
	seg_to_vmsa(&sr->ds, &st.seg[VMSA_DS]);
	seg_to_vmsa(&sr->fs, &st.seg[VMSA_FS]);
	seg_to_vmsa(&sr->gs, &st.seg[VMSA_GS]);
	seg_to_vmsa(&sr->ldt, &st.seg[VMSA_LDTR]);
	seg_to_vmsa(&sr->tr, &st.seg[VMSA_TR]);
	st.seg[VMSA_GDTR].base = sr->gdt.base;
	st.seg[VMSA_GDTR].limit = sr->gdt.limit;
	st.seg[VMSA_IDTR].base = sr->idt.base;
	st.seg[VMSA_IDTR].limit = sr->idt.limit;
	/* svm_set_efer(): SVME; svm_set_cr0(): CD/NW quirk; svm_set_cr4(): host MCE */
	st.efer = sr->efer | EFER_SVME;
	st.cr0 = sr->cr0 & ~(CR0_CD | CR0_NW);
	st.cr2 = sr->cr2;
	st.cr3 = sr->cr3;
	st.cr4 = sr->cr4 | CR4_MCE;
	st.dr6 = 0xffff0ff0;
	st.dr7 = 0x400;
	st.rflags = r->rflags;
	st.rip = r->rip;
	st.rax = r->rax;
	st.rbx = r->rbx;
	st.rcx = r->rcx;
	st.rdx = r->rdx;
	st.rsi = r->rsi;
	st.rdi = r->rdi;
	st.rbp = r->rbp;
	st.rsp = r->rsp;
	st.g_pat = v->pat;
	st.xcr0 = v->xcr0;
	st.sev_features = vm->vmsa_features;
	/* sev_es_sync_vmsa(): FPU state only for the INIT2 VM types */
	if (vm->type != KVM_X86_DEFAULT_VM) {
		if (v->fpu.fsw || v->fpu.ftwx || v->fpu.last_opcode || v->fpu.last_ip ||
		    v->fpu.last_dp || !sim_all_zero(v->fpu.fpr, sizeof(v->fpu.fpr)) ||
		    !sim_all_zero(v->fpu.xmm, sizeof(v->fpu.xmm)))
			return sim_fail(vm->sim, -EINVAL, "the simulator models only FCW and "
					"MXCSR of a VMSA's FPU state");
		st.mxcsr = v->fpu.mxcsr;
		st.x87_fcw = v->fpu.fcw;
	}
	vmsa_build(&st, page);
	return 0;
}

/* ------------------------------------------------------------------ */
/* /dev/kvm */

static uint64_t vm_types(const struct sim *s)
{
	if (s->cfg.vm_types)
		return s->cfg.vm_types;
	if (s->cfg.platform == COCO_TDX)
		return 1u << KVM_X86_DEFAULT_VM | 1u << KVM_X86_SW_PROTECTED_VM |
		       1u << KVM_X86_TDX_VM;
	return 1u << KVM_X86_DEFAULT_VM | 1u << KVM_X86_SW_PROTECTED_VM |
	       1u << KVM_X86_SEV_VM | 1u << KVM_X86_SEV_ES_VM | 1u << KVM_X86_SNP_VM;
}

static int check_extension(struct sim *s, const struct sim_vm *vm, long cap)
{
	switch (cap) {
	case KVM_CAP_IMMEDIATE_EXIT:
	case KVM_CAP_TSC_DEADLINE_TIMER:
	case KVM_CAP_USER_MEMORY2:
	case KVM_CAP_SPLIT_IRQCHIP:
	case KVM_CAP_IRQCHIP:
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:
	case KVM_CAP_VM_TSC_CONTROL:
	case KVM_CAP_IRQ_ROUTING:
	case KVM_CAP_SIGNAL_MSI:
	case KVM_CAP_IRQFD:
	case KVM_CAP_IOEVENTFD:
	case KVM_CAP_MEMORY_FAULT_INFO:
	case KVM_CAP_SET_TSS_ADDR:
		return 1;
	case KVM_CAP_MAX_VCPUS:
	case KVM_CAP_NR_VCPUS:
		return SIM_MAX_VCPUS;
	case KVM_CAP_VM_TYPES:
		return s->cfg.no_vm_types ? 0 : (int)vm_types(s);
	case KVM_CAP_GUEST_MEMFD:
		return !vm || vm->has_private_mem;
	case KVM_CAP_MEMORY_ATTRIBUTES:
		return vm && vm->has_private_mem ? (int)KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
	case KVM_CAP_EXIT_HYPERCALL:
		return 1 << KVM_HC_MAP_GPA_RANGE;
	case KVM_CAP_X2APIC_API:
		return 3;
	case KVM_CAP_READONLY_MEM:
		return !vm || !vm->has_protected_state;
	}
	return 0;
}

static int dev_get_supported_cpuid(struct sim *s, struct kvm_cpuid2 *c)
{
	if (c->nent < s->supported->nent) {
		c->nent = s->supported->nent;
		return -E2BIG;
	}
	c->nent = s->supported->nent;
	memcpy(c->entries, s->supported->entries, c->nent * sizeof(c->entries[0]));
	return 0;
}

static int dev_create_vm(struct sim *s, unsigned long type)
{
	struct sim_vm *vm;
	int fd;

	if (type > KVM_X86_TDX_VM || !(vm_types(s) & (1ULL << type)) ||
	    (s->cfg.no_vm_types && type != KVM_X86_DEFAULT_VM))
		return sim_fail(s, -EINVAL, "KVM_CREATE_VM: VM type %lu is not offered", type);
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->sim = s;
	vm->refs = 1;
	vm->type = type;
	vm->has_private_mem = type == KVM_X86_SW_PROTECTED_VM || type == KVM_X86_SNP_VM ||
			      type == KVM_X86_TDX_VM;
	vm->has_protected_state = type == KVM_X86_SEV_ES_VM || type == KVM_X86_SNP_VM ||
				  type == KVM_X86_TDX_VM;
	vm->sev_need_init = type == KVM_X86_SEV_VM || type == KVM_X86_SEV_ES_VM ||
			    type == KVM_X86_SNP_VM;
	vm->tsc_khz = SIM_TSC_KHZ;
	vm->apic_bus_ns = 1;
	fd = obj_new(s, SIM_VM, vm, "cvmm-sim-vm");
	if (fd < 0) {
		free(vm);
		return fd;
	}
	vm->fd = fd;
	vm->rec.type = type == KVM_X86_TDX_VM ? COCO_TDX : COCO_NONE;
	return fd;
}

static int dev_get_device_attr(struct sim *s, struct kvm_device_attr *a)
{
	uint64_t v;

	if (s->cfg.platform == COCO_TDX || a->group != KVM_X86_GRP_SEV ||
	    a->attr != KVM_X86_SEV_VMSA_FEATURES)
		return -ENXIO;
	v = SIM_VMSA_FEATURES;
	memcpy((void *)(uintptr_t)a->addr, &v, sizeof(v));
	return 0;
}

static int dev_ioctl(struct sim *s, unsigned long req, void *arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		return KVM_API_VERSION;
	case KVM_GET_VCPU_MMAP_SIZE:
		return SIM_RUN_SIZE;
	case KVM_CHECK_EXTENSION:
		return check_extension(s, NULL, (long)(uintptr_t)arg);
	case KVM_GET_SUPPORTED_CPUID:
		return dev_get_supported_cpuid(s, arg);
	case KVM_CREATE_VM:
		return dev_create_vm(s, (unsigned long)(uintptr_t)arg);
	case KVM_GET_DEVICE_ATTR:
		return dev_get_device_attr(s, arg);
	}
	return -ENOTTY;
}

/* ------------------------------------------------------------------ */
/* VM */

static int vm_enable_cap(struct sim_vm *vm, const struct kvm_enable_cap *c)
{
	struct sim *s = vm->sim;

	if (c->flags)
		return -EINVAL;
	switch (c->cap) {
	case KVM_CAP_SPLIT_IRQCHIP:
		if (c->args[0] > MAX_RESERVED_IOAPIC_PINS)
			return sim_fail(s, -EINVAL, "KVM_CAP_SPLIT_IRQCHIP: %llu pins",
					(unsigned long long)c->args[0]);
		if (vm->irqchip != IRQCHIP_NONE)
			return sim_fail(s, -EEXIST, "KVM_CAP_SPLIT_IRQCHIP: an irqchip exists");
		if (vm->nr_vcpus)
			return sim_fail(s, -EINVAL, "KVM_CAP_SPLIT_IRQCHIP after KVM_CREATE_VCPU");
		vm->irqchip = IRQCHIP_SPLIT;
		return 0;
	case KVM_CAP_EXIT_HYPERCALL:
		if (c->args[0] & ~(1ULL << KVM_HC_MAP_GPA_RANGE))
			return sim_fail(s, -EINVAL, "KVM_CAP_EXIT_HYPERCALL 0x%llx",
					(unsigned long long)c->args[0]);
		vm->exit_hypercall = c->args[0];
		return 0;
	case KVM_CAP_X86_APIC_BUS_CYCLES_NS:
		if (!c->args[0] || c->args[0] > UINT64_MAX / (128ULL * UINT32_MAX))
			return sim_fail(s, -EINVAL, "KVM_CAP_X86_APIC_BUS_CYCLES_NS %llu",
					(unsigned long long)c->args[0]);
		if (vm->nr_vcpus)
			return sim_fail(s, -EINVAL, "KVM_CAP_X86_APIC_BUS_CYCLES_NS after "
					"KVM_CREATE_VCPU");
		vm->apic_bus_ns = c->args[0];
		return 0;
	case KVM_CAP_X2APIC_API:
		return c->args[0] & ~3ULL ? -EINVAL : 0;
	}
	return sim_fail(s, -EINVAL, "KVM_ENABLE_CAP %u is not simulated", c->cap);
}

static int vm_set_memslot(struct sim_vm *vm, uint32_t slot, uint32_t flags, uint64_t gpa,
			  uint64_t size, uint64_t uaddr, bool v2, uint32_t gmem_fd,
			  uint64_t gmem_off)
{
	struct sim *s = vm->sim;
	uint32_t valid = KVM_MEM_LOG_DIRTY_PAGES;
	struct sim_gmem *g = NULL;
	struct sim_slot *sl;
	unsigned int i;

	/* check_memory_region_flags() */
	if (v2 && vm->has_private_mem)
		valid |= KVM_MEM_GUEST_MEMFD;
	if (flags & KVM_MEM_GUEST_MEMFD)
		valid &= ~KVM_MEM_LOG_DIRTY_PAGES;
	else if (!vm->has_protected_state)	/* kvm_arch_has_readonly_mem() */
		valid |= KVM_MEM_READONLY;
	if (flags & ~valid)
		return sim_fail(s, -EINVAL, "memslot %u: flags 0x%x not allowed on VM type %lu",
				slot, flags, vm->type);
	if (slot >> 16 || (slot & 0xffff) >= SIM_MAX_SLOTS)
		return sim_fail(s, -EINVAL, "memslot %u out of range", slot);
	if ((gpa | size | uaddr) & (SIM_PAGE - 1) || range_overflows(gpa, size) ||
	    ((flags & KVM_MEM_GUEST_MEMFD) && (gmem_off & (SIM_PAGE - 1))))
		return sim_fail(s, -EINVAL, "memslot %u: not page aligned", slot);
	sl = &vm->slots[slot];
	if (!size) {
		if (!sl->used)
			return sim_fail(s, -EINVAL, "memslot %u: deleting a slot that does "
					"not exist", slot);
		memset(sl, 0, sizeof(*sl));
		return 0;
	}
	if (sl->used) {
		if ((sl->flags | flags) & KVM_MEM_GUEST_MEMFD)
			return sim_fail(s, -EINVAL, "memslot %u: guest_memfd slots are "
					"immutable", slot);
		if (sl->gpa != gpa || sl->size != size)
			return sim_fail(s, -EINVAL, "memslot %u: moving a slot is not "
					"simulated", slot);
		sl->flags = flags;
		sl->uaddr = uaddr;
		return 0;
	}
	for (i = 0; i < SIM_MAX_SLOTS; i++) {
		const struct sim_slot *o = &vm->slots[i];

		if (o->used && gpa < o->gpa + o->size && o->gpa < gpa + size)
			return sim_fail(s, -EEXIST, "memslot %u overlaps memslot %u", slot, i);
	}
	if (flags & KVM_MEM_GUEST_MEMFD) {
		/* kvm_gmem_bind() */
		struct sim_obj *o = obj_find(s, (int)gmem_fd);

		if (!o)
			return sim_fail(s, -EBADF, "memslot %u: guest_memfd %u is not open",
					slot, gmem_fd);
		g = o->kind == SIM_GMEM ? o->p : NULL;
		if (!g || g->vm != vm)
			return sim_fail(s, -EINVAL, "memslot %u: fd %u is not a guest_memfd "
					"of this VM", slot, gmem_fd);
		if (gmem_off + size > g->size || gmem_off + size < gmem_off)
			return sim_fail(s, -EINVAL, "memslot %u: guest_memfd offset 0x%llx + "
					"0x%llx beyond its size 0x%llx", slot,
					(unsigned long long)gmem_off, (unsigned long long)size,
					(unsigned long long)g->size);
		for (i = 0; i < SIM_MAX_SLOTS; i++) {
			const struct sim_slot *o2 = &vm->slots[i];

			if (o2->used && o2->gmem == g && gmem_off < o2->gmem_off + o2->size &&
			    o2->gmem_off < gmem_off + size)
				return sim_fail(s, -EINVAL, "memslot %u: guest_memfd range "
						"already bound to memslot %u", slot, i);
		}
	}
	*sl = (struct sim_slot){
		.used = true, .id = slot, .flags = flags, .gpa = gpa, .size = size,
		.uaddr = uaddr, .gmem = g, .gmem_off = gmem_off,
	};
	return 0;
}

static int vm_set_attributes(struct sim_vm *vm, const struct kvm_memory_attributes *a)
{
	struct sim *s = vm->sim;
	uint64_t supported = vm->has_private_mem ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;

	/* kvm_vm_ioctl_set_mem_attributes() */
	if (a->flags)
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: flags 0x%llx",
				(unsigned long long)a->flags);
	if (a->attributes & ~supported)
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: attributes 0x%llx on "
				"VM type %lu", (unsigned long long)a->attributes, vm->type);
	if (!a->size || range_overflows(a->address, a->size))
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: empty or wrapping range");
	if ((a->address | a->size) & (SIM_PAGE - 1))
		return sim_fail(s, -EINVAL, "KVM_SET_MEMORY_ATTRIBUTES: 0x%llx+0x%llx is not "
				"page aligned", (unsigned long long)a->address,
				(unsigned long long)a->size);
	return sim_ranges_set(&vm->private, a->address, a->address + a->size,
			      a->attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE);
}

static int vm_create_gmem(struct sim_vm *vm, const struct kvm_create_guest_memfd *c)
{
	struct sim *s = vm->sim;
	struct sim_gmem *g;
	int fd;

	if (!vm->has_private_mem)
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD on VM type %lu", vm->type);
	if (c->flags || !sim_all_zero(c->reserved, sizeof(c->reserved)))
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD: flags 0x%llx",
				(unsigned long long)c->flags);
	if (!c->size || (c->size & (SIM_PAGE - 1)) || c->size > (1ULL << 52))
		return sim_fail(s, -EINVAL, "KVM_CREATE_GUEST_MEMFD: size 0x%llx",
				(unsigned long long)c->size);
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	fd = obj_new(s, SIM_GMEM, g, "cvmm-sim-gmem");
	if (fd < 0) {
		free(g);
		return fd;
	}
	if (ftruncate(fd, (off_t)c->size) < 0) {
		int err = -errno;

		obj_del(s, fd);
		free(g);
		return err;
	}
	g->fd = fd;
	g->vm = vm;
	g->size = c->size;
	vm->refs++;
	return fd;
}

static void reset_segment(struct kvm_segment *s, uint16_t sel, uint64_t base, uint8_t type,
			  uint8_t code_data)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = base;
	s->limit = 0xffff;
	s->type = type;
	s->present = 1;
	s->s = code_data;
}

/* kvm_vcpu_reset() + init_vmcb(): the state userspace reads before changing it */
static void vcpu_reset(struct sim_vcpu *v)
{
	struct kvm_sregs *sr = &v->sregs;

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = 0xfff0;
	v->regs.rflags = 0x2;
	v->regs.rdx = 0x600;
	memset(sr, 0, sizeof(*sr));
	reset_segment(&sr->cs, 0xf000, 0xffff0000, 0xb, 1);
	reset_segment(&sr->ds, 0, 0, 0x3, 1);
	reset_segment(&sr->es, 0, 0, 0x3, 1);
	reset_segment(&sr->fs, 0, 0, 0x3, 1);
	reset_segment(&sr->gs, 0, 0, 0x3, 1);
	reset_segment(&sr->ss, 0, 0, 0x3, 1);
	reset_segment(&sr->ldt, 0, 0, 0x2, 0);
	reset_segment(&sr->tr, 0, 0, 0xb, 0);
	sr->gdt.limit = 0xffff;
	sr->idt.limit = 0xffff;
	sr->cr0 = 0x60000010;
	sr->apic_base = 0xfee00800 | (v->index == 0 ? 0x100 : 0);
	memset(&v->fpu, 0, sizeof(v->fpu));
	v->fpu.fcw = 0x37f;
	v->fpu.mxcsr = 0x1f80;
	v->xcr0 = 1;
	v->pat = PAT_DEFAULT;
}

static int vm_create_vcpu(struct sim_vm *vm, unsigned long id)
{
	struct sim *s = vm->sim;
	struct sim_vcpu *v;
	unsigned int i;
	int fd;

	if (id >= KVM_MAX_VCPU_IDS || vm->nr_vcpus >= SIM_MAX_VCPUS)
		return sim_fail(s, -EINVAL, "KVM_CREATE_VCPU %lu: out of range", id);
	for (i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i] && vm->vcpus[i]->id == id)
			return sim_fail(s, -EEXIST, "KVM_CREATE_VCPU %lu: exists", id);
	if (vm->type == KVM_X86_TDX_VM) {
		/* tdx_vcpu_create() */
		if (vm->td != TD_INITIALIZED)
			return sim_fail(s, -EIO, "KVM_CREATE_VCPU before KVM_TDX_INIT_VM");
		if (vm->irqchip != IRQCHIP_SPLIT)
			return sim_fail(s, -EINVAL, "KVM_CREATE_VCPU: TDX needs the split irqchip");
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vm = vm;
	v->id = (uint32_t)id;
	v->index = vm->nr_vcpus;
	v->script_index = -1;
	v->run = mmap(NULL, SIM_RUN_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (v->run == MAP_FAILED) {
		free(v);
		return -ENOMEM;
	}
	vcpu_reset(v);
	if (vm->type == KVM_X86_TDX_VM) {
		v->fpu_confidential = true;
		v->protected_state = !(vm->td_attr & 1);	/* ATTR.DEBUG */
	}
	fd = obj_new(s, SIM_VCPU, v, "cvmm-sim-vcpu");
	if (fd < 0) {
		vcpu_free(v);
		return fd;
	}
	v->fd = fd;
	vm->vcpus[vm->nr_vcpus++] = v;
	vm->refs++;
	return fd;
}

static int vm_signal_msi(struct sim_vm *vm, const struct kvm_msi *m)
{
	struct sim *s = vm->sim;

	if (vm->irqchip == IRQCHIP_NONE || (m->flags & ~KVM_MSI_VALID_DEVID))
		return sim_fail(s, -EINVAL, "KVM_SIGNAL_MSI without an in-kernel LAPIC");
	if (s->nr_msis < SIM_MAX_MSIS) {
		s->msi_addr[s->nr_msis] = (uint64_t)m->address_hi << 32 | m->address_lo;
		s->msi_data[s->nr_msis] = m->data;
	}
	s->nr_msis++;
	return 1;
}

static int vm_set_gsi_routing(struct sim_vm *vm, const struct kvm_irq_routing *r)
{
	uint32_t i;

	if (r->nr > 4096 || r->flags)
		return -EINVAL;
	for (i = 0; i < r->nr; i++)
		if (r->entries[i].type == KVM_IRQ_ROUTING_IRQCHIP &&
		    vm->irqchip != IRQCHIP_FULL)
			return sim_fail(vm->sim, -EINVAL, "KVM_SET_GSI_ROUTING: irqchip route "
					"without the in-kernel PIC/IOAPIC");
	return 0;
}

static int vm_ioctl(struct sim_vm *vm, unsigned long req, void *arg)
{
	struct sim *s = vm->sim;

	switch (req) {
	case KVM_CHECK_EXTENSION:
		return check_extension(s, vm, (long)(uintptr_t)arg);
	case KVM_ENABLE_CAP:
		return vm_enable_cap(vm, arg);
	case KVM_SET_TSS_ADDR:
		return 0;
	case KVM_SET_IDENTITY_MAP_ADDR:
		return vm->nr_vcpus ? -EINVAL : 0;
	case KVM_CREATE_IRQCHIP:
		if (vm->irqchip != IRQCHIP_NONE)
			return sim_fail(s, -EEXIST, "KVM_CREATE_IRQCHIP: an irqchip exists");
		if (vm->nr_vcpus)
			return -EINVAL;
		vm->irqchip = IRQCHIP_FULL;
		return 0;
	case KVM_CREATE_PIT2:
		if (vm->pit)
			return -EEXIST;
		vm->pit = true;
		return 0;
	case KVM_IRQ_LINE:
		return vm->irqchip == IRQCHIP_NONE ? -ENXIO : 0;
	case KVM_SIGNAL_MSI:
		return vm_signal_msi(vm, arg);
	case KVM_SET_GSI_ROUTING:
		return vm_set_gsi_routing(vm, arg);
	case KVM_SET_USER_MEMORY_REGION: {
		const struct kvm_userspace_memory_region *r = arg;

		return vm_set_memslot(vm, r->slot, r->flags, r->guest_phys_addr,
				      r->memory_size, r->userspace_addr, false, 0, 0);
	}
	case KVM_SET_USER_MEMORY_REGION2: {
		const struct kvm_userspace_memory_region2 *r = arg;

		return vm_set_memslot(vm, r->slot, r->flags, r->guest_phys_addr,
				      r->memory_size, r->userspace_addr, true,
				      r->guest_memfd, r->guest_memfd_offset);
	}
	case KVM_SET_MEMORY_ATTRIBUTES:
		return vm_set_attributes(vm, arg);
	case KVM_CREATE_GUEST_MEMFD:
		return vm_create_gmem(vm, arg);
	case KVM_MEMORY_ENCRYPT_OP:
		if (vm->type == KVM_X86_TDX_VM)
			return sim_tdx_vm_ioctl(vm, arg);
		if (s->cfg.platform == COCO_TDX)
			return -ENOTTY;
		return sim_sev_ioctl(vm, arg);
	case KVM_MEMORY_ENCRYPT_REG_REGION:
	case KVM_MEMORY_ENCRYPT_UNREG_REGION:
		if (s->cfg.platform == COCO_TDX)
			return -ENOTTY;
		return sim_sev_reg_region(vm, req == KVM_MEMORY_ENCRYPT_REG_REGION);
	case KVM_SET_TSC_KHZ:
		if (vm->nr_vcpus)
			return sim_fail(s, -EINVAL, "KVM_SET_TSC_KHZ (VM) after KVM_CREATE_VCPU");
		vm->tsc_khz = (uint32_t)(uintptr_t)arg ? (uint32_t)(uintptr_t)arg : SIM_TSC_KHZ;
		return 0;
	case KVM_GET_TSC_KHZ:
		return (int)vm->tsc_khz;
	case KVM_CREATE_VCPU:
		return vm_create_vcpu(vm, (unsigned long)(uintptr_t)arg);
	case KVM_SET_CLOCK:
	case KVM_IRQFD:
	case KVM_IOEVENTFD:
		return 0;
	}
	return -ENOTTY;
}

/* ------------------------------------------------------------------ */
/* vCPU */

/* tdx_has_emulated_msr() for the MSRs a VMM sets at vCPU creation */
static bool tdx_msr_writable(uint32_t index)
{
	switch (index) {
	case 0x1a0:		/* MISC_ENABLE */
	case MSR_IA32_CR_PAT:
	case 0x6e0:		/* TSC_DEADLINE */
	case 0x179: case 0x17a:	/* MCG_CAP, MCG_STATUS */
		return true;
	}
	return (index >= 0x200 && index <= 0x2ff) || (index >= 0x800 && index <= 0x8ff &&
						       index != 0x808 && index != 0x80b);
}

static int vcpu_set_msrs(struct sim_vcpu *v, struct kvm_msrs *m)
{
	uint32_t i;

	if (m->nmsrs > 1024)
		return -E2BIG;
	for (i = 0; i < m->nmsrs; i++) {
		if (v->vm->type == KVM_X86_TDX_VM && !tdx_msr_writable(m->entries[i].index)) {
			sim_fail(v->vm->sim, -EINVAL, "KVM_SET_MSRS: MSR 0x%x is not one KVM "
				 "emulates for a TD (tdx_has_emulated_msr()); stopped after %u",
				 m->entries[i].index, i);
			break;
		}
		if (m->entries[i].index == MSR_IA32_CR_PAT && !v->protected_state)
			v->pat = m->entries[i].data;
	}
	return (int)i;
}

static bool state_locked(struct sim_vcpu *v, int *ret, const char *what)
{
	if (!v->protected_state)
		return false;
	/* has_protected_state: -EINVAL; the legacy SEV-ES type silently ignores */
	*ret = v->vm->has_protected_state ?
	       sim_fail(v->vm->sim, -EINVAL, "%s: the vCPU state is protected", what) : 0;
	return true;
}

static int vcpu_ioctl(struct sim_vcpu *v, unsigned long req, void *arg)
{
	struct sim_vm *vm = v->vm;
	struct sim *s = vm->sim;
	int ret;

	switch (req) {
	case KVM_SET_CPUID2: {
		const struct kvm_cpuid2 *c = arg;
		struct kvm_cpuid2 *n;

		if (c->nent > SIM_MAX_CPUID)
			return -E2BIG;
		n = kvm_cpuid2_alloc(c->nent);
		if (!n)
			return -ENOMEM;
		memcpy(n->entries, c->entries, c->nent * sizeof(c->entries[0]));
		free(v->cpuid);
		v->cpuid = n;
		return 0;
	}
	case KVM_GET_CPUID2: {
		struct kvm_cpuid2 *c = arg;
		uint32_t n = v->cpuid ? v->cpuid->nent : 0;

		if (c->nent < n) {
			c->nent = n;
			return -E2BIG;
		}
		c->nent = n;
		if (n)
			memcpy(c->entries, v->cpuid->entries, n * sizeof(c->entries[0]));
		return 0;
	}
	case KVM_SET_MSRS:
		return vcpu_set_msrs(v, arg);
	case KVM_GET_MSRS:
		return (int)((struct kvm_msrs *)arg)->nmsrs;
	case KVM_GET_LAPIC:
	case KVM_SET_LAPIC:
		if (vm->irqchip == IRQCHIP_NONE)
			return -EINVAL;
		if (vm->type == KVM_X86_TDX_VM)	/* guest_apic_protected */
			return sim_fail(s, -EINVAL, "KVM_%s_LAPIC on a TDX vCPU",
					req == KVM_GET_LAPIC ? "GET" : "SET");
		if (req == KVM_GET_LAPIC)
			memset(arg, 0, sizeof(struct kvm_lapic_state));
		v->has_lapic_state = true;
		return 0;
	case KVM_GET_REGS:
		if (state_locked(v, &ret, "KVM_GET_REGS") && ret)
			return ret;
		memcpy(arg, &v->regs, sizeof(v->regs));
		return 0;
	case KVM_SET_REGS:
		if (state_locked(v, &ret, "KVM_SET_REGS"))
			return ret;
		memcpy(&v->regs, arg, sizeof(v->regs));
		return 0;
	case KVM_GET_SREGS:
		if (state_locked(v, &ret, "KVM_GET_SREGS") && ret)
			return ret;
		memcpy(arg, &v->sregs, sizeof(v->sregs));
		return 0;
	case KVM_SET_SREGS:
		if (state_locked(v, &ret, "KVM_SET_SREGS"))
			return ret;
		memcpy(&v->sregs, arg, sizeof(v->sregs));
		return 0;
	case KVM_GET_FPU:
	case KVM_SET_FPU:
		if (v->fpu_confidential)
			return vm->has_protected_state ?
			       sim_fail(s, -EINVAL, "KVM_%s_FPU: the FPU state is confidential",
					req == KVM_GET_FPU ? "GET" : "SET") : 0;
		if (req == KVM_GET_FPU)
			memcpy(arg, &v->fpu, sizeof(v->fpu));
		else
			memcpy(&v->fpu, arg, sizeof(v->fpu));
		return 0;
	case KVM_GET_XCRS:
	case KVM_SET_XCRS: {
		struct kvm_xcrs *x = arg;

		if (state_locked(v, &ret, "KVM_*_XCRS"))
			return ret;
		if (req == KVM_GET_XCRS) {
			memset(x, 0, sizeof(*x));
			x->nr_xcrs = 1;
			x->xcrs[0].value = v->xcr0;
		} else if (x->nr_xcrs >= 1 && x->xcrs[0].xcr == 0) {
			v->xcr0 = x->xcrs[0].value;
		}
		return 0;
	}
	case KVM_TRANSLATE: {
		struct kvm_translation *t = arg;

		if (v->protected_state)
			return -EINVAL;
		t->physical_address = t->linear_address;
		t->valid = 1;
		return 0;
	}
	case KVM_GET_MP_STATE:
	case KVM_SET_MP_STATE:
		return 0;
	case KVM_MEMORY_ENCRYPT_OP:
		if (vm->type == KVM_X86_TDX_VM)
			return sim_tdx_vcpu_ioctl(v, arg);
		return -ENOTTY;
	}
	return -ENOTTY;
}

static bool launch_done(const struct sim_vm *vm)
{
	if (vm->type == KVM_X86_TDX_VM)
		return vm->td == TD_RUNNABLE;
	if (vm->sev_active || vm->sev_need_init)
		return sim_sev_launched(vm);
	return true;
}

/* KVM_RUN: called and returns with the lock held (dropped while waiting). */
static int vcpu_run(struct sim *s, struct sim_vcpu *v)
{
	struct sim_vm *vm = v->vm;
	struct kvm_run *run = v->run;

	if (vm->type == KVM_X86_TDX_VM && (!v->td_initialized || vm->td != TD_RUNNABLE))
		return sim_fail(s, -EINVAL, "KVM_RUN before KVM_TDX_INIT_VCPU and "
				"KVM_TDX_FINALIZE_VM");	/* tdx_vcpu_pre_run() */
	if (vm->sev_need_init)
		return sim_fail(s, -EINVAL, "KVM_RUN before KVM_SEV_INIT2");
	if (!launch_done(vm))
		return sim_fail(s, -EINVAL, "KVM_RUN before the launch finished");
	if (v->script_index >= 0) {
		/* what the VMM answered to the previous exit */
		memcpy(s->replies[v->script_index], (uint8_t *)run + RUN_UNION_OFF, 256);
		s->replied[v->script_index] = true;
		v->script_index = -1;
	}
	for (;;) {
		struct timespec ts = { 0, 2 * 1000 * 1000 };

		if (run->immediate_exit) {
			run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		if (s->script_next < s->script_len &&
		    s->script[s->script_next].vcpu == v->index) {
			const struct sim_exit *e = &s->script[s->script_next];

			run->exit_reason = e->reason;
			memcpy((uint8_t *)run + RUN_UNION_OFF, e->data, sizeof(e->data));
			if (e->reason == KVM_EXIT_SYSTEM_EVENT)
				run->system_event.ndata = e->ndata;
			v->script_index = (int)s->script_next++;
			return e->ret;
		}
		/* nothing to report: the vCPU "halts" until kicked */
		pthread_mutex_unlock(&s->lock);
		if (nanosleep(&ts, NULL) < 0 && errno == EINTR) {
			pthread_mutex_lock(&s->lock);
			run->exit_reason = KVM_EXIT_INTR;
			return -EINTR;
		}
		pthread_mutex_lock(&s->lock);
	}
}

/* ------------------------------------------------------------------ */
/* kvm_sys_ops */

static int sim_ioctl(void *priv, int fd, unsigned long req, void *arg)
{
	struct sim *s = priv;
	struct sim_obj *o;
	int ret;

	pthread_mutex_lock(&s->lock);
	s->error[0] = '\0';
	o = obj_find(s, fd);
	if (!o) {
		ret = -EBADF;
	} else {
		switch (o->kind) {
		case SIM_DEV:
			ret = dev_ioctl(s, req, arg);
			break;
		case SIM_VM:
			ret = vm_ioctl(o->p, req, arg);
			break;
		case SIM_VCPU:
			ret = req == KVM_RUN ? vcpu_run(s, o->p) : vcpu_ioctl(o->p, req, arg);
			break;
		default:
			ret = -ENOTTY;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return ret;
}

static void *sim_mmap_run(void *priv, int vcpu_fd, size_t len)
{
	struct sim *s = priv;
	struct sim_obj *o;
	void *p = NULL;

	pthread_mutex_lock(&s->lock);
	o = obj_find(s, vcpu_fd);
	if (o && o->kind == SIM_VCPU && len == SIM_RUN_SIZE)
		p = ((struct sim_vcpu *)o->p)->run;
	pthread_mutex_unlock(&s->lock);
	return p;
}

static void sim_munmap_run(void *priv, void *addr, size_t len)
{
	/* the run area goes away with the vCPU fd */
}

static int sim_close(void *priv, int fd)
{
	struct sim *s = priv;
	struct sim_obj *o, copy;
	bool dev;

	pthread_mutex_lock(&s->lock);
	o = obj_find(s, fd);
	if (!o) {
		pthread_mutex_unlock(&s->lock);
		return -EBADF;
	}
	copy = *o;
	dev = copy.kind == SIM_DEV;
	obj_del(s, fd);
	if (dev) {
		s->dev_fd = -1;
	} else if (copy.kind == SIM_SEV_DEV) {
		s->sev_fd = -1;
	} else {
		obj_release(s, &copy);
	}
	pthread_mutex_unlock(&s->lock);
	if (dev)
		sim_put(s);	/* the kvm_sys handle's reference */
	return 0;
}

const struct kvm_sys_ops sim_kvm_ops = {
	.ioctl = sim_ioctl,
	.mmap_run = sim_mmap_run,
	.munmap_run = sim_munmap_run,
	.close = sim_close,
};
