/* Terminal job control and flow control over a pseudo-terminal: a session
 * leader that opens the slave without O_NOCTTY gets it as its controlling
 * terminal (with O_NOCTTY not); a background process group of that
 * session that reads is stopped by SIGTTIN (EIO if it ignores or blocks
 * SIGTTIN or its group is orphaned), one that writes with TOSTOP or
 * changes the terminal by SIGTTOU (ignored: the write goes on); ^S holds
 * output (writes wait, O_NONBLOCK ones say EAGAIN, no POLLOUT) until ^Q;
 * ^V makes the next key literal, so ^V^C is read, not a SIGINT. */
#define _XOPEN_SOURCE 700
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include "pty.h"

static char name[64];

/* In a child: a new session whose controlling terminal the slave becomes
 * by being opened. */
static int new_session(void)
{
	if (setsid() < 0)
		_exit(90);
	int tty = open(name, O_RDWR);
	if (tty < 0)
		_exit(91);
	return tty;
}

static void acquire(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		CHECK(setsid() == getpid());
		int fd = open(name, O_RDWR | O_NOCTTY);
		CHECK(fd >= 0);
		CHECK_ERR(tcgetsid(fd), ENOTTY);
		close(fd);
		fd = open(name, O_RDWR);
		CHECK(tcgetsid(fd) == getpid());
		CHECK(tcgetpgrp(fd) == getpgrp());
		CHECK(ttyname(fd) && strcmp(ttyname(fd), name) == 0);
		int tty = open("/dev/tty", O_RDWR);
		CHECK(tty >= 0 && isatty(tty));
		_exit(0);
	}
	reap(pid);
}

static int bg_read(int tty)
{
	char c;
	return read(tty, &c, 1) < 0 ? errno : 0;
}

static int bg_read_ignoring(int tty)
{
	signal(SIGTTIN, SIG_IGN);
	return bg_read(tty);
}

static int bg_read_blocking(int tty)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTTIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	return bg_read(tty);
}

/* A group whose members' parents are all outside the session (the
 * job's first process exits, its child goes to init) is orphaned. */
static int bg_read_orphaned(int tty)
{
	pid_t parent = getpid();

	if (fork() == 0) {
		while (getppid() == parent)
			usleep(10000);
		printf("orphaned read: %s\n", bg_read(tty) == EIO ? "EIO" : "not EIO");
		fflush(stdout);
		_exit(0);
	}
	return 0;
}

static int bg_write(int tty)
{
	return write(tty, "hi\n", 3) == 3 ? 0 : errno;
}

static int bg_write_ignoring(int tty)
{
	signal(SIGTTOU, SIG_IGN);
	return bg_write(tty);
}

static int bg_tcsetattr(int tty)
{
	struct termios t;

	if (tcgetattr(tty, &t) < 0)
		return errno;
	return tcsetattr(tty, TCSANOW, &t) < 0 ? errno : 0;
}

static int bg_tcsetpgrp(int tty)
{
	return tcsetpgrp(tty, getpgrp()) < 0 ? errno : 0;
}

/* Run job in a background process group of a new session that has the
 * slave as its controlling terminal (TOSTOP as asked); say how it ended
 * once all its processes have. */
static void in_background(const char *what, int (*job)(int tty), bool tostop)
{
	pid_t session = fork();

	if (session == 0) {
		int tty = new_session(), status, ended[2];
		struct termios t;
		char c;
		tcgetattr(tty, &t);
		t.c_lflag = tostop ? t.c_lflag | TOSTOP : t.c_lflag & ~(tcflag_t)TOSTOP;
		tcsetattr(tty, TCSANOW, &t);
		if (pipe(ended) < 0)
			_exit(92);
		pid_t pid = fork();
		if (pid == 0) {
			close(ended[0]);
			setpgid(0, 0);
			_exit(job(tty));
		}
		close(ended[1]);
		setpgid(pid, pid);
		waitpid(pid, &status, WUNTRACED);
		if (WIFSTOPPED(status)) {
			printf("%s: stopped by signal %d\n", what, WSTOPSIG(status));
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
		} else {
			/* the job's other processes too: the session must last */
			while (read(ended[0], &c, 1) > 0)
				;
			printf("%s: %s\n", what, WEXITSTATUS(status) ? strerror(WEXITSTATUS(status)) : "done");
		}
		fflush(stdout);
		_exit(0);
	}
	reap(session);
}

/* ^S holds the slave's output: a write waits, a non-blocking one says
 * EAGAIN, poll shows no POLLOUT; ^Q lets it go on. */
static void flow(int master, int slave)
{
	char buf[16];
	struct pollfd p = { .fd = slave, .events = POLLOUT };

	type(master, "\x13");
	usleep(200000);             /* Linux's line discipline takes it a moment later */
	pid_t pid = fork();
	if (pid == 0)
		_exit(write(slave, "out\n", 4) != 4);
	usleep(300000);
	CHECK(waitpid(pid, NULL, WNOHANG) == 0);
	CHECK(poll(&p, 1, 0) == 0);
	int fl = fcntl(slave, F_GETFL);
	fcntl(slave, F_SETFL, fl | O_NONBLOCK);
	CHECK_ERR(write(slave, "x", 1), EAGAIN);
	fcntl(slave, F_SETFL, fl);
	show("held output", buf, gather(master, buf, 1) ? 1 : 0);
	type(master, "\x11");
	reap(pid);
	show("after start", buf, gather(master, buf, 5));
	CHECK(poll(&p, 1, 0) == 1 && p.revents & POLLOUT);
}

/* ^V^C in canonical mode is read as a byte, and echoed as "^\b^C", while
 * the reader (the foreground group) keeps its default SIGINT. */
static void literal(int master)
{
	int ready[2];
	char c, buf[32];

	CHECK(pipe(ready) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int tty = new_session();
		signal(SIGINT, SIG_DFL);
		write(ready[1], "r", 1);
		int n = (int)read(tty, buf, sizeof buf);
		show("literal read", buf, n);
		_exit(0);
	}
	CHECK(read(ready[0], &c, 1) == 1);
	ssize_t typed = write(master, "x\x16\x03y\n", 5);   /* said after the reader's line */
	reap(pid);
	CHECK(typed == 5);
	show("literal echo", buf, gather(master, buf, 8));
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	char buf[16];

	signal(SIGHUP, SIG_IGN);    /* the sessions' ends hang their groups up */
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
	CHECK(ptsname(master) != NULL);
	strncpy(name, ptsname(master), sizeof name - 1);
	int slave = open(name, O_RDWR | O_NOCTTY);
	CHECK(slave >= 0);

	acquire();
	in_background("background read", bg_read, false);
	in_background("background read ignoring SIGTTIN", bg_read_ignoring, false);
	in_background("background read blocking SIGTTIN", bg_read_blocking, false);
	in_background("background read, orphaned", bg_read_orphaned, false);
	in_background("background write", bg_write, false);
	show("written", buf, gather(master, buf, 4));
	in_background("background write, TOSTOP", bg_write, true);
	in_background("background write, TOSTOP, ignoring SIGTTOU", bg_write_ignoring, true);
	show("written", buf, gather(master, buf, 4));
	in_background("background tcsetattr", bg_tcsetattr, false);
	in_background("background tcsetpgrp", bg_tcsetpgrp, false);
	flow(master, slave);
	literal(master);
	return done();
}
