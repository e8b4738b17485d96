/*
 * tmpfs: each mount(2) of it a new empty tree in memory (ramfs.c), gone
 * with its last mount. Its options as Linux's: mode=, uid= and gid= set
 * the root directory (1777, the mounter's by default); size=, nr_blocks=,
 * nr_inodes=, huge=, mpol=, inode32/64 and noswap are accepted but not
 * enforced (memory is one pool); anything else is EINVAL. The boot root
 * is the same kind of tree, loaded from the initramfs.
 */
#include <malloc.h>
#include "vfs.h"

struct tmpfs_options {
	uint32_t mode, uid, gid;
};

static bool named(const char *key, size_t len, const char *name)
{
	return strlen(name) == len && !memcmp(key, name, len);
}

/* All of [s, end) a number in base 8 or 10; sizes may end in k, m, g, t,
 * p, e or % (memparse). */
static bool number(const char *s, const char *end, unsigned base, bool size, uint64_t *out)
{
	static const char suffixes[] = "kKmMgGtTpPeE%";
	const char *p = s;

	*out = 0;
	for (; p < end && *p >= '0' && *p < (char)('0' + base); p++)
		*out = *out * base + (uint64_t)(*p - '0');
	if (size && p > s && p + 1 == end && memchr(suffixes, *p, sizeof suffixes - 1))
		p++;
	return p > s && p == end;
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
	if (named(key, len, "size") || named(key, len, "nr_blocks") || named(key, len, "nr_inodes"))
		return number(val, end, 10, true, &v) ? 0 : -EINVAL;
	for (unsigned i = 0; i < ARRAY_SIZE(accepted); i++)
		if (named(key, len, accepted[i]))
			return 0;
	return -EINVAL;
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
	struct tmpfs_options o = { 01777, vfs_caller->uid, vfs_caller->gid };
	struct fs *fs = NULL;

	if ((*err = parse(options, &o)))
		return NULL;
	uint32_t dev = fs_new_dev();
	struct node *root = ramfs_new_root(o.mode, dev);
	if (root && !(fs = calloc(1, sizeof *fs))) {
		ramfs_destroy(root);
		root = NULL;
	}
	if (!root) {
		*err = -ENOMEM;
		return NULL;
	}
	root->uid = o.uid;
	root->gid = o.gid;
	*fs = (struct fs){ .type = &tmpfs_type, .root = root, .dev = dev };
	return fs;
}

static void tmpfs_kill(struct fs *fs)
{
	ramfs_destroy(fs->root);
	free(fs);
}

const struct fs_type tmpfs_type = { "tmpfs", L_TMPFS_MAGIC, tmpfs_get, tmpfs_kill };
/* not mountable by name: the tree the VFS starts with */
const struct fs_type rootfs_type = { "rootfs", L_TMPFS_MAGIC, NULL, NULL };
