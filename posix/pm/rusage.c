/*
 * Resource usage (getrusage, wait4's and waitid's rusage) from the
 * kernel's counters per process: timer ticks split into user and kernel
 * mode, and the page faults it resolved (demand-zero, copy-on-write) as
 * minor faults, and the most pages it was seen to have resident (at a
 * stats call or its end: a peak in between is missed) as maxrss. System
 * time is the process's own time in the kernel; the
 * time servers spend on its calls is theirs, as it cannot be told apart
 * cheaply. A reaped child's usage, its own reaped children's included,
 * adds to its parent's RUSAGE_CHILDREN, as on Linux.
 */
#include "pm.h"

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

struct linux_rusage {
	struct linux_timeval utime, stime;
	int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock;
	int64_t msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
};

static struct pm_usage own_usage(const struct pproc *p)
{
	struct ts_proc_stats st = { 0 };

	ts_proc_stats(p->slot, &st);
	return (struct pm_usage){ st.ticks, st.sys_ticks, st.minflt, st.peak_pages };
}

static void add(struct pm_usage *to, const struct pm_usage *u)
{
	to->ticks += u->ticks;
	to->sys_ticks += u->sys_ticks;
	to->minflt += u->minflt;
	to->peak_pages = MAX(to->peak_pages, u->peak_pages);
}

void rusage_reaped(struct pproc *parent, const struct pproc *c)
{
	struct pm_usage u = own_usage(c);

	add(&u, &c->children);
	add(&parent->children, &u);
}

static struct linux_timeval timeval_of_ticks(uint64_t ticks)       /* 1 kHz */
{
	return (struct linux_timeval){ (int64_t)(ticks / 1000), (int64_t)(ticks % 1000 * 1000) };
}

static long usage_to_caller(const struct ts_msg *m, uint64_t addr, const struct pm_usage *u)
{
	struct linux_rusage ru = { .utime = timeval_of_ticks(u->ticks - u->sys_ticks),
				   .stime = timeval_of_ticks(u->sys_ticks),
				   .maxrss = (int64_t)u->peak_pages * 4,     /* kB */
				   .minflt = (int64_t)u->minflt };

	return to_caller(m, addr, &ru, sizeof ru);
}

long rusage_to_caller(const struct ts_msg *m, uint64_t addr, const struct pproc *c,
		      bool with_children)
{
	struct pm_usage u = own_usage(c);

	if (with_children)
		add(&u, &c->children);
	return usage_to_caller(m, addr, &u);
}

long pm_getrusage(struct pproc *p, struct ts_msg *m)
{
	int who = (int)m->word[0];

	if (who == RUSAGE_CHILDREN)
		return usage_to_caller(m, m->word[1], &p->children);
	if (who != RUSAGE_SELF && who != RUSAGE_THREAD)
		return -EINVAL;
	return rusage_to_caller(m, m->word[1], p, false);
}
