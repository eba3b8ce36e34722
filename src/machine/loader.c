// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "arch/x86/cpuid.h"
#include "arch/x86/layout.h"
#include "arch/x86/mptable.h"
#include "boot/bzimage.h"
#include "boot/firmware.h"
#include "boot/pvh.h"
#include "machine/loader.h"
#include "machine/machine.h"
#include "util/log.h"

static const char *kernel_what(const struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;

	if (vm->machine->builtin)
		return "built-in guest";
	return cfg->pvh ? cfg->pvh : cfg->kernel;
}

static int load_firmware(struct vm *vm)
{
	struct machine *m = vm->machine;
	int ret;

	e820_build_firmware(&vm->e820, vm->cfg->mem.size);
	e820_log(&vm->e820);
	ret = vm_map_firmware(vm, m->firmware, m->firmware_len);
	if (ret)
		return ret;
	regs_reset_vector(&vm->bsp_state, cpuid_signature(vm->cpuid));
	return 0;
}

static int load_common_direct(struct vm *vm)
{
	int ret;

	e820_build_direct(&vm->e820, vm->cfg->mem.size);
	e820_log(&vm->e820);
	ret = mptable_write(&vm->mem, MPTABLE_START, vm->nr_vcpus);
	if (ret) {
		log_err("mptable", "cannot write the MP table: %s", strerror(-ret));
		return ret;
	}
	return 0;
}

static int load_bzimage(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct bzimage_info info;
	struct bzimage_load out;
	const char *why = "";
	int ret;

	ret = bzimage_parse(m->kernel, m->kernel_len, &info, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = load_common_direct(vm);
	if (ret)
		return ret;
	ret = bzimage_load(&vm->mem, vm->ram_low, m->kernel, m->kernel_len, &info,
			   m->initrd, m->initrd_len, m->cmdline, &vm->e820, &out, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = regs_setup_long_mode_tables(&vm->mem);
	if (ret) {
		log_err("boot", "cannot write the boot page tables");
		return ret;
	}
	log_info("bzImage: protocol %x.%02x, kernel at 0x%llx, entry 0x%llx, initrd 0x%llx+0x%llx",
		 info.version >> 8, info.version & 0xff,
		 (unsigned long long)out.kernel_addr, (unsigned long long)out.entry64,
		 (unsigned long long)out.initrd_addr, (unsigned long long)out.initrd_size);
	regs_long_mode(&vm->bsp_state, out.entry64, out.zero_page);
	return 0;
}

static int load_pvh(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct pvh_info info;
	struct pvh_load out;
	const char *why = "";
	int ret;

	ret = pvh_parse(m->kernel, m->kernel_len, &info, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = load_common_direct(vm);
	if (ret)
		return ret;
	ret = pvh_load(&vm->mem, vm->ram_low, m->kernel, m->kernel_len, &info,
		       m->initrd, m->initrd_len, m->cmdline, &vm->e820, 0, &out, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = regs_setup_protected_mode_gdt(&vm->mem);
	if (ret) {
		log_err("boot", "cannot write the boot GDT");
		return ret;
	}
	log_info("PVH: entry 0x%llx, start info 0x%llx, initrd 0x%llx+0x%llx",
		 (unsigned long long)out.entry, (unsigned long long)out.start_info,
		 (unsigned long long)out.initrd_addr, (unsigned long long)out.initrd_size);
	regs_protected_mode(&vm->bsp_state, (uint32_t)out.entry,
			    (uint32_t)out.start_info);
	return 0;
}

int loader_load(struct vm *vm)
{
	struct machine *m = vm->machine;

	if (m->firmware)
		return load_firmware(vm);
	if (vm->cfg->pvh || pvh_is_elf(m->kernel, m->kernel_len))
		return load_pvh(vm);
	return load_bzimage(vm);
}
