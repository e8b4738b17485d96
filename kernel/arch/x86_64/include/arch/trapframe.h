/* Registers saved on kernel entry, by interrupt stubs and by syscall entry
 * alike, so that both return paths and the scheduler see one layout. */
#ifndef ARCH_TRAPFRAME_H
#define ARCH_TRAPFRAME_H

#include <stdint.h>

struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "entry.S FRAME_VECTOR");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 17 * 8, "entry.S FRAME_RIP");

/* A frame with this vector may return to user mode with sysret. */
#define VEC_SYSCALL   0x100   /* pseudo vector: frame built by syscall entry */
#define VEC_REWRITTEN 0x101   /* pseudo vector: registers set from outside
                                 (TS_SYS_THREAD_REGS): leave through iretq */
#define VEC_TIMER     0x20
#define VEC_IRQ_BASE  0x30    /* IOAPIC lines land at 0x30 + gsi */
#define VEC_SPURIOUS  0xFF

#define USER_CS 0x23
#define USER_DS 0x1b

static inline int frame_from_user(const struct trap_frame *f) { return (f->cs & 3) == 3; }

/* Syscall argument and result accessors (Linux x86_64 convention). */
#define FRAME_NR(f)     ((f)->rax)
#define FRAME_ARG0(f)   ((f)->rdi)
#define FRAME_ARG1(f)   ((f)->rsi)
#define FRAME_ARG2(f)   ((f)->rdx)
#define FRAME_ARG3(f)   ((f)->r10)
#define FRAME_ARG4(f)   ((f)->r8)
#define FRAME_ARG5(f)   ((f)->r9)

#endif
