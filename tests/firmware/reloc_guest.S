/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry of the relocatable test payload (tests/firmware/reloc_guest.c):
 * position-independent, packed by qemu-check.sh as a bzImage whose setup
 * header says "relocatable" (and a pref_address of 16 MiB the firmware must
 * ignore).  The 64-bit entry at +0x200 hands reloc_main() what the firmware
 * set up: RSI (boot_params), its own address, CS/DS/SS and RFLAGS.
 */
	.section .text.head, "ax"
	.code64
	.globl _start
_start:
	cli
1:	hlt
	jmp 1b

	.org 0x200
entry64:
	cli
	movq %rsi, %rdi				/* boot_params */
	leaq entry64(%rip), %rsi		/* where we run */
	xorl %edx, %edx
	movw %cs, %dx
	shlq $16, %rdx
	movw %ds, %ax
	movw %ax, %dx
	shlq $16, %rdx
	movw %ss, %ax
	movw %ax, %dx
	pushfq
	popq %rcx
	leaq stack_top(%rip), %rsp
	call reloc_main
2:	cli
	hlt
	jmp 2b

	.bss
	.balign 16
	.skip 8192
stack_top:
