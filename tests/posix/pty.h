/* Helpers of the pseudo-terminal tests (tty, jobctl): what the master
 * sees, printed one line each; typing; reaping a child that must succeed. */
#ifndef POSIX_PTY_H
#define POSIX_PTY_H

#include <poll.h>
#include "check.h"

/* Up to want bytes from fd, waiting up to a second for each: a Linux
 * master sees the echo a moment after its write. */
static inline int gather(int fd, char *buf, int want)
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
static inline void show(const char *what, const char *buf, int n)
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

static inline void type(int master, const char *s)
{
	CHECK(write(master, s, strlen(s)) == (ssize_t)strlen(s));
}

static inline void reap(pid_t pid)
{
	int status;

	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

#endif
