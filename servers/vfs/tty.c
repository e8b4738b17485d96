/*
 * The line discipline, after Linux's n_tty: canonical mode (lines edited
 * with erase, kill and word erase, delivered on a newline, EOL or ^D) or
 * raw (VMIN and VTIME: counts, read timeouts, the inter-byte timer), echo
 * with ECHOE/ECHOK/ECHOKE/ECHOCTL/ECHONL, input mapping (ICRNL, INLCR,
 * IGNCR, ISTRIP), output post-processing (OPOST with ONLCR, OCRNL), and the
 * interrupt, quit and suspend keys signalling the foreground process group
 * (ISIG), output flow control (IXON, IXANY), ^V (VLNEXT), and job control:
 * a background process of the terminal's session that reads (or, with
 * TOSTOP, writes) or changes the terminal stops its group. Readers wait
 * with their reply handle kept until their data is there or their VTIME
 * has passed (the VFS's main loop calls tty_expire).
 */
#include <malloc.h>
#include "tty.h"
#include <proto/pm_client.h>

#define ISTRIP  0000040     /* iflag */
#define INLCR   0000100
#define IGNCR   0000200
#define ICRNL   0000400
#define IXON    0002000
#define IXANY   0004000
#define OPOST   0000001     /* oflag */
#define ONLCR   0000004
#define OCRNL   0000010
#define ISIG    0000001     /* lflag */
#define ICANON  0000002
#define ECHO    0000010
#define ECHOE   0000020
#define ECHOK   0000040
#define ECHONL  0000100
#define NOFLSH  0000200
#define TOSTOP  0000400
#define ECHOCTL 0001000
#define ECHOKE  0004000
#define IEXTEN  0100000
enum { VINTR, VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP,
       VEOL, VREPRINT, VDISCARD, VWERASE, VLNEXT, VEOL2 };
enum { MARK_NONE, MARK_EOL, MARK_EOF };     /* mark[]: line ends */
enum { ERASE, WERASE, KILL };
enum { TCIFLUSH, TCOFLUSH, TCIOFLUSH };
#define L_TCSBRK   0x5409
#define L_TCFLSH   0x540B
#define L_TIOCNOTTY 0x5422
#define TAB 8
#define VTIME_NS 100000000ull       /* VTIME counts tenths of a second */

static struct tty *ttys;           /* serial, screen, ptys: a list */

static const struct linux_termios default_termios = {
	.iflag = ICRNL | IXON,
	.oflag = OPOST | ONLCR,
	.cflag = 0x00bf,                /* B38400 CS8 CREAD HUPCL */
	.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE,
	.cc = { [VINTR] = 3, [VQUIT] = 28, [VERASE] = 127, [VKILL] = 21, [VEOF] = 4,
		[VMIN] = 1, [VSTART] = 17, [VSTOP] = 19, [VSUSP] = 26, [VREPRINT] = 18,
		[VDISCARD] = 15, [VWERASE] = 23, [VLNEXT] = 22 },
};
_Static_assert(sizeof(struct linux_termios) == 36, "struct termios (kernel) layout");

void tty_init(struct tty *t, uint32_t rdev, void (*output)(struct tty *, const char *, size_t))
{
	*t = (struct tty){ .rdev = rdev, .output = output, .termios = default_termios,
			   .winsize = { 25, 80, 0, 0 }, .next = ttys };
	ttys = t;
}

void tty_remove(struct tty *t)
{
	struct tty **l = &ttys;

	while (*l && *l != t)
		l = &(*l)->next;
	if (*l)
		*l = t->next;
	fdtable_forget_tty(t);
}

static bool lflag(const struct tty *t, uint32_t flag) { return t->termios.lflag & flag; }
static bool iflag(const struct tty *t, uint32_t flag) { return t->termios.iflag & flag; }
static bool is_cc(const struct tty *t, unsigned which, char c)
{
	return t->termios.cc[which] && c == (char)t->termios.cc[which];
}
static bool is_control(char c) { return (unsigned char)c < 0x20 || c == 0x7f; }

/* --- output -------------------------------------------------------------- */

static void track_column(struct tty *t, char c)
{
	if (c == '\r' || c == '\n')
		t->column = 0;
	else if (c == '\t')
		t->column = (t->column / TAB + 1) * TAB;
	else if (c == '\b')
		t->column -= t->column > 0;
	else if (!is_control(c))
		t->column++;
}

void tty_write(struct tty *t, const char *s, size_t n)
{
	char out[256];
	size_t k = 0;
	bool opost = t->termios.oflag & OPOST;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (k + 2 > sizeof out) {
			t->output(t, out, k);
			k = 0;
		}
		if (opost && c == '\n' && t->termios.oflag & ONLCR)
			out[k++] = '\r';
		else if (opost && c == '\r' && t->termios.oflag & OCRNL)
			c = '\n';
		out[k++] = c;
		track_column(t, c);
	}
	if (k)
		t->output(t, out, k);
}

/* Echo one input character; with ECHOCTL controls show as ^X. */
static void echo_char(struct tty *t, char c)
{
	if (!lflag(t, ECHO))
		return;
	if (lflag(t, ECHOCTL) && is_control(c) && c != '\t' && c != '\n')
		tty_write(t, (char[]){ '^', (char)(c ^ 0x40) }, 2);
	else
		tty_write(t, &c, 1);
}

/* --- input --------------------------------------------------------------- */

/* Tell the backend of flow control or a flush (a pty master in packet
 * mode). */
static void control(struct tty *t, uint8_t event)
{
	if (t->control)
		t->control(t, event);
}

static void flush_input(struct tty *t)
{
	t->len = t->committed = 0;
	t->lnext = false;
	control(t, TIOCPKT_FLUSHREAD);
}

static void push(struct tty *t, char c, uint8_t mark)
{
	if (t->len == TTY_BUF_BYTES)
		return;
	t->buf[t->len] = c;
	t->mark[t->len++] = mark;
	if (mark || !lflag(t, ICANON))
		t->committed = t->len;
}

/* The column the edited line's first n characters end at when echoed. */
static unsigned echoed_column(const struct tty *t, unsigned n)
{
	unsigned col = t->canon_column;

	for (unsigned i = t->committed; i < t->committed + n; i++) {
		char c = t->buf[i];
		if (c == '\t')
			col = (col / TAB + 1) * TAB;
		else if (is_control(c))
			col += lflag(t, ECHOCTL) ? 2 : 0;
		else
			col++;
	}
	return col;
}

/* Take the last character back from the screen. */
static void rub_out(struct tty *t, char c)
{
	if (c == '\t') {
		unsigned col = echoed_column(t, t->len - t->committed);
		while (t->column > col)
			tty_write(t, "\b", 1);
	} else if (!is_control(c) || lflag(t, ECHOCTL)) {
		for (unsigned i = is_control(c) ? 2 : 1; i; i--)
			tty_write(t, "\b \b", 3);
	}
}

/* Erase a character, a word (alphanumerics, after anything else) or the
 * whole edited line, as n_tty's eraser() does. */
static void erase(struct tty *t, int kind)
{
	if (t->len == t->committed)
		return;
	if (kind == ERASE && !lflag(t, ECHOE)) {
		t->len--;
		echo_char(t, (char)t->termios.cc[VERASE]);
		return;
	}
	if (kind == KILL && (!lflag(t, ECHO) || !lflag(t, ECHOK) || !lflag(t, ECHOKE) ||
			     !lflag(t, ECHOE))) {
		t->len = t->committed;
		echo_char(t, (char)t->termios.cc[VKILL]);
		if (lflag(t, ECHOK))
			echo_char(t, '\n');
		return;
	}
	for (bool seen_word = false; t->len > t->committed;) {
		char c = t->buf[t->len - 1];
		bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || c == '_';
		if (kind == WERASE && !word && seen_word)
			break;
		seen_word |= word;
		t->len--;
		if (lflag(t, ECHO))
			rub_out(t, c);
		if (kind == ERASE)
			break;
	}
}

/* The stop key holds program output (a second one changes nothing). */
static void stop_output(struct tty *t)
{
	if (t->stopped)
		return;
	t->stopped = true;
	control(t, TIOCPKT_STOP);
}

/* Output held by the stop key goes on. */
static void restart_output(struct tty *t)
{
	if (!t->stopped)
		return;
	t->stopped = false;
	control(t, TIOCPKT_START);
	tty_resume_writer(t);
	poll_recheck();
}

/* IXON: the stop and start keys are taken, not read (n_tty's
 * n_tty_receive_char_flow_ctrl). */
static bool flow_char(struct tty *t, char c)
{
	if (is_cc(t, VSTOP, c))
		stop_output(t);
	else if (is_cc(t, VSTART, c))
		restart_output(t);
	else
		return false;
	return true;
}

/* ^C, ^\ and ^Z: the input goes (unless NOFLSH), the foreground group is
 * signalled. */
static bool signal_char(struct tty *t, char c)
{
	static const struct { unsigned cc; int sig; } keys[] = {
		{ VINTR, L_SIGINT }, { VQUIT, L_SIGQUIT }, { VSUSP, L_SIGTSTP } };

	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!is_cc(t, keys[i].cc, c))
			continue;
		if (!lflag(t, NOFLSH))
			flush_input(t);
		if (iflag(t, IXON))
			restart_output(t);
		echo_char(t, c);
		if (t->foreground > 0)
			vfs_raise(-t->foreground, keys[i].sig, 0);
		return true;
	}
	return false;
}

/* Canonical mode's special characters; true if c was one. */
static bool canonical_char(struct tty *t, char c)
{
	bool extended = lflag(t, IEXTEN);

	if (is_cc(t, VERASE, c))
		erase(t, ERASE);
	else if (is_cc(t, VKILL, c))
		erase(t, KILL);
	else if (extended && is_cc(t, VWERASE, c))
		erase(t, WERASE);
	else if (extended && is_cc(t, VLNEXT, c)) {
		t->lnext = true;            /* shown as "^", the cursor on it */
		if (lflag(t, ECHO) && lflag(t, ECHOCTL))
			tty_write(t, "^\b", 2);
	} else if (is_cc(t, VEOF, c))
		push(t, c, MARK_EOF);       /* not echoed, not read */
	else if (c == '\n' || is_cc(t, VEOL, c) || (extended && is_cc(t, VEOL2, c))) {
		if (lflag(t, ECHO))
			echo_char(t, c);
		else if (c == '\n' && lflag(t, ECHONL))
			tty_write(t, &c, 1);
		push(t, c, MARK_EOL);
	} else
		return false;
	return true;
}

/* With IXANY any key but the stop key and the signal keys (which always
 * do) lets held output go on. */
static void any_key(struct tty *t)
{
	if (iflag(t, IXANY))
		restart_output(t);
}

/* An ordinary character: echoed and stored. */
static void store_char(struct tty *t, char c)
{
	/* keep room for the line end that finishes a full line */
	if (t->len >= TTY_BUF_BYTES - (lflag(t, ICANON) ? 1 : 0))
		return;
	if (t->len == t->committed)
		t->canon_column = t->column;
	echo_char(t, c);
	push(t, c, MARK_NONE);
}

static void input_char(struct tty *t, char c)
{
	if (iflag(t, ISTRIP))
		c &= 0x7f;
	if (t->lnext) {
		t->lnext = false;
		any_key(t);
		store_char(t, c);
		return;
	}
	if (iflag(t, IXON) && flow_char(t, c))
		return;
	if (c == '\r') {
		if (iflag(t, IGNCR))
			return;
		if (iflag(t, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(t, INLCR)) {
		c = '\r';
	}
	if (lflag(t, ISIG) && signal_char(t, c))
		return;
	any_key(t);
	if (lflag(t, ICANON) && canonical_char(t, c))
		return;
	store_char(t, c);
}

/* --- readers ------------------------------------------------------------- */

/* The bytes a non-canonical read of want waits for: VMIN (at most want);
 * with VMIN 0, one if VTIME bounds the wait, else none. */
static unsigned raw_minimum(const struct tty *t, uint64_t want)
{
	unsigned vmin = t->termios.cc[VMIN];

	if (vmin)
		return (unsigned)MIN(vmin, want);
	return t->termios.cc[VTIME] ? 1 : 0;
}

/* What a read of want bytes gets now, given at least least bytes in
 * non-canonical mode: bytes to copy and to consume, or false if it must
 * wait. */
static bool readable(const struct tty *t, uint64_t want, unsigned least, unsigned *copy,
		     unsigned *consume)
{
	if (lflag(t, ICANON)) {
		unsigned end = 0;
		while (end < t->committed && !t->mark[end])
			end++;
		if (end == t->committed)
			return false;
		unsigned line = t->mark[end] == MARK_EOF ? end : end + 1;
		*copy = (unsigned)MIN(want, line);
		*consume = want < line ? *copy : end + 1;
		return true;
	}
	if (t->len < least)
		return false;
	*copy = *consume = (unsigned)MIN(t->len, want);
	return true;
}

/* FIONREAD: what reads would get; in canonical mode the finished lines
 * without their end-of-file marks, as Linux counts them. */
static int input_count(const struct tty *t)
{
	int n = 0;

	if (!lflag(t, ICANON))
		return (int)t->len;
	for (unsigned i = 0; i < t->committed; i++)
		n += t->mark[i] != MARK_EOF;
	return n;
}

/* VTIME's timer for a read starting now (0: none). With VMIN 0 it bounds
 * the wait for a first byte; with VMIN > 0 it runs between bytes, so only
 * once some are there. */
static uint64_t read_deadline(const struct tty *t)
{
	unsigned vtime = t->termios.cc[VTIME];

	if (lflag(t, ICANON) || !vtime || (t->termios.cc[VMIN] && !t->len))
		return 0;
	return ts_clock() + vtime * VTIME_NS;
}

static void consume(struct tty *t, unsigned n)
{
	memmove(t->buf, t->buf + n, t->len - n);
	memmove(t->mark, t->mark + n, t->len - n);
	t->len -= n;
	t->committed = t->committed > n ? t->committed - n : 0;
}

static void drop_reader(struct tty *t, unsigned i)
{
	memmove(t->readers + i, t->readers + i + 1, (--t->nreaders - i) * sizeof t->readers[0]);
}

/* A blocked write is done: the bytes it wrote, or err if none. */
static void finish_writer(struct tty *t, struct waiter *w, long err)
{
	waiter_answer(&t->writing, w, w->done ? (long)w->done : err);
}

/* Answer r if what it gets now is there (at least least bytes in
 * non-canonical mode); false if it must wait. */
static bool answer_reader(struct tty *t, const struct tty_reader *r, unsigned least)
{
	unsigned copy, take;

	if (!readable(t, r->len, least, &copy, &take))
		return false;
	struct ts_msg m = ts_msg_make(copy);
	m.reply = r->reply;
	if (copy && ts_grant_copy(r->reply, r->addr, t->buf, copy, TS_COPY_TO_CALLER) < 0)
		m.label = (uint64_t)-EFAULT;
	else
		consume(t, take);
	ts_reply(&m);
	return true;
}

static void serve_readers(struct tty *t)
{
	while (t->nreaders &&
	       answer_reader(t, &t->readers[0], raw_minimum(t, t->readers[0].len)))
		drop_reader(t, 0);
}

/* New input restarts the inter-byte timers (VMIN > 0) of the readers
 * still waiting. */
static void restart_timers(struct tty *t)
{
	uint64_t at = t->nreaders && t->termios.cc[VMIN] ? read_deadline(t) : 0;

	for (unsigned i = 0; at && i < t->nreaders; i++)
		t->readers[i].deadline = at;
}

void tty_input(struct tty *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		input_char(t, s[i]);
	serve_readers(t);
	restart_timers(t);
	poll_recheck();
}

/* Reader i's VTIME has passed: it gets what there is, even nothing (a
 * terminal made canonical meanwhile keeps it waiting for a line). */
static bool expire_reader(struct tty *t, unsigned i, uint64_t now)
{
	struct tty_reader *r = &t->readers[i];

	if (!r->deadline || r->deadline > now)
		return false;
	r->deadline = 0;
	return answer_reader(t, r, 0);
}

void tty_expire(void)
{
	uint64_t now = ts_clock();

	for (struct tty *t = ttys; t; t = t->next) {
		for (unsigned i = 0; i < t->nreaders;) {
			if (expire_reader(t, i, now))
				drop_reader(t, i);
			else
				i++;
		}
	}
}

uint64_t tty_next_deadline(void)
{
	uint64_t next = 0;

	for (const struct tty *t = ttys; t; t = t->next) {
		for (unsigned i = 0; i < t->nreaders; i++) {
			uint64_t d = t->readers[i].deadline;
			if (d && (!next || d < next))
				next = d;
		}
	}
	return next;
}

void tty_cancel(uint64_t who)
{
	for (struct tty *t = ttys; t; t = t->next) {
		for (unsigned i = 0; i < t->nreaders;) {
			if (!vfs_caller_is(t->readers[i].caller, who)) {
				i++;
				continue;
			}
			struct ts_msg m = ts_msg_make((uint64_t)-ERESTARTSYS);
			m.reply = t->readers[i].reply;
			ts_reply(&m);
			drop_reader(t, i);
		}
		struct waiter *w;
		while ((w = waiter_of(t->writing, who)))
			finish_writer(t, w, -ERESTARTSYS);
		tty_resume_writer(t);       /* the next may go on */
	}
}

void tty_hangup(struct tty *t)
{
	t->hungup = true;
	while (t->writing)
		finish_writer(t, t->writing, -EIO);
	while (t->nreaders) {
		struct ts_msg m = ts_msg_make(0);
		m.reply = t->readers[0].reply;
		ts_reply(&m);
		drop_reader(t, 0);
	}
	if (t->foreground > 0)
		vfs_raise(-t->foreground, L_SIGHUP, 0);
	poll_recheck();
}

/* The controlling process of a terminal ended: its foreground group is
 * hung up and the terminal is free for the next session, as on Linux. */
void tty_exit(int pid)
{
	for (struct tty *t = ttys; t; t = t->next) {
		if (t->session != pid)
			continue;
		if (t->foreground > 0)
			vfs_raise(-t->foreground, L_SIGHUP, 0);
		t->session = t->foreground = 0;
	}
}

/* --- job control --------------------------------------------------------- */

struct job {
	int pgid, sid;
	uint64_t flags;             /* PM_JOB_* */
};

/* The process manager's info thread answers, never calling the VFS, so
 * this call cannot deadlock with the manager's calls to the VFS. */
static bool ask_job(int pid, int tid, int sig, struct job *j)
{
	int32_t pgid, sid;
	uint32_t flags;

	/* a process group id is positive: anything else is no answer (it is
	 * negated to name the group) */
	if (pm_job_info_call(pm_info(), pid, tid, sig, &pgid, &sid, &flags) || pgid <= 0)
		return false;
	*j = (struct job){ pgid, sid, flags };
	return true;
}

/* Linux's __tty_check_change: the caller, if t is its controlling
 * terminal and it is in a background group of t's session, gets sig sent
 * to its group (-ERESTARTSYS: the call restarts after SIGCONT), unless it
 * ignores or blocks sig (then SIGTTIN fails with EIO, SIGTTOU lets the
 * call go on) or its group is orphaned and would never be continued (EIO).
 * A controlling terminal the VFS kept across setsid() has another session,
 * so it does not count. */
static long job_control(struct tty *t, const struct ts_msg *m, int sig)
{
	int pid = (int)m->badge;
	struct fdtable *ft = fdtable_find(pid);
	struct job j;

	if (!ft || ft->ctty != t || t->foreground <= 0 ||
	    !ask_job(pid, (int)(m->badge >> 32), sig, &j) || j.sid != t->session ||
	    j.pgid == t->foreground)
		return 0;
	if (j.flags & PM_JOB_SIG_IGNORED)
		return sig == L_SIGTTIN ? -EIO : 0;
	if (j.flags & PM_JOB_ORPHANED)
		return -EIO;
	vfs_raise(-j.pgid, sig, m->badge);
	return -ERESTARTSYS;
}

/* --- file operations ----------------------------------------------------- */

static long tty_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct tty *t = f->tty;
	struct tty_reader r = { m->reply, addr, len, m->badge, 0 };
	long err = job_control(t, m, L_SIGTTIN);

	if (err)
		return err;
	if (!len || t->hungup)
		return 0;
	/* not waiting: any byte will do, and with VMIN and VTIME 0 nothing
	 * is an answer too (Linux's n_tty_read) */
	if (file_nonblock(f))
		return answer_reader(t, &r, MIN(raw_minimum(t, len), 1u)) ? TS_NO_REPLY : -EAGAIN;
	if (t->nreaders == TTY_MAX_READERS)
		return -EAGAIN;
	r.deadline = read_deadline(t);
	t->readers[t->nreaders++] = r;
	serve_readers(t);
	return TS_NO_REPLY;
}

/* How many of n output bytes go out now: the backend must have room
 * (each byte may become two, with ONLCR) and the stop key not hold it. */
static uint64_t fits(struct tty *t, uint64_t n)
{
	return t->stopped ? 0 : t->room ? MIN(n, t->room(t) / 2) : n;
}

/* Copy output from the caller while it fits. */
static long write_some(struct tty *t, const struct ts_msg *m, uint64_t addr, uint64_t len,
		       uint64_t *done)
{
	char buf[512];

	while (*done < len) {
		uint64_t n = fits(t, MIN(len - *done, sizeof buf));
		if (!n)
			return 0;
		if (from_caller(m, addr + *done, buf, n))
			return -EFAULT;
		tty_write(t, buf, n);
		*done += n;
	}
	return 0;
}

/* Whether m's caller may write to t now: not after a hangup, nor from a
 * background job with TOSTOP (SIGTTOU). */
static long may_write(struct tty *t, const struct ts_msg *m)
{
	if (t->hungup)
		return -EIO;
	return lflag(t, TOSTOP) ? job_control(t, m, L_SIGTTOU) : 0;
}

/* A blocking write returns when all its bytes are out, as on Linux; it
 * waits behind those waiting already (Linux holds the terminal's write
 * lock while it sleeps), so their bytes are never interleaved. */
static long tty_file_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	struct tty *t = f->tty;
	uint64_t done = 0;
	long err = may_write(t, m);

	if (err)
		return err;
	if (!t->writing || file_nonblock(f))
		err = write_some(t, m, addr, len, &done);
	if (err || done == len || file_nonblock(f))
		return done ? (long)done : err ? err : -EAGAIN;
	struct waiter *w = waiter_add(&t->writing, m);
	if (!w)
		return done ? (long)done : -ENOMEM;
	w->addr = addr;
	w->len = len;
	w->done = done;
	return TS_NO_REPLY;
}

/* sendfile to a terminal: what fits now goes out (nothing: EAGAIN, where
 * Linux would wait for ^Q or a reader of the pty master) */
static long tty_write_local(struct file *f, const struct ts_msg *m, const void *buf,
			    uint64_t len)
{
	struct tty *t = f->tty;
	long err = may_write(t, m);

	if (err)
		return err;
	uint64_t n = fits(t, len);
	if (n)
		tty_write(t, buf, n);
	return n ? (long)n : -EAGAIN;
}

void tty_resume_writer(struct tty *t)
{
	struct waiter *w;

	while ((w = t->writing)) {
		struct ts_msg m = { .reply = w->reply };
		long err = write_some(t, &m, w->addr, w->len, &w->done);
		if (!err && w->done < w->len)
			return;
		finish_writer(t, w, err);
	}
}

/* Everything typed stays readable across a change of mode: a line being
 * edited when the terminal turns raw, and bytes typed raw when it turns
 * canonical, which become a line of their own, beyond erasing (Linux
 * pushes them). */
static void switch_mode(struct tty *t, bool canonical)
{
	t->committed = t->len;
	if (canonical && t->len && !t->mark[t->len - 1])
		t->mark[t->len - 1] = MARK_EOL;
}

static long set_termios(struct tty *t, const struct ts_msg *m, uint64_t arg, bool flush)
{
	struct linux_termios new;

	if (from_caller(m, arg, &new, sizeof new))
		return -EFAULT;
	if (flush)
		flush_input(t);
	if ((new.lflag ^ t->termios.lflag) & ICANON)
		switch_mode(t, new.lflag & ICANON);
	t->termios = new;
	if (!iflag(t, IXON))
		restart_output(t);      /* nothing could start it again */
	serve_readers(t);
	poll_recheck();             /* what was typed may be readable now */
	return 0;
}

static long set_winsize(struct tty *t, const struct ts_msg *m, uint64_t arg)
{
	struct linux_winsize ws;

	if (from_caller(m, arg, &ws, sizeof ws))
		return -EFAULT;
	bool changed = memcmp(&ws, &t->winsize, sizeof ws);
	t->winsize = ws;
	if (changed && t->foreground > 0)
		vfs_raise(-t->foreground, L_SIGWINCH, 0);
	return 0;
}

/* TIOCSCTTY: the caller (a session leader) takes t as its controlling
 * terminal; another session's terminal only when forced (arg 1: we are
 * all root). */
static long set_controlling(struct tty *t, const struct ts_msg *m, uint64_t arg)
{
	int pid = (int)m->badge;
	struct fdtable *ft = fdtable_find(pid);

	if (t->session && t->session != pid && arg != 1)
		return -EPERM;
	t->session = t->foreground = pid;
	if (ft)
		ft->ctty = t;
	return 0;
}

/* The requests that change the terminal, which a background process may
 * not make (Linux's tty_check_change callers). */
static bool changes_terminal(uint64_t cmd)
{
	return cmd == L_TCSETS || cmd == L_TCSETSW || cmd == L_TCSETSF || cmd == L_TCFLSH ||
	       cmd == L_TCSBRK || cmd == L_TIOCSPGRP;
}

long tty_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	struct tty *t = f->tty;
	long err = changes_terminal(cmd) ? job_control(t, m, L_SIGTTOU) : 0;

	if (err)        /* Linux's tiocspgrp says ENOTTY for an orphaned group */
		return err == -EIO && cmd == L_TIOCSPGRP ? -ENOTTY : err;
	switch (cmd) {
	case L_TCGETS:
		return to_caller(m, arg, &t->termios, sizeof t->termios);
	case L_TCSETS: case L_TCSETSW:  /* output is never queued: drained */
		return set_termios(t, m, arg, false);
	case L_TCSETSF:
		return set_termios(t, m, arg, true);
	case L_TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			flush_input(t);
		if (arg != TCIFLUSH)        /* output is never queued: only news */
			control(t, TIOCPKT_FLUSHWRITE);
		return 0;
	case L_TCSBRK:                  /* tcdrain; a break (arg 0) is not sent */
		return arg ? 0 : -EINVAL;
	case L_FIONREAD: {
		int n = input_count(t);
		return to_caller(m, arg, &n, sizeof n);
	}
	case L_TIOCGWINSZ:
		return to_caller(m, arg, &t->winsize, sizeof t->winsize);
	case L_TIOCSWINSZ:
		return set_winsize(t, m, arg);
	case L_TIOCGPGRP:
		return to_caller(m, arg, &t->foreground, sizeof t->foreground);
	case L_TIOCSPGRP: {
		int pgrp;
		if (from_caller(m, arg, &pgrp, sizeof pgrp))
			return -EFAULT;
		if (pgrp <= 0)
			return -EINVAL;
		t->foreground = pgrp;
		return 0;
	}
	case L_TIOCSCTTY:
		return set_controlling(t, m, arg);
	case L_TIOCNOTTY: {
		struct fdtable *ft = fdtable_find((int)m->badge);
		if (!ft || ft->ctty != t)
			return -ENOTTY;
		ft->ctty = NULL;
		return 0;
	}
	case L_TIOCGSID:
		return t->session ? to_caller(m, arg, &t->session, sizeof t->session) : -ENOTTY;
	default:
		return -ENOTTY;
	}
}

static void tty_stat(struct file *f, struct linux_stat *st)
{
	st->st_mode = L_S_IFCHR | 0620;
	st->st_rdev = f->tty->rdev;
	st->st_blksize = 1024;
}

/* Raw mode: VMIN bytes, or one if VMIN is 0 or VTIME is set (Linux's
 * n_tty_poll) */
static short tty_poll(struct file *f)
{
	struct tty *t = f->tty;
	unsigned copy, take, least = t->termios.cc[VTIME] ? 1 : MAX(t->termios.cc[VMIN], 1u);
	bool in = lflag(t, ICANON) ? readable(t, ~0ull, 0, &copy, &take) : t->len >= least;

	if (t->hungup)
		return L_POLLIN | L_POLLOUT | L_POLLERR | L_POLLHUP;
	bool out = !t->stopped && (!t->room || t->room(t) >= 2);

	return (out ? L_POLLOUT : 0) | (in ? L_POLLIN : 0);
}

static void tty_release(struct file *f)
{
	struct tty *t = f->tty;

	free(f);
	if (!--t->opens && t->closed)
		t->closed(t);
}

static const struct file_ops tty_ops = {
	.read = tty_read, .write = tty_file_write, .ioctl = tty_ioctl,
	.stat = tty_stat, .poll = tty_poll, .release = tty_release,
	.write_local = tty_write_local,
};

struct file *tty_open(struct tty *t)
{
	struct file *f = t ? file_alloc() : NULL;

	if (f) {
		*f = (struct file){ .ops = &tty_ops, .flags = L_O_RDWR, .tty = t };
		t->opens++;
	}
	return f;
}

/* Linux's tty_open_proc_set_tty: a session leader without a controlling
 * terminal gets t if no session has it. */
void tty_opened(struct file *f, int pid)
{
	struct tty *t = f->tty;
	struct fdtable *ft = fdtable_find(pid);
	struct job j;

	if (f->ops != &tty_ops || t->session || !ft || !ask_job(pid, pid, 0, &j) ||
	    j.sid != pid || (ft->ctty && ft->ctty->session == pid))
		return;
	t->session = pid;
	t->foreground = j.pgid;
	ft->ctty = t;
}

struct file *tty_open_controlling(int pid, long *err)
{
	struct fdtable *ft = fdtable_find(pid);

	(void)err;
	return ft ? tty_open(ft->ctty) : NULL;
}
