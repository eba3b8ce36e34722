// SPDX-License-Identifier: GPL-2.0-only
/*
 * The confidential exits of a running VM (see machine/coco.h): private<->
 * shared conversions (KVM_HC_MAP_GPA_RANGE, memory faults) checked against
 * the page attributes cvmm tracks, TDX GetQuote / GetTdVmCallInfo /
 * SetupEventNotifyInterrupt, and fatal guest events.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "coco/kvm/exit_parse.h"
#include "coco/kvm/qgs.h"
#include "machine/coco_internal.h"
#include "machine/exit_status.h"
#include "util/log.h"

#define QGS_TIMEOUT_MS		30000

/* ------------------------------------------------------------------ */
/* page attribute tracking */

int coco_attrs_add(struct vm_coco *c, uint64_t gpa, uint64_t size, bool private)
{
	struct attr_map *a;

	if (!size)
		return 0;
	if (c->nr_attrs == MAX_ATTR_REGIONS)
		return -ENOSPC;
	a = &c->attrs[c->nr_attrs];
	a->pages = size / COCO_PAGE_SIZE;
	a->bits = malloc((a->pages + 7) / 8);
	if (!a->bits)
		return -ENOMEM;
	memset(a->bits, private ? 0xff : 0, (a->pages + 7) / 8);
	a->gpa = gpa;
	c->nr_attrs++;
	return 0;
}

/*
 * Apply to [gpa, gpa + size): set (@set) every page to @to, or check
 * that all pages are @to (lock held).
 */
static bool coco_attrs_walk(struct vm_coco *c, uint64_t gpa, uint64_t size, bool to, bool set)
{
	uint64_t p, end = gpa + size;
	unsigned int i;

	for (p = gpa; p < end; p += COCO_PAGE_SIZE) {
		bool found = false;

		for (i = 0; i < c->nr_attrs; i++) {
			struct attr_map *a = &c->attrs[i];
			uint64_t n;

			if (p < a->gpa || (p - a->gpa) / COCO_PAGE_SIZE >= a->pages)
				continue;
			n = (p - a->gpa) / COCO_PAGE_SIZE;
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

void coco_attrs_free(struct vm_coco *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_attrs; i++)
		free(c->attrs[i].bits);
	c->nr_attrs = 0;
}

/* ------------------------------------------------------------------ */
/* exits */

static int convert(struct vcpu *v, uint64_t gpa, uint64_t size, bool to_private)
{
	struct vm_coco *c = v->vm->coco;
	struct err_msg err = { "" };
	struct coco_kvm k;
	int ret;

	/* the backend context is shared; its error slot is per call */
	pthread_mutex_lock(&c->lock);
	k = c->k;
	k.err = &err;
	ret = coco_kvm_convert(&k, gpa, size, to_private, true);
	if (!ret)
		coco_attrs_walk(c, gpa, size, to_private, true);
	pthread_mutex_unlock(&c->lock);
	if (ret)
		log_debug("vCPU %u: %s", v->index, err.msg);
	return ret;
}

static enum vcpu_exit_action handle_memory_fault(struct vcpu *v)
{
	struct cvmm_kvm_memory_fault *mf = kvm_run_memory_fault(v->kvm.run);
	bool to_private = mf->flags & KVM_MEMORY_EXIT_FLAG_PRIVATE;
	uint64_t gpa = mf->gpa, size = mf->size;

	if (!convert(v, gpa, size, to_private))
		return VCPU_EXIT_CONTINUE;
	vm_stop(v->vm, VM_KVM_ERROR, EXIT_KVM_ERROR,
		"vCPU %u: the guest accessed 0x%" PRIx64 " (0x%" PRIx64 " bytes) as %s memory, "
		"which cannot be converted: it is not page-aligned guest RAM", v->index, gpa,
		size, to_private ? "private" : "shared");
	return VCPU_EXIT_STOP;
}

static enum vcpu_exit_action handle_map_gpa_range(struct vcpu *v)
{
	struct kvm_run *run = v->kvm.run;
	uint64_t gpa = run->hypercall.args[0], npages = run->hypercall.args[1];
	uint64_t attrs = run->hypercall.args[2];
	int ret = -EINVAL;

	if (npages && npages <= (UINT64_MAX >> 12))
		ret = convert(v, gpa, npages << 12, attrs & KVM_MAP_GPA_RANGE_ENCRYPTED);
	/* always answer: KVM (and the guest) read it back */
	run->hypercall.ret = ret ? (uint64_t)(int64_t)-KVM_EINVAL : 0;
	return VCPU_EXIT_CONTINUE;
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
		irqchip_send_msi(&c->vm->irqchip, 0xfee00000ULL | (uint64_t)(apic & 0xff) << 12 |
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
	shared = guest_mem_ptr(&vm->mem, gpa, size) && coco_attrs_walk(c, gpa, size, false, false);
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

static enum vcpu_exit_action handle_tdx(struct vcpu *v)
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
	return VCPU_EXIT_CONTINUE;
}

/*
 * KVM_EXIT_SNP_REQ_CERTS (Linux 7.0, certs=DIR): the guest sent an SNP
 * Extended Guest Request for a report with a buffer of npages pages at
 * gpa (page aligned, checked by KVM).  Write the certificate table there
 * and answer 0 (KVM then has the PSP sign the report); a buffer too small
 * gets ENOSPC with the pages needed (KVM tells the guest in RBX, with
 * SNP_GUEST_VMM_ERR_INVALID_LEN); a buffer outside guest RAM or not
 * shared with the host gets EIO.
 */
static enum vcpu_exit_action handle_req_certs(struct vcpu *v)
{
	struct vm *vm = v->vm;
	struct vm_coco *c = vm->coco;
	struct cvmm_kvm_exit_snp_req_certs *r = kvm_run_snp_req_certs(v->kvm.run);
	const struct coco_certs *t = c->k.certs;
	uint64_t pages, size;
	bool shared;

	r->ret = EIO;
	if (!t || !c->k.certs_enabled)
		return VCPU_EXIT_CONTINUE;	/* KVM does not exit so, unless asked */
	pages = (t->len + COCO_PAGE_SIZE - 1) / COCO_PAGE_SIZE;
	if (r->npages < pages) {
		r->npages = pages;
		r->ret = ENOSPC;
		return VCPU_EXIT_CONTINUE;
	}
	size = pages * COCO_PAGE_SIZE;
	if (r->gpa % COCO_PAGE_SIZE)
		return VCPU_EXIT_CONTINUE;
	pthread_mutex_lock(&c->lock);
	shared = guest_mem_ptr(&vm->mem, r->gpa, size) &&
		 coco_attrs_walk(c, r->gpa, size, false, false);
	pthread_mutex_unlock(&c->lock);
	if (!shared || guest_mem_write(&vm->mem, r->gpa, t->table, t->len) ||
	    guest_mem_fill(&vm->mem, r->gpa + t->len, 0, size - t->len)) {
		log_debug("vCPU %u: certificate buffer of %llu pages at 0x%" PRIx64
			  " is not shared guest RAM", v->index, (unsigned long long)r->npages,
			  (uint64_t)r->gpa);
		return VCPU_EXIT_CONTINUE;
	}
	r->ret = 0;
	return VCPU_EXIT_CONTINUE;
}

enum vcpu_exit_action vm_coco_handle_exit(struct vcpu *v, int run_ret)
{
	struct vm_coco *c = v->vm->coco;
	struct kvm_run *run = v->kvm.run;

	if (!c)
		return VCPU_EXIT_NOT_MINE;
	if (run_ret == -EFAULT)
		return run->exit_reason == KVM_EXIT_MEMORY_FAULT ? handle_memory_fault(v) :
		       VCPU_EXIT_NOT_MINE;
	switch (run->exit_reason) {
	case KVM_EXIT_HYPERCALL:
		if (run->hypercall.nr == KVM_HC_MAP_GPA_RANGE)
			return handle_map_gpa_range(v);
		run->hypercall.ret = (uint64_t)(int64_t)-KVM_ENOSYS;
		return VCPU_EXIT_CONTINUE;
	case KVM_EXIT_MEMORY_FAULT:
		return handle_memory_fault(v);
	case KVM_EXIT_TDX:
		return handle_tdx(v);
	case KVM_EXIT_SNP_REQ_CERTS:
		return handle_req_certs(v);
	}
	return VCPU_EXIT_NOT_MINE;
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

