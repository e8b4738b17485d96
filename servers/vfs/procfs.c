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

/* A process's directory and what is in it, from memory: made when a
 * process first needs one, kept for the next process when it is gone. */
struct pid_slot {
	int pid;                    /* the process it stands for; 0: none */
	struct node dir, files[NPID], links[NLINK];
	struct node *fd_dir, *fdinfo_dir, *task_dir;
	struct dentry dent, file_dents[NPID], link_dents[NLINK];
	struct dentry fd_dent, fdinfo_dent, task_dent;
	char name[12];
};
static struct pid_slot **slots;         /* by pid at each refresh, unused (0) first */
static unsigned nslots;
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

/* Give slot d to pid. */
static void name_dir(struct pid_slot *d, int pid)
{
	d->pid = pid;
	snprintf(d->name, sizeof d->name, "%d", pid);
	d->dent.cookie = 3 + NTOP + (uint64_t)pid;      /* getdents order: by pid */
	d->dir.ino = pid_ino(pid, 0);
	for (unsigned j = 0; j < NPID; j++)
		d->files[j].ino = pid_ino(pid, INO_FILES + j);
	for (unsigned k = 0; k < NLINK; k++)
		d->links[k].ino = pid_ino(pid, INO_LINKS + k);
	d->fd_dir->ino = pid_ino(pid, INO_FD_DIR);
	d->fdinfo_dir->ino = pid_ino(pid, INO_FDINFO_DIR);
	d->task_dir->ino = pid_ino(pid, INO_TASK_DIR);
}

/* d's directory and what is in it belong to the process's (effective)
 * user, as on Linux: the fd directory is for them only. */
static void own_dir(struct pid_slot *d)
{
	const struct fdtable *t = fdtable_find(d->pid);
	uint32_t uid = t ? t->cred.uid : 0, gid = t ? t->cred.gid : 0;

	for (struct dentry *e = d->dir.entries; e; e = e->next) {
		e->node->uid = uid;
		e->node->gid = gid;
	}
	d->dir.uid = uid;
	d->dir.gid = gid;
}

/* slots by pid: an insertion sort, as they are nearly so already (only
 * freed ones move, and new ones come last) */
static void sort_slots(void)
{
	for (unsigned i = 1; i < nslots; i++) {
		struct pid_slot *d = slots[i];
		unsigned j = i;
		for (; j > 0 && slots[j - 1]->pid > d->pid; j--)
			slots[j] = slots[j - 1];
		slots[j] = d;
	}
}

static struct pid_slot *slot_new(void);

/* Slots whose process is gone (not in pids, which increase) are freed;
 * then sorted again (free ones first). */
static void free_gone(const int32_t *pids, long n)
{
	long k = 0;

	sort_slots();
	for (unsigned i = 0; i < nslots; i++) {
		while (k < n && pids[k] < slots[i]->pid)
			k++;
		if (k == n || pids[k] != slots[i]->pid)
			slots[i]->pid = 0;
	}
	sort_slots();
}

/* The directory of each current pid, in pid order: the one it had, else a
 * free one, else a new one (none if memory ran out: the process is not
 * listed), linked after *link <- the last link */
static struct dentry **list_dirs(const int32_t *pids, long n, struct dentry **link)
{
	unsigned spare = 0, i;
	long k = 0;

	free_gone(pids, n);
	for (i = 0; i < nslots && !slots[i]->pid; i++)
		;
	for (; k < n; k++) {
		struct pid_slot *d = i < nslots && slots[i]->pid == pids[k] ? slots[i++] :
				     spare < nslots && !slots[spare]->pid ? slots[spare++] :
				     slot_new();
		if (!d)
			continue;
		if (d->pid != pids[k])
			name_dir(d, pids[k]);
		own_dir(d);
		*link = &d->dent;
		link = &d->dent.next;
	}
	return link;
}

static void refresh_root(struct node *dir)
{
	struct dentry **link = &dir->entries;
	int32_t *pids = NULL;
	long n = procfs_pids(&pids);

	self_link.size = snprintf(self_target, sizeof self_target, "%d", serving);
	for (unsigned i = 0; i < NTOP; link = &top_dents[i++].next)
		*link = &top_dents[i];
	*link = &self_dent;
	link = list_dirs(pids, MAX(n, 0), &self_dent.next);
	*link = NULL;
	dir->tail = link;
	free(pids);
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
	for (unsigned i = 0; i < nslots; i++) {
		const struct pid_slot *d = slots[i];
		if (n >= d->files && n < d->files + NPID) {
			*pid = d->pid;
			return *pid ? &pid_entries[n - d->files] : NULL;
		}
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

static void init_pid_dir(struct pid_slot *d)
{
	struct node *dir = &d->dir;

	init_node(dir, &d->dent, d->name, 0, &proc_root, 0040555, 0, &pid_dir_ops);
	dir->next_cookie = 2;
	for (unsigned j = 0; j < NPID; j++)
		add_to_pid_dir(dir, &d->files[j], &d->file_dents[j], pid_entries[j].name, 0100444,
			       &file_ops);
	for (unsigned k = 0; k < NLINK; k++)
		add_to_pid_dir(dir, &d->links[k], &d->link_dents[k], link_names[k], 0120777,
			       &procfs_link_ops);
	add_to_pid_dir(dir, d->fd_dir, &d->fd_dent, "fd", 0040500, &procfs_fd_dir_ops);
	add_to_pid_dir(dir, d->fdinfo_dir, &d->fdinfo_dent, "fdinfo", 0040500,
		       &procfs_fd_dir_ops);
	add_to_pid_dir(dir, d->task_dir, &d->task_dent, "task", 0040555, &procfs_task_dir_ops);
}

/* A new slot, in slots (NULL: no memory) */
static struct pid_slot *slot_new(void)
{
	struct pid_slot **more = realloc(slots, (nslots + 1) * sizeof *slots);
	struct pid_slot *d = more ? calloc(1, sizeof *d) : NULL;

	slots = more ? more : slots;
	if (d && (d->fd_dir = procfs_fd_dir_new()) && (d->fdinfo_dir = procfs_fd_dir_new()) &&
	    (d->task_dir = procfs_task_dir_new())) {
		init_pid_dir(d);
		return slots[nslots++] = d;
	}
	if (d) {
		free(d->fd_dir);
		free(d->fdinfo_dir);
		free(d);
	}
	return NULL;
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
	refresh_root(dir);
	if (!walk_path(&root, &root, "/proc", true, &at))
		mount_attach(&procfs, &at, L_MS_NOSUID | L_MS_NODEV | L_MS_NOEXEC | L_MS_RELATIME,
			     "proc");
}
