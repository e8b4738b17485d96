/* /proc lists every process, however many there are: up to 300 children
 * at once (more than the 256 one answer of the process manager holds) are
 * all in it, with their status, and none once they are gone; as root and
 * as uid 1000. */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <stdlib.h>
#include "check.h"

#define CHILDREN 300

/* The pid directories of /proc whose status names this parent */
static int children_listed(pid_t parent)
{
	char line[32];

	snprintf(line, sizeof line, "\nPPid:\t%d\n", (int)parent);
	return procs_listed(line);
}

static void run(void)
{
	int hold[2], n = 0, status;
	char c;

	CHECK(pipe(hold) == 0);
	while (n < CHILDREN) {
		pid_t pid = fork();
		if (pid < 0)
			break;
		if (pid == 0) {
			close(hold[1]);
			read(hold[0], &c, 1);
			_exit(0);
		}
		n++;
	}
	printf("uid %d forked %d, /proc lists %d\n", (int)getuid(), n,
	       children_listed(getpid()));
	fflush(stdout);
	close(hold[1]);
	while (n > 0 && wait(&status) > 0)
		n--;
	CHECK(n == 0);
	CHECK(children_listed(getpid()) == 0);
	close(hold[0]);
}

int main(void)
{
	CHECK(as_root_and_user(run) == 0);
	return done();
}
