/* Conformance-test helpers: each check prints one deterministic line, so
 * that the output on Linux and on Tessera can be compared byte for byte. */
#ifndef POSIX_CHECK_H
#define POSIX_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)                                                       \
	do {                                                              \
		if (cond) {                                               \
			printf("ok   %s\n", #cond);                           \
		} else {                                                  \
			printf("FAIL %s (errno %d)\n", #cond, errno);         \
			failures++;                                       \
		}                                                         \
		fflush(stdout);                                           \
	} while (0)

/* a syscall that must fail with a given errno */
#define CHECK_ERR(call, err) CHECK((call) == -1 && errno == (err))

static inline int done(void)
{
	printf("%s\n", failures ? "some checks failed" : "all checks passed");
	fflush(stdout);         /* a child may leave with _exit */
	return failures != 0;
}

/* the wait status of a child that runs fn (and exits 0 if fn returns) */
static inline int fork_status(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

#endif
