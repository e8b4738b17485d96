/*
 * Per-CPU data, reached through GS in kernel mode so that SMP can come later
 * without a rewrite. The first three fields are used by the syscall entry
 * code at fixed offsets (see arch/x86_64/entry.S).
 */
#ifndef PERCPU_H
#define PERCPU_H

#include <stdint.h>
#include <stdbool.h>

struct thread;

struct cpu {
	struct cpu *self;          /* %gs:0  */
	uint64_t kstack_top;       /* %gs:8  kernel stack of the current thread */
	uint64_t user_rsp;         /* %gs:16 scratch during syscall entry */
	struct thread *current;
	struct thread *idle;
	unsigned id;
	bool need_resched;
	uint64_t ticks;
	uint64_t idle_ticks;
	uint64_t load[3];          /* sched.c: load averages (TS_LOAD_SHIFT) */
	uint64_t context_switches;
};

static inline struct cpu *this_cpu(void)
{
	struct cpu *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

static inline struct thread *current_thread(void) { return this_cpu()->current; }

#endif
