/* Pipes: data through a pipe within a process and across fork, EOF when
 * the writers are gone, EPIPE when the readers are, large transfers. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

int main(void)
{
	int fd[2];
	char buf[64];

	/* SIGPIPE would end the process at the EPIPE check: ignore it */
	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fd) == 0);
	CHECK(write(fd[1], "hello", 5) == 5);
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
	return done();
}
