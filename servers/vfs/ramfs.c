/* The in-memory tree behind the root filesystem. */
#include <cpio.h>
#include <tessera.h>
#include "ramfs.h"

#define MAX_NODES 2048
#define MAX_LINKS 8

static struct node nodes[MAX_NODES];
static unsigned nnodes;

struct node *ramfs_root(void)
{
	return &nodes[0];
}

static struct node *child_named(struct node *dir, const char *name, size_t len)
{
	for (struct node *c = dir->child; c; c = c->next)
		if (strlen(c->name) == len && !strncmp(c->name, name, len))
			return c;
	return NULL;
}

static struct node *add_child(struct node *dir, const char *name, size_t len)
{
	if (nnodes == MAX_NODES || len > NAME_MAX_BYTES)
		return NULL;
	struct node *n = &nodes[nnodes];
	*n = (struct node){ .parent = dir, .next = dir->child, .ino = ++nnodes, .mode = 0040755 };
	memcpy(n->name, name, len);
	dir->child = n;
	return n;
}

/* Add an archive entry, creating missing parent directories. */
static int add_entry(const struct cpio_entry *e)
{
	struct node *dir = ramfs_root();
	const char *p = e->name, *end = e->name + e->namelen;

	while (p < end) {
		const char *slash = p;
		while (slash < end && *slash != '/')
			slash++;
		if (slash - p == 0 || (slash - p == 1 && *p == '.')) {
			p = slash + 1;
			continue;
		}
		struct node *n = child_named(dir, p, slash - p);
		if (!n && !(n = add_child(dir, p, slash - p)))
			return -ENOSPC;
		if (slash == end) {
			n->mode = e->mode;
			n->uid = e->uid;
			n->gid = e->gid;
			n->mtime = e->mtime;
			n->data = e->data;
			n->size = e->size;
		}
		dir = n;
		p = slash + 1;
	}
	return 0;
}

int ramfs_load(const uint8_t *archive, size_t len)
{
	struct cpio_entry e;
	size_t off = 0;
	int r;

	nodes[0] = (struct node){ .mode = 0040755, .ino = 1 };
	nodes[0].parent = &nodes[0];
	nnodes = 1;
	if (!len)
		return 0;
	while ((r = cpio_next(archive, len, &off, &e)) == 1)
		if ((r = add_entry(&e)))
			return r;
	return r;
}

static int walk(struct node *cwd, const char *path, bool follow, int depth, struct node **out);

static bool only_slashes(const char *s)
{
	while (*s == '/')
		s++;
	return !*s;
}

/* Step from n through a symlink to what it names. */
static int follow_link(struct node *n, int depth, struct node **out)
{
	char target[PATH_MAX_BYTES];

	if (depth >= MAX_LINKS)
		return -ELOOP;
	if (n->size >= sizeof target)
		return -ENAMETOOLONG;
	memcpy(target, n->data, n->size);
	target[n->size] = 0;
	return walk(n->parent, target, true, depth + 1, out);
}

static int walk(struct node *cwd, const char *path, bool follow, int depth, struct node **out)
{
	struct node *n = *path == '/' ? ramfs_root() : cwd;

	if (!*path)
		return -ENOENT;
	while (*path) {
		while (*path == '/')
			path++;
		const char *end = path;
		while (*end && *end != '/')
			end++;
		size_t len = end - path;
		if (!len)
			break;
		if (!node_is_dir(n))
			return -ENOTDIR;
		if (n->ops && n->ops->refresh)
			n->ops->refresh(n);
		struct node *next = len == 1 && *path == '.' ? n :
				    len == 2 && !strncmp(path, "..", 2) ? n->parent :
				    child_named(n, path, len);
		if (!next)
			return -ENOENT;
		bool last = only_slashes(end);
		/* a trailing slash follows a final symlink, as on Linux */
		if (node_is_link(next) && (!last || follow || *end == '/')) {
			int err = follow_link(next, depth, &next);
			if (err)
				return err;
		}
		n = next;
		path = end;
	}
	*out = n;
	return 0;
}

int ramfs_walk(struct node *cwd, const char *path, bool follow, struct node **out)
{
	return walk(cwd, path, follow, 0, out);
}

long ramfs_path(const struct node *n, char *buf, size_t size)
{
	char tmp[PATH_MAX_BYTES];
	size_t pos = sizeof tmp - 1;

	tmp[pos] = 0;
	for (; n != ramfs_root(); n = n->parent) {
		size_t len = strlen(n->name);
		if (len + 1 > pos)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(tmp + pos, n->name, len);
		tmp[--pos] = '/';
	}
	if (pos == sizeof tmp - 1)
		tmp[--pos] = '/';
	size_t total = sizeof tmp - pos;
	if (total > size)
		return -ERANGE;
	memcpy(buf, tmp + pos, total);
	return (long)total;
}
