/* Pipes: data through a pipe within a process and across fork, EOF when
 * the writers are gone, EPIPE when the readers are, large transfers; and
 * several processes waiting on one pipe: readers served in arrival order,
 * writes of up to PIPE_BUF bytes never interleaved, every waiting writer
 * told EPIPE, a signal cutting short one reader's wait only; FIONREAD. */
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* A child that says "ready" on sync just before its next call, run
 * once that call waits: its pid */
static pid_t waiting_child(int sync[2], int (*body)(void *), void *arg)
{
	pid_t pid = fork();
	char c;

	if (pid == 0) {
		close(sync[0]);
		_exit(body(arg));
	}
	if (pid < 0 || read(sync[0], &c, 1) != 1 || wait_asleep(pid))
		return -1;
	return pid;
}

/* The exit status of pid, or -1 */
static int exit_of(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct reader {
	int fd[2], sync[2];
};

/* Read once (after saying ready): the count read, 100 for EINTR */
static int read_once(void *arg)
{
	struct reader *r = arg;
	char buf[64];

	close(r->fd[1]);
	if (write(r->sync[1], "r", 1) != 1)
		return 99;
	ssize_t n = read(r->fd[0], buf, sizeof buf);
	return n < 0 ? (errno == EINTR ? 100 : 99) : (int)n;
}

/* Four readers wait: two writes go to the two oldest, EOF to the others. */
static void waiting_readers(void)
{
	struct reader r;
	pid_t kid[4];

	CHECK(pipe(r.fd) == 0 && pipe(r.sync) == 0);
	for (int i = 0; i < 4; i++)
		kid[i] = waiting_child(r.sync, read_once, &r);
	CHECK(kid[0] > 0 && kid[1] > 0 && kid[2] > 0 && kid[3] > 0);
	CHECK(write(r.fd[1], "0123456789", 10) == 10 && exit_of(kid[0]) == 10);
	CHECK(write(r.fd[1], "abc", 3) == 3 && exit_of(kid[1]) == 3);
	CHECK(close(r.fd[1]) == 0);
	CHECK(exit_of(kid[2]) == 0 && exit_of(kid[3]) == 0);
	close(r.fd[0]);
	close(r.sync[0]);
	close(r.sync[1]);
}

static void on_usr1(int sig)
{
	(void)sig;
}

static int read_interruptible(void *arg)
{
	struct sigaction sa = { .sa_handler = on_usr1 };    /* no SA_RESTART */

	sigaction(SIGUSR1, &sa, NULL);
	return read_once(arg);
}

/* A signal ends one reader's wait (EINTR); the other still gets the data. */
static void reader_interrupted(void)
{
	struct reader r;

	CHECK(pipe(r.fd) == 0 && pipe(r.sync) == 0);
	pid_t a = waiting_child(r.sync, read_interruptible, &r);
	pid_t b = waiting_child(r.sync, read_interruptible, &r);
	CHECK(a > 0 && b > 0);
	CHECK(kill(a, SIGUSR1) == 0 && exit_of(a) == 100);
	CHECK(write(r.fd[1], "hello", 5) == 5 && exit_of(b) == 5);
	close(r.fd[0]);
	close(r.fd[1]);
	close(r.sync[0]);
	close(r.sync[1]);
}

#define WRITERS 4
#define WRITES 8
#define TOTAL (WRITERS * WRITES * 4096)

/* Writers of PIPE_BUF bytes at a time fill the pipe and wait; what the
 * reader gets is whole writes, one after another. */
static void atomic_writers(void)
{
	static char block[4096], got[TOTAL + 1000];
	int fd[2];
	pid_t kid[WRITERS];
	size_t total = 0;
	ssize_t n;

	CHECK(pipe(fd) == 0);
	for (int i = 0; i < WRITERS; i++) {
		if ((kid[i] = fork()) == 0) {
			close(fd[0]);
			memset(block, 'a' + i, sizeof block);
			for (int k = 0; k < WRITES; k++)
				if (write(fd[1], block, sizeof block) != sizeof block)
					_exit(1);
			_exit(0);
		}
	}
	close(fd[1]);
	usleep(300000);                     /* let them fill the pipe and wait */
	/* odd-sized reads, so that reads and writes do not line up */
	while (total < TOTAL && (n = read(fd[0], got + total, 1000)) > 0)
		total += n;
	int whole = 1, counts[WRITERS] = { 0 };
	for (size_t at = 0; at < total; at += sizeof block) {
		for (size_t k = 1; k < sizeof block && at + k < total; k++)
			whole &= got[at + k] == got[at];
		if (got[at] >= 'a' && got[at] < 'a' + WRITERS)
			counts[got[at] - 'a']++;
	}
	CHECK(total == TOTAL && whole);
	CHECK(counts[0] == WRITES && counts[1] == WRITES && counts[2] == WRITES &&
	      counts[3] == WRITES);
	for (int i = 0; i < WRITERS; i++)
		CHECK(exit_of(kid[i]) == 0);
	close(fd[0]);
}

static volatile sig_atomic_t sigpipes;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipes++;
}

/* Write to a full pipe (after saying ready): 0 if EPIPE and SIGPIPE came */
static int write_full(void *arg)
{
	struct reader *r = arg;

	close(r->fd[0]);
	signal(SIGPIPE, on_sigpipe);
	if (write(r->sync[1], "w", 1) != 1)
		return 99;
	ssize_t n = write(r->fd[1], "lost", 4);
	return n == -1 && errno == EPIPE && sigpipes == 1 ? 0 : 1;
}

/* Writers wait on a full pipe; its reader goes: each gets EPIPE and SIGPIPE. */
static void writers_lose_reader(void)
{
	static char block[4096];
	struct reader r;

	CHECK(pipe(r.fd) == 0 && pipe(r.sync) == 0);
	CHECK(fcntl(r.fd[1], F_SETFL, O_NONBLOCK) == 0);
	while (write(r.fd[1], block, sizeof block) == sizeof block)
		;
	CHECK(errno == EAGAIN && fcntl(r.fd[1], F_SETFL, 0) == 0);
	pid_t a = waiting_child(r.sync, write_full, &r);
	pid_t b = waiting_child(r.sync, write_full, &r);
	CHECK(a > 0 && b > 0);
	CHECK(close(r.fd[0]) == 0);
	CHECK(exit_of(a) == 0 && exit_of(b) == 0);
	close(r.fd[1]);
	close(r.sync[0]);
	close(r.sync[1]);
}

int main(void)
{
	int fd[2];
	char buf[64];

	/* SIGPIPE would end the process at the EPIPE check: ignore it */
	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fd) == 0);
	int queued = -1;
	CHECK(ioctl(fd[0], FIONREAD, &queued) == 0 && queued == 0);
	CHECK(write(fd[1], "hello", 5) == 5);
	CHECK(ioctl(fd[0], FIONREAD, &queued) == 0 && queued == 5);
	CHECK(ioctl(fd[1], FIONREAD, &queued) == 0 && queued == 5);     /* either end */
	CHECK_ERR(ioctl(fd[0], TIOCGPGRP, &queued), ENOTTY);
	CHECK(read(fd[0], buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(close(fd[1]) == 0);
	CHECK(read(fd[0], buf, sizeof buf) == 0);            /* EOF */
	CHECK(close(fd[0]) == 0);

	CHECK(pipe(fd) == 0);
	CHECK(close(fd[0]) == 0);
	CHECK_ERR(write(fd[1], "x", 1), EPIPE);
	close(fd[1]);

	/* a child writes 256 KiB; the parent reads it all */
	static char big[256 << 10];
	CHECK(pipe(fd) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		for (size_t i = 0; i < sizeof big; i++)
			big[i] = (char)(i * 7);
		_exit(write(fd[1], big, sizeof big) == sizeof big ? 0 : 1);
	}
	close(fd[1]);
	size_t got = 0;
	int good = 1;
	ssize_t n;
	while ((n = read(fd[0], buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			good &= buf[i] == (char)((got + i) * 7);
		got += n;
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(got == sizeof big && good);
	CHECK(close(fd[0]) == 0);

	waiting_readers();
	reader_interrupted();
	atomic_writers();
	writers_lose_reader();
	return done();
}
