/* Mounts: filesystem instances (the boot root, tmpfs trees, procfs, the
 * device tree) shown at directories of other mounts, as Linux's vfsmounts.
 * A place in the tree is a path: a mount and a node in it, so that the
 * same directory reached through two mounts (a bind mount) has two
 * parents for "..", two names for getcwd, and two sets of flags. */
#ifndef VFS_MOUNT_H
#define VFS_MOUNT_H

#include "ramfs.h"

struct fs;

/* A kind of filesystem mount(2) knows by name. */
struct fs_type {
	const char *name;
	int64_t magic;              /* statfs f_type */
	/* the instance a new mount shows (options: mount(2)'s data, never
	 * NULL): a fresh one or the single one */
	struct fs *(*get)(const char *options, long *err);
	/* the last mount of it went (NULL: it stays) */
	void (*kill)(struct fs *fs);
	/* MS_REMOUNT's options for fs (NULL: none are taken, all ignored) */
	long (*remount)(struct fs *fs, const char *options);
};

/* A filesystem instance (Linux's superblock). */
struct fs {
	const struct fs_type *type;
	struct node *root;
	uint32_t dev;
	unsigned mounts;            /* mounts showing it */
	bool rdonly;                /* remounted read-only: every mount of it */
};

struct mount {
	struct mount *next;         /* every mount, oldest first */
	struct mount *parent;       /* NULL: the root mount, or detached */
	struct node *mountpoint;    /* in parent */
	struct node *root;          /* the fs root, or a directory of it (bind) */
	struct fs *fs;
	char *source;               /* mount(2)'s source, for /proc/mounts */
	unsigned flags;             /* MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime */
	unsigned group;             /* shared: its peer group; 0 not shared */
	unsigned master;            /* slave: the group it receives mounts from */
	bool unbindable;
	bool detached;              /* unmounted, kept while in use */
	bool expiring;              /* umount2(MNT_EXPIRE) marked it */
	unsigned refs;              /* working directories, roots, open files */
};

struct path {
	struct mount *mnt;
	struct node *node;
};

static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->node == b->node;
}

/* mount.c: the mount tree */
/* A filesystem number for st_dev. */
uint32_t fs_new_dev(void);
/* The first mount: fs shown at /. */
void mount_init(struct fs *fs);
struct path mount_root(void);
/* Show fs at target (on top of the mounts already there), with flags;
 * and on target's peers. A fresh fs goes if this fails. */
long mount_attach(struct fs *fs, const struct path *target, unsigned flags, const char *source);
/* Step from a path into the mounts stacked on it, newest on top. */
void mount_cross(struct path *p);
/* Some mount shows another tree at n. */
bool mount_covers(const struct node *n);
/* -EROFS if the path's mount or filesystem is read-only. */
long mount_want_write(const struct mount *m);
void path_get(const struct path *p);
void path_put(const struct path *p);
/* *slot = *p, references moved (either may be none) */
void path_set(struct path *slot, const struct path *p);
void mount_get(struct mount *m);
void mount_put(struct mount *m);
/* MS_MOVE of m (attached, not the root) with its subtree to target */
long mount_move(struct mount *m, const struct path *target);
/* umount2: m's subtree goes at once (MNT_DETACH) or m if it is not in use */
long mount_detach(struct mount *m, bool lazy);
/* mount --make-{shared,private,slave,unbindable}, of m's subtree with rec */
void mount_propagation(struct mount *m, unsigned type, bool rec);
/* A bind mount of source at target (rec: the mounts below source too). */
long mount_bind(const struct path *source, const struct path *target, bool rec);
/* Iterate over the attached mounts, oldest first (from NULL). */
struct mount *mount_next(const struct mount *m);
/* mount_next's flags as /proc/mounts shows them ("rw,nosuid,relatime") */
void mount_options(const struct mount *m, char *buf, size_t size);

#endif
