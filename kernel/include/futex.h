/* Linux futexes of POSIX threads (futex.c). */
#ifndef FUTEX_H
#define FUTEX_H

#include <proc.h>

/* futex(2) for the current thread: the six syscall arguments. */
long linux_futex(const uint64_t a[6]);
/* t waits in a futex: it returns now, to take a signal. */
void futex_cancel(struct thread *t);
/* t ends: write 0 at its clear_child_tid address and wake a waiter there. */
void futex_thread_exit(struct thread *t);

#endif
