/* The table of POSIX processes. pid 1 is the first program started.
 * Processes come from memory, as many as it holds up to threads_max
 * (Linux's threads-max: a task per 32 pages of RAM) and a user's
 * RLIMIT_NPROC; a hash finds one by pid, and a list in pid order (pids
 * only grow) walks them all. The info thread reads them while the main
 * thread changes them (procinfo.c): an entry gone is freed only after a
 * grace period (retire.c), so that a reader finds an entry in use, or one
 * that is not (used, pid) — never memory that is gone. */
#include <malloc.h>
#include "pm.h"

#define PID_BUCKETS 256

static struct pproc *buckets[PID_BUCKETS];
static struct pproc *first, *last;
static int next_pid = 1;
static unsigned tasks, threads_max;

static struct pproc **bucket_of(int pid)
{
	return &buckets[(uint32_t)pid % PID_BUCKETS];
}

struct pproc *proc_find(int pid)
{
	struct pproc *p = *bucket_of(pid);

	while (p && (p->pid != pid || !p->used))
		p = p->hash_next;
	return p;
}

/* The system's bound on tasks: a task per 32 pages, as Linux's default
 * threads-max (its kernel stack and more an eighth of memory) */
unsigned proc_threads_max(void)
{
	if (!threads_max) {
		struct ts_stats st;
		ts_stats(&st);
		threads_max = (unsigned)MAX(st.total_pages / 32, 20);
	}
	return threads_max;
}

/* The tasks (threads; a zombie one) of real user uid */
static unsigned user_tasks(uint32_t uid)
{
	unsigned n = 0;

	for (struct pproc *p = first; p; p = p->next)
		if (p->cred.uid[ID_REAL] == uid)
			n += p->zombie ? 1 : thread_count(p);
	return n;
}

bool proc_may_add_task(const struct pproc *p)
{
	const struct pm_cred *c = &p->cred;

	if (tasks >= proc_threads_max())
		return false;
	/* root is not bound by RLIMIT_NPROC (Linux: CAP_SYS_RESOURCE) */
	return !c->uid[ID_REAL] || !c->uid[ID_EFFECTIVE] ||
	       user_tasks(c->uid[ID_REAL]) < p->rlim[RLIMIT_NPROC].cur;
}

void proc_task_count(int delta)
{
	tasks += (unsigned)delta;
}

struct pproc *proc_alloc(int ppid)
{
	struct pproc *parent = proc_find(ppid), *p;

	if ((parent && !proc_may_add_task(parent)) || !(p = malloc(sizeof *p)))
		return NULL;
	*p = (struct pproc){ .used = true, .pid = next_pid, .ppid = ppid, .mmap_top = MMAP_TOP,
			     .slot = TS_NOCAP };
	if (!thread_add(p, p->pid)) {
		free(p);                /* never where a reader could find it */
		return NULL;
	}
	next_pid++;
	p->hash_next = *bucket_of(p->pid);
	*bucket_of(p->pid) = p;
	p->prev = last;
	*(last ? &last->next : &first) = p;
	last = p;
	pm_signal_clear(p);
	pm_itimer_clear(p);
	p->pgid = parent ? parent->pgid : p->pid;
	p->sid = parent ? parent->sid : p->pid;
	p->start_ns = ts_clock();
	rlimit_inherit(parent, p);
	if (parent) {
		p->cred = parent->cred;
		procinfo_inherit(parent, p);
	}
	return p;
}

int proc_last_pid(void)
{
	return next_pid - 1;
}

/* Thread ids come from the pid space: no process will have this one. */
int proc_new_tid(void)
{
	return next_pid++;
}

void pm_set_parent(struct pproc *p, int ppid)
{
	p->ppid = ppid;
	ts_proc_set_ppid(p->slot, ppid);
}

struct pproc *proc_next(struct pproc *p)
{
	return p ? p->next : first;
}

void proc_free(struct pproc *p)
{
	struct pproc **l = bucket_of(p->pid);

	if (p->slot != TS_NOCAP)
		ts_cap_delete(p->slot);
	threads_free(p);
	vmmap_clear(p);
	while (*l != p)
		l = &(*l)->hash_next;
	*l = p->hash_next;
	*(p->prev ? &p->prev->next : &first) = p->next;
	*(p->next ? &p->next->prev : &last) = p->prev;
	p->used = false;
	info_retire(&p->retired, p);
}
