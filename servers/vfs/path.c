/* Syscalls that name files by path, on the root filesystem (read-only). */
#include "vfs.h"
#include <tessera/proto/vfs.h>

/* Copy a NUL-terminated path from the caller. */
static long path_from(const struct ts_msg *m, uint64_t addr, char *buf)
{
	for (size_t off = 0; off < PATH_MAX_BYTES; off += 64) {
		size_t n = MIN(64, PATH_MAX_BYTES - off);
		/* a chunk may end past the caller's memory: shrink to one byte */
		if (from_caller(m, addr + off, buf + off, n)) {
			for (size_t i = 0; i < n; i++) {
				if (from_caller(m, addr + off + i, buf + off + i, 1))
					return -EFAULT;
				if (!buf[off + i])
					return 0;
			}
		}
		if (memchr(buf + off, 0, n))
			return 0;
	}
	return -ENAMETOOLONG;
}

/* The directory a *at() call starts from. */
static long dir_of(struct fdtable *t, int64_t dirfd, struct node **dir)
{
	if (dirfd == L_AT_FDCWD) {
		*dir = t->cwd;
		return 0;
	}
	struct file *f = fd_get(t, dirfd);
	if (!f)
		return -EBADF;
	if (!f->node || !node_is_dir(f->node))
		return -ENOTDIR;
	*dir = f->node;
	return 0;
}

static long walk(struct fdtable *t, int64_t dirfd, const char *path, bool follow,
		 struct node **out)
{
	struct node *dir;
	long err = dir_of(t, dirfd, &dir);

	return err ? err : ramfs_walk(dir, path, follow, out);
}

static long lookup(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
		   bool follow, struct node **out)
{
	char path[PATH_MAX_BYTES];
	long err = path_from(m, path_addr, path);

	return err ? err : walk(t, dirfd, path, follow, out);
}

static long open_node(struct fdtable *t, int64_t dirfd, const char *path, uint64_t flags,
		      struct file **f)
{
	struct node *n;
	long err = walk(t, dirfd, path, !(flags & L_O_NOFOLLOW), &n);

	if (err == -ENOENT && flags & L_O_CREAT)
		return -EROFS;
	if (err)
		return err;
	if ((flags & L_O_ACCMODE) != 0 || flags & L_O_TRUNC)
		return node_is_dir(n) ? -EISDIR : -EROFS;
	if (flags & L_O_DIRECTORY && !node_is_dir(n))
		return -ENOTDIR;
	*f = file_open_node(n, flags & ~(uint64_t)L_O_CLOEXEC);
	return *f ? 0 : -ENFILE;
}

static long do_open(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
		    uint64_t flags)
{
	char path[PATH_MAX_BYTES];
	struct file *f = NULL;
	long err = path_from(m, path_addr, path);

	if (!err && !(f = ttydev_open((int)m->badge, path, &err)) && err == -ENOENT)
		err = open_node(t, dirfd, path, flags, &f);
	if (err)
		return err;
	long fd = fd_install(t, f, 0, flags & L_O_CLOEXEC);
	if (fd < 0)
		f->ops->release(f);
	return fd;
}

static long do_stat(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		    uint64_t st_addr, uint64_t flags)
{
	struct linux_stat st;
	struct node *n;
	long err;

	if (flags & L_AT_EMPTY_PATH) {
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		f->ops->stat(f, &st);
		return to_caller(m, st_addr, &st, sizeof st);
	}
	char name[PATH_MAX_BYTES];
	err = path_from(m, path, name);
	if (!err && (err = ttydev_stat((int)m->badge, name, &st)) == -ENOENT &&
	    !(err = walk(t, dirfd, name, !(flags & L_AT_SYMLINK_NOFOLLOW), &n)))
		node_stat(n, &st);
	return err ? err : to_caller(m, st_addr, &st, sizeof st);
}

static long do_access(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		      uint64_t mode)
{
	enum { W_OK = 2, X_OK = 1 };
	char name[PATH_MAX_BYTES];
	struct linux_stat st;
	struct node *n;
	long err = path_from(m, path, name);

	if (!err && !ttydev_stat((int)m->badge, name, &st))
		return mode & X_OK ? -EACCES : 0;
	if (!err)
		err = walk(t, dirfd, name, true, &n);
	if (err)
		return err;
	if (mode & W_OK)
		return -EROFS;
	/* root may do anything but execute what has no execute bit */
	if (mode & X_OK && !node_is_dir(n) && !(n->mode & 0111))
		return -EACCES;
	return 0;
}

static long do_readlink(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
			uint64_t buf, uint64_t size)
{
	struct node *n;
	long err = lookup(t, m, dirfd, path, false, &n);

	if (err)
		return err;
	if (!node_is_link(n))
		return -EINVAL;
	uint64_t len = MIN(n->size, size);
	return to_caller(m, buf, n->data, len) ? -EFAULT : (long)len;
}

static long do_chdir(struct fdtable *t, struct node *n)
{
	if (!node_is_dir(n))
		return -ENOTDIR;
	t->cwd = n;
	return 0;
}

static long do_getcwd(struct fdtable *t, const struct ts_msg *m, uint64_t buf, uint64_t size)
{
	char path[PATH_MAX_BYTES];
	long len = ramfs_path(t->cwd, path, MIN(size, sizeof path));

	if (len < 0)
		return len;
	return to_caller(m, buf, path, len) ? -EFAULT : len;
}

long vfs_path_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct node *n;
	long err;

	switch (m->label) {
	case NR_open:
		return do_open(t, m, L_AT_FDCWD, a[0], a[1]);
	case NR_openat:
		return do_open(t, m, (int64_t)a[0], a[1], a[2]);
	case NR_stat:
	case NR_lstat:
		return do_stat(t, m, L_AT_FDCWD, a[0], a[1],
			       m->label == NR_lstat ? L_AT_SYMLINK_NOFOLLOW : 0);
	case NR_newfstatat:
		return do_stat(t, m, (int64_t)a[0], a[1], a[2], a[3]);
	case NR_access:
		return do_access(t, m, L_AT_FDCWD, a[0], a[1]);
	case NR_faccessat:
		return do_access(t, m, (int64_t)a[0], a[1], a[2]);
	case NR_readlink:
		return do_readlink(t, m, L_AT_FDCWD, a[0], a[1], a[2]);
	case NR_readlinkat:
		return do_readlink(t, m, (int64_t)a[0], a[1], a[2], a[3]);
	case NR_chdir:
		err = lookup(t, m, L_AT_FDCWD, a[0], true, &n);
		return err ? err : do_chdir(t, n);
	case NR_fchdir: {
		struct file *f = fd_get(t, a[0]);
		return !f ? -EBADF : !f->node ? -ENOTDIR : do_chdir(t, f->node);
	}
	case NR_getcwd:
		return do_getcwd(t, m, a[0], a[1]);
	default:
		return vfs_fd_call(t, m);
	}
}

long vfs_resolve_exec(struct ts_msg *m, uint64_t module_base)
{
	struct fdtable *t = fdtable_of((int)m->word[0]);
	char path[PATH_MAX_BYTES];
	struct node *n;

	if (!t)
		return -ESRCH;
	uint64_t len = MIN(m->buf_len, sizeof path - 1);
	if (from_caller(m, 0, path, len))
		return -EFAULT;
	path[len] = 0;
	long err = ramfs_walk(t->cwd, path, true, &n);
	if (err)
		return err;
	if (node_is_dir(n))
		return -EACCES;
	if (!(n->mode & 0111))
		return -EACCES;
	m->word[0] = (uint64_t)n->data - module_base;
	m->word[1] = n->size;
	return 0;
}
