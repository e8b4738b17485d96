/* A pty master's controls: TIOCSIG signals the slave's foreground group
 * (SIGINT, SIGQUIT, SIGTSTP only), TIOCGPTPEER opens the slave from the
 * master, TIOCPKT puts a status byte before each read (TIOCPKT_DATA, or
 * news of the slave's flushes and of ^S/^Q alone, before the data); and
 * several writers held by ^S going on in their order. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include "pty.h"

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

static int open_master(void)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	CHECK(master >= 0 && grantpt(master) == 0);
	return master;
}

static void peer(void)
{
	int master = open_master(), n = -1;

	CHECK_ERR(ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY), EIO);   /* locked */
	CHECK(unlockpt(master) == 0);
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	CHECK(slave >= 0 && isatty(slave) && fcntl(slave, F_GETFD) == FD_CLOEXEC);
	struct stat a, b;
	CHECK(fstat(slave, &a) == 0 && stat(ptsname(master), &b) == 0 && a.st_rdev == b.st_rdev);
	CHECK(write(slave, "hi\n", 3) == 3);
	char buf[16];
	show("master", buf, gather(master, buf, 4));
	CHECK(ioctl(slave, TIOCSIG, SIGINT) == -1 && errno == ENOTTY);
	CHECK(ioctl(slave, TIOCGPKT, &n) == -1 && errno == ENOTTY);
	CHECK(close(slave) == 0 && close(master) == 0);
}

/* a child in its own session with the slave as its terminal, waiting
 * for signals: it reports each one it gets on the slave */
static void signals(void)
{
	int master = open_master();
	CHECK(unlockpt(master) == 0);
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_signal };
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGQUIT, &sa, NULL);
		sigaction(SIGTSTP, &sa, NULL);
		setsid();
		int slave = open(ptsname(master), O_RDWR);
		close(master);
		write(slave, "ready\n", 6);
		for (int i = 0; i < 3; i++) {
			while (!got)
				pause();
			dprintf(slave, "sig %d\n", got);
			got = 0;
		}
		_exit(0);
	}
	char buf[64];
	show("child", buf, gather(master, buf, 7));
	CHECK_ERR(ioctl(master, TIOCSIG, SIGKILL), EINVAL);
	CHECK_ERR(ioctl(master, TIOCSIG, 0), EINVAL);
	int sigs[] = { SIGINT, SIGQUIT, SIGTSTP };
	for (int i = 0; i < 3; i++) {
		CHECK(ioctl(master, TIOCSIG, sigs[i]) == 0);
		show("child", buf, gather(master, buf, 8));
	}
	reap(pid);
	CHECK(close(master) == 0);
}

static void packets(void)
{
	int master = open_master(), on = 1, n = -1;
	char buf[64];

	CHECK(unlockpt(master) == 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	CHECK(ioctl(master, TIOCGPKT, &n) == 0 && n == 0);
	CHECK(ioctl(master, TIOCPKT, &on) == 0);
	CHECK(ioctl(master, TIOCGPKT, &n) == 0 && n == 1);
	CHECK(write(slave, "abc", 3) == 3);
	show("data", buf, gather(master, buf, 4));
	CHECK(tcflush(slave, TCIFLUSH) == 0);
	show("flushread", buf, gather(master, buf, 1));
	CHECK(tcflush(slave, TCOFLUSH) == 0);
	show("flushwrite", buf, gather(master, buf, 1));
	CHECK(tcflush(slave, TCIOFLUSH) == 0);
	show("flushboth", buf, gather(master, buf, 1));
	type(master, "\023");
	show("stop", buf, gather(master, buf, 1));
	type(master, "\023\021");
	show("stop start", buf, gather(master, buf, 1));
	struct pollfd p = { .fd = master, .events = POLLIN | POLLPRI };
	CHECK(poll(&p, 1, 0) == 0);
	on = 0;
	CHECK(ioctl(master, TIOCPKT, &on) == 0);
	CHECK(write(slave, "plain", 5) == 5);
	show("unpacked", buf, gather(master, buf, 5));
	CHECK(close(slave) == 0 && close(master) == 0);
}

/* a child that writes line to the slave once the one before waits */
static pid_t writer(int slave, const char *line)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(write(slave, line, strlen(line)) != (ssize_t)strlen(line));
	CHECK(pid > 0 && wait_asleep(pid) == 0);
	return pid;
}

/* Output held by ^S: several writers wait, and go on in their order. */
static void writers(void)
{
	int master = open_master();
	char buf[64];

	CHECK(unlockpt(master) == 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY), on = 1;
	/* packet mode tells when Linux has taken the ^S (it does so later) */
	CHECK(ioctl(master, TIOCPKT, &on) == 0);
	type(master, "\023");
	show("stopped", buf, gather(master, buf, 1));
	on = 0;
	CHECK(ioctl(master, TIOCPKT, &on) == 0);
	pid_t one = writer(slave, "first line\n"), two = writer(slave, "second\n");
	pid_t three = writer(slave, "third\n");
	type(master, "\021");
	show("written", buf, gather(master, buf, 27));
	reap(one);
	reap(two);
	reap(three);
	CHECK(close(slave) == 0 && close(master) == 0);
}

int main(void)
{
	peer();
	signals();
	packets();
	writers();
	return done();
}
