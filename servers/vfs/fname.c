/*
 * The names of open files and executables, for /proc/<pid>/fd and exe. A
 * directory knows its parent, so its path names it (path_name); a file
 * does not, so an open file keeps the directory and name it was reached
 * by (moved along by renames), and its name is that directory's path and
 * that name — marked " (deleted)", as Linux marks it, once the name leads
 * elsewhere or nowhere.
 */
#include "vfs.h"

static const struct path none;

static struct fname *held;

static void unlist(struct fname *f)
{
	struct fname **l = &held;

	while (*l != f)
		l = &(*l)->next;
	*l = f->next;
}

void fname_hold(struct fname *slot, const struct fname *from)
{
	bool listed = slot->dir.node;

	path_set(&slot->dir, &from->dir);
	memcpy(slot->name, from->name, sizeof slot->name);
	if (!listed && slot->dir.node) {
		slot->next = held;
		held = slot;
	} else if (listed && !slot->dir.node) {
		unlist(slot);
	}
}

void fname_drop(struct fname *slot)
{
	fname_hold(slot, &(struct fname){ 0 });
}

void exe_hold(struct exe *slot, const struct exe *from)
{
	path_set(&slot->at, &from->at);
	fname_hold(&slot->fname, &from->fname);
}

void exe_drop(struct exe *slot)
{
	path_set(&slot->at, &none);
	fname_drop(&slot->fname);
}

/* The name fname still leads to at (through a mount on it, for a file
 * bind-mounted onto another). */
static bool still_named(const struct fname *fname, const struct path *at)
{
	struct dentry *d = ramfs_lookup(fname->dir.node, fname->name, strlen(fname->name));
	struct path p = { fname->dir.mnt, d ? d->node : NULL };

	if (!d)
		return false;
	mount_cross(&p);
	return path_equal(&p, at);
}

static bool named(const struct fname *f, const struct node *dir, const char *name, size_t len)
{
	return f->dir.node == dir && !strncmp(f->name, name, len) && !f->name[len];
}

static void rename_one(struct fname *f, struct node *dir, const char *name, size_t len)
{
	path_set(&f->dir, &(struct path){ f->dir.mnt, dir });
	memcpy(f->name, name, len);
	f->name[len] = 0;
}

void fname_renamed(struct node *odir, const char *oname, size_t olen, struct node *ndir,
		   const char *nname, size_t nlen, bool exchange)
{
	for (struct fname *f = held; f; f = f->next) {
		if (named(f, odir, oname, olen))
			rename_one(f, ndir, nname, nlen);
		else if (exchange && named(f, ndir, nname, nlen))
			rename_one(f, odir, oname, olen);
	}
}

long fname_path(const struct path *root, const struct path *at, const struct fname *fname,
		char *buf, size_t size)
{
	long len = node_is_dir(at->node) ? path_name(root, at, buf, size) : -ENOENT;

	/* a removed directory has no path left: its name, deleted */
	if (len != -ENOENT || !fname || !fname->dir.node)
		return len;
	if ((len = path_name(root, &fname->dir, buf, size)) < 0)
		return len;
	const char *slash = len > 2 ? "/" : "";     /* none after "/" */
	int n = snprintf(buf + len - 1, size - (size_t)len + 1, "%s%s%s", slash, fname->name,
			 still_named(fname, at) ? "" : " (deleted)");
	return (size_t)n < size - (size_t)len + 1 ? len + n : -ENAMETOOLONG;
}
