// SPDX-License-Identifier: GPL-2.0-only
/*
 * cvmm boot --igvm FILE: the file's platform as the machine's images (see
 * machine/igvm_boot.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/e820.h"
#include "arch/x86/layout.h"
#include "boot/firmware.h"
#include "coco/kvm/kvm_vmsa.h"
#include "coco/plan/plan_igvm.h"
#include "machine/igvm_boot.h"
#include "machine/machine.h"
#include "machine/vm.h"
#include "measure/vmsa.h"
#include "util/file.h"
#include "util/log.h"

#define IGVM_BOOT_FILE_MAX	(1ULL << 30)
#define FOUR_GB			0x100000000ULL
#define FW_WINDOW		(FOUR_GB - FIRMWARE_MAX_SIZE)

void igvm_boot_free(struct igvm_boot *b)
{
	if (!b)
		return;
	igvm_load_free(b->load);
	igvm_free(b->file);
	free(b->buf);
	free(b);
}

static bool in_window(const struct igvm_op *o)
{
	return o->gpa >= FW_WINDOW && o->gpa < FOUR_GB && o->len <= FOUR_GB - o->gpa;
}

/* The host values: this machine's RAM (as vm_create() splits it), vCPUs, cmdline. */
static void host_values(struct igvm_boot *b, const struct vm_config *cfg,
			struct igvm_host *h)
{
	uint64_t low, high;

	if (config_q35_ram(cfg))	/* as vm_setup_memory() splits it */
		e820_ram_split_q35(cfg->mem.size, &low, &high);
	else
		e820_ram_split(cfg->mem.size, &low, &high);
	memset(h, 0, sizeof(*h));
	b->mem[h->nr_mem++] = (struct igvm_mem_entry){ 0, low, IGVM_MEM_MEMORY };
	if (high)
		b->mem[h->nr_mem++] = (struct igvm_mem_entry){ HIGH_RAM_START, high,
							       IGVM_MEM_MEMORY };
	h->mem = b->mem;
	h->vp_count = cfg->cpu.count;
	h->cmdline = cfg->cmdline;
	h->memory_is_shared = cfg->coco.type == COCO_NONE;
}

/* Pages in the firmware window as one ROM image ending at 4 GiB: m->firmware. */
static int build_rom(struct machine *m, const struct igvm_boot *b)
{
	const struct igvm_load *l = b->load;
	uint64_t start = FOUR_GB;
	unsigned int i;
	uint8_t *rom;

	for (i = 0; i < l->nr_ops; i++)
		if (in_window(&l->ops[i]) && l->ops[i].gpa < start)
			start = l->ops[i].gpa;
	if (start == FOUR_GB) {
		if (!l->have_native_ctx && !l->nr_vmsas) {
			log_err(b->path, "no page at the reset vector and no VP context: "
				"nothing starts the boot vCPU");
			return -EINVAL;
		}
		start = FOUR_GB - 4096;	/* an empty ROM: the VP context starts vCPU 0 */
	}
	rom = calloc(1, (size_t)(FOUR_GB - start));
	if (!rom)
		return -ENOMEM;
	for (i = 0; i < l->nr_ops; i++) {
		const struct igvm_op *o = &l->ops[i];

		if (in_window(o) && (o->kind == IGVM_OP_DATA || o->kind == IGVM_OP_PARAM))
			memcpy(rom + (o->gpa - start), o->data, (size_t)o->len);
	}
	m->firmware = rom;
	m->firmware_len = (size_t)(FOUR_GB - start);
	return 0;
}

/* Every page outside the window in guest RAM (checked once, before any VM). */
static int check_ram(const struct igvm_boot *b, const struct igvm_host *h,
		     uint64_t mem_size)
{
	const struct igvm_load *l = b->load;
	unsigned int i, j;

	for (i = 0; i < l->nr_ops; i++) {
		const struct igvm_op *o = &l->ops[i];
		bool ok = in_window(o);

		for (j = 0; !ok && j < h->nr_mem; j++)
			ok = o->gpa >= h->mem[j].gpa && o->len <= h->mem[j].len &&
			     o->gpa - h->mem[j].gpa <= h->mem[j].len - o->len;
		if (!ok) {
			log_err(b->path, "pages at 0x%" PRIx64 " (0x%" PRIx64 " bytes) lie outside "
				"guest RAM (%" PRIu64 " MiB) and the firmware window below 4 GiB",
				o->gpa, o->len, mem_size >> 20);
			return -EINVAL;
		}
	}
	return 0;
}

static int read_file(struct igvm_boot *b, const struct vm_config *cfg)
{
	unsigned int allowed = cfg->coco.type == COCO_SNP ? 1u << IGVM_PLAT_SNP :
			       1u << IGVM_PLAT_NATIVE;
	struct err_msg err;
	int ret;

	ret = file_read_flags(b->path, IGVM_BOOT_FILE_MAX, FILE_REGULAR, &b->buf, &b->len);
	if (ret) {
		log_err(b->path, "cannot read the IGVM file: %s", strerror(-ret));
		return ret;
	}
	ret = igvm_parse(b->buf, b->len, &b->file, &err);
	if (!ret)
		ret = igvm_select_platform(b->file, allowed, &b->platform, &err);
	if (ret) {
		log_err(b->path, "%s", ret == -ENOMEM ? "out of memory" : err.msg);
		return ret;
	}
	igvm_select_reason(b->file, b->platform, b->reason, sizeof(b->reason));
	if (log_level >= LOG_NORMAL)
		fprintf(stderr, "cvmm: %s: %s\n", b->path, b->reason);
	return 0;
}

int igvm_boot_read(struct machine *m)
{
	const struct vm_config *cfg = m->cfg;
	struct igvm_boot *b = calloc(1, sizeof(*b));
	struct igvm_host host;
	struct err_msg err;
	int ret;

	if (!b)
		return log_errno("--igvm", -ENOMEM);
	m->igvm = b;
	b->path = cfg->igvm;
	ret = read_file(b, cfg);
	if (ret)
		return ret;
	host_values(b, cfg, &host);
	ret = igvm_load_build(b->file, b->platform, &host, IGVM_ZERO_AS_NORMAL, false,
			      &b->load, &err);
	if (ret) {
		log_err(b->path, "%s", ret == -ENOMEM ? "out of memory" : err.msg);
		return ret;
	}
	ret = check_ram(b, &host, cfg->mem.size);
	if (!ret)
		ret = build_rom(m, b);
	return ret == -ENOMEM ? log_errno("--igvm", ret) : ret;
}

int igvm_boot_plan(struct vm *vm, struct launch_plan **plan, struct err_msg *err)
{
	const struct igvm_boot *b = vm->machine->igvm;
	struct plan_igvm_params pp = {
		.load = b->load, .coco = &vm->cfg->coco, .nr_vcpus = vm->nr_vcpus,
		.mem_size = vm->cfg->mem.size,
	};
	int ret = plan_from_igvm(&pp, plan, err);

	if (ret)
		log_err(b->path, "%s", ret == -ENOMEM ? "out of memory" : err->msg);
	return ret;
}

/* vCPU 0 from the file's native VP context (the APIC base and CR8 stay KVM's). */
static int native_context(struct vm *vm, const struct igvm_boot *b)
{
	struct vcpu_boot_state *st = &vm->bsp_state;
	struct vmsa_state v;
	struct err_msg err;

	if (igvm_native_to_state(&b->load->native_ctx, &v, &err)) {
		log_err(b->path, "%s", err.msg);
		return -EINVAL;
	}
	memset(&st->regs, 0, sizeof(st->regs));
	st->regs.rax = v.rax;
	st->regs.rbx = v.rbx;
	st->regs.rcx = v.rcx;
	st->regs.rdx = v.rdx;
	st->regs.rsi = v.rsi;
	st->regs.rdi = v.rdi;
	st->regs.rsp = v.rsp;
	st->regs.rbp = v.rbp;
	st->regs.rip = v.rip;
	st->regs.rflags = v.rflags | 2;
	kvm_seg_from_vmsa(&v.seg[VMSA_CS], &st->sregs.cs);
	kvm_seg_from_vmsa(&v.seg[VMSA_DS], &st->sregs.ds);
	kvm_seg_from_vmsa(&v.seg[VMSA_ES], &st->sregs.es);
	kvm_seg_from_vmsa(&v.seg[VMSA_FS], &st->sregs.fs);
	kvm_seg_from_vmsa(&v.seg[VMSA_GS], &st->sregs.gs);
	kvm_seg_from_vmsa(&v.seg[VMSA_SS], &st->sregs.ss);
	st->sregs.gdt.base = v.seg[VMSA_GDTR].base;
	st->sregs.gdt.limit = (uint16_t)v.seg[VMSA_GDTR].limit;
	st->sregs.idt.base = v.seg[VMSA_IDTR].base;
	st->sregs.idt.limit = (uint16_t)v.seg[VMSA_IDTR].limit;
	st->sregs.cr0 = v.cr0;
	st->sregs.cr3 = v.cr3;
	st->sregs.cr4 = v.cr4;
	st->sregs.efer = v.efer;
	return 0;
}

/* One page run of a native load into guest RAM (pages in the window are the ROM). */
static int load_op(struct vm *vm, const struct igvm_op *o)
{
	void *hva;

	if (in_window(o))
		return 0;
	if (o->kind == IGVM_OP_DATA || o->kind == IGVM_OP_PARAM)
		return guest_mem_write(&vm->mem, o->gpa, o->data, o->len);
	hva = guest_mem_ptr(&vm->mem, o->gpa, o->len);
	if (!hva)
		return -EFAULT;
	memset(hva, 0, o->len);		/* ZERO (SECRETS and CPUID are SNP's) */
	return 0;
}

int igvm_boot_load(struct vm *vm)
{
	const struct igvm_boot *b = vm->machine->igvm;
	const struct igvm_load *l = b->load;
	unsigned int i;
	int ret;

	if (vm->cfg->coco.type != COCO_NONE)
		return 0;	/* the launch plan puts the pages */
	for (i = 0; i < l->nr_ops; i++) {
		ret = load_op(vm, &l->ops[i]);
		if (ret) {
			log_err(b->path, "cannot load 0x%" PRIx64 " bytes at 0x%" PRIx64 ": %s",
				l->ops[i].len, l->ops[i].gpa, strerror(-ret));
			return ret;
		}
	}
	return l->have_native_ctx ? native_context(vm, b) : 0;
}
