/*
 * procfs: a filesystem of its own, mounted on /proc at start (and
 * wherever mount -t proc puts it: the same single instance), whose root's
 * children it keeps up to date (node_ops.refresh, at each lookup through
 * it and each open of it) from the process manager's table: the files
 * below, "self" (a symlink to the caller's pid) and a directory per
 * process, owned by the process's user, with its files, its links and
 * its fd directory (procfs_links.c). File contents are generated at open
 * into a snapshot the reads then copy from.
 */
#include <malloc.h>
#include "vfs.h"
#include "procfs.h"


struct entry {
	const char *name;
	gen_fn *gen;
};

static const struct entry top_entries[] = {
	{ "filesystems", gen_filesystems }, { "loadavg", gen_loadavg },
	{ "meminfo", gen_meminfo }, { "mounts", gen_mounts }, { "stat", gen_stat },
	{ "uptime", gen_uptime }, { "version", gen_version },
};
static const struct entry pid_entries[] = {
	{ "cmdline", gen_pid_cmdline }, { "comm", gen_pid_comm }, { "maps", gen_pid_maps },
	{ "mountinfo", gen_mountinfo }, { "mounts", gen_mounts },
	{ "stat", gen_pid_stat }, { "status", gen_pid_status },
};
static const char *const link_names[NLINK] = { "cwd", "exe", "root" };
#define NTOP ARRAY_SIZE(top_entries)
#define NPID ARRAY_SIZE(pid_entries)
_Static_assert(INO_FILES + NPID <= INO_LINKS, "a pid's inode numbers overlap");

/* Nodes and their directory entries (names) */
static struct node proc_root, top_files[NTOP], self_link;
static struct fs procfs;
static struct dentry top_dents[NTOP], self_dent;
static struct node pid_dirs[PM_LIST_MAX];
static struct dentry pid_dents[PM_LIST_MAX];
static char pid_names[PM_LIST_MAX][12];
static struct node pid_files[PM_LIST_MAX][NPID];
static struct dentry pid_file_dents[PM_LIST_MAX][NPID];
static struct node pid_links[PM_LIST_MAX][NLINK];
static struct dentry pid_link_dents[PM_LIST_MAX][NLINK], fd_dents[PM_LIST_MAX],
	task_dents[PM_LIST_MAX], fdinfo_dents[PM_LIST_MAX];
static int dir_pid[PM_LIST_MAX];        /* the pid pid_dirs[i] stands for; 0: none */
static char self_target[12];
static int serving;

void procfs_serving(int pid)
{
	serving = pid;
}

int procfs_caller(void)
{
	return serving;
}

/* Give pid_dirs[i] to pid. */
static void name_dir(unsigned i, int pid)
{
	dir_pid[i] = pid;
	snprintf(pid_names[i], sizeof pid_names[i], "%d", pid);
	pid_dents[i].cookie = 3 + NTOP + (uint64_t)pid;     /* getdents order: by pid */
	pid_dirs[i].ino = pid_ino(pid, 0);
	for (unsigned j = 0; j < NPID; j++)
		pid_files[i][j].ino = pid_ino(pid, INO_FILES + j);
	for (unsigned k = 0; k < NLINK; k++)
		pid_links[i][k].ino = pid_ino(pid, INO_LINKS + k);
	procfs_fd_dir(i, false)->ino = pid_ino(pid, INO_FD_DIR);
	procfs_fd_dir(i, true)->ino = pid_ino(pid, INO_FDINFO_DIR);
	procfs_task_dir(i)->ino = pid_ino(pid, INO_TASK_DIR);
}

/* pid_dirs[i] and what is in it belong to the process's (effective) user,
 * as on Linux: the fd directory is for them only. */
static void own_dir(unsigned i)
{
	const struct fdtable *t = fdtable_find(dir_pid[i]);
	uint32_t uid = t ? t->cred.uid : 0, gid = t ? t->cred.gid : 0;

	for (struct dentry *d = pid_dirs[i].entries; d; d = d->next) {
		d->node->uid = uid;
		d->node->gid = gid;
	}
	pid_dirs[i].uid = uid;
	pid_dirs[i].gid = gid;
}

/* The directory of each current pid: the one it had, else a free one. */
static void assign_dirs(const int32_t *pids, long n, struct node *out[])
{
	bool taken[PM_LIST_MAX] = { false };

	for (long k = 0; k < n; k++) {
		out[k] = NULL;
		for (unsigned i = 0; i < PM_LIST_MAX && !out[k]; i++)
			if (dir_pid[i] == pids[k]) {
				taken[i] = true;
				out[k] = &pid_dirs[i];
			}
	}
	for (unsigned i = 0; i < PM_LIST_MAX; i++)
		if (!taken[i])
			dir_pid[i] = 0;
	for (long k = 0; k < n; k++)
		for (unsigned i = 0; i < PM_LIST_MAX && !out[k]; i++)
			if (!taken[i]) {
				taken[i] = true;
				name_dir(i, pids[k]);
				out[k] = &pid_dirs[i];
			}
}

static void refresh_root(struct node *dir)
{
	int32_t pids[PM_LIST_MAX];
	struct node *pid_dir[PM_LIST_MAX];
	struct dentry **link = &dir->entries;
	long n = procfs_pids(pids);

	if (n < 0)
		n = 0;
	self_link.size = snprintf(self_target, sizeof self_target, "%d", serving);
	assign_dirs(pids, n, pid_dir);
	for (unsigned i = 0; i < NTOP; link = &top_dents[i++].next)
		*link = &top_dents[i];
	*link = &self_dent;
	link = &self_dent.next;
	for (long k = 0; k < n; link = &pid_dents[pid_dir[k++] - pid_dirs].next) {
		*link = &pid_dents[pid_dir[k] - pid_dirs];
		own_dir((unsigned)(pid_dir[k] - pid_dirs));
	}
	*link = NULL;
	dir->tail = link;
}

/* Which file n is, and for which pid (0: a file directly in /proc); NULL
 * for a file of a process that is gone. */
static const struct entry *entry_of(const struct node *n, int *pid)
{
	for (unsigned i = 0; i < NTOP; i++)
		if (n == &top_files[i]) {
			*pid = 0;
			return &top_entries[i];
		}
	for (unsigned i = 0; i < PM_LIST_MAX; i++)
		for (unsigned j = 0; j < NPID; j++)
			if (n == &pid_files[i][j]) {
				*pid = dir_pid[i];
				return *pid ? &pid_entries[j] : NULL;
			}
	return NULL;
}

static long snap_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	const struct snapshot *s = f->snap;

	if (f->pos >= s->len)
		return 0;
	uint64_t count = MIN(len, s->len - f->pos);
	if (to_caller(m, addr, s->text + f->pos, count))
		return -EFAULT;
	f->pos += count;
	return (long)count;
}

static long snap_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	(void)f, (void)m, (void)addr, (void)len;
	return -EBADF;              /* opened read-only: procfs files are */
}

static void snap_release(struct file *f)
{
	free(f->snap);
	free(f);
}

static long snap_seek(struct file *f, int64_t off, uint64_t whence)
{
	return file_seek_in(f, f->snap->len, off, whence);
}

static const struct file_ops snap_ops = {
	.read = snap_read, .write = snap_write, .ioctl = file_no_ioctl, .stat = file_node_stat,
	.poll = file_never_blocks, .release = snap_release, .seek = snap_seek,
};

/* From memory, as open files are: no table the system shares */
struct snapshot *procfs_snapshot_alloc(void)
{
	struct snapshot *s = malloc(sizeof *s);

	if (s)
		s->len = 0;
	return s;
}

struct file *procfs_snapshot_open(struct node *n, unsigned flags, struct snapshot *s, long err)
{
	struct file *f = err < 0 ? NULL : file_alloc();

	if (!f) {
		free(s);
		return NULL;
	}
	*f = (struct file){ .ops = &snap_ops, .flags = flags, .node = n, .snap = s };
	return f;
}

/* NULL if the process is gone, or no snapshot or file is free. */
static struct file *open_generated(struct node *n, unsigned flags)
{
	int pid;
	const struct entry *e = entry_of(n, &pid);
	struct snapshot *s = e ? procfs_snapshot_alloc() : NULL;

	return s ? procfs_snapshot_open(n, flags, s, e->gen(s, pid)) : NULL;
}

static const struct node_ops root_ops = { .refresh = refresh_root };
static const struct node_ops file_ops = { .open = open_generated };
static const struct node_ops pid_dir_ops = { 0 };  /* ours: the ramfs changes nothing */

/* Node n, named name in a directory by entry d (cookie: its place). */
static void init_node(struct node *n, struct dentry *d, const char *name, uint64_t cookie,
		      struct node *parent, uint32_t mode, uint32_t ino,
		      const struct node_ops *ops)
{
	bool dir = (mode & L_S_IFMT) == L_S_IFDIR;

	*n = (struct node){ .parent = dir ? parent : NULL, .mode = mode, .ino = ino, .ops = ops,
			    .nlink = dir ? 2 : 1, .dev = procfs.dev };
	n->tail = &n->entries;
	*d = (struct dentry){ .node = n, .cookie = cookie, .name = name };
}

/* n, named name, appended to pid directory dir */
static void add_to_pid_dir(struct node *dir, struct node *n, struct dentry *d, const char *name,
			   uint32_t mode, const struct node_ops *ops)
{
	init_node(n, d, name, dir->next_cookie++, dir, mode, 0, ops);
	*dir->tail = d;
	dir->tail = &d->next;
}

static void init_pid_dir(unsigned i, struct node *parent)
{
	struct node *dir = &pid_dirs[i];

	init_node(dir, &pid_dents[i], pid_names[i], 0, parent, 0040555, 0, &pid_dir_ops);
	dir->next_cookie = 2;
	for (unsigned j = 0; j < NPID; j++)
		add_to_pid_dir(dir, &pid_files[i][j], &pid_file_dents[i][j], pid_entries[j].name,
			       0100444, &file_ops);
	for (unsigned k = 0; k < NLINK; k++)
		add_to_pid_dir(dir, &pid_links[i][k], &pid_link_dents[i][k], link_names[k],
			       0120777, &procfs_link_ops);
	add_to_pid_dir(dir, procfs_fd_dir(i, false), &fd_dents[i], "fd", 0040500,
		       &procfs_fd_dir_ops);
	add_to_pid_dir(dir, procfs_fd_dir(i, true), &fdinfo_dents[i], "fdinfo", 0040500,
		       &procfs_fd_dir_ops);
	add_to_pid_dir(dir, procfs_task_dir(i), &task_dents[i], "task", 0040555,
		       &procfs_task_dir_ops);
}

static struct fs *procfs_get(const char *options, long *err)
{
	(void)options;              /* hidepid= and friends: no other users to hide */
	*err = -ENODEV;
	return procfs.root ? &procfs : NULL;
}

const struct fs_type procfs_type = { "proc", L_PROC_SUPER_MAGIC, procfs_get, NULL, NULL };

void procfs_init(void)
{
	struct node *dir = &proc_root;
	struct path root = mount_root(), at;

	procfs = (struct fs){ .type = &procfs_type, .root = dir, .dev = fs_new_dev() };
	*dir = (struct node){ .mode = 0040555, .nlink = 2, .ino = INO_BASE, .ops = &root_ops,
			      .dev = procfs.dev, .parent = dir };
	dir->tail = &dir->entries;
	dir->atime = dir->mtime = dir->ctime = ramfs_now();
	for (unsigned i = 0; i < NTOP; i++)
		init_node(&top_files[i], &top_dents[i], top_entries[i].name, 2 + i, dir, 0100444,
			  INO_BASE + 1 + i, &file_ops);
	init_node(&self_link, &self_dent, "self", 2 + NTOP, dir, 0120777, INO_BASE + 1 + NTOP,
		  NULL);
	self_link.data = (uint8_t *)self_target;
	for (unsigned i = 0; i < PM_LIST_MAX; i++)
		init_pid_dir(i, dir);
	refresh_root(dir);
	if (!walk_path(&root, &root, "/proc", true, &at))
		mount_attach(&procfs, &at, L_MS_NOSUID | L_MS_NODEV | L_MS_NOEXEC | L_MS_RELATIME,
			     "proc");
}
