/*
 * Pipes: a 64 KiB ring between read ends and write ends. A read with
 * nothing to read, or a write with no room, waits with its reply handle
 * kept, in a queue per direction; each change then serves the queues in
 * arrival order and answers whoever is done. A blocking write returns only
 * when all its bytes are in (or no reader is left); one of up to PIPE_BUF
 * bytes goes in whole or waits, so it is never interleaved with another
 * writer's bytes, as on Linux.
 */
#include <malloc.h>
#include "pipe.h"

static struct pipe *pipes;          /* every pipe with an end, newest first */

/* The ring's next contiguous piece for up to len bytes going in (or
 * coming out): its offset in buf, and its size (0: full, or empty). */
static uint64_t piece(const struct pipe *p, uint64_t len, bool in, uint32_t *at)
{
	uint32_t room = in ? PIPE_BYTES - p->count : p->count;

	*at = in ? (p->head + p->count) % PIPE_BYTES : p->head;
	return MIN(MIN(len, room), PIPE_BYTES - *at);
}

/* The ring's memory, had at the first byte that goes in (a pipe that
 * never holds any costs only its struct) */
static bool ring(struct pipe *p)
{
	return p->buf || (p->buf = malloc(PIPE_BYTES));
}

/* Copy n bytes between the caller's memory and the ring at `at`: all of
 * them, or (a fault) the ring's pages the caller's memory could take or
 * give whole before it, as Linux moves its pipe's pages. */
static uint64_t copy_pages(struct pipe *p, const struct ts_msg *m, uint64_t addr, uint32_t at,
			   uint64_t n, bool in)
{
	int dir = in ? TS_COPY_FROM_CALLER : TS_COPY_TO_CALLER;
	uint64_t done = 0, k;

	if (ts_grant_copy(m->reply, addr, p->buf + at, n, dir) >= 0)
		return n;
	for (; done < n; done += k) {
		k = MIN(n - done, PAGE_BYTES - (at + done) % PAGE_BYTES);
		if (ts_grant_copy(m->reply, addr + done, p->buf + at + done, k, dir) < 0)
			break;
	}
	return done;
}

/* Move bytes from the caller's memory into the ring (or out of it): the
 * count, or -EFAULT if the caller's memory took or gave none. */
static long transfer(struct pipe *p, const struct ts_msg *m, uint64_t addr, uint64_t len,
		     bool in)
{
	uint64_t done = 0, n;
	uint32_t at;

	if (in && !ring(p))
		return -ENOMEM;
	while ((n = piece(p, len - done, in, &at))) {
		uint64_t moved = copy_pages(p, m, addr + done, at, n, in);
		if (in) {
			p->count += (uint32_t)moved;
		} else {
			p->head = (p->head + (uint32_t)moved) % PIPE_BYTES;
			p->count -= (uint32_t)moved;
		}
		done += moved;
		if (moved < n)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* Put bytes the server holds into the ring: as many as fit. */
static long put_local(struct pipe *p, const uint8_t *src, uint64_t len)
{
	uint64_t done = 0, n;
	uint32_t at;

	if (!ring(p))
		return -ENOMEM;
	while ((n = piece(p, len - done, true, &at))) {
		memcpy(p->buf + at, src + done, n);
		p->count += n;
		done += n;
	}
	return (long)done;
}

/* A sendfile into p: what fits of its len bytes at pos of in goes in
 * (without PIPE_BUF's all or nothing, as Linux's splice) */
static long send_now(struct pipe *p, const struct ts_msg *m, struct file *in, uint64_t off_addr,
		     uint64_t pos, uint64_t len)
{
	uint64_t done = 0, piece = len;
	const uint8_t *bytes;
	long r = 0;

	while (done < len && (bytes = file_bytes_at(in, pos + done, &piece))) {
		if ((r = put_local(p, bytes, piece)) <= 0)
			break;
		done += (uint64_t)r;
		if ((uint64_t)r < piece)
			break;
		piece = len - done;
	}
	return sendfile_done(in, m, off_addr, pos, done || r >= 0 ? (long)done : r);
}

/* A waiting write or sendfile is answered: a sendfile's file is let go. */
static void writer_answer(struct pipe *p, struct waiter *w, long r)
{
	struct file *from = w->file;

	waiter_answer(&p->writing, w, r);
	file_put(from);
}

/* The oldest waiting call is a sendfile: it goes on once there is room
 * (or no reader). Returns whether it was answered. */
static bool serve_sendfile(struct pipe *p, struct waiter *w)
{
	struct ts_msg m = { .reply = w->reply };

	if (p->readers && p->count == PIPE_BYTES)
		return false;
	writer_answer(p, w, p->readers ? send_now(p, &m, w->file, w->addr, w->pos, w->len)
				       : -EPIPE);
	return true;
}

/* What of a len-byte write (done of it in already) may go in now: all of
 * a small one or none of it, else as much as there is room for. */
static long fill(struct pipe *p, const struct ts_msg *m, uint64_t addr, uint64_t len,
		 uint64_t done)
{
	if (len <= PIPE_BUF && PIPE_BYTES - p->count < len)
		return 0;
	return transfer(p, m, addr + done, len - done, true);
}

/* Waiting reads that can go on take the bytes there are (none: EOF). */
static bool serve_readers(struct pipe *p)
{
	bool served = false;

	while (p->reading && (p->count || !p->writers)) {
		struct waiter *r = p->reading;
		struct ts_msg m = { .reply = r->reply };
		waiter_answer(&p->reading, r, transfer(p, &m, r->addr, r->len, false));
		served = true;
	}
	return served;
}

/* Waiting writes, oldest first, put in what fits; without readers each
 * gets SIGPIPE and EPIPE (or the count it moved). */
static bool serve_writers(struct pipe *p)
{
	bool moved = false;

	while (p->writing) {
		struct waiter *w = p->writing;
		struct ts_msg m = { .reply = w->reply };
		if (!p->readers)
			vfs_raise((int)w->caller, L_SIGPIPE, w->caller);
		if (w->file) {
			if (!serve_sendfile(p, w))
				break;
			moved = true;
			continue;
		}
		long n = p->readers ? fill(p, &m, w->addr, w->len, w->done) : -EPIPE;
		if (n < 0) {
			writer_answer(p, w, w->done ? (long)w->done : n);
			continue;
		}
		moved |= n > 0;
		if ((w->done += n) < w->len)
			break;
		writer_answer(p, w, (long)w->len);
	}
	return moved;
}

/* After any change: let waiting readers and writers make progress. */
static void progress(struct pipe *p)
{
	bool more;

	do {
		more = serve_readers(p);
		more |= serve_writers(p);
	} while (more);
	poll_recheck();
}

static long pipe_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct pipe *p = f->pipe;

	if (!len)
		return 0;
	/* readers wait only while the ring is empty: none is ahead of this one */
	if (p->count || !p->writers) {
		long n = transfer(p, m, addr, len, false);
		progress(p);
		return n;
	}
	if (file_nonblock(f))
		return -EAGAIN;
	struct waiter *r = waiter_add(&p->reading, m);
	if (!r)
		return -ENOMEM;
	r->addr = addr;
	r->len = len;
	return TS_NO_REPLY;
}

static long pipe_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct pipe *p = f->pipe;
	bool nonblock = file_nonblock(f);

	if (!p->readers) {
		vfs_raise((int)m->badge, L_SIGPIPE, m->badge);
		return -EPIPE;
	}
	/* a blocking write queues behind the writes waiting already */
	long n = p->writing && !nonblock ? 0 : fill(p, m, addr, len, 0);
	if (n < 0 || (uint64_t)n == len || (n > 0 && nonblock)) {
		progress(p);
		return n;
	}
	struct waiter *w = nonblock ? NULL : waiter_add(&p->writing, m);
	if (!w) {
		progress(p);
		return n ? n : nonblock ? -EAGAIN : -ENOMEM;
	}
	w->addr = addr;
	w->len = len;
	w->done = (uint64_t)n;
	progress(p);
	return TS_NO_REPLY;
}

long pipe_sendfile(struct file *out, const struct ts_msg *m, struct file *in, uint64_t off_addr,
		   uint64_t pos, uint64_t count)
{
	struct pipe *p = out->pipe;
	long r = -EAGAIN;

	if (!p->readers) {
		vfs_raise((int)m->badge, L_SIGPIPE, m->badge);
		return -EPIPE;
	}
	if (p->count < PIPE_BYTES)
		r = send_now(p, m, in, off_addr, pos, count);
	if (r != -EAGAIN || file_nonblock(out)) {
		progress(p);
		return r;
	}
	struct waiter *w = waiter_add(&p->writing, m);
	if (!w)
		return -ENOMEM;
	w->addr = off_addr;
	w->len = count;
	w->pos = pos;
	w->file = in;
	in->refs++;
	return TS_NO_REPLY;
}

/* A signal for who cuts short what it waits in on p: a write that moved
 * some bytes says how many. */
static void cancel_on(struct pipe *p, uint64_t who)
{
	struct waiter *w;
	bool wrote = false;

	while ((w = waiter_of(p->reading, who)))
		waiter_answer(&p->reading, w, -ERESTARTSYS);
	while ((w = waiter_of(p->writing, who))) {
		writer_answer(p, w, w->done ? (long)w->done : -ERESTARTSYS);
		wrote = true;
	}
	if (wrote)
		progress(p);        /* the next writer may fit where these did not */
	fifo_cancel(p, who);
}

void pipe_cancel(uint64_t who)
{
	for (struct pipe *p = pipes, *next; p; p = next) {
		next = p->next;             /* p may go with the ends it answers */
		cancel_on(p, who);
	}
}

static void pipe_stat(struct file *f, struct linux_stat *st)
{
	node_stat(f->pipe->node, st);
}

struct node *pipe_node(const struct file *f)
{
	return f->pipe ? f->pipe->node : NULL;
}

static short pipe_poll(struct file *f)
{
	struct pipe *p = f->pipe;
	short r = 0;

	if (file_readable(f) && p->count)
		r |= L_POLLIN;
	/* no writer: a hangup, unless none came since a FIFO was opened
	 * without one (fifo_open) */
	if (file_readable(f) && !p->writers && f->pos != p->writer_opens)
		r |= L_POLLHUP;
	if (file_writable(f) && p->count < PIPE_BYTES)
		r |= L_POLLOUT;
	if (file_writable(f) && !p->readers)
		r |= L_POLLERR;
	return r;
}

/* A pipe goes with its last end. */
static bool pipe_drop_unused(struct pipe *p)
{
	if (p->readers || p->writers)
		return false;
	struct pipe **l = &pipes;
	while (*l != p)
		l = &(*l)->next;
	*l = p->next;
	p->node->pipe = NULL;
	free(p->buf);
	free(p);
	return true;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->pipe;

	p->readers -= file_readable(f);
	p->writers -= file_writable(f);
	node_put(f->node);
	free(f);
	if (!pipe_drop_unused(p))
		progress(p);
}

/* FIONREAD: the bytes in the ring, on either end (as Linux) */
static long pipe_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	int n = (int)f->pipe->count;

	return cmd != L_FIONREAD ? -ENOTTY : to_caller(m, arg, &n, sizeof n);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read, .write = pipe_write, .ioctl = pipe_ioctl, .stat = pipe_stat,
	.poll = pipe_poll, .release = pipe_release,
};

/* A pipe with no ends yet: fifo's, or (NULL) an anonymous one, whose
 * inode is its own, made by the caller (pipefs's, Linux's) */
static struct pipe *pipe_new(struct node *fifo)
{
	static uint32_t pipefs_dev;
	static uint64_t next_ino;
	struct pipe *p = calloc(1, sizeof *p);

	if (!p)
		return NULL;
	p->next = pipes;
	pipes = p;
	p->node = fifo ? fifo : &p->anon;
	if (!pipefs_dev)
		pipefs_dev = fs_new_dev();
	p->anon = (struct node){ .mode = L_S_IFIFO | 0600, .uid = vfs_caller->uid,
				 .gid = vfs_caller->gid, .nlink = 1, .dev = pipefs_dev,
				 .ino = ++next_ino, .pipe = p };
	p->anon.atime = p->anon.mtime = p->anon.ctime = ramfs_now();
	p->node->pipe = p;
	return p;
}

struct pipe *pipe_of_node(struct node *n, bool make)
{
	return n->pipe ? n->pipe : make ? pipe_new(n) : NULL;
}

struct file *pipe_end(struct pipe *p, unsigned flags)
{
	struct file *f = file_alloc();

	if (!f) {
		pipe_drop_unused(p);
		return NULL;
	}
	*f = (struct file){ .ops = &pipe_ops, .pipe = p, .flags = flags };
	p->readers += file_readable(f);
	p->writers += file_writable(f);
	p->writer_opens += file_writable(f);
	fifo_peer_opened(p, f);
	return f;
}

long vfs_pipe(struct fdtable *t, struct ts_msg *m)
{
	uint32_t flags = m->label == NR_pipe2 ? (uint32_t)m->word[1] : 0;     /* an int */
	bool cloexec = flags & L_O_CLOEXEC;

	if (flags & ~(uint32_t)(L_O_CLOEXEC | L_O_NONBLOCK))
		return -EINVAL;
	struct pipe *p = pipe_new(NULL);
	struct file *r = p ? pipe_end(p, flags & L_O_NONBLOCK) : NULL;
	struct file *w = r ? pipe_end(p, L_O_WRONLY | (flags & L_O_NONBLOCK)) : NULL;
	if (!w) {
		file_discard(r);
		return -ENOMEM;
	}
	int32_t fds[2] = { (int32_t)file_install(t, r, cloexec), -1 };
	if (fds[0] < 0)
		file_discard(w);
	else
		fds[1] = (int32_t)file_install(t, w, cloexec);
	if (fds[1] < 0 || to_caller(m, m->word[0], fds, sizeof fds)) {
		fd_close(t, fds[0]);
		fd_close(t, fds[1]);
		return fds[1] < 0 ? -EMFILE : -EFAULT;
	}
	return 0;
}
