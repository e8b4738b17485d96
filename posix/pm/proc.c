/* The table of POSIX processes. pid 1 is the first program started. */
#include "pm.h"

#define MMAP_TOP 0x00007f0000000000ull

static struct pproc procs[MAX_PROCS];
static int next_pid = 1;

struct pproc *proc_find(int pid)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].used && procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* A process entry with a fresh, empty kernel process behind it. */
struct pproc *proc_new(int ppid)
{
	for (int i = 0; i < MAX_PROCS; i++) {
		struct pproc *p = &procs[i];
		if (p->used)
			continue;
		struct ts_spawn_args a = { .flags = TS_PROC_POSIX, .badge = next_pid };
		snprintf(a.name, sizeof a.name, "posix-%d", next_pid);
		long slot = ts_proc_create(&a);
		if (slot < 0)
			return NULL;
		*p = (struct pproc){ .used = true, .pid = next_pid++, .ppid = ppid,
				     .slot = slot, .mmap_top = MMAP_TOP, .umask = 022 };
		struct pproc *parent = proc_find(ppid);
		p->pgid = parent ? parent->pgid : p->pid;
		p->sid = parent ? parent->sid : p->pid;
		return p;
	}
	return NULL;
}

void proc_free(struct pproc *p)
{
	ts_cap_delete(p->slot);
	p->used = false;
}
