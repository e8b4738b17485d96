/*
 * /proc/mounts and /proc/<pid>/mountinfo: the mounts a process sees below
 * its root, oldest first, in the formats of Linux's proc(5). A mount's id
 * is its place in the mount list (ids change when an older mount goes;
 * Linux's stay, but nothing compares them across reads).
 */
#include "vfs.h"
#include "procfs.h"

typedef void mount_line_fn(struct snapshot *s, const struct mount *m, const char *where,
			   const char *opts);

unsigned procfs_mount_id(const struct mount *m)
{
	unsigned id = 1;

	for (const struct mount *o = mount_next(NULL); o && o != m; o = mount_next(o))
		id++;
	return id;
}

/* line for each mount pid (0: the caller) sees, at where, with opts */
static long each_mount(struct snapshot *s, int pid, mount_line_fn *line)
{
	static char where[PATH_MAX_BYTES];
	struct fdtable *t = fdtable_find(pid ? pid : procfs_caller());
	struct path root = t ? t->root : mount_root();
	char opts[64];

	for (struct mount *m = mount_next(NULL); m; m = mount_next(m)) {
		struct path top = { m, m->root };
		if (path_name(&root, &top, where, sizeof where) < 0 || where[0] != '/')
			continue;           /* unreachable from its root: not shown */
		mount_options(m, opts, sizeof opts);
		line(s, m, where, opts);
	}
	return 0;
}

static void mounts_line(struct snapshot *s, const struct mount *m, const char *where,
			const char *opts)
{
	procfs_put(s, "%s %s %s %s 0 0\n", m->source, where, m->fs->type->name, opts);
}

long gen_mounts(struct snapshot *s, int pid)
{
	return each_mount(s, pid, mounts_line);
}

/* "id parent major:minor root where opts [shared:N] [master:N] - type
 * source super-opts"; root is the mounted directory's path in its
 * filesystem (a bind mount's), the root mount is its own parent. */
static void mountinfo_line(struct snapshot *s, const struct mount *m, const char *where,
			   const char *opts)
{
	static char in_fs[PATH_MAX_BYTES];
	struct mount fs_top = { .root = m->fs->root };
	struct path top = { &fs_top, m->fs->root }, dir = { &fs_top, m->root };

	if (path_name(&top, &dir, in_fs, sizeof in_fs) < 0)
		strlcpy(in_fs, "/", sizeof in_fs);
	procfs_put(s, "%u %u %u:%u %s %s %s", procfs_mount_id(m),
		   procfs_mount_id(m->parent ? m->parent : m), linux_major(m->fs->dev),
		   linux_minor(m->fs->dev), in_fs, where, opts);
	if (m->group)
		procfs_put(s, " shared:%u", m->group);
	if (m->master)
		procfs_put(s, " master:%u", m->master);
	procfs_put(s, " - %s %s %.2s\n", m->fs->type->name, m->source, opts);
}

long gen_mountinfo(struct snapshot *s, int pid)
{
	return each_mount(s, pid, mountinfo_line);
}
