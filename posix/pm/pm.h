/* The process manager: POSIX processes, their memory, identities and
 * (later) signals. It serves the Linux syscalls routed to it; each request
 * is a forwarded syscall whose badge is the caller's pid. */
#ifndef PM_H
#define PM_H

#include <tessera.h>
#include <tessera/linux_abi.h>
#include <tessera/proto/pm_types.h>
#include "regions.h"
#include "retire.h"

#define MAX_GROUPS 32

/* user and group ids, each real, effective and saved (cred.c) */
enum { ID_REAL, ID_EFFECTIVE, ID_SAVED };
struct pm_cred {
	uint32_t uid[3], gid[3];
	uint32_t groups[MAX_GROUPS];
	unsigned ngroups;
};
#define MMAP_TOP   0x00007f0000000000ull   /* anonymous mappings grow down from here */
#define STACK_TOP  0x00007ffffffff000ull
/* the stack reserved at exec: RLIMIT_STACK's soft limit, as far as Linux's
 * stack may grow, within these (the least holds the arguments) */
#define STACK_MIN  (1ull << 20)
#define STACK_MAX  (1ull << 30)
/* execve: at most EXEC_STRINGS arguments and as many environment strings,
 * each at most EXEC_STRING_MAX bytes with its NUL (Linux's MAX_ARG_STRLEN),
 * EXEC_ARG_BYTES in all (Linux allows a quarter of the stack limit, 2 MiB of
 * 8; ours hold them in the least stack, STACK_MIN). */
#define EXEC_STRINGS    16384
#define EXEC_STRING_MAX (128u << 10)
#define EXEC_ARG_BYTES  (256u << 10)

/* Linux's resource limits (rlimit.c) */
enum {
	RLIMIT_CPU, RLIMIT_FSIZE, RLIMIT_DATA, RLIMIT_STACK, RLIMIT_CORE, RLIMIT_RSS,
	RLIMIT_NPROC, RLIMIT_NOFILE, RLIMIT_MEMLOCK, RLIMIT_AS, RLIMIT_LOCKS,
	RLIMIT_SIGPENDING, RLIMIT_MSGQUEUE, RLIMIT_NICE, RLIMIT_RTPRIO, RLIMIT_RTTIME,
	RLIM_NLIMITS
};
#define RLIM_INF (~0ull)

/* a thread's wait4 or waitid: what it waits for, where results go, and
 * while it waits, its reply handle (answered when a child it waits for
 * changes) */
struct pm_wait {
	uint64_t reply;             /* 0: not waiting */
	int pid;                    /* as wait4's: -1 any, -pgid, 0 own group */
	int options;                /* WEXITED added for wait4 */
	bool waitid;                /* else wait4 */
	uint64_t status;            /* wait4: int status, or 0 */
	uint64_t info;              /* waitid: siginfo_t, or 0 */
	uint64_t rusage;            /* struct rusage, or 0 */
};

/* ITIMER_REAL of a process: SIGALRM at the deadline, then every interval */
struct itimer {
	uint64_t deadline, interval;   /* ns; deadline 0 = disarmed */
};

struct pproc {
	bool used;                  /* false: gone, freed after a grace (retire.c) */
	struct retired retired;
	struct pproc *hash_next;    /* in its pid's hash bucket */
	struct pproc *prev, *next;  /* every process, by pid */
	struct pthread *threads;    /* its own, newest first (thread.c) */
	bool zombie;
	int pid, ppid, pgid, sid;
	struct pm_cred cred;
	uint32_t slot;          /* capability to the kernel process */
	uint64_t brk_start, brk;
	uint64_t stack_size;    /* below STACK_TOP, since its exec */
	uint64_t mmap_top;      /* anonymous mappings grow down from here */
	int wait_status;        /* as wait4 reports it, once a zombie */
	/* what /proc shows (procinfo.c) */
	uint64_t start_ns;      /* fork time */
	uint64_t image_start;   /* lowest address of the executable */
	unsigned info_seq;      /* odd while comm, cmdline or regions change */
	char comm[PM_COMM_MAX];
	uint32_t cmdline_len;
	char cmdline[PM_CMDLINE_MAX];
	struct region *regions; /* what it has mapped (vmmap.c) */
	/* what its reaped children used, theirs included (rusage.c) */
	struct pm_usage {
		uint64_t ticks, sys_ticks, minflt;      /* 1 kHz ticks */
		uint64_t peak_pages;                    /* the largest, not a sum */
	} children;
	/* a stop or continue not yet reported to wait4 (its status), or 0 */
	int wait_event;

	/* signals (signal.c, sigdeliver.c) */
	uint64_t sig_pending;       /* sent to the process, not yet delivered */
	int stop_sig;               /* stopped by this signal, or 0 */
	struct linux_sigaction actions[L_NSIG];
	struct linux_siginfo infos[L_NSIG];     /* of each pending signal */
	struct itimer itimer;       /* time.c */
	struct linux_rlimit rlim[RLIM_NLIMITS];     /* rlimit.c */
	uint64_t cpu_check_at;      /* RLIMIT_CPU's next look (ns since boot), or 0 */
};

/* A thread of a process (thread.c): what signals need per thread. */
struct pthread {
	struct pproc *proc;         /* NULL: gone, freed after a grace (retire.c) */
	struct retired retired;
	struct pthread *next;       /* of the same process */
	struct pthread *hash_next;  /* in its tid's hash bucket */
	int tid;
	uint64_t sigmask;
	uint64_t sig_pending;       /* sent to this thread, not yet delivered */
	uint64_t sig_saved_mask;    /* the mask before rt_sigsuspend... */
	bool sig_mask_saved;        /* ...to restore after its handler */
	uint64_t sig_wait_reply;    /* rt_sigsuspend, pause or rt_sigtimedwait */
	uint64_t sigwait_set;       /* rt_sigtimedwait: the signals it takes */
	uint64_t sigwait_info;      /* where their siginfo goes (or 0) */
	uint64_t sigwait_deadline;  /* ns since boot, or 0 for none */
	uint64_t stop_reply;        /* while stopped: its unanswered signal point */
	struct linux_stack altstack;
	struct pm_wait wait;        /* wait4 or waitid (wait.c) */
};

/* proc.c */
struct pproc *proc_find(int pid);
/* An entry with a new pid (no kernel process yet). */
struct pproc *proc_alloc(int ppid);
void proc_free(struct pproc *p);
/* Iterate: the process after p (NULL: the first), or NULL. */
struct pproc *proc_next(struct pproc *p);

/* The last pid given out. */
int proc_last_pid(void);
/* A new thread id (from the pid space). */
int proc_new_tid(void);

/* p's parent is now ppid (the kernel answers getppid). */
void pm_set_parent(struct pproc *p, int ppid);
/* Whether p may make a task (process or thread) more: the system's
 * threads-max and p's user's RLIMIT_NPROC allow it (EAGAIN if not) */
bool proc_may_add_task(const struct pproc *p);
unsigned proc_threads_max(void);
/* thread.c tells proc.c of tasks made (1) and gone (-1) */
void proc_task_count(int delta);

/* thread.c */
struct pthread *thread_by_tid(int tid);
/* p's thread tid, or NULL */
struct pthread *thread_of(const struct pproc *p, int tid);
/* the thread of p that made request m (NULL if it is gone) */
struct pthread *thread_caller(const struct pproc *p, const struct ts_msg *m);
struct pthread *thread_add(struct pproc *p, int tid);
void thread_remove(struct pthread *t);
/* Iterate over p's threads: the one after t (NULL: the first), or NULL. */
struct pthread *thread_next(const struct pproc *p, struct pthread *t);
unsigned thread_count(const struct pproc *p);
void thread_keep_only(struct pthread *t);
void threads_free(struct pproc *p);

/* signal.c: the signal syscalls; state across fork and exec */
long pm_signal(struct pproc *p, struct ts_msg *m);
/* the child's first thread has what parent (the forking thread) has */
void pm_signal_fork(const struct pthread *parent, struct pproc *child);
/* t execs: the only thread left */
void pm_signal_exec(struct pthread *t);
void pm_signal_clear(struct pproc *p);

/* sigdeliver.c: generating and delivering signals */
struct sig_origin {
	int code, pid, uid, status;         /* as siginfo_t carries them */
};
/* to the process (any thread that does not block it) or to one thread */
void sig_send(struct pproc *p, int sig, const struct sig_origin *o);
void sig_send_thread(struct pthread *t, int sig, const struct sig_origin *o);
/* the call t waits in is cut short (sigdeliver.c) */
void sig_cut_short(struct pthread *t);
/* only if it waits here (wait, sleep, signal wait): the process manager's
 * own hold on t ends */
void sig_calls_cut_short(struct pthread *t);
/* is a signal ready to be delivered to t now? (then do not block it) */
bool sig_deliverable(const struct pthread *t);
/* to every process of group pgid; -ESRCH if it has none */
long sig_send_group(int pgid, int sig, const struct sig_origin *o);
/* child c exited, was killed, stopped or continued: SIGCHLD to its parent */
void sig_child_event(const struct pproc *c, int code, int status);
/* a process at a signal point (TS_LABEL_SIGNAL_POINT) */
long pm_signal_point(struct pproc *p, struct ts_msg *m);
/* a process that faulted (TS_LABEL_FAULT) */
long pm_fault(struct pproc *p, struct ts_msg *m);
/* oom.c: one that faulted for want of memory (TS_FAULT_OOM, TS_FAULT_QUOTA) */
long pm_oom(struct pproc *p, struct ts_msg *m);
/* signal.c: answer an rt_sigtimedwait with sig, or 0: its time is up */
void sig_wait_answer(struct pthread *t, int sig);
/* the VFS has signals to send (tty keys, broken pipes) */
void pm_signals_from_vfs(void);

/* lifecycle.c: fork, execve, exit, wait4 */
/* The VFS's endpoint, for its calls (include/tessera/proto/vfs.idl) */
uint32_t pm_vfs(void);
/* Our endpoint's own notification bit, beside the VFS's VFS_NOTIFY_SIGNALS:
 * a process ended (the kernel's exit watch). */
#define PM_NOTIFY_EXIT (1ull << 0)
/* p is killed by sig (the kernel process ends; p becomes a zombie). */
void pm_kill(struct pproc *p, int sig);
/* wait.c: wait4 and waitid */
long pm_wait(struct pproc *p, struct ts_msg *m);
/* c ended, stopped or continued: answer its parent if it waits for that */
void pm_wait_event(struct pproc *c);
/* a call t is blocked in ends with err, as a signal cuts it short */
void pm_wait_cancel(struct pthread *t, long err);
void pm_time_cancel(const struct pthread *t, long err);
void pm_lifecycle_init(uint32_t vfs_ep, uint32_t own_ep, const void *initramfs);
/* Reap processes the kernel ended (faults): on the exit notification. */
void pm_reap_killed(void);
long pm_lifecycle(struct pproc *p, struct ts_msg *m);
/* Start the first program, pid 1 (argv[0]: a path, or a name in /bin). */
long pm_start_init(char *const argv[], char *const envp[]);
/* main.c: pid 1 has exited. */
void pm_init_exited(int status);

/* An executable's bytes: in the initramfs (immutable boot-module memory),
 * or copied from the VFS for one exec (a file written at run time). */
struct exec_file {
	const uint8_t *bytes;
	uint64_t size;
	bool immutable;
	uint32_t mode, uid, gid;    /* permission bits (set-ID ones), owner */
};
/* The ids a process has after exec (cred.c) and whether they differ from
 * what it had in a way that makes the exec "secure" (AT_SECURE) */
struct exec_ids {
	struct pm_cred cred;
	bool secure;
};
void cred_for_exec(const struct pproc *p, const struct exec_file *f, struct exec_ids *ids);
void cred_exec_commit(struct pproc *p, const struct exec_ids *ids);

/* exec.c: load a static ELF image into p (whose kernel process is empty)
 * and start it with Linux's initial stack; path is the name execve was
 * given (AT_EXECFN), ids what the auxiliary vector says of its ids. */
long pm_exec(struct pproc *p, const char *path, const struct exec_file *f,
	     const struct exec_ids *ids, char *const argv[], char *const envp[]);

/* imgcache.c: the page copy of f laid out as l says (layout.h), read-only
 * in our memory at *at, for sharing into a process; then image_copy_done,
 * which drops it unless f is immutable (kept for the next exec). */
struct elf_image;
struct layout;
long image_copy_get(const struct exec_file *f, const struct elf_image *elf,
		    const struct layout *l, uint64_t *at);
void image_copy_done(void);

/* procinfo.c: answer the VFS's procfs requests (pm.idl) from a thread
 * of their own; record what /proc shows of a process. */
long procinfo_start(void);
void procinfo_inherit(const struct pproc *parent, struct pproc *child);
void procinfo_exec(struct pproc *p, const char *path, char *const argv[]);

/* Handlers: each takes the request (words = syscall arguments) and returns
 * the syscall's result, or TS_NO_REPLY. */
long pm_memory(struct pproc *p, struct ts_msg *m);
/* filemap.c: mmap of a file: its bytes copied in */
struct file_map {
	int pid, fd, prot, flags;
	uint64_t off, len;
	long first;                 /* bytes of the first chunk read */
};
/* Is the mapping allowed (the VFS's answer for its first chunk)? */
long file_map_check(struct file_map *fm);
/* Copy the file's bytes into the pages at addr (mapped writable). */
long file_map_fill(uint32_t proc, const struct file_map *fm, uint64_t addr);
long pm_info(struct pproc *p, struct ts_msg *m);
long pm_time(struct pproc *p, struct ts_msg *m);
long pm_reboot(struct pproc *p, struct ts_msg *m);
long pm_cred(struct pproc *p, struct ts_msg *m);
/* cred.c: may from send a signal to to? */
bool pm_may_signal(const struct pproc *from, const struct pproc *to);
/* reboot.c: the capability that powers off and restarts */
void pm_reboot_init(int system_slot);

/* rtc.c: seconds since the epoch now, from the CMOS clock (0 without
 * the capability for its ports). */
int64_t rtc_epoch_seconds(int ioport_slot);

/* time.c: the wall clock is the CMOS time at start plus uptime. */
void pm_time_init(int64_t epoch_at_start);
/* time.c: the wall clock at boot, in seconds since the epoch. */
int64_t pm_boot_epoch_seconds(void);
/* time.c: the wall clock (ns since the epoch) when ts_clock() read 0. */
int64_t pm_boot_epoch_ns(void);
/* time.c: answer sleepers whose time has come; the next deadline or 0. */
uint64_t pm_wake_sleepers(void);
/* time.c: a timer (itimer, rt_sigtimedwait) will need attention then */
void pm_timer_armed(uint64_t deadline);
/* time.c: a new process has no interval timer */
void pm_itimer_clear(struct pproc *p);

/* The main thread changes what the info thread reads of p (procinfo.c,
 * vmmap.c) between these two: info_seq is odd meanwhile. */
static inline void info_read_barrier(void) { __asm__ volatile("" ::: "memory"); }
static inline void info_change_begin(struct pproc *p)
{
	p->info_seq++;
	info_read_barrier();
}
static inline void info_change_end(struct pproc *p)
{
	info_read_barrier();
	p->info_seq++;
}

/* rlimit.c: prlimit64 of process pid (0: p itself) */
long rlimit_call(struct pproc *p, const struct ts_msg *m, int pid, uint64_t resource,
		 uint64_t new_addr, uint64_t old_addr);
/* child's limits are parent's (NULL: Linux's defaults, for the first process) */
void rlimit_inherit(const struct pproc *parent, struct pproc *child);
/* the bytes of stack p's next exec reserves (RLIMIT_STACK) */
uint64_t rlimit_stack_size(const struct pproc *p);
/* time.c's timers: RLIMIT_CPU of p, if its time to look has come; the
 * sooner of its next look and next */
uint64_t rlimit_cpu_check(struct pproc *p, uint64_t now, uint64_t next);

/* rusage.c: getrusage; wait4's and waitid's rusage of child c (with its
 * reaped children's) */
long pm_getrusage(struct pproc *p, struct ts_msg *m);
long rusage_to_caller(const struct ts_msg *m, uint64_t addr, const struct pproc *c,
		      bool with_children);
/* parent reaps c: c's usage counts as parent's children's */
void rusage_reaped(struct pproc *parent, const struct pproc *c);

/* vmmap.c: each process's regions (regions.h), for /proc/<pid>/maps */
#define VMMAP_ROOM 8            /* free nodes one memory call may need */
void vmmap_init(void);
/* Is there room for a memory call's changes? (else it fails: ENOMEM) */
bool vmmap_room(void);
void vmmap_add(struct pproc *p, const struct region *r);
void vmmap_remove(struct pproc *p, uint64_t start, uint64_t len);
void vmmap_protect(struct pproc *p, uint64_t start, uint64_t len, int prot);
long vmmap_fork(const struct pproc *parent, struct pproc *child);
void vmmap_clear(struct pproc *p);
/* Bytes p has mapped in [start, end) (its VmSize, for all of it). */
uint64_t vmmap_bytes(const struct pproc *p, uint64_t start, uint64_t end);
/* ... of them, the data (RLIMIT_DATA's): writable, not the stack */
uint64_t vmmap_data_bytes(const struct pproc *p, uint64_t start, uint64_t end);
/* r is pid's file fd (-1: its executable): its name, device and inode */
void vmmap_name_file(struct region *r, int pid, int fd);
/* p's new image's file regions get its executable's name */
void vmmap_name_image(struct pproc *p);
/* The info thread: p's regions into out <- their number, or -EAGAIN if
 * they changed meanwhile */
long vmmap_read(const struct pproc *p, struct pm_map *out);
/* mapnames.c: a mapped file's name kept as an id (0: not kept); mark
 * sets the ids some region still has, if room must be made */
#define MAPNAMES 128
uint16_t mapname_intern(const char *name, void (*mark)(bool used[MAPNAMES]));
const char *mapname(uint16_t id);

/* Copy to/from the caller of request m (its address space is granted). */
static inline long to_caller(const struct ts_msg *m, uint64_t addr, const void *src, uint64_t n)
{
	long r = ts_grant_copy(m->reply, addr, (void *)src, n, TS_COPY_TO_CALLER);
	return r < 0 ? -EFAULT : 0;
}

static inline long from_caller(const struct ts_msg *m, uint64_t addr, void *dst, uint64_t n)
{
	long r = ts_grant_copy(m->reply, addr, dst, n, TS_COPY_FROM_CALLER);
	return r < 0 ? -EFAULT : 0;
}

#endif
