/* Thread ids and the index from id to thread (kernel/core/tid.c). */
#ifndef TID_H
#define TID_H

struct thread;

/* A free id now naming t; -EAGAIN or -ENOMEM if none can be had. */
int tid_alloc(struct thread *t);
void tid_free(unsigned tid);
/* The thread with that id, or NULL. */
struct thread *thread_by_tid(unsigned tid);

#endif
