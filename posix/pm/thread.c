/*
 * The threads of POSIX processes: what the process manager keeps per
 * thread (its signal mask, the signals sent to it alone, the signal call it
 * waits in, its alternate stack). A process has at least one; the first
 * has the pid as its thread id, and later ones get ids from the pid space.
 * Threads are found by thread id (the high half of a request's badge).
 */
#include "pm.h"

static struct pthread threads[MAX_THREADS];

struct pthread *thread_by_tid(int tid)
{
	for (int i = 0; i < MAX_THREADS; i++)
		if (threads[i].proc && threads[i].tid == tid)
			return &threads[i];
	return NULL;
}

struct pthread *thread_of(const struct pproc *p, int tid)
{
	struct pthread *t = thread_by_tid(tid);

	return t && t->proc == p ? t : NULL;
}

struct pthread *thread_caller(const struct pproc *p, const struct ts_msg *m)
{
	return thread_of(p, (int)(m->badge >> 32));
}

struct pthread *thread_add(struct pproc *p, int tid)
{
	for (int i = 0; i < MAX_THREADS; i++) {
		struct pthread *t = &threads[i];
		if (t->proc)
			continue;
		*t = (struct pthread){ .proc = p, .tid = tid,
				       .altstack.ss_flags = L_SS_DISABLE };
		return t;
	}
	return NULL;
}

void thread_remove(struct pthread *t)
{
	t->proc = NULL;
}

struct pthread *thread_next(const struct pproc *p, struct pthread *t)
{
	for (int i = t ? (int)(t - threads) + 1 : 0; i < MAX_THREADS; i++)
		if (threads[i].proc == p)
			return &threads[i];
	return NULL;
}

unsigned thread_count(const struct pproc *p)
{
	unsigned n = 0;

	for (struct pthread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		n++;
	return n;
}

/* Only t is left (execve: Linux's de_thread), with the pid as its id. */
void thread_keep_only(struct pthread *t)
{
	for (struct pthread *o = thread_next(t->proc, NULL); o; o = thread_next(t->proc, o))
		if (o != t)
			thread_remove(o);
	t->tid = t->proc->pid;
}

void threads_free(const struct pproc *p)
{
	for (struct pthread *t = thread_next(p, NULL); t; t = thread_next(p, t))
		thread_remove(t);
}
