/* Syscalls that name files by path: lookups, open, stat, access, links
 * read, the working directory and root (chroot); exec lookups for the
 * process manager. */
#include "vfs.h"

long path_from(const struct ts_msg *m, uint64_t addr, char *buf)
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

long dir_of(struct fdtable *t, int64_t dirfd, struct path *dir)
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
	*dir = (struct path){ f->mnt, f->node };
	return 0;
}

/* lookup_at, also telling the name the path ended at (fname: may be NULL) */
static long lookup_named(struct fdtable *t, const struct ts_msg *m, int64_t dirfd,
			 uint64_t path_addr, uint64_t flags, struct path *out, struct fname *fname)
{
	char path[PATH_MAX_BYTES] = "";
	struct path dir;
	/* a NULL path with L_AT_EMPTY_PATH: utimensat(fd, NULL, …) */
	long err = path_addr ? path_from(m, path_addr, path) :
		   flags & L_AT_EMPTY_PATH ? 0 : -EFAULT;

	if (err)
		return err;
	if (!path[0] && flags & L_AT_EMPTY_PATH) {
		if (dirfd == L_AT_FDCWD) {
			*out = t->cwd;
			return 0;
		}
		struct file *f = fd_get(t, dirfd);
		if (!f)
			return -EBADF;
		*out = (struct path){ f->mnt, f->node };
		return f->node ? 0 : -EINVAL;   /* pipes have no attributes to change */
	}
	err = dir_of(t, dirfd, &dir);
	return err ? err : walk_named(&t->root, &dir, path, !(flags & L_AT_SYMLINK_NOFOLLOW), out,
				      fname);
}

long lookup_at(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
	       uint64_t flags, struct path *out)
{
	return lookup_named(t, m, dirfd, path_addr, flags, out, NULL);
}

long lookup(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
	    bool follow, struct path *out)
{
	return lookup_at(t, m, dirfd, path_addr, follow ? 0 : L_AT_SYMLINK_NOFOLLOW, out);
}

long lookup_parent(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path_addr,
		   struct parent *p)
{
	struct path start, dir;
	long err = path_from(m, path_addr, p->path);

	if (!err)
		err = dir_of(t, dirfd, &start);
	if (!err)
		err = walk_parent(&t->root, &start, p->path, &dir, &p->name, &p->len,
				  &p->trailing_slash);
	if (err)
		return err;
	p->dir = dir.node;
	p->mnt = dir.mnt;
	return 0;
}

long may_create(const struct parent *p)
{
	long err = mount_want_write(p->mnt);

	return err && !ramfs_lookup(p->dir, p->name, p->len) ? err : 0;
}

/* open with O_CREAT of a name that does not exist yet */
static long create_file(struct fdtable *t, const struct ts_msg *m, int64_t dirfd,
			uint64_t path, uint64_t mode, struct path *out, struct fname *fname)
{
	struct parent p;
	long err = lookup_parent(t, m, dirfd, path, &p);

	if (err)
		return err;
	fname->dir = (struct path){ p.mnt, p.dir };
	memcpy(fname->name, p.name, p.len);
	fname->name[p.len] = 0;
	if (p.trailing_slash)
		return -EISDIR;
	if ((err = may_create(&p)))
		return err;
	out->mnt = p.mnt;
	err = ramfs_create(p.dir, p.name, p.len, L_S_IFREG | (mode & 07777 & ~t->umask), 0,
			   &out->node);
	return err == -EPERM ? -EACCES : err;   /* a directory without create (/proc) */
}

/* what opening with these flags asks of the file's mode */
static int open_mask(uint64_t flags)
{
	int acc = flags & L_O_ACCMODE;

	return (acc != L_O_WRONLY ? MAY_READ : 0) | (acc != L_O_RDONLY ? MAY_WRITE : 0) |
	       (flags & L_O_TRUNC ? MAY_WRITE : 0);
}

/* The open file for path p's node (a file, directory or device) */
static long open_node(const struct path *p, int pid, uint64_t flags, struct file **out)
{
	struct node *n = p->node;
	long err = 0;

	if (node_is_link(n))
		return -ELOOP;              /* O_NOFOLLOW */
	if (flags & L_O_DIRECTORY && !node_is_dir(n))
		return -ENOTDIR;
	if (node_is_dir(n) && ((flags & L_O_ACCMODE) || flags & (L_O_TRUNC | L_O_CREAT)))
		return -EISDIR;
	if ((err = perm_check(n, open_mask(flags))))
		return err;
	if (node_is_chr(n) && p->mnt->flags & L_MS_NODEV)
		return -EACCES;
	/* writing to a device or a FIFO leaves the filesystem as it is */
	bool special = node_is_chr(n) || node_is_fifo(n);
	if (!special && open_mask(flags) & MAY_WRITE && (err = mount_want_write(p->mnt)))
		return err;
	if (node_is_reg(n) && flags & L_O_TRUNC && n->size && (err = file_truncate(NULL, n, 0)))
		return err;
	unsigned kept = (flags & ~(uint64_t)(L_O_CREAT | L_O_EXCL | L_O_NOCTTY | L_O_TRUNC |
					      L_O_CLOEXEC)) | L_O_LARGEFILE;
	if (node_is_chr(n))         /* O_NOCTTY: whether a terminal becomes the caller's */
		*out = dev_open(n, pid, kept | (flags & L_O_NOCTTY), &err);
	else if (node_is_reg(n) || node_is_dir(n))
		*out = file_open_node(n, kept);
	else if (node_is_fifo(n))
		*out = fifo_open(n, kept, &err);
	else
		return -ENXIO;              /* sockets, block devices */
	return *out ? 0 : err ? err : -ENOMEM;
}

/* O_TMPFILE comes with O_DIRECTORY, without O_CREAT, and writable (Linux
 * checks the flags before the path) */
static bool tmpfile_flags_bad(uint64_t flags)
{
	return (flags & (L_O_TMPFILE | L_O_DIRECTORY | L_O_CREAT)) != (L_O_TMPFILE | L_O_DIRECTORY) ||
	       (flags & L_O_ACCMODE) == L_O_RDONLY;
}

/* O_TMPFILE: a nameless file in the directory p names, p then; the
 * caller holds a reference to it. */
static long make_tmpfile(struct fdtable *t, uint64_t flags, uint64_t mode, struct path *p)
{
	struct node *n;
	long err;

	if (!node_is_dir(p->node))
		return -ENOTDIR;
	if ((err = mount_want_write(p->mnt)))
		return err;
	err = ramfs_create_unnamed(p->node, mode & 07777 & ~t->umask, !(flags & L_O_EXCL), &n);
	if (!err)
		p->node = n;
	return err;
}

static long do_open(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		    uint64_t flags, uint64_t mode)
{
	struct path p;
	struct fname fname = { 0 };
	struct file *f;
	bool tmpfile = flags & L_O_TMPFILE;
	struct node *made = NULL;

	if (tmpfile && tmpfile_flags_bad(flags))
		return -EINVAL;
	long err = lookup_named(t, m, dirfd, path, flags & L_O_NOFOLLOW ? L_AT_SYMLINK_NOFOLLOW : 0,
				&p, &fname);
	if (!err && tmpfile && !(err = make_tmpfile(t, flags, mode, &p)))
		made = p.node;
	else if (err == -ENOENT && flags & L_O_CREAT)
		err = create_file(t, m, dirfd, path, mode, &p, &fname);
	else if (!err && flags & L_O_CREAT && flags & L_O_EXCL)
		err = -EEXIST;
	if (!err)
		err = open_node(&p, t->pid, flags & ~(uint64_t)(tmpfile ? L_O_DIRECTORY : 0), &f);
	if (tmpfile)
		fname.dir = (struct path){ 0 };         /* it has no name */
	node_put(made);             /* the open file holds its own reference */
	if (err)
		return err;
	f->mnt = p.mnt;
	mount_get(p.mnt);
	fname_hold(&f->fname, &fname);
	/* a FIFO end may wait for its peer: then it is installed when it comes */
	if ((err = fifo_wait(f, m, flags & L_O_CLOEXEC))) {
		if (err != TS_NO_REPLY)
			file_discard(f);
		return err;
	}
	return file_install(t, f, flags & L_O_CLOEXEC);
}

long stat_at(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
	     uint64_t flags, struct linux_stat *st)
{
	struct path p;
	struct file *f = dirfd == L_AT_FDCWD ? NULL : fd_get(t, dirfd);
	char first = 1;

	/* an empty path names dirfd, which may be a pipe: no node */
	if (flags & L_AT_EMPTY_PATH && f && !f->node &&
	    (!path || (!from_caller(m, path, &first, 1) && !first))) {
		*st = (struct linux_stat){ .st_nlink = 1, .st_blksize = 4096 };
		f->ops->stat(f, st);
		return 0;
	}
	long err = lookup_at(t, m, dirfd, path, flags, &p);
	if (!err)
		node_stat(p.node, st);
	return err;
}

static long do_stat(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		    uint64_t st_addr, uint64_t flags)
{
	struct linux_stat st;

	if (flags & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH | L_AT_NO_AUTOMOUNT))
		return -EINVAL;
	long err = stat_at(t, m, dirfd, path, flags, &st);
	return err ? err : to_caller(m, st_addr, &st, sizeof st);
}

static long do_access(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		      uint64_t mode)
{
	struct path p;

	if (mode & ~7ull)
		return -EINVAL;
	/* access(2) checks with the real ids */
	struct vfs_cred real = t->cred;
	real.uid = real.ruid;
	real.gid = real.rgid;
	vfs_caller = &real;
	long err = lookup(t, m, dirfd, path, true, &p);
	if (!err && mode)                   /* R_OK W_OK X_OK are MAY_* */
		err = perm_check(p.node, (int)mode);
	if (!err && mode & MAY_WRITE && !node_is_chr(p.node))
		err = mount_want_write(p.mnt);
	vfs_caller = &t->cred;
	return err;
}

/* A procfs link's text, made now */
static long readlink_magic(const struct ts_msg *m, const struct node *n, uint64_t buf,
			   uint64_t size)
{
	static char text[PATH_MAX_BYTES];
	long len = n->ops->readlink(n, text);

	if (len < 0)
		return len;
	len = MIN((uint64_t)len, size);
	return to_caller(m, buf, text, len) ? -EFAULT : len;
}

static long do_readlink(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
			uint64_t buf, uint64_t size)
{
	struct path p;

	if ((int32_t)size <= 0)
		return -EINVAL;
	long err = lookup(t, m, dirfd, path, false, &p);
	if (err)
		return err;
	struct node *n = p.node;
	if (!node_is_link(n))
		return -EINVAL;
	if (n->ops && n->ops->readlink)
		return readlink_magic(m, n, buf, size);
	uint64_t len = MIN(n->size, size);
	return to_caller(m, buf, n->data, len) ? -EFAULT : (long)len;
}

/* chdir and chroot: a directory the caller may search becomes *slot;
 * root_only (chroot: CAP_SYS_CHROOT) is checked last, as Linux does. */
static long change_dir(struct path *slot, const struct path *p, bool root_only)
{
	if (!node_is_dir(p->node))
		return -ENOTDIR;
	long err = perm_check(p->node, MAY_EXEC);
	if (!err && root_only && vfs_caller->uid)
		err = -EPERM;
	if (!err)
		path_set(slot, p);
	return err;
}

static long do_getcwd(struct fdtable *t, const struct ts_msg *m, uint64_t buf, uint64_t size)
{
	char path[PATH_MAX_BYTES];
	long len = path_name(&t->root, &t->cwd, path, MIN(size, sizeof path));

	if (len < 0)
		return len;
	return to_caller(m, buf, path, len) ? -EFAULT : len;
}

long vfs_path_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct path p;
	long err;

	switch (m->label) {
	case NR_open:
		return do_open(t, m, L_AT_FDCWD, a[0], (uint32_t)a[1], a[2]);
	case NR_openat:
		return do_open(t, m, (int32_t)a[0], a[1], (uint32_t)a[2], a[3]);
	case NR_creat:
		return do_open(t, m, L_AT_FDCWD, a[0], L_O_CREAT | L_O_WRONLY | L_O_TRUNC, a[1]);
	case NR_stat:
	case NR_lstat:
		return do_stat(t, m, L_AT_FDCWD, a[0], a[1],
			       m->label == NR_lstat ? L_AT_SYMLINK_NOFOLLOW : 0);
	case NR_newfstatat:
		return do_stat(t, m, (int32_t)a[0], a[1], a[2], (uint32_t)a[3]);
	case NR_access:
		return do_access(t, m, L_AT_FDCWD, a[0], (uint32_t)a[1]);
	case NR_faccessat:
		return do_access(t, m, (int32_t)a[0], a[1], (uint32_t)a[2]);
	case NR_readlink:
		return do_readlink(t, m, L_AT_FDCWD, a[0], a[1], a[2]);
	case NR_readlinkat:
		return do_readlink(t, m, (int32_t)a[0], a[1], a[2], a[3]);
	case NR_chdir:
		err = lookup(t, m, L_AT_FDCWD, a[0], true, &p);
		return err ? err : change_dir(&t->cwd, &p, false);
	case NR_fchdir: {
		struct file *f = fd_get(t, a[0]);
		return !f ? -EBADF : !f->node ? -ENOTDIR :
		       change_dir(&t->cwd, &(struct path){ f->mnt, f->node }, false);
	}
	case NR_chroot:
		err = lookup(t, m, L_AT_FDCWD, a[0], true, &p);
		return err ? err : change_dir(&t->root, &p, true);
	case NR_getcwd:
		return do_getcwd(t, m, a[0], a[1]);
	case NR_umask:
		err = t->umask;
		t->umask = a[0] & 0777;
		return err;
	default:
		err = vfs_dir_call(t, m);
		if (err == -ENOSYS)
			err = vfs_attr_call(t, m);
		if (err == -ENOSYS)
			err = vfs_mount_call(t, m);
		return err == -ENOSYS ? vfs_fd_call(t, m) : err;
	}
}

long vfs_resolve_exec(const struct vfs_resolve_exec_req *q, struct vfs_resolve_exec_rep *p,
		      uint64_t module_base)
{
	struct fdtable *t = fdtable_of(q->pid);
	const struct ts_msg caller = granted_by(q->reply);
	char path[PATH_MAX_BYTES];
	struct exe exe = { 0 };

	if (!t)
		return -ESRCH;
	if (q->path_len >= sizeof path)
		return -ENAMETOOLONG;
	if (from_caller(&caller, 0, path, q->path_len))
		return -EFAULT;
	path[q->path_len] = 0;
	vfs_caller = &t->cred;
	long err = walk_named(&t->root, &t->cwd, path, true, &exe.at, &exe.fname);
	if (err)
		return err;
	struct node *n = exe.at.node;
	if (!node_is_reg(n) || perm_check(n, MAY_EXEC) || exe.at.mnt->flags & L_MS_NOEXEC)
		return -EACCES;
	exe_hold(&t->exe_next, &exe);       /* the exe link, once the exec succeeds */
	bool archived = module_base && !n->owned && n->data;
	p->offset = archived ? (uint64_t)n->data - module_base : VFS_EXEC_NOT_ARCHIVED;
	p->size = n->size;
	p->ino = n->ino;
	/* set-user-ID and set-group-ID bits count unless the mount is nosuid */
	p->mode = exe.at.mnt->flags & L_MS_NOSUID ? 0 : n->mode & 06777;
	p->uid = n->uid;
	p->gid = n->gid;
	return 0;
}

long vfs_read_exec(const struct vfs_read_exec_req *q, struct vfs_read_exec_rep *p)
{
	struct node *n = ramfs_find_ino(q->ino);
	const struct ts_msg caller = granted_by(q->reply);

	(void)p;
	if (!n || !node_is_reg(n))
		return -ENOENT;
	uint64_t len = MIN(q->bytes_len, n->size);
	long r = node_to_caller(&caller, 0, n, 0, len);
	return r < 0 || (uint64_t)r == len ? r : -EFAULT;
}
