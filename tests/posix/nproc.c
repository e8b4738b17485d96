/* RLIMIT_NPROC bounds a user's processes, not a table of the system's:
 * uid 1000 with a limit of 50 forks until EAGAIN, while root still forks;
 * /proc lists them all; once they are gone it forks again, and /proc
 * lists none of uid 1000's. Root has more children at once than the
 * process manager's table once held (64), and /proc lists them. */
#define _GNU_SOURCE
#include <dirent.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/resource.h>
#include "check.h"

#define LIMIT 50

static int hold[2], ready[2];

static int user_procs_listed(void)
{
	return procs_listed("\nUid:\t1000\t");
}

/* Children that wait for hold's write end to close: how many were made,
 * and the errno the next fork failed with */
static int fork_until_refused(int *err)
{
	int n = 0;
	char c;

	for (;;) {
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
	*err = errno;
	return n;
}

static int reap_all(void)
{
	int n = 0;

	while (wait(NULL) > 0)
		n++;
	return n;
}

static void as_user(void)
{
	struct rlimit lim = { LIMIT, LIMIT }, raised = { LIMIT, LIMIT + 1 };
	int err, n;

	CHECK(setrlimit(RLIMIT_NPROC, &lim) == 0);
	CHECK(setgroups(0, NULL) == 0 && setresgid(1000, 1000, 1000) == 0 &&
	      setresuid(1000, 1000, 1000) == 0);
	CHECK_ERR(setrlimit(RLIMIT_NPROC, &raised), EPERM);
	CHECK(getrlimit(RLIMIT_NPROC, &lim) == 0 && lim.rlim_cur == LIMIT);
	n = fork_until_refused(&err);
	printf("uid 1000 forked %d, then %s\n", n, err == EAGAIN ? "EAGAIN" : strerror(err));
	fflush(stdout);
	close(hold[1]);                 /* root's is the last: the children end with it */
	write(ready[1], "", 1);
	CHECK(reap_all() == n);
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0 && waitpid(pid, NULL, 0) == pid);
}

int main(void)
{
	int status;
	char c;

	CHECK(pipe(hold) == 0 && pipe(ready) == 0);
	pid_t user = fork();
	if (user == 0) {
		as_user();
		_exit(done());
	}
	CHECK(read(ready[0], &c, 1) == 1);
	/* uid 1000 is at its limit; root is not bound by it */
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
	CHECK(user_procs_listed() == LIMIT);
	close(hold[1]);
	CHECK(waitpid(user, &status, 0) == user && status == 0);
	CHECK(user_procs_listed() == 0);
	/* root's children, more than 64 */
	CHECK(pipe(hold) == 0);
	pid = fork();
	if (pid == 0) {
		struct rlimit lim = { 80, 80 };
		char mine[32];
		int n = 0;
		CHECK(setrlimit(RLIMIT_NPROC, &lim) == 0);   /* not for root */
		while (n < 80 && (pid = fork()) >= 0) {
			if (pid == 0) {
				close(hold[1]);
				read(hold[0], &c, 1);
				_exit(0);
			}
			n++;
		}
		snprintf(mine, sizeof mine, "\nPPid:\t%d\n", (int)getpid());
		printf("root forked %d, /proc lists %d\n", n, procs_listed(mine));
		fflush(stdout);
		close(hold[1]);
		_exit(reap_all() == n ? 0 : 1);
	}
	close(hold[1]);
	CHECK(waitpid(pid, &status, 0) == pid && status == 0);
	return done();
}
