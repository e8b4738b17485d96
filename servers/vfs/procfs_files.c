/*
 * The contents of /proc files, in the formats of Linux's proc(5) (ps, top,
 * free and mount parse them). Process figures come from the process
 * manager (include/tessera/proto/pm.idl), machine figures from the kernel's
 * counters. Times are in clock ticks of 1/100 s (USER_HZ, AT_CLKTCK).
 */
#include <malloc.h>
#include <stdarg.h>
#include "tty.h"
#include "procfs.h"

#define USER_HZ 100
#define KTICKS_PER_USER_TICK 10     /* the kernel's timer runs at 1 kHz */

/* asked for PM_LIST_MAX at a time, each time from the pid after the last */
long procfs_pids(int32_t **pids)
{
	int32_t *all = NULL;
	long n = 0, got;

	do {
		int32_t *more = realloc(all, (size_t)(n + PM_LIST_MAX) * sizeof *all);
		int32_t from = n ? all[n - 1] + 1 : 0;
		got = more ? pm_proc_list_call(pm_info(), from, more + n, PM_LIST_MAX * sizeof *all)
			   : -ENOMEM;
		all = more ? more : all;
		if (got < 0) {
			free(all);
			return got;
		}
		n += MIN(got, PM_LIST_MAX);     /* the PM's count: not past the room */
	} while (got == PM_LIST_MAX);
	*pids = all;
	return n;
}

/* pid's figures, or its thread tid's (tid 0: the process's) */
static long proc_info(int pid, int tid, struct pm_proc_info *info)
{
	long err = pm_proc_info_call(pm_info(), pid, tid, info, sizeof *info);
	/* the caller is running: it is reading this */
	if (!err && pid == procfs_caller())
		info->state = 'R';
	return err;
}

void procfs_put(struct snapshot *s, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof s->text - s->len;

	va_start(ap, fmt);
	int n = vsnprintf(s->text + s->len, room, fmt, ap);
	va_end(ap);
	s->len += MIN((size_t)MAX(n, 0), room - 1);
}

static uint64_t user_ticks_of_ns(uint64_t ns)
{
	return ns / (1000000000 / USER_HZ);
}

/* Linux's new_encode_dev, the form of stat's tty_nr */
static uint32_t encode_dev(uint64_t rdev)
{
	uint32_t major = linux_major(rdev), minor = linux_minor(rdev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

long gen_task_stat(struct snapshot *s, int pid, int tid)
{
	struct pm_proc_info i;
	long err = proc_info(pid, tid, &i);
	const struct fdtable *t = fdtable_find(pid);
	const struct tty *ctty = t ? t->ctty : NULL;     /* the VFS keeps it */

	if (err)
		return err;
	procfs_put(s, "%d (%s) %c %d %d %d %u %d 0 ", i.pid, i.comm, i.state, i.ppid, i.pgid,
	    i.sid, ctty ? encode_dev(ctty->rdev) : 0,
	    ctty && ctty->foreground > 0 ? ctty->foreground : -1);
	procfs_put(s, "%lu 0 0 0 %lu %lu 0 0 20 0 %u 0 %lu %lu %lu ", i.minflt,
	    user_ticks_of_ns(i.cpu_ns), user_ticks_of_ns(i.sys_ns), i.threads,
	    user_ticks_of_ns(i.start_ns), i.vsize, i.rss / 4096);
	procfs_put(s, "18446744073709551615 0 0 0 0 0 ");
	procfs_put(s, "%lu %lu 0 0 0 0 0 17 0 0 0 0 0 0 ", i.sigpending, i.sigblocked);
	procfs_put(s, "0 0 0 0 0 0 0 %d\n", i.state == 'Z' ? i.exit_status : 0);
	return 0;
}

static const char *state_name(char state)
{
	switch (state) {
	case 'R': return "running";
	case 'T': return "stopped";
	case 'Z': return "zombie";
	default: return "sleeping";
	}
}

long gen_task_status(struct snapshot *s, int pid, int tid)
{
	struct pm_proc_info i;
	long err = proc_info(pid, tid, &i);
	struct fdtable *t = fdtable_find(pid);
	uint32_t umask = t ? t->umask : 0;      /* the VFS keeps it */

	if (err)
		return err;
	procfs_put(s, "Name:\t%s\nUmask:\t0%u%u%u\nState:\t%c (%s)\n", i.comm, umask >> 6 & 7,
	    umask >> 3 & 7, umask & 7, i.state, state_name(i.state));
	procfs_put(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", i.tgid, i.pid,
	    i.ppid);
	procfs_put(s, "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\n", i.uid, i.uid, i.uid, i.uid,
	    i.gid, i.gid, i.gid, i.gid);
	procfs_put(s, "FDSize:\t%d\nGroups:\t\n", MAX_FDS);
	if (i.state != 'Z')
		procfs_put(s, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n", i.vsize >> 10, i.rss >> 10);
	procfs_put(s, "Threads:\t%u\nSigPnd:\t%016lx\nSigBlk:\t%016lx\n", i.threads, i.sigpending,
	    i.sigblocked);
	procfs_put(s, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", i.sigignored, i.sigcaught);
	return 0;
}

long gen_pid_cmdline(struct snapshot *s, int pid)
{
	static struct pm_proc_info i;
	long err = proc_info(pid, 0, &i);

	if (err)
		return err;
	/* a zombie has no memory left to hold its arguments */
	s->len = i.state == 'Z' ? 0 : MIN(i.cmdline_len, sizeof s->text);
	memcpy(s->text, i.cmdline, s->len);
	return 0;
}

long gen_task_comm(struct snapshot *s, int pid, int tid)
{
	struct pm_proc_info i;
	long err = proc_info(pid, tid, &i);

	if (!err)
		procfs_put(s, "%s\n", i.comm);
	return err;
}

/* A line of maps as Linux's show_map_vma makes it: the name, if any,
 * after spaces up to column 73 (the width of a 64-bit header). */
static void put_map(struct snapshot *s, const struct pm_map *m)
{
	uint32_t start = s->len;
	const char *name = m->kind == 'h' ? "[heap]" : m->kind == 's' ? "[stack]" : m->name;

	procfs_put(s, "%08lx-%08lx %c%c%cp %08lx %02x:%02x %lu ", m->start, m->end,
	    m->prot & TS_PROT_READ ? 'r' : '-', m->prot & TS_PROT_WRITE ? 'w' : '-',
	    m->prot & TS_PROT_EXEC ? 'x' : '-', m->off, linux_major(m->dev), linux_minor(m->dev),
	    m->ino);
	int pad = (int)(start + 72 > s->len ? start + 72 - s->len : 0) + 1;
	if (*name)
		procfs_put(s, "%*s%s", pad, "", name);
	procfs_put(s, "\n");
}

long gen_pid_maps(struct snapshot *s, int pid)
{
	static struct pm_map maps[PM_MAPS_MAX];
	long n = pm_proc_maps_call(pm_info(), pid, maps, sizeof maps);
	for (long i = 0; i < MIN(n, PM_MAPS_MAX); i++)     /* the PM's count: not past */
		put_map(s, &maps[i]);
	return n < 0 ? n : 0;
}

long gen_pid_stat(struct snapshot *s, int pid) { return gen_task_stat(s, pid, 0); }
long gen_pid_status(struct snapshot *s, int pid) { return gen_task_status(s, pid, 0); }
long gen_pid_comm(struct snapshot *s, int pid) { return gen_task_comm(s, pid, 0); }

/* v in octal (our printf has no %o) */
static void put_octal(struct snapshot *s, unsigned v)
{
	char digits[12];
	int n = 0;

	do
		digits[n++] = (char)('0' + (v & 7));
	while (v >>= 3);
	while (n)
		procfs_put(s, "%c", digits[--n]);
}

/* As Linux's seq_show: the status flags (O_LARGEFILE, which a 64-bit open
 * forces, on what was opened by path; O_CLOEXEC from the table), the
 * mount (its place in the mount list) and the inode. */
long gen_fdinfo(struct snapshot *s, int pid, int fd)
{
	struct fdtable *t = fdtable_find(pid);
	struct file *f = t ? fd_get(t, fd) : NULL;
	struct linux_stat st = { 0 };

	if (!f)
		return -ENOENT;
	unsigned open_only = L_O_CREAT | L_O_EXCL | L_O_NOCTTY | L_O_TRUNC | L_O_CLOEXEC;
	unsigned flags = (f->flags & ~open_only) | (t->cloexec[fd] ? L_O_CLOEXEC : 0) |
			 (f->mnt ? L_O_LARGEFILE : 0);
	f->ops->stat(f, &st);
	procfs_put(s, "pos:\t%lu\nflags:\t0", f->pos);
	put_octal(s, flags);
	procfs_put(s, "\nmnt_id:\t%u\nino:\t%lu\n", procfs_mount_id(f->mnt), st.st_ino);
	return 0;
}

static void put_kb(struct snapshot *s, const char *name, uint64_t pages)
{
	procfs_put(s, "%-16s%8lu kB\n", name, pages * 4);
}

/* Every frame the kernel has not handed out is free; nothing is cached
 * or swapped. */
long gen_meminfo(struct snapshot *s, int pid)
{
	static const char *const zero[] = {
		"Buffers:", "Cached:", "SwapCached:", "SwapTotal:", "SwapFree:", "Shmem:",
		"SReclaimable:",
	};
	struct ts_stats st;

	(void)pid;
	ts_stats(&st);
	put_kb(s, "MemTotal:", st.total_pages);
	put_kb(s, "MemFree:", st.free_pages);
	put_kb(s, "MemAvailable:", st.free_pages);
	for (unsigned i = 0; i < ARRAY_SIZE(zero); i++)
		put_kb(s, zero[i], 0);
	return 0;
}

/* seconds.hundredths of kernel ticks */
static void put_seconds(struct snapshot *s, uint64_t kticks, const char *end)
{
	uint64_t hundredths = kticks / KTICKS_PER_USER_TICK;

	procfs_put(s, "%lu.%02lu%s", hundredths / 100, hundredths % 100, end);
}

long gen_uptime(struct snapshot *s, int pid)
{
	struct ts_stats st;

	(void)pid;
	ts_stats(&st);
	put_seconds(s, ts_clock() / 1000000, " ");
	put_seconds(s, st.idle_ticks, "\n");
	return 0;
}

/* Processes running or ready (the caller is), and all of them. */
static void count_processes(int *running, int *total)
{
	int32_t *pids;
	struct pm_proc_info i;
	long n = procfs_pids(&pids);

	*running = 0;
	*total = MAX(n, 0);
	for (long k = 0; k < n; k++)
		if (!proc_info(pids[k], 0, &i) && i.state == 'R')
			(*running)++;
	if (n >= 0)
		free(pids);
}

static long system_info(uint64_t *boot_time, uint64_t *last_pid)
{
	int32_t last = 0;
	long err = pm_system_info_call(pm_info(), boot_time, NULL, &last);

	*last_pid = (uint64_t)last;
	return err;
}

/* A TS_LOAD_SHIFT fixed-point figure as Linux prints it, rounded. */
static void put_load(struct snapshot *s, uint64_t load, const char *end)
{
	const uint64_t one = 1ull << TS_LOAD_SHIFT;

	load += one / 200;
	procfs_put(s, "%lu.%02lu%s", load >> TS_LOAD_SHIFT,
	    ((load & (one - 1)) * 100) >> TS_LOAD_SHIFT, end);
}

long gen_loadavg(struct snapshot *s, int pid)
{
	struct ts_stats st;
	uint64_t boot_time, last_pid;
	int running, total;

	(void)pid;
	long err = system_info(&boot_time, &last_pid);
	if (err)
		return err;
	ts_stats(&st);
	count_processes(&running, &total);
	put_load(s, st.load[0], " ");
	put_load(s, st.load[1], " ");
	put_load(s, st.load[2], " ");
	procfs_put(s, "%d/%d %lu\n", running, total, last_pid);
	return 0;
}

/* One CPU; time is sampled by the 1 kHz tick, which only lands in user
 * mode or the idle thread (the kernel runs with interrupts off): servers'
 * time counts as user time, as their work is user-space work here. */
long gen_stat(struct snapshot *s, int pid)
{
	struct ts_stats st;
	uint64_t boot_time, forks;
	int running, total;

	(void)pid;
	long err = system_info(&boot_time, &forks);
	if (err)
		return err;
	ts_stats(&st);
	count_processes(&running, &total);
	uint64_t user = (st.ticks - st.idle_ticks) / KTICKS_PER_USER_TICK,
		 idle = st.idle_ticks / KTICKS_PER_USER_TICK;
	procfs_put(s, "cpu  %lu 0 0 %lu 0 0 0 0 0 0\n", user, idle);
	procfs_put(s, "cpu0 %lu 0 0 %lu 0 0 0 0 0 0\n", user, idle);
	procfs_put(s, "intr 0\nctxt %lu\nbtime %lu\nprocesses %lu\n", st.context_switches,
	    boot_time, forks);
	procfs_put(s, "procs_running %d\nprocs_blocked 0\n", running);
	return 0;
}

long gen_version(struct snapshot *s, int pid)
{
	(void)pid;
	procfs_put(s, "Tessera version 0.1.0 #1\n");   /* as uname -r and -v */
	return 0;
}

long gen_filesystems(struct snapshot *s, int pid)
{
	(void)pid;
	for (unsigned i = 0; fs_types[i]; i++)
		procfs_put(s, "nodev\t%s\n", fs_types[i]->name);
	return 0;
}
