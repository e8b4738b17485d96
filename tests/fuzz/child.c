/* A fuzzing child: its own session, maybe uid 1000, fds 0..7 open on a file,
 * a pipe, devices, a directory, procfs and a pty, its buffers at FUZZ_BUF;
 * then each call logged on the console (FUZZ_LOG_FD) before it is made.
 * A periodic SIGALRM ends blocking calls with EINTR. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>
#include "fuzz.h"

static long raw6(uint64_t nr, const uint64_t a[6])
{
	register uint64_t rax __asm__("rax") = nr, rdi __asm__("rdi") = a[0];
	register uint64_t rsi __asm__("rsi") = a[1], rdx __asm__("rdx") = a[2];
	register uint64_t r10 __asm__("r10") = a[3], r8 __asm__("r8") = a[4];
	register uint64_t r9 __asm__("r9") = a[5];

	/* native calls return message registers in rbx and r12..r15 too */
	__asm__ volatile("syscall"
			 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10), "+r"(r8),
			   "+r"(r9)
			 :
			 : "rcx", "r11", "rbx", "r12", "r13", "r14", "r15", "memory");
	return (long)rax;
}

static __attribute__((noreturn)) void raw_exit(int status)
{
	uint64_t a[6] = { (uint64_t)status };

	for (;;)
		raw6(SYS_exit_group, a);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* open path as fd slot, or /dev/null there if it cannot be opened */
static void open_at(int slot, const char *path, int flags)
{
	int fd = open(path, flags, 0666);

	if (fd < 0)
		fd = open("/dev/null", O_RDWR);
	if (fd != slot) {
		dup2(fd, slot);
		close(fd);
	}
}

static void setup_fds(int progress)
{
	int p[2];

	dup2(1, FUZZ_LOG_FD);
	dup2(progress, FUZZ_PROG_FD);
	for (int fd = 0; fd < 64; fd++)
		close(fd);
	open_at(0, "/dev/null", O_RDWR);
	open_at(1, "/tmp/fz0", O_RDWR | O_CREAT);
	if (pipe(p) == 0 && p[0] != 2) {  /* 2 and 3 */
		dup2(p[0], 2);
		dup2(p[1], 3);
		close(p[0]);
		close(p[1]);
	}
	open_at(4, "/dev/zero", O_RDONLY);
	open_at(5, "/tmp", O_RDONLY | O_DIRECTORY);
	open_at(6, "/proc/self/status", O_RDONLY);
	open_at(7, "/dev/ptmx", O_RDWR | O_NOCTTY);
}

/* paths every 64 bytes, iovecs at 0x2000 over 0x4000.., the rest from seed
 * (one seed for every child: a call list replays alone as it ran) */
static void setup_buffers(uint64_t seed)
{
	uint8_t *b = mmap((void *)FUZZ_BUF, FUZZ_BUF_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	uint64_t s = seed;

	if (b == MAP_FAILED ||
	    mmap((void *)FUZZ_RO, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0) == MAP_FAILED)
		raw_exit(FUZZ_SETUP_FAILED);
	for (uint64_t *w = (uint64_t *)(b + 0x3000); w < (uint64_t *)(b + FUZZ_BUF_SIZE); w++)
		*w = rnd(&s);
	memset(b, 0, 0x3000);
	for (unsigned i = 0; i < gen_paths(); i++)
		strcpy((char *)b + i * 64, gen_path(i));
	for (int i = 0; i < 8; i++) {
		uint64_t *iov = (uint64_t *)(b + 0x2000) + 2 * i;
		iov[0] = FUZZ_BUF + 0x4000 + i * 256;
		iov[1] = 256;
	}
}

/* SIGALRM every 100 ms, handled, not blocked */
static void start_ticks(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } };
	sigset_t alrm;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigaction(SIGALRM, &sa, 0);
	sigprocmask(SIG_UNBLOCK, &alrm, 0);
	setitimer(ITIMER_REAL, &tick, 0);
}

static void setup_signals(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	start_ticks();
}

/* The console fd gets every byte, a write interrupted by SIGALRM goes on. */
static void log_call(uint64_t index, const struct call *c)
{
	char line[160];
	int n = snprintf(line, sizeof line, "fz %lu %lx %lx %lx %lx %lx %lx %lx\n",
			 (unsigned long)index, (unsigned long)c->nr, (unsigned long)c->arg[0],
			 (unsigned long)c->arg[1], (unsigned long)c->arg[2],
			 (unsigned long)c->arg[3], (unsigned long)c->arg[4],
			 (unsigned long)c->arg[5]);

	for (int done = 0, w; done < n; done += w > 0 ? w : 0) {
		w = write(FUZZ_LOG_FD, line + done, n - done);
		if (w < 0 && errno != EINTR)
			return;
	}
}

static void report(uint64_t index)
{
	while (write(FUZZ_PROG_FD, &index, sizeof index) < 0 && errno == EINTR)
		;
}

void child_run(const struct batch *b)
{
	setsid();
	if (b->uid && (setgroups(0, 0) || setgid(b->uid) || setuid(b->uid)))
		raw_exit(FUZZ_SETUP_FAILED);
	setup_fds(b->progress);
	setup_buffers(0x5eed);
	setup_signals();
	pid_t me = getpid();
	for (uint64_t i = 0; i < b->count; i++) {
		struct call c;
		uint64_t index = b->first + i;

		if (b->list)
			c = b->list[i];
		else
			call_make(b->seed, index, &c);
		if (i % FUZZ_PROG_EVERY == 0)
			report(index);
		log_call(index, &c);
		raw6(c.nr, c.arg);
		if (call_is_fork(c.nr) && getpid() != me)
			raw_exit(0);
		if (call_stops_alarm(c.nr))
			start_ticks();
	}
	raw_exit(0);
}
