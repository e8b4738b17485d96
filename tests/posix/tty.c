/* Pseudo-terminals and the line discipline: the posix_openpt/grantpt/
 * unlockpt/ptsname setup, canonical editing and its echo as the master
 * sees it, end of file, raw mode, termios and window size through either
 * side, output processing (ONLCR), the interrupt key signalling the
 * foreground group of the slave's session, and hangups: EIO on the master
 * once the slave is gone, end of file on the slave once the master is.
 * Non-canonical reads: a paste read one byte at a time with poll(…, 0)
 * between reads (BusyBox vi's loop), VMIN/VTIME (counts, timeouts, the
 * inter-byte timer), O_NONBLOCK, FIONREAD. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "pty.h"

static void canonical(int master, int slave)
{
	char buf[64];
	int n;

	type(master, "ab\x7f" "c\n");
	n = (int)read(slave, buf, sizeof buf);
	show("slave reads", buf, n);
	n = gather(master, buf, 8);
	show("master echo", buf, n);

	type(master, "\x04");
	CHECK(read(slave, buf, sizeof buf) == 0);
	type(master, "one\x15two\n");   /* ^U kills the line */
	n = (int)read(slave, buf, sizeof buf);
	show("after kill", buf, n);
	n = gather(master, buf, 17);
	show("kill echo", buf, n);
}

static void raw(int master, int slave, const struct termios *orig)
{
	struct termios t = *orig;
	char buf[16];

	cfmakeraw(&t);
	CHECK(tcsetattr(slave, TCSANOW, &t) == 0);
	type(master, "q\r");
	show("raw read", buf, gather(slave, buf, 2));
	struct pollfd p = { .fd = master, .events = POLLIN };
	CHECK(poll(&p, 1, 200) == 0);   /* no echo */
	CHECK(tcsetattr(slave, TCSANOW, orig) == 0);
}

/* Raw mode on the slave with the given VMIN and VTIME. */
static void set_raw(int slave, const struct termios *orig, int vmin, int vtime)
{
	struct termios t = *orig;

	cfmakeraw(&t);
	t.c_cc[VMIN] = (cc_t)vmin;
	t.c_cc[VTIME] = (cc_t)vtime;
	CHECK(tcsetattr(slave, TCSANOW, &t) == 0);
}

static int pending(int fd)
{
	int n = -1;

	ioctl(fd, FIONREAD, &n);
	return n;
}

/* Type s on the master and wait until the slave has all of it: a Linux
 * master's write reaches the line discipline a moment later. */
static void paste(int master, int slave, const char *s)
{
	int want = pending(slave) + (int)strlen(s);

	type(master, s);
	for (int i = 0; i < 200 && pending(slave) < want; i++)
		usleep(10000);
}

/* A child types s on the master after ms milliseconds: in one write, or
 * (gap > 0) a byte every gap milliseconds. */
static pid_t paste_later(int master, const char *s, int ms, int gap)
{
	pid_t pid = fork();

	if (pid == 0) {
		size_t n = strlen(s), step = gap ? 1 : n;
		int bad = 0;
		usleep((useconds_t)ms * 1000);
		for (size_t i = 0; i < n; i += step) {
			if (i)
				usleep((useconds_t)gap * 1000);
			bad |= write(master, s + i, step) != (ssize_t)step;
		}
		_exit(bad);
	}
	return pid;
}

/* poll(fd, POLLIN, timeout): its result and revents on one line */
static void show_poll(const char *what, int fd, int timeout)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int r = poll(&p, 1, timeout);

	printf("%s: poll %d revents %#x\n", what, r, p.revents);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* read(fd, …, len): the bytes, and whether it took at least min_ms and
 * less than max_ms */
static void timed_read(const char *what, int fd, int len, long min_ms, long max_ms)
{
	char buf[16];
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	int n = (int)read(fd, buf, (size_t)len);
	long ms = ms_since(&t0);
	show(what, buf, n);
	printf("%s: took %s\n", what, ms < min_ms ? "too little" : ms >= max_ms ? "too long"
									  : "as long as due");
}

/* One byte per read, poll(…, 0) after each: POLLIN while bytes remain. */
static void read_bytewise(int slave, int n)
{
	char c;

	for (int i = 0; i < n; i++) {
		CHECK(read(slave, &c, 1) == 1);
		printf("byte %c, %d left\n", c, pending(slave));
		show_poll("after it", slave, 0);
	}
}

/* BusyBox vi reads a byte at a time (poll, then read 1) and after each
 * command asks poll(…, 0) whether more input waits: a paste of several
 * keys, typed before the read and while it waits. */
static void bytewise(int master, int slave, const struct termios *orig)
{
	set_raw(slave, orig, 1, 0);
	paste(master, slave, "Go:");
	read_bytewise(slave, 3);
	pid_t pid = paste_later(master, "wq", 200, 0);
	show_poll("waiting", slave, -1);
	read_bytewise(slave, 2);
	reap(pid);
	pid = paste_later(master, "xy", 200, 0);
	read_bytewise(slave, 2);        /* the first read waits */
	reap(pid);
	CHECK(tcsetattr(slave, TCSANOW, orig) == 0);
}

/* VMIN 0, VTIME 0: what is there, at once, even nothing; VMIN 2: poll
 * waits for two bytes, a non-blocking read takes one. */
static void counts(int master, int slave, const struct termios *orig)
{
	char buf[8];

	set_raw(slave, orig, 0, 0);
	show("nothing typed", buf, (int)read(slave, buf, sizeof buf));
	paste(master, slave, "abc");
	show("two of three", buf, (int)read(slave, buf, 2));
	show("the rest", buf, (int)read(slave, buf, sizeof buf));
	int fl = fcntl(slave, F_GETFL);
	fcntl(slave, F_SETFL, fl | O_NONBLOCK);
	show("non-blocking, nothing typed", buf, (int)read(slave, buf, sizeof buf));

	set_raw(slave, orig, 2, 0);
	paste(master, slave, "d");
	show_poll("VMIN 2, one byte", slave, 0);
	show("VMIN 2, non-blocking", buf, (int)read(slave, buf, sizeof buf));
	CHECK_ERR(read(slave, buf, sizeof buf), EAGAIN);
	fcntl(slave, F_SETFL, fl);
	paste(master, slave, "ef");
	show_poll("VMIN 2, two bytes", slave, 0);
	show("VMIN 2, read 1", buf, (int)read(slave, buf, 1));
	printf("FIONREAD %d\n", pending(slave));
	CHECK(tcsetattr(slave, TCSAFLUSH, orig) == 0);
}

/* VMIN 0, VTIME > 0: a read waits that long for a first byte, or returns
 * 0. VMIN > 0, VTIME > 0: no timer before the first byte, then VTIME
 * from each byte to the next; poll is ready with one byte. */
static void timeouts(int master, int slave, const struct termios *orig)
{
	set_raw(slave, orig, 0, 3);
	timed_read("VTIME 3, nothing typed", slave, 8, 250, 3000);
	paste(master, slave, "ab");
	timed_read("VTIME 3, typed before", slave, 8, 0, 250);
	set_raw(slave, orig, 0, 30);
	pid_t pid = paste_later(master, "c", 100, 0);
	timed_read("VTIME 30, typed during", slave, 8, 50, 2500);
	reap(pid);

	set_raw(slave, orig, 3, 3);
	paste(master, slave, "de");
	show_poll("VMIN 3 VTIME 3, two bytes", slave, 0);
	timed_read("VMIN 3 VTIME 3, two bytes", slave, 8, 250, 3000);
	pid = paste_later(master, "f", 500, 0);
	timed_read("VMIN 3 VTIME 3, one byte late", slave, 8, 700, 4000);
	reap(pid);
	set_raw(slave, orig, 4, 5);     /* each byte restarts the timer */
	pid = paste_later(master, "ghij", 100, 250);
	timed_read("VMIN 4 VTIME 5, a byte every 250 ms", slave, 8, 800, 5000);
	reap(pid);
	CHECK(tcsetattr(slave, TCSAFLUSH, orig) == 0);
}

/* Bytes typed in raw mode stay readable when the terminal turns
 * canonical again: a line of their own, beyond erasing. */
static void raw_leftover(int master, int slave, const struct termios *orig)
{
	char buf[8];

	set_raw(slave, orig, 1, 0);
	paste(master, slave, "xy");
	CHECK(tcsetattr(slave, TCSANOW, orig) == 0);
	printf("FIONREAD %d\n", pending(slave));
	show_poll("canonical again", slave, 0);
	type(master, "z\x7f");
	show("leftover", buf, (int)read(slave, buf, sizeof buf));
	show("echo", buf, gather(master, buf, 4));
	show_poll("after the erase", slave, 0);
}

/* FIONREAD in canonical mode: the bytes of finished lines, without an
 * end-of-file mark. */
static void canonical_count(int master, int slave)
{
	char buf[16];

	type(master, "ab\n\x04" "cd");
	show("echo", buf, gather(master, buf, 6));
	printf("FIONREAD %d\n", pending(slave));
	show("line", buf, (int)read(slave, buf, sizeof buf));
	CHECK(read(slave, buf, sizeof buf) == 0);
	printf("FIONREAD %d\n", pending(slave));
	type(master, "\n");
	show("last line", buf, (int)read(slave, buf, sizeof buf));
	show("echo", buf, gather(master, buf, 2));
}

static void attributes(int master, int slave)
{
	struct termios a, b;
	struct winsize ws = { .ws_row = 33, .ws_col = 101 }, got = { 0 };

	CHECK(tcgetattr(slave, &a) == 0);
	a.c_cc[VERASE] = '#';
	a.c_lflag &= ~ECHOK;
	CHECK(tcsetattr(slave, TCSANOW, &a) == 0);
	CHECK(tcgetattr(master, &b) == 0);      /* the master sees the same */
	CHECK(b.c_cc[VERASE] == '#' && !(b.c_lflag & ECHOK));
	a.c_cc[VERASE] = 0x7f;
	a.c_lflag |= ECHOK;
	CHECK(tcsetattr(slave, TCSANOW, &a) == 0);

	CHECK(ioctl(slave, TIOCGWINSZ, &got) == 0 && got.ws_row == 0 && got.ws_col == 0);
	CHECK(ioctl(master, TIOCSWINSZ, &ws) == 0);
	CHECK(ioctl(slave, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 101);
}

static short revents(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

	poll(&p, 1, 0);
	return p.revents;
}

static void output(int master, int slave)
{
	char buf[16];
	int n = 0;

	printf("master idle: revents %#x\n", revents(master));
	CHECK(write(slave, "x\n", 2) == 2);
	struct pollfd p = { .fd = master, .events = POLLIN };
	CHECK(poll(&p, 1, 1000) == 1 && ioctl(master, FIONREAD, &n) == 0 && n == 3);
	show("master reads", buf, gather(master, buf, 3));
}

/* The slave closing: the master reads what is left, then EIO; the slave
 * opens again. The master closing: the slave is hung up. */
static void hangups(int master, int slave, const char *name)
{
	char buf[8];

	CHECK(write(slave, "z", 1) == 1);
	CHECK(close(slave) == 0);
	printf("slave closed, data left: revents %#x\n", revents(master));
	CHECK(gather(master, buf, 1) == 1 && buf[0] == 'z');
	printf("slave closed: revents %#x\n", revents(master));
	CHECK_ERR(read(master, buf, sizeof buf), EIO);

	slave = open(name, O_RDWR | O_NOCTTY);
	CHECK(slave >= 0);
	printf("slave again: revents %#x\n", revents(master));
	CHECK(close(master) == 0);
	printf("master closed: slave revents %#x\n", revents(slave));
	CHECK(read(slave, buf, sizeof buf) == 0);
	CHECK_ERR(write(slave, "a", 1), EIO);
	CHECK(close(slave) == 0);
}

/* More output than the master's buffer holds: the writer waits for the
 * master to read, nothing is lost. */
static void bulk(int master, int slave)
{
	enum { TOTAL = 20000 };
	static char buf[TOTAL];
	int status, got = 0, bad = 0;

	pid_t pid = fork();
	if (pid == 0) {
		memset(buf, 'a', sizeof buf);
		_exit(write(slave, buf, sizeof buf) != sizeof buf);
	}
	got = gather(master, buf, TOTAL);
	for (int i = 0; i < got; i++)
		bad += buf[i] != 'a';
	printf("bulk: %d bytes, %d wrong\n", got, bad);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A child in its own session with the slave as its controlling terminal
 * and itself in the foreground: ^C on the master ends it with SIGINT. */
static void interrupt(int master, int slave)
{
	int ready[2], status;
	char c, buf[16];

	CHECK(pipe(ready) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 ||
		    tcsetpgrp(slave, getpid()) < 0)
			_exit(1);
		write(ready[1], "r", 1);
		for (;;)
			pause();
	}
	CHECK(read(ready[0], &c, 1) == 1);
	type(master, "\x03");
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
	show("interrupt echo", buf, gather(master, buf, 2));
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	struct termios orig;
	struct stat st;
	char buf[8];

	int master = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(master >= 0);
	CHECK(grantpt(master) == 0);
	char *name = ptsname(master);
	CHECK(name && strncmp(name, "/dev/pts/", 9) == 0);
	CHECK_ERR(open(name, O_RDWR | O_NOCTTY), EIO);  /* still locked */
	CHECK(unlockpt(master) == 0);
	int slave = open(name, O_RDWR | O_NOCTTY);
	CHECK(slave >= 0);
	CHECK(fstat(slave, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 136);
	CHECK(isatty(master) && isatty(slave));
	CHECK(tcgetattr(slave, &orig) == 0);
	CHECK(orig.c_lflag & ICANON && orig.c_lflag & ECHO && orig.c_oflag & ONLCR);

	int fl = fcntl(master, F_GETFL);
	fcntl(master, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(read(master, buf, sizeof buf), EAGAIN);
	fcntl(master, F_SETFL, fl);

	canonical(master, slave);
	raw(master, slave, &orig);
	bytewise(master, slave, &orig);
	counts(master, slave, &orig);
	timeouts(master, slave, &orig);
	raw_leftover(master, slave, &orig);
	canonical_count(master, slave);
	attributes(master, slave);
	output(master, slave);
	bulk(master, slave);
	interrupt(master, slave);
	hangups(master, slave, name);
	return done();
}
