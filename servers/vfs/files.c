/* Open ramfs files (read, write, seek, truncate, sendfile) and directories
 * (getdents64). */
#include "vfs.h"

#define MAX_FILES 256

static struct file files[MAX_FILES];

void node_stat(const struct node *n, struct linux_stat *st)
{
	*st = (struct linux_stat){
		.st_dev = n->dev, .st_ino = n->ino, .st_nlink = n->nlink,
		.st_mode = n->mode, .st_uid = n->uid, .st_gid = n->gid, .st_rdev = n->rdev,
		.st_size = (int64_t)n->size, .st_blksize = 4096,
		.st_blocks = node_is_dir(n) ? 0 : (int64_t)(ALIGN_UP(n->size, 4096) / 512),
		.st_atim = n->atime, .st_mtim = n->mtime, .st_ctim = n->ctime,
	};
}

static bool older(struct linux_timespec a, struct linux_timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

static long file_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct node *n = f->node;

	if (node_is_dir(n))
		return -EISDIR;
	if (f->pos >= n->size || !len)
		return 0;
	uint64_t count = MIN(len, n->size - f->pos);
	if (to_caller(m, addr, n->data + f->pos, count))
		return -EFAULT;
	f->pos += count;
	if (older(n->atime, n->mtime))          /* relatime, Linux's default */
		n->atime = ramfs_now();
	return (long)count;
}

/* Room for len bytes at the write position (appending: at the end). */
static long make_room(struct file *f, uint64_t len, uint64_t *at)
{
	struct node *n = f->node;

	*at = f->flags & L_O_APPEND ? n->size : f->pos;
	if (*at + len < *at)
		return -EFBIG;
	return *at + len > n->size ? ramfs_resize(n, *at + len) : ramfs_resize(n, n->size);
}

static void wrote(struct file *f, uint64_t at, uint64_t len)
{
	f->pos = at + len;
	node_touch(f->node, true);
	perm_contents_changed(f->node);
}

static long file_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct node *n = f->node;
	uint64_t at, old_size = n->size;

	if (!len)
		return 0;
	long err = make_room(f, len, &at);
	if (err)
		return err;
	if (from_caller(m, addr, n->data + at, len)) {
		n->size = old_size;
		return -EFAULT;
	}
	wrote(f, at, len);
	return (long)len;
}

static long file_write_local(struct file *f, const struct ts_msg *m, const void *buf,
			     uint64_t len)
{
	uint64_t at;
	long err = make_room(f, len, &at);

	(void)m;
	if (err)
		return err;
	memcpy(f->node->data + at, buf, len);
	wrote(f, at, len);
	return (long)len;
}

long file_seek_in(struct file *f, uint64_t size, int64_t off, uint64_t whence)
{
	enum { SEEK_SET, SEEK_CUR, SEEK_END };
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos :
		       whence == SEEK_END ? (int64_t)size : -1;

	if (base < 0 || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	return (long)f->pos;
}

/* SEEK_DATA and SEEK_HOLE: a file is data up to its end, where its one
 * hole is (its bytes are all stored) */
static long file_seek(struct file *f, int64_t off, uint64_t whence)
{
	enum { SEEK_DATA = 3, SEEK_HOLE = 4 };
	uint64_t size = f->node->size;

	if ((whence != SEEK_DATA && whence != SEEK_HOLE) || node_is_dir(f->node))
		return file_seek_in(f, size, off, whence);
	if (off < 0 || (uint64_t)off >= size)
		return -ENXIO;
	f->pos = whence == SEEK_DATA ? (uint64_t)off : size;
	return (long)f->pos;
}

long file_no_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	(void)f, (void)m, (void)cmd, (void)arg;
	return -ENOTTY;
}

void file_node_stat(struct file *f, struct linux_stat *st)
{
	node_stat(f->node, st);
}

short file_never_blocks(struct file *f)
{
	(void)f;
	return L_POLLIN | L_POLLOUT;
}

static const struct file_ops node_ops = {
	.read = file_read, .write = file_write, .ioctl = file_no_ioctl, .stat = file_node_stat,
	.poll = file_never_blocks, .release = file_free, .seek = file_seek,
	.write_local = file_write_local,
};

struct file *file_alloc(void)
{
	for (int i = 0; i < MAX_FILES; i++) {
		/* a slot is in use from allocation: ops is set until release */
		if (files[i].refs || files[i].ops)
			continue;
		files[i] = (struct file){ 0 };
		return &files[i];
	}
	return NULL;
}

void file_free(struct file *f)
{
	node_put(f->node);
	f->ops = NULL;
}

struct file *file_open_node(struct node *n, unsigned flags)
{
	if (n->ops && n->ops->refresh)
		n->ops->refresh(n);
	if (n->ops && n->ops->open)
		return n->ops->open(n, flags);
	struct file *f = file_alloc();

	if (f) {
		*f = (struct file){ .ops = &node_ops, .flags = flags, .node = n };
		node_get(n);
	}
	return f;
}

long file_truncate(struct node *n, int64_t len)
{
	if (len < 0)
		return -EINVAL;
	if (node_is_dir(n))
		return -EISDIR;
	if (!node_is_reg(n))
		return -EINVAL;
	if (n->ops)
		return -EACCES;             /* procfs files are generated */
	long err = ramfs_resize(n, (uint64_t)len);
	if (!err) {
		node_touch(n, true);
		perm_contents_changed(n);
	}
	return err;
}

/* One struct linux_dirent64 at r; returns its length, or 0 if it does not fit. */
static size_t dirent_put(uint8_t *r, size_t room, const struct node *n, uint64_t off,
			 const char *name)
{
	size_t len = strlen(name), reclen = ALIGN_UP(19 + len + 1, 8);
	uint64_t ino = n->ino;
	uint16_t rl = (uint16_t)reclen;

	if (reclen > room)
		return 0;
	memset(r, 0, reclen);
	memcpy(r, &ino, 8);
	memcpy(r + 8, &off, 8);
	memcpy(r + 16, &rl, 2);
	r[18] = (uint8_t)((n->mode >> 12) & 15);          /* DT_* = S_IFMT >> 12 */
	memcpy(r + 19, name, len);
	return reclen;
}

/* Entries of a directory from position pos: 0 is ".", 1 "..", then the
 * entries by cookie, so that names added or removed meanwhile neither
 * repeat nor hide others. */
long file_getdents(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	uint8_t buf[4096];
	size_t used = 0, put = 1;
	struct node *dir = f->node;

	if (!dir || !node_is_dir(dir))
		return -ENOTDIR;
	if (!dir->nlink)
		return 0;                   /* removed: empty, as on Linux */
	if (dir->ops && dir->ops->refresh)
		dir->ops->refresh(dir);     /* procfs: as it is now (fd/ lists its own) */
	len = MIN(len, sizeof buf);
	while (put && f->pos < 2) {
		put = dirent_put(buf + used, len - used, f->pos ? dir->parent : dir, f->pos + 1,
				 f->pos ? ".." : ".");
		used += put;
		f->pos += put != 0;
	}
	for (struct dentry *d = dir->entries; put && d; d = d->next) {
		if (d->cookie < f->pos)
			continue;
		put = dirent_put(buf + used, len - used, d->node, d->cookie + 1, d->name);
		used += put;
		if (put)
			f->pos = d->cookie + 1;
	}
	if (!used && !put)
		return -EINVAL;             /* the buffer cannot hold the next entry */
	if (to_caller(m, addr, buf, used))
		return -EFAULT;
	if (older(dir->atime, dir->mtime))
		dir->atime = ramfs_now();
	return (long)used;
}

/* The bytes of in at pos that sendfile may send: up to *count, which
 * becomes how many there are (none past the end). */
const uint8_t *file_bytes_at(const struct file *in, uint64_t pos, uint64_t *count)
{
	uint64_t size = in->node->size;

	*count = pos < size ? MIN(*count, size - pos) : 0;
	return in->node->data + pos;
}

long sendfile_done(struct file *in, const struct ts_msg *m, uint64_t off_addr, uint64_t pos,
		   long r)
{
	int64_t off = (int64_t)pos + r;

	if (r < 0)
		return r;
	if (!off_addr) {
		in->pos = (uint64_t)off;
		return r;
	}
	return to_caller(m, off_addr, &off, sizeof off) ? -EFAULT : r;
}

/* sendfile(out, in, offset, count): in is a ramfs file; a pipe takes its
 * bytes as splice would, other files as a write of bytes the server holds
 * (files, devices, terminals). */
long file_sendfile(struct fdtable *t, const struct ts_msg *m)
{
	const uint64_t *a = m->word;
	uint64_t n = a[3];
	struct file *out = fd_get(t, a[0]), *in = fd_get(t, a[1]);
	int64_t off;

	if (!out || !in || (in->flags & L_O_ACCMODE) == L_O_WRONLY ||
	    (out->flags & L_O_ACCMODE) == L_O_RDONLY)
		return -EBADF;
	if (in->ops != &node_ops || node_is_dir(in->node) ||
	    (!out->ops->write_local && !out->pipe) || out->flags & L_O_APPEND)
		return -EINVAL;
	if (a[2] && from_caller(m, a[2], &off, sizeof off))
		return -EFAULT;
	if (a[2] && off < 0)
		return -EINVAL;
	uint64_t pos = a[2] ? (uint64_t)off : in->pos;
	if (out->pipe)
		return pipe_sendfile(out, m, in, a[2], pos, n);
	const uint8_t *bytes = file_bytes_at(in, pos, &n);
	return sendfile_done(in, m, a[2], pos, n ? out->ops->write_local(out, m, bytes, n) : 0);
}

/* The bytes of a file mapping, checked in the order Linux's mmap checks
 * them (access before whether the file can be mapped). The process manager
 * copies them into the mapping, so a mapping is a snapshot: MAP_SHARED
 * works for reading what the file held when it was mapped, and a writable
 * shared mapping, whose stores would have to reach the file, is refused. */
long vfs_map_read(struct ts_msg *m)
{
	struct fdtable *t = fdtable_find((int)m->word[0]);
	struct file *f = t ? fd_get(t, m->word[1]) : NULL;
	uint64_t off = m->word[2];
	bool shared_write = (m->word[4] & L_MAP_SHARED) && (m->word[3] & L_PROT_WRITE);

	if (!f)
		return -EBADF;
	if ((shared_write && !file_writable(f)) || !file_readable(f))
		return -EACCES;
	if (f->ops != &node_ops || !node_is_reg(f->node))
		return -ENODEV;
	if (shared_write) {
		ts_print("mmap: pid %lu: writable MAP_SHARED file mappings are not supported",
			 m->word[0]);
		return -ENODEV;
	}
	struct node *n = f->node;
	if (off >= n->size)
		return 0;
	uint64_t count = MIN(m->buf_len, n->size - off);
	return to_caller(m, 0, n->data + off, count) ? -EFAULT : (long)count;
}

long vfs_file_name(struct ts_msg *m)
{
	static char name[PATH_MAX_BYTES];
	struct fdtable *t = fdtable_find((int)m->word[0]);
	struct file *f = t && (int)m->word[1] >= 0 ? fd_get(t, m->word[1]) : NULL;
	struct path at = f ? (struct path){ f->mnt, f->node } : t ? t->exe.at : (struct path){ 0 };
	const struct fname *fname = f ? &f->fname : t ? &t->exe.fname : NULL;

	if (!at.node)
		return (int)m->word[1] >= 0 ? -EBADF : -ENOENT;
	long len = fname_path(&t->root, &at, fname, name, sizeof name);
	if (len < 0)
		return len;
	m->word[0] = at.node->dev;
	m->word[1] = at.node->ino;
	return to_caller(m, 0, name, MIN((uint64_t)len, m->buf_len)) ? -EFAULT : len;
}
