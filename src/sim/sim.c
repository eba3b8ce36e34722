// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated platform's KVM: objects and their lifetime, VMs (irqchip,
 * VM capabilities, MSIs), scripted KVM_RUN and the kvm_sys_ops.  /dev/kvm
 * and the kernel profiles live in sim_dev.c, memory in sim_mem.c, vCPUs in
 * sim_vcpu.c and sim_svm.c, the PSP in sim_sev.c, the TDX module in
 * sim_tdx.c, the test queries in sim_query.c.  Each rule cites the
 * kernel code it mirrors and its [tag] in docs/coco.md's rule table;
 * refusals set the same -errno and a clause for sim_last_error().
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

#include "sim/sim_internal.h"
#include "util/compiler.h"
#include "util/log.h"

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

int sim_obj_new(struct sim *s, enum sim_kind kind, void *p, const char *name)
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

struct sim_obj *sim_obj_find(struct sim *s, int fd)
{
	unsigned int i;

	for (i = 0; i < s->nr_objs; i++)
		if (s->objs[i].fd == fd)
			return &s->objs[i];
	return NULL;
}

void sim_obj_del(struct sim *s, int fd)
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
/* the host */

static bool kernel_known(unsigned int k)
{
	return !k || k == SIM_KERNEL_6_16 || k == SIM_KERNEL_6_17 || k == SIM_KERNEL_7_0;
}

/*
 * __do_cpuid_func(0x80000008): EAX[23:16] is the largest GPA KVM can map,
 * PhysAddrSize capped at 48 without 5-level TDP.
 */
static void cpuid_guest_phys_bits(struct kvm_cpuid2 *c, bool tdp_4level)
{
	uint32_t i, phys;

	for (i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function != 0x80000008)
			continue;
		phys = e->eax & 0xff;
		if (tdp_4level && phys > 48)
			phys = 48;
		e->eax = (e->eax & ~0x00ff0000u) | phys << 16;
	}
}

/* ------------------------------------------------------------------ */
/* lifetime */

int sim_create(const struct sim_config *cfg, struct sim **out)
{
	struct sim *s;
	int fd;

	if (!kernel_known(cfg->kernel))
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	s->refs = 1;
	s->cfg = *cfg;
	s->eagain_left = cfg->eagain;
	s->next_handle = 1;
	s->dev_fd = s->sev_fd = -1;
	s->supported = sim_cpuid_supported(cfg->platform);
	if (s->supported && cfg->platform == COCO_TDX)	/* the AMD table predates it */
		cpuid_guest_phys_bits(s->supported, cfg->tdx_ept_4level);
	fd = s->supported ? sim_obj_new(s, SIM_DEV, NULL, "cvmm-sim-kvm") : -ENOMEM;
	if (fd < 0)
		goto fail;
	s->dev_fd = fd;
	if (cfg->platform != COCO_TDX) {
		fd = sim_obj_new(s, SIM_SEV_DEV, NULL, "cvmm-sim-sev");
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
		sim_vcpu_free(v);
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
		sim_obj_del(s, o.fd);
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
/* helpers for the PSP and TDX models */

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

int sim_order(struct sim_vm *vm, enum coco_step step)
{
	enum coco_stage was = vm->stage;

	if (!vm->sim->cfg.vmm_order || coco_stage_step(&vm->stage, step))
		return 0;
	/* stricter than KVM: the VMM builds in the order of coco/stage.h [K20] */
	return sim_fail(vm->sim, -EINVAL, "%s out of the VMM's build order (the VM is at "
			"\"%s\", coco/stage.h)", coco_step_rule(step)->what,
			coco_stage_name(was));
}

bool sim_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* vCPU */

static bool launch_done(const struct sim_vm *vm)
{
	if (vm->type == KVM_X86_TDX_VM)
		return vm->td == TD_RUNNABLE;
	if (vm->sev_active || vm->sev_need_init)
		return sim_sev_launched(vm);
	return true;
}

/*
 * snp_complete_req_certs() (Linux 7.0): what userspace may answer a
 * KVM_EXIT_SNP_REQ_CERTS with -- 0 (the PSP signs the report), ENOSPC
 * (npages goes to the guest's RBX with SNP_GUEST_VMM_ERR_INVALID_LEN),
 * EAGAIN (VMM_ERR_BUSY), EIO (VMM_ERR_GENERIC); anything else fails KVM_RUN.
 */
static bool req_certs_answer_ok(struct kvm_run *run)
{
	uint64_t ret = kvm_run_snp_req_certs(run)->ret;

	return ret == 0 || ret == ENOSPC || ret == EAGAIN || ret == EIO;
}

/* KVM_RUN: called and returns with the lock held (dropped while waiting). */
static int vcpu_run(struct sim *s, struct sim_vcpu *v)
{
	struct sim_vm *vm = v->vm;
	struct kvm_run *run = v->run;

	if (vm->type == KVM_X86_TDX_VM && (!v->td_initialized || vm->td != TD_RUNNABLE))
		return sim_fail(s, -EINVAL, "KVM_RUN before KVM_TDX_INIT_VCPU and "
				"KVM_TDX_FINALIZE_VM");	/* tdx_vcpu_pre_run() [T18] */
	if (vm->sev_need_init)	/* svm_vcpu_pre_run() [S16] */
		return sim_fail(s, -EINVAL, "KVM_RUN before KVM_SEV_INIT2");
	if (!launch_done(vm))	/* stricter than KVM [S17] */
		return sim_fail(s, -EINVAL, "KVM_RUN before the launch finished");
	if (sim_order(vm, COCO_STEP_RUN))
		return -EINVAL;
	if (v->script_index >= 0) {
		/* what the VMM answered to the previous exit */
		memcpy(s->replies[v->script_index], (uint8_t *)run + RUN_UNION_OFF, 256);
		s->replied[v->script_index] = true;
		v->script_index = -1;
		if (run->exit_reason == KVM_EXIT_SNP_REQ_CERTS && !req_certs_answer_ok(run))
			return sim_fail(s, -EINVAL, "KVM_EXIT_SNP_REQ_CERTS answered with ret "
					"%llu (0, ENOSPC, EAGAIN or EIO)", (unsigned long long)
					kvm_run_snp_req_certs(run)->ret);	/* [N16] */
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

			if (e->reason == KVM_EXIT_SNP_REQ_CERTS && !vm->snp_certs) {
				/* not enabled: KVM gives the guest an empty table itself [N16] */
				s->script_next++;
				continue;
			}
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
	o = sim_obj_find(s, fd);
	if (!o) {
		ret = -EBADF;
	} else {
		switch (o->kind) {
		case SIM_DEV:
			ret = sim_dev_ioctl(s, req, arg);
			break;
		case SIM_VM:
			ret = sim_vm_ioctl(o->p, req, arg);
			break;
		case SIM_VCPU:
			ret = req == KVM_RUN ? vcpu_run(s, o->p) : sim_vcpu_ioctl(o->p, req, arg);
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
	o = sim_obj_find(s, vcpu_fd);
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
	o = sim_obj_find(s, fd);
	if (!o) {
		pthread_mutex_unlock(&s->lock);
		return -EBADF;
	}
	copy = *o;
	dev = copy.kind == SIM_DEV;
	sim_obj_del(s, fd);
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
