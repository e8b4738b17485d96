/*
 * Process manager protocol for the VFS's procfs and terminals (labels
 * 0x400-0x4ff): the process table belongs to the process manager; the VFS
 * asks it while it generates a /proc file or lists /proc (MINIX 3 style),
 * and when job control on a terminal depends on the caller.
 *
 * Why this cannot deadlock: the process manager calls the VFS synchronously
 * (fork, exec, exit, exec lookups). Were the VFS to call the process
 * manager's main endpoint while the process manager is inside such a call,
 * each would wait for the other forever. So these requests go to a second
 * endpoint, registered as PM_INFO_NAME with the name service and served by a
 * thread of the process manager that only reads the process table and
 * never calls anyone: it answers whatever the main thread is doing. The
 * main thread never waits for it either. The reader sees the table between
 * the main thread's stores; the strings (comm, cmdline) are guarded by a
 * per-process sequence count and copied again if they changed meanwhile.
 */
#ifndef TESSERA_PROTO_PM_H
#define TESSERA_PROTO_PM_H

#include <stdint.h>

#define PM_INFO_NAME    "pm.info"  /* not "pm": the main endpoint (proto/vfs.h) */
#define PM_COMM_MAX     16      /* as Linux's TASK_COMM_LEN, with the NUL */
#define PM_CMDLINE_MAX  1024    /* argv bytes kept for /proc/<pid>/cmdline */
#define PM_LIST_MAX     256     /* pids in one PM_PROC_LIST answer */
#define PM_TASKS_MAX    256     /* thread ids in one PM_THREAD_LIST answer */
#define PM_MAPS_MAX     96      /* regions in one PM_PROC_MAPS answer */
#define PM_MAP_NAME_MAX 128     /* a mapped file's name, with the NUL (longer: none) */

enum pm_label {
	/* word[0] = a pid, grant = int32_t pids[PM_LIST_MAX] (write) <- the
	 * number of processes (zombies too) from that pid on copied, their
	 * pids in increasing order (fewer than PM_LIST_MAX: the last) */
	PM_PROC_LIST = 0x400,
	/* word[0] = pid, word[1] = one of its thread ids, or 0 for the
	 * process, grant = struct pm_proc_info (write) <- 0 or -ESRCH */
	PM_PROC_INFO,
	/* <- 0, word[0] = the wall clock at boot (seconds since the epoch),
	 * word[1] = processes created since boot, word[2] = the last pid */
	PM_SYSTEM_INFO,
	/* Terminal job control (the VFS's line discipline): word[0] = pid,
	 * word[1] = tid, word[2] = a signal (SIGTTIN, SIGTTOU) or 0 <- 0 or -ESRCH,
	 * word[0] = the process group, word[1] = the session, word[2] =
	 * PM_JOB_* flags */
	PM_JOB_INFO,
	/* word[0] = pid, grant = struct pm_map[PM_MAPS_MAX] (write) <- how
	 * many of its regions, in address order, were copied, or -ESRCH */
	PM_PROC_MAPS,
	/* word[0] = pid, grant = int32_t tids[PM_TASKS_MAX] (write) <- the
	 * number of its threads, their ids in increasing order, or -ESRCH */
	PM_THREAD_LIST,
};

#define PM_JOB_SIG_IGNORED  1   /* the thread blocks the signal or its action is SIG_IGN */
#define PM_JOB_ORPHANED     2   /* the process group is orphaned (POSIX) */

struct pm_proc_info {
	int32_t pid, ppid, pgid, sid;   /* pid: the thread's id if one was asked for */
	int32_t tgid;               /* the process's pid */
	uint32_t uid, gid;
	uint32_t threads;
	char state;                 /* 'R' running or ready, 'S' waiting, 'T' stopped,
	                               'Z' zombie */
	char comm[PM_COMM_MAX];     /* basename of the executed file, NUL-terminated */
	int32_t exit_status;        /* as wait4 reports it, for a zombie */
	uint64_t start_ns;          /* creation (fork) time, ns since boot */
	uint64_t cpu_ns;            /* CPU time of the current image in user mode */
	uint64_t sys_ns;            /* and in kernel mode */
	uint64_t minflt;            /* page faults the kernel resolved (minor) */
	uint64_t vsize;             /* bytes: image, heap, anonymous mappings, stack */
	uint64_t rss;               /* bytes of it resident */
	uint64_t sigpending;        /* generated, not yet delivered, bit n-1 for signal n */
	uint64_t sigblocked;        /* blocked signals, likewise */
	uint64_t sigignored;        /* signals whose action is SIG_IGN, likewise */
	uint64_t sigcaught;         /* signals with a handler, likewise */
	uint32_t cmdline_len;       /* bytes of cmdline used */
	char cmdline[PM_CMDLINE_MAX]; /* argv, each argument NUL-terminated */
};

/* A region of a process's memory, as /proc/<pid>/maps shows it. */
struct pm_map {
	uint64_t start, end;
	uint64_t off, ino;          /* a file's: offset of start, inode */
	uint32_t dev;               /* a file's device (Linux's encoding) */
	uint8_t prot;               /* TS_PROT_* */
	char kind;                  /* 'a' anonymous, 'f' a file, 'h' [heap], 's' [stack] */
	char name[PM_MAP_NAME_MAX]; /* a file's name, or "" */
};

#endif
