/*
 * /proc/<pid>/task: a directory per thread of the process, named by its
 * id, with the thread's comm, stat and status (the process's figures, the
 * thread's id as Pid), as Linux has them (top -H and ps -T read them). The
 * list comes from the process manager at each lookup and listing; a
 * directory's nodes are made TASK_CHUNK threads at a time, when first
 * needed, and reused for whichever thread is at that place in the list.
 */
#include <malloc.h>
#include <stddef.h>
#include "vfs.h"
#include "procfs.h"

#define TASK_CHUNK 16
#define TASK_INO_BASE (1ull << 40)  /* + tid * 4: its directory, + 1..3 its files */

static const struct {
	const char *name;
	task_gen_fn *gen;
} task_files[] = { { "comm", gen_task_comm }, { "stat", gen_task_stat },
		   { "status", gen_task_status } };
#define NFILES ARRAY_SIZE(task_files)
_Static_assert(NFILES < 4, "a thread's inode numbers overlap the next's");

struct task_node {
	struct node dir, file[NFILES];
	struct dentry dent, file_dent[NFILES];
	char name[12];
	int pid, tid;
};

struct task_dir {
	struct node dir;            /* first: refresh is given it */
	struct task_node *chunk[PM_TASKS_MAX / TASK_CHUNK];
};

struct node *procfs_task_dir_new(void)
{
	struct task_dir *d = calloc(1, sizeof *d);

	return d ? &d->dir : NULL;
}

/* NULL if the thread is gone, or no snapshot or file is free. */
static struct file *open_task_file(struct node *n, unsigned flags)
{
	unsigned j = (unsigned)(n->ino % 4) - 1;
	const struct task_node *t =
		(const struct task_node *)((char *)(n - j) - offsetof(struct task_node, file));
	struct snapshot *s = procfs_snapshot_alloc();

	return s ? procfs_snapshot_open(n, flags, s, task_files[j].gen(s, t->pid, t->tid)) : NULL;
}

static const struct node_ops task_file_ops = { .open = open_task_file };
static const struct node_ops tid_dir_ops = { 0 };      /* ours: the ramfs changes nothing */

static void node_init(struct node *n, const struct node *dir, uint32_t mode, uint64_t ino,
		      const struct node_ops *ops)
{
	bool is_dir = (mode & L_S_IFMT) == L_S_IFDIR;

	*n = (struct node){ .mode = mode, .uid = dir->uid, .gid = dir->gid, .nlink = is_dir ? 2 : 1,
			    .dev = dir->dev, .ino = ino, .ops = ops,
			    .parent = is_dir ? (struct node *)dir : NULL };
	n->atime = n->mtime = n->ctime = ramfs_now();
	n->tail = &n->entries;
}

/* t becomes thread tid of pid, in directory dir, listed cookie-th */
static void task_init(struct task_node *t, const struct node *dir, int pid, int tid)
{
	uint64_t ino = TASK_INO_BASE + (uint64_t)tid * 4;

	t->pid = pid;
	t->tid = tid;
	snprintf(t->name, sizeof t->name, "%d", tid);
	node_init(&t->dir, dir, 0040555, ino, &tid_dir_ops);
	t->dent = (struct dentry){ .node = &t->dir, .cookie = 2 + (uint64_t)tid, .name = t->name };
	for (unsigned j = 0; j < NFILES; j++) {
		node_init(&t->file[j], &t->dir, 0100444, ino + 1 + j, &task_file_ops);
		t->file_dent[j] = (struct dentry){ .node = &t->file[j], .cookie = 2 + j,
						   .name = task_files[j].name };
		*t->dir.tail = &t->file_dent[j];
		t->dir.tail = &t->file_dent[j].next;
	}
	*t->dir.tail = NULL;
}

/* The directory lists the threads there are now (up to the first whose
 * nodes cannot be had). */
static void refresh_task_dir(struct node *dir)
{
	static int32_t tids[PM_TASKS_MAX];
	struct task_dir *d = (struct task_dir *)dir;
	int pid = (int)((dir->ino - INO_BASE) / INO_PER_PID);
	struct dentry **link = &dir->entries;
	long n = pm_thread_list_call(pm_info(), pid, tids, sizeof tids);

	n = MIN(n, PM_TASKS_MAX);           /* the PM's count: not past the array */
	for (long k = 0; k < n; k++) {
		struct task_node **c = &d->chunk[k / TASK_CHUNK];
		if (!*c && !(*c = malloc(TASK_CHUNK * sizeof **c)))
			break;
		struct task_node *t = &(*c)[k % TASK_CHUNK];
		task_init(t, dir, pid, tids[k]);
		*link = &t->dent;
		link = &t->dent.next;
	}
	*link = NULL;
	dir->tail = link;
}

const struct node_ops procfs_task_dir_ops = { .refresh = refresh_task_dir };
