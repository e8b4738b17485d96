/* Calls that change directories: mkdir, mknod, unlink, rmdir, rename,
 * link and symlink, with their *at forms; on read-only mounts EROFS,
 * across mounts EXDEV, mount points EBUSY, as Linux. */
#include "vfs.h"

#define RENAME_FLAGS (RAMFS_NOREPLACE | RAMFS_EXCHANGE)

static long do_mkdir(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		     uint64_t mode)
{
	struct parent p;
	struct node *n;
	long err = lookup_parent(t, m, dirfd, path, &p);

	if (err || (err = may_create(&p)))
		return err;
	return ramfs_create(p.dir, p.name, p.len, L_S_IFDIR | (mode & 01777 & ~t->umask), 0, &n);
}

static long do_mknod(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		     uint64_t mode, uint64_t dev)
{
	struct parent p;
	struct node *n;
	uint32_t type = mode & L_S_IFMT;

	if (type == L_S_IFDIR)
		return -EPERM;
	if (type && type != L_S_IFREG && type != L_S_IFCHR && type != L_S_IFBLK &&
	    type != L_S_IFIFO && type != L_S_IFSOCK)
		return -EINVAL;
	long err = lookup_parent(t, m, dirfd, path, &p);
	if (err)
		return err;
	if (p.trailing_slash)
		return ramfs_lookup(p.dir, p.name, p.len) ? -EEXIST : -ENOENT;
	if ((err = may_create(&p)))
		return err;
	uint32_t perm = mode & 07777 & ~t->umask;
	bool device = type == L_S_IFCHR || type == L_S_IFBLK;
	dev = linux_makedev(linux_major(dev), linux_minor(dev));
	return ramfs_create(p.dir, p.name, p.len, (type ? type : L_S_IFREG) | perm,
			    device ? dev : 0, &n);
}

/* unlink of "name/" where name is not a directory */
static long trailing_slash_error(const struct parent *p)
{
	struct dentry *d = ramfs_lookup(p->dir, p->name, p->len);

	return d && !node_is_dir(d->node) ? -ENOTDIR : 0;
}

/* A name that is a mount point cannot go (a mount in another tree may
 * cover it: Linux only refuses for its own namespace's, here one). */
static long name_covered(const struct parent *p)
{
	struct dentry *d = ramfs_lookup(p->dir, p->name, p->len);

	return d && mount_covers(d->node) ? -EBUSY : 0;
}

static long do_unlink(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		      uint64_t flags)
{
	struct parent p;

	if (flags & ~(uint64_t)L_AT_REMOVEDIR)
		return -EINVAL;
	long err = lookup_parent(t, m, dirfd, path, &p);
	if (!err && p.trailing_slash)
		err = trailing_slash_error(&p);
	if (!err && p.trailing_slash && !(flags & L_AT_REMOVEDIR))
		err = ramfs_lookup(p.dir, p.name, p.len) ? -EISDIR : -ENOENT;
	if (!err)
		err = mount_want_write(p.mnt);
	if (!err)
		err = name_covered(&p);
	return err ? err : ramfs_unlink(p.dir, p.name, p.len, flags & L_AT_REMOVEDIR);
}

static long do_rename(struct fdtable *t, const struct ts_msg *m, int64_t olddirfd, uint64_t old,
		      int64_t newdirfd, uint64_t new, uint64_t flags)
{
	static struct parent from, to;      /* large: kept off the stack */

	if (flags & ~(uint64_t)RENAME_FLAGS || flags == RENAME_FLAGS)
		return -EINVAL;
	long err = lookup_parent(t, m, olddirfd, old, &from);
	if (!err)
		err = lookup_parent(t, m, newdirfd, new, &to);
	if (!err && from.trailing_slash)
		err = trailing_slash_error(&from);
	if (!err && to.trailing_slash) {
		struct dentry *d = ramfs_lookup(from.dir, from.name, from.len);
		err = d && !node_is_dir(d->node) ? -ENOTDIR : 0;
	}
	if (!err && from.mnt != to.mnt)
		err = -EXDEV;
	if (!err)
		err = mount_want_write(from.mnt);
	if (!err && !(err = name_covered(&from)))
		err = name_covered(&to);
	if (!err)
		err = ramfs_rename(from.dir, from.name, from.len, to.dir, to.name, to.len,
				   (unsigned)flags);
	if (!err)
		fname_renamed(from.dir, from.name, from.len, to.dir, to.name, to.len,
			      flags & RAMFS_EXCHANGE);
	return err;
}

static long do_link(struct fdtable *t, const struct ts_msg *m, int64_t olddirfd, uint64_t old,
		    int64_t newdirfd, uint64_t new, uint64_t flags)
{
	static struct parent to;
	struct path from;

	if (flags & ~(uint64_t)(L_AT_SYMLINK_FOLLOW | L_AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & L_AT_EMPTY_PATH && vfs_caller->uid)
		return -ENOENT;             /* Linux asks for CAP_DAC_READ_SEARCH */
	uint64_t how = (flags & L_AT_EMPTY_PATH) | (flags & L_AT_SYMLINK_FOLLOW ? 0 : L_AT_SYMLINK_NOFOLLOW);
	long err = lookup_at(t, m, olddirfd, old, how, &from);
	if (!err)
		err = lookup_parent(t, m, newdirfd, new, &to);
	if (!err && to.trailing_slash)
		err = ramfs_lookup(to.dir, to.name, to.len) ? -EEXIST : -ENOENT;
	if (!err)
		err = may_create(&to);
	if (!err && from.mnt != to.mnt && !ramfs_lookup(to.dir, to.name, to.len))
		err = -EXDEV;
	return err ? err : ramfs_link(to.dir, to.name, to.len, from.node);
}

static long do_symlink(struct fdtable *t, const struct ts_msg *m, uint64_t target,
		       int64_t newdirfd, uint64_t new)
{
	static char to[PATH_MAX_BYTES];
	struct parent p;
	struct node *n;
	long err = path_from(m, target, to);

	if (!err && !to[0])
		err = -ENOENT;
	if (!err)
		err = lookup_parent(t, m, newdirfd, new, &p);
	if (!err && p.trailing_slash)
		err = ramfs_lookup(p.dir, p.name, p.len) ? -EEXIST : -ENOENT;
	if (!err)
		err = may_create(&p);
	if (!err)
		err = ramfs_create(p.dir, p.name, p.len, L_S_IFLNK | 0777, 0, &n);
	if (!err && (err = ramfs_set_symlink(n, to, strlen(to))))
		ramfs_unlink(p.dir, p.name, p.len, false);
	return err;
}

long vfs_dir_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	int64_t cwd = L_AT_FDCWD;

	switch (m->label) {
	case NR_mkdir:
		return do_mkdir(t, m, cwd, a[0], a[1]);
	case NR_mkdirat:
		return do_mkdir(t, m, (int32_t)a[0], a[1], a[2]);
	case NR_mknod:
		return do_mknod(t, m, cwd, a[0], a[1], (uint32_t)a[2]);
	case NR_mknodat:
		return do_mknod(t, m, (int32_t)a[0], a[1], a[2], (uint32_t)a[3]);
	case NR_unlink:
		return do_unlink(t, m, cwd, a[0], 0);
	case NR_rmdir:
		return do_unlink(t, m, cwd, a[0], L_AT_REMOVEDIR);
	case NR_unlinkat:
		return do_unlink(t, m, (int32_t)a[0], a[1], (uint32_t)a[2]);
	case NR_rename:
		return do_rename(t, m, cwd, a[0], cwd, a[1], 0);
	case NR_renameat:
		return do_rename(t, m, (int32_t)a[0], a[1], (int32_t)a[2], a[3], 0);
	case NR_renameat2:
		return do_rename(t, m, (int32_t)a[0], a[1], (int32_t)a[2], a[3], (uint32_t)a[4]);
	case NR_link:
		return do_link(t, m, cwd, a[0], cwd, a[1], 0);
	case NR_linkat:
		return do_link(t, m, (int32_t)a[0], a[1], (int32_t)a[2], a[3], (uint32_t)a[4]);
	case NR_symlink:
		return do_symlink(t, m, a[0], cwd, a[1]);
	case NR_symlinkat:
		return do_symlink(t, m, a[0], (int32_t)a[1], a[2]);
	default:
		return -ENOSYS;
	}
}
