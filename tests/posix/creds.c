/* Credentials: real, effective and saved ids, supplementary groups, who
 * may change them, and who may signal whom. Run as root (the CI host's
 * user and Tessera's first process); the changes happen in a child. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>
#include "check.h"

static void as_child(void)
{
	gid_t groups[4] = { 10, 20 };
	uid_t r, e, s;

	CHECK(setgroups(2, groups) == 0);
	CHECK(getgroups(0, NULL) == 2);
	CHECK_ERR(getgroups(1, groups), EINVAL);
	CHECK(getgroups(4, groups) == 2 && groups[0] == 10 && groups[1] == 20);
	CHECK(setresgid(100, 100, 100) == 0 && getgid() == 100 && getegid() == 100);
	CHECK(setresuid(1000, 1000, 0) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 0);
	/* no longer privileged: only ids it already holds */
	CHECK_ERR(setuid(2000), EPERM);
	CHECK_ERR(setgroups(0, NULL), EPERM);
	CHECK_ERR(kill(getppid(), 0), EPERM);
	CHECK(kill(getpid(), 0) == 0);
	/* the saved 0 lets it become root again, effective only */
	CHECK(setuid(0) == 0 && getuid() == 1000 && geteuid() == 0);
	CHECK(setreuid(-1, 1000) == 0 && geteuid() == 1000);
	CHECK(getresuid(&r, &e, &s) == 0 && s == 0);
	CHECK(seteuid(0) == 0 && geteuid() == 0);
	/* privileged again: setuid sets all three */
	CHECK(setuid(1000) == 0);
	CHECK(getresuid(&r, &e, &s) == 0 && r == 1000 && e == 1000 && s == 1000);
	CHECK_ERR(seteuid(0), EPERM);
}

int main(void)
{
	int status;

	CHECK(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
	pid_t pid = fork();
	if (pid == 0) {
		as_child();
		_exit(done());
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(getuid() == 0 && geteuid() == 0);
	return done();
}
