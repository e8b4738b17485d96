/* Many callers waiting at once, each in its own process: in poll, in a
 * pipe read and in nanosleep, more of each than a small table of the
 * system's would hold; and poll over more descriptors than a handful. */
#define _GNU_SOURCE
#include <poll.h>
#include <time.h>
#include "check.h"

#define WAITERS 40
#define PIPES 100

/* A child waits in poll on p's read end (or reads it): it exits 0 if it
 * got the byte */
static pid_t waiter(int p[2], int use_poll)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		struct pollfd fd = { p[0], POLLIN, 0 };
		close(p[1]);
		if (use_poll)
			_exit(poll(&fd, 1, -1) == 1 && fd.revents == POLLIN ? 0 : 1);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	return pid;
}

static int wait_in(int use_poll)
{
	int p[WAITERS][2], bad = 0, status;
	pid_t pids[WAITERS];

	for (int i = 0; i < WAITERS; i++) {
		if (pipe(p[i]) < 0)
			return -1;
		pids[i] = waiter(p[i], use_poll);
	}
	for (int i = 0; i < WAITERS; i++)
		bad += wait_asleep(pids[i]) != 0;
	for (int i = 0; i < WAITERS; i++) {
		bad += write(p[i][1], "x", 1) != 1;
		bad += waitpid(pids[i], &status, 0) != pids[i] || status != 0;
		close(p[i][0]), close(p[i][1]);
	}
	return bad;
}

static int sleepers(void)
{
	pid_t pids[WAITERS];
	int bad = 0, status;

	for (int i = 0; i < WAITERS; i++) {
		if ((pids[i] = fork()) == 0) {
			struct timespec ts = { 0, 300 * 1000000 };
			_exit(nanosleep(&ts, NULL) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < WAITERS; i++)
		bad += waitpid(pids[i], &status, 0) != pids[i] || status != 0;
	return bad;
}

static int many_fds(void)
{
	static struct pollfd fds[PIPES];
	int p[2], ready;

	for (int i = 0; i < PIPES; i++) {
		if (pipe(p) < 0)
			return -1;
		fds[i] = (struct pollfd){ p[0], POLLIN, 0 };
		if (i == 57 && write(p[1], "x", 1) != 1)
			return -1;
	}
	ready = poll(fds, PIPES, 0);
	return ready == 1 && fds[57].revents == POLLIN && !fds[56].revents ? 0 : -1;
}

int main(void)
{
	CHECK(wait_in(1) == 0);
	CHECK(wait_in(0) == 0);
	CHECK(sleepers() == 0);
	CHECK(many_fds() == 0);
	return done();
}
