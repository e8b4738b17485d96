/* writev into a pipe that fills up between two vector elements (musl's
 * stdio writes its buffer and the new data so): the reader gets every byte
 * once, in order, however the writer's counts come. The first writev finds
 * room for its first element only; later sizes vary, so that the pipe
 * fills at other points of the vector too. */
#include <time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define TOTAL (256 << 10)
#define PREFILL (65536 - 1000)  /* the first writev's first element fits */

static unsigned char pattern(long offset) { return (unsigned char)(offset * 7 % 251); }
static long min(long a, long b) { return a < b ? a : b; }

/* a late and slow reader (as sed is), so that the pipe is full when
 * writes come */
static void reader(int fd)
{
	unsigned char buf[1024];
	long got = 0, bad = 0, n;

	nanosleep(&(struct timespec){ .tv_nsec = 200000000 }, NULL);
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (volatile int spin = 0; spin < 20000; spin++)
			;
		for (long i = 0; i < n; i++)
			bad += buf[i] != pattern(got + i);
		got += n;
	}
	printf("reader: %ld bytes, %s\n", got, bad ? "NOT in order" : "in order");
	fflush(stdout);
	_exit(got != TOTAL || bad);
}

/* writev as musl's stdio does: after a short count, on from where it left */
static int write_all(int fd, unsigned char *data, long len)
{
	int calls = 0;

	for (long done = 0; done < len; calls++) {
		long first = min(1000 + calls % 37, len - done);
		long second = min(5 + calls % 11, len - done - first);
		struct iovec iov[2] = { { data + done, first }, { data + done + first, second } };
		ssize_t n = writev(fd, iov, 2);
		if (n <= 0)
			return -1;
		done += n;
	}
	return calls;
}

int main(void)
{
	static unsigned char data[TOTAL];
	int fd[2], status;

	for (long i = 0; i < TOTAL; i++)
		data[i] = pattern(i);
	CHECK(pipe(fd) == 0);
	CHECK(write(fd[1], data, PREFILL) == PREFILL);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[1]);
		reader(fd[0]);
	}
	close(fd[0]);
	int calls = write_all(fd[1], data + PREFILL, TOTAL - PREFILL);
	close(fd[1]);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(calls > 0);
	return done();
}
