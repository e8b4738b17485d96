#define _GNU_SOURCE
/* The time left of select, pselect6 and ppoll: Linux writes it back into
 * the caller's timeval or timespec, whether something was ready, the time
 * ran out or a signal cut the wait short; musl's pselect and ppoll pass
 * the kernel a copy, so theirs stays as it was. */
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include "check.h"

static int fd[2];

static void on_alarm(int sig)
{
	(void)sig;
}

/* a read set with only the pipe's read end */
static fd_set *readable(fd_set *s)
{
	FD_ZERO(s);
	FD_SET(fd[0], s);
	return s;
}

static void timeval_left(void)
{
	fd_set s;
	struct timeval tv = { 0, 20000 };

	CHECK(select(fd[0] + 1, readable(&s), NULL, NULL, &tv) == 0);
	CHECK(tv.tv_sec == 0 && tv.tv_usec == 0);
	CHECK(write(fd[1], "x", 1) == 1);
	tv = (struct timeval){ 5, 0 };
	CHECK(select(fd[0] + 1, readable(&s), NULL, NULL, &tv) == 1);
	CHECK(tv.tv_sec == 4 && tv.tv_usec >= 500000);
	char c;
	CHECK(read(fd[0], &c, 1) == 1);

	struct itimerval it = { .it_value = { 0, 100000 } };
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	tv = (struct timeval){ 5, 0 };
	CHECK_ERR(select(fd[0] + 1, readable(&s), NULL, NULL, &tv), EINTR);
	CHECK(tv.tv_sec >= 3 && tv.tv_sec <= 4 && tv.tv_usec < 1000000);
	fd_set bad;                 /* an error has the time left written too */
	FD_ZERO(&bad);
	FD_SET(fd[1] + 1, &bad);
	tv = (struct timeval){ 5, 0 };
	CHECK_ERR(select(fd[1] + 2, &bad, NULL, NULL, &tv), EBADF);
	CHECK(tv.tv_sec == 4 && tv.tv_usec >= 500000);
}

/* pselect6 and ppoll write the timespec back; musl's wrappers do not */
static void timespec_left(void)
{
	fd_set s;
	struct pollfd p = { .fd = fd[0], .events = POLLIN };
	struct timespec ts = { 5, 0 };
	long mask[2] = { 0, 8 };    /* no mask: the sigset pointer and its size */

	CHECK(write(fd[1], "x", 1) == 1);
	CHECK(syscall(SYS_pselect6, fd[0] + 1, readable(&s), NULL, NULL, &ts, mask) == 1);
	CHECK(ts.tv_sec == 4 && ts.tv_nsec >= 500000000);
	ts = (struct timespec){ 5, 0 };
	CHECK(syscall(SYS_ppoll, &p, 1, &ts, NULL, 8) == 1);
	CHECK(ts.tv_sec == 4 && ts.tv_nsec >= 500000000);
	ts = (struct timespec){ 5, 0 };
	CHECK(pselect(fd[0] + 1, readable(&s), NULL, NULL, &ts, NULL) == 1);
	CHECK(ts.tv_sec == 5 && ts.tv_nsec == 0);
	CHECK(ppoll(&p, 1, &ts, NULL) == 1);
	CHECK(ts.tv_sec == 5 && ts.tv_nsec == 0);
	ts = (struct timespec){ 0, 20000000 };
	char c;
	CHECK(read(fd[0], &c, 1) == 1);
	CHECK(syscall(SYS_ppoll, &p, 1, &ts, NULL, 8) == 0);
	CHECK(ts.tv_sec == 0 && ts.tv_nsec == 0);
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	CHECK(pipe(fd) == 0);
	timeval_left();
	timespec_left();
	return done();
}
