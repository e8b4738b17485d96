/* posix_spawn (musl's: a vfork-style clone onto a stack of its own, which
 * popen and system use too): the child runs this program again (through
 * AT_EXECFN) with its file actions applied; a failed exec is reported to
 * the parent. */
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static int exit_status(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	if (argc > 1) {         /* the spawned child */
		printf("child: %s\n", argv[1]);
		return atoi(argv[1]);
	}
	const char *self = (const char *)getauxval(AT_EXECFN);
	char *args[] = { argv[0], "7", NULL }, *env[] = { NULL };
	pid_t pid;

	/* the child's line comes before ours: it has ended when we print */
	int err = posix_spawn(&pid, self, NULL, NULL, args, env);
	int status = exit_status(pid);
	CHECK(err == 0);
	CHECK(status == 7);

	/* its output into a pipe, through a file action */
	int fd[2];
	char buf[64] = "";
	posix_spawn_file_actions_t fa;
	CHECK(pipe(fd) == 0);
	CHECK(posix_spawn_file_actions_init(&fa) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&fa, fd[1], 1) == 0);
	CHECK(posix_spawn_file_actions_addclose(&fa, fd[0]) == 0);
	args[1] = "3";
	CHECK(posix_spawn(&pid, self, &fa, NULL, args, env) == 0);
	close(fd[1]);
	CHECK(read(fd[0], buf, sizeof buf - 1) == 9 && !strcmp(buf, "child: 3\n"));
	CHECK(exit_status(pid) == 3);
	close(fd[0]);

	/* the exec fails in the child; posix_spawn says why */
	CHECK(posix_spawn(&pid, "/nonexistent", NULL, NULL, args, env) == ENOENT);
	/* a file action fails: fd 99 is not open */
	posix_spawn_file_actions_t bad;
	CHECK(posix_spawn_file_actions_init(&bad) == 0);
	CHECK(posix_spawn_file_actions_adddup2(&bad, 99, 1) == 0);
	CHECK(posix_spawn(&pid, self, &bad, NULL, args, env) == EBADF);
	return done();
}
