/* File descriptor tables and the syscalls on descriptors. */
#include "vfs.h"

static struct fdtable tables[MAX_PIDS];

static void file_put(struct file *f)
{
	if (f)
		f->refs--;
}

/* A process's table; a process seen for the first time starts with the
 * console on 0, 1 and 2 (until fork and exec pass tables on). */
struct fdtable *fdtable_of(int pid)
{
	struct fdtable *free = NULL;

	for (int i = 0; i < MAX_PIDS; i++) {
		if (tables[i].pid == pid)
			return &tables[i];
		if (!tables[i].pid && !free)
			free = &tables[i];
	}
	if (!free)
		return NULL;
	*free = (struct fdtable){ .pid = pid };
	for (int fd = 0; fd < 3; fd++)
		free->fd[fd] = console_open();
	return free;
}

static struct file *get(struct fdtable *t, uint64_t fd)
{
	return fd < MAX_FDS ? t->fd[fd] : NULL;
}

static long install(struct fdtable *t, struct file *f, unsigned from, bool cloexec)
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
	struct file *f = get(t, old);

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
	struct file *f = get(t, fd);

	if (!f)
		return -EBADF;
	switch (cmd) {
	case L_F_DUPFD:
	case L_F_DUPFD_CLOEXEC:
		return arg >= MAX_FDS ? -EINVAL : install(t, f, arg, cmd == L_F_DUPFD_CLOEXEC);
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

long vfs_fd_call(struct fdtable *t, struct ts_msg *m)
{
	uint64_t *a = m->word;
	struct file *f = get(t, a[0]);

	switch (m->label) {
	case NR_dup2:
		return do_dup2(t, a[0], a[1], false);
	case NR_dup3:
		return a[0] == a[1] ? -EINVAL : do_dup2(t, a[0], a[1], a[2] & L_O_CLOEXEC);
	case NR_fcntl:
		return do_fcntl(t, a[0], a[1], a[2]);
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
		return -ESPIPE;
	case NR_dup:
		return install(t, f, 0, false);
	case NR_close:
		file_put(f);
		t->fd[a[0]] = NULL;
		return 0;
	default:
		return -ENOSYS;
	}
}
