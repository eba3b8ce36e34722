/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt entry stubs: one 16-byte stub per vector at isr_stubs + 16 n,
 * each pushing an error code (a dummy where the CPU pushes none) and the
 * vector, then the common path calls isr_dispatch(vector).
 */
	.text
	.globl isr_stubs
	.balign 16
isr_stubs:
	.set n, 0
	.rept 256
	.balign 16
	.if (n == 8) || ((n >= 10) && (n <= 14)) || (n == 17)
	.else
	pushq $0
	.endif
	pushq $n
	jmp isr_common
	.set n, n + 1
	.endr

isr_common:
	push %rax
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	mov 72(%rsp), %rdi		/* the vector */
	mov 88(%rsp), %rsi		/* RIP of the interrupted code */
	call isr_dispatch
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq
