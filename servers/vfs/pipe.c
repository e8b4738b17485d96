/*
 * Pipes: a 64 KiB ring between a read end and a write end. A reader with
 * nothing to read, or a writer with no room, waits with its reply handle
 * kept; each transfer then moves what it can and answers whoever is done.
 * A blocking write returns only when all its bytes are in (or no reader is
 * left), as on Linux.
 */
#include "vfs.h"

#define PIPE_BYTES (64u << 10)
#define MAX_PIPES 32
#define PIPE_BUF 4096

struct waiter {
	uint64_t reply, addr, len, done;
	bool active;
	int pid;
};

struct pipe {
	bool used;
	uint8_t buf[PIPE_BYTES];
	uint32_t head, count;
	unsigned readers, writers;      /* open ends */
	struct waiter reader, writer;   /* one waiting call each way */
};

static struct pipe pipes[MAX_PIPES];

static void answer(struct waiter *w, long r)
{
	struct ts_msg m = ts_msg_make((uint64_t)r);

	m.reply = w->reply;
	ts_reply(&m);
	w->active = false;
}

/* Move bytes from the caller's memory into the ring (or out of it). */
static long transfer(struct pipe *p, const struct ts_msg *m, uint64_t addr, uint64_t len,
		     bool in)
{
	uint64_t done = 0;

	while (done < len && (in ? p->count < PIPE_BYTES : p->count > 0)) {
		uint32_t at = in ? (p->head + p->count) % PIPE_BYTES : p->head;
		uint32_t room = in ? PIPE_BYTES - p->count : p->count;
		uint64_t n = MIN(MIN(len - done, room), PIPE_BYTES - at);
		long err = in ? from_caller(m, addr + done, p->buf + at, n)
			      : to_caller(m, addr + done, p->buf + at, n);
		if (err)
			return done ? (long)done : err;
		if (in) {
			p->count += n;
		} else {
			p->head = (p->head + n) % PIPE_BYTES;
			p->count -= n;
		}
		done += n;
	}
	return (long)done;
}

/* After any change: let a waiting reader or writer make progress. */
static void progress(struct pipe *p)
{
	struct waiter *r = &p->reader, *w = &p->writer;

	if (r->active && (p->count || !p->writers)) {
		struct ts_msg m = { .reply = r->reply };
		answer(r, transfer(p, &m, r->addr, r->len, false));
	}
	if (w->active && !p->readers) {
		vfs_raise(w->pid, L_SIGPIPE);
		answer(w, w->done ? (long)w->done : -EPIPE);
	} else if (w->active) {
		struct ts_msg m = { .reply = w->reply };
		long n = transfer(p, &m, w->addr + w->done, w->len - w->done, true);
		if (n < 0)
			answer(w, w->done ? (long)w->done : n);
		else if ((w->done += n) == w->len)
			answer(w, (long)w->len);
	}
	if (r->active && p->count) {
		struct ts_msg m = { .reply = r->reply };
		answer(r, transfer(p, &m, r->addr, r->len, false));
	}
	poll_recheck();
}

static long pipe_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct pipe *p = f->pipe;

	if (!len)
		return 0;
	if (p->count || !p->writers) {
		long n = transfer(p, m, addr, len, false);
		progress(p);
		return n;
	}
	if (file_nonblock(f) || p->reader.active)
		return -EAGAIN;
	p->reader = (struct waiter){ m->reply, addr, len, 0, true, (int)m->badge };
	return TS_NO_REPLY;
}

static long pipe_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct pipe *p = f->pipe;

	if (!p->readers) {
		vfs_raise((int)m->badge, L_SIGPIPE);
		return -EPIPE;
	}
	/* up to PIPE_BUF bytes go in at once or not at all */
	if (file_nonblock(f) && len <= PIPE_BUF && PIPE_BYTES - p->count < len)
		return -EAGAIN;
	long n = transfer(p, m, addr, len, true);
	if (n < 0 || (uint64_t)n == len || (n > 0 && file_nonblock(f))) {
		progress(p);
		return n;
	}
	if (file_nonblock(f) || p->writer.active)
		return n ? n : -EAGAIN;
	p->writer = (struct waiter){ m->reply, addr, len, (uint64_t)n, true, (int)m->badge };
	progress(p);
	return TS_NO_REPLY;
}

/* A signal for pid: a write that moved some bytes says how many. */
void pipe_cancel(int pid)
{
	for (struct pipe *p = pipes; p < pipes + MAX_PIPES; p++) {
		if (!p->used)
			continue;
		if (p->reader.active && p->reader.pid == pid)
			answer(&p->reader, -ERESTARTSYS);
		if (p->writer.active && p->writer.pid == pid)
			answer(&p->writer, p->writer.done ? (long)p->writer.done : -ERESTARTSYS);
	}
}

static void pipe_stat(struct file *f, struct linux_stat *st)
{
	st->st_mode = 0010600;           /* S_IFIFO */
	st->st_ino = (uint64_t)(f->pipe - pipes) + 1;
	st->st_blksize = 4096;
}

static short pipe_poll(struct file *f)
{
	struct pipe *p = f->pipe;
	bool reading = (f->flags & L_O_ACCMODE) == 0;

	if (reading)
		return p->count ? L_POLLIN : !p->writers ? L_POLLHUP : 0;
	return !p->readers ? L_POLLERR : p->count < PIPE_BYTES ? L_POLLOUT : 0;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->pipe;

	if ((f->flags & L_O_ACCMODE) == 0)
		p->readers--;
	else
		p->writers--;
	f->ops = NULL;
	p->used = p->readers || p->writers;
	if (p->used)
		progress(p);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .ioctl = file_no_ioctl, .stat = pipe_stat,
	.poll = pipe_poll, .release = pipe_release,
};

long vfs_pipe(struct fdtable *t, struct ts_msg *m)
{
	uint64_t flags = m->label == NR_pipe2 ? m->word[1] : 0;
	struct pipe *p = NULL;

	if (flags & ~(uint64_t)(L_O_CLOEXEC | L_O_NONBLOCK))
		return -EINVAL;
	for (int i = 0; i < MAX_PIPES && !p; i++)
		if (!pipes[i].used)
			p = &pipes[i];
	struct file *r = p ? file_alloc() : NULL;
	if (r)
		*r = (struct file){ .ops = &pipe_ops, .pipe = p, .flags = flags & L_O_NONBLOCK };
	struct file *w = r ? file_alloc() : NULL;
	if (!w) {
		if (r)
			r->ops = NULL;
		return -ENFILE;
	}
	*w = (struct file){ .ops = &pipe_ops, .pipe = p,
			    .flags = L_O_WRONLY | (flags & L_O_NONBLOCK) };
	*p = (struct pipe){ .used = true, .readers = 1, .writers = 1 };
	bool cloexec = flags & L_O_CLOEXEC;
	int32_t fds[2] = { (int32_t)fd_install(t, r, 0, cloexec), 0 };
	fds[1] = fds[0] < 0 ? -1 : (int32_t)fd_install(t, w, 0, cloexec);
	if (fds[1] < 0 || to_caller(m, m->word[0], fds, sizeof fds)) {
		if (fds[0] >= 0) {
			t->fd[fds[0]] = NULL;
			file_put(r);
		}
		if (fds[1] >= 0) {
			t->fd[fds[1]] = NULL;
			file_put(w);
		}
		return fds[1] < 0 ? -EMFILE : -EFAULT;
	}
	return 0;
}
