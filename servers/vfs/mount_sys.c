/*
 * mount(2) and umount2(2) with Linux's rules (path_mount and path_umount
 * in fs/namespace.c): only root may, what a flag combination asks for,
 * which error comes first. The mount tree itself is mount.c; the kinds of
 * filesystem mount -t knows are in the table below.
 */
#include "vfs.h"

#define PROPAGATION (L_MS_SHARED | L_MS_PRIVATE | L_MS_SLAVE | L_MS_UNBINDABLE)
#define ATIME       (L_MS_NOATIME | L_MS_NODIRATIME | L_MS_RELATIME | L_MS_STRICTATIME)

const struct fs_type *const fs_types[] = { &tmpfs_type, &procfs_type, &devtmpfs_type, NULL };

/* mount(2)'s strings; a NULL pointer is "" */
struct mount_args {
	char source[PATH_MAX_BYTES], type[PATH_MAX_BYTES], data[PATH_MAX_BYTES];
};

static long optional_string(const struct ts_msg *m, uint64_t addr, char *buf)
{
	buf[0] = 0;
	return addr ? path_from(m, addr, buf) : 0;
}

/* The per-mount flags mount(2)'s flags ask for: relatime unless told
 * otherwise; a remount without atime flags keeps the old ones. */
static unsigned mount_flags(uint64_t flags, const struct mount *old)
{
	unsigned f = flags & (L_MS_RDONLY | L_MS_NOSUID | L_MS_NODEV | L_MS_NOEXEC | L_MS_NOATIME |
			      L_MS_NODIRATIME);

	if (!(flags & L_MS_NOATIME))
		f |= L_MS_RELATIME;
	if (flags & L_MS_STRICTATIME)
		f &= ~(unsigned)(L_MS_RELATIME | L_MS_NOATIME);
	if (flags & L_MS_REMOUNT && !(flags & ATIME))
		f = (f & ~(unsigned)ATIME) | (old->flags & ATIME);
	return f;
}

/* remount, propagation changes and umount name a mount by its root */
static bool is_mount_root(const struct path *p)
{
	return p->node == p->mnt->root && !p->mnt->detached;
}

static long new_mount(const struct path *target, const struct mount_args *a, bool has_type,
		      uint64_t flags, const char *source)
{
	const struct fs_type *type = NULL;
	long err;

	if (!has_type)
		return -EINVAL;
	for (unsigned i = 0; fs_types[i] && !type; i++)
		if (!strcmp(fs_types[i]->name, a->type))
			type = fs_types[i];
	if (!type)
		return -ENODEV;
	struct fs *fs = type->get(a->data, &err);
	if (!fs)
		return err;
	if (!fs->mounts)
		fs->rdonly = flags & L_MS_RDONLY;
	return mount_attach(fs, target, mount_flags(flags, NULL), source);
}

/* MS_REMOUNT changes the mount's flags; without MS_BIND also whether
 * the filesystem is read-only (all its mounts), and the options its type
 * takes again (tmpfs's size=), first: a refusal changes nothing. */
static long remount(const struct path *target, uint64_t flags, const char *options)
{
	struct mount *m = target->mnt;
	const struct fs_type *type = m->fs->type;
	long err;

	if (!is_mount_root(target))
		return -EINVAL;
	if (!(flags & L_MS_BIND) && type->remount && (err = type->remount(m->fs, options)))
		return err;
	if (!(flags & L_MS_BIND))
		m->fs->rdonly = flags & L_MS_RDONLY;
	m->flags = mount_flags(flags, m);
	return 0;
}

/* exactly one of the propagation flags, with MS_REC or not */
static long change_type(const struct path *target, uint64_t flags)
{
	uint64_t type = flags & ~(uint64_t)(L_MS_REC | L_MS_SILENT);

	if (!is_mount_root(target))
		return -EINVAL;
	if (type & (type - 1) || !(type & PROPAGATION))
		return -EINVAL;
	mount_propagation(target->mnt, (unsigned)type, flags & L_MS_REC);
	return 0;
}

/* MS_BIND's and MS_MOVE's source: a path, not empty */
static long source_path(struct fdtable *t, const char *source, struct path *from)
{
	return source[0] ? walk_path(&t->root, &t->cwd, source, true, from) : -EINVAL;
}

static long bind(struct fdtable *t, const char *source, const struct path *target, uint64_t flags)
{
	struct path from;
	long err = source_path(t, source, &from);

	return err ? err : mount_bind(&from, target, flags & L_MS_REC);
}

static long move(struct fdtable *t, const char *source, const struct path *target)
{
	struct path from;
	long err = source_path(t, source, &from);

	if (!err && !is_mount_root(&from))
		err = -EINVAL;
	return err ? err : mount_move(from.mnt, target);
}

static long do_mount(struct fdtable *t, const struct ts_msg *m, const uint64_t *a)
{
	static struct mount_args args;      /* large: kept off the stack */
	uint64_t flags = a[3];
	struct path target;

	if ((flags & L_MS_MGC_MSK) == L_MS_MGC_VAL)
		flags &= ~(uint64_t)L_MS_MGC_MSK;
	long err = optional_string(m, a[2], args.type);
	if (!err)
		err = optional_string(m, a[0], args.source);
	if (!err)
		err = optional_string(m, a[4], args.data);
	if (!err)
		err = lookup(t, m, L_AT_FDCWD, a[1], true, &target);
	if (err)
		return err;
	if (flags & L_MS_NOUSER)
		return -EINVAL;
	if (vfs_caller->uid)
		return -EPERM;
	if (flags & L_MS_REMOUNT)
		return remount(&target, flags, args.data);
	if (flags & L_MS_BIND)
		return bind(t, args.source, &target, flags);
	if (flags & PROPAGATION)
		return change_type(&target, flags);
	if (flags & L_MS_MOVE)
		return move(t, args.source, &target);
	return new_mount(&target, &args, a[2] != 0, flags, a[0] ? args.source : "none");
}

static long do_umount(struct fdtable *t, const struct ts_msg *m, uint64_t path, uint64_t flags)
{
	struct path p;

	if (flags & ~(uint64_t)(L_MNT_FORCE | L_MNT_DETACH | L_MNT_EXPIRE | L_UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (vfs_caller->uid)
		return -EPERM;
	long err = lookup(t, m, L_AT_FDCWD, path, !(flags & L_UMOUNT_NOFOLLOW), &p);
	if (err)
		return err;
	if (!is_mount_root(&p))
		return -EINVAL;
	/* MNT_EXPIRE: the first call marks an unused mount, the next unmounts it */
	if (flags & L_MNT_EXPIRE && flags & (L_MNT_FORCE | L_MNT_DETACH))
		return -EINVAL;
	if (flags & L_MNT_EXPIRE && !p.mnt->expiring && !p.mnt->refs) {
		p.mnt->expiring = true;
		return -EAGAIN;
	}
	return mount_detach(p.mnt, flags & L_MNT_DETACH);
}

long vfs_mount_call(struct fdtable *t, struct ts_msg *m)
{
	switch (m->label) {
	case NR_mount:
		return do_mount(t, m, m->word);
	case NR_umount2:
		return do_umount(t, m, m->word[0], m->word[1]);
	default:
		return -ENOSYS;
	}
}
