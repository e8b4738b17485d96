/*
 * Path walks: names looked up directory by directory from the caller's
 * working directory or root, through symlinks, into the mounts standing
 * on directories and out of them again at "..", never above the caller's
 * root (chroot: ".." at the root stays there, as on Linux), or jumping
 * where procfs's magic links stand for. And the way back: the name of a
 * path, for getcwd and /proc.
 */
#include <malloc.h>
#include "vfs.h"

#define MAX_LINKS 40                /* symlinks followed in one lookup (Linux) */

struct walk {
	struct path root;           /* where "/" and ".." stop */
	int links;
	struct fname *fname;        /* if not NULL: the last name stepped to, and its directory */
};

static int walk(struct walk *w, struct path p, const char *path, bool follow, struct path *out);

/* "..": out of mounts whose root p is, then up a directory, then into
 * what is mounted there. */
static void step_up(const struct walk *w, struct path *p)
{
	while (!path_equal(p, &w->root)) {
		if (p->node != p->mnt->root) {
			p->node = p->node->parent;
			break;
		}
		if (!p->mnt->parent)
			break;              /* the top of the tree, or a detached mount */
		*p = (struct path){ p->mnt->parent, p->mnt->mountpoint };
	}
	mount_cross(p);
}

/* From directory p to its entry name (a symlink is not followed here). */
static int step(const struct walk *w, struct path *p, const char *name, size_t len)
{
	bool dot = len == 1 && name[0] == '.', dotdot = len == 2 && name[0] == '.' && name[1] == '.';

	if (!node_is_dir(p->node))
		return -ENOTDIR;
	int denied = (int)perm_check(p->node, MAY_EXEC);    /* search */
	if (denied)
		return denied;
	if (len > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	if (!p->node->nlink && !dot)
		return -ENOENT;             /* a removed directory holds nothing */
	if (dotdot)
		step_up(w, p);
	if (dot || dotdot)
		return 0;
	struct dentry *d = ramfs_lookup(p->node, name, len);
	if (!d)
		return -ENOENT;
	if (w->fname) {
		w->fname->dir = *p;
		memcpy(w->fname->name, name, len);
		w->fname->name[len] = 0;
	}
	p->node = d->node;
	mount_cross(p);
	return 0;
}

/* Step from link (in dir) to what its target names. */
static int follow_link(struct walk *w, const struct path *dir, const struct node *link,
		       struct path *out)
{
	if (++w->links > MAX_LINKS)
		return -ELOOP;
	if (link->ops && link->ops->follow)
		return link->ops->follow(link, out, w->fname);
	if (link->size >= PATH_MAX_BYTES)
		return -ENAMETOOLONG;
	char *target = malloc(link->size + 1);     /* off the stack: links nest */
	if (!target)
		return -ENOMEM;
	memcpy(target, link->data, link->size);
	target[link->size] = 0;
	int err = walk(w, *dir, target, true, out);
	free(target);
	return err;
}

static int walk(struct walk *w, struct path p, const char *path, bool follow, struct path *out)
{
	if (!*path)
		return -ENOENT;
	if (*path == '/')
		p = w->root;
	while (*path) {
		while (*path == '/')
			path++;
		const char *end = path;
		while (*end && *end != '/')
			end++;
		if (end == path)
			break;
		struct path dir = p;
		int err = step(w, &p, path, end - path);
		if (err)
			return err;
		/* a trailing slash asks for a directory: follow a final link */
		if (node_is_link(p.node) && (*end || follow) &&
		    (err = follow_link(w, &dir, p.node, &p)))
			return err;
		path = end;
	}
	if (path[-1] == '/' && !node_is_dir(p.node))
		return -ENOTDIR;
	*out = p;
	return 0;
}

int walk_named(const struct path *root, const struct path *start, const char *path, bool follow,
	       struct path *out, struct fname *fname)
{
	struct walk w = { *root, 0, fname };

	return walk(&w, *start, path, follow, out);
}

int walk_path(const struct path *root, const struct path *start, const char *path, bool follow,
	      struct path *out)
{
	return walk_named(root, start, path, follow, out, NULL);
}

int walk_parent(const struct path *root, const struct path *start, const char *path,
		struct path *dir, const char **name, size_t *len, bool *trailing_slash)
{
	char prefix[PATH_MAX_BYTES];
	size_t end = strlen(path);

	if (!end)
		return -ENOENT;
	while (end > 1 && path[end - 1] == '/')
		end--;
	*trailing_slash = path[end] == '/';
	size_t begin = end;
	while (begin > 0 && path[begin - 1] != '/')
		begin--;
	*name = path + begin;
	*len = end - begin;
	if (*len > NAME_MAX_BYTES)
		return -ENAMETOOLONG;
	if (begin == 0) {
		*dir = *start;
	} else {
		memcpy(prefix, path, begin);
		prefix[begin] = 0;
		int err = walk_path(root, start, prefix, true, dir);
		if (err)
			return err;
	}
	return node_is_dir(dir->node) ? 0 : -ENOTDIR;
}

/* The name directory n has in its parent, or NULL if it was removed. */
static const char *name_in_parent(const struct node *n)
{
	struct dentry *d = n->parent->entries;

	while (d && d->node != n)
		d = d->next;
	return d ? d->name : NULL;
}

/* Built from the end of tmp backwards: names up to root or the top of
 * the tree (then the path is unreachable from root, and says so). */
long path_name(const struct path *root, const struct path *p, char *buf, size_t size)
{
	static const char unreachable[] = "(unreachable)";
	char tmp[PATH_MAX_BYTES];
	size_t pos = sizeof tmp - 1;
	struct path at = *p;

	tmp[pos] = 0;
	while (!path_equal(&at, root)) {
		if (at.node == at.mnt->root) {
			if (!at.mnt->parent)
				break;
			at = (struct path){ at.mnt->parent, at.mnt->mountpoint };
			continue;
		}
		const char *name = name_in_parent(at.node);
		if (!name)
			return -ENOENT;
		size_t len = strlen(name);
		if (len + 1 + sizeof unreachable > pos)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(tmp + pos, name, len);
		tmp[--pos] = '/';
		at.node = at.node->parent;
	}
	if (pos == sizeof tmp - 1)
		tmp[--pos] = '/';
	if (!path_equal(&at, root)) {
		pos -= sizeof unreachable - 1;
		memcpy(tmp + pos, unreachable, sizeof unreachable - 1);
	}
	size_t total = sizeof tmp - pos;
	if (total > size)
		return -ERANGE;
	memcpy(buf, tmp + pos, total);
	return (long)total;
}
