/*
 * tmpfs: each mount(2) of it a new empty tree in memory (ramfs.c), gone
 * with its last mount. Its options as Linux's: mode=, uid= and gid= set
 * the root directory (1777, the mounter's by default); size= (bytes, or a
 * percentage of RAM) or nr_blocks= (pages) bounds the pages its files
 * hold, nr_inodes= its nodes (ENOSPC beyond; 0: no bound; by default half
 * of RAM, and as many nodes as that has pages); huge=, mpol=, inode32/64
 * and noswap are accepted and mean nothing here; anything else is EINVAL.
 * A remount may change size= and nr_inodes=. The boot root is the same
 * kind of tree, loaded from the initramfs.
 */
#include <malloc.h>
#include "vfs.h"

struct tmpfs_options {
	uint32_t mode, uid, gid;
	struct space space;
};

static bool named(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(key, name, len);
}

/* All of [s, end) a number in base 8 or 10; sizes may end in k, m, g, t,
 * p or e (memparse: powers of 1024), or % (of RAM's pages, as
 * size=50%). */
static bool number(const char *s, const char *end, unsigned base, bool size, uint64_t *out)
{
	static const char suffixes[] = "kKmMgGtTpPeE";
	const char *p = s, *suffix;
	uint64_t v = 0;

	for (; p < end && *p >= '0' && *p < (char)('0' + base); p++) {
		if (v > (UINT64_MAX - 9) / base)
			return false;
		v = v * base + (uint64_t)(*p - '0');
	}
	if (p == s || (p != end && (!size || p + 1 != end)))
		return false;
	if (p != end && *p == '%') {
		struct ts_stats st;
		ts_stats(&st);
		*out = v > 100 ? UINT64_MAX : st.total_pages * v / 100 * PAGE_BYTES;
		return true;
	}
	if (p != end && !(suffix = memchr(suffixes, *p, sizeof suffixes - 1)))
		return false;
	unsigned shift = p == end ? 0 : 10 * (unsigned)((suffix - suffixes) / 2 + 1);
	*out = v > UINT64_MAX >> shift ? UINT64_MAX : v << shift;
	return true;
}

/* One "key" or "key=value" of the option list. */
static long option(const char *key, size_t len, const char *val, const char *end,
		   struct tmpfs_options *o)
{
	static const char *const accepted[] = {
		"huge", "mpol", "inode32", "inode64", "noswap",
	};
	uint32_t *id = named(key, len, "mode") ? &o->mode : named(key, len, "uid") ? &o->uid :
		       named(key, len, "gid") ? &o->gid : NULL;
	bool mode = id == &o->mode;
	uint64_t v;

	if (id) {
		if (!number(val, end, mode ? 8 : 10, false, &v) || v > UINT32_MAX)
			return -EINVAL;
		*id = mode ? (uint32_t)v & 07777 : (uint32_t)v;
		return 0;
	}
	if (!named(key, len, "size") && !named(key, len, "nr_blocks") &&
	    !named(key, len, "nr_inodes")) {
		for (unsigned i = 0; i < ARRAY_SIZE(accepted); i++)
			if (named(key, len, accepted[i]))
				return 0;
		return -EINVAL;
	}
	if (!number(val, end, 10, true, &v))
		return -EINVAL;
	if (named(key, len, "size"))        /* bytes, rounded up to pages */
		o->space.max_pages = v / PAGE_BYTES + (v % PAGE_BYTES != 0);
	else if (named(key, len, "nr_blocks"))
		o->space.max_pages = v;
	else
		o->space.max_inodes = v;
	return 0;
}

static long parse(const char *opts, struct tmpfs_options *o)
{
	while (*opts) {
		size_t n = strlen(opts);
		const char *comma = memchr(opts, ',', n), *end = comma ? comma : opts + n;
		const char *eq = memchr(opts, '=', (size_t)(end - opts));
		long err = end == opts ? 0 :            /* ",," */
			   option(opts, (size_t)((eq ? eq : end) - opts), eq ? eq + 1 : end, end, o);
		if (err)
			return err;
		opts = comma ? comma + 1 : end;
	}
	return 0;
}

static struct fs *tmpfs_get(const char *options, long *err)
{
	struct tmpfs_options o = { 01777, vfs_caller->uid, vfs_caller->gid, { 0 } };
	struct fs *fs = calloc(1, sizeof *fs);
	struct space *space = malloc(sizeof *space);
	struct node *root = NULL;

	ramfs_default_space(&o.space);
	if ((*err = parse(options, &o)) || !fs || !space ||
	    (*space = o.space, !(root = ramfs_new_root(o.mode, fs_new_dev(), space)))) {
		free(fs);
		free(space);
		*err = *err ? *err : -ENOMEM;
		return NULL;
	}
	root->uid = o.uid;
	root->gid = o.gid;
	*fs = (struct fs){ .type = &tmpfs_type, .root = root, .dev = root->dev };
	return fs;
}

/* A new bound (0: none) where the tree had one, not below what it holds:
 * Linux's "Cannot retroactively limit" and "Too small a size" */
static bool bound_ok(uint64_t old_max, uint64_t new_max, uint64_t held)
{
	return new_max == old_max || !new_max || (old_max && held <= new_max);
}

/* size=, nr_blocks= and nr_inodes= again (the others count only at the
 * first mount) */
static long tmpfs_remount(struct fs *fs, const char *options)
{
	struct space *sp = fs->root->space;
	struct tmpfs_options o = { 0, 0, 0, *sp };
	long err = parse(options, &o);

	if (err)
		return err;
	if (!bound_ok(sp->max_pages, o.space.max_pages, sp->pages) ||
	    !bound_ok(sp->max_inodes, o.space.max_inodes, sp->inodes))
		return -EINVAL;
	sp->max_pages = o.space.max_pages;
	sp->max_inodes = o.space.max_inodes;
	return 0;
}

/* The space goes with the last node: open files may outlive the tree. */
static void tmpfs_kill(struct fs *fs)
{
	fs->root->space->detached = true;
	ramfs_destroy(fs->root);
	free(fs);
}

const struct fs_type tmpfs_type = { "tmpfs", L_TMPFS_MAGIC, tmpfs_get, tmpfs_kill,
				    tmpfs_remount };
/* not mountable by name: the tree the VFS starts with */
const struct fs_type rootfs_type = { "rootfs", L_TMPFS_MAGIC, NULL, NULL, NULL };
