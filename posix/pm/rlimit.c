/*
 * Resource limits (getrlimit, setrlimit, prlimit64): each process's own,
 * inherited across fork and kept across exec, as Linux's. Who enforces
 * which: RLIMIT_NPROC proc.c (fork, clone), RLIMIT_AS and RLIMIT_DATA
 * mem.c (mmap, mremap, brk), RLIMIT_STACK exec.c (the stack's size),
 * RLIMIT_CPU here (on the timer tick), RLIMIT_NOFILE and RLIMIT_FSIZE the
 * VFS (told here). The others are kept for getrlimit only (docs/STATUS.md).
 */
#include "pm.h"
#include <proto/vfs_client.h>

#define NR_OPEN 1024            /* Linux's fs.nr_open: the VFS's descriptor table */

static struct linux_rlimit inf(void) { return (struct linux_rlimit){ RLIM_INF, RLIM_INF }; }

/* Linux's INIT_RLIMITS, for the first process */
static void rlimit_defaults(struct pproc *p)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		p->rlim[i] = inf();
	p->rlim[RLIMIT_STACK].cur = 8ull << 20;
	p->rlim[RLIMIT_CORE].cur = 0;
	/* NPROC and SIGPENDING: half of threads-max, as Linux's init's */
	p->rlim[RLIMIT_NPROC].cur = p->rlim[RLIMIT_NPROC].max = proc_threads_max() / 2;
	p->rlim[RLIMIT_SIGPENDING] = p->rlim[RLIMIT_NPROC];
	p->rlim[RLIMIT_NOFILE] = (struct linux_rlimit){ 1024, NR_OPEN };
	p->rlim[RLIMIT_MEMLOCK] = (struct linux_rlimit){ 8ull << 20, 8ull << 20 };
	p->rlim[RLIMIT_MSGQUEUE] = (struct linux_rlimit){ 819200, 819200 };
	p->rlim[RLIMIT_NICE] = p->rlim[RLIMIT_RTPRIO] = (struct linux_rlimit){ 0, 0 };
}

/* RLIMIT_CPU is looked at each second while it is finite (time.c's timers) */
static void cpu_watch(struct pproc *p)
{
	p->cpu_check_at = p->rlim[RLIMIT_CPU].cur == RLIM_INF ? 0 : ts_clock() + 1000000000ull;
	pm_timer_armed(p->cpu_check_at);
}

void rlimit_inherit(const struct pproc *parent, struct pproc *child)
{
	if (parent)
		memcpy(child->rlim, parent->rlim, sizeof child->rlim);
	else
		rlimit_defaults(child);
	cpu_watch(child);
}

uint64_t rlimit_stack_size(const struct pproc *p)
{
	uint64_t cur = p->rlim[RLIMIT_STACK].cur;

	return cur >= STACK_MAX ? STACK_MAX : MAX(ALIGN_UP(cur, 4096), STACK_MIN);
}

/* The VFS enforces NOFILE and FSIZE on p's calls (its table copies them
 * at fork) */
static void tell_vfs(const struct pproc *p)
{
	vfs_set_limits_call(pm_vfs(), p->pid, p->rlim[RLIMIT_NOFILE].cur,
			    p->rlim[RLIMIT_FSIZE].cur);
}

/* Linux's check_prlimit_permission: a process's own, or one whose real,
 * effective and saved ids are all the caller's real id (uid and gid), or
 * root's (CAP_SYS_RESOURCE) */
static bool may_prlimit(const struct pproc *p, const struct pproc *t)
{
	const struct pm_cred *c = &p->cred, *o = &t->cred;

	if (p == t || !c->uid[ID_EFFECTIVE])
		return true;
	for (int i = ID_REAL; i <= ID_SAVED; i++)
		if (o->uid[i] != c->uid[ID_REAL] || o->gid[i] != c->gid[ID_REAL])
			return false;
	return true;
}

/* Linux's do_prlimit: a soft limit above the hard one is EINVAL; raising
 * the hard one takes root, and NOFILE's never goes past fs.nr_open. */
static long set_limit(struct pproc *p, struct pproc *t, unsigned resource,
		      const struct linux_rlimit *new)
{
	struct linux_rlimit *r = &t->rlim[resource];

	if (new->cur > new->max)
		return -EINVAL;
	if (resource == RLIMIT_NOFILE && new->max > NR_OPEN)
		return -EPERM;
	if (new->max > r->max && p->cred.uid[ID_EFFECTIVE])
		return -EPERM;
	*r = *new;
	if (resource == RLIMIT_CPU)
		cpu_watch(t);
	if (resource == RLIMIT_NOFILE || resource == RLIMIT_FSIZE)
		tell_vfs(t);
	return 0;
}

/* prlimit64(pid, resource, new, old), its errors in Linux's order;
 * getrlimit and setrlimit are pid 0 without old or new */
long rlimit_call(struct pproc *p, const struct ts_msg *m, int pid, uint64_t resource,
		 uint64_t new_addr, uint64_t old_addr)
{
	struct pproc *t = pid ? proc_find(pid) : p;
	struct linux_rlimit new, old;

	if (new_addr && from_caller(m, new_addr, &new, sizeof new))
		return -EFAULT;
	if (!t || t->zombie)
		return -ESRCH;
	if (!may_prlimit(p, t))
		return -EPERM;
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	old = t->rlim[resource];
	long err = new_addr ? set_limit(p, t, (unsigned)resource, &new) : 0;
	if (!err && old_addr && to_caller(m, old_addr, &old, sizeof old))
		return -EFAULT;
	return err;
}

/* Linux's check_process_timers for RLIMIT_CPU: SIGXCPU at the soft limit
 * and each second past it, SIGKILL at the hard one. The kernel counts p's
 * CPU time in 1 kHz ticks. */
uint64_t rlimit_cpu_check(struct pproc *p, uint64_t now, uint64_t next)
{
	struct linux_rlimit *r = &p->rlim[RLIMIT_CPU];
	struct ts_proc_stats st = { 0 };
	struct sig_origin o = { .code = L_SI_KERNEL };

	if (!p->cpu_check_at || p->zombie)
		return next;
	if (now >= p->cpu_check_at && p->slot != TS_NOCAP && !ts_proc_stats(p->slot, &st)) {
		uint64_t sec = st.ticks / 1000;
		if (sec >= r->max) {
			pm_kill(p, L_SIGKILL);
			return next;
		}
		if (sec >= MAX(r->cur, 1)) {   /* and Linux's soft limit steps on */
			r->cur = MAX(r->cur, 1) + (r->cur < r->max);
			sig_send(p, L_SIGXCPU, &o);
		}
		p->cpu_check_at = now + 1000000000ull;
	}
	return !next || p->cpu_check_at < next ? p->cpu_check_at : next;
}
