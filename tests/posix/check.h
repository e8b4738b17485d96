/* Conformance-test helpers: each check prints one deterministic line, so
 * that the output on Linux and on Tessera can be compared byte for byte. */
#ifndef POSIX_CHECK_H
#define POSIX_CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

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

#endif
