/* Preemptive priority round-robin scheduling with blocking and timeouts. */
#ifndef SCHED_H
#define SCHED_H

#include <proc.h>

#define NPRIO 32          /* 0 is the idle thread; higher runs first */
#define TIMESLICE_TICKS 10
#define TIMER_HZ 1000

void sched_init(void);
/* Make t runnable (at the tail of its priority). */
void sched_wake(struct thread *t, long result);
/* Block the current thread in state st; it runs again after sched_wake. */
void sched_block(enum thread_state st);
/* Give the CPU to the best runnable thread (maybe the current one). */
void schedule(void);
/* Block the current thread in state st and wake t (blocked, not queued)
 * with result, running it at once unless something better is runnable:
 * the IPC fast path (a caller hands the CPU to the server and back). */
void sched_handoff(enum thread_state st, struct thread *t, long result);
/* Remove t from wherever it waits (run queue, timeout list). */
void sched_detach(struct thread *t);
void sched_set_timeout(struct thread *t, uint64_t wake_at_ns);
/* A timer tick; user: it interrupted user mode (else its ticks count as system time). */
void sched_tick(bool user);
void sched_start(void) __attribute__((noreturn));

#endif
