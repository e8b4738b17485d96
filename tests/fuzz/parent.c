/* The parent: calls in children of BATCH calls each, half of them as uid
 * 1000; a child that dies goes on in a new child after the calls it
 * reported; one that makes no progress for a while is killed. After each child every
 * zombie is reaped and the system must pass the health checks in time:
 * a check that fails or hangs, or a child that SIGKILL does not end, fails
 * the run with the seed and the calls to replay. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "fuzz.h"

#define BATCH          500
#define STALL_SECONDS  3    /* a child without progress so long: SIGKILL */
#define REAP_SECONDS   10   /* from SIGKILL to its end */
#define HEALTH_SECONDS 20
#define NONE           UINT64_MAX  /* no progress reported */

int stall_fails;  /* a child without progress fails the run (the corpus) */
static volatile sig_atomic_t alarmed;
static uint64_t total_calls, children, died, timed_out;
static int child_status;  /* the last child's wait status */

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static void arm(unsigned seconds)
{
	struct sigaction sa = { .sa_handler = on_alarm };  /* no SA_RESTART */

	sigaction(SIGALRM, &sa, 0);
	alarmed = 0;
	alarm(seconds);
}

/* What /proc/PID/stat says of a process after its name: state and ids,
 * to tell a child blocked in a call from one spinning (diagnostics only) */
static const char *proc_stat(pid_t pid, char *buf, unsigned size)
{
	char path[32];
	int fd, n = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY)) >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	char *end = strrchr(buf, ')');
	if (end && strlen(end) > 60)
		end[60] = 0;
	return end ? end + 2 : "?";
}

/* The last index the child reported before its pipe closed or it stalled */
static uint64_t follow(int fd, uint64_t last)
{
	uint64_t v;

	arm(STALL_SECONDS);
	while (!alarmed && read(fd, &v, sizeof v) == sizeof v) {
		last = v;
		alarm(STALL_SECONDS);
	}
	alarm(0);
	return last;
}

static void reap_zombies(void)
{
	while (waitpid(-1, 0, WNOHANG) > 0)
		;
}

/* Fork a child making b's calls: its pid, the read end of its progress
 * pipe in *progress; -1 if the system cannot. */
static pid_t start_child(struct batch *b, int *progress)
{
	int p[2];

	if (pipe(p))
		return say("FAIL: pipe for a child"), -1;
	pid_t pid = fork();
	if (pid < 0)
		return say("FAIL: fork for a child"), -1;
	if (pid == 0) {
		close(p[0]);
		b->progress = p[1];
		child_run(b);
	}
	close(p[1]);
	*progress = p[0];
	children++;
	say("child %d: calls %lu..%lu uid %d", pid, (unsigned long)b->first,
	    (unsigned long)(b->first + b->count - 1), b->uid);
	return pid;
}

/* SIGKILL for a child without progress, with what procfs says of it */
static void kill_stalled(pid_t pid)
{
	char stat[256];

	say("child %d: no progress in %d s (%s), killed", pid, STALL_SECONDS,
	    proc_stat(pid, stat, sizeof stat));
	timed_out++;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

/* Where the next child goes on after this one ended with status, having
 * reported last (NONE: nothing): after its batch if it finished, else after
 * the calls it ended in. */
static uint64_t next_index(const struct batch *b, int status, uint64_t last, int killed)
{
	uint64_t end = b->first + b->count;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		total_calls += b->count;
		return end;
	}
	if (last == NONE)
		last = b->first;
	died += !killed;
	total_calls += last + 1 - b->first;
	say("child ended (status %#x) in calls %lu..%lu", status, (unsigned long)last,
	    (unsigned long)last + FUZZ_PROG_EVERY - 1);
	last += FUZZ_PROG_EVERY;
	return last < end ? last : end;
}

/* Run b in a child: the index to go on from, or -1 if the system failed. */
static int64_t run_child(struct batch *b)
{
	int progress, status;
	pid_t pid = start_child(b, &progress);

	if (pid < 0)
		return -1;
	uint64_t last = follow(progress, NONE);
	int killed = alarmed;
	if (killed)
		kill_stalled(pid);
	arm(REAP_SECONDS);
	pid_t got = waitpid(pid, &status, 0);
	alarm(0);
	close(progress);
	child_status = status;
	if (got != pid)
		return say("FAIL: child %d (calls %lu..) not ended by SIGKILL in %d s", pid,
			   (unsigned long)b->first, REAP_SECONDS), -1;
	if (killed && stall_fails)
		return say("FAIL: a stall, where none may be"), -1;
	if (WIFEXITED(status) && WEXITSTATUS(status) == FUZZ_SETUP_FAILED && last == NONE)
		return say("FAIL: a child's setup (uid %d)", b->uid), -1;
	return next_index(b, status, last, killed);
}

/* The checks after a child; nonzero (and the seed and calls said) if failed */
static int after_child(const struct batch *b, uint64_t next)
{
	char what[96];

	reap_zombies();
	arm(HEALTH_SECONDS);
	int err = health_check(what, sizeof what);
	alarm(0);
	if (!err && !alarmed)
		return 0;
	say("FAIL: %s after seed %#lx calls %lu..%lu (uid %d); the log's last fz line is the call",
	    alarmed ? "a health check hung" : what, (unsigned long)b->seed,
	    (unsigned long)b->first, (unsigned long)next - 1, b->uid);
	return 1;
}

int run_calls(uint64_t seed, uint64_t first, uint64_t count, int uid)
{
	for (uint64_t pos = first, end = first + count; pos < end;) {
		struct batch b = { seed, pos, end - pos < BATCH ? end - pos : BATCH, 0,
				   uid >= 0 ? uid : mix(seed, pos) & 1 ? 1000 : 0, -1 };
		int64_t next = run_child(&b);
		if (next < 0 || after_child(&b, next))
			return 1;
		pos = next;
	}
	return 0;
}

/* A list's calls must all return: one that ends the child fails too */
int run_list(const struct call *list, uint64_t count, int uid)
{
	struct batch b = { 0, 0, count, list, uid, -1 };
	int64_t next = run_child(&b);

	if (next >= 0 && !(WIFEXITED(child_status) && WEXITSTATUS(child_status) == 0))
		return say("FAIL: a call ended the child (status %#x)", child_status), 1;
	return next < 0 || after_child(&b, count);
}

void run_summary(void)
{
	say("%lu calls in %lu children (%lu ended by a call, %lu killed, stalled %d s)",
	    (unsigned long)total_calls, (unsigned long)children, (unsigned long)died,
	    (unsigned long)timed_out, STALL_SECONDS);
}
