/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points of cvmm's freestanding guests.
 *   0x100000  32-bit bzImage entry (not used by 64-bit loaders)
 *   0x100200  64-bit Linux boot protocol entry: RSI = struct boot_params
 *   pvh_start32: PVH entry (ELF note): 32-bit, paging off, EBX = start info
 * Both switch to the guest's own page tables (identity map of the first
 * 16 GiB with 2 MiB pages) and call guest_entry(info, kind).
 */
#define BOOT_LINUX	1
#define BOOT_PVH	2
#define NR_PD_PAGES	16

	.section .text.head, "ax"
	.code32
	.globl _start
_start:
	cli
1:	hlt
	jmp 1b

	.org 0x200
	.code64
	.globl entry64
entry64:
	cli
	movabs $pml4, %rax
	mov %rax, %cr3
	movabs $stack_top, %rsp
	mov %rsi, %rdi
	mov $BOOT_LINUX, %esi
	call guest_entry
2:	hlt
	jmp 2b

	.code32
	.globl pvh_start32
pvh_start32:
	cli
	mov %ebx, pvh_info
	lgdt gdt64_desc
	mov $pml4, %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx		/* EFER */
	rdmsr
	or $0x100, %eax			/* LME */
	wrmsr
	mov %cr0, %eax
	or $0x80000001, %eax		/* PG | PE */
	mov %eax, %cr0
	ljmp $0x08, $pvh_start64

	.code64
pvh_start64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	movabs $stack_top, %rsp
	mov pvh_info, %edi
	mov $BOOT_PVH, %esi
	call guest_entry
3:	hlt
	jmp 3b

	/* XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry point */
	.section .note.Xen, "a"
	.balign 4
	.long 4				/* name size */
	.long 4				/* desc size */
	.long 18			/* type */
	.asciz "Xen"
	.long pvh_start32

	.data
	.balign 8
gdt64:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
gdt64_end:
gdt64_desc:
	.word gdt64_end - gdt64 - 1
	.long gdt64
pvh_info:
	.long 0

	.balign 4096
	.globl pml4
pml4:
	.quad pdpt + 0x3
	.fill 511, 8, 0
pdpt:
	.set i, 0
	.rept NR_PD_PAGES
	.quad pd + i * 4096 + 0x3
	.set i, i + 1
	.endr
	.fill 512 - NR_PD_PAGES, 8, 0
	.globl pd
pd:
	.set i, 0
	.rept NR_PD_PAGES * 512
	.quad (i << 21) | 0x83		/* present, writable, 2 MiB */
	.set i, i + 1
	.endr

	.bss
	.balign 16
	.globl stack_bottom
stack_bottom:
	.skip 16384
	.globl stack_top
stack_top:
