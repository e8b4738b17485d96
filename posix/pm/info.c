/* Identities, uname, limits, system information, random bytes. */
#include "pm.h"

static long do_uname(const struct ts_msg *m)
{
	static const struct linux_utsname u = {
		.sysname = "Tessera", .nodename = "tessera", .release = "0.1.0",
		.version = "#1", .machine = "x86_64", .domainname = "(none)",
	};
	return to_caller(m, m->word[0], &u, sizeof u);
}

static long do_sysinfo(const struct ts_msg *m)
{
	struct ts_stats st;
	struct linux_sysinfo si = { 0 };

	ts_stats(&st);
	si.uptime = ts_clock() / 1000000000;
	si.totalram = st.total_pages * 4096;
	si.freeram = st.free_pages * 4096;
	for (struct pproc *p = proc_next(NULL); p; p = proc_next(p))
		si.procs++;
	for (int i = 0; i < 3; i++)
		si.loads[i] = st.load[i] << (16 - TS_LOAD_SHIFT);     /* SI_LOAD_SHIFT */
	si.mem_unit = 1;
	return to_caller(m, m->word[0], &si, sizeof si);
}

static long do_getrandom(const struct ts_msg *m)
{
	static uint64_t x = 0x2545F4914F6CDD1Dull;
	uint64_t len = MIN(m->word[1], 256), buf[32];

	x ^= ts_rdtsc();
	for (unsigned i = 0; i < 32; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = x;
	}
	long err = to_caller(m, m->word[0], buf, len);
	return err ? err : (long)len;
}

/* The limits a process keeps: RLIMIT_NPROC bounds its user's tasks at fork
 * and clone (proc.c), RLIMIT_AS its mappings (mem.c); raising a hard limit
 * takes root. The others are fixed. */
static struct linux_rlimit *own_limit(struct pproc *p, uint64_t resource)
{
	enum { RLIMIT_NPROC = 6, RLIMIT_AS = 9 };

	return resource == RLIMIT_NPROC ? &p->nproc : resource == RLIMIT_AS ? &p->as : NULL;
}

static long do_prlimit(struct pproc *p, const struct ts_msg *m, uint64_t resource,
		       uint64_t new_addr, uint64_t old_addr)
{
	enum { RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIM_NLIMITS = 16 };
	struct linux_rlimit r = { ~0ull, ~0ull }, new, *own = own_limit(p, resource);

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (resource == RLIMIT_STACK)
		r.cur = 8ull << 20;
	if (resource == RLIMIT_NOFILE)
		r.cur = r.max = 1024;
	if (own)
		r = *own;
	if (new_addr && from_caller(m, new_addr, &new, sizeof new))
		return -EFAULT;
	if (new_addr && new.cur > new.max)
		return -EINVAL;
	if (new_addr && own && new.max > own->max && p->cred.uid[ID_EFFECTIVE])
		return -EPERM;
	if (old_addr && to_caller(m, old_addr, &r, sizeof r))
		return -EFAULT;
	if (new_addr && own)
		*own = new;
	return 0;
}

/* POSIX processes run on one CPU: the affinity mask is CPU 0, in whole
 * longs as on Linux; a mask without it is EINVAL. */
static long do_affinity(const struct ts_msg *m, bool set)
{
	int pid = (int)m->word[0];
	uint64_t len = m->word[1], mask = 0;

	if (pid < 0 || (pid && !proc_find(pid)))
		return -ESRCH;
	if (set) {
		if (from_caller(m, m->word[2], &mask, MIN(len, sizeof mask)))
			return -EFAULT;
		return mask & 1 ? 0 : -EINVAL;
	}
	if (len < sizeof mask || len % sizeof mask)
		return -EINVAL;
	mask = 1;
	return to_caller(m, m->word[2], &mask, sizeof mask) ? -EFAULT : (long)sizeof mask;
}

static long do_setpgid(struct pproc *p, int pid, int pgid)
{
	struct pproc *t = pid ? proc_find(pid) : p;

	if (!t || (t != p && t->ppid != p->pid))
		return -ESRCH;
	if (pgid < 0)
		return -EINVAL;
	t->pgid = pgid ? pgid : t->pid;
	return 0;
}

long pm_info(struct pproc *p, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct pproc *t;

	switch (m->label) {
	case NR_getpgrp:
		return p->pgid;
	case NR_getpgid:
	case NR_getsid:
		t = a[0] ? proc_find((int)a[0]) : p;
		return !t ? -ESRCH : m->label == NR_getpgid ? t->pgid : t->sid;
	case NR_setpgid:
		return do_setpgid(p, (int)a[0], (int)a[1]);
	case NR_setsid:
		if (p->pgid == p->pid)
			return -EPERM;
		p->sid = p->pgid = p->pid;
		return p->sid;
	case NR_uname:
		return do_uname(m);
	case NR_sysinfo:
		return do_sysinfo(m);
	case NR_getrandom:
		return do_getrandom(m);
	case NR_getrlimit:
		return do_prlimit(p, m, (uint32_t)a[0], 0, a[1]);
	case NR_prlimit64:
		if (a[0] && a[0] != (uint64_t)p->pid)
			return -ESRCH;
		return do_prlimit(p, m, (uint32_t)a[1], a[2], a[3]);
	case NR_sched_setaffinity:
	case NR_sched_getaffinity:
		return do_affinity(m, m->label == NR_sched_setaffinity);
	default:
		return -ENOSYS;
	}
}
