/* A child killed by a fault is reported to its parent's wait as killed by
 * the signal Linux sends for it. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static volatile int zero;

static int child_status(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void null_write(void) { *(volatile int *)(long)zero = 1; }
static void divide(void) { zero = 10 / zero; }
static void clean_exit(void) { _exit(7); }

int main(void)
{
	int st = child_status(null_write);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = child_status(divide);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE);
	st = child_status(clean_exit);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);
	return done();
}
