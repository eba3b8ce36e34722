/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The last 4 KiB of the test firmware ROM (section .top, at 4 GiB - 4 KiB)
 * and the 64-bit helpers in .text.
 *
 * Layout of the top page (offsets from 4 GiB - 4 KiB):
 *   0x000  16-bit reset code, 32-bit set-up, 64-bit entry, AP park loop
 *   ...    GDT, SEV metadata ("ASEV"), TDVF metadata ("TDVF")
 *   0xfe0 - GUID_TABLE_SIZE .. 0xfe0   the OVMF-style GUID table
 *   0xff0  reset vector (jmp to the 16-bit code)
 *
 * The BSP starts in real mode with CS base 0xffff0000, IP 0xfff0: it loads
 * the GDT through CS, enters 32-bit protected mode, builds an identity map
 * of 4 GiB with 2 MiB pages at FW_PML4, enables long mode and calls
 * fw_main() on a stack in low RAM.  The C code runs in place from the ROM
 * (large code model); .data is copied to RAM and .bss cleared first.
 */
#include "fw.h"

#define GUID_TABLE_SIZE	110		/* 22 + 22 + 26 + 22 + 18, checked below */

#define SEL_CODE32	0x08
#define SEL_CODE64	0x10	/* __BOOT_CS of the Linux boot protocol */
#define SEL_DATA	0x18	/* __BOOT_DS */

#ifndef ROM_SIZE
#error "ROM_SIZE must be defined (scripts/build-firmware.py passes it)"
#endif

	/* An EFI GUID: the first three fields little-endian. */
	.macro GUID a, b, c, d0, d1, d2, d3, d4, d5, d6, d7
	.long \a
	.word \b, \c
	.byte \d0, \d1, \d2, \d3, \d4, \d5, \d6, \d7
	.endm

	.section .top, "ax"
top_start:

/* ---- 16-bit real mode: CS base 0xffff0000 ---------------------------- */
	.code16
reset16:
	cli
	cld
	lgdtl %cs:(0xf000 + (gdt_desc - top_start))
	movl %cr0, %eax
	andl $0x9fffffff, %eax		/* caches on (CD, NW off) */
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	ljmpl $SEL_CODE32, $pm32

/* SEV-ES AP reset address (reset block below): APs are parked here. */
	.balign 16
ap_reset:
	cli
	hlt
	jmp ap_reset

/* ---- 32-bit protected mode ------------------------------------------ */
	.code32
pm32:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs

	movl $msg_reset, %esi
1:	movb (%esi), %al
	testb %al, %al
	jz 2f
	movw $0x3f8, %dx
	outb %al, %dx
	movw $0x402, %dx
	outb %al, %dx
	incl %esi
	jmp 1b
2:
	/* zero the PML4, the PDPT and the four PDs */
	movl $FW_PML4, %edi
	movl $(6 * 1024), %ecx
	xorl %eax, %eax
3:	movl %eax, (%edi)
	addl $4, %edi
	decl %ecx
	jnz 3b
	movl $(FW_PML4 + 0x1000 + 3), FW_PML4		/* PML4[0] -> PDPT */
	movl $(FW_PML4 + 0x1000), %edi
	movl $(FW_PML4 + 0x2000 + 3), %eax
	movl $4, %ecx
4:	movl %eax, (%edi)				/* PDPT[i] -> PD i */
	addl $0x1000, %eax
	addl $8, %edi
	decl %ecx
	jnz 4b
	movl $(FW_PML4 + 0x2000), %edi
	movl $0x83, %eax				/* present, writable, 2 MiB */
	movl $2048, %ecx
5:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	decl %ecx
	jnz 5b

	movl $FW_PML4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax					/* PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx				/* EFER */
	rdmsr
	orl $0x100, %eax				/* LME */
	wrmsr
	movl %cr0, %eax
	orl $0x80000000, %eax				/* PG */
	movl %eax, %cr0
	ljmpl $SEL_CODE64, $lm64

/* ---- 64-bit long mode, identity map ---------------------------------- */
	.code64
lm64:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movq $FW_STACK_TOP, %rsp
	/* .data: ROM image -> RAM */
	movabsq $__data_lma, %rsi
	movq $__data_start, %rdi
	movq $__data_end, %rcx
	subq %rdi, %rcx
6:	testq %rcx, %rcx
	jz 7f
	movb (%rsi), %al
	movb %al, (%rdi)
	incq %rsi
	incq %rdi
	decq %rcx
	jmp 6b
7:	/* .bss: zero (8-byte aligned by fw.ld) */
	movq $__bss_start, %rdi
	movq $__bss_end, %rcx
	xorl %eax, %eax
8:	cmpq %rcx, %rdi
	jae 9f
	movq %rax, (%rdi)
	addq $8, %rdi
	jmp 8b
9:	movabsq $fw_main, %rax
	callq *%rax
10:	cli
	hlt
	jmp 10b

msg_reset:
	.asciz "cvmm-testfw: reset vector, 32-bit protected mode, building page tables\r\n"

/* ---- GDT: accessed bits preset, so the CPU never writes to the ROM ---- */
	.balign 16
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: 32-bit code, flat */
	.quad 0x00af9b000000ffff	/* 0x10: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x18: data, flat */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt

/*
 * SEV metadata (OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm; stage0's
 * layout.ld): { "ASEV", u32 length, u32 version 1, u32 count } and
 * { u32 base, u32 length, u32 type } per section.
 */
	.balign 16
sev_meta:
	.ascii "ASEV"
	.long sev_meta_end - sev_meta
	.long 1
	.long (sev_meta_end - sev_meta - 16) / 12
	.long FW_SEC_MEM_START, FW_SEC_MEM_END - FW_SEC_MEM_START, 1	/* SNP_SEC_MEM: working RAM */
	.long FW_SECRETS_PAGE, 0x1000, 2				/* SNP secrets page */
	.long FW_CPUID_PAGE, 0x1000, 3				/* SNP CPUID page */
	.long FW_HASHES_PAGE, 0x1000, 0x10			/* SNP kernel hashes */
sev_meta_end:

/*
 * TDVF metadata (OvmfPkg/ResetVector/X64/TdxMetadata.asm; stage0_bin_tdx):
 * OVMF's metadata GUID e9eaf9f3-168e-44d5-a8eb-7f4d8738f6ae, then
 * { "TDVF", u32 length, u32 version 1, u32 count } and 32-byte sections
 * { u32 data offset, u32 raw size, u64 address, u64 size, u32 type, u32 attrs }.
 */
	.balign 16
	GUID 0xe9eaf9f3, 0x168e, 0x44d5, 0xa8, 0xeb, 0x7f, 0x4d, 0x87, 0x38, 0xf6, 0xae
tdx_meta:
	.ascii "TDVF"
	.long tdx_meta_end - tdx_meta
	.long 1
	.long (tdx_meta_end - tdx_meta - 16) / 32
	/* BFV: the whole ROM, extended into MRTD */
	.long 0, ROM_SIZE
	.quad 0x100000000 - ROM_SIZE, ROM_SIZE
	.long 0, 1
	/* TEMP_MEM: low RAM [0, 640 KiB), the firmware's working memory */
	.long 0, 0
	.quad 0, FW_EBDA_END
	.long 3, 0
	/* TD_HOB (stage0_bin_tdx: 8 KiB at 1 MiB) */
	.long 0, 0
	.quad FW_TD_HOB, FW_TD_HOB_SIZE
	.long 2, 0
	/* TEMP_MEM: the firmware mailbox after it */
	.long 0, 0
	.quad FW_TD_MAILBOX, FW_TD_MAILBOX_SIZE
	.long 3, 0
tdx_meta_end:

/*
 * The GUID table (OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm), ending
 * 0x20 bytes before the end of the ROM; walked backwards from the footer:
 * entries are [data][u16 length of data + 18][GUID].
 */
	.org 0xfe0 - GUID_TABLE_SIZE, 0
guid_table:
	/* TDX metadata offset: from the end of the ROM back to "TDVF" */
	.long 0x1000 - (tdx_meta - top_start)
	.word 22
	GUID 0xe47a6535, 0x984a, 0x4798, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2
	/* SEV metadata offset: from the end of the ROM back to "ASEV" */
	.long 0x1000 - (sev_meta - top_start)
	.word 22
	GUID 0xdc886566, 0x984a, 0x4798, 0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc
	/* SEV kernel-hashes table: base, size (stage0: 0x10c00, 0x400) */
	.long FW_HASHES_TABLE, FW_HASHES_TABLE_SIZE
	.word 26
	GUID 0x7255371f, 0x3a3b, 0x4b04, 0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54
	/* SEV-ES reset block: AP reset address (CS base bits 31:16, IP 15:0) */
	.long ap_reset
	.word 22
	GUID 0x00f771de, 0x1a7e, 0x4fcb, 0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e
	/* footer: length of the whole table */
	.word guid_table_end - guid_table
	GUID 0x96b582de, 0x1fb2, 0x45f7, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d
guid_table_end:
	.if guid_table_end - guid_table - GUID_TABLE_SIZE
	.error "GUID_TABLE_SIZE does not match the table"
	.endif

	.org 0xff0, 0
	.code16
	.globl reset_vector
reset_vector:
	jmp reset16
	.org 0x1000, 0

/* ---- 64-bit helpers, anywhere in the ROM ----------------------------- */
	.text
	.code64

/* 32 exception stubs, 16 bytes apart: push a zero error code if the CPU
 * does not, then the vector. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
		      (v) == 21 || (v) == 29 || (v) == 30)
	.balign 16
	.globl exception_stubs
exception_stubs:
	.set vec, 0
	.rept 32
	.balign 16
	.if !HAS_ERROR(vec)
	pushq $0
	.endif
	pushq $vec
	jmp exception_common
	.set vec, vec + 1
	.endr

exception_common:
	movq %rsp, %rdi
	andq $-16, %rsp
	movabsq $fw_exception, %rax
	callq *%rax
1:	cli
	hlt
	jmp 1b

/* void jump_to_kernel(u64 entry, u64 zero_page): Linux 64-bit boot
 * protocol: CS __BOOT_CS (0x10), DS/ES/SS __BOOT_DS (0x18), interrupts
 * off, RSI = boot_params, identity-mapped. */
	.globl jump_to_kernel
jump_to_kernel:
	cli
	lidt null_idt(%rip)
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movq %rdi, %rax
	xorl %ebx, %ebx
	xorl %ecx, %ecx
	xorl %edx, %edx
	xorl %edi, %edi
	xorl %ebp, %ebp
	jmpq *%rax

	.balign 16
null_idt:
	.word 0
	.quad 0
