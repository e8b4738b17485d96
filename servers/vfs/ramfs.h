/* The root filesystem: a tree built in memory from the initramfs (cpio),
 * whose file contents stay in the mapped archive. Read-only for now. */
#ifndef RAMFS_H
#define RAMFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define NAME_MAX_BYTES 59
#define PATH_MAX_BYTES 1024

struct file;
struct node;

/* Nodes another filesystem answers for (procfs) instead of the ramfs. */
struct node_ops {
	/* bring a directory's children up to date before a lookup or a listing */
	void (*refresh)(struct node *dir);
	/* open a file: its contents are generated then */
	struct file *(*open)(struct node *n, unsigned flags);
};

struct node {
	char name[NAME_MAX_BYTES + 1];
	uint32_t mode, uid, gid, ino;
	uint64_t mtime;
	struct node *parent, *child, *next;
	const uint8_t *data;        /* file bytes, or a symlink's target */
	uint64_t size;
	const struct node_ops *ops;     /* NULL: a ramfs node */
};

int ramfs_load(const uint8_t *archive, size_t len);
struct node *ramfs_root(void);
/* Resolve path from cwd; follow: resolve a final symlink too. */
int ramfs_walk(struct node *cwd, const char *path, bool follow, struct node **out);
/* The absolute path of n into buf; returns its length with the NUL. */
long ramfs_path(const struct node *n, char *buf, size_t size);

static inline bool node_is_dir(const struct node *n) { return (n->mode & 0170000) == 0040000; }
static inline bool node_is_link(const struct node *n) { return (n->mode & 0170000) == 0120000; }

#endif
