/* Hooks the generic kernel calls into the x86_64 code. */
#ifndef ARCH_ARCH_H
#define ARCH_ARCH_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;
struct thread;

/* GDT, TSS, IDT, syscall MSRs and GS for the boot CPU. */
void arch_cpu_init(struct cpu *c);
/* Kernel stack used on entry from user mode (TSS rsp0 and syscall). */
void arch_set_kernel_stack(struct cpu *c, uint64_t top);
/* Load a process's I/O permission bitmap (8 KiB, bit clear = allowed) or
 * deny all ports when NULL. */
void arch_set_io_bitmap(const uint8_t *bitmap);
void arch_set_fs_base(uint64_t base);

/* Save callee-saved registers and rsp into *save, continue on new_rsp. */
void switch_context(uint64_t *save, uint64_t new_rsp);
/* Where a new thread's first switch_context() returns to: it pops the
 * trap frame at the top of its kernel stack. */
void thread_first_return(void);

/* Message registers (include/tessera/abi.h): read the outgoing message of
 * a syscall frame (returns whether its tail is in memory), and write a
 * received one back (tail: whether its tail was written to memory). */
struct trap_frame;
struct ts_msg;
bool arch_msg_from_frame(const struct trap_frame *f, struct ts_msg *m);
void arch_msg_to_frame(struct trap_frame *f, const struct ts_msg *m, bool tail);

#define IO_BITMAP_BYTES 8192
#define FPU_STATE_BYTES 512

/* User threads own the FPU/SSE registers: saved and restored eagerly on
 * every switch (fxsave format, 16-byte aligned). */
void arch_fpu_init_state(uint8_t *state);
void arch_fpu_switch(uint8_t *save, const uint8_t *load);
void arch_fpu_sanitize(uint8_t *state);

#endif
