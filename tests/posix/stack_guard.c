/* The main stack: deep but bounded recursion works, and a child recursing
 * without end runs into the unmapped guard below its stack and is killed by
 * SIGSEGV instead of writing over other memory. */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define FRAME 16384

static volatile int sink;     /* keeps the recursion's result alive */

/* Touches every page of a 16 KiB frame per level, down to depth 0. */
static int recurse(long depth)
{
	volatile char frame[FRAME];

	for (long i = 0; i < FRAME; i += 4096)
		frame[i] = (char)depth;
	if (depth == 0)
		return frame[0];
	return recurse(depth - 1) + frame[FRAME - 4096];
}

static int child_status(long depth)
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		/* Linux grows the stack up to this limit (Tessera maps 1 MiB) */
		struct rlimit rl;
		getrlimit(RLIMIT_STACK, &rl);
		if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > (8 << 20))
			rl.rlim_cur = 8 << 20;
		setrlimit(RLIMIT_STACK, &rl);
		sink = recurse(depth);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

int main(void)
{
	int st = child_status(512 * 1024 / FRAME);         /* 512 KiB of stack */
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	st = child_status(1L << 30);                       /* far past any stack */
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	return done();
}
