// SPDX-License-Identifier: GPL-2.0-only
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "arch/x86/layout.h"
#include "boot/pvh.h"
#include "util/compiler.h"

bool pvh_is_elf(const uint8_t *img, size_t len)
{
	return len >= SELFMAG && !memcmp(img, ELFMAG, SELFMAG);
}

/* Walk one note area; set *entry if the PVH note is there. */
static int scan_notes(const uint8_t *p, uint64_t size, uint32_t *entry,
		      bool *found)
{
	uint64_t off = 0;

	while (size - off >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_len, desc_len, desc_off;

		memcpy(&nh, p + off, sizeof(nh));
		name_len = ALIGN_UP((uint64_t)nh.n_namesz, 4);
		desc_len = ALIGN_UP((uint64_t)nh.n_descsz, 4);
		desc_off = off + sizeof(nh) + name_len;
		if (desc_off > size || desc_len > size - desc_off)
			return -EINVAL;
		if (nh.n_type == XEN_ELFNOTE_PHYS32_ENTRY && nh.n_namesz == 4 &&
		    !memcmp(p + off + sizeof(nh), "Xen", 4)) {
			if (nh.n_descsz == 4) {
				uint32_t v;

				memcpy(&v, p + desc_off, 4);
				*entry = v;
			} else if (nh.n_descsz == 8) {
				uint64_t v;

				memcpy(&v, p + desc_off, 8);
				if (v > UINT32_MAX)
					return -EINVAL;
				*entry = (uint32_t)v;
			} else {
				return -EINVAL;
			}
			*found = true;
		}
		off = desc_off + desc_len;
	}
	return 0;
}

int pvh_parse(const uint8_t *img, size_t len, struct pvh_info *info,
	      const char **why)
{
	Elf64_Ehdr eh;
	bool found = false;
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->lowest = UINT64_MAX;
	if (len < sizeof(eh) || !pvh_is_elf(img, len)) {
		*why = "not an ELF file";
		return -EINVAL;
	}
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_X86_64) {
		*why = "not a 64-bit little-endian x86-64 ELF file";
		return -EINVAL;
	}
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || !eh.e_phnum ||
	    eh.e_phoff > len || (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff) {
		*why = "malformed ELF program headers";
		return -EINVAL;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			*why = "ELF segment runs past the end of the file";
			return -EINVAL;
		}
		if (ph.p_type == PT_NOTE) {
			if (scan_notes(img + ph.p_offset, ph.p_filesz,
				       &info->entry, &found)) {
				*why = "malformed ELF note";
				return -EINVAL;
			}
			continue;
		}
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (ph.p_filesz > ph.p_memsz || range_overflows(ph.p_paddr, ph.p_memsz)) {
			*why = "malformed ELF load segment";
			return -EINVAL;
		}
		if (info->nr_segments == PVH_MAX_SEGMENTS) {
			*why = "too many ELF load segments";
			return -EINVAL;
		}
		info->segments[info->nr_segments++] = (struct pvh_segment){
			.paddr = ph.p_paddr, .filesz = ph.p_filesz,
			.memsz = ph.p_memsz, .offset = ph.p_offset,
		};
		info->lowest = MIN(info->lowest, ph.p_paddr);
		info->highest = MAX(info->highest, ph.p_paddr + ph.p_memsz);
	}
	if (!found) {
		*why = "no PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY): "
		       "build the kernel with CONFIG_PVH=y";
		return -EINVAL;
	}
	if (!info->nr_segments) {
		*why = "ELF file has nothing to load";
		return -EINVAL;
	}
	return 0;
}

/* The kernel's PT_LOAD segments, zero-filled past their file bytes. */
static int pvh_load_segments(const struct guest_mem *mem, uint64_t ram_low_end,
			     const uint8_t *img, const struct pvh_info *info, const char **why)
{
	unsigned int i;
	int ret;

	if (info->lowest < HIMEM_START || info->highest > ram_low_end) {
		*why = info->lowest < HIMEM_START ?
		       "kernel segments overlap the low 1 MiB" :
		       "not enough memory for the kernel (raise --memory size=)";
		return -ENOSPC;
	}
	for (i = 0; i < info->nr_segments; i++) {
		const struct pvh_segment *s = &info->segments[i];

		ret = guest_mem_write(mem, s->paddr, img + s->offset, s->filesz);
		if (!ret)
			ret = guest_mem_fill(mem, s->paddr + s->filesz, 0,
					     s->memsz - s->filesz);
		if (ret) {
			*why = "kernel segment does not fit in guest RAM";
			return -ENOSPC;
		}
	}
	return 0;
}

/* The initrd as high as possible in low RAM, above the kernel. */
static int pvh_load_initrd(const struct guest_mem *mem, uint64_t ram_low_end,
			   const struct pvh_info *info, const uint8_t *initrd,
			   size_t initrd_len, uint64_t *iaddr, const char **why)
{
	if (ram_low_end < initrd_len ||
	    ALIGN_DOWN(ram_low_end - initrd_len, SZ_4K) < info->highest) {
		*why = "not enough memory for the initramfs (raise --memory size=)";
		return -ENOSPC;
	}
	*iaddr = ALIGN_DOWN(ram_low_end - initrd_len, SZ_4K);
	if (guest_mem_write(mem, *iaddr, initrd, initrd_len)) {
		*why = "initramfs does not fit in guest RAM";
		return -ENOSPC;
	}
	return 0;
}

/* hvm_start_info at @start_info, its memory map and module list (-ENOSPC). */
static int pvh_write_start_info(const struct guest_mem *mem, uint64_t start_info,
				struct hvm_start_info *si, const struct hvm_modlist_entry *mod,
				const struct e820_map *e820)
{
	struct hvm_memmap_table_entry mm[E820_MAX_ENTRIES];
	unsigned int i;
	int ret;

	for (i = 0; i < e820->nr; i++)
		mm[i] = (struct hvm_memmap_table_entry){
			.addr = e820->entries[i].addr,
			.size = e820->entries[i].size,
			.type = e820->entries[i].type,
		};
	si->memmap_paddr = BOOT_PVH_MEMMAP_ADDR;
	si->memmap_entries = e820->nr;
	ret = guest_mem_write(mem, BOOT_PVH_MEMMAP_ADDR, mm, e820->nr * sizeof(mm[0]));
	if (!ret)
		ret = guest_mem_write(mem, start_info, si, sizeof(*si));
	if (!ret && si->nr_modules)
		ret = guest_mem_write(mem, si->modlist_paddr, mod, sizeof(*mod));
	return ret ? -ENOSPC : 0;
}

int pvh_load(const struct guest_mem *mem, uint64_t ram_low_end,
	     const uint8_t *img, size_t len, const struct pvh_info *info,
	     const uint8_t *initrd, size_t initrd_len, const char *cmdline,
	     const struct e820_map *e820, uint64_t rsdp, struct pvh_load *out,
	     const char **why)
{
	struct hvm_start_info si = {
		.magic = HVM_START_MAGIC, .version = 1,
	};
	struct hvm_modlist_entry mod = { 0 };
	uint64_t start_info = BOOT_PARAMS_ADDR, iaddr;
	size_t cmdlen = strlen(cmdline) + 1;
	int ret;

	memset(out, 0, sizeof(*out));
	ret = pvh_load_segments(mem, ram_low_end, img, info, why);
	if (ret)
		return ret;
	if (initrd_len) {
		ret = pvh_load_initrd(mem, ram_low_end, info, initrd, initrd_len, &iaddr, why);
		if (ret)
			return ret;
		mod.paddr = iaddr;
		mod.size = initrd_len;
		out->initrd_addr = iaddr;
		out->initrd_size = initrd_len;
		si.nr_modules = 1;
		si.modlist_paddr = start_info + sizeof(si);
	}
	if (cmdlen > BOOT_CMDLINE_MAX) {
		*why = "command line too long";
		return -E2BIG;
	}
	si.cmdline_paddr = BOOT_CMDLINE_ADDR;
	si.rsdp_paddr = rsdp;
	if (guest_mem_write(mem, BOOT_CMDLINE_ADDR, cmdline, cmdlen) ||
	    pvh_write_start_info(mem, start_info, &si, &mod, e820)) {
		*why = "no room for the boot structures";
		return -ENOSPC;
	}
	out->entry = info->entry;
	out->start_info = start_info;
	return 0;
}
