/* The VFS server: per-process file descriptor tables over open files
 * (ramfs files and directories, devices, the console, pipes). Requests are
 * forwarded Linux syscalls whose badge is the caller's pid (in its low 32
 * bits; the high ones name the calling thread). */
#ifndef VFS_H
#define VFS_H

#include <tessera.h>
#include <tessera/linux_abi.h>
#include "ramfs.h"
#include "mount.h"
#include "perm.h"
#include <tessera/linux_syscalls.h>

/* descriptors per process: the most RLIMIT_NOFILE may be (Linux's
 * fs.nr_open; posix/pm/info.c), as shells save descriptors just above the
 * highest one a script names (ash: F_DUPFD from 256 for ">&255") */
#define MAX_FDS   1024
/* Linux's bounds on one read or write: the bytes (INT_MAX rounded down to
 * a page) and the elements of a vector */
#define MAX_RW_COUNT 0x7ffff000ul
#define UIO_MAXIOV   1024

struct file;

/* The directory and name a file was reached by: a file does not know its
 * directories (Linux's dentry does), and /proc/<pid>/fd and exe name it
 * (fname.c). dir.node NULL: none. A held one keeps dir referenced. */
struct fname {
	struct path dir;
	char name[NAME_MAX_BYTES + 1];
	struct fname *next;         /* held ones: all of them, for renames */
};

/* A process's executable: the file and the name it was run by. */
struct exe {
	struct path at;
	struct fname fname;
};

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
	/* lseek's new position (NULL: not seekable, ESPIPE) */
	long (*seek)(struct file *f, int64_t off, uint64_t whence);
	/* write bytes the server holds (sendfile; m: the call, for a
	 * terminal's job control); NULL: not supported */
	long (*write_local)(struct file *f, const struct ts_msg *m, const void *buf, uint64_t len);
};

struct file {
	const struct file_ops *ops;
	unsigned refs;
	unsigned flags;             /* O_* status flags */
	struct node *node;          /* ramfs files, directories and device nodes */
	struct mount *mnt;          /* opened through it (by path): busy while open */
	uint64_t pos;
	struct pipe *pipe;          /* pipe ends */
	struct tty *tty;            /* terminals */
	struct snapshot *snap;      /* procfs files: their contents at open */
	struct fname fname;         /* opened by path: how (/proc/<pid>/fd) */
};

/* A process's resource limits the VFS enforces, as the process manager
 * tells them (vfs.idl's set_limits); inherited across fork, kept across exec. */
struct vfs_limits {
	uint32_t nofile;            /* RLIMIT_NOFILE: new descriptors are below it */
	uint64_t fsize;             /* RLIMIT_FSIZE: no file grows past it */
};

struct fdtable {
	int pid;
	struct fdtable *next;       /* in its hash bucket (fd.c) */
	struct file *fd[MAX_FDS];
	bool cloexec[MAX_FDS];
	struct path cwd;
	struct path root;           /* chroot(2): where "/" and ".." stop */
	uint32_t umask;             /* kept here, with the working directory */
	struct tty *ctty;           /* the controlling terminal, or NULL */
	struct vfs_cred cred;       /* zero: root */
	struct vfs_limits limits;
	struct exe exe;             /* the running image's file (/proc/<pid>/exe) */
	struct exe exe_next;        /* the one an exec in progress resolved */
};

/* fd.c */
struct fdtable *fdtable_of(int pid);
struct fdtable *fdtable_find(int pid);
/* t is gone: no process has it as its controlling terminal any more */
void fdtable_forget_tty(const struct tty *t);
long fd_install(struct fdtable *t, struct file *f, unsigned from, bool cloexec);
struct file *fd_get(struct fdtable *t, uint64_t fd);
void file_put(struct file *f);
/* f (never installed) gets the lowest free descriptor of t; if none,
 * it is discarded and the answer is -EMFILE */
long file_install(struct fdtable *t, struct file *f, bool cloexec);
/* An open file never installed goes as at its last close (NULL: none) */
void file_discard(struct file *f);
/* close(2) of fd (no file there: nothing) */
void fd_close(struct fdtable *t, uint64_t fd);
long vfs_fd_call(struct fdtable *t, struct ts_msg *m);
/* Process lifecycle requests from the process manager (vfs.idl). */
long vfs_fork(int parent, int child);
long vfs_exec(int pid);
long vfs_exit(int pid);
long vfs_set_cred(const struct vfs_set_cred_req *q, struct vfs_set_cred_rep *p);
long vfs_set_limits(const struct vfs_set_limits_req *q, struct vfs_set_limits_rep *p);
/* the limits of the request being served (the process manager's: none) */
extern const struct vfs_limits *vfs_caller_limits;
extern const struct vfs_limits vfs_no_limits;

/* files.c: open ramfs files and directories */
/* file_ops shared by files, memory devices and procfs snapshots: no
 * ioctls, the node's attributes, always ready (they never block) */
long file_no_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg);
void file_node_stat(struct file *f, struct linux_stat *st);
short file_never_blocks(struct file *f);
/* lseek within a file of this size */
long file_seek_in(struct file *f, uint64_t size, int64_t off, uint64_t whence);
struct file *file_open_node(struct node *n, unsigned flags);
void node_stat(const struct node *n, struct linux_stat *st);
long file_getdents(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len);
/* truncate of regular file n by m's caller (growing it: within its RLIMIT_FSIZE;
 * m may be NULL for a cut) */
long file_truncate(const struct ts_msg *m, struct node *n, int64_t len);
/* Copy len bytes of regular file n at pos (all below its size) to the
 * caller at addr: the count, short at a fault (-EFAULT: none) */
long node_to_caller(const struct ts_msg *m, uint64_t addr, const struct node *n, uint64_t pos,
		    uint64_t len);
long file_sendfile(struct fdtable *t, const struct ts_msg *m);
const uint8_t *file_bytes_at(const struct file *in, uint64_t pos, uint64_t *count);
/* sendfile sent r bytes (or failed) from pos of in: the offset at off_addr
 * (0: in's position) moves past them; returns r or -EFAULT */
long sendfile_done(struct file *in, const struct ts_msg *m, uint64_t off_addr, uint64_t pos,
		   long r);
/* VFS_MAP_READ: a file mapping's bytes for the process manager */
long vfs_map_read(const struct vfs_map_read_req *q, struct vfs_map_read_rep *p);
/* VFS_FILE_NAME: the name of a process's mapped file or executable */
long vfs_file_name(const struct vfs_file_name_req *q, struct vfs_file_name_rep *p);
/* the status flags fcntl(F_SETFL) may change */
#define SETFL_MASK (L_O_APPEND | L_O_NONBLOCK)

/* dev.c: device nodes (devfs) dispatched by major and minor number */
void devfs_init(void);
/* flags may hold O_NOCTTY: then a terminal does not become pid's controlling
 * terminal */
struct file *dev_open(struct node *n, int pid, unsigned flags, long *err);

/* attr.c: attributes (mode, owner, times, statx, statfs) and sizes */
long vfs_attr_call(struct fdtable *t, struct ts_msg *m);

/* dirops.c: calls that change directories (mkdir, unlink, rename, …) */
long vfs_dir_call(struct fdtable *t, struct ts_msg *m);

/* pipe.c: pipe and pipe2; an anonymous pipe's inode (f a pipe end), else NULL */
long vfs_pipe(struct fdtable *t, struct ts_msg *m);
struct node *pipe_node(const struct file *f);
/* sendfile of count bytes at pos of the ramfs file in into the pipe end
 * out: they go in once there is room (any), or the call waits */
long pipe_sendfile(struct file *out, const struct ts_msg *m, struct file *in, uint64_t off_addr,
		   uint64_t pos, uint64_t count);

/* fifo.c: open of a FIFO, or of a pipe's inode (/proc/<pid>/fd/N): the
 * new end, or NULL and *err */
struct file *fifo_open(struct node *n, unsigned flags, long *err);
/* An end that must wait for its peer waits (TS_NO_REPLY, and is then
 * installed in the caller's table), else 0 or -errno */
long fifo_wait(struct file *f, const struct ts_msg *m, bool cloexec);
/* files.c: a new open file (refs 0 until installed), or NULL; release
 * of one that only holds its node */
struct file *file_alloc(void);
void file_free(struct file *f);

/* poll.c: poll and ppoll; waiting pollers are rechecked after input
 * and answered at their deadline */
long vfs_poll(struct fdtable *t, struct ts_msg *m);
/* select and pselect6: fd_set bitmaps over the same machinery */
long vfs_select(struct fdtable *t, struct ts_msg *m);
void poll_recheck(void);
/* The nearest poll deadline (ns since boot), or 0. */
uint64_t poll_next_deadline(void);

/* walk.c: path walks bounded by root (absolute paths start there) */
int walk_path(const struct path *root, const struct path *start, const char *path, bool follow,
	      struct path *out);
/* walk_path, also telling the directory and name of the file it ends at
 * (not held) */
int walk_named(const struct path *root, const struct path *start, const char *path, bool follow,
	       struct path *out, struct fname *fname);
/* All but the last component of path: *dir and the last name (*name,
 * *len; "" for "/"); *trailing_slash if the path ended with '/'. */
int walk_parent(const struct path *root, const struct path *start, const char *path,
		struct path *dir, const char **name, size_t *len, bool *trailing_slash);
/* The name of p seen from root into buf, with its NUL: its length;
 * "(unreachable)/…" when p is not below root. */
long path_name(const struct path *root, const struct path *p, char *buf, size_t size);

/* fname.c: the names of open files and executables */
/* *slot = *from, holding its directory (and dropping what slot held) */
void fname_hold(struct fname *slot, const struct fname *from);
void fname_drop(struct fname *slot);
void exe_hold(struct exe *slot, const struct exe *from);
void exe_drop(struct exe *slot);
/* The name of the file at at, reached as fname (NULL: a directory named
 * by its path alone), seen from root, into buf with its NUL: its length;
 * " (deleted)" follows a name that no longer leads to it, as on Linux. */
long fname_path(const struct path *root, const struct path *at, const struct fname *fname,
		char *buf, size_t size);
/* rename moved name oname of odir to nname of ndir (exchange: and that
 * one back): what was opened by it follows, as Linux's dentries do */
void fname_renamed(struct node *odir, const char *oname, size_t olen, struct node *ndir,
		   const char *nname, size_t nlen, bool exchange);

/* mount_sys.c: mount(2) and umount2(2); the filesystem types by name */
long vfs_mount_call(struct fdtable *t, struct ts_msg *m);
extern const struct fs_type *const fs_types[];
extern const struct fs_type tmpfs_type, rootfs_type, procfs_type, devtmpfs_type;

/* path.c: syscalls that take paths, and exec lookups for the PM */
long vfs_path_call(struct fdtable *t, struct ts_msg *m);
long vfs_resolve_exec(const struct vfs_resolve_exec_req *q, struct vfs_resolve_exec_rep *p,
		      uint64_t module_base);
long vfs_read_exec(const struct vfs_read_exec_req *q, struct vfs_read_exec_rep *p);
/* Copy a NUL-terminated path from the caller into buf (PATH_MAX_BYTES). */
long path_from(const struct ts_msg *m, uint64_t addr, char *buf);
/* The directory a *at() call starts from. */
long dir_of(struct fdtable *t, int64_t dirfd, struct path *dir);
/* The path a path names (follow: a final symlink too); with
 * L_AT_EMPTY_PATH in flags an empty path names dirfd's file. */
long lookup_at(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
	       uint64_t flags, struct path *out);
/* stat of a path or (L_AT_EMPTY_PATH) of dirfd's open file */
long stat_at(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
	     uint64_t flags, struct linux_stat *st);
long lookup(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
	    bool follow, struct path *out);
/* The parent directory of a path and its last name (which points into path). */
struct parent {
	char path[PATH_MAX_BYTES];
	struct node *dir;
	struct mount *mnt;
	const char *name;
	size_t len;
	bool trailing_slash;
};
long lookup_parent(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
		   struct parent *p);
/* 0 if a name may be made in p's directory: EROFS unless it exists
 * (then the create says EEXIST, as on Linux) */
long may_create(const struct parent *p);

/* procfs.c: /proc, generated from the process manager's table */
void procfs_init(void);
/* The pid whose request is being served (what /proc/self names). */
void procfs_serving(int pid);
/* signals.c: ask the process manager to send sig to target (a pid, or
 * -pgid), caused by the call of caller (a badge; 0: none), which is
 * answered now; hand it the queue; cut short the calls `who` waits in */
void vfs_raise(int target, int sig, uint64_t caller);
long vfs_take_signals(const struct vfs_take_signals_req *q, struct vfs_take_signals_rep *p);
long vfs_cancel(uint64_t who);
/* The endpoint of the process manager's info thread (pm.idl), which never
 * calls the VFS; TS_NOCAP (its calls fail) if it is not there yet. */
uint32_t pm_info(void);
void pipe_cancel(uint64_t who);
void poll_cancel(uint64_t who);

/* Whether a call kept with its caller's badge is one that a cancel for
 * `who` cuts short: who is a thread's badge (pid | tid << 32), or a bare
 * pid for all of a process's threads (it has ended). */
static inline bool vfs_caller_is(uint64_t badge, uint64_t who)
{
	return (uint32_t)badge == (uint32_t)who && (!(who >> 32) || badge >> 32 == who >> 32);
}

static inline bool file_readable(const struct file *f)
{
	return (f->flags & L_O_ACCMODE) != L_O_WRONLY;
}
static inline bool file_writable(const struct file *f)
{
	return (f->flags & L_O_ACCMODE) != L_O_RDONLY;
}

/* tty.c, pipe.c: a non-blocking descriptor must not wait */
static inline bool file_nonblock(const struct file *f) { return f->flags & L_O_NONBLOCK; }

/* Copy n bytes to (TS_COPY_TO_CALLER) or from the caller at addr as far
 * as its memory goes: the bytes before the first page that faults
 * (Linux's short count), -EFAULT if none (usercopy.c) */
long copy_upto(const struct ts_msg *m, uint64_t addr, void *buf, uint64_t n, int dir);

static inline long to_caller(const struct ts_msg *m, uint64_t addr, const void *src, uint64_t n)
{
	return ts_grant_copy(m->reply, addr, (void *)src, n, TS_COPY_TO_CALLER) < 0 ? -EFAULT : 0;
}

static inline long from_caller(const struct ts_msg *m, uint64_t addr, void *dst, uint64_t n)
{
	return ts_grant_copy(m->reply, addr, dst, n, TS_COPY_FROM_CALLER) < 0 ? -EFAULT : 0;
}

/* A protocol request's caller (its req->reply) as the copies above take it:
 * its grant, at address 0. */
static inline struct ts_msg granted_by(uint64_t reply)
{
	return (struct ts_msg){ .reply = reply, .cap = TS_NOCAP };
}

#endif
