/*
 * Kernel entry and exit. Interrupts, exceptions and syscalls all build the
 * same struct trap_frame (arch/trapframe.h), so the scheduler can switch
 * threads at any entry; they leave through trap_return (iretq), syscalls
 * through sysretq when their frame allows it.
 */
#define VEC_SYSCALL 0x100
#define USER_CS 0x23
#define USER_DS 0x1b
#define FRAME_VECTOR (15 * 8)	/* offsets in struct trap_frame */
#define FRAME_RIP (17 * 8)

.macro PUSH_GPRS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro POP_GPRS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
.endm

	.text
	/* 256 stubs, 16 bytes apart: the IDT points at isr_stubs + 16 * vector */
	.align 16
	.global isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || (vec == 10) || (vec == 11) || (vec == 12) || (vec == 13) || (vec == 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp isr_common
	.set vec, vec + 1
	.endr

isr_common:
	testb $3, 24(%rsp)		/* cs of the interrupted context */
	jz 1f
	swapgs
1:	PUSH_GPRS
	movq %rsp, %rdi
	cld
	call trap_dispatch
	jmp trap_return

	.global syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:16
	movq %gs:8, %rsp
	pushq $USER_DS
	pushq %gs:16
	pushq %r11			/* user rflags */
	pushq $USER_CS
	pushq %rcx			/* user rip */
	pushq $0
	pushq $VEC_SYSCALL
	PUSH_GPRS
	movq %rsp, %rdi
	call syscall_dispatch
	/* Back with sysret: it restores rip from rcx and rflags from r11, which
	 * the Linux ABI lets a syscall clobber. A frame rewritten to resume
	 * somewhere else (vector changed) or a non-canonical rip, which would
	 * make sysret fault in kernel mode, go through iretq instead. */
	cmpq $VEC_SYSCALL, FRAME_VECTOR(%rsp)
	jne trap_return
	movq FRAME_RIP(%rsp), %rcx
	shrq $47, %rcx
	jnz trap_return
	POP_GPRS
	addq $16, %rsp
	movq (%rsp), %rcx
	movq 16(%rsp), %r11
	movq 24(%rsp), %rsp
	swapgs
	sysretq

	.global trap_return
trap_return:
	POP_GPRS
	addq $16, %rsp			/* vector, error */
	testb $3, 8(%rsp)
	jz 2f
	swapgs
2:	iretq

	.global switch_context
switch_context:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

	.global thread_first_return
thread_first_return:
	jmp trap_return
