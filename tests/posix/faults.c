/* Faults become the signals Linux sends for them: a handler gets the
 * signal with its si_code and address and can jump out; without one (or
 * with the signal ignored or blocked) the child is killed, as its parent's
 * wait reports. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

static volatile int zero;

static void null_write(void) { *(volatile int *)(long)zero = 1; }
static void divide(void) { zero = 10 / zero; }
static void clean_exit(void) { _exit(7); }
static void ignored_null_write(void)
{
	signal(SIGSEGV, SIG_IGN);
	null_write();
}
static void blocked_divide(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGFPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	divide();
}

static sigjmp_buf back;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr;

static void on_fault(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	got_sig = sig;
	got_code = info->si_code;
	got_addr = (uintptr_t)info->si_addr;
	siglongjmp(back, 1);
}

/* run fn with handlers for SIGSEGV and SIGFPE; whether a handler ran */
static int caught(void (*fn)(void))
{
	struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	got_sig = 0;
	if (!sigsetjmp(back, 1))
		fn();
	signal(SIGSEGV, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	return got_sig != 0;
}

static char *read_only;
static void write_read_only(void) { read_only[8] = 1; }

static void handled_faults(void)
{
	CHECK(caught(null_write) && got_sig == SIGSEGV && got_code == SEGV_MAPERR &&
	      got_addr == 0);
	CHECK(caught(divide) && got_sig == SIGFPE && got_code == FPE_INTDIV);
	read_only = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	read_only[0] = 1;
	mprotect(read_only, 4096, PROT_READ);
	CHECK(caught(write_read_only) && got_sig == SIGSEGV && got_code == SEGV_ACCERR &&
	      got_addr == (uintptr_t)read_only + 8);
	/* the handler's mask was put back by siglongjmp: it works again */
	CHECK(caught(null_write) && got_sig == SIGSEGV);
}

/* PROT_NONE: a page any access faults on (SEGV_ACCERR), whose contents
 * come back with its access; the kernel's copies refuse it (EFAULT); a
 * fork shares it copy-on-write like any other page. */
static volatile unsigned char *none;
static void read_none(void) { got_code = none[100]; }
static void write_none(void) { none[100] = 1; }

static int pattern_ok(volatile unsigned char *p, unsigned char seed)
{
	for (int i = 0; i < 8192; i++)
		if (p[i] != (unsigned char)(seed + i))
			return 0;
	return 1;
}

static void child_rewrites_none(void)
{
	_exit(mprotect((void *)none, 8192, PROT_READ | PROT_WRITE) || !pattern_ok(none, 3) ||
	      (none[0] = 99) != 99);
}

static void prot_none(void)
{
	int p[2];

	none = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(none != MAP_FAILED);
	CHECK(caught(read_none) && got_sig == SIGSEGV && got_code == SEGV_ACCERR &&
	      got_addr == (uintptr_t)none + 100);
	CHECK(mprotect((void *)none, 8192, PROT_READ | PROT_WRITE) == 0 && none[100] == 0);
	for (int i = 0; i < 8192; i++)
		none[i] = (unsigned char)(3 + i);
	CHECK(mprotect((void *)none, 8192, PROT_NONE) == 0);
	CHECK(caught(write_none) && got_sig == SIGSEGV && got_code == SEGV_ACCERR);
	CHECK(pipe(p) == 0);
	CHECK_ERR(write(p[1], (void *)none, 16), EFAULT);
	CHECK(write(p[1], "abc", 3) == 3);
	CHECK_ERR(read(p[0], (void *)none, 3), EFAULT);
	int st = fork_status(child_rewrites_none);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(mprotect((void *)none, 8192, PROT_READ) == 0 && pattern_ok(none, 3));
	CHECK(munmap((void *)none, 8192) == 0);
	CHECK_ERR(mprotect((void *)none, 4096, PROT_READ), ENOMEM);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	int st = fork_status(null_write);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = fork_status(divide);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE);
	st = fork_status(ignored_null_write);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	st = fork_status(blocked_divide);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGFPE);
	handled_faults();
	prot_none();
	st = fork_status(clean_exit);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	CHECK_ERR(waitpid(-1, &st, 0), ECHILD);
	return done();
}
