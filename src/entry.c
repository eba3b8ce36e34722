// SPDX-License-Identifier: GPL-2.0-only
/*
 * The static PIE cvmm's entry point (meson.build: -Wl,-e,cvmm_entry), run
 * before glibc's _start: it makes the pages of the RELRO segment (the
 * pointer tables glibc's _dl_relocate_static_pie() then writes, ~95 pages
 * of them, nearly all libcrypto's) private and writable in one
 * madvise(MADV_POPULATE_WRITE) instead of one copy-on-write fault per page.
 * The relocation writes every one of those pages anyway: the RSS is the
 * same, the ~95 exceptions are gone (docs/startup.md).
 *
 * Nothing is set up yet: no relocations applied, no TLS (hence no stack
 * protector), no errno.  The function only reads the program headers
 * through __ehdr_start (PC-relative), makes one system call and ignores
 * its result: a kernel without MADV_POPULATE_WRITE (< 5.14) says EINVAL
 * and the relocations fault the pages in as before.
 */
#include <elf.h>
#include <stdint.h>
#include <sys/syscall.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif
#define ENTRY_PAGE		4096ul

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

void entry_prefault_relro(void);

__attribute__((used, no_stack_protector, visibility("hidden")))
void entry_prefault_relro(void)
{
	const Elf64_Ehdr *eh = &__ehdr_start;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
	uintptr_t base = (uintptr_t)eh, lo, hi;
	long ret;
	int i;

	for (i = 0; i < eh->e_phnum; i++)	/* the segment holding the ELF header */
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset == 0)
			base = (uintptr_t)eh - ph[i].p_vaddr;
	for (i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_GNU_RELRO)
			continue;
		/* whole pages only: the partial last one faults in as before */
		lo = (base + ph[i].p_vaddr) & ~(ENTRY_PAGE - 1);
		hi = (base + ph[i].p_vaddr + ph[i].p_memsz) & ~(ENTRY_PAGE - 1);
		if (hi <= lo)
			return;
		__asm__ volatile("syscall"
				 : "=a"(ret)
				 : "0"((long)SYS_madvise), "D"(lo), "S"(hi - lo),
				   "d"((long)MADV_POPULATE_WRITE)
				 : "rcx", "r11", "memory");
		(void)ret;
		return;
	}
}

/*
 * The kernel starts the process with %rsp at argc and %rdx zero (no
 * dynamic loader's fini); _start expects exactly that, so restore both.
 */
__asm__(".text\n"
	".globl cvmm_entry\n"
	".type cvmm_entry, @function\n"
	"cvmm_entry:\n"
	"	endbr64\n"
	"	mov %rsp, %rbx\n"
	"	and $-16, %rsp\n"
	"	call entry_prefault_relro\n"
	"	mov %rbx, %rsp\n"
	"	xor %ebx, %ebx\n"
	"	xor %edx, %edx\n"
	"	jmp _start\n"
	".size cvmm_entry, . - cvmm_entry\n");
