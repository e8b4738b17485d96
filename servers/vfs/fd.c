/* File descriptor tables and the syscalls on descriptors. */
#include <malloc.h>
#include "tty.h"

/* A table per process, from memory, found by pid through a hash: every
 * request looks its caller's up. */
#define TABLE_BUCKETS 256
static struct fdtable *buckets[TABLE_BUCKETS];

const struct vfs_limits vfs_no_limits = { MAX_FDS, UINT64_MAX };
const struct vfs_limits *vfs_caller_limits = &vfs_no_limits;

static struct fdtable **bucket_of(int pid)
{
	return &buckets[(uint32_t)pid % TABLE_BUCKETS];
}

void file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	struct mount *mnt = f->mnt;         /* release frees the slot */
	fname_drop(&f->fname);
	if (f->ops->release)
		f->ops->release(f);
	mount_put(mnt);
}

void file_discard(struct file *f)
{
	if (f) {
		f->refs = 1;
		file_put(f);
	}
}

void fdtable_forget_tty(const struct tty *t)
{
	for (unsigned i = 0; i < TABLE_BUCKETS; i++)
		for (struct fdtable *f = buckets[i]; f; f = f->next)
			if (f->ctty == t)
				f->ctty = NULL;
}

struct fdtable *fdtable_find(int pid)
{
	struct fdtable *t = *bucket_of(pid);

	while (t && t->pid != pid)
		t = t->next;
	return t;
}

static struct fdtable *fdtable_new(int pid)
{
	struct fdtable *t = pid > 0 ? malloc(sizeof *t) : NULL;   /* pid 0: a native peer */

	if (t) {
		*t = (struct fdtable){ .pid = pid, .cwd = mount_root(), .root = mount_root(),
				       .umask = 022, .limits = vfs_no_limits,
				       .next = *bucket_of(pid) };
		*bucket_of(pid) = t;
		path_get(&t->cwd);
		path_get(&t->root);
	}
	return t;
}

static void fdtable_free(struct fdtable *t)
{
	struct fdtable **l = bucket_of(t->pid);

	while (*l != t)
		l = &(*l)->next;
	*l = t->next;
	free(t);
}

/* The console for the first process: /dev/console opened once. */
static struct file *open_console(int pid)
{
	struct path root = mount_root(), p;
	struct fname fname = { 0 };
	long err;

	if (walk_named(&root, &root, "/dev/console", true, &p, &fname))
		return tty_open(serial_tty());
	struct file *f = dev_open(p.node, pid, L_O_RDWR | L_O_LARGEFILE, &err);
	if (f) {
		f->mnt = p.mnt;
		mount_get(p.mnt);
		fname_hold(&f->fname, &fname);
	}
	return f;
}

/* A process's table; the first process starts with the console on 0, 1
 * and 2; the others inherit theirs through VFS_FORK. */
struct fdtable *fdtable_of(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	if (t || !(t = fdtable_new(pid)))
		return t;
	struct file *console = open_console(pid);
	for (int fd = 0; console && fd < 3; fd++)
		fd_install(t, console, fd, false);
	t->ctty = serial_tty();
	return t;
}

struct file *fd_get(struct fdtable *t, uint64_t fd)
{
	return (uint32_t)fd < MAX_FDS ? t->fd[(uint32_t)fd] : NULL;
}

long fd_install(struct fdtable *t, struct file *f, unsigned from, bool cloexec)
{
	for (unsigned fd = from; fd < t->limits.nofile; fd++) {
		if (!t->fd[fd]) {
			t->fd[fd] = f;
			t->cloexec[fd] = cloexec;
			f->refs++;
			return fd;
		}
	}
	return -EMFILE;
}

long file_install(struct fdtable *t, struct file *f, bool cloexec)
{
	long fd = fd_install(t, f, 0, cloexec);

	if (fd < 0)
		file_discard(f);
	return fd;
}

void fd_close(struct fdtable *t, uint64_t fd)
{
	struct file *f = fd_get(t, fd);

	if (f) {
		t->fd[(uint32_t)fd] = NULL;
		file_put(f);
	}
}

/* Descriptors are unsigned ints, as Linux's: the high bits do not count.
 * One at or past RLIMIT_NOFILE is EBADF, as Linux's. */
static long do_dup2(struct fdtable *t, uint32_t old, uint32_t new, bool cloexec)
{
	struct file *f = fd_get(t, old);

	if (!f || new >= t->limits.nofile)
		return -EBADF;
	if (old == new)
		return new;
	file_put(t->fd[new]);
	t->fd[new] = f;
	t->cloexec[new] = cloexec;
	f->refs++;
	return new;
}

static long do_fcntl(struct fdtable *t, uint32_t fd, uint32_t cmd, uint64_t arg)
{
	struct file *f = fd_get(t, fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case L_F_DUPFD:
	case L_F_DUPFD_CLOEXEC:
		return arg >= t->limits.nofile ? -EINVAL
					       : fd_install(t, f, arg, cmd == L_F_DUPFD_CLOEXEC);
	case L_F_GETFD:                     /* the slot fd_get read */
		return t->cloexec[(uint32_t)fd] ? L_FD_CLOEXEC : 0;
	case L_F_SETFD:
		t->cloexec[(uint32_t)fd] = arg & L_FD_CLOEXEC;
		return 0;
	case L_F_GETFL:
		return f->flags;
	case L_F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	default:
		return -EINVAL;
	}
}

/* readv and writev, one vector element after another; the vector is
 * checked whole first, as Linux's: up to UIO_MAXIOV elements, none longer
 * than SSIZE_MAX, the total cut to MAX_RW_COUNT. */
static long do_vector(struct file *f, const struct ts_msg *m, uint64_t iov_addr, uint64_t cnt,
		      bool write)
{
	static struct linux_iovec iov[UIO_MAXIOV];  /* one request at a time */
	uint64_t total = 0;

	if (cnt > UIO_MAXIOV)
		return -EINVAL;
	if (from_caller(m, iov_addr, iov, cnt * sizeof iov[0]))
		return -EFAULT;
	for (uint64_t i = 0, sum = 0; i < cnt; sum += iov[i++].len) {
		if ((int64_t)iov[i].len < 0)
			return -EINVAL;
		iov[i].len = MIN(iov[i].len, MAX_RW_COUNT - sum);
	}
	for (uint64_t i = 0; i < cnt; i++) {
		if (!iov[i].len)
			continue;
		/* After the first bytes, what may wait (a pipe) takes only what
		 * goes in at once: a reply after waiting could not count them. */
		unsigned flags = f->flags;
		if (write && total && !f->ops->seek)
			f->flags |= L_O_NONBLOCK;
		long r = write ? f->ops->write(f, m, iov[i].base, iov[i].len)
			       : f->ops->read(f, m, iov[i].base, iov[i].len);
		f->flags = flags;
		/* reading what may wait (console lines, pipes): one element */
		if (!write && !f->ops->seek)
			return r;
		if (r < 0)
			return total ? (long)total : r;
		total += (uint64_t)r;
		if ((uint64_t)r < iov[i].len)
			break;
	}
	return (long)total;
}

static long do_fstat(struct file *f, const struct ts_msg *m, uint64_t addr)
{
	struct linux_stat st = { .st_nlink = 1, .st_blksize = 4096 };

	if (f->node)
		node_stat(f->node, &st);
	else
		f->ops->stat(f, &st);
	return to_caller(m, addr, &st, sizeof st);
}

/* A transfer of len bytes at pos ends within a file offset (Linux's
 * rw_verify_area; what has no position is not checked) */
static bool range_ok(const struct file *f, uint64_t pos, uint64_t len)
{
	return !f->ops->seek || (pos <= INT64_MAX && len <= INT64_MAX - pos);
}

/* pread64 and pwrite64: at an offset, the file position unchanged. */
static long do_positioned(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len,
			  int64_t off, bool write)
{
	if (!f->ops->seek)
		return -ESPIPE;
	if (off < 0 || !range_ok(f, (uint64_t)off, len))
		return -EINVAL;
	uint64_t saved = f->pos;
	f->pos = (uint64_t)off;
	long r = write ? f->ops->write(f, m, addr, len) : f->ops->read(f, m, addr, len);
	f->pos = saved;
	return r;
}


long vfs_fork(int parent, int child)
{
	if (parent == child)
		return -EINVAL;     /* its files would be put before they are shared */
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
	path_set(&c->cwd, &p->cwd);
	path_set(&c->root, &p->root);
	c->umask = p->umask;
	c->ctty = p->ctty;
	c->cred = p->cred;
	c->limits = p->limits;
	exe_hold(&c->exe, &p->exe);
	return 0;
}

/* The groups come whole and at most VFS_MAX_GROUPS (the dispatcher checks). */
long vfs_set_cred(const struct vfs_set_cred_req *q, struct vfs_set_cred_rep *p)
{
	struct fdtable *t = fdtable_of(q->pid);
	const struct ts_msg caller = granted_by(q->reply);
	struct vfs_cred c = { q->euid, q->egid, q->ruid, q->rgid, { 0 },
			      (unsigned)(q->groups_len / sizeof c.groups[0]) };

	(void)p;
	if (!t)
		return -ENOMEM;
	if (c.ngroups && from_caller(&caller, 0, c.groups, q->groups_len))
		return -EFAULT;
	t->cred = c;
	return 0;
}

long vfs_set_limits(const struct vfs_set_limits_req *q, struct vfs_set_limits_rep *p)
{
	struct fdtable *t = fdtable_of(q->pid);

	(void)p;
	if (!t)
		return -ENOMEM;
	t->limits = (struct vfs_limits){ (uint32_t)MIN(q->nofile, MAX_FDS), q->fsize };
	return 0;
}

long vfs_exec(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	if (!t)
		return 0;
	for (int fd = 0; fd < MAX_FDS; fd++) {
		if (t->fd[fd] && t->cloexec[fd]) {
			file_put(t->fd[fd]);
			t->fd[fd] = NULL;
		}
	}
	exe_hold(&t->exe, &t->exe_next);
	exe_drop(&t->exe_next);
	return 0;
}

long vfs_exit(int pid)
{
	struct fdtable *t = fdtable_find(pid);

	if (!t)
		return 0;
	vfs_cancel((uint32_t)pid);          /* what its threads waited in */
	for (int fd = 0; fd < MAX_FDS; fd++)
		file_put(t->fd[fd]);
	path_put(&t->cwd);
	path_put(&t->root);
	exe_drop(&t->exe);
	exe_drop(&t->exe_next);
	fdtable_free(t);
	tty_exit(pid);
	return 0;
}

long vfs_fd_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct file *f = fd_get(t, a[0]);

	switch (m->label) {
	case NR_dup2:
		return do_dup2(t, (uint32_t)a[0], (uint32_t)a[1], false);
	case NR_dup3:
		if ((uint32_t)a[0] == (uint32_t)a[1] || (uint32_t)a[2] & ~(uint32_t)L_O_CLOEXEC)
			return -EINVAL;
		return do_dup2(t, (uint32_t)a[0], (uint32_t)a[1], a[2] & L_O_CLOEXEC);
	case NR_fcntl:
		return do_fcntl(t, (uint32_t)a[0], (uint32_t)a[1], a[2]);
	case NR_poll:
	case NR_ppoll:
		return vfs_poll(t, m);
	case NR_select:
	case NR_pselect6:
		return vfs_select(t, m);
	case NR_pipe:
	case NR_pipe2:
		return vfs_pipe(t, m);
	case NR_sendfile:
		return file_sendfile(t, m);
	}
	if (!f)
		return -EBADF;
	switch (m->label) {
	case NR_read:
	case NR_readv:
	case NR_pread64:
		if (!file_readable(f))
			return -EBADF;
		break;
	case NR_write:
	case NR_writev:
	case NR_pwrite64:
	case NR_ftruncate:
		if (!file_writable(f))
			return m->label == NR_ftruncate ? -EINVAL : -EBADF;
		break;
	}
	switch (m->label) {
	case NR_read:
	case NR_write:
		if (!range_ok(f, f->pos, MIN(a[2], MAX_RW_COUNT)))
			return -EINVAL;
		return m->label == NR_read ? f->ops->read(f, m, a[1], MIN(a[2], MAX_RW_COUNT))
					   : f->ops->write(f, m, a[1], MIN(a[2], MAX_RW_COUNT));
	case NR_readv:
		return do_vector(f, m, a[1], a[2], false);
	case NR_writev:
		return do_vector(f, m, a[1], a[2], true);
	case NR_pread64:
	case NR_pwrite64:
		return do_positioned(f, m, a[1], MIN(a[2], MAX_RW_COUNT), (int64_t)a[3],
				     m->label == NR_pwrite64);
	case NR_ftruncate:
		return f->node ? file_truncate(m, f->node, (int64_t)a[1]) : -EINVAL;
	case NR_fsync:
	case NR_fdatasync:                  /* nothing to write back from RAM; pipes never */
		return f->node && !f->pipe ? 0 : -EINVAL;
	case NR_ioctl:
		/* the request is an unsigned int, as Linux's (musl's ioctl passes
		 * an int: _IOR ones arrive sign-extended) */
		return f->ops->ioctl(f, m, (uint32_t)a[1], a[2]);
	case NR_fstat:
		return do_fstat(f, m, a[1]);
	case NR_lseek:
		/* whence (an unsigned int) up to SEEK_HOLE; the file says which it knows */
		return !f->ops->seek ? -ESPIPE : (uint32_t)a[2] > 4 ? -EINVAL :
		       f->ops->seek(f, (int64_t)a[1], (uint32_t)a[2]);
	case NR_getdents64:
		return file_getdents(f, m, a[1], (uint32_t)a[2]);
	case NR_dup:
		return fd_install(t, f, 0, false);
	case NR_close:
		fd_close(t, a[0]);
		return 0;
	default:
		return -ENOSYS;
	}
}
