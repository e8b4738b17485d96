/* Pseudo-terminals and the line discipline: the posix_openpt/grantpt/
 * unlockpt/ptsname setup, canonical editing and its echo as the master
 * sees it, end of file, raw mode, termios and window size through either
 * side, output processing (ONLCR), the interrupt key signalling the
 * foreground group of the slave's session, and hangups: EIO on the master
 * once the slave is gone, end of file on the slave once the master is. */
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
#include <unistd.h>
#include "check.h"

/* Up to want bytes from fd, waiting up to a second for each: a Linux
 * master sees the echo a moment after its write. */
static int gather(int fd, char *buf, int want)
{
	int got = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (got < want && poll(&p, 1, 1000) == 1 && p.revents & POLLIN) {
		int n = (int)read(fd, buf + got, (size_t)(want - got));
		if (n <= 0)
			break;
		got += n;
	}
	return got;
}

/* bytes printed with C escapes, so that the output stays one line */
static void show(const char *what, const char *buf, int n)
{
	printf("%s: %d \"", what, n);
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
	printf("\"\n");
	fflush(stdout);
}

static void type(int master, const char *s)
{
	CHECK(write(master, s, strlen(s)) == (ssize_t)strlen(s));
}

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
	attributes(master, slave);
	output(master, slave);
	bulk(master, slave);
	interrupt(master, slave);
	hangups(master, slave, name);
	return done();
}
