/* Open ramfs files (read, write, seek, truncate, sendfile) and directories
 * (getdents64). */
#include <malloc.h>
#include "vfs.h"

void node_stat(const struct node *n, struct linux_stat *st)
{
	*st = (struct linux_stat){
		.st_dev = n->dev, .st_ino = n->ino, .st_nlink = n->nlink,
		.st_mode = n->mode, .st_uid = n->uid, .st_gid = n->gid, .st_rdev = n->rdev,
		.st_size = (int64_t)n->size, .st_blksize = 4096,
		.st_blocks = (int64_t)ramfs_blocks(n),
		.st_atim = n->atime, .st_mtim = n->mtime, .st_ctim = n->ctime,
	};
}

static bool older(struct linux_timespec a, struct linux_timespec b)
{
	return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec <= b.tv_nsec);
}

long node_to_caller(const struct ts_msg *m, uint64_t addr, const struct node *n, uint64_t pos,
		    uint64_t len)
{
	uint64_t done = 0, piece;

	for (; done < len; done += piece) {
		piece = len - done;
		const uint8_t *bytes = ramfs_bytes_at(n, pos + done, &piece);
		long r = copy_upto(m, addr + done, (void *)bytes, piece, TS_COPY_TO_CALLER);
		if (r < 0)
			return done ? (long)done : r;
		if ((uint64_t)r < piece)
			return (long)(done + (uint64_t)r);
	}
	return (long)done;
}

static long file_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct node *n = f->node;

	if (node_is_dir(n))
		return -EISDIR;
	if (f->pos >= n->size || !len)
		return 0;
	long r = node_to_caller(m, addr, n, f->pos, MIN(len, n->size - f->pos));
	if (r < 0)
		return r;
	f->pos += (uint64_t)r;
	if (older(n->atime, n->mtime))          /* relatime, Linux's default */
		n->atime = ramfs_now();
	return r;
}

/* A regular file written up to end by m's caller: past its RLIMIT_FSIZE,
 * SIGXFSZ and EFBIG (Linux's generic_write_check_limits, inode_newsize_ok) */
static long fsize_check(const struct ts_msg *m, uint64_t end)
{
	if (end <= vfs_caller_limits->fsize)
		return 0;
	vfs_raise((int)m->badge, L_SIGXFSZ, m->badge);
	return -EFBIG;
}

/* Write len bytes at the write position (appending: at the end), from the
 * caller's memory at addr or from the server's (local): as many as go in
 * before a fault or a full filesystem (none: its error). Past Linux's
 * largest file or the caller's RLIMIT_FSIZE: EFBIG, or a short write up to
 * it. */
static long write_at(struct file *f, const struct ts_msg *m, uint64_t addr, const uint8_t *local,
		     uint64_t len)
{
	struct node *n = f->node;
	uint64_t at = f->flags & L_O_APPEND ? n->size : f->pos, done = 0;
	long err = 0;

	if (at >= (uint64_t)INT64_MAX)
		return -EFBIG;
	if (fsize_check(m, at + 1))
		return -EFBIG;
	len = MIN(len, MIN((uint64_t)INT64_MAX, vfs_caller_limits->fsize) - at);
	while (done < len) {
		uint64_t piece = len - done;
		int e = 0;
		uint8_t *to = ramfs_bytes_to_write(n, at + done, &piece, &e);
		long r = !to ? e : local ? (memcpy(to, local + done, piece), (long)piece)
				 : copy_upto(m, addr + done, to, piece, TS_COPY_FROM_CALLER);
		if (r > 0) {
			done += (uint64_t)r;
			n->size = MAX(n->size, at + done);
		}
		if (r < 0 || (uint64_t)r < piece) {
			err = r < 0 ? r : -EFAULT;
			break;
		}
	}
	if (done < len)
		ramfs_cut_past_end(n);
	if (!done)
		return err;
	f->pos = at + done;
	node_touch(n, true);
	perm_contents_changed(n);
	return (long)done;
}

static long file_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	return len ? write_at(f, m, addr, NULL, len) : 0;
}

static long file_write_local(struct file *f, const struct ts_msg *m, const void *buf,
			     uint64_t len)
{
	return len ? write_at(f, m, 0, buf, len) : 0;
}

long file_seek_in(struct file *f, uint64_t size, int64_t off, uint64_t whence)
{
	enum { SEEK_SET, SEEK_CUR, SEEK_END };
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos :
		       whence == SEEK_END ? (int64_t)size : -1, to;

	/* past the largest offset there is: EINVAL, as Linux's vfs_setpos */
	if (base < 0 || __builtin_add_overflow(base, off, &to) || to < 0)
		return -EINVAL;
	f->pos = (uint64_t)to;
	return (long)f->pos;
}

/* SEEK_DATA and SEEK_HOLE: holes are the pages never written, and the
 * end of the file */
static long file_seek(struct file *f, int64_t off, uint64_t whence)
{
	enum { SEEK_DATA = 3, SEEK_HOLE = 4 };

	if ((whence != SEEK_DATA && whence != SEEK_HOLE) || node_is_dir(f->node))
		return file_seek_in(f, f->node->size, off, whence);
	int64_t r = off < 0 ? -ENXIO : ramfs_seek_data(f->node, (uint64_t)off, whence == SEEK_HOLE);
	if (r >= 0)
		f->pos = (uint64_t)r;
	return (long)r;
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

/* Open files come from memory: Linux's limit on them is the descriptors
 * each process may have (RLIMIT_NOFILE), not a table of the system's. */
struct file *file_alloc(void)
{
	return calloc(1, sizeof(struct file));
}

void file_free(struct file *f)
{
	node_put(f->node);
	free(f);
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

long file_truncate(const struct ts_msg *m, struct node *n, int64_t len)
{
	if (len < 0)
		return -EINVAL;
	if (node_is_dir(n))
		return -EISDIR;
	if (!node_is_reg(n))
		return -EINVAL;
	if (n->ops)
		return -EACCES;             /* procfs files are generated */
	long err = (uint64_t)len > n->size ? fsize_check(m, (uint64_t)len) : 0;
	if (!err)
		err = ramfs_resize(n, (uint64_t)len);
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
 * becomes how many lie in order there (none past the end). */
const uint8_t *file_bytes_at(const struct file *in, uint64_t pos, uint64_t *count)
{
	uint64_t size = in->node->size;

	*count = pos < size ? MIN(*count, size - pos) : 0;
	return *count ? ramfs_bytes_at(in->node, pos, count) : NULL;
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

/* count bytes of in at pos written to out, one run of them after another
 * while they all go */
static long send_local(struct file *out, const struct ts_msg *m, const struct file *in,
		       uint64_t pos, uint64_t count)
{
	uint64_t done = 0, piece = count;
	const uint8_t *bytes;

	while (done < count && (bytes = file_bytes_at(in, pos + done, &piece))) {
		long r = out->ops->write_local(out, m, bytes, piece);
		if (r < 0)
			return done ? (long)done : r;
		done += (uint64_t)r;
		if ((uint64_t)r < piece)
			break;
		piece = count - done;
	}
	return (long)done;
}

/* sendfile(out, in, offset, count): in is a ramfs file; a pipe takes its
 * bytes as splice would, other files as a write of bytes the server holds
 * (files, devices, terminals). */
long file_sendfile(struct fdtable *t, const struct ts_msg *m)
{
	const uint64_t *a = m->word;
	uint64_t n = MIN(a[3], MAX_RW_COUNT);
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
	return sendfile_done(in, m, a[2], pos, send_local(out, m, in, pos, n));
}

/* The bytes of a file mapping, checked in the order Linux's mmap checks
 * them (access before whether the file can be mapped). The process manager
 * copies them into the mapping, so a mapping is a snapshot: MAP_SHARED
 * works for reading what the file held when it was mapped, and a writable
 * shared mapping, whose stores would have to reach the file, is refused. */
long vfs_map_read(const struct vfs_map_read_req *q, struct vfs_map_read_rep *p)
{
	struct fdtable *t = fdtable_find(q->pid);
	struct file *f = t && q->fd >= 0 ? fd_get(t, (uint64_t)q->fd) : NULL;
	const struct ts_msg caller = granted_by(q->reply);
	uint64_t off = q->offset;
	bool shared_write = (q->flags & L_MAP_SHARED) && (q->prot & L_PROT_WRITE);

	(void)p;
	if (!f)
		return -EBADF;
	if ((shared_write && !file_writable(f)) || !file_readable(f))
		return -EACCES;
	if (f->ops != &node_ops || !node_is_reg(f->node))
		return -ENODEV;
	if (shared_write) {
		ts_print("mmap: pid %d: writable MAP_SHARED file mappings are not supported",
			 q->pid);
		return -ENODEV;
	}
	struct node *n = f->node;
	if (off >= n->size)
		return 0;
	uint64_t count = MIN(q->bytes_len, n->size - off);
	long r = node_to_caller(&caller, 0, n, off, count);
	return r < 0 || (uint64_t)r == count ? r : -EFAULT;
}

long vfs_file_name(const struct vfs_file_name_req *q, struct vfs_file_name_rep *p)
{
	static char name[PATH_MAX_BYTES];
	struct fdtable *t = fdtable_find(q->pid);
	struct file *f = t && q->fd >= 0 ? fd_get(t, (uint64_t)q->fd) : NULL;
	const struct ts_msg caller = granted_by(q->reply);
	struct path at = f ? (struct path){ f->mnt, f->node } : t ? t->exe.at : (struct path){ 0 };
	const struct fname *fname = f ? &f->fname : t ? &t->exe.fname : NULL;

	if (!at.node)
		return q->fd >= 0 ? -EBADF : -ENOENT;
	long len = fname_path(&t->root, &at, fname, name, sizeof name);
	if (len < 0)
		return len;
	p->dev = at.node->dev;
	p->ino = at.node->ino;
	return to_caller(&caller, 0, name, MIN((uint64_t)len, q->name_len)) ? -EFAULT : len;
}
