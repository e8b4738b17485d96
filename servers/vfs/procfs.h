/* procfs internals: the /proc tree and its open files (procfs.c) and the
 * files' contents, generated from the process manager's answers and the
 * kernel's counters (procfs_files.c). */
#ifndef PROCFS_H
#define PROCFS_H

#include <proto/pm_client.h>

#define SNAPSHOT_MAX 16384         /* maps: PM_MAPS_MAX lines */

/* Inode numbers, above the ramfs's; they also tell whose entry a node is. */
#define INO_BASE     0x100000
#define INO_PER_PID  16             /* /proc/<pid> is pid_ino(pid, 0); its entries: */
#define INO_FILES    1              /* the files (pid_entries), */
#define INO_LINKS    8              /* the links (enum pid_link), */
#define INO_FD_DIR   11             /* fd; */
#define INO_TASK_DIR 12             /* task; */
#define INO_FDINFO_DIR 13           /* fdinfo; and fd/N is: */
#define FD_INO_BASE  0x10000000     /* FD_INO_BASE + pid * MAX_FDS + N */
#define FDINFO_INO_BASE (1ull << 41) /* fdinfo/N likewise */

static inline uint64_t pid_ino(int pid, unsigned entry)
{
	return INO_BASE + (uint64_t)pid * INO_PER_PID + entry;
}

enum pid_link { LINK_CWD, LINK_EXE, LINK_ROOT, NLINK };

/* A file's contents, generated once at open as Linux does per read. */
struct snapshot {
	uint32_t len;
	char text[SNAPSHOT_MAX];
};

/* Fill s for pid (0 for the files directly in /proc): 0 or -errno. */
typedef long gen_fn(struct snapshot *s, int pid);

gen_fn gen_filesystems, gen_loadavg, gen_meminfo, gen_mounts, gen_stat, gen_uptime,
	gen_version;
gen_fn gen_pid_cmdline, gen_pid_comm, gen_pid_maps, gen_pid_stat, gen_pid_status;
/* the files of /proc/<pid>/task/<tid>, the process's for tid 0 */
typedef long task_gen_fn(struct snapshot *s, int pid, int tid);
task_gen_fn gen_task_comm, gen_task_stat, gen_task_status;

/* Append to s, printf-like (what does not fit is cut off). */
void procfs_put(struct snapshot *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* procfs_mounts.c: m's place in the mount list, from 1 (mountinfo's id) */
unsigned procfs_mount_id(const struct mount *m);
gen_fn gen_mountinfo;

/* A snapshot to fill <- NULL if memory ran out */
struct snapshot *procfs_snapshot_alloc(void);
/* A file reading s, filled for n with result err <- NULL (s freed) if
 * err < 0 or memory ran out */
struct file *procfs_snapshot_open(struct node *n, unsigned flags, struct snapshot *s, long err);

/* The pids of all processes (zombies too), increasing, in *pids (from
 * memory: the caller frees it): their number or -errno. */
long procfs_pids(int32_t **pids);
/* The pid whose request is being served. */
int procfs_caller(void);

/* procfs_links.c: /proc/<pid>/{cwd,exe,root}, fd/N and fdinfo/N, whose
 * inode numbers say whose they are; a new fd or fdinfo directory (NULL:
 * no memory). */
extern const struct node_ops procfs_link_ops, procfs_fd_dir_ops;
struct node *procfs_fd_dir_new(void);
/* procfs_files.c: fdinfo/N */
task_gen_fn gen_fdinfo;
/* procfs_task.c: /proc/<pid>/task; a new one (NULL: no memory) */
extern const struct node_ops procfs_task_dir_ops;
struct node *procfs_task_dir_new(void);

#endif
