/*
 * Pseudo-terminals, as Linux's devpts: opening /dev/ptmx makes a pair and
 * the node /dev/pts/N for its slave (gone again when both sides are
 * closed). The slave is an ordinary terminal under the line discipline;
 * its backend keeps the processed output for the master to read, and what
 * the master writes is the slave's typed input. The master shares the
 * terminal's ioctls (window size, termios) and adds TIOCGPTN/TIOCSPTLCK,
 * TIOCSIG, TIOCGPTPEER and packet mode (TIOCPKT: a status byte before
 * each read, telling of the slave's flushes and flow control).
 */
#include <malloc.h>
#include "tty.h"

#define MAX_PTYS 4096               /* Linux's kernel.pty.max */
#define PTY_OUT_BYTES 4096
#define L_TIOCGPTN   0x80045430
#define L_TIOCSPTLCK 0x40045431
#define L_TIOCPKT    0x5420
#define L_TIOCGPKT   0x80045438
#define L_TIOCSIG    0x40045436
#define L_TIOCGPTPEER 0x5441

/* Each pair from memory while it is open; its index is its slot in ptys */
struct pty {
	unsigned index;
	bool locked;
	bool slave_gone;            /* it was opened and all its files closed */
	bool master_open;
	struct tty tty;             /* the slave */
	char out[PTY_OUT_BYTES];    /* slave output the master has not read */
	unsigned count;
	struct tty_reader reader;   /* a master read waiting for output */
	bool reading;
	bool packet;                /* TIOCPKT */
	uint8_t pktstatus;          /* TIOCPKT_* news the master has not read */
};

static struct pty *ptys[MAX_PTYS];
static struct node *pts_dir;

static struct pty *pty_of(struct tty *t)
{
	return (struct pty *)((char *)t - offsetof(struct pty, tty));
}

static void answer(struct pty *p, long r)
{
	struct ts_msg m = ts_msg_make((uint64_t)r);

	m.reply = p->reader.reply;
	ts_reply(&m);
	p->reading = false;
}

/* Packet mode's news, alone in a read of its own */
static long take_status(struct pty *p, const struct ts_msg *m, uint64_t addr)
{
	if (to_caller(m, addr, &p->pktstatus, 1))
		return -EFAULT;
	p->pktstatus = 0;
	return 1;
}

/* Take what a master read gets now (into *r); false if it must wait.
 * Packet mode puts TIOCPKT_DATA (0) before the data. */
static bool master_take(struct pty *p, const struct ts_msg *m, uint64_t addr, uint64_t len,
			    long *r)
{
	uint64_t head = p->packet;

	if (p->packet && p->pktstatus) {
		*r = take_status(p, m, addr);
		return true;
	}
	if (!p->count) {
		*r = -EIO;
		return p->slave_gone;
	}
	unsigned n = (unsigned)MIN(len - head, p->count);
	*r = head && to_caller(m, addr, &(uint8_t){ 0 }, 1) ? -EFAULT :
	     to_caller(m, addr + head, p->out, n);
	if (!*r) {
		memmove(p->out, p->out + n, p->count - n);
		p->count -= n;
		*r = (long)(n + head);
	}
	return true;
}

static void serve_master(struct pty *p)
{
	long r;
	struct ts_msg m = { .reply = p->reader.reply };

	if (p->reading && master_take(p, &m, p->reader.addr, p->reader.len, &r))
		answer(p, r);
	poll_recheck();
}

static size_t slave_room(struct tty *t)
{
	return PTY_OUT_BYTES - pty_of(t)->count;
}

/* The slave's backend. Writers wait for room (tty.c asks slave_room);
 * echo that does not fit is lost. */
static void slave_output(struct tty *t, const char *s, size_t n)
{
	struct pty *p = pty_of(t);

	if (!p->master_open)
		return;
	n = MIN(n, slave_room(t));
	memcpy(p->out + p->count, s, n);
	p->count += n;
	serve_master(p);
}

/* The slave's flushes and flow control: packet mode keeps the news for
 * the master, a start replacing a stop not yet read and the reverse
 * (what the master has not read stays, as on Linux). */
static void slave_control(struct tty *t, uint8_t event)
{
	struct pty *p = pty_of(t);

	if (!p->packet)
		return;
	p->pktstatus &= (uint8_t)~(event & TIOCPKT_STOP ? TIOCPKT_START :
				   event & TIOCPKT_START ? TIOCPKT_STOP : 0);
	p->pktstatus |= event;
	serve_master(p);
}

#define PTS_NAME_MAX 5              /* "4095" */

static void pts_name(const struct pty *p, char name[PTS_NAME_MAX])
{
	snprintf(name, PTS_NAME_MAX, "%u", p->index);
}

/* devpts removes the node, whoever closes last */
static void pty_free(struct pty *p)
{
	const struct vfs_cred *caller = vfs_caller;
	char name[PTS_NAME_MAX];

	pts_name(p, name);
	vfs_caller = &vfs_root;
	ramfs_unlink(pts_dir, name, strlen(name), false);
	vfs_caller = caller;
	tty_remove(&p->tty);
	ptys[p->index] = NULL;
	free(p);
}

static void slave_closed(struct tty *t)
{
	struct pty *p = pty_of(t);

	p->slave_gone = true;
	if (p->master_open)
		serve_master(p);
	else
		pty_free(p);
}

/* --- the master ---------------------------------------------------------- */

static struct pty *master_pty(struct file *f)
{
	return pty_of(f->tty);
}

static long master_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct pty *p = master_pty(f);
	long r;

	if (!len)
		return 0;
	if (master_take(p, m, addr, len, &r)) {
		tty_resume_writer(&p->tty);
		return r;
	}
	if (file_nonblock(f) || p->reading)
		return -EAGAIN;
	p->reader = (struct tty_reader){ m->reply, addr, len, m->badge, 0 };
	p->reading = true;
	return TS_NO_REPLY;
}

static long master_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	char buf[256];
	uint64_t done = 0;

	while (done < len) {
		uint64_t n = MIN(len - done, sizeof buf);
		if (from_caller(m, addr + done, buf, n))
			return done ? (long)done : -EFAULT;
		tty_input(f->tty, buf, n);
		done += n;
	}
	return (long)done;
}

/* TIOCSIG: the slave's foreground group gets sig (only these, as Linux) */
static long send_signal(struct pty *p, uint64_t sig)
{
	if (sig != L_SIGINT && sig != L_SIGQUIT && sig != L_SIGTSTP)
		return -EINVAL;
	if (p->tty.foreground > 0)
		vfs_raise(-p->tty.foreground, (int)sig, 0);
	return 0;
}

/* TIOCGPTPEER: the slave opened as through /dev/pts/N with flags (EIO
 * while locked): its new descriptor */
static long open_peer(struct pty *p, const struct ts_msg *m, uint64_t flags)
{
	struct fdtable *t = fdtable_find((int)m->badge);
	char name[PTS_NAME_MAX];
	long err = -ENXIO;

	if (flags & ~(uint64_t)(L_O_ACCMODE | L_O_NOCTTY | L_O_NONBLOCK | L_O_CLOEXEC))
		return -EINVAL;
	pts_name(p, name);
	struct dentry *d = ramfs_lookup(pts_dir, name, strlen(name));
	unsigned kept = (unsigned)(flags & ~(uint64_t)L_O_CLOEXEC) | L_O_LARGEFILE;
	struct file *f = t && d ? dev_open(d->node, t->pid, kept, &err) : NULL;
	return f ? file_install(t, f, flags & L_O_CLOEXEC) : err;
}

/* TIOCPKT: packet mode on or off (turned on, with no old news) */
static long set_packet(struct pty *p, const struct ts_msg *m, uint64_t arg)
{
	int on;

	if (from_caller(m, arg, &on, sizeof on))
		return -EFAULT;
	if (on && !p->packet)
		p->pktstatus = 0;
	p->packet = on != 0;
	return 0;
}

static long master_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	struct pty *p = master_pty(f);

	switch (cmd) {
	case L_TIOCGPTN: {
		uint32_t n = p->index;
		return to_caller(m, arg, &n, sizeof n);
	}
	case L_TIOCSPTLCK: {
		int lock;
		if (from_caller(m, arg, &lock, sizeof lock))
			return -EFAULT;
		p->locked = lock != 0;
		return 0;
	}
	case L_FIONREAD: {
		int n = (int)p->count;
		return to_caller(m, arg, &n, sizeof n);
	}
	case L_TIOCPKT:
		return set_packet(p, m, arg);
	case L_TIOCGPKT: {
		int on = p->packet;
		return to_caller(m, arg, &on, sizeof on);
	}
	case L_TIOCSIG:
		return send_signal(p, arg);
	case L_TIOCGPTPEER:
		return open_peer(p, m, arg);
	default:                        /* the slave's settings, as on Linux */
		return tty_ioctl(f, m, cmd, arg);
	}
}

static void master_stat(struct file *f, struct linux_stat *st)
{
	node_stat(f->node, st);
}

static short master_poll(struct file *f)
{
	struct pty *p = master_pty(f);

	short news = p->packet && p->pktstatus ? L_POLLIN | L_POLLPRI : 0;

	return news | L_POLLOUT | (p->count ? L_POLLIN : 0) | (p->slave_gone ? L_POLLHUP : 0);
}

static void master_release(struct file *f)
{
	struct pty *p = master_pty(f);

	file_free(f);
	p->master_open = false;
	if (p->reading)
		answer(p, -EIO);
	tty_hangup(&p->tty);
	if (!p->tty.opens)
		pty_free(p);
}

static const struct file_ops master_ops = {
	.read = master_read, .write = master_write, .ioctl = master_ioctl,
	.stat = master_stat, .poll = master_poll, .release = master_release,
};

/* /dev/pts/N for p, made by devpts in its own directory (root's) but the
 * caller's, as Linux's devpts_pty_new */
static long make_slave_node(const struct pty *p)
{
	const struct vfs_cred *caller = vfs_caller;
	char name[PTS_NAME_MAX];
	struct node *n;

	pts_name(p, name);
	vfs_caller = &vfs_root;
	long err = ramfs_create(pts_dir, name, strlen(name), L_S_IFCHR | 0620,
				linux_makedev(PTS_MAJOR, p->index), &n);
	vfs_caller = caller;
	if (!err) {
		n->uid = caller->uid;
		n->gid = caller->gid;
	}
	return err;
}

struct file *pty_open_master(int pid, long *err)
{
	unsigned i = 0;

	(void)pid;
	while (i < MAX_PTYS && ptys[i])
		i++;
	*err = i == MAX_PTYS ? -ENOSPC : pts_dir ? -ENOMEM : -ENXIO;
	struct pty *p = i < MAX_PTYS && pts_dir ? malloc(sizeof *p) : NULL;
	if (!p)
		return NULL;
	*p = (struct pty){ .index = i, .locked = true, .master_open = true };
	ptys[i] = p;
	tty_init(&p->tty, (uint32_t)linux_makedev(PTS_MAJOR, i), slave_output);
	p->tty.closed = slave_closed;
	p->tty.room = slave_room;
	p->tty.control = slave_control;
	p->tty.winsize = (struct linux_winsize){ 0 };     /* as Linux: unset */
	long e = make_slave_node(p);
	struct file *f = e ? NULL : file_alloc();
	if (!f) {
		*err = e ? e : -ENOMEM;
		pty_free(p);
		return NULL;
	}
	f->ops = &master_ops;
	f->tty = &p->tty;
	return f;
}

/* A slave opens while its master is there and has unlocked it. */
struct file *pty_open_slave(uint32_t index, long *err)
{
	struct pty *p = index < MAX_PTYS ? ptys[index] : NULL;

	*err = -EIO;
	if (!p || p->locked || !p->master_open)
		return NULL;
	p->slave_gone = false;
	return tty_open(&p->tty);
}

void pty_cancel(uint64_t who)
{
	for (unsigned i = 0; i < MAX_PTYS; i++)
		if (ptys[i] && ptys[i]->reading && vfs_caller_is(ptys[i]->reader.caller, who))
			answer(ptys[i], -ERESTARTSYS);
}

void pty_init(struct node *dev)
{
	ramfs_create(dev, "pts", 3, L_S_IFDIR | 0755, 0, &pts_dir);
}
