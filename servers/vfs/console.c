/*
 * The console: a 16550 serial port as a terminal with a line discipline
 * that follows the termios flags programs set: canonical mode (a line is
 * delivered on newline or ^D, with erase and kill) or raw (every byte at
 * once), echo or not, CR to NL on input, NL to CRNL on output; with ISIG
 * the interrupt, quit and suspend keys signal the foreground process group.
 * Readers wait with their reply handle kept until there is input.
 */
#include "vfs.h"

#define LINE_MAX_BYTES 256
#define MAX_READERS 8

static uint16_t port;
static int irq_slot = -1;
static char line[LINE_MAX_BYTES];
static unsigned line_len;
static bool line_ready;

struct reader {
	uint64_t reply, addr, len;
	int pid;
};
static struct reader readers[MAX_READERS];
static unsigned nreaders;

static struct linux_winsize winsize = { 25, 80, 0, 0 };
/* job control: the foreground process group (the first program, pid 1,
 * leads the first session and group) */
static int foreground = 1, session = 1;

/* The kernel's struct termios (TCGETS): four flag words, the line
 * discipline, 19 control characters. Kept as the program sets it; the line
 * discipline above is always canonical with echo for now. */
static struct {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
} termios = {
	.iflag = 0x0500,                /* ICRNL IXON */
	.oflag = 0x0005,                /* OPOST ONLCR */
	.cflag = 0x00bf,                /* B38400 CS8 CREAD HUPCL */
	.lflag = 0x8a3b,                /* ISIG ICANON ECHO ECHOE ECHOK IEXTEN ECHOCTL ECHOKE */
	.cc = { 3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22 },
};
_Static_assert(sizeof termios == 36, "struct termios (kernel) layout");

#define ICRNL  0x100    /* iflag */
#define ONLCR  0x004    /* oflag */
#define ISIG   0x001    /* lflag */
#define ICANON 0x002
#define ECHO   0x008
#define ECHOCTL 0x200
#define VINTR  0        /* cc[] */
#define VQUIT  1
#define VSUSP  10
#define VERASE 2        /* cc[] */
#define VKILL  3
#define VEOF   4

static inline void outb(uint16_t p, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(p)); }
static inline uint8_t inb(uint16_t p) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(p)); return v; }

static void put(char c)
{
	while (!(inb(port + 5) & 0x20))
		;
	outb(port, (uint8_t)c);
}

static void put_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' && termios.oflag & ONLCR)
			put('\r');
		put(s[i]);
	}
}

static bool eof_pending;        /* ^D on an empty line: the next read gets 0 */

static void serve_readers(void)
{
	while (eof_pending && !line_len && nreaders) {
		struct ts_msg m = ts_msg_make(0);
		m.reply = readers[0].reply;
		ts_reply(&m);
		eof_pending = false;
		memmove(readers, readers + 1, --nreaders * sizeof readers[0]);
	}
	while (line_ready && nreaders) {
		struct reader r = readers[0];
		unsigned n = MIN(line_len, r.len);
		struct ts_msg m = ts_msg_make(n);
		m.reply = r.reply;
		if (ts_grant_copy(r.reply, r.addr, line, n, TS_COPY_TO_CALLER) < 0)
			m.label = (uint64_t)-EFAULT;
		ts_reply(&m);
		memmove(line, line + n, line_len - n);
		line_len -= n;
		line_ready = line_len > 0;
		memmove(readers, readers + 1, --nreaders * sizeof readers[0]);
	}
}

static void echo(char c)
{
	if (termios.lflag & ECHO)
		put_bytes(&c, 1);
}

/* Take back the last character of an unfinished line. */
static bool rubout(void)
{
	if (!line_len || line_ready)
		return false;
	line_len--;
	if (termios.lflag & ECHO)
		put_bytes("\b \b", 3);
	return true;
}

/* Canonical editing: erase a character or the line; ^D ends input. */
static bool edit_char(char c)
{
	if (c == (char)termios.cc[VERASE] || c == '\b') {
		rubout();
		return true;
	}
	if (c == (char)termios.cc[VKILL]) {
		while (rubout())
			;
		return true;
	}
	if (c == (char)termios.cc[VEOF]) {
		if (line_len)
			line_ready = true;
		else
			eof_pending = true;
		return true;
	}
	return false;
}

/* ^C, ^\ and ^Z: the pending input goes, the foreground group is signalled */
static bool signal_char(char c)
{
	static const struct { unsigned cc; int sig; } keys[] = {
		{ VINTR, L_SIGINT }, { VQUIT, L_SIGQUIT }, { VSUSP, L_SIGTSTP } };

	for (unsigned i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!termios.cc[keys[i].cc] || c != (char)termios.cc[keys[i].cc])
			continue;
		line_len = 0;
		line_ready = eof_pending = false;
		if ((termios.lflag & (ECHO | ECHOCTL)) == (ECHO | ECHOCTL))
			put_bytes((char[]){ '^', (char)(c + '@') }, 2);
		vfs_raise(-foreground, keys[i].sig);
		return true;
	}
	return false;
}

static void input_char(char c)
{
	bool canonical = termios.lflag & ICANON;

	if (termios.lflag & ISIG && signal_char(c))
		return;
	if (c == '\r' && termios.iflag & ICRNL)
		c = '\n';
	if (canonical && edit_char(c))
		return;
	if (line_len == LINE_MAX_BYTES || (canonical && line_ready))
		return;
	line[line_len++] = c;
	echo(c);
	if (!canonical || c == '\n')
		line_ready = true;
}

void console_interrupt(void)
{
	while (inb(port + 5) & 0x01)
		input_char((char)inb(port));
	ts_irq_ack(irq_slot);
	serve_readers();
	poll_recheck();
}

void console_init(uint16_t base, int ioport_slot, int irq, uint32_t ep)
{
	enum { IRQ_BIT = 0 };

	ts_ioport_enable(ioport_slot);
	port = base;
	irq_slot = irq;
	if (irq >= 0 && ts_irq_bind(irq, ep, IRQ_BIT) == 0)
		outb(port + 1, 0x01);       /* interrupt on received data */
}

static long console_read(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	if (!len)
		return 0;
	if (file_nonblock(f) && !line_ready && !eof_pending)
		return -EAGAIN;
	if (nreaders == MAX_READERS)
		return -EAGAIN;
	readers[nreaders++] = (struct reader){ m->reply, addr, len, (int)m->badge };
	serve_readers();
	return TS_NO_REPLY;
}

void console_cancel(int pid)
{
	for (unsigned i = 0; i < nreaders;) {
		if (readers[i].pid != pid) {
			i++;
			continue;
		}
		struct ts_msg m = ts_msg_make((uint64_t)-ERESTARTSYS);
		m.reply = readers[i].reply;
		ts_reply(&m);
		memmove(readers + i, readers + i + 1, (--nreaders - i) * sizeof readers[0]);
	}
}

static long console_write(struct file *f, const struct ts_msg *m, uint64_t addr, uint64_t len)
{
	char buf[512];
	uint64_t done = 0;

	(void)f;
	while (done < len) {
		uint64_t n = MIN(len - done, sizeof buf);
		if (from_caller(m, addr + done, buf, n))
			return done ? (long)done : -EFAULT;
		put_bytes(buf, n);
		done += n;
	}
	return (long)done;
}

static long console_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg)
{
	(void)f;
	switch (cmd) {
	case L_TIOCGWINSZ:
		return to_caller(m, arg, &winsize, sizeof winsize);
	case L_TIOCSWINSZ:
		return from_caller(m, arg, &winsize, sizeof winsize);
	case L_TCGETS:
		return to_caller(m, arg, &termios, sizeof termios);
	case L_TCSETS: case L_TCSETSW: case L_TCSETSF:
		return from_caller(m, arg, &termios, sizeof termios);
	case L_TIOCGPGRP:
		return to_caller(m, arg, &foreground, sizeof foreground);
	case L_TIOCSPGRP: {
		int pgrp;
		if (from_caller(m, arg, &pgrp, sizeof pgrp))
			return -EFAULT;
		if (pgrp <= 0)
			return -EINVAL;
		foreground = pgrp;
		return 0;
	}
	case L_TIOCSCTTY:
		/* the caller leads a new session: its pid is the session's and
		 * its group's id */
		session = foreground = (int)m->badge;
		return 0;
	case L_TIOCGSID:
		return to_caller(m, arg, &session, sizeof session);
	default:
		return -ENOTTY;
	}
}

static void console_stat(struct file *f, struct linux_stat *st)
{
	(void)f;
	st->st_mode = L_S_IFCHR | 0620;
	st->st_rdev = (5 << 8) | 1;     /* /dev/console */
	st->st_blksize = 1024;
}

static short console_poll(struct file *f)
{
	(void)f;
	return L_POLLOUT | (line_ready || eof_pending ? L_POLLIN : 0);
}

static const struct file_ops console_ops = {
	.read = console_read, .write = console_write, .ioctl = console_ioctl,
	.stat = console_stat, .poll = console_poll, .release = file_free,
};

struct file *console_open(void)
{
	struct file *f = file_alloc();

	if (f)
		*f = (struct file){ .ops = &console_ops, .flags = L_O_RDWR };
	return f;
}
