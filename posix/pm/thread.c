/*
 * The threads of POSIX processes: what the process manager keeps per
 * thread (its signal mask, the signals sent to it alone, the signal call it
 * waits in, its alternate stack). A process has at least one; the first
 * has the pid as its thread id, and later ones get ids from the pid space.
 * Threads come from memory (proc.c bounds them) and go back after a grace
 * period, as processes (the info thread reads them too); a hash finds one
 * by thread id (the high half of a request's badge), and each process
 * lists its own.
 */
#include <malloc.h>
#include "pm.h"

#define TID_BUCKETS 256

static struct pthread *buckets[TID_BUCKETS];

static struct pthread **bucket_of(int tid)
{
	return &buckets[(uint32_t)tid % TID_BUCKETS];
}

struct pthread *thread_by_tid(int tid)
{
	struct pthread *t = *bucket_of(tid);

	while (t && (t->tid != tid || !t->proc))
		t = t->hash_next;
	return t;
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

static void hash_in(struct pthread *t)
{
	t->hash_next = *bucket_of(t->tid);
	*bucket_of(t->tid) = t;
}

static void hash_out(struct pthread *t)
{
	struct pthread **l = bucket_of(t->tid);

	while (*l != t)
		l = &(*l)->hash_next;
	*l = t->hash_next;
}

struct pthread *thread_add(struct pproc *p, int tid)
{
	struct pthread *t = malloc(sizeof *t);

	if (!t)
		return NULL;
	*t = (struct pthread){ .proc = p, .tid = tid, .altstack.ss_flags = L_SS_DISABLE,
			       .next = p->threads };
	p->threads = t;
	hash_in(t);
	proc_task_count(1);
	return t;
}

void thread_remove(struct pthread *t)
{
	struct pthread **l = &t->proc->threads;

	while (*l != t)
		l = &(*l)->next;
	*l = t->next;
	hash_out(t);
	proc_task_count(-1);
	t->proc = NULL;
	info_retire(&t->retired, t);
}

struct pthread *thread_next(const struct pproc *p, struct pthread *t)
{
	return t ? t->next : p->threads;
}

unsigned thread_count(const struct pproc *p)
{
	unsigned n = 0;

	for (struct pthread *t = p->threads; t; t = t->next)
		n++;
	return n;
}

/* Only t is left (execve: Linux's de_thread), with the pid as its id. */
void thread_keep_only(struct pthread *t)
{
	struct pproc *p = t->proc;

	while (p->threads != t || t->next)
		thread_remove(p->threads != t ? p->threads : t->next);
	hash_out(t);
	t->tid = p->pid;
	hash_in(t);
}

void threads_free(struct pproc *p)
{
	while (p->threads)
		thread_remove(p->threads);
}
