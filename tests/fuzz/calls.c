/* Which system call a generated call makes, and what the fuzzer keeps away
 * from: calls that would legitimately end the run or change what the
 * parent's checks rely on (each exclusion says why; README.md lists them),
 * and pid arguments that would reach the parent. */
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <tessera/abi.h>
#include <tessera/linux_syscalls.h>
#include "fuzz.h"

extern const unsigned short fuzz_implemented[];  /* generated (Makefile) */
extern const unsigned fuzz_nimplemented;

#define NATIVE_SPAN (TS_SYS_END - TS_SYS_BASE + 4)  /* a few past the last too */

/* Linux numbers never made; nonzero = excluded */
static int excluded(uint64_t nr)
{
	switch (nr) {
	case SYS_exit: case SYS_exit_group:  /* end the child: it makes them at its end */
	case SYS_reboot:                     /* root powers the machine off */
	case SYS_mount: case SYS_umount2: case SYS_pivot_root:
		/* a file system mounted over / or /tmp hides the files the
		 * parent's checks use (tests/posix/mounts.c covers them) */
		return 1;
	}
	return 0;
}

static uint64_t odd_number(uint64_t r)
{
	switch (r % 6) {
	case 0: return LINUX_SYSCALL_MAX + (r >> 8) % (TS_SYS_BASE - LINUX_SYSCALL_MAX);
	case 1: return 0x40000000 | (r >> 8) % 335;    /* the x32 bit */
	case 2: return 1ull << 32 | (r >> 8) % 335;    /* bits above 32 */
	case 3: return 1ull << 32 | (TS_SYS_BASE + (r >> 8) % NATIVE_SPAN);
	case 4: return -1ull;
	default: return r | 1ull << 63;
	}
}

/* Most often a call Tessera implements, then any Linux number (most of the
 * rest answer ENOSYS), native numbers, and numbers no one defines. */
static uint64_t pick_number(uint64_t *s)
{
	for (;;) {
		uint64_t r = rnd(s), nr = (r >> 8) % LINUX_SYSCALL_MAX;

		if (r % 100 < 70) {
			nr = fuzz_implemented[(r >> 8) % fuzz_nimplemented];
			if (!excluded(nr))
				return nr;
		} else if (r % 100 < 84) {
			if (linux_syscall_names[nr] && !excluded(nr))
				return nr;
		} else if (r % 100 < 96) {
			return TS_SYS_BASE + (r >> 8) % NATIVE_SPAN;
		} else {
			return odd_number(r >> 8);
		}
	}
}

/* Requests random numbers seldom hit: terminal and pty ioctls, fcntl's
 * commands from 1024 (F_DUPFD_CLOEXEC, pipe sizes, seals) */
static const uint32_t ioctls[] = {
	0x5401, 0x5402, 0x5403, 0x5404, 0x5409, 0x540a, 0x540b, 0x540e, 0x540f, 0x5410,
	0x5413, 0x5414, 0x541b, 0x5420, 0x5421, 0x5422, 0x5429, 0x5441, 0x80045430,
	0x40045431, 0x40045436, 0x80045438, 0x5437,
};

/* Half the time, a request the call understands in place of a random one */
static void aim(struct call *c, uint64_t *s)
{
	uint64_t r = rnd(s);

	if (r & 1)
		return;
	if (c->nr == SYS_ioctl)
		c->arg[1] = ioctls[(r >> 8) % (sizeof ioctls / sizeof ioctls[0])];
	else if (c->nr == SYS_fcntl)
		c->arg[1] = 1024 + (r >> 8) % 17;
}

/* A pid argument <= 0 (a group, everyone) or the parent's: the child's own
 * group instead, so that the fuzzer signals and changes only itself. */
static void own_pid(uint64_t *arg)
{
	int pid = (int)*arg;

	if (pid <= 1 || pid == getppid())
		*arg = 0;
}

static void keep_fd(uint64_t *arg)
{
	if ((int)*arg == FUZZ_LOG_FD || (int)*arg == FUZZ_PROG_FD)
		*arg = FUZZ_NFDS;
}

static void call_sanitize(struct call *c)
{
	switch (c->nr) {
	case SYS_kill: case SYS_rt_sigqueueinfo: case SYS_prlimit64:
	case SYS_sched_setparam: case SYS_sched_setscheduler: case SYS_sched_setaffinity:
	case SYS_process_vm_writev: case SYS_pidfd_open: case SYS_tkill:
		own_pid(&c->arg[0]);
		break;
	case SYS_tgkill: case SYS_rt_tgsigqueueinfo:
		own_pid(&c->arg[0]);
		own_pid(&c->arg[1]);
		break;
	case SYS_ptrace: case SYS_setpriority:
		own_pid(&c->arg[1]);
		break;
	case SYS_close: case SYS_dup2: case SYS_dup3:
		/* the log and progress fds stay: a call logged is a call seen */
		keep_fd(&c->arg[c->nr != SYS_close]);
		break;
	case SYS_close_range:
		if ((unsigned)c->arg[0] <= FUZZ_PROG_FD && (unsigned)c->arg[1] >= FUZZ_LOG_FD)
			c->arg[1] = FUZZ_LOG_FD - 1;
		break;
	case SYS_clone:
		/* a copy, as fork: a child sharing the fuzzer's memory or
		 * stack would run its loop on the same stack */
		c->arg[0] &= ~(uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND |
					 CLONE_SETTLS);
		c->arg[1] = 0;
		break;
	}
}

void call_make(uint64_t seed, uint64_t index, struct call *c)
{
	uint64_t s = mix(seed, index);

	c->nr = pick_number(&s);
	gen_args(&s, c->arg);
	aim(c, &s);
	call_sanitize(c);
}

/* A call that may have stopped the child's SIGALRM ticks, which end its
 * blocking calls: the child starts them again after it (child.c). */
int call_stops_alarm(uint64_t nr)
{
	return nr == SYS_alarm || nr == SYS_setitimer || nr == SYS_rt_sigaction ||
	       nr == SYS_rt_sigprocmask;
}

/* A call after which a copy of the child may be running: that copy exits. */
int call_is_fork(uint64_t nr)
{
	return nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3 ||
	       (nr & 0xffffffff) >= TS_SYS_BASE;
}
