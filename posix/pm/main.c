/*
 * The process manager's main loop. At start it installs the routing of
 * Linux syscalls (posix/syscalls.tbl: its own to itself, file ones to the
 * VFS) and starts pid 1 from the initramfs: the program and arguments
 * after "--" on its module line. With "oneshot" it exits with pid 1's
 * status when it ends (how the tests run a program and check it).
 */
#include "pm.h"
#include <tessera/linux_syscalls.h>
#include <syscall_routes.h>
#include <proto/vfs.h>

#define INITRAMFS_AT 0x100000000ull

typedef long handler_fn(struct pproc *p, struct ts_msg *m);

static handler_fn *const handlers[LINUX_SYSCALL_MAX] = {
	[NR_brk] = pm_memory, [NR_mmap] = pm_memory, [NR_munmap] = pm_memory,
	[NR_mprotect] = pm_memory, [NR_mremap] = pm_memory, [NR_madvise] = pm_memory,
	[NR_getuid] = pm_cred, [NR_geteuid] = pm_cred,
	[NR_getgid] = pm_cred, [NR_getegid] = pm_cred, [NR_getgroups] = pm_cred,
	[NR_setuid] = pm_cred, [NR_setgid] = pm_cred, [NR_setreuid] = pm_cred,
	[NR_setregid] = pm_cred, [NR_setresuid] = pm_cred, [NR_setresgid] = pm_cred,
	[NR_getresuid] = pm_cred, [NR_getresgid] = pm_cred, [NR_setgroups] = pm_cred,
	[NR_getpgrp] = pm_info, [NR_getpgid] = pm_info, [NR_getsid] = pm_info,
	[NR_setpgid] = pm_info, [NR_setsid] = pm_info,
	[NR_uname] = pm_info, [NR_sysinfo] = pm_info, [NR_getrandom] = pm_info,
	[NR_getrlimit] = pm_info, [NR_setrlimit] = pm_info, [NR_prlimit64] = pm_info,
	[NR_sched_setaffinity] = pm_info, [NR_sched_getaffinity] = pm_info,
	[NR_clock_gettime] = pm_time, [NR_gettimeofday] = pm_time, [NR_time] = pm_time,
	[NR_nanosleep] = pm_time, [NR_clock_nanosleep] = pm_time,
	[NR_exit] = pm_lifecycle, [NR_exit_group] = pm_lifecycle, [NR_fork] = pm_lifecycle,
	[NR_vfork] = pm_lifecycle, [NR_clone] = pm_lifecycle, [NR_execve] = pm_lifecycle,
	[NR_wait4] = pm_wait, [NR_waitid] = pm_wait, [NR_rt_sigaction] = pm_signal, [NR_rt_sigprocmask] = pm_signal,
	[NR_rt_sigpending] = pm_signal, [NR_rt_sigsuspend] = pm_signal, [NR_pause] = pm_signal,
	[NR_sigaltstack] = pm_signal, [NR_rt_sigreturn] = pm_signal, [NR_kill] = pm_signal,
	[NR_tkill] = pm_signal, [NR_tgkill] = pm_signal, [NR_setitimer] = pm_time,
	[NR_getrusage] = pm_getrusage,
	[NR_getitimer] = pm_time, [NR_alarm] = pm_time, [NR_rt_sigtimedwait] = pm_signal,
	[NR_reboot] = pm_reboot,
};

static const struct ts_startinfo *si;
static bool oneshot;

static long route(uint32_t system, uint32_t ep, const unsigned *nrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long err = ts_linux_route(system, ep, nrs[i], 1);
		if (err)
			return err;
	}
	return 0;
}

static long install_routes(uint32_t system, uint32_t pm_ep, uint32_t vfs)
{
	static const unsigned pm_nrs[] = { LINUX_ROUTES_PM }, vfs_nrs[] = { LINUX_ROUTES_VFS };
	long err = route(system, pm_ep, pm_nrs, ARRAY_SIZE(pm_nrs));

	return err ? err : route(system, vfs, vfs_nrs, ARRAY_SIZE(vfs_nrs));
}

/* Map the initramfs (the process manager execs programs from it). */
static const void *map_initramfs(void)
{
	for (unsigned i = 0; i < si->module_count; i++)
		if (!strcmp(si->module[i].name, "initramfs") &&
		    ts_module_map(si->module[i].slot, INITRAMFS_AT) >= 0)
			return (const void *)INITRAMFS_AT;
	return NULL;
}

/* Split the words after "--" into argv (in place, in a copy of args). */
static int first_argv(char *words, char *argv[], int max)
{
	char *p = (char *)arg_value(words, "--");
	int n = 0;

	while (p && *p && n < max - 1) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[n] = NULL;
	return n;
}

static long start_first(void)
{
	static char words[sizeof si->args];
	static char *const envp[] = { "PATH=/bin:/sbin:/usr/bin", "HOME=/", "TERM=vt100", NULL };
	char *argv[16];

	strlcpy(words, si->args, sizeof words);
	if (!first_argv(words, argv, ARRAY_SIZE(argv)))
		return -EINVAL;
	return pm_start_init(argv, envp);
}

void pm_init_exited(int status)
{
	if (oneshot)
		ts_exit(status);
}

/* The handlers that may answer later (TS_NO_REPLY: the caller waits until
 * it is answered from where it was parked). The others answer every call
 * now, so a value of theirs equal to TS_NO_REPLY (an address, a count) is
 * an error: answered as one, never left as a caller waiting forever. */
static bool answers_later(handler_fn *h)
{
	return h == pm_lifecycle || h == pm_wait || h == pm_signal || h == pm_time;
}

static long dispatch(struct ts_msg *m)
{
	struct pproc *p = proc_find((int)m->badge);
	handler_fn *h = m->label < LINUX_SYSCALL_MAX ? handlers[m->label] : NULL;

	if (!p || !thread_caller(p, m))
		return -ESRCH;
	if (m->label == TS_LABEL_SIGNAL_POINT)
		return pm_signal_point(p, m);
	if (m->label == TS_LABEL_FAULT)
		return m->word[4] == TS_FAULT_ACCESS ? pm_fault(p, m) : pm_oom(p, m);
	long r = h ? h(p, m) : -ENOSYS;
	if (r == TS_NO_REPLY && !answers_later(h)) {
		ts_print("%s (#%lu) pid %d: a result equal to TS_NO_REPLY",
			 linux_syscall_name(m->label), m->label, p->pid);
		r = -EOVERFLOW;
	}
	if (r == -ENOSYS)
		ts_print("ENOSYS %s (#%lu) pid %d", linux_syscall_name(m->label), m->label, p->pid);
	return r;
}

static long handle(struct ts_msg *m)
{
	info_reclaim();
	if (m->label != TS_LABEL_NOTIFY)
		return dispatch(m);
	if (m->word[0] & PM_NOTIFY_EXIT)
		pm_reap_killed();
	if (m->word[0] & VFS_NOTIFY_SIGNALS)
		pm_signals_from_vfs();
	return TS_NO_REPLY;
}

/* Answer the request in m with r (unless TS_NO_REPLY), then receive the
 * next: in one call when no timer is pending, else with a timeout (an
 * error then just means "time to wake the sleepers"). */
static long next_request(uint32_t ep, struct ts_msg *m, long r)
{
	uint64_t next = pm_wake_sleepers();

	if (r != TS_NO_REPLY) {
		uint64_t reply = m->reply;
		*m = ts_msg_make((uint64_t)r);
		m->reply = reply;
		if (!next)
			return ts_reply_recv(ep, m);
		ts_reply(m);
	}
	uint64_t now = next ? ts_clock() : 0;
	return ts_recv_timeout(ep, m, next ? MAX(next, now + 1) - now : 0);
}

int main(const struct ts_startinfo *startinfo)
{
	struct ts_given g;
	struct ts_msg m;

	si = startinfo;
	oneshot = arg_flag(si->args, "oneshot");
	ts_given_caps(si->args, &g);
	pm_time_init(rtc_epoch_seconds(g.ioport));
	long ep = ts_ep_create(), vfs = names_lookup("vfs", true);
	long err = ep < 0 ? ep : vfs < 0 ? vfs : g.system < 0 ? -EPERM :
		   install_routes(g.system, ep, vfs);
	if (!err)
		err = names_register("pm", ep);
	pm_reboot_init(g.system);
	vmmap_init();
	pm_lifecycle_init(vfs, ep, map_initramfs());
	if (!err)
		err = procinfo_start();
	if (!err)
		err = start_first();
	if (err) {
		ts_print("cannot start: %ld", err);
		return 1;
	}
	long r = TS_NO_REPLY;
	for (;;)
		r = next_request((uint32_t)ep, &m, r) ? TS_NO_REPLY : handle(&m);
}
