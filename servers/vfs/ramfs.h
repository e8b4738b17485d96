/* The root filesystem and tmpfs instances: trees in memory, the root's
 * loaded from the initramfs (cpio), all writable. A node is an inode (a file, directory, symlink or device);
 * a directory holds named entries pointing at nodes, so a node may have
 * several names (hard links). File bytes stay in the mapped archive until
 * the first change, then live in pages the server owns, a file's holes in
 * none (sparse files). */
#ifndef RAMFS_H
#define RAMFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <tessera/linux_abi.h>
#include "pagemap.h"

#define NAME_MAX_BYTES 255
#define PATH_MAX_BYTES 4096

struct file;
struct node;
struct path;
struct fname;

struct dentry {
	struct dentry *next;
	struct node *node;
	uint64_t cookie;            /* getdents position: grows in insertion order */
	const char *name;
};

/* What one tree may hold (tmpfs's size= and nr_inodes=; 0: no bound) and
 * holds. Its nodes refer to it: it goes with the last of them once its
 * filesystem is gone (detached). */
struct space {
	uint64_t max_pages, pages;
	uint64_t max_inodes, inodes;
	bool detached;
};

/* Nodes another filesystem answers for (procfs) instead of the ramfs. */
struct node_ops {
	/* bring a directory's children up to date before a lookup or a listing */
	void (*refresh)(struct node *dir);
	/* open a file: its contents are generated then */
	struct file *(*open)(struct node *n, unsigned flags);
	/* a magic link (procfs's fd/N, cwd, exe): the file it stands for and
	 * the name that file was reached by, jumped to without a walk; and
	 * its text, made at readlink (buf holds PATH_MAX_BYTES): its length */
	int (*follow)(const struct node *link, struct path *out, struct fname *fname);
	long (*readlink)(const struct node *link, char *buf);
};

struct node {
	uint32_t mode, uid, gid, nlink;
	uint32_t dev;               /* its filesystem instance's number (st_dev) */
	uint64_t ino, rdev, size;
	struct linux_timespec atime, mtime, ctime;
	uint8_t *data;              /* a symlink's target, or an archived file's bytes */
	bool owned;                 /* data (or pages) is ours, not the archive's */
	struct pagemap pages;       /* an owned regular file's bytes */
	struct pipe *pipe;          /* a FIFO's while it has ends (pipe.c) */
	struct space *space;        /* its tree's bounds (NULL: none) */
	struct dentry *entries, **tail;     /* a directory's, oldest first */
	uint64_t next_cookie;
	struct node *parent;        /* a directory's parent */
	unsigned refs;              /* open files and working directories */
	struct node *all_next;      /* every live node, for lookups by ino */
	const struct node_ops *ops;     /* NULL: a ramfs node */
	bool linkable;              /* nameless from O_TMPFILE (without O_EXCL):
				     * linkat may give it a name */
};

/* Linux's tmpfs default: half of RAM, and as many inodes as it has pages */
void ramfs_default_space(struct space *space);
/* The boot root (filesystem number dev), from the archive. */
int ramfs_load(const uint8_t *archive, size_t len, uint32_t dev);
struct node *ramfs_root(void);
/* A new empty tree (tmpfs, devtmpfs) within space (NULL: unbounded): its
 * root directory, or NULL. */
struct node *ramfs_new_root(uint32_t mode, uint32_t dev, struct space *space);
/* Remove every name of the tree under root, and root (open files keep
 * their nodes until closed). */
void ramfs_destroy(struct node *root);
/* n is dir or lies below it (a file only if it is dir: files do not
 * know their directories) */
bool ramfs_is_within(const struct node *n, const struct node *dir);
/* The wall clock (ns since the epoch) when ts_clock() read 0. */
void ramfs_set_clock(int64_t boot_epoch_ns);
struct linux_timespec ramfs_now(void);

/* The one place a name in a directory is looked up (a directory another
 * filesystem serves is refreshed first). */
struct dentry *ramfs_lookup(struct node *dir, const char *name, size_t len);
struct node *ramfs_find_ino(uint64_t ino);

/* Changing the tree; each returns 0 or -errno as Linux's calls do. */
int ramfs_create(struct node *dir, const char *name, size_t len, uint32_t mode, uint64_t rdev,
		 struct node **out);
int ramfs_link(struct node *dir, const char *name, size_t len, struct node *n);
/* O_TMPFILE: a regular file without a name in dir's filesystem (a
 * reference for the caller; freed at its last one unless linked) */
int ramfs_create_unnamed(struct node *dir, uint32_t mode, bool linkable, struct node **out);
/* Remove a name; dir_wanted: rmdir (a directory, empty) or unlink (not one). */
int ramfs_unlink(struct node *dir, const char *name, size_t len, bool dir_wanted);
#define RAMFS_NOREPLACE 1
#define RAMFS_EXCHANGE  2
int ramfs_rename(struct node *odir, const char *oname, size_t olen, struct node *ndir,
		 const char *nname, size_t nlen, unsigned flags);
/* A regular file's size: cut, or grown by a hole (no memory spent). */
int ramfs_resize(struct node *n, uint64_t size);
/* A regular file's bytes at pos: up to *len of them lie in order from the
 * result on (*len becomes how many; at least one). Reading: zeros in a
 * hole; writing: pages made (charged to the space) if absent, or NULL and
 * *err (ENOSPC, ENOMEM). */
const uint8_t *ramfs_bytes_at(const struct node *n, uint64_t pos, uint64_t *len);
uint8_t *ramfs_bytes_to_write(struct node *n, uint64_t pos, uint64_t *len, int *err);
/* A write that stopped short: free the pages it made past the end */
void ramfs_cut_past_end(struct node *n);
/* The blocks (512 bytes) a file's bytes take (st_blocks) */
uint64_t ramfs_blocks(const struct node *n);
/* SEEK_DATA and SEEK_HOLE from off: the offset, or -ENXIO */
int64_t ramfs_seek_data(const struct node *n, uint64_t off, bool hole);
int ramfs_set_symlink(struct node *n, const char *target, size_t len);

/* References from open files and working directories: a node without
 * names is freed at its last reference (NULL: none, a no-op). */
void node_get(struct node *n);
void node_put(struct node *n);
void node_touch(struct node *n, bool modified);

static inline bool node_is_dir(const struct node *n) { return (n->mode & 0170000) == 0040000; }
static inline bool node_is_link(const struct node *n) { return (n->mode & 0170000) == 0120000; }
static inline bool node_is_reg(const struct node *n) { return (n->mode & 0170000) == 0100000; }
static inline bool node_is_chr(const struct node *n) { return (n->mode & 0170000) == 0020000; }
static inline bool node_is_fifo(const struct node *n) { return (n->mode & 0170000) == 0010000; }

#endif
