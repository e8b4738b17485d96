/* The VFS server: per-process file descriptor tables over open files;
 * for now the only file is the console. Requests are forwarded Linux
 * syscalls whose badge is the caller's pid. */
#ifndef VFS_H
#define VFS_H

#include <tessera.h>
#include <tessera/linux_abi.h>
#include "ramfs.h"
#include <tessera/linux_syscalls.h>

#define MAX_FDS   64
#define MAX_PIDS  64

struct file;

struct file_ops {
	/* Read into or write from the caller's memory at addr; may return
	 * TS_NO_REPLY and answer m->reply later. */
	long (*read)(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len);
	long (*write)(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len);
	long (*ioctl)(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg);
	void (*stat)(struct file *f, struct linux_stat *st);
	/* POLLIN / POLLOUT readiness now */
	short (*poll)(struct file *f);
	/* the last descriptor is gone (may be NULL) */
	void (*release)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	unsigned refs;
	unsigned flags;             /* O_* status flags */
	struct node *node;          /* ramfs files and directories */
	uint64_t pos;
	struct pipe *pipe;          /* pipe ends */
	struct tty *tty;            /* terminals */
	struct snapshot *snap;      /* procfs files: their contents at open */
};

struct fdtable {
	int pid;
	struct file *fd[MAX_FDS];
	bool cloexec[MAX_FDS];
	struct node *cwd;
	struct tty *ctty;           /* the controlling terminal, or NULL */
};

/* fd.c */
struct fdtable *fdtable_of(int pid);
struct fdtable *fdtable_find(int pid);
long fd_install(struct fdtable *t, struct file *f, unsigned from, bool cloexec);
struct file *fd_get(struct fdtable *t, uint64_t fd);
void file_put(struct file *f);
long vfs_fd_call(struct fdtable *t, struct ts_msg *m);
/* Process lifecycle requests from the process manager (proto/vfs.h). */
long vfs_fork(int parent, int child);
long vfs_exec(int pid);
long vfs_exit(int pid);

/* files.c: open ramfs nodes */
struct file *file_open_node(struct node *n, unsigned flags);
void node_stat(const struct node *n, struct linux_stat *st);

/* pipe.c: pipe and pipe2 */
long vfs_pipe(struct fdtable *t, struct ts_msg *m);
/* files.c: a free open-file slot (refs 0 until installed) */
struct file *file_alloc(void);

/* poll.c: poll and ppoll; waiting pollers are rechecked after input
 * and answered at their deadline */
long vfs_poll(struct fdtable *t, struct ts_msg *m);
void poll_recheck(void);
/* The nearest poll deadline (ns since boot), or 0. */
uint64_t poll_next_deadline(void);

/* path.c: syscalls that take paths, and exec lookups for the PM */
long vfs_path_call(struct fdtable *t, struct ts_msg *m);
long vfs_resolve_exec(struct ts_msg *m, uint64_t module_base);

/* procfs.c: /proc, generated from the process manager's table */
void procfs_init(void);
/* The pid whose request is being served (what /proc/self names). */
void procfs_serving(int pid);
/* signals.c: ask the process manager to send sig to target (a pid, or
 * -pgid); hand it the queue; cut short the calls pid waits in */
void vfs_raise(int target, int sig);
long vfs_take_signals(struct ts_msg *m);
long vfs_cancel(int pid);
void pipe_cancel(int pid);
void poll_cancel(int pid);

/* ttydev.c: the terminal device nodes (before devfs) */
struct file *ttydev_open(int pid, const char *path, long *err);
long ttydev_stat(int pid, const char *path, struct linux_stat *st);

static inline long to_caller(const struct ts_msg *m, uint64_t addr, const void *src, uint64_t n)
{
	return ts_grant_copy(m->reply, addr, (void *)src, n, TS_COPY_TO_CALLER) < 0 ? -EFAULT : 0;
}

static inline long from_caller(const struct ts_msg *m, uint64_t addr, void *dst, uint64_t n)
{
	return ts_grant_copy(m->reply, addr, dst, n, TS_COPY_FROM_CALLER) < 0 ? -EFAULT : 0;
}

#endif
