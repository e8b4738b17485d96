/* Attributes of nodes: mode, owner, timestamps, statx, statfs, and sizes
 * by path (truncate) — for paths and for open descriptors. */
#include "vfs.h"

#define ID_UNCHANGED 0xffffffffu
#define S_ISGID 02000

/* The node an fd-based call (fchmod, fchown) changes. */
static long node_of_fd(struct fdtable *t, uint64_t fd, struct node **n)
{
	struct file *f = fd_get(t, fd);

	if (!f)
		return -EBADF;
	*n = f->node;
	return !f->node ? -EINVAL : mount_want_write(f->mnt);  /* pipes have no attributes */
}

/* The node a path call changes: looked up, on a writable mount. */
static long node_at(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		    uint64_t flags, struct node **n)
{
	struct path p;
	long err = lookup_at(t, m, dirfd, path, flags, &p);

	if (err)
		return err;
	*n = p.node;
	return mount_want_write(p.mnt);
}

/* Only the owner (or root) changes the mode; set-group-ID goes unless
 * the caller is in the file's group. */
static long set_mode(struct node *n, uint64_t mode)
{
	if (!perm_owner(n))
		return -EPERM;
	if (vfs_caller->uid && !perm_in_group(n->gid))
		mode &= ~(uint64_t)S_ISGID;
	n->mode = (n->mode & L_S_IFMT) | (mode & 07777);
	node_touch(n, false);
	return 0;
}

/* Root changes owners; an owner may only give the file to a group it is in.
 * chown clears set-user-ID (and set-group-ID of group executables) on
 * non-directories, even for root, as Linux does. */
static long set_owner(struct node *n, uint32_t uid, uint32_t gid)
{
	bool keeps_uid = uid == ID_UNCHANGED || uid == n->uid;
	bool gid_ok = gid == ID_UNCHANGED || gid == n->gid || perm_in_group(gid);

	if (vfs_caller->uid && !(perm_owner(n) && keeps_uid && gid_ok))
		return -EPERM;
	if (uid != ID_UNCHANGED)
		n->uid = uid;
	if (gid != ID_UNCHANGED)
		n->gid = gid;
	perm_drop_setid(n);
	node_touch(n, false);
	return 0;
}

/* times: NULL (both now) or two timespecs with UTIME_NOW / UTIME_OMIT. */
static long set_times(struct node *n, const struct linux_timespec *times)
{
	struct linux_timespec now = ramfs_now();
	bool only_now = !times || (times[0].tv_nsec == L_UTIME_NOW && times[1].tv_nsec == L_UTIME_NOW);

	if (times && times[0].tv_nsec == L_UTIME_OMIT && times[1].tv_nsec == L_UTIME_OMIT)
		return 0;
	/* "now" needs ownership or write permission; other times ownership */
	if (!perm_owner(n) && (!only_now || perm_check(n, MAY_WRITE)))
		return only_now ? -EACCES : -EPERM;
	if (!times) {
		n->atime = n->mtime = n->ctime = now;
		return 0;
	}
	struct linux_timespec *dst[2] = { &n->atime, &n->mtime };
	for (int i = 0; i < 2; i++)
		if (times[i].tv_nsec != L_UTIME_OMIT)
			*dst[i] = times[i].tv_nsec == L_UTIME_NOW ? now : times[i];
	n->ctime = now;
	return 0;
}

static bool valid_nsec(int64_t ns)
{
	return (ns >= 0 && ns < 1000000000) || ns == L_UTIME_NOW || ns == L_UTIME_OMIT;
}

/* The two times utimensat, futimesat, utimes and utime take, as
 * timespecs; *none if the caller passed NULL (both become now). */
static long times_from(const struct ts_msg *m, uint64_t label, uint64_t addr,
		       struct linux_timespec ts[2], bool *none)
{
	*none = !addr;
	if (!addr)
		return 0;
	if (label == NR_utimensat) {
		if (from_caller(m, addr, ts, 2 * sizeof ts[0]))
			return -EFAULT;
		return valid_nsec(ts[0].tv_nsec) && valid_nsec(ts[1].tv_nsec) ? 0 : -EINVAL;
	}
	if (label == NR_utime) {
		int64_t t[2];
		if (from_caller(m, addr, t, sizeof t))
			return -EFAULT;
		ts[0] = (struct linux_timespec){ t[0], 0 };
		ts[1] = (struct linux_timespec){ t[1], 0 };
		return 0;
	}
	int64_t tv[4];                      /* two struct timeval */
	if (from_caller(m, addr, tv, sizeof tv))
		return -EFAULT;
	for (int i = 0; i < 2; i++) {
		if (tv[2 * i + 1] < 0 || tv[2 * i + 1] >= 1000000)
			return -EINVAL;
		ts[i] = (struct linux_timespec){ tv[2 * i], tv[2 * i + 1] * 1000 };
	}
	return 0;
}

static long do_utimes(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		      uint64_t times_addr, uint64_t flags)
{
	struct linux_timespec ts[2];
	struct node *n;
	bool none;

	if (flags & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH))
		return -EINVAL;
	long err = times_from(m, m->label, times_addr, ts, &none);
	if (err)
		return err;
	if (!path && (dirfd == L_AT_FDCWD || flags))   /* utimensat(fd, NULL, …): the fd */
		return dirfd == L_AT_FDCWD ? -EFAULT : -EINVAL;
	err = node_at(t, m, dirfd, path, path ? flags : L_AT_EMPTY_PATH, &n);
	return err ? err : set_times(n, none ? NULL : ts);
}

static void statx_time(struct linux_statx_timestamp *d, struct linux_timespec s)
{
	*d = (struct linux_statx_timestamp){ s.tv_sec, (uint32_t)s.tv_nsec, 0 };
}

static long do_statx(struct fdtable *t, const struct ts_msg *m, int64_t dirfd, uint64_t path,
		     uint64_t flags, uint64_t mask, uint64_t addr)
{
	enum { AT_STATX_SYNC_TYPE = 0x6000 };
	struct linux_stat st;
	struct linux_statx sx;

	if (flags & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH | L_AT_NO_AUTOMOUNT |
				AT_STATX_SYNC_TYPE) ||
	    (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || mask & L_STATX__RESERVED)
		return -EINVAL;
	long err = stat_at(t, m, dirfd, path, flags & ~(uint64_t)AT_STATX_SYNC_TYPE, &st);
	if (err)
		return err;
	sx = (struct linux_statx){
		.stx_mask = L_STATX_BASIC_STATS, .stx_blksize = (uint32_t)st.st_blksize,
		.stx_nlink = (uint32_t)st.st_nlink, .stx_uid = st.st_uid, .stx_gid = st.st_gid,
		.stx_mode = (uint16_t)st.st_mode, .stx_ino = st.st_ino, .stx_size = (uint64_t)st.st_size,
		.stx_blocks = (uint64_t)st.st_blocks,
		.stx_rdev_major = linux_major(st.st_rdev), .stx_rdev_minor = linux_minor(st.st_rdev),
		.stx_dev_major = linux_major(st.st_dev), .stx_dev_minor = linux_minor(st.st_dev),
	};
	statx_time(&sx.stx_atime, st.st_atim);
	statx_time(&sx.stx_mtime, st.st_mtim);
	statx_time(&sx.stx_ctime, st.st_ctim);
	return to_caller(m, addr, &sx, sizeof sx);
}

/* A filesystem as statfs sees it: its type's magic, its mount's flags
 * (ST_* are MS_* but relatime); a tree with bounds (tmpfs) by them and
 * what it holds, the others by free RAM. */
static long do_statfs(const struct ts_msg *m, const struct mount *mnt, uint64_t addr)
{
	enum { ST_VALID = 0x20, ST_RELATIME = 0x1000 };
	const struct space *sp = mnt->fs->root->space;
	struct ts_stats s;
	uint32_t ms = mnt->flags;

	ts_stats(&s);
	uint64_t blocks = sp && sp->max_pages ? sp->max_pages : s.total_pages;
	uint64_t bfree = sp && sp->max_pages ? sp->max_pages - MIN(sp->pages, sp->max_pages) :
			 s.free_pages;
	uint64_t files = sp && sp->max_inodes ? sp->max_inodes : s.total_pages / 2;
	uint64_t ffree = sp && sp->max_inodes ? sp->max_inodes - MIN(sp->inodes, sp->max_inodes) :
			 s.free_pages / 2;
	struct linux_statfs sf = {
		.f_type = mnt->fs->type->magic, .f_bsize = 4096, .f_blocks = blocks,
		.f_bfree = bfree, .f_bavail = bfree, .f_files = files,
		.f_ffree = ffree, .f_namelen = NAME_MAX_BYTES, .f_frsize = 4096,
		.f_flags = ST_VALID | (mount_want_write(mnt) ? L_MS_RDONLY : 0) |
			   (ms & (L_MS_NOSUID | L_MS_NODEV | L_MS_NOEXEC | L_MS_NOATIME |
				  L_MS_NODIRATIME)) | (ms & L_MS_RELATIME ? ST_RELATIME : 0),
	};
	return to_caller(m, addr, &sf, sizeof sf);
}

long vfs_attr_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	int64_t cwd = L_AT_FDCWD;
	struct node *n;
	struct path p;
	struct file *f;
	long err;

	switch (m->label) {
	case NR_chmod:
		return (err = node_at(t, m, cwd, a[0], 0, &n)) ? err : set_mode(n, a[1]);
	case NR_fchmodat:
		return (err = node_at(t, m, (int32_t)a[0], a[1], 0, &n)) ? err : set_mode(n, a[2]);
	case NR_fchmod:
		return (err = node_of_fd(t, a[0], &n)) ? err : set_mode(n, a[1]);
	case NR_chown:
	case NR_lchown:
		err = node_at(t, m, cwd, a[0], m->label == NR_lchown ? L_AT_SYMLINK_NOFOLLOW : 0, &n);
		return err ? err : set_owner(n, (uint32_t)a[1], (uint32_t)a[2]);
	case NR_fchownat:
		if ((uint32_t)a[4] & ~(uint64_t)(L_AT_SYMLINK_NOFOLLOW | L_AT_EMPTY_PATH))
			return -EINVAL;
		err = node_at(t, m, (int32_t)a[0], a[1], (uint32_t)a[4], &n);
		return err ? err : set_owner(n, (uint32_t)a[2], (uint32_t)a[3]);
	case NR_fchown:
		return (err = node_of_fd(t, a[0], &n)) ? err : set_owner(n, (uint32_t)a[1], (uint32_t)a[2]);
	case NR_utimensat:
		return do_utimes(t, m, (int32_t)a[0], a[1], a[2], (uint32_t)a[3]);
	case NR_futimesat:
		return do_utimes(t, m, (int32_t)a[0], a[1], a[2], 0);
	case NR_utimes:
	case NR_utime:
		return do_utimes(t, m, cwd, a[0], a[1], 0);
	case NR_statx:
		return do_statx(t, m, (int32_t)a[0], a[1], (uint32_t)a[2], (uint32_t)a[3], a[4]);
	case NR_statfs:
		return (err = lookup_at(t, m, cwd, a[0], 0, &p)) ? err : do_statfs(m, p.mnt, a[1]);
	case NR_fstatfs:
		/* pipes and terminals are not in any mount: the root's */
		return !(f = fd_get(t, a[0])) ? -EBADF :
		       do_statfs(m, f->mnt ? f->mnt : mount_root().mnt, a[1]);
	case NR_truncate:
		if ((err = node_at(t, m, cwd, a[0], 0, &n)) || (err = perm_check(n, MAY_WRITE)))
			return err;
		return file_truncate(m, n, (int64_t)a[1]);
	default:
		return -ENOSYS;
	}
}
