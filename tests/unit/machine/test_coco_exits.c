// SPDX-License-Identifier: GPL-2.0-only
/*
 * Confidential exits on a VM built on the simulated platform: private<->
 * shared conversions (KVM_HC_MAP_GPA_RANGE, KVM_EXIT_MEMORY_FAULT) with
 * hostile arguments, TDX GetQuote through a quote generation service,
 * GetTdVmCallInfo, SetupEventNotifyInterrupt, the userspace IOAPIC, fatal
 * guest events; and the parsers behind them.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "../coco/fwgen.h"
#include "arch/x86/layout.h"
#include "coco/kvm/exit_parse.h"
#include "coco/kvm/qgs.h"
#include "devices/ioapic.h"
#include "../coco/kvm/harness.h"
#include "machine/coco.h"
#include "machine/exit_status.h"
#include "machine/vcpu.h"

#define MEM	(512ULL << 20)
#define BUF	0x2000000ULL	/* a GetQuote buffer in guest RAM */

static int open_vm(struct hm *h, const char *spec, unsigned int vcpus)
{
	struct fwgen g;

	fwgen_ovmf(&g);
	return hm_open(h, spec, fwgen_build(&g), g.size, vcpus, MEM, NULL);
}

static struct kvm_run *run0(struct hm *h, unsigned int i)
{
	return h->vm.vcpus[i].kvm.run;
}

/* ---------------- conversions ---------------- */

static uint64_t map_gpa_range(struct hm *h, uint64_t gpa, uint64_t npages, uint64_t attrs)
{
	struct kvm_run *run = run0(h, 0);

	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = KVM_HC_MAP_GPA_RANGE;
	run->hypercall.args[0] = gpa;
	run->hypercall.args[1] = npages;
	run->hypercall.args[2] = attrs;
	run->hypercall.ret = 0x5a5a;	/* stale: the VMM must always answer */
	assert_int_equal(vm_coco_handle_exit(&h->vm.vcpus[0], 0), VCPU_EXIT_CONTINUE);
	return run->hypercall.ret;
}

static void test_map_gpa_range(void **state)
{
	const char *specs[] = { "snp,policy=0x30000", "tdx,attr=0x10000000" };
	const uint64_t einval = (uint64_t)(int64_t)-KVM_EINVAL;
	unsigned int i;
	struct hm h;

	for (i = 0; i < 2; i++) {
		int fd;

		assert_int_equal(open_vm(&h, specs[i], 1), 0);
		fd = h.vm.kvm.fd;
		assert_int_equal(sim_vm_private(h.s, fd, 0x100000), 1);
		/* to shared and back, 2 MiB-page hint included */
		assert_int_equal(map_gpa_range(&h, 0x100000, 16, 0), 0);
		assert_int_equal(sim_vm_private(h.s, fd, 0x100000), 0);
		assert_int_equal(sim_vm_private(h.s, fd, 0x10f000), 0);
		assert_int_equal(sim_vm_private(h.s, fd, 0x110000), 1);
		assert_int_equal(map_gpa_range(&h, 0x100000, 16,
					       KVM_MAP_GPA_RANGE_ENCRYPTED |
					       KVM_MAP_GPA_RANGE_PAGE_SZ_2M), 0);
		assert_int_equal(sim_vm_private(h.s, fd, 0x100000), 1);
		/* hostile: unaligned, empty, overflowing, wrapping, MMIO, past RAM */
		assert_int_equal(map_gpa_range(&h, 0x100800, 1, 0), einval);
		assert_int_equal(map_gpa_range(&h, 0x100000, 0, 0), einval);
		assert_int_equal(map_gpa_range(&h, 0x100000, 1ULL << 60, 0), einval);
		assert_int_equal(map_gpa_range(&h, 0xfffffffffffff000ULL, 2, 0), einval);
		assert_int_equal(map_gpa_range(&h, IOAPIC_ADDR, 1, 0), einval);
		assert_int_equal(map_gpa_range(&h, MEM - 0x1000, 2, 0), einval);
		assert_int_equal(map_gpa_range(&h, 1ULL << 40, 1, 0), einval);
		/* a page count whose byte size wraps to one page (issue 21) */
		assert_int_equal(map_gpa_range(&h, 0x100000, (1ULL << 52) + 1, 0), einval);
		assert_int_equal(sim_vm_private(h.s, fd, 0x100000), 1);
		/* nothing changed by the refused calls, and cvmm refused them
		 * itself: none reached (and was refused by) KVM (issue 21) */
		assert_int_equal(sim_vm_private(h.s, fd, MEM - 0x1000), 1);
		{
			char why[200];

			sim_last_error(h.s, why, sizeof(why));
			assert_null(strstr(why, "KVM_SET_MEMORY_ATTRIBUTES"));
		}
		/* the firmware's RAM (ends at 4 GiB) converts like RAM */
		assert_int_equal(map_gpa_range(&h, 0xfffff000ULL, 1, 0), 0);
		assert_int_equal(sim_vm_private(h.s, fd, 0xfffff000ULL), 0);
		hm_close(&h);
	}
}

static void test_other_hypercalls(void **state)
{
	struct kvm_run *run;
	struct hm h;

	assert_int_equal(open_vm(&h, "snp,policy=0x30000", 1), 0);
	run = run0(&h, 0);
	run->exit_reason = KVM_EXIT_HYPERCALL;
	run->hypercall.nr = 5;	/* KVM_HC_KICK_CPU: never enabled */
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[0], 0), VCPU_EXIT_CONTINUE);
	assert_int_equal(run->hypercall.ret, (uint64_t)(int64_t)-KVM_ENOSYS);
	/* exits that are not ours */
	run->exit_reason = KVM_EXIT_IO;
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[0], 0), VCPU_EXIT_NOT_MINE);
	run->exit_reason = KVM_EXIT_IOAPIC_EOI;		/* no userspace IOAPIC on SNP */
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[0], 0), VCPU_EXIT_NOT_MINE);
	hm_close(&h);
}

static void test_discard(void **state)
{
	uint8_t page[4096], zero[4096];
	struct kvm_run *run;
	uint8_t *hva;
	struct hm h;

	memset(zero, 0, sizeof(zero));
	assert_int_equal(open_vm(&h, "snp,policy=0x30000", 1), 0);
	run = run0(&h, 0);
	/* to private: the shared copy is dropped */
	hva = guest_mem_ptr(&h.vm.mem, 0x300000, 4096);
	assert_int_equal(map_gpa_range(&h, 0x300000, 1, 0), 0);
	memset(hva, 0x77, 4096);
	assert_int_equal(map_gpa_range(&h, 0x300000, 1, KVM_MAP_GPA_RANGE_ENCRYPTED), 0);
	assert_memory_equal(hva, zero, 4096);
	/* to shared: the guest_memfd copy is punched (the firmware's first page) */
	assert_int_equal(sim_gmem_read(h.s, h.vm.gmem_fd, 0xffe00000ULL, page, 4096), 0);
	assert_memory_not_equal(page, zero, 4096);
	run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	kvm_run_memory_fault(run)->flags = 0;
	kvm_run_memory_fault(run)->gpa = 0xffe00000ULL;
	kvm_run_memory_fault(run)->size = 4096;
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[0], -EFAULT), VCPU_EXIT_CONTINUE);
	assert_int_equal(sim_vm_private(h.s, h.vm.kvm.fd, 0xffe00000ULL), 0);
	assert_int_equal(sim_gmem_read(h.s, h.vm.gmem_fd, 0xffe00000ULL, page, 4096), 0);
	assert_memory_equal(page, zero, 4096);
	hm_close(&h);
}

static void test_memory_fault(void **state)
{
	struct cvmm_kvm_memory_fault *mf;
	struct kvm_run *run;
	struct hm h;

	assert_int_equal(open_vm(&h, "tdx,attr=0x10000000", 2), 0);
	run = run0(&h, 1);
	mf = kvm_run_memory_fault(run);
	run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	*mf = (struct cvmm_kvm_memory_fault){ .flags = 0, .gpa = 0x400000, .size = 0x2000 };
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[1], -EFAULT), VCPU_EXIT_CONTINUE);
	assert_int_equal(sim_vm_private(h.s, h.vm.kvm.fd, 0x401000), 0);
	*mf = (struct cvmm_kvm_memory_fault){ KVM_MEMORY_EXIT_FLAG_PRIVATE, 0x400000, 0x1000 };
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[1], -EFAULT), VCPU_EXIT_CONTINUE);
	assert_int_equal(sim_vm_private(h.s, h.vm.kvm.fd, 0x400000), 1);
	/* a fault the VMM cannot fix stops the VM with one line */
	*mf = (struct cvmm_kvm_memory_fault){ KVM_MEMORY_EXIT_FLAG_PRIVATE, 0xfec00000ULL, 0x1000 };
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[1], -EFAULT), VCPU_EXIT_STOP);
	assert_int_equal(h.vm.outcome, VM_KVM_ERROR);
	assert_int_equal(h.vm.status, EXIT_KVM_ERROR);
	assert_non_null(strstr(h.vm.message, "vCPU 1: the guest accessed 0xfec00000"));
	/* a plain -EFAULT without a memory fault is not ours */
	run->exit_reason = KVM_EXIT_UNKNOWN;
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[1], -EFAULT), VCPU_EXIT_NOT_MINE);
	hm_close(&h);
}

/* ---------------- TDX exits ---------------- */

enum qgs_mode { QGS_GOOD, QGS_BAD_VERSION, QGS_HANG_UP };

struct qgs_server {
	char dir[64], path[128];
	int fd;
	enum qgs_mode mode;
	pthread_t thread;
	uint8_t report[1024];
	uint32_t report_len;
};

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void *qgs_thread(void *arg)
{
	struct qgs_server *q = arg;
	uint8_t hdr[4], msg[2048], resp[4 + 24 + 64];
	struct pollfd p = { .fd = q->fd, .events = POLLIN };
	uint32_t len, i;
	int c;

	if (poll(&p, 1, 10000) != 1)
		return NULL;	/* the client never came: the test fails on its own */
	c = accept(q->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	if (read(c, hdr, 4) != 4)
		goto out;
	len = qgs_frame_len(hdr);
	if (len > sizeof(msg) || read(c, msg, len) != (ssize_t)len)
		goto out;
	/* GET_QUOTE_REQ 1.1, report_size, no ID list */
	q->report_len = msg[16] | msg[17] << 8;
	memcpy(q->report, msg + 24, q->report_len <= sizeof(q->report) ? q->report_len : 0);
	if (q->mode == QGS_HANG_UP)
		goto out;
	memset(resp, 0, sizeof(resp));
	resp[3] = 24 + 64;
	put_le(resp + 4, q->mode == QGS_BAD_VERSION ? 2 : 1, 2);
	put_le(resp + 6, 1, 2);
	put_le(resp + 8, 1, 4);			/* GET_QUOTE_RESP */
	put_le(resp + 12, 24 + 64, 4);
	put_le(resp + 24, 64, 4);		/* quote_size */
	for (i = 0; i < 64; i++)
		resp[28 + i] = (uint8_t)(0xc0 + i);
	if (write(c, resp, sizeof(resp)) != sizeof(resp))
		goto out;
out:
	close(c);
	return NULL;
}

static void qgs_start(struct qgs_server *q, enum qgs_mode mode)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(q, 0, sizeof(*q));
	strcpy(q->dir, "/tmp/cvmm-qgs-XXXXXX");
	assert_non_null(mkdtemp(q->dir));
	snprintf(q->path, sizeof(q->path), "%s/qgs.sock", q->dir);
	strcpy(sa.sun_path, q->path);
	q->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(q->fd >= 0);
	assert_int_equal(bind(q->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(q->fd, 1), 0);
	q->mode = mode;
	assert_int_equal(pthread_create(&q->thread, NULL, qgs_thread, q), 0);
}

static void qgs_stop(struct qgs_server *q)
{
	pthread_join(q->thread, NULL);
	close(q->fd);
	unlink(q->path);
	rmdir(q->dir);
}

static void quote_buffer(struct hm *h, uint64_t version, uint32_t in_len)
{
	struct tdx_quote_hdr hdr = { .version = version, .in_len = in_len };
	uint8_t b[TDX_QUOTE_HDR_LEN], report[1024];
	unsigned int i;

	for (i = 0; i < sizeof(report); i++)
		report[i] = (uint8_t)i;
	tdx_quote_hdr_encode(&hdr, b);
	assert_int_equal(guest_mem_write(&h->vm.mem, BUF, b, sizeof(b)), 0);
	assert_int_equal(guest_mem_write(&h->vm.mem, BUF + sizeof(b), report, sizeof(report)), 0);
}

static uint64_t get_quote(struct hm *h, uint64_t gpa, uint64_t size, struct tdx_quote_hdr *out)
{
	struct kvm_run *run = run0(h, 0);
	struct cvmm_kvm_tdx_exit *t = kvm_run_tdx(run);
	uint8_t b[TDX_QUOTE_HDR_LEN];

	run->exit_reason = KVM_EXIT_TDX;
	memset(t, 0, sizeof(*t));
	t->nr = TDVMCALL_GET_QUOTE;
	t->get_quote.gpa = gpa;
	t->get_quote.size = size;
	assert_int_equal(vm_coco_handle_exit(&h->vm.vcpus[0], 0), VCPU_EXIT_CONTINUE);
	if (out && !guest_mem_read(&h->vm.mem, BUF, b, sizeof(b)))
		tdx_quote_hdr_decode(b, out);
	return t->get_quote.ret;
}

static uint64_t tdx_exit(struct hm *h, unsigned int vcpu, uint64_t nr, uint64_t arg)
{
	struct kvm_run *run = run0(h, vcpu);
	struct cvmm_kvm_tdx_exit *t = kvm_run_tdx(run);

	run->exit_reason = KVM_EXIT_TDX;
	memset(t, 0, sizeof(*t));
	t->nr = nr;
	t->unknown.ret = 0x1111;
	t->unknown.data[0] = arg;	/* leaf / vector */
	assert_int_equal(vm_coco_handle_exit(&h->vm.vcpus[vcpu], 0), VCPU_EXIT_CONTINUE);
	return t->unknown.ret;
}

static void test_get_quote(void **state)
{
	struct tdx_quote_hdr hdr;
	struct qgs_server q;
	uint8_t quote[64];
	unsigned int i, msis;
	struct hm h;

	assert_int_equal(open_vm(&h, "tdx,attr=0x10000000", 2), 0);
	quote_buffer(&h, 1, 1024);
	/* the buffer is still private */
	assert_int_equal(get_quote(&h, BUF, 0x2000, NULL), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(map_gpa_range(&h, BUF, 2, 0), 0);
	/* hostile requests */
	assert_int_equal(get_quote(&h, BUF, 0, NULL), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(get_quote(&h, BUF + 8, 0x2000, NULL), TDVMCALL_STATUS_ALIGN_ERROR);
	assert_int_equal(get_quote(&h, BUF, 0x1800, NULL), TDVMCALL_STATUS_ALIGN_ERROR);
	assert_int_equal(get_quote(&h, BUF, 0x100000, NULL), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(get_quote(&h, BUF, 0x3000, NULL), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(get_quote(&h, 0xfec00000ULL, 0x1000, NULL),
			 TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(get_quote(&h, 0xfffffffffffff000ULL, 0x2000, NULL),
			 TDVMCALL_STATUS_INVALID_OPERAND);
	quote_buffer(&h, 2, 1024);
	assert_int_equal(get_quote(&h, BUF, 0x2000, NULL), TDVMCALL_STATUS_INVALID_OPERAND);
	quote_buffer(&h, 1, 0x2000);
	assert_int_equal(get_quote(&h, BUF, 0x2000, NULL), TDVMCALL_STATUS_INVALID_OPERAND);

	/* no quote generation service configured: answered in the header */
	quote_buffer(&h, 1, 1024);
	assert_int_equal(get_quote(&h, BUF, 0x2000, &hdr), TDVMCALL_STATUS_SUCCESS);
	assert_int_equal(hdr.status, TDX_QUOTE_QGS_UNAVAILABLE);
	assert_int_equal(hdr.out_len, 0);

	/* the guest asks for an interrupt when quotes complete, on vCPU 1 */
	assert_int_equal(tdx_exit(&h, 1, TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT, 31),
			 TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(tdx_exit(&h, 1, TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT, 0x55),
			 TDVMCALL_STATUS_SUCCESS);

	/* a service that answers */
	qgs_start(&q, QGS_GOOD);
	h.cfg.coco.qgs_path = strdup(q.path);
	msis = sim_nr_msis(h.s);
	quote_buffer(&h, 1, 1024);
	assert_int_equal(get_quote(&h, BUF, 0x2000, &hdr), TDVMCALL_STATUS_SUCCESS);
	qgs_stop(&q);
	assert_int_equal(hdr.status, TDX_QUOTE_SUCCESS);
	assert_int_equal(hdr.out_len, 64);
	assert_int_equal(q.report_len, 1024);
	assert_int_equal(q.report[1023], 0xff);
	assert_int_equal(guest_mem_read(&h.vm.mem, BUF + TDX_QUOTE_HDR_LEN, quote, 64), 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(quote[i], 0xc0 + i);
	assert_int_equal(sim_nr_msis(h.s), msis + 1);
	{
		uint64_t addr;
		uint32_t data;

		assert_int_equal(sim_msi_get(h.s, msis, &addr, &data), 0);
		assert_int_equal(addr, 0xfee01000ULL);	/* APIC ID 1 */
		assert_int_equal(data, 0x55);
	}

	/* a service that answers garbage or hangs up: GET_QUOTE_ERROR */
	qgs_start(&q, QGS_BAD_VERSION);
	free(h.cfg.coco.qgs_path);
	h.cfg.coco.qgs_path = strdup(q.path);
	assert_int_equal(get_quote(&h, BUF, 0x2000, &hdr), TDVMCALL_STATUS_SUCCESS);
	qgs_stop(&q);
	assert_int_equal(hdr.status, TDX_QUOTE_ERROR);
	qgs_start(&q, QGS_HANG_UP);
	free(h.cfg.coco.qgs_path);
	h.cfg.coco.qgs_path = strdup(q.path);
	assert_int_equal(get_quote(&h, BUF, 0x2000, &hdr), TDVMCALL_STATUS_SUCCESS);
	qgs_stop(&q);
	assert_int_equal(hdr.status, TDX_QUOTE_ERROR);
	/* nobody listening: QGS_UNAVAILABLE */
	assert_int_equal(get_quote(&h, BUF, 0x2000, &hdr), TDVMCALL_STATUS_SUCCESS);
	assert_int_equal(hdr.status, TDX_QUOTE_QGS_UNAVAILABLE);
	hm_close(&h);
}

static void test_tdvmcall_info_and_unknown(void **state)
{
	struct cvmm_kvm_tdx_exit *t;
	struct hm h;

	assert_int_equal(open_vm(&h, "tdx,attr=0x10000000", 1), 0);
	assert_int_equal(tdx_exit(&h, 0, TDVMCALL_GET_TD_VM_CALL_INFO, 1), TDVMCALL_STATUS_SUCCESS);
	t = kvm_run_tdx(run0(&h, 0));
	assert_int_equal(t->get_tdvmcall_info.r11, TDVMCALLINFO_GET_QUOTE |
			 TDVMCALLINFO_SETUP_EVENT_NOTIFY_INTERRUPT);
	assert_int_equal(t->get_tdvmcall_info.r12, 0);
	assert_int_equal(t->get_tdvmcall_info.r13, 0);
	/* leaf 0 is KVM's; an unknown TDVMCALL keeps KVM's preset answer */
	assert_int_equal(tdx_exit(&h, 0, TDVMCALL_GET_TD_VM_CALL_INFO, 0), 0x1111);
	assert_int_equal(tdx_exit(&h, 0, 0x10077, 0), 0x1111);
	hm_close(&h);
}

static void test_ioapic_on_tdx(void **state)
{
	uint8_t b[4];
	uint64_t addr;
	uint32_t data;
	unsigned int n;
	struct kvm_run *run;
	struct hm h;

	assert_int_equal(open_vm(&h, "tdx,attr=0x10000000", 2), 0);
	assert_true(h.vm.irqchip.split && h.vm.irqchip.have_ioapic);
	/* the guest programs pin 4 (COM1): vector 0x24, APIC 1 */
	b[0] = IOAPIC_REDTBL + 2 * 4 + 1; b[1] = b[2] = b[3] = 0;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR, b, 4, true), 0);
	b[0] = 0; b[1] = 0; b[2] = 0; b[3] = 0x01;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR + 0x10, b, 4, true), 0);
	b[0] = IOAPIC_REDTBL + 2 * 4;
	b[3] = 0;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR, b, 4, true), 0);
	b[0] = 0x24;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR + 0x10, b, 4, true), 0);
	n = sim_nr_msis(h.s);
	assert_int_equal(irqchip_set_level(&h.vm.irqchip, 4, 1), 0);
	assert_int_equal(sim_nr_msis(h.s), n + 1);
	assert_int_equal(sim_msi_get(h.s, n, &addr, &data), 0);
	assert_int_equal(addr, 0xfee01000ULL);
	assert_int_equal(data, 0x24);
	/* the IOAPIC's ID is the MP table's / MADT's: the vCPU count */
	b[0] = IOAPIC_ID;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR, b, 4, true), 0);
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR + 0x10, b, 4, false), 0);
	assert_int_equal(b[3], 2);
	/* pin 4 level-triggered while still asserted: delivered, Remote IRR set */
	b[0] = IOAPIC_REDTBL + 2 * 4;
	b[1] = b[2] = b[3] = 0;
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR, b, 4, true), 0);
	b[0] = 0x24;
	b[1] = 0x80;	/* level */
	n = sim_nr_msis(h.s);
	assert_int_equal(io_bus_dispatch(&h.vm.mmio, IOAPIC_ADDR + 0x10, b, 4, true), 0);
	assert_int_equal(sim_nr_msis(h.s), n + 1);
	/* EOI exits reach it: Remote IRR clears and the asserted pin fires again */
	run = run0(&h, 0);
	run->exit_reason = KVM_EXIT_IOAPIC_EOI;
	run->eoi.vector = 0x24;
	assert_int_equal(vm_coco_handle_exit(&h.vm.vcpus[0], 0), VCPU_EXIT_NOT_MINE);
	assert_int_equal(vcpu_handle_exit(&h.vm.vcpus[0]), VCPU_EXIT_CONTINUE);
	assert_int_equal(sim_nr_msis(h.s), n + 2);
	assert_int_equal(sim_msi_get(h.s, n + 1, &addr, &data), 0);
	assert_int_equal(data, 0x24 | 1u << 15);
	hm_close(&h);
}

/* ---------------- fatal guest events ---------------- */

static void fatal(struct hm *h, uint32_t type, const uint64_t *data, uint32_t ndata)
{
	struct kvm_run *run = run0(h, 0);
	uint32_t i;

	h->vm.outcome = VM_RUNNING;
	h->vm.message[0] = '\0';
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = ndata;
	for (i = 0; i < 16; i++)
		run->system_event.data[i] = i < ndata ? data[i] : 0;
	vm_coco_guest_fatal(&h->vm.vcpus[0]);
	assert_int_equal(h->vm.outcome, VM_GUEST_FATAL);
	assert_int_equal(h->vm.status, EXIT_GUEST_FATAL);
}

static void test_fatal_events(void **state)
{
	uint64_t d[16];
	struct hm h;

	assert_int_equal(open_vm(&h, "tdx,attr=0x10000000", 1), 0);
	memset(d, 0, sizeof(d));
	d[12] = 0x0000000001000000ULL | (1ULL << 63);	/* R12: code, GPA valid */
	d[13] = 0xdead000;				/* R13 */
	d[1] = (1ULL << 14) | (1ULL << 15) | (1ULL << 3);	/* RCX: message registers */
	memcpy(&d[14], "stage0: ", 8);			/* R14 */
	memcpy(&d[15], "bad ACPI", 8);			/* R15 */
	memcpy(&d[3], " table\n\0", 8);			/* RBX */
	d[7] = 0x4141414141414141ULL;			/* RDI: not in the mask */
	fatal(&h, KVM_SYSTEM_EVENT_TDX_FATAL, d, 16);
	assert_string_equal(h.vm.message, "vCPU 0: the TD reported a fatal error: code "
			    "0x8000000001000000, message \"stage0: bad ACPI table\\x0a\", "
			    "details at GPA 0xdead000");
	/* malformed code, no message */
	memset(d, 0, sizeof(d));
	d[12] = 0x1234;
	fatal(&h, KVM_SYSTEM_EVENT_TDX_FATAL, d, 16);
	assert_string_equal(h.vm.message, "vCPU 0: the TD reported a fatal error: code 0x1234 "
			    "(malformed: bits 15:0 must be zero)");
	fatal(&h, KVM_SYSTEM_EVENT_TDX_FATAL, d, 2);
	assert_string_equal(h.vm.message, "vCPU 0: the TD reported a fatal error (no details "
			    "from KVM)");
	/* SEV: GHCB MSR protocol termination request, GHCB-based, triple fault */
	d[0] = 0x100 | 1 << 12 | 3 << 16;
	fatal(&h, KVM_SYSTEM_EVENT_SEV_TERM, d, 1);
	assert_string_equal(h.vm.message, "vCPU 0: the SEV guest requested termination (GHCB "
			    "reason set 1, code 0x03)");
	d[0] = 0x7ff000;
	fatal(&h, KVM_SYSTEM_EVENT_SEV_TERM, d, 1);
	assert_string_equal(h.vm.message, "vCPU 0: the SEV guest requested termination (GHCB "
			    "at 0x7ff000)");
	fatal(&h, KVM_SYSTEM_EVENT_SEV_TERM, d, 0);
	assert_non_null(strstr(h.vm.message, "triple fault"));
	hm_close(&h);
}

/* ---------------- parsers ---------------- */

static void test_quote_check(void **state)
{
	uint8_t b[TDX_QUOTE_HDR_LEN];
	struct tdx_quote_hdr h = { .version = 1, .status = 7, .in_len = 100, .out_len = 9 }, g;

	tdx_quote_hdr_encode(&h, b);
	tdx_quote_hdr_decode(b, &g);
	assert_memory_equal(&h, &g, sizeof(h));
	assert_int_equal(tdx_quote_check(0x1000, 0x1000, b, &g), TDVMCALL_STATUS_SUCCESS);
	assert_int_equal(tdx_quote_check(0x1000, 0, b, &g), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(tdx_quote_check(0x1001, 0x1000, b, &g), TDVMCALL_STATUS_ALIGN_ERROR);
	assert_int_equal(tdx_quote_check(0x1000, 0x1001, b, &g), TDVMCALL_STATUS_ALIGN_ERROR);
	assert_int_equal(tdx_quote_check(0x1000, 0x21000, b, &g), TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(tdx_quote_check(0xfffffffffffff000ULL, 0x2000, b, &g),
			 TDVMCALL_STATUS_INVALID_OPERAND);
	assert_int_equal(tdx_quote_check(0x1000, 0x1000, NULL, &g),
			 TDVMCALL_STATUS_INVALID_OPERAND);
	/* in_len must fit after the header */
	h.in_len = 0x1000 - TDX_QUOTE_HDR_LEN;
	tdx_quote_hdr_encode(&h, b);
	assert_int_equal(tdx_quote_check(0x1000, 0x1000, b, &g), TDVMCALL_STATUS_SUCCESS);
	h.in_len++;
	tdx_quote_hdr_encode(&h, b);
	assert_int_equal(tdx_quote_check(0x1000, 0x1000, b, &g), TDVMCALL_STATUS_INVALID_OPERAND);
	h.in_len = 0xffffffff;
	tdx_quote_hdr_encode(&h, b);
	assert_int_equal(tdx_quote_check(0x1000, 0x1000, b, &g), TDVMCALL_STATUS_INVALID_OPERAND);
}

static void test_qgs_messages(void **state)
{
	uint8_t report[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, out[64], resp[24 + 5];
	const uint8_t *q;
	uint32_t qlen;
	size_t len;

	assert_int_equal(qgs_request_build(report, 8, out, sizeof(out), &len), 0);
	assert_int_equal(len, 4 + 24 + 8);
	assert_int_equal(qgs_frame_len(out), 32);
	assert_int_equal(out[4], 1);		/* major */
	assert_int_equal(out[6], 1);		/* minor */
	assert_int_equal(out[8], 0);		/* GET_QUOTE_REQ */
	assert_int_equal(out[12], 32);		/* size */
	assert_int_equal(out[20], 8);		/* report_size */
	assert_memory_equal(out + 28, report, 8);
	assert_int_equal(qgs_request_build(report, 8, out, 35, &len), -E2BIG);

	memset(resp, 0, sizeof(resp));
	put_le(resp, 1, 2);
	put_le(resp + 2, 1, 2);
	put_le(resp + 4, 1, 4);
	put_le(resp + 8, sizeof(resp), 4);
	put_le(resp + 20, 5, 4);
	memcpy(resp + 24, "QUOTE", 5);
	assert_int_equal(qgs_response_parse(resp, sizeof(resp), &q, &qlen), 0);
	assert_int_equal(qlen, 5);
	assert_memory_equal(q, "QUOTE", 5);
	/* every inconsistency is refused */
	assert_int_equal(qgs_response_parse(resp, 23, &q, &qlen), -EBADMSG);
	assert_int_equal(qgs_response_parse(resp, sizeof(resp) - 1, &q, &qlen), -EBADMSG);
	resp[12] = 1;		/* error_code */
	assert_int_equal(qgs_response_parse(resp, sizeof(resp), &q, &qlen), -EBADMSG);
	resp[12] = 0;
	resp[16] = 4;		/* selected ID */
	assert_int_equal(qgs_response_parse(resp, sizeof(resp), &q, &qlen), -EBADMSG);
	resp[16] = 0;
	resp[20] = 6;		/* quote_size past the message */
	assert_int_equal(qgs_response_parse(resp, sizeof(resp), &q, &qlen), -EBADMSG);
	resp[20] = 5;
	resp[4] = 0;		/* a request, not a response */
	assert_int_equal(qgs_response_parse(resp, sizeof(resp), &q, &qlen), -EBADMSG);
}

static void test_describe_truncation(void **state)
{
	uint64_t d[16];
	char small[24];

	memset(d, 0xff, sizeof(d));	/* every message byte non-printable */
	d[1] = ~0ULL;
	coco_describe_tdx_fatal(d, 16, small, sizeof(small));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	coco_describe_sev_term(d, 1, small, 1);
	assert_int_equal(small[0], '\0');
	coco_describe_tdx_fatal(d, 16, small, 0);	/* no room: untouched, no crash */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_gpa_range),
		cmocka_unit_test(test_other_hypercalls),
		cmocka_unit_test(test_discard),
		cmocka_unit_test(test_memory_fault),
		cmocka_unit_test(test_get_quote),
		cmocka_unit_test(test_tdvmcall_info_and_unknown),
		cmocka_unit_test(test_ioapic_on_tdx),
		cmocka_unit_test(test_fatal_events),
		cmocka_unit_test(test_quote_check),
		cmocka_unit_test(test_qgs_messages),
		cmocka_unit_test(test_describe_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
