/*
 * Opening named pipes (FIFOs), and pipes again through /proc/<pid>/fd/N,
 * as Linux's fifo_open does. A FIFO's pipe belongs to its node: made at
 * the first open, dropped with its bytes when the last end closes. An open
 * for reading waits until a writer opens (not with O_NONBLOCK), one for
 * writing until a reader opens (O_NONBLOCK: ENXIO), O_RDWR never; each
 * counts as an end while it waits, so the peer it waits for never waits
 * for it. An anonymous pipe's ends are made without waiting.
 */
#include "pipe.h"

static bool anonymous(const struct pipe *p)
{
	return p->node == &p->anon;
}

struct file *fifo_open(struct node *n, unsigned flags, long *err)
{
	struct pipe *p = pipe_of_node(n, false);
	bool write_only = (flags & L_O_ACCMODE) == L_O_WRONLY;

	*err = -ENOMEM;
	if ((flags & L_O_ACCMODE) == L_O_ACCMODE) {
		*err = -EINVAL;             /* neither reading nor writing (Linux's mode 3) */
		return NULL;
	}
	if (write_only && flags & L_O_NONBLOCK && (!p || (!p->readers && !anonymous(p)))) {
		*err = -ENXIO;
		return NULL;
	}
	if (!p && !(p = pipe_of_node(n, true)))
		return NULL;
	struct file *f = pipe_end(p, flags);
	if (!f || anonymous(p))
		return f;
	f->node = n;                        /* kept while open, unlinked or not */
	node_get(n);
	/* A reader that came without writers sees no hangup until one has
	 * come and gone (Linux's f_version); pipes do not seek: pos keeps
	 * the writer count it saw. */
	if (!p->writers)
		f->pos = p->writer_opens;
	return f;
}

/* Whether end f of a FIFO waits for a peer before its open returns */
static bool must_wait(const struct file *f)
{
	const struct pipe *p = f->pipe;

	if (!p || anonymous(p) || (file_readable(f) && file_writable(f)))
		return false;
	return file_readable(f) ? !p->writers && !file_nonblock(f) : !p->readers;
}

long fifo_wait(struct file *f, const struct ts_msg *m, bool cloexec)
{
	if (!must_wait(f))
		return 0;
	struct waiter *w = waiter_add(&f->pipe->opening, m);
	if (!w)
		return -ENOMEM;
	w->file = f;
	w->cloexec = cloexec;
	return TS_NO_REPLY;
}

void fifo_peer_opened(struct pipe *p, const struct file *end)
{
	struct waiter *w = p->opening, *next;

	for (; w; w = next) {
		next = w->next;
		struct file *f = w->file;
		if (file_readable(f) ? !file_writable(end) : !file_readable(end))
			continue;
		struct fdtable *t = fdtable_find((int)w->caller);
		long fd = t ? file_install(t, f, w->cloexec) : -ESRCH;
		if (!t)
			file_discard(f);
		waiter_answer(&p->opening, w, fd);
	}
}

void fifo_cancel(struct pipe *p, uint64_t who)
{
	struct waiter *w;

	while ((w = waiter_of(p->opening, who))) {
		struct file *f = w->file;
		waiter_answer(&p->opening, w, -ERESTARTSYS);
		file_discard(f);
	}
}
