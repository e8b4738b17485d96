/* Processes (an address space, a capability table, threads) and threads. */
#ifndef PROC_H
#define PROC_H

#include <captable.h>
#include <list.h>
#include <notify.h>
#include <percpu.h>
#include <tessera/abi.h>

struct trap_frame;
struct endpoint;

enum thread_state {
	T_NEW,            /* created, not started */
	T_RUNNABLE,       /* on a run queue (or running) */
	T_SEND,           /* queued on an endpoint as a caller */
	T_RECV,           /* waiting on an endpoint for a message */
	T_REPLY,          /* a server holds its reply handle */
	T_SLEEP,
	T_WAIT,           /* waiting for a process to exit */
	T_FUTEX,          /* in a Linux futex wait (futex.c) */
	T_DEAD,
};

struct thread {
	unsigned tid;
	struct process *proc;
	enum thread_state state;
	unsigned prio;
	unsigned slice;              /* timer ticks left */
	struct list_node run_link;   /* run queue, endpoint queue or wait list */
	struct list_node proc_link;
	struct list_node sleep_link; /* timeout list */
	uint64_t wake_at;            /* ns since boot; 0 = no timeout */
	void *kstack;
	uint64_t kstack_top;
	uint64_t saved_rsp;
	struct trap_frame *frame;    /* user registers */
	uint64_t fs_base;
	uint8_t fpu[512] __attribute__((aligned(16)));
	long wait_result;            /* what a blocking call returns on wake-up */
	int64_t syscall_nr;          /* Linux syscall in progress, or -1 */

	/* Linux personality (POSIX processes) */
	uint64_t ltid;               /* its Linux thread id: the badge for the first */
	uint64_t clear_child_tid;    /* 0 written and futex-woken at its end */
	uint64_t robust_list;        /* set_robust_list's head, kept only */
	bool sig_pending;            /* stop at a signal point (linux.c) */
	uint64_t futex_addr;         /* T_FUTEX: the word it waits on... */
	uint32_t futex_bitset;       /* ...and for which wakes */

	/* IPC state */
	struct ts_msg msg;           /* message in flight to or from this thread */
	struct cap xfer;             /* capability in flight; type NULL if none */
	struct endpoint *ep;         /* endpoint queued on (T_SEND, T_RECV) */
	uint64_t recv_buf;           /* user address to receive into (T_RECV) */
	struct process *reply_from;  /* server owing a reply (T_REPLY) */
	struct list_node reply_link; /* on reply_from->callers */
	uint32_t reply_gen;          /* names this call in its reply handle */
};

/*
 * What a process may hold of kernel objects, and what it holds: limits set
 * at creation (the creator's own, or lower ones it asks for in
 * ts_spawn_args), counts charged as objects are made and returned as they
 * are freed (kernel/core/quota.c). No kernel table is shared by all
 * processes, so one process exhausting its quota leaves the others theirs.
 */
struct quota {
	uint32_t threads, max_threads;
	uint32_t endpoints, max_endpoints;  /* endpoints it created, still alive */
	uint64_t kmem, max_kmem;            /* bytes of kernel memory for its objects */
};

struct process {
	unsigned pid;
	char name[16];
	struct vm_space *vm;
	struct captable *caps;
	struct list_node threads;
	unsigned nthreads;
	unsigned prio;
	bool exited;
	int exit_status;
	struct list_node waiters;    /* threads in TS_SYS_PROC_WAIT */
	struct list_node callers;    /* threads it owes a reply, so its exit fails only those */
	unsigned refs;               /* process caps, plus one while alive */
	uint8_t *io_bitmap;          /* NULL: no ports */
	uint64_t entry;
	bool posix;                  /* Linux syscalls are forwarded */
	struct notify_target exit_watch;  /* signalled when it ends */
	uint64_t badge;              /* how servers see it (its POSIX pid) */
	uint64_t ticks;              /* timer ticks its threads had the CPU */
	uint64_t sys_ticks;          /* of which in kernel mode */
	uint64_t minflt;             /* page faults resolved without it (demand-zero, COW) */
	uint64_t peak_pages;         /* the most resident pages seen (stats, exit) */
	uint64_t posix_ppid;         /* its POSIX parent's pid (getppid) */
	struct quota quota;
};

#define KSTACK_SIZE 16384
#define DEFAULT_PRIO 10         /* servers'; POSIX processes run below */
#define MAX_PRIO 30             /* 31 levels for user threads, 0 idle */
#define USER_STACK_TOP  0x00007FFFFFFF0000ull
#define USER_STACK_SIZE (256ull << 10)

/* Exit statuses seen by TS_SYS_PROC_WAIT beyond 0..255 from TS_SYS_EXIT. */
#define EXIT_FAULT(vec) (0x10000 | (vec))
#define EXIT_KILLED     0x20000

/* A process with those limits (its creator's or lower: quota.h), charged
 * for itself. */
struct process *proc_create(const char *name, const struct quota *limits);
/* Load a static ELF image and prepare its main thread (not started). */
int proc_load(struct process *p, const void *image, size_t len);
/* A new thread of p (not started), charged to p's quota: 0 and *out (if
 * out is not NULL), -EAGAIN past its thread limit or -ENOMEM. */
int thread_create(struct process *p, uint64_t rip, uint64_t rsp, uint64_t arg,
		  struct thread **out);
struct thread *thread_create_kernel(void (*fn)(void), unsigned prio);
/* The thread of p whose Linux thread id is ltid, or NULL. */
struct thread *thread_of_process(struct process *p, uint64_t ltid);
/* End one thread of a process that has others (a POSIX thread's exit). */
void thread_exit(struct thread *t);
/* Terminate a process: its threads die, callers waiting on it fail. */
void proc_exit(struct process *p, int status);
void proc_get(struct process *p);
void proc_put(struct process *p);
/* Free stacks of threads that died while running. */
void thread_reap(void);

static inline struct process *current_proc(void) { return current_thread()->proc; }

/* linux.c: the process manager's signal point, for a POSIX process it
 * marked with TS_SYS_PROC_SIGNAL */
void linux_signal_point(void);

/* On every return to user mode: one flag test unless marked. */
static inline void signal_point(void)
{
	if (current_thread()->sig_pending)
		linux_signal_point();
}

#endif
