/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * AP start-up code, copied to TRAMP_BASE (a page below 1 MiB) by
 * smp_start_aps(): real mode -> protected mode -> long mode on the BSP's
 * page tables, then a call to the C entry with the AP's index.
 */
#define TRAMP_BASE	0x10000
#define ABS(x)		(TRAMP_BASE + ((x) - trampoline_start))

	.section .rodata
	.globl trampoline_start, trampoline_end
	.globl tramp_param_cr3, tramp_param_stack, tramp_param_entry
	.globl tramp_param_index, tramp_param_started

	.code16
trampoline_start:
	cli
	mov %cs, %ax
	mov %ax, %ds
	lgdtl (tramp_gdt_desc - trampoline_start)
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $ABS(tramp32)

	.code32
tramp32:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov ABS(tramp_param_cr3), %eax
	mov %eax, %cr3
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $0xc0000080, %ecx		/* EFER.LME */
	rdmsr
	or $0x100, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80000000, %eax		/* PG */
	mov %eax, %cr0
	ljmp $0x18, $ABS(tramp64)

	.code64
tramp64:
	mov $0x10, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov ABS(tramp_param_stack), %rsp
	mov ABS(tramp_param_index), %edi
	mov ABS(tramp_param_entry), %rax
	movl $1, ABS(tramp_param_started)
	call *%rax
1:	cli
	hlt
	jmp 1b

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tramp_gdt_end:
tramp_gdt_desc:
	.word tramp_gdt_end - tramp_gdt - 1
	.long ABS(tramp_gdt)
	.balign 8
tramp_param_cr3:	.quad 0
tramp_param_stack:	.quad 0
tramp_param_entry:	.quad 0
tramp_param_index:	.long 0
tramp_param_started:	.long 0
trampoline_end:
