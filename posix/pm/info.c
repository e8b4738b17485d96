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
		return a[1] ? rlimit_call(p, m, 0, (uint32_t)a[0], 0, a[1]) : -EFAULT;
	case NR_setrlimit:
		return a[1] ? rlimit_call(p, m, 0, (uint32_t)a[0], a[1], 0) : -EFAULT;
	case NR_prlimit64:
		return rlimit_call(p, m, (int)a[0], (uint32_t)a[1], a[2], a[3]);
	case NR_sched_setaffinity:
	case NR_sched_getaffinity:
		return do_affinity(m, m->label == NR_sched_setaffinity);
	default:
		return -ENOSYS;
	}
}
