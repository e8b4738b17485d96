/*
 * The magic links of /proc/<pid>: cwd, root, exe and fd/N, one per open
 * descriptor, as Linux has them (and fdinfo/N, files made alike). They
 * stand for the process's own files
 * (its working directory, root, executable, open files): readlink makes
 * their names as the reader sees them, and following one jumps to the
 * file itself instead of walking a name, so a deleted file is still
 * reached and reopened. Only the process's user or root may do either
 * (Linux's ptrace check, simplified). Which link of which process a node
 * is comes from its inode number (procfs.h).
 */
#include <malloc.h>
#include "vfs.h"
#include "procfs.h"

/* fd/N's nodes for one directory, FD_CHUNK descriptors at a time, each
 * chunk made when a descriptor in it is first seen open (a table holds
 * MAX_FDS, 1024, but few processes use more than the first chunk) */
#define FD_CHUNK 64
struct fd_links {
	struct node node[FD_CHUNK];
	struct dentry dent[FD_CHUNK];
	char name[FD_CHUNK][5];
};

struct fd_dir {
	struct node dir;            /* first: refresh is given it */
	struct fd_links *links[MAX_FDS / FD_CHUNK];
};

/* What a link stands for: a path, or (a pipe) only an open file. */
struct target {
	struct path at;             /* at.node NULL: no path */
	const struct fname *fname;  /* how at was reached; NULL: a directory */
	struct file *file;
};

struct node *procfs_fd_dir_new(void)
{
	struct fd_dir *d = calloc(1, sizeof *d);

	return d ? &d->dir : NULL;
}

/* The table of link's process, if the caller may look into it. */
static long table_of(uint64_t rel, uint64_t per_pid, struct fdtable **t)
{
	*t = fdtable_find((int)(rel / per_pid));
	if (!*t)
		return -ENOENT;             /* gone, or a zombie: nothing open */
	return vfs_caller->uid && vfs_caller->uid != (*t)->cred.uid ? -EACCES : 0;
}

static long target_of(const struct node *link, struct target *out)
{
	bool fd_link = link->ino >= FD_INO_BASE;
	uint64_t rel = link->ino - (fd_link ? FD_INO_BASE : INO_BASE);
	struct fdtable *t;
	long err = table_of(rel, fd_link ? MAX_FDS : INO_PER_PID, &t);

	if (err)
		return err;
	*out = (struct target){ 0 };
	if (fd_link) {
		struct file *f = fd_get(t, rel % MAX_FDS);
		if (!f)
			return -ENOENT;
		*out = (struct target){ { f->mnt, f->node }, &f->fname, f };
		return 0;
	}
	switch (rel % INO_PER_PID - INO_LINKS) {
	case LINK_CWD:
		out->at = t->cwd;
		return 0;
	case LINK_ROOT:
		out->at = t->root;
		return 0;
	default:
		*out = (struct target){ t->exe.at, &t->exe.fname, NULL };
		return out->at.node ? 0 : -ENOENT;
	}
}

static int link_follow(const struct node *link, struct path *out, struct fname *fname)
{
	struct target tg;
	long err = target_of(link, &tg);

	if (err)
		return (int)err;
	/* an anonymous pipe is reopened by its own inode, as on Linux */
	if (!tg.at.node && !(tg.at.node = pipe_node(tg.file)))
		return -ENXIO;
	*out = tg.at;
	if (fname && tg.fname)
		*fname = *tg.fname;
	else if (fname)
		fname->dir = (struct path){ 0 };
	return 0;
}

static long link_readlink(const struct node *link, char *buf)
{
	const struct fdtable *reader = fdtable_find(procfs_caller());
	struct path root = reader ? reader->root : mount_root();
	struct target tg;
	long err = target_of(link, &tg);

	if (err)
		return err;
	if (!tg.at.node) {
		struct linux_stat st = { 0 };
		tg.file->ops->stat(tg.file, &st);
		return snprintf(buf, PATH_MAX_BYTES, "%s:[%lu]",
				tg.file->pipe ? "pipe" : "anon_inode", st.st_ino);
	}
	err = fname_path(&root, &tg.at, tg.fname, buf, PATH_MAX_BYTES);
	return err < 0 ? err : err - 1;
}

const struct node_ops procfs_link_ops = { .follow = link_follow, .readlink = link_readlink };

/* fdinfo/N: generated at open, for the process's user or root */
static struct file *open_fdinfo(struct node *n, unsigned flags)
{
	uint64_t rel = n->ino - FDINFO_INO_BASE;
	struct fdtable *t;
	struct snapshot *s = table_of(rel, MAX_FDS, &t) ? NULL : procfs_snapshot_alloc();

	return s ? procfs_snapshot_open(n, flags, s, gen_fdinfo(s, t->pid, rel % MAX_FDS)) : NULL;
}

static const struct node_ops fdinfo_ops = { .open = open_fdinfo };

/* fd/N as ls -l shows it: lrwx------ for a descriptor open for both;
 * or fdinfo/N, a file (info). */
static void fd_link_init(struct fd_links *l, const struct node *dir, const struct fdtable *t,
			 int fd, bool info)
{
	const struct file *f = t->fd[fd];
	struct node *n = &l->node[fd % FD_CHUNK];

	*n = (struct node){
		.mode = info ? L_S_IFREG | 0444 : L_S_IFLNK | 0100 | (file_readable(f) ? 0400 : 0) |
						  (file_writable(f) ? 0200 : 0),
		.uid = t->cred.uid, .gid = t->cred.gid, .nlink = 1, .dev = dir->dev,
		.ino = (info ? FDINFO_INO_BASE : FD_INO_BASE) + (uint64_t)t->pid * MAX_FDS +
		       (unsigned)fd,
		.size = info ? 0 : 64, .ops = info ? &fdinfo_ops : &procfs_link_ops,
	};
	n->atime = n->mtime = n->ctime = ramfs_now();
	char *name = l->name[fd % FD_CHUNK];
	snprintf(name, sizeof l->name[0], "%d", fd);
	l->dent[fd % FD_CHUNK] = (struct dentry){ .node = n, .cookie = 2 + (unsigned)fd, .name = name };
}

/* The directory lists the descriptors open now, in order (up to the
 * first whose nodes cannot be had). */
static void refresh_fd_dir(struct node *dir)
{
	struct fd_dir *d = (struct fd_dir *)dir;
	const struct fdtable *t = fdtable_find((int)((dir->ino - INO_BASE) / INO_PER_PID));
	bool info = (dir->ino - INO_BASE) % INO_PER_PID == INO_FDINFO_DIR;
	struct dentry **link = &dir->entries;

	for (int fd = 0; t && fd < MAX_FDS; fd++) {
		struct fd_links **l = &d->links[fd / FD_CHUNK];
		if (!t->fd[fd])
			continue;
		if (!*l && !(*l = malloc(sizeof **l)))
			break;
		fd_link_init(*l, dir, t, fd, info);
		*link = &(*l)->dent[fd % FD_CHUNK];
		link = &(*l)->dent[fd % FD_CHUNK].next;
	}
	*link = NULL;
	dir->tail = link;
}

const struct node_ops procfs_fd_dir_ops = { .refresh = refresh_fd_dir };
