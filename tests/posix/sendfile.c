/* sendfile into pipes and terminals (BusyBox's cat and cp try it first):
 * a pipe takes what fits as Linux's splice does, waiting only while it is
 * full (O_NONBLOCK: EAGAIN), EPIPE without a reader; the offset pointer or
 * else the file position moves past what was sent; a terminal takes the
 * bytes as a write (the console here, a pty slave). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/time.h>
#include <termios.h>
#include "check.h"

#define FILE_ "/tmp/sendfile-test"
#define BIG (100 << 10)

static char buf[BIG];

/* the test file: "0123456789" then BIG bytes of a pattern */
static int make_file(void)
{
	int fd = open(FILE_, O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (int i = 0; i < BIG; i++)
		buf[i] = (char)(i * 7 + i / 4096);
	if (fd < 0 || write(fd, "0123456789", 10) != 10 || write(fd, buf, BIG) != BIG)
		return -1;
	return fd;
}

static void small(int in)
{
	int p[2];
	char got[16];
	off_t off = 8;

	CHECK(pipe(p) == 0);
	CHECK(lseek(in, 2, SEEK_SET) == 2);
	CHECK(sendfile(p[1], in, NULL, 5) == 5 && lseek(in, 0, SEEK_CUR) == 7);
	CHECK(sendfile(p[1], in, &off, 2) == 2 && off == 10 && lseek(in, 0, SEEK_CUR) == 7);
	CHECK(read(p[0], got, sizeof got) == 7 && memcmp(got, "2345689", 7) == 0);
	off = 10 + BIG;
	CHECK(sendfile(p[1], in, &off, 5) == 0 && off == 10 + BIG);     /* the end */
	CHECK_ERR(sendfile(p[0], in, NULL, 5), EBADF);
	CHECK_ERR(sendfile(p[1], p[0], NULL, 5), EINVAL);
	off = -1;
	CHECK_ERR(sendfile(p[1], in, &off, 5), EINVAL);
	CHECK(close(p[0]) == 0);
	CHECK_ERR(sendfile(p[1], in, NULL, 5), EPIPE);
	CHECK(lseek(in, 0, SEEK_CUR) == 7);
	CHECK(close(p[1]) == 0);
}

/* Read count bytes of p and compare them with the file's from at */
static int drained(int fd, off_t at, int count)
{
	static char got[BIG];
	int n = 0, r;

	while (n < count && (r = read(fd, got + n, count - n)) > 0)
		n += r;
	return n == count && memcmp(got, buf + at - 10, count) == 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A full pipe: O_NONBLOCK says EAGAIN; a blocking sendfile waits until a
 * signal (EINTR) or a reader makes room, then sends what fits. */
static void full(int in)
{
	int p[2];
	off_t off = 4096;           /* Linux's pipe holds 16 pages: whole ones */

	CHECK(pipe(p) == 0);
	CHECK(fcntl(p[1], F_SETFL, O_NONBLOCK) == 0);
	CHECK(sendfile(p[1], in, &off, BIG) == 65536 && off == 4096 + 65536);
	CHECK_ERR(sendfile(p[1], in, &off, BIG), EAGAIN);
	CHECK(fcntl(p[1], F_SETFL, 0) == 0);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 100000 } };
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0 && setitimer(ITIMER_REAL, &it, NULL) == 0);
	CHECK_ERR(sendfile(p[1], in, &off, BIG), EINTR);
	CHECK(off == 4096 + 65536);
	pid_t pid = fork();
	if (pid == 0) {
		char page[4096];
		_exit(wait_asleep(getppid()) || read(p[0], page, sizeof page) != sizeof page);
	}
	CHECK(sendfile(p[1], in, &off, BIG) == 4096 && off == 4096 + 65536 + 4096);
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(drained(p[0], 2 * 4096, 65536));
	CHECK(close(p[0]) == 0 && close(p[1]) == 0);
}

/* Terminals take the bytes as a write: this program's standard output
 * (a file on the host, the console in Tessera), and a pty slave. */
static void terminals(int in)
{
	off_t off = 0;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char got[16];

	fflush(stdout);
	CHECK(pwrite(in, "sent\n", 5, 0) == 5);
	CHECK(sendfile(1, in, &off, 5) == 5 && off == 5);
	CHECK(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	off = 0;
	CHECK(sendfile(slave, in, &off, 5) == 5 && off == 5);
	CHECK(read(master, got, sizeof got) == 6 && memcmp(got, "sent\r\n", 6) == 0);
	CHECK(close(slave) == 0 && close(master) == 0);
}

/* A background job's sendfile to its terminal with TOSTOP: SIGTTOU (a
 * handler without SA_RESTART: EINTR), unless it ignores that signal: its
 * exit status. */
static int background_job(int in, int slave)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	off_t off = 0;

	if (setpgid(0, 0) || sigaction(SIGTTOU, &sa, NULL))
		return 11;
	if (sendfile(slave, in, &off, 5) != -1 || errno != EINTR || off != 0)
		return 12;
	signal(SIGTTOU, SIG_IGN);
	return sendfile(slave, in, &off, 5) == 5 && off == 5 ? 0 : 13;
}

static void tostop(int in)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	char got[16];

	CHECK(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		setsid();
		int slave = open(ptsname(master), O_RDWR);     /* the session's terminal */
		struct termios tio;
		if (tcgetattr(slave, &tio))
			_exit(21);
		tio.c_lflag |= TOSTOP;
		if (tcsetattr(slave, TCSANOW, &tio))
			_exit(22);
		pid_t job = fork();
		if (job == 0)
			_exit(background_job(in, slave));
		int status;
		_exit(waitpid(job, &status, 0) == job && WIFEXITED(status) ? WEXITSTATUS(status) : 20);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status));
	printf("background job: %d\n", WEXITSTATUS(status));
	CHECK(read(master, got, sizeof got) == 6 && memcmp(got, "sent\r\n", 6) == 0);
	CHECK(close(master) == 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	int in = make_file();
	CHECK(in >= 0);
	small(in);
	full(in);
	terminals(in);
	tostop(in);
	CHECK(close(in) == 0 && unlink(FILE_) == 0);
	return done();
}
