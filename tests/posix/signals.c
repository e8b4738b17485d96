/* Signals: handlers and their arguments, masks and pending signals, the
 * alternate stack, default actions seen by wait (terminate, stop,
 * continue), SIGCHLD, SIGPIPE, interval timers, and calls cut short by a
 * signal (EINTR, or restarted with SA_RESTART). */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static volatile sig_atomic_t caught, last_sig, last_code, last_pid, nested_ok;
static volatile uintptr_t handler_sp;

static void on_signal(int sig, siginfo_t *info, void *uc)
{
	int local;

	(void)uc;
	caught++;
	last_sig = sig;
	last_code = info->si_code;
	last_pid = info->si_pid;
	handler_sp = (uintptr_t)&local;
}

static void catch(int sig, int flags)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void pause_forever(void) { for (;;) pause(); }
static void write_to_closed_pipe(void)
{
	int fd[2];
	pipe(fd);
	close(fd[0]);
	write(fd[1], "x", 1);
	_exit(3);                       /* not reached: SIGPIPE ends it */
}
static void raise_segv(void) { kill(getpid(), SIGSEGV); }

static void handlers(void)
{
	catch(SIGUSR1, 0);
	CHECK(kill(getpid(), SIGUSR1) == 0 && caught == 1);
	CHECK(last_sig == SIGUSR1 && last_code == SI_USER && last_pid == getpid());
	CHECK(raise(SIGUSR1) == 0 && caught == 2);
	signal(SIGUSR1, SIG_IGN);
	CHECK(kill(getpid(), SIGUSR1) == 0 && caught == 2);
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK_ERR(kill(999999, 0), ESRCH);
	CHECK(kill(getpid(), 0) == 0);
	struct sigaction sa;
	CHECK_ERR(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), EINVAL);
	CHECK(sigaction(SIGUSR1, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN);
}

static void masks(void)
{
	sigset_t set, old, pending;

	caught = 0;
	catch(SIGUSR2, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
	CHECK(kill(getpid(), SIGUSR2) == 0 && caught == 0);
	CHECK(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR2));
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0 && caught == 1);
	CHECK(sigpending(&pending) == 0 && !sigismember(&pending, SIGUSR2));
	/* SIGKILL cannot be blocked: the mask keeps it out */
	sigfillset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL) == 0);
	CHECK(sigprocmask(SIG_SETMASK, &old, &set) == 0 && !sigismember(&set, SIGKILL));
}

static void altstack(void)
{
	static char stack[64 << 10];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof stack }, old;

	CHECK(sigaltstack(&ss, &old) == 0 && old.ss_flags == SS_DISABLE);
	catch(SIGUSR1, SA_ONSTACK);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(handler_sp >= (uintptr_t)stack && handler_sp < (uintptr_t)stack + sizeof stack);
	catch(SIGUSR1, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(!(handler_sp >= (uintptr_t)stack && handler_sp < (uintptr_t)stack + sizeof stack));
	ss.ss_size = 100;
	CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack(&ss, NULL) == 0);
}

static void default_actions(void)
{
	int status = fork_status(raise_segv);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	status = fork_status(write_to_closed_pipe);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE);

	pid_t pid = fork();
	if (pid == 0)
		pause_forever();
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	      WSTOPSIG(status) == SIGSTOP);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	CHECK(kill(pid, SIGTERM) == 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGTERM);
}



static void child_signal(void)
{
	caught = 0;
	catch(SIGCHLD, 0);
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7);
	CHECK(caught == 1 && last_sig == SIGCHLD && last_code == CLD_EXITED && last_pid == pid);
	signal(SIGCHLD, SIG_DFL);
}

static void arm(long usec)
{
	struct itimerval it = { .it_value = { 0, usec } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void interrupted_calls(void)
{
	int fd[2];
	char c;

	caught = 0;
	catch(SIGALRM, 0);
	CHECK(pipe(fd) == 0);
	arm(100000);
	CHECK_ERR(read(fd[0], &c, 1), EINTR);
	CHECK(caught == 1);

	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	arm(100000);
	CHECK_ERR(nanosleep(&req, &rem), EINTR);
	CHECK(rem.tv_sec >= 3 && rem.tv_sec <= 5);

	/* with SA_RESTART the read goes on until a child's byte comes */
	catch(SIGALRM, SA_RESTART);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(400000);
		_exit(write(fd[1], "r", 1) == 1 ? 0 : 1);
	}
	arm(100000);
	CHECK(read(fd[0], &c, 1) == 1 && c == 'r' && caught == 3);
	waitpid(pid, NULL, 0);

	sigset_t mask, none;
	sigemptyset(&mask);
	sigaddset(&mask, SIGALRM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sigemptyset(&none);
	arm(100000);
	CHECK_ERR(sigsuspend(&none), EINTR);
	CHECK(caught == 4);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHECK(sigismember(&mask, SIGALRM));     /* sigsuspend put the mask back */
	sigprocmask(SIG_UNBLOCK, &mask, NULL);
	close(fd[0]);
	close(fd[1]);
}

static void timers(void)
{
	struct itimerval it;

	CHECK(alarm(10) == 0);
	CHECK(alarm(0) == 10);
	CHECK(getitimer(ITIMER_REAL, &it) == 0 && it.it_value.tv_sec == 0 &&
	      it.it_value.tv_usec == 0);
	caught = 0;
	catch(SIGALRM, 0);
	it = (struct itimerval){ { 0, 50000 }, { 0, 50000 } };
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
	while (caught < 3)
		pause();
	it = (struct itimerval){ 0 };
	CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0 && caught == 3);
}

int main(void)
{
	handlers();
	masks();
	altstack();
	default_actions();
	child_signal();
	interrupted_calls();
	timers();
	return done();
}
