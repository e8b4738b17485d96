/* The process manager: POSIX processes, their memory, identities and
 * (later) signals. It serves the Linux syscalls routed to it; each request
 * is a forwarded syscall whose badge is the caller's pid. */
#ifndef PM_H
#define PM_H

#include <tessera.h>
#include <tessera/linux_abi.h>

#define MAX_PROCS 64

struct pproc {
	bool used;
	bool zombie;
	int pid, ppid, pgid, sid;
	uint32_t slot;          /* capability to the kernel process */
	uint64_t brk_start, brk;
	uint64_t mmap_top;      /* anonymous mappings grow down from here */
	uint64_t sigmask;
	int wait_status;        /* as wait4 reports it, once a zombie */
	/* a wait4 in progress: answered when a matching child exits */
	uint64_t wait_reply;
	int wait_pid;
	uint64_t wait_status_addr;
};

/* proc.c */
struct pproc *proc_find(int pid);
/* An entry with a new pid (no kernel process yet). */
struct pproc *proc_alloc(int ppid);
void proc_free(struct pproc *p);
/* Iterate: the process after p (NULL: the first), or NULL. */
struct pproc *proc_next(struct pproc *p);

/* Index of p in the process table (0..MAX_PROCS-1). */
unsigned pm_index(const struct pproc *p);

/* signal.c: dispositions and masks (recorded, not yet delivered) */
long pm_signal(struct pproc *p, struct ts_msg *m);
void pm_signal_fork(const struct pproc *parent, const struct pproc *child);
void pm_signal_exec(const struct pproc *p);
void pm_signal_clear(const struct pproc *p);

/* lifecycle.c: fork, execve, exit, wait4 */
void pm_lifecycle_init(uint32_t vfs_ep, uint32_t own_ep, const void *initramfs);
/* Reap processes the kernel ended (faults): on the exit notification. */
void pm_reap_killed(void);
long pm_lifecycle(struct pproc *p, struct ts_msg *m);
/* Start the first program, pid 1 (argv[0]: a path, or a name in /bin). */
long pm_start_init(char *const argv[], char *const envp[]);
/* main.c: pid 1 has exited. */
void pm_init_exited(int status);

/* exec.c: load a static ELF image into p (whose kernel process is empty)
 * and start it with Linux's initial stack. */
long pm_exec(struct pproc *p, const void *image, size_t size, char *const argv[],
	     char *const envp[]);

/* Handlers: each takes the request (words = syscall arguments) and returns
 * the syscall's result, or TS_NO_REPLY. */
long pm_memory(struct pproc *p, struct ts_msg *m);
long pm_info(struct pproc *p, struct ts_msg *m);
long pm_time(struct pproc *p, struct ts_msg *m);

/* rtc.c: seconds since the epoch now, from the CMOS clock (0 without
 * the capability for its ports). */
int64_t rtc_epoch_seconds(int ioport_slot);

/* time.c: the wall clock is the CMOS time at start plus uptime. */
void pm_time_init(int64_t epoch_at_start);
/* The wall clock (ns since the epoch) when ts_clock() read 0. */
int64_t pm_boot_epoch_ns(void);
/* time.c: answer sleepers whose time has come; the next deadline or 0. */
uint64_t pm_wake_sleepers(void);

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
