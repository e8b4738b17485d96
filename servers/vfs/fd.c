/* File descriptor tables and the syscalls on descriptors. */
#include "tty.h"

static struct fdtable tables[MAX_PIDS];

void file_put(struct file *f)
{
	if (f && !--f->refs && f->ops->release)
		f->ops->release(f);
}

struct fdtable *fdtable_find(int pid)
{
	for (int i = 0; i < MAX_PIDS; i++)
		if (tables[i].pid == pid)
			return &tables[i];
	return NULL;
}

static struct fdtable *fdtable_new(int pid)
{
	struct fdtable *t = fdtable_find(0);

	if (t)
		*t = (struct fdtable){ .pid = pid, .cwd = ramfs_root() };
	return t;
}

/* A process's table; the first process starts with the console on 0, 1
 * and 2; the others inherit theirs through VFS_FORK. */
struct fdtable *fdtable_of(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	if (t || !(t = fdtable_new(pid)))
		return t;
	struct file *console = tty_open(serial_tty());
	for (int fd = 0; console && fd < 3; fd++)
		fd_install(t, console, fd, false);
	t->ctty = serial_tty();
	return t;
}

struct file *fd_get(struct fdtable *t, uint64_t fd)
{
	return fd < MAX_FDS ? t->fd[fd] : NULL;
}

long fd_install(struct fdtable *t, struct file *f, unsigned from, bool cloexec)
{
	for (unsigned fd = from; fd < MAX_FDS; fd++) {
		if (!t->fd[fd]) {
			t->fd[fd] = f;
			t->cloexec[fd] = cloexec;
			f->refs++;
			return fd;
		}
	}
	return -EMFILE;
}

static long do_dup2(struct fdtable *t, uint64_t old, uint64_t new, bool cloexec)
{
	struct file *f = fd_get(t, old);

	if (!f || new >= MAX_FDS)
		return -EBADF;
	if (old == new)
		return new;
	file_put(t->fd[new]);
	t->fd[new] = f;
	t->cloexec[new] = cloexec;
	f->refs++;
	return new;
}

static long do_fcntl(struct fdtable *t, uint64_t fd, uint64_t cmd, uint64_t arg)
{
	struct file *f = fd_get(t, fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case L_F_DUPFD:
	case L_F_DUPFD_CLOEXEC:
		return arg >= MAX_FDS ? -EINVAL : fd_install(t, f, arg, cmd == L_F_DUPFD_CLOEXEC);
	case L_F_GETFD:
		return t->cloexec[fd] ? L_FD_CLOEXEC : 0;
	case L_F_SETFD:
		t->cloexec[fd] = arg & L_FD_CLOEXEC;
		return 0;
	case L_F_GETFL:
		return f->flags;
	case L_F_SETFL:
		f->flags = (f->flags & L_O_ACCMODE) | (arg & ~(uint64_t)L_O_ACCMODE);
		return 0;
	default:
		return -EINVAL;
	}
}

/* readv and writev, one vector element after another. */
static long do_vector(struct file *f, const struct ts_msg *m, uint64_t iov_addr, uint64_t cnt,
		      bool write)
{
	struct linux_iovec iov[16];
	long total = 0;

	if (cnt > ARRAY_SIZE(iov))
		return -EINVAL;
	if (from_caller(m, iov_addr, iov, cnt * sizeof iov[0]))
		return -EFAULT;
	for (uint64_t i = 0; i < cnt; i++) {
		if (!iov[i].len)
			continue;
		if (!write)                 /* reading: one element (console lines) */
			return f->ops->read(f, m, iov[i].base, iov[i].len);
		long r = f->ops->write(f, m, iov[i].base, iov[i].len);
		if (r < 0)
			return total ? total : r;
		total += r;
	}
	return total;
}

static long do_fstat(struct file *f, const struct ts_msg *m, uint64_t addr)
{
	struct linux_stat st = { .st_nlink = 1, .st_blksize = 4096 };

	f->ops->stat(f, &st);
	return to_caller(m, addr, &st, sizeof st);
}

static long do_lseek(struct file *f, int64_t off, uint64_t whence)
{
	enum { SEEK_SET, SEEK_CUR, SEEK_END };

	if (!f->node)
		return -ESPIPE;
	int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)f->pos :
		       whence == SEEK_END ? (int64_t)f->node->size : -1;
	if (base < 0 || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return (long)f->pos;
}

static long do_pread(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len,
		     uint64_t off)
{
	if (!f->node)
		return -ESPIPE;
	uint64_t saved = f->pos;
	f->pos = off;
	long r = f->ops->read(f, m, addr, len);
	f->pos = saved;
	return r;
}

/* struct linux_dirent64 records for the children of a directory; pos
 * counts entries, "." and ".." first. */
static long do_getdents(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	uint8_t buf[4096];
	size_t used = 0;
	struct node *dir = f->node;

	if (!dir || !node_is_dir(dir))
		return -ENOTDIR;
	len = MIN(len, sizeof buf);
	for (;;) {
		struct node *n = f->pos == 0 ? dir : f->pos == 1 ? dir->parent : dir->child;
		for (uint64_t i = 2; f->pos >= 2 && n && i < f->pos; i++)
			n = n->next;
		if (!n)
			break;
		const char *name = f->pos == 0 ? "." : f->pos == 1 ? ".." : n->name;
		size_t reclen = ALIGN_UP(19 + strlen(name) + 1, 8);
		if (used + reclen > len)
			break;
		uint8_t *r = buf + used;
		memset(r, 0, reclen);
		uint64_t ino = n->ino, off = f->pos + 1;
		memcpy(r, &ino, 8);
		memcpy(r + 8, &off, 8);
		uint16_t rl = reclen;
		memcpy(r + 16, &rl, 2);
		r[18] = (uint8_t)((n->mode >> 12) & 15);          /* DT_* = S_IFMT >> 12 */
		memcpy(r + 19, name, strlen(name));
		used += reclen;
		f->pos++;
	}
	if (!used && f->pos >= 2 && len < 280)
		return -EINVAL;
	return to_caller(m, addr, buf, used) ? -EFAULT : (long)used;
}

long vfs_fork(int parent, int child)
{
	struct fdtable *p = fdtable_of(parent), *c = fdtable_find(child);

	if (!c)
		c = fdtable_new(child);
	if (!p || !c)
		return -ENOMEM;
	for (int fd = 0; fd < MAX_FDS; fd++) {
		file_put(c->fd[fd]);
		c->fd[fd] = p->fd[fd];
		c->cloexec[fd] = p->cloexec[fd];
		if (c->fd[fd])
			c->fd[fd]->refs++;
	}
	c->cwd = p->cwd;
	c->ctty = p->ctty;
	return 0;
}

long vfs_exec(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	for (int fd = 0; t && fd < MAX_FDS; fd++) {
		if (t->fd[fd] && t->cloexec[fd]) {
			file_put(t->fd[fd]);
			t->fd[fd] = NULL;
		}
	}
	return 0;
}

long vfs_exit(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	for (int fd = 0; t && fd < MAX_FDS; fd++)
		file_put(t->fd[fd]);
	if (t)
		t->pid = 0;
	tty_exit(pid);
	return 0;
}

long vfs_fd_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct file *f = fd_get(t, a[0]);

	switch (m->label) {
	case NR_dup2:
		return do_dup2(t, a[0], a[1], false);
	case NR_dup3:
		return a[0] == a[1] ? -EINVAL : do_dup2(t, a[0], a[1], a[2] & L_O_CLOEXEC);
	case NR_fcntl:
		return do_fcntl(t, a[0], a[1], a[2]);
	case NR_poll:
	case NR_ppoll:
		return vfs_poll(t, m);
	case NR_pipe:
	case NR_pipe2:
		return vfs_pipe(t, m);
	}
	if (!f)
		return -EBADF;
	switch (m->label) {
	case NR_read:
		return f->ops->read(f, m, a[1], a[2]);
	case NR_write:
		return f->ops->write(f, m, a[1], a[2]);
	case NR_readv:
		return do_vector(f, m, a[1], a[2], false);
	case NR_writev:
		return do_vector(f, m, a[1], a[2], true);
	case NR_ioctl:
		return f->ops->ioctl(f, m, a[1], a[2]);
	case NR_fstat:
		return do_fstat(f, m, a[1]);
	case NR_lseek:
		return do_lseek(f, (int64_t)a[1], a[2]);
	case NR_pread64:
		return do_pread(f, m, a[1], a[2], a[3]);
	case NR_getdents64:
		return do_getdents(f, m, a[1], a[2]);
	case NR_dup:
		return fd_install(t, f, 0, false);
	case NR_close:
		file_put(f);
		t->fd[a[0]] = NULL;
		return 0;
	default:
		return -ENOSYS;
	}
}
