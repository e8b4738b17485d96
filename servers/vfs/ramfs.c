/* The in-memory trees behind the root filesystem and tmpfs mounts: names
 * in directories and changes to them (servers/vfs/walk.c walks paths). */
#include <cpio.h>
#include <malloc.h>
#include <tessera.h>
#include "ramfs.h"
#include "perm.h"

#define S_ISGID 02000

#define FIRST_COOKIE 2              /* getdents positions 0 and 1: "." and ".." */
#define DIRENT_SIZE 20              /* a directory's size grows by this per name (tmpfs) */

static struct node *root, *all_nodes;
static uint64_t next_ino = 1;
static int64_t boot_epoch_ns;

struct node *ramfs_root(void)
{
	return root;
}

void ramfs_set_clock(int64_t epoch_ns)
{
	boot_epoch_ns = epoch_ns;
}

struct linux_timespec ramfs_now(void)
{
	int64_t ns = boot_epoch_ns + (int64_t)ts_clock();

	return (struct linux_timespec){ ns / 1000000000, ns % 1000000000 };
}

void node_touch(struct node *n, bool modified)
{
	n->ctime = ramfs_now();
	if (modified)
		n->mtime = n->ctime;
}

static bool is_dot(const char *name, size_t len)
{
	return len == 0 || (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')));
}

static struct node *node_new(uint32_t mode)
{
	struct node *n = calloc(1, sizeof *n);

	if (!n)
		return NULL;
	n->mode = mode;
	n->ino = next_ino++;
	n->nlink = (mode & 0170000) == 0040000 ? 2 : 1;
	n->size = (mode & 0170000) == 0040000 ? 2 * DIRENT_SIZE : 0;
	n->atime = n->mtime = n->ctime = ramfs_now();
	n->tail = &n->entries;
	n->next_cookie = FIRST_COOKIE;
	n->all_next = all_nodes;
	all_nodes = n;
	return n;
}

static void node_free(struct node *n)
{
	struct node **p = &all_nodes;

	while (*p != n)
		p = &(*p)->all_next;
	*p = n->all_next;
	if (n->owned)
		free(n->data);
	free(n);
}

static void maybe_free(struct node *n)
{
	if (!n->nlink && !n->refs)
		node_free(n);
}

void node_get(struct node *n)
{
	if (n)
		n->refs++;
}

void node_put(struct node *n)
{
	if (n && !--n->refs)
		maybe_free(n);
}

struct node *ramfs_find_ino(uint64_t ino)
{
	for (struct node *n = all_nodes; n; n = n->all_next)
		if (n->ino == ino)
			return n;
	return NULL;
}

/* The link (list pointer) to the entry called name in dir, or NULL. */
static struct dentry **find_link(struct node *dir, const char *name, size_t len)
{
	if (dir->ops && dir->ops->refresh)
		dir->ops->refresh(dir);
	for (struct dentry **l = &dir->entries; *l; l = &(*l)->next)
		if (!strncmp((*l)->name, name, len) && !(*l)->name[len])
			return l;
	return NULL;
}

struct dentry *ramfs_lookup(struct node *dir, const char *name, size_t len)
{
	struct dentry **l = find_link(dir, name, len);

	return l ? *l : NULL;
}

static int add_dentry(struct node *dir, const char *name, size_t len, struct node *n)
{
	struct dentry *d = malloc(sizeof *d + len + 1);

	if (!d)
		return -ENOSPC;
	char *copy = (char *)(d + 1);       /* the name follows the entry */
	memcpy(copy, name, len);
	copy[len] = 0;
	*d = (struct dentry){ .node = n, .cookie = dir->next_cookie++, .name = copy };
	*dir->tail = d;
	dir->tail = &d->next;
	dir->size += DIRENT_SIZE;
	node_touch(dir, true);
	return 0;
}

static void remove_dentry(struct node *dir, struct dentry **link)
{
	struct dentry *d = *link;

	*link = d->next;
	if (dir->tail == &d->next)
		dir->tail = link;
	free(d);
	dir->size -= DIRENT_SIZE;
	node_touch(dir, true);
}

/* A name that no longer refers to n: a directory loses all its links. */
static void drop_link(struct node *dir, struct node *n)
{
	if (node_is_dir(n)) {
		n->nlink = 0;
		n->parent = n;          /* its parent may go before it does */
		dir->nlink--;
	} else {
		n->nlink--;
	}
	node_touch(n, false);
	maybe_free(n);
}

/* A new node for dir's filesystem, owned by the caller (the group
 * inherited from a set-group-ID directory) */
static struct node *node_in(struct node *dir, uint32_t mode, uint64_t rdev)
{
	struct node *n = node_new(mode);

	if (n) {
		n->rdev = rdev;
		n->dev = dir->dev;
		n->uid = vfs_caller->uid;
		n->gid = dir->mode & S_ISGID ? dir->gid : vfs_caller->gid;
	}
	return n;
}

int ramfs_create(struct node *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
		 struct node **out)
{
	if (dir->ops)
		return -EPERM;              /* procfs: names come and go by themselves */
	if (len > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	if (is_dot(name, len) || ramfs_lookup(dir, name, len))
		return -EEXIST;
	if (!dir->nlink)
		return -ENOENT;
	int err = perm_check(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	struct node *n = node_in(dir, mode, rdev);
	if (!n)
		return -ENOSPC;
	if (add_dentry(dir, name, len, n)) {
		node_free(n);
		return -ENOSPC;
	}
	if (node_is_dir(n)) {
		n->parent = dir;
		dir->nlink++;
	}
	*out = n;
	return 0;
}

int ramfs_link(struct node *dir, const char *name, size_t len, struct node *n)
{
	if (n->ops)
		return -EXDEV;              /* another filesystem's node */
	if (node_is_dir(n) || dir->ops)
		return -EPERM;
	if (len > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	if (is_dot(name, len) || ramfs_lookup(dir, name, len))
		return -EEXIST;
	if (!dir->nlink || (!n->nlink && !n->linkable))
		return -ENOENT;             /* a deleted file stays nameless */
	int err = perm_check(dir, MAY_WRITE | MAY_EXEC);
	if (!err)
		err = add_dentry(dir, name, len, n);
	if (!err) {
		n->nlink++;
		n->linkable = false;        /* named once: deleted again, it stays so */
		node_touch(n, false);
	}
	return err;
}

int ramfs_create_unnamed(struct node *dir, uint32_t mode, bool linkable, struct node **out)
{
	if (dir->ops)
		return -EOPNOTSUPP;         /* procfs */
	if (!dir->nlink)
		return -ENOENT;
	int err = perm_check(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	struct node *n = node_in(dir, L_S_IFREG | mode, 0);
	if (!n)
		return -ENOSPC;
	n->nlink = 0;
	n->linkable = linkable;
	node_get(n);
	*out = n;
	return 0;
}

int ramfs_unlink(struct node *dir, const char *name, size_t len, bool dir_wanted)
{
	if (is_dot(name, len))
		return !dir_wanted ? -EISDIR : !len ? -EBUSY : len == 1 ? -EINVAL : -ENOTEMPTY;
	struct dentry **link = find_link(dir, name, len);
	if (!link)
		return -ENOENT;
	if (dir->ops)
		return -EPERM;
	struct node *n = (*link)->node;
	int err = perm_check(dir, MAY_WRITE | MAY_EXEC);
	if (err || (err = (int)perm_sticky(dir, n)))
		return err;
	if (dir_wanted && !node_is_dir(n))
		return -ENOTDIR;
	if (!dir_wanted && node_is_dir(n))
		return -EISDIR;
	if (dir_wanted && n->entries)
		return -ENOTEMPTY;
	remove_dentry(dir, link);
	drop_link(dir, n);
	return 0;
}

bool ramfs_is_within(const struct node *n, const struct node *dir)
{
	for (; n; n = n->parent) {      /* NULL: the parent of a non-directory */
		if (n == dir)
			return true;
		if (n->parent == n)     /* the root, or a removed directory */
			return false;
	}
	return false;
}

/* A directory moving from one parent to another. */
static void reparent(struct node *n, struct node *from, struct node *to)
{
	if (!node_is_dir(n) || from == to)
		return;
	from->nlink--;
	to->nlink++;
	n->parent = to;
}

static int exchange(struct node *odir, struct dentry *o, struct node *ndir, struct dentry *t)
{
	struct node *a = o->node, *b = t->node;

	if ((node_is_dir(a) && ramfs_is_within(ndir, a)) || (node_is_dir(b) && ramfs_is_within(odir, b)))
		return -EINVAL;
	o->node = b;
	t->node = a;
	reparent(a, odir, ndir);
	reparent(b, ndir, odir);
	node_touch(a, false);
	node_touch(b, false);
	node_touch(odir, true);
	node_touch(ndir, true);
	return 0;
}

/* May n (a directory or not) take the place of t? */
static int replaceable(struct node *n, struct node *t)
{
	if (node_is_dir(n))
		return !node_is_dir(t) ? -ENOTDIR : t->entries ? -ENOTEMPTY : 0;
	return node_is_dir(t) ? -EISDIR : 0;
}

/* rename takes a name out of odir and puts one in ndir (over t) */
static int may_move(const struct node *odir, const struct node *n, const struct node *ndir,
		    const struct node *t)
{
	int err = perm_check(odir, MAY_WRITE | MAY_EXEC);

	if (!err)
		err = perm_check(ndir, MAY_WRITE | MAY_EXEC);
	if (!err)
		err = (int)perm_sticky(odir, n);
	if (!err && t)
		err = (int)perm_sticky(ndir, t);
	return err;
}

int ramfs_rename(struct node *odir, const char *oname, size_t olen, struct node *ndir,
		 const char *nname, size_t nlen, unsigned flags)
{
	if (is_dot(oname, olen) || is_dot(nname, nlen))
		return -EBUSY;
	if (nlen > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	struct dentry **olink = find_link(odir, oname, olen), **tlink = find_link(ndir, nname, nlen);
	if (!olink || (flags & RAMFS_EXCHANGE && !tlink))
		return -ENOENT;
	if (odir->ops || ndir->ops)
		return -EPERM;              /* procfs: names come and go by themselves */
	if (flags & RAMFS_NOREPLACE && tlink)
		return -EEXIST;
	struct node *n = (*olink)->node, *t = tlink ? (*tlink)->node : NULL;
	int err = may_move(odir, n, ndir, t);
	if (err)
		return err;
	if (flags & RAMFS_EXCHANGE)
		return exchange(odir, *olink, ndir, *tlink);
	if (t == n)
		return 0;
	if (node_is_dir(n) && ramfs_is_within(ndir, n))
		return -EINVAL;
	err = t ? replaceable(n, t) : ndir->nlink ? 0 : -ENOENT;
	if (err)
		return err;
	if (t) {
		(*tlink)->node = n;
		node_touch(ndir, true);
		drop_link(ndir, t);
	} else if ((err = add_dentry(ndir, nname, nlen, n))) {
		return err;
	}
	remove_dentry(odir, olink);
	reparent(n, odir, ndir);
	node_touch(n, false);
	return 0;
}

int ramfs_resize(struct node *n, uint64_t size)
{
	uint64_t keep = MIN(n->size, size);

	if (!n->owned || size > malloc_usable_size(n->data)) {
		uint64_t cap = MAX(size, n->owned ? 2 * n->size : n->size);
		uint8_t *p = malloc(cap ? cap : 1);
		if (!p)
			return -ENOSPC;
		memcpy(p, n->data, keep);
		if (n->owned)
			free(n->data);
		n->data = p;
		n->owned = true;
	}
	if (size > keep)
		memset(n->data + keep, 0, size - keep);
	n->size = size;
	return 0;
}

int ramfs_set_symlink(struct node *n, const char *target, size_t len)
{
	n->size = 0;
	int err = ramfs_resize(n, len);
	if (!err)
		memcpy(n->data, target, len);
	return err;
}

/* Add an archive entry, creating missing parent directories. */
static int add_entry(const struct cpio_entry *e)
{
	struct node *dir = root;
	const char *p = e->name, *end = e->name + e->namelen;

	while (p < end) {
		const char *slash = memchr(p, '/', end - p);
		size_t len = (slash ? slash : end) - p;
		if (is_dot(p, len)) {       /* "." (the root's own entry) */
			p = slash ? slash + 1 : end;
			continue;
		}
		struct dentry *d = ramfs_lookup(dir, p, len);
		struct node *n = d ? d->node : NULL;
		int err = n ? 0 : ramfs_create(dir, p, len, 0040755, 0, &n);
		if (err)
			return err;
		if (!slash) {
			n->mode = e->mode;
			n->uid = e->uid;
			n->gid = e->gid;
			n->atime = n->mtime = n->ctime = (struct linux_timespec){ (int64_t)e->mtime, 0 };
			if (!node_is_dir(n)) {
				n->data = (uint8_t *)e->data;   /* read-only until copied */
				n->size = e->size;
			}
		}
		dir = n;
		p = slash ? slash + 1 : end;
	}
	return 0;
}

struct node *ramfs_new_root(uint32_t mode, uint32_t dev)
{
	struct node *n = node_new(L_S_IFDIR | mode);

	if (n) {
		n->parent = n;
		n->dev = dev;
	}
	return n;
}

/* Empty directories go as their parents are emptied: depth first,
 * without recursion (trees may be deep). */
void ramfs_destroy(struct node *top)
{
	struct node *dir = top;

	for (;;) {
		struct node *n = dir->entries ? dir->entries->node : NULL;
		if (n && node_is_dir(n) && n->entries) {
			dir = n;
		} else if (n) {
			remove_dentry(dir, &dir->entries);
			drop_link(dir, n);
		} else if (dir != top) {
			dir = dir->parent;      /* dir, now empty, is its first entry */
		} else {
			break;
		}
	}
	top->nlink = 0;
	maybe_free(top);
}

int ramfs_load(const uint8_t *archive, size_t len, uint32_t dev)
{
	struct cpio_entry e;
	size_t off = 0;
	int r;

	root = ramfs_new_root(0755, dev);
	if (!root)
		return -ENOMEM;
	if (!len)
		return 0;
	while ((r = cpio_next(archive, len, &off, &e)) == 1)
		if ((r = add_entry(&e)))
			return r;
	return r;
}
