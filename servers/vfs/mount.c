/*
 * The mount tree. Every mount is in one list, oldest first, and is found
 * by where it stands: its parent mount and the node it covers there; of
 * mounts standing at one place the newest wins. A mount made on a path
 * that is already a mount point stands on the top mount's root, so
 * stacks unwind one umount at a time, as on Linux.
 *
 * Shared subtrees as Linux's (mount --make-shared and friends): a bind
 * of a shared mount joins its peer group, and a mount made on a shared
 * mount appears on the other peers and on their slaves (one level: not
 * on slaves of slaves), and goes from them with it.
 */
#include <malloc.h>
#include "vfs.h"

#define MAX_MOUNTS 256              /* ENOSPC beyond (Linux: mount-max) */

static struct mount *mounts, **mounts_tail = &mounts, *root_mount;
static unsigned nmounts, next_group = 1;
static uint32_t next_dev = 1;

uint32_t fs_new_dev(void)
{
	return next_dev++;
}

static void fs_release(struct fs *fs)
{
	if (!--fs->mounts && fs->type->kill)
		fs->type->kill(fs);
}

static struct mount *mount_new(struct fs *fs, struct node *root, unsigned flags,
			       const char *source)
{
	size_t len = strlen(source) + 1;
	struct mount *m = nmounts < MAX_MOUNTS ? calloc(1, sizeof *m) : NULL;
	char *copy = m ? malloc(len) : NULL;

	if (!copy) {
		free(m);
		return NULL;
	}
	memcpy(copy, source, len);
	*m = (struct mount){ .root = root, .fs = fs, .flags = flags, .source = copy };
	node_get(root);
	fs->mounts++;
	nmounts++;
	*mounts_tail = m;
	mounts_tail = &m->next;
	return m;
}

static void mount_free(struct mount *m)
{
	struct mount **link = &mounts;

	while (*link != m)
		link = &(*link)->next;
	*link = m->next;
	if (mounts_tail == &m->next)
		mounts_tail = link;
	node_put(m->root);
	node_put(m->mountpoint);
	nmounts--;
	fs_release(m->fs);
	free(m->source);
	free(m);
}

void mount_init(struct fs *fs)
{
	root_mount = mount_new(fs, fs->root, 0, "rootfs");
}

struct path mount_root(void)
{
	return (struct path){ root_mount, root_mount->root };
}

void mount_get(struct mount *m)
{
	if (m)
		m->refs++;
}

void mount_put(struct mount *m)
{
	if (m && !--m->refs && m->detached)
		mount_free(m);
}

void path_get(const struct path *p)
{
	node_get(p->node);
	mount_get(p->mnt);
}

void path_put(const struct path *p)
{
	node_put(p->node);
	mount_put(p->mnt);
}

void path_set(struct path *slot, const struct path *p)
{
	struct path old = *slot;

	path_get(p);
	*slot = *p;
	path_put(&old);
}

/* The newest mount standing at node n of parent. */
static struct mount *mount_at(const struct mount *parent, const struct node *n)
{
	struct mount *top = NULL;

	for (struct mount *m = mounts; m; m = m->next)
		if (m->parent == parent && m->mountpoint == n)
			top = m;
	return top;
}

void mount_cross(struct path *p)
{
	for (struct mount *m; (m = mount_at(p->mnt, p->node));)
		*p = (struct path){ m, m->root };
}

bool mount_covers(const struct node *n)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->mountpoint == n && m->parent)
			return true;
	return false;
}

long mount_want_write(const struct mount *m)
{
	return m && (m->flags & L_MS_RDONLY || m->fs->rdonly) ? -EROFS : 0;
}

struct mount *mount_next(const struct mount *m)
{
	struct mount *n = m ? m->next : mounts;

	while (n && n->detached)
		n = n->next;
	return n;
}

static struct mount *first_child(const struct mount *m)
{
	for (struct mount *c = mounts; c; c = c->next)
		if (c->parent == m)
			return c;
	return NULL;
}

static void place(struct mount *m, struct mount *parent, struct node *at)
{
	m->parent = parent;
	m->mountpoint = at;
	node_get(at);
}

/* q is m or stands in m's tree */
static bool in_tree(const struct mount *q, const struct mount *m)
{
	for (; q; q = q->parent)
		if (q == m)
			return true;
	return false;
}

static long bind_at(const struct path *source, const struct path *target, bool rec, bool spread,
		    struct mount **out);

/* m was just put on a shared mount: a copy of its tree on each other
 * peer and slave of that mount that shows the same place (a slave's
 * copy receives from m's group). Only the mounts there were before are
 * looked at, so copies are not copied again. */
static void propagate(struct mount *m)
{
	unsigned g = m->parent->group, before = nmounts;
	struct mount *c;

	for (struct mount *q = mounts; before--; q = q->next) {
		bool receives = q->group == g || q->master == g;
		if (!receives || in_tree(q, m) || q == m->parent || q->detached ||
		    !ramfs_is_within(m->mountpoint, q->root))
			continue;
		struct path tree = { m, m->root }, at = { q, m->mountpoint };
		if (bind_at(&tree, &at, true, false, &c))
			return;
		if (q->group != g) {
			c->master = c->group;
			c->group = 0;
		}
	}
}

/* The top of what stands at target: where a new mount goes. Not in a
 * lazily unmounted tree (its mounts go when unused, with no children):
 * ENOENT, as Linux's lock_mount says. */
static long top_of(const struct path *target, struct path *top)
{
	*top = *target;
	mount_cross(top);
	return top->mnt->detached ? -ENOENT : 0;
}

/* Put the new mount m on top (see top_of); on a shared mount it is
 * shared too, and spread: copied to the peers (not the mounts inside a
 * tree being copied, which goes as one, as Linux's copy_tree). */
static void graft(struct mount *m, const struct path *top, bool spread)
{
	place(m, top->mnt, top->node);
	if (top->mnt->group && !m->group)
		m->group = next_group++;
	if (top->mnt->group && spread)
		propagate(m);
}

long mount_attach(struct fs *fs, const struct path *target, unsigned flags, const char *source)
{
	struct path top;
	struct mount *m = NULL;
	long err = !node_is_dir(target->node) ? -ENOTDIR : top_of(target, &top);

	if (!err && !(m = mount_new(fs, fs->root, flags, source)))
		err = -ENOSPC;
	if (err) {
		if (!fs->mounts && fs->type->kill)
			fs->type->kill(fs);
		return err;
	}
	graft(m, &top, true);
	return 0;
}

/* A bind mount of source at target (rec: and of the mounts below source);
 * spread: copied to target's peers (see graft). */
static long bind_at(const struct path *source, const struct path *target, bool rec, bool spread,
		    struct mount **out)
{
	struct mount *src = source->mnt, *ignored;
	struct path top;
	long err = top_of(target, &top);

	if (err)
		return err;
	if (src->unbindable || src->detached)
		return -EINVAL;
	if (node_is_dir(source->node) != node_is_dir(target->node))
		return -ENOTDIR;
	struct mount *m = mount_new(src->fs, source->node, src->flags, src->source);
	if (!m)
		return -ENOSPC;
	m->group = src->group;
	/* the mounts below source, as they stand there (rbind), copied
	 * before m goes up and spreads, so copies of m are not copied */
	for (struct mount *c = mounts; rec && c != m; c = c->next) {
		struct path below = { c, c->root }, at = { m, c->mountpoint };
		if (c->parent == src && !c->unbindable && ramfs_is_within(c->mountpoint, source->node))
			bind_at(&below, &at, rec, false, &ignored);
	}
	graft(m, &top, spread);
	*out = m;
	return 0;
}

long mount_bind(const struct path *source, const struct path *target, bool rec)
{
	struct mount *m;

	return bind_at(source, target, rec, true, &m);
}

/* MS_MOVE: m (a mount's root) and what stands on it go to target, not
 * into themselves, not from under a shared mount (Linux's rules). */
long mount_move(struct mount *m, const struct path *target)
{
	struct path top;
	long err = top_of(target, &top);

	if (err)
		return err;
	if (m == root_mount || m->parent->group || node_is_dir(m->root) != node_is_dir(top.node))
		return -EINVAL;
	if (in_tree(top.mnt, m))
		return -ELOOP;
	node_put(m->mountpoint);
	graft(m, &top, true);
	return 0;
}

/* Off the tree; freed now unless something still uses it. */
static void detach_one(struct mount *m)
{
	m->parent = NULL;
	m->detached = true;
	if (!m->refs)
		mount_free(m);
}

static void detach_tree(struct mount *m)
{
	for (struct mount *c; (c = first_child(m));)
		detach_tree(c);
	detach_one(m);
}

/* A copy of m (propagate) on another member of its parent's group that
 * goes with m: unused, or any with a lazy umount. */
static struct mount *copy_of(const struct mount *m, bool lazy)
{
	unsigned g = m->parent->group;

	for (struct mount *c = mounts; g && c; c = c->next)
		if (c != m && c->parent && c->parent != m->parent &&
		    (c->parent->group == g || c->parent->master == g) &&
		    c->mountpoint == m->mountpoint && c->root == m->root &&
		    (lazy || (!c->refs && !first_child(c))))
			return c;
	return NULL;
}

long mount_detach(struct mount *m, bool lazy)
{
	if (m == root_mount)
		return -EBUSY;
	if (!lazy && (m->refs || first_child(m)))
		return -EBUSY;
	for (struct mount *c; (c = copy_of(m, lazy));)
		detach_tree(c);
	detach_tree(m);
	return 0;
}

static bool has_peers(const struct mount *m)
{
	for (struct mount *q = mounts; q; q = q->next)
		if (q != m && q->group == m->group && !q->detached)
			return true;
	return false;
}

/* Linux's change_mnt_propagation: a slave receives from the group it
 * was in; a lone shared mount made slave keeps what it had. */
static void set_propagation(struct mount *m, unsigned type)
{
	if (type == L_MS_SHARED) {
		if (!m->group)
			m->group = next_group++;
		m->unbindable = false;
		return;
	}
	if (type == L_MS_SLAVE && m->group && has_peers(m))
		m->master = m->group;
	else if (type != L_MS_SLAVE)
		m->master = 0;
	m->group = 0;
	m->unbindable = type == L_MS_UNBINDABLE;
}

void mount_propagation(struct mount *m, unsigned type, bool rec)
{
	set_propagation(m, type);
	for (struct mount *c = mounts; rec && c; c = c->next)
		if (c->parent == m)
			mount_propagation(c, type, rec);
}

void mount_options(const struct mount *m, char *buf, size_t size)
{
	static const struct { unsigned flag; const char *name; } names[] = {
		{ L_MS_NOSUID, ",nosuid" }, { L_MS_NODEV, ",nodev" }, { L_MS_NOEXEC, ",noexec" },
		{ L_MS_NOATIME, ",noatime" }, { L_MS_NODIRATIME, ",nodiratime" },
		{ L_MS_RELATIME, ",relatime" },
	};

	strlcpy(buf, mount_want_write(m) ? "ro" : "rw", size);
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++) {
		size_t len = strlen(buf);
		if (m->flags & names[i].flag)
			strlcpy(buf + len, names[i].name, size - len);
	}
}
