/* Process identity, sessions, waiting (wait4, waitid) and limits. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

/* 0 if a forked child knows its parent and becomes the leader of a new
 * session and group */
static int new_session_in_child(void)
{
	int status;
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		pid_t me = getpid();
		int ok = getppid() == parent && gettid() == me && setsid() == me && getsid(0) == me && getpgrp() == me &&
			 setsid() == -1 && errno == EPERM;
		_exit(ok ? 0 : 1);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* waitid: what it reports, WNOWAIT leaving the child to a later wait */
static void wait_calls(void)
{
	siginfo_t info = { 0 };
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(5);
	CHECK(waitid(P_PID, pid, &info, WEXITED | WNOWAIT) == 0);
	CHECK(info.si_pid == pid && info.si_signo == SIGCHLD && info.si_code == CLD_EXITED &&
	      info.si_status == 5);
	CHECK(wait4(pid, &status, 0, &ru) == pid && WEXITSTATUS(status) == 5);
	CHECK(ru.ru_utime.tv_sec >= 0 && ru.ru_utime.tv_usec >= 0 && ru.ru_utime.tv_usec < 1000000);
	CHECK_ERR(waitid(P_ALL, 0, &info, WEXITED | WNOHANG), ECHILD);
	CHECK_ERR(waitid(P_ALL, 0, &info, 0), EINVAL);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	info.si_pid = 1;
	CHECK(waitid(P_PID, pid, &info, WEXITED | WNOHANG) == 0 && info.si_pid == 0);
	kill(pid, SIGKILL);
	CHECK(waitid(P_PGID, 0, &info, WEXITED) == 0 && info.si_code == CLD_KILLED &&
	      info.si_status == SIGKILL);
}

int main(void)
{
	struct rlimit r;
	struct utsname u;

	CHECK(getpid() > 0);
	CHECK(getppid() >= 0);
	CHECK(getuid() == geteuid() && getgid() == getegid());
	CHECK(getpgrp() == getpgid(0));
	/* the caller's own session id depends on who started it (0 in some
	 * containers), so check a session this test creates */
	CHECK(getsid(0) >= 0);
	CHECK(new_session_in_child() == 0);
	CHECK(uname(&u) == 0 && strcmp(u.machine, "x86_64") == 0);
	CHECK(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur > 0);
	CHECK(sysconf(_SC_PAGESIZE) == 4096);
	wait_calls();
	mode_t old = umask(027);
	CHECK(umask(old) == 027);
	return done();
}
