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

/* The inode limit of space is reached (ENOSPC; not for its root) */
static bool inodes_spent(const struct space *space)
{
	return space && space->max_inodes && space->inodes >= space->max_inodes;
}

static struct node *node_new(uint32_t mode, struct space *space)
{
	struct node *n = calloc(1, sizeof *n);

	if (!n)
		return NULL;
	n->space = space;
	if (space)
		space->inodes++;
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
	struct space *space = n->space;
	if (space) {
		space->pages -= pagemap_cut(&n->pages, 0);
		if (!--space->inodes && space->detached)
			free(space);
	} else {
		pagemap_cut(&n->pages, 0);
	}
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
		return -ENOMEM;
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
	struct node *n = node_new(mode, dir->space);

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
	if (inodes_spent(dir->space))
		return -ENOSPC;
	struct node *n = node_in(dir, mode, rdev);
	if (!n)
		return -ENOMEM;
	if ((err = add_dentry(dir, name, len, n))) {
		node_free(n);
		return err;
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
	if (inodes_spent(dir->space))
		return -ENOSPC;
	struct node *n = node_in(dir, L_S_IFREG | mode, 0);
	if (!n)
		return -ENOMEM;
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

static const uint8_t zero_page[PAGE_BYTES];

/* A page more for space, if it has room */
static int charge(struct space *space)
{
	if (space && space->max_pages && space->pages >= space->max_pages)
		return -ENOSPC;
	if (space)
		space->pages++;
	return 0;
}

static void uncharge(struct space *space)
{
	if (space)
		space->pages--;
}

static void cut(struct node *n, uint64_t index)
{
	uint64_t freed = pagemap_cut(&n->pages, index);

	if (n->space)
		n->space->pages -= freed;
}

/* The page at pos, made if absent (charged to the node's space) */
static uint8_t *page_to_write(struct node *n, uint64_t pos, int *err)
{
	uint8_t *page = pagemap_find(&n->pages, pos / PAGE_BYTES);

	if (page)
		return page + pos % PAGE_BYTES;
	if ((*err = charge(n->space)))
		return NULL;
	if (!(page = pagemap_make(&n->pages, pos / PAGE_BYTES))) {
		uncharge(n->space);
		*err = -ENOMEM;
		return NULL;
	}
	return page + pos % PAGE_BYTES;
}

/* An archived file's first `keep` bytes copied into pages of its own (all
 * or none): from then on the file is those pages. */
static int own(struct node *n, uint64_t keep)
{
	int err = 0;

	for (uint64_t at = 0; at < keep; at += PAGE_BYTES) {
		uint8_t *page = page_to_write(n, at, &err);
		if (!page) {
			cut(n, 0);
			return err;
		}
		memcpy(page, n->data + at, MIN(PAGE_BYTES, keep - at));
	}
	n->data = NULL;
	n->owned = true;
	return 0;
}

/* Linux's largest file (MAX_LFS_FILESIZE) */
#define MAX_FILE_BYTES ((uint64_t)INT64_MAX)

int ramfs_resize(struct node *n, uint64_t size)
{
	int err = size > MAX_FILE_BYTES ? -EFBIG : n->owned ? 0 : own(n, MIN(size, n->size));

	if (err)
		return err;
	if (size < n->size) {
		cut(n, ALIGN_UP(size, PAGE_BYTES) / PAGE_BYTES);
		uint8_t *last = pagemap_find(&n->pages, size / PAGE_BYTES);
		if (last)                   /* what a later growth shows must be zeros */
			memset(last + size % PAGE_BYTES, 0, PAGE_BYTES - size % PAGE_BYTES);
	}
	n->size = size;
	return 0;
}

/* A page's bytes from pos on: the page's, or zeros in a hole */
static const uint8_t *page_to_read(const struct node *n, uint64_t pos)
{
	const uint8_t *page = pagemap_find(&n->pages, pos / PAGE_BYTES);

	return (page ? page : zero_page) + pos % PAGE_BYTES;
}

const uint8_t *ramfs_bytes_at(const struct node *n, uint64_t pos, uint64_t *len)
{
	if (!n->owned)
		return n->data + pos;       /* the archive's: contiguous */
	const uint8_t *p = page_to_read(n, pos);
	uint64_t run = PAGE_BYTES - pos % PAGE_BYTES;
	bool hole = p == zero_page + pos % PAGE_BYTES;
	while (run < *len && !hole && page_to_read(n, pos + run) == p + run)
		run += PAGE_BYTES;          /* pages written in order lie in order */
	*len = MIN(*len, run);
	return p;
}

uint8_t *ramfs_bytes_to_write(struct node *n, uint64_t pos, uint64_t *len, int *err)
{
	uint8_t *p = n->owned || !(*err = own(n, n->size)) ? page_to_write(n, pos, err) : NULL;
	uint64_t run = PAGE_BYTES - pos % PAGE_BYTES;
	int ignored;

	while (p && run < *len && page_to_write(n, pos + run, &ignored) == p + run)
		run += PAGE_BYTES;          /* a page made and not in order is the next call's */
	*len = MIN(*len, run);
	return p;
}

void ramfs_cut_past_end(struct node *n)
{
	cut(n, ALIGN_UP(n->size, PAGE_BYTES) / PAGE_BYTES);
}

uint64_t ramfs_blocks(const struct node *n)
{
	if (node_is_dir(n))
		return 0;
	return n->owned && node_is_reg(n) ? n->pages.pages * (PAGE_BYTES / 512)
					  : ALIGN_UP(n->size, PAGE_BYTES) / 512;
}

/* Data is in present pages (an archived file: all of it); a hole ends
 * every file. */
int64_t ramfs_seek_data(const struct node *n, uint64_t off, bool hole)
{
	if (off >= n->size)
		return -ENXIO;
	if (!n->owned)
		return hole ? (int64_t)n->size : (int64_t)off;
	uint64_t index = pagemap_next(&n->pages, off / PAGE_BYTES, !hole);
	if (index == off / PAGE_BYTES)
		return (int64_t)off;
	if (index == UINT64_MAX || index >= ALIGN_UP(n->size, PAGE_BYTES) / PAGE_BYTES)
		return hole ? (int64_t)n->size : -ENXIO;
	return (int64_t)(index * PAGE_BYTES);
}

int ramfs_set_symlink(struct node *n, const char *target, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);

	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len);
	if (n->owned)
		free(n->data);
	n->data = copy;
	n->owned = true;
	n->size = len;
	return 0;
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

struct node *ramfs_new_root(uint32_t mode, uint32_t dev, struct space *space)
{
	struct node *n = node_new(L_S_IFDIR | mode, space);

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

void ramfs_default_space(struct space *space)
{
	struct ts_stats st;

	ts_stats(&st);
	*space = (struct space){ .max_pages = st.total_pages / 2,
				 .max_inodes = st.total_pages / 2 };
}

int ramfs_load(const uint8_t *archive, size_t len, uint32_t dev)
{
	static struct space space;          /* the boot root's, never detached */
	struct cpio_entry e;
	size_t off = 0;
	int r;

	ramfs_default_space(&space);
	root = ramfs_new_root(0755, dev, &space);
	if (!root)
		return -ENOMEM;
	if (!len)
		return 0;
	while ((r = cpio_next(archive, len, &off, &e)) == 1)
		if ((r = add_entry(&e)))
			return r;
	return r;
}
