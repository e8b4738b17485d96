/* The table of POSIX processes. pid 1 is the first program started. */
#include "pm.h"

static struct pproc procs[MAX_PROCS];
static int next_pid = 1;

struct pproc *proc_find(int pid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].used && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

struct pproc *proc_alloc(int ppid)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct pproc *p = &procs[i];
		if (p->used)
			continue;
		*p = (struct pproc){ .used = true, .pid = next_pid++, .ppid = ppid,
				     .mmap_top = MMAP_TOP, .slot = TS_NOCAP };
		if (!thread_add(p, p->pid)) {
			p->used = false;
			return NULL;
		}
		pm_signal_clear(p);
		pm_itimer_clear(p);
		struct pproc *parent = proc_find(ppid);
		p->pgid = parent ? parent->pgid : p->pid;
		p->sid = parent ? parent->sid : p->pid;
		p->start_ns = ts_clock();
		if (parent) {
			p->cred = parent->cred;
			procinfo_inherit(parent, p);
		}
		return p;
	}
	return NULL;
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

unsigned pm_index(const struct pproc *p)
{
	return (unsigned)(p - procs);
}

struct pproc *proc_next(struct pproc *p)
{
	for (int i = p ? (int)(p - procs) + 1 : 0; i < MAX_PROCS; i++)
		if (procs[i].used)
			return &procs[i];
	return NULL;
}

void proc_free(struct pproc *p)
{
	if (p->slot != TS_NOCAP)
		ts_cap_delete(p->slot);
	threads_free(p);
	vmmap_clear(p);
	p->used = false;
}
