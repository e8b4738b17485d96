/* What the process manager's information protocol (pm.idl) carries: the
 * records its grants are filled with, and their sizes. */
#ifndef TESSERA_PROTO_PM_TYPES_H
#define TESSERA_PROTO_PM_TYPES_H

#include <stdint.h>

#define PM_INFO_NAME    "pm.info"  /* not "pm": the main endpoint (vfs.idl's caller) */
#define PM_COMM_MAX     16      /* as Linux's TASK_COMM_LEN, with the NUL */
#define PM_CMDLINE_MAX  1024    /* argv bytes kept for /proc/<pid>/cmdline */
#define PM_LIST_MAX     256     /* pids in one proc_list answer */
#define PM_TASKS_MAX    256     /* thread ids in one thread_list answer */
#define PM_MAPS_MAX     96      /* regions in one proc_maps answer */
#define PM_MAP_NAME_MAX 128     /* a mapped file's name, with the NUL (longer: none) */

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
