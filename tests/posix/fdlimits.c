/* Open files and pipes are limited per process (RLIMIT_NOFILE), not by a
 * table of the system's: a process that opens files, or makes pipes,
 * until EMFILE leaves others free to open files and make pipes; all of it
 * comes back at its exit. As root and as uid 1000. */
#define _GNU_SOURCE
#include <grp.h>
#include <sys/resource.h>
#include "check.h"

/* Make descriptors until it fails: how many, and the errno it failed with */
static int fill(int pipes, int *err)
{
	int n = 0, fds[2];

	for (;;) {
		int r = pipes ? pipe(fds) : open("/dev/null", O_RDONLY);
		if (r < 0)
			break;
		n += pipes ? 2 : 1;
	}
	*err = errno;
	return n;
}

/* A child fills its table and holds it while the caller tries */
static pid_t hog(int pipes, int ready[2], int go[2])
{
	pid_t pid = fork();
	char c = 0;

	if (pid == 0) {
		int err, n = fill(pipes, &err);
		printf("%s: %d descriptors, then %s\n", pipes ? "pipes" : "files", n,
		       err == EMFILE ? "EMFILE" : strerror(err));
		fflush(stdout);
		write(ready[1], &c, 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	read(ready[0], &c, 1);
	return pid;
}

static void others_go_on(int pipes)
{
	int ready[2], go[2], fds[2], fd, status;

	CHECK(pipe(ready) == 0 && pipe(go) == 0);
	pid_t pid = hog(pipes, ready, go);
	CHECK((fd = open("/dev/null", O_RDONLY)) >= 0 && close(fd) == 0);
	CHECK(pipe(fds) == 0 && close(fds[0]) == 0 && close(fds[1]) == 0);
	CHECK(write(go[1], "", 1) == 1 && waitpid(pid, &status, 0) == pid && status == 0);
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

static void run(void)
{
	struct rlimit lim = { 1024, 1024 };     /* Tessera's, whatever the host's */
	int err, status;

	for (int i = 3; i < 1024; i++)          /* what the host's runner left open */
		close(i);
	CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
	others_go_on(0);
	others_go_on(1);
	/* what the hogs held is back: a child fills as many again */
	pid_t pid = fork();
	if (pid == 0) {
		printf("again: %d descriptors\n", fill(0, &err));
		fflush(stdout);
		_exit(err != EMFILE);
	}
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
}

int main(void)
{
	CHECK(as_root_and_user(run) == 0);
	return done();
}
