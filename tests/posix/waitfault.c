/* wait4 and waitid with pointers they cannot write through: as on Linux,
 * the child is reaped all the same and the call fails with EFAULT (a second
 * wait finds no child: ECHILD); wait4 writes the status before the rusage,
 * waitid the rusage before the siginfo, and waitid writes a zeroed siginfo
 * when it reports nothing (WNOHANG, ECHILD, EINVAL). */
#include <signal.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include "check.h"

#define BAD ((void *)1)

static pid_t child(int code, long delay_ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct timespec ts = { delay_ms / 1000, delay_ms % 1000 * 1000000 };
		nanosleep(&ts, NULL);
		_exit(code);
	}
	return pid;
}

/* until pid has ended, without reaping it */
static int ended(pid_t pid)
{
	siginfo_t info;

	return waitid(P_PID, pid, &info, WEXITED | WNOWAIT) == 0 && info.si_pid == pid;
}

static long sys_waitid(int type, pid_t id, void *info, int options, void *ru)
{
	return syscall(SYS_waitid, type, id, info, options, ru);
}

static void bad_wait4(void)
{
	int st = 0;
	pid_t pid = child(5, 0);

	CHECK(ended(pid));
	CHECK_ERR(wait4(pid, BAD, 0, NULL), EFAULT);
	CHECK_ERR(wait4(pid, &st, 0, NULL), ECHILD);
	pid = child(6, 100);                        /* reaped when the wait is answered */
	CHECK_ERR(wait4(pid, BAD, 0, NULL), EFAULT);
	CHECK_ERR(wait4(-1, &st, 0, NULL), ECHILD);
	pid = child(7, 0);
	CHECK(ended(pid));
	CHECK_ERR(wait4(pid, &st, 0, BAD), EFAULT);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK_ERR(wait4(pid, &st, 0, NULL), ECHILD);
	pid = child(8, 10000);                      /* nothing to report: nothing written */
	CHECK(wait4(pid, BAD, WNOHANG, BAD) == 0);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
}

static void bad_waitid(void)
{
	siginfo_t info;
	struct rusage ru;
	pid_t pid = child(5, 0);

	CHECK(ended(pid));
	CHECK_ERR(sys_waitid(P_PID, pid, BAD, WEXITED, &ru), EFAULT);
	memset(&info, 0x55, sizeof info);
	CHECK_ERR(sys_waitid(P_PID, pid, &info, WEXITED, NULL), ECHILD);
	CHECK(info.si_signo == 0 && info.si_pid == 0 && info.si_code == 0);
	pid = child(6, 100);
	CHECK_ERR(sys_waitid(P_PID, pid, BAD, WEXITED, NULL), EFAULT);
	CHECK_ERR(sys_waitid(P_ALL, 0, &info, WEXITED, NULL), ECHILD);
	pid = child(7, 0);
	CHECK(ended(pid));
	memset(&info, 0x55, sizeof info);
	CHECK_ERR(sys_waitid(P_PID, pid, &info, WEXITED, BAD), EFAULT);
	CHECK(info.si_signo == 0x55555555);         /* the rusage went first */
	CHECK_ERR(sys_waitid(P_PID, pid, &info, WEXITED, NULL), ECHILD);
	CHECK_ERR(sys_waitid(P_ALL, 0, BAD, WEXITED, NULL), EFAULT);
	pid = child(8, 10000);
	memset(&info, 0x55, sizeof info);
	CHECK(sys_waitid(P_PID, pid, &info, WEXITED | WNOHANG, BAD) == 0);
	CHECK(info.si_signo == 0 && info.si_pid == 0);
	CHECK_ERR(sys_waitid(P_PID, pid, BAD, WEXITED | WNOHANG, NULL), EFAULT);
	CHECK(kill(pid, SIGKILL) == 0);
	CHECK(sys_waitid(P_PID, pid, &info, WEXITED, &ru) == 0 && info.si_pid == pid &&
	      info.si_code == CLD_KILLED && info.si_status == SIGKILL);
	pid = child(9, 0);                          /* no siginfo at all: 0, not the pid */
	CHECK(sys_waitid(P_PID, pid, NULL, WEXITED, NULL) == 0);
	CHECK_ERR(sys_waitid(P_PID, pid, &info, WEXITED, NULL), ECHILD);
	CHECK_ERR(sys_waitid(7, 0, BAD, WEXITED, NULL), EFAULT);   /* EINVAL, then the write */
}

int main(void)
{
	bad_wait4();
	bad_waitid();
	return done();
}
