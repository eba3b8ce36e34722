// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86/acpi/acpi.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/layout.h"
#include "arch/x86/mptable.h"
#include "boot/bzimage.h"
#include "boot/firmware.h"
#include "machine/igvm_boot.h"
#include "boot/pvh.h"
#include "devices/fw_cfg/fw_cfg.h"
#include "machine/loader.h"
#include "machine/machine.h"
#include "machine/pci_setup.h"
#include "util/log.h"
#include "util/num.h"

#define BP_ACPI_RSDP_ADDR	0x070	/* struct boot_params.acpi_rsdp_addr */

static const char *kernel_what(const struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;

	if (vm->machine->builtin)
		return "built-in guest";
	return cfg->pvh ? cfg->pvh : cfg->kernel;
}

/* The ACPI description of this machine, shared by both boot paths. */
static int build_acpi(struct vm *vm, bool firmware, struct acpi_tables *t)
{
	struct acpi_config ac;
	int ret;

	acpi_config_init(&ac, vm->nr_vcpus);
	ac.ioapic_id = (uint8_t)vm->nr_vcpus;	/* as in the MP table */
	ac.has_i8042 = true;
	ac.rtc_century = 0x32;
	if (firmware)
		ac.fw_cfg_port = PORT_FW_CFG;
	pci_setup_describe_acpi(vm, &ac);	/* root bridge, _PRT, MCFG */
	ret = acpi_build(&ac, t);
	if (ret)
		log_err("acpi", "cannot build the ACPI tables: %s", strerror(-ret));
	return ret;
}

/* ------------------------------------------------------------------ */
/* firmware boot: ROM at the reset vector, everything else over fw_cfg */

static int fw_cfg_add_user_items(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	enum coco_type coco = coco_layout_type(&cfg->coco);	/* platform=sim too */
	unsigned int i;
	int ret = 0;

	/* AmdSev OVMF verifies every etc/boot/ blob and stops on unknown ones */
	if (coco == COCO_SEV || coco == COCO_SEV_ES || coco == COCO_SNP)
		ret = fw_cfg_reserve_prefix(vm->dev.fw_cfg, "etc/boot/");
	for (i = 0; !ret && i < cfg->nr_fw_cfg; i++) {
		const struct fw_cfg_item_config *it = &cfg->fw_cfg[i];

		if (it->string) {
			ret = fw_cfg_add_file(vm->dev.fw_cfg, it->name, it->string,
					      strlen(it->string));
		} else {
			/* read once at start (machine_read_inputs) */
			const struct machine_file *f = &vm->machine->fw_cfg_files[i];

			ret = fw_cfg_add_file_ex(vm->dev.fw_cfg, it->name, f->data, f->len,
						 FW_CFG_F_BORROW, NULL, NULL);
		}
		if (ret) {
			log_err("--fw-cfg", "cannot add '%s': %s", it->name,
				ret == -EEXIST ? "a fw_cfg file with this name exists" :
				ret == -EPERM ? "SEV and SEV-SNP guests get no etc/boot/ files "
				"(OVMF's AmdSev build stops at any blob it cannot verify)" :
				strerror(-ret));
			return ret;
		}
	}
	return ret;
}

static int fw_cfg_add_kernel_items(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct fw_cfg_kernel k = { 0 };
	struct bzimage_info info;
	const char *why = "";
	int ret;

	if (!m->kernel || m->builtin)
		return 0;
	if (pvh_is_elf(m->kernel, m->kernel_len)) {
		log_err(kernel_what(vm), "with --firmware, the kernel must be a bzImage "
			"(firmware loads it through fw_cfg)");
		return -EINVAL;
	}
	ret = bzimage_parse(m->kernel, m->kernel_len, &info, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	k.image = m->kernel;
	k.image_len = m->kernel_len;
	k.setup_sects = m->kernel[BP_SETUP_SECTS];
	k.initrd = m->initrd_len ? m->initrd : NULL;
	k.initrd_len = m->initrd_len;
	k.cmdline = m->cmdline;
	k.borrow = true;	/* the machine keeps the pristine images */
	ret = fw_cfg_add_kernel(vm->dev.fw_cfg, &k);
	if (ret)
		log_err(kernel_what(vm), "cannot serve the kernel over fw_cfg: %s",
			strerror(-ret));
	return ret;
}

/*
 * The Q35 persona rebuilds its tables when the guest moves the ECAM or the
 * PM block: pad the tables file with room for what can grow (an MCFG
 * entry, the ECAM's motherboard resource, a second _CRS range), so every
 * version has the size the fw_cfg directory gave first.
 */
#define ACPI_Q35_SLACK		4096
#define ACPI_Q35_ALIGN		0x10000

static int fw_cfg_add_acpi(struct vm *vm)
{
	struct acpi_tables t;
	int ret;

	ret = build_acpi(vm, true, &t);
	if (ret)
		return ret;
	if (vm->dev.q35) {
		vm->dev.acpi_len = ALIGN_UP(t.files[ACPI_FILE_TABLES].len + ACPI_Q35_SLACK,
					    ACPI_Q35_ALIGN);
		ret = acpi_tables_pad(&t, vm->dev.acpi_len);
		if (ret) {
			acpi_tables_free(&t);
			return log_errno("acpi", ret);
		}
	}
	ret = fw_cfg_add_acpi_files(vm->dev.fw_cfg, &t);
	acpi_tables_free(&t);
	if (ret)
		log_err("fw_cfg", "cannot add the ACPI tables: %s", strerror(-ret));
	return ret;
}

void loader_acpi_update(struct vm *vm)
{
	struct acpi_tables t;
	int ret;

	if (!vm->dev.fw_cfg || !vm->dev.acpi_len)
		return;		/* not yet: the first build sees the chipset as it is */
	if (build_acpi(vm, true, &t))
		return;
	ret = acpi_tables_pad(&t, vm->dev.acpi_len);
	if (!ret)
		ret = fw_cfg_update_acpi_files(vm->dev.fw_cfg, &t);
	if (ret)
		log_warn("acpi", "cannot rebuild the ACPI tables after the chipset changed: %s",
			 strerror(-ret));
	acpi_tables_free(&t);
}

static int setup_fw_cfg(struct vm *vm, bool firmware)
{
	const struct vm_config *cfg = vm->cfg;
	uint32_t fail_wait = 0xffffffff;	/* never reboot on boot failure */
	int ret;

	ret = fw_cfg_new(&vm->mem, &vm->dev.fw_cfg);
	if (ret)
		return log_errno("fw_cfg", ret);
	ret = fw_cfg_register(vm->dev.fw_cfg, &vm->pio);
	if (!ret)
		ret = fw_cfg_add_u64(vm->dev.fw_cfg, FW_CFG_RAM_SIZE, cfg->mem.size);
	if (!ret)
		ret = fw_cfg_add_u16(vm->dev.fw_cfg, FW_CFG_NB_CPUS, (uint16_t)vm->nr_vcpus);
	if (!ret)
		ret = fw_cfg_add_u16(vm->dev.fw_cfg, FW_CFG_MAX_CPUS, (uint16_t)vm->nr_vcpus);
	if (!ret)
		ret = fw_cfg_add_file(vm->dev.fw_cfg, "etc/e820", vm->e820.entries,
				      vm->e820.nr * sizeof(vm->e820.entries[0]));
	if (!ret)
		ret = fw_cfg_add_file(vm->dev.fw_cfg, "etc/boot-fail-wait", &fail_wait,
				      sizeof(fail_wait));
	if (ret)
		return log_errno("fw_cfg", ret);
	if (firmware) {
		ret = fw_cfg_add_acpi(vm);
		if (!ret)
			ret = fw_cfg_add_kernel_items(vm);
		if (ret)
			return ret;
	}
	return fw_cfg_add_user_items(vm);
}

static int load_firmware(struct vm *vm)
{
	struct machine *m = vm->machine;
	int ret;

	e820_build_firmware_split(&vm->e820, vm->ram_low, vm->ram_high);
	e820_log(&vm->e820);
	ret = vm_map_firmware(vm, m->firmware, m->firmware_len);
	if (!ret)
		ret = setup_fw_cfg(vm, true);
	if (ret)
		return ret;
	regs_reset_vector(&vm->bsp_state, cpuid_signature(vm->cpuid));
	return 0;
}

/* ------------------------------------------------------------------ */
/* direct boots: the VMM plays firmware */

static int load_common_direct(struct vm *vm, uint64_t *rsdp)
{
	struct acpi_tables t;
	int ret;

	e820_build_direct(&vm->e820, vm->cfg->mem.size);
	e820_log(&vm->e820);
	ret = mptable_write(&vm->mem, MPTABLE_START, vm->nr_vcpus);
	if (ret) {
		log_err("mptable", "cannot write the MP table: %s", strerror(-ret));
		return ret;
	}
	ret = build_acpi(vm, false, &t);
	if (ret)
		return ret;
	ret = acpi_install(&t, &vm->mem, ACPI_TABLES_START, ACPI_TABLES_MAX, rsdp);
	acpi_tables_free(&t);
	if (ret) {
		log_err("acpi", "cannot install the ACPI tables: %s", strerror(-ret));
		return ret;
	}
	/* --fw-cfg items are offered to direct boots too (Linux's qemu_fw_cfg) */
	if (vm->cfg->nr_fw_cfg)
		return setup_fw_cfg(vm, false);
	return 0;
}

static int load_bzimage(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct bzimage_info info;
	struct bzimage_load out;
	const char *why = "";
	uint64_t rsdp = 0;
	int ret;

	ret = bzimage_parse(m->kernel, m->kernel_len, &info, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = load_common_direct(vm, &rsdp);
	if (ret)
		return ret;
	ret = bzimage_load(&vm->mem, vm->ram_low, m->kernel, m->kernel_len, &info,
			   m->initrd, m->initrd_len, m->cmdline, &vm->e820, &out, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = guest_mem_write(&vm->mem, out.zero_page + BP_ACPI_RSDP_ADDR, &rsdp,
			      sizeof(rsdp));
	if (!ret)
		ret = regs_setup_long_mode_tables(&vm->mem);
	if (ret) {
		log_err("boot", "cannot write the boot page tables");
		return ret;
	}
	log_info("bzImage: protocol %x.%02x, kernel at 0x%llx, entry 0x%llx, initrd 0x%llx+0x%llx, ACPI RSDP 0x%llx",
		 info.version >> 8, info.version & 0xff,
		 (unsigned long long)out.kernel_addr, (unsigned long long)out.entry64,
		 (unsigned long long)out.initrd_addr, (unsigned long long)out.initrd_size,
		 (unsigned long long)rsdp);
	regs_long_mode(&vm->bsp_state, out.entry64, out.zero_page);
	return 0;
}

static int load_pvh(struct vm *vm)
{
	struct machine *m = vm->machine;
	struct pvh_info info;
	struct pvh_load out;
	const char *why = "";
	uint64_t rsdp = 0;
	int ret;

	ret = pvh_parse(m->kernel, m->kernel_len, &info, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = load_common_direct(vm, &rsdp);
	if (ret)
		return ret;
	ret = pvh_load(&vm->mem, vm->ram_low, m->kernel, m->kernel_len, &info,
		       m->initrd, m->initrd_len, m->cmdline, &vm->e820, rsdp, &out, &why);
	if (ret) {
		log_err(kernel_what(vm), "%s", why);
		return ret;
	}
	ret = regs_setup_protected_mode_gdt(&vm->mem);
	if (ret) {
		log_err("boot", "cannot write the boot GDT");
		return ret;
	}
	log_info("PVH: entry 0x%llx, start info 0x%llx, initrd 0x%llx+0x%llx, ACPI RSDP 0x%llx",
		 (unsigned long long)out.entry, (unsigned long long)out.start_info,
		 (unsigned long long)out.initrd_addr, (unsigned long long)out.initrd_size,
		 (unsigned long long)rsdp);
	regs_protected_mode(&vm->bsp_state, (uint32_t)out.entry,
			    (uint32_t)out.start_info);
	return 0;
}

int loader_load(struct vm *vm)
{
	struct machine *m = vm->machine;
	int ret;

	if (m->firmware) {
		ret = load_firmware(vm);
		return !ret && m->igvm ? igvm_boot_load(vm) : ret;
	}
	if (vm->cfg->pvh || pvh_is_elf(m->kernel, m->kernel_len))
		return load_pvh(vm);
	return load_bzimage(vm);
}
