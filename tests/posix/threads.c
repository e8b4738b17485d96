/* POSIX threads: create and join, mutexes, condition variables, detached
 * threads, thread ids, TLS, semaphores, raw futexes, signals to one thread
 * or to the process (taken by a thread that does not block it), SIGPIPE to
 * the writing thread, a signal cutting short only its own thread's pipe
 * call, waits in several threads
 * at once, exit() from a thread, fork and exec from a thread (one blocked
 * in a read meanwhile), and bad clone and futex calls.
 *   threads                      the test
 *   threads exec-child           what a thread exec's: print and exit 5
 *   threads exec-reads RFD WFD   what a thread exec's while another reads
 *                                pipe RFD: its own byte comes back, exit 6 */
#define _GNU_SOURCE
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define NTHREADS 8
#define NINCS    10000

static long futex(int *addr, int op, int val, const struct timespec *ts)
{
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void *square(void *arg)
{
	return (void *)((intptr_t)arg * (intptr_t)arg);
}

static void create_join(void)
{
	pthread_t t[4];
	void *ret;
	int squares_joined = 1;

	for (intptr_t i = 0; i < 4; i++)
		squares_joined &= pthread_create(&t[i], NULL, square, (void *)(i + 3)) == 0;
	for (intptr_t i = 0; i < 4; i++)
		squares_joined &= pthread_join(t[i], &ret) == 0 &&
				  (intptr_t)ret == (i + 3) * (i + 3);
	CHECK(squares_joined);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *increment(void *arg)
{
	for (int i = 0; i < NINCS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		if (i % 1000 == 0)
			sched_yield();      /* hand over while holding the lock */
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void mutex_counter(void)
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, increment, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	CHECK(counter == NTHREADS * NINCS);
}

/* a producer and a consumer around a four-slot ring */
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;
static int ring[4], head, count;

static void *produce(void *arg)
{
	for (int i = 1; i <= 200; i++) {
		pthread_mutex_lock(&lock);
		while (count == 4)
			pthread_cond_wait(&not_full, &lock);
		ring[(head + count++) % 4] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void producer_consumer(void)
{
	pthread_t t;
	long sum = 0;

	pthread_create(&t, NULL, produce, NULL);
	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&lock);
		while (count == 0)
			pthread_cond_wait(&not_empty, &lock);
		sum += ring[head];
		head = (head + 1) % 4;
		count--;
		pthread_cond_broadcast(&not_full);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(t, NULL);
	CHECK(sum == 200 * 201 / 2);
}

#define NBARRIER 40
static pthread_barrier_t barrier;
static int serial_threads;

static void *meet(void *arg)
{
	for (int round = 0; round < 3; round++)
		if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_fetch_add(&serial_threads, 1, __ATOMIC_RELAXED);
	return arg;
}

/* many threads at once, meeting three times at a barrier */
static void many_threads(void)
{
	pthread_t t[NBARRIER];
	int created = 0;

	pthread_barrier_init(&barrier, NULL, NBARRIER);
	for (int i = 0; i < NBARRIER; i++)
		created += pthread_create(&t[i], NULL, meet, NULL) == 0;
	for (int i = 0; i < created; i++)
		pthread_join(t[i], NULL);
	CHECK(created == NBARRIER);
	CHECK(serial_threads == 3);
}

static sem_t sem;
static __thread int tls_value = 7;
static pid_t seen_tid, seen_pid;
static int seen_tls;

static void *identify(void *arg)
{
	seen_tid = gettid_();
	seen_pid = getpid();
	tls_value += (int)(intptr_t)arg;
	seen_tls = tls_value;
	sem_post(&sem);
	return NULL;
}

/* a detached thread: its ids and its own TLS; semaphores */
static void detached_ids_tls(void)
{
	pthread_t t;
	struct timespec ts;

	CHECK(sem_init(&sem, 0, 0) == 0);
	CHECK(pthread_create(&t, NULL, identify, (void *)100) == 0);
	CHECK(pthread_detach(t) == 0);
	CHECK(sem_wait(&sem) == 0);
	CHECK(seen_pid == getpid());
	CHECK(seen_tid != gettid_() && seen_tid > 0);
	CHECK(gettid_() == getpid());
	CHECK(seen_tls == 107 && tls_value == 7);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	CHECK_ERR(sem_timedwait(&sem, &ts), ETIMEDOUT);
}

static void *exit_42(void *arg)
{
	exit(42);
	return arg;
}

static void *exit_9_later(void *arg)
{
	usleep(20000);
	syscall(SYS_exit, 9);
	return arg;
}

/* the first thread leaves with exit(2); the last one's status is the
 * process's */
static void leader_exits_first(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exit_9_later, NULL);
	syscall(SYS_exit, 1);
}

/* (in a child) fn runs in a second thread; the first waits for signals */
static void second_thread(void *(*fn)(void *))
{
	pthread_t t;

	pthread_create(&t, NULL, fn, NULL);
	for (;;)
		pause();
}

/* exit() ends every thread */
static void exit_from_thread(void)
{
	second_thread(exit_42);
}

static volatile pid_t handler_tid;
static volatile int handled;

static void on_usr(int sig)
{
	(void)sig;
	handler_tid = gettid_();
	handled++;
}

static void *wait_for_signal(void *arg)
{
	*(pid_t *)arg = gettid_();
	sem_post(&sem);
	while (!handled)
		usleep(1000);
	return NULL;
}

/* pthread_kill and tgkill reach their thread; kill reaches the thread
 * that does not block the signal */
static void signals_to_threads(void)
{
	pthread_t t;
	pid_t tid;
	sigset_t usr2;
	struct sigaction sa = { .sa_handler = on_usr };

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	pthread_create(&t, NULL, wait_for_signal, &tid);
	sem_wait(&sem);
	CHECK(kill(tid, 0) == 0);           /* a thread id names its process */
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	pthread_join(t, NULL);
	CHECK(handler_tid == tid);

	handled = 0;
	pthread_create(&t, NULL, wait_for_signal, &tid);
	sem_wait(&sem);
	CHECK(syscall(SYS_tgkill, getpid(), tid, SIGUSR1) == 0);
	pthread_join(t, NULL);
	CHECK(handler_tid == tid);

	handled = 0;
	pthread_create(&t, NULL, wait_for_signal, &tid);
	sem_wait(&sem);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &usr2, NULL);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	pthread_join(t, NULL);
	CHECK(handler_tid == tid);
	pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
	CHECK(syscall(SYS_tgkill, getpid() + 100000, tid, SIGUSR1) == -1 && errno == ESRCH);
}

static sem_t never;
static volatile int interrupted;

static void *wait_never(void *arg)
{
	int r = sem_wait(&never);

	interrupted = r == -1 && errno == EINTR;
	return arg;
}

/* /proc/self/status counts the threads */
static int threads_in_status(void)
{
	char buf[4096], *at;
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = 0;
	at = strstr(buf, "Threads:");
	return at ? atoi(at + 8) : -1;
}

/* a signal with a handler cuts a futex wait short: EINTR */
static void interrupted_wait(void)
{
	pthread_t t;
	struct sigaction sa = { .sa_handler = on_usr };

	sigaction(SIGUSR1, &sa, NULL);
	sem_init(&never, 0, 0);
	pthread_create(&t, NULL, wait_never, NULL);
	CHECK(threads_in_status() == 2);
	while (!interrupted) {
		pthread_kill(t, SIGUSR1);
		usleep(2000);
	}
	pthread_join(t, NULL);
	CHECK(interrupted);
}

static void *own_altstack(void *arg)
{
	static char mem[65536];
	stack_t ss = { .ss_sp = mem, .ss_size = sizeof mem }, old;

	*(int *)arg = sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &old) == 0 &&
		      old.ss_sp == mem && !(old.ss_flags & SS_DISABLE);
	return NULL;
}

static void *wait_usr2(void *arg)
{
	int sig = 0;

	sigwait(arg, &sig);
	return (void *)(intptr_t)sig;
}

/* an alternate stack is per thread; sigwait in a thread takes a signal
 * sent to the process that every thread blocks */
static void altstack_sigwait(void)
{
	pthread_t t;
	stack_t old;
	sigset_t usr2;
	void *sig;
	int thread_ok = 0;

	pthread_create(&t, NULL, own_altstack, &thread_ok);
	pthread_join(t, NULL);
	CHECK(thread_ok);
	CHECK(sigaltstack(NULL, &old) == 0 && old.ss_flags & SS_DISABLE);

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &usr2, NULL);
	pthread_create(&t, NULL, wait_usr2, &usr2);
	usleep(20000);
	CHECK(kill(getpid(), SIGUSR2) == 0);
	pthread_join(t, &sig);
	CHECK((intptr_t)sig == SIGUSR2);
	pthread_sigmask(SIG_UNBLOCK, &usr2, NULL);
}

static int pipefd[2];

static void *read_pipe(void *arg)
{
	char c = 0;

	*(int *)arg = read(pipefd[0], &c, 1) == 1 && c == 'x';
	return NULL;
}

/* a signal taken by one thread leaves another's blocked read alone */
static void other_thread_reads_on(void)
{
	pthread_t t;
	int read_ok = 0;

	CHECK(pipe(pipefd) == 0);
	pthread_create(&t, NULL, read_pipe, &read_ok);
	usleep(20000);              /* the reader blocks */
	handled = 0;
	CHECK(raise(SIGUSR1) == 0 && handled == 1);
	CHECK(write(pipefd[1], "x", 1) == 1);
	pthread_join(t, NULL);
	CHECK(read_ok);
}

static volatile int broken_ok;

static void *write_broken(void *arg)
{
	*(pid_t *)arg = gettid_();
	broken_ok = write(pipefd[1], "x", 1) == -1 && errno == EPIPE;
	return NULL;
}

/* SIGPIPE goes to the thread that wrote, not to the process */
static void sigpipe_to_writer(void)
{
	struct sigaction sa = { .sa_handler = on_usr };
	pthread_t t;
	pid_t tid;

	sigaction(SIGPIPE, &sa, NULL);
	CHECK(pipe(pipefd) == 0 && close(pipefd[0]) == 0);
	handled = 0;
	pthread_create(&t, NULL, write_broken, &tid);
	pthread_join(t, NULL);
	CHECK(handled == 1 && handler_tid == tid && broken_ok);
	close(pipefd[1]);
	signal(SIGPIPE, SIG_DFL);
}

static int to_a[2], from_b[2];
static volatile long a_got = -2, b_put = -2;
static volatile int a_errno;
static char big[100000];            /* more than a pipe holds */

static void *reader_a(void *arg)
{
	char buf[4];
	long n = read(to_a[0], buf, sizeof buf);

	a_errno = errno;
	a_got = n;
	return arg;
}

static void *writer_b(void *arg)
{
	b_put = write(from_b[1], big, sizeof big);
	return arg;
}

/* Read all of big from pipe fd */
static long drain(int fd)
{
	static char buf[sizeof big];
	long got = 0, n = 1;

	while (got < (long)sizeof big && n > 0)
		got += n = read(fd, buf, sizeof buf - got);
	return got;
}

/* A signal cuts short only the call of the thread it is for: A blocked in
 * a pipe read and B in a pipe write that moved part of its bytes go on
 * when C takes one, and a signal for A (no SA_RESTART) ends A's read
 * alone with EINTR. */
static void calls_cut_short_per_thread(void)
{
	struct sigaction sa = { .sa_handler = on_usr };
	pthread_t a, b, c;
	pid_t tid;

	sigaction(SIGUSR1, &sa, NULL);
	CHECK(pipe(to_a) == 0 && pipe(from_b) == 0);
	pthread_create(&a, NULL, reader_a, NULL);
	pthread_create(&b, NULL, writer_b, NULL);
	handled = 0;
	pthread_create(&c, NULL, wait_for_signal, &tid);
	sem_wait(&sem);
	usleep(50000);              /* A and B block */
	CHECK(pthread_kill(c, SIGUSR1) == 0);
	pthread_join(c, NULL);
	CHECK(handler_tid == tid);
	usleep(20000);
	CHECK(a_got == -2 && b_put == -2);
	CHECK(write(to_a[1], "abcd", 4) == 4);
	pthread_join(a, NULL);
	CHECK(a_got == 4);

	a_got = -2;
	pthread_create(&a, NULL, reader_a, NULL);
	usleep(20000);
	CHECK(pthread_kill(a, SIGUSR1) == 0);
	pthread_join(a, NULL);
	CHECK(a_got == -1 && a_errno == EINTR);
	usleep(20000);
	CHECK(b_put == -2);
	CHECK(drain(from_b[0]) == (long)sizeof big);
	pthread_join(b, NULL);
	CHECK(b_put == (long)sizeof big);
	close(to_a[0]), close(to_a[1]), close(from_b[0]), close(from_b[1]);
}

static int gate[2];

/* A child that exits with code once it reads a byte from gate */
static pid_t child_at_gate(int code)
{
	char c;
	pid_t pid = fork();

	if (pid == 0)
		_exit(read(gate[0], &c, 1) == 1 ? code : 1);
	return pid;
}

struct waited {
	pid_t want, got;
	int status, err;
};

static void *wait_in_thread(void *arg)
{
	struct waited *w = arg;

	w->got = waitpid(w->want, &w->status, 0);
	w->err = errno;
	return NULL;
}

/* Two threads wait at once, while children pass the gate (one byte each) */
static void wait_in_two(struct waited w[2], const char *bytes)
{
	pthread_t t[2];

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, wait_in_thread, &w[i]);
	usleep(50000);              /* both wait */
	CHECK(write(gate[1], bytes, strlen(bytes)) == (long)strlen(bytes));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

/* Each thread waits on its own: a child's end goes to one of them; a
 * wait for that child alone then finds none left. */
static void waits_per_thread(void)
{
	struct waited w[2] = { { .want = -1 }, { .want = -1 } };

	CHECK(pipe(gate) == 0);
	pid_t x = child_at_gate(11), y = child_at_gate(12);
	wait_in_two(w, "gg");
	CHECK((w[0].got == x && w[1].got == y) || (w[0].got == y && w[1].got == x));
	CHECK(WEXITSTATUS(w[0].status) + WEXITSTATUS(w[1].status) == 23);

	pid_t z = child_at_gate(13);
	w[0] = w[1] = (struct waited){ .want = z };
	wait_in_two(w, "g");
	struct waited *got = w[0].got == z ? &w[0] : &w[1], *other = got == w ? &w[1] : &w[0];
	CHECK(got->got == z && WEXITSTATUS(got->status) == 13);
	CHECK(other->got == -1 && other->err == ECHILD);
	close(gate[0]), close(gate[1]);
}

static int word;
static long woken_with[3];

static void *futex_waiter(void *arg)
{
	*(long *)arg = futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL);
	return NULL;
}

static void raw_futex(void)
{
	struct timespec ts = { 0, 20000000 };
	pthread_t t[3];
	long total = 0;

	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 1, NULL), EAGAIN);
	CHECK_ERR(futex(&word, FUTEX_WAIT_PRIVATE, 0, &ts), ETIMEDOUT);
	CHECK(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL) == 0);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, futex_waiter, &woken_with[i]);
	while (total < 3) {
		long n = futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL);
		if (n < 0 || n > 1)
			break;
		total += n;
		usleep(1000);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(total == 3);
	CHECK(woken_with[0] == 0 && woken_with[1] == 0 && woken_with[2] == 0);
}

/* the bitset and requeue operations, on a word nobody waits on */
static void futex_ops(void)
{
	struct timespec at;
	int other = 0;

	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_nsec += 20000000;
	if (at.tv_nsec >= 1000000000) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000;
	}
	CHECK_ERR(syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 0, &at, NULL, 1), ETIMEDOUT);
	CHECK_ERR(syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL);
	CHECK(syscall(SYS_futex, &word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 4) == 0);
	CHECK(syscall(SYS_futex, &word, FUTEX_REQUEUE_PRIVATE, 1, 1, &other, 0) == 0);
	CHECK_ERR(syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &other, 5), EAGAIN);
	CHECK(syscall(SYS_futex, &word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &other, 0) == 0);
}

static int go[2], ready[2];

static void *exit_when_told(void *arg)
{
	char c;

	write(ready[1], "r", 1);
	if (read(go[0], &c, 1) == 1)        /* restarted across the stop */
		exit(3);
	return arg;
}

static void stopped_threads(void)
{
	second_thread(exit_when_told);
}

/* SIGSTOP stops every thread, SIGCONT resumes them, their calls restart */
static void stop_continue(void)
{
	int status;
	char c;

	CHECK(pipe(go) == 0 && pipe(ready) == 0);
	pid_t pid = fork();
	if (pid == 0)
		stopped_threads();
	CHECK(read(ready[0], &c, 1) == 1);
	usleep(20000);
	CHECK(kill(pid, SIGSTOP) == 0);
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status) &&
	      WSTOPSIG(status) == SIGSTOP);
	CHECK(kill(pid, SIGCONT) == 0);
	CHECK(waitpid(pid, &status, WCONTINUED) == pid && WIFCONTINUED(status));
	CHECK(write(go[1], "g", 1) == 1);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3);
}

static void bad_calls(void)
{
	int *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec bad = { 0, 2000000000 };

	munmap(gone, 4096);
	CHECK_ERR(futex(gone, FUTEX_WAIT, 0, NULL), EFAULT);
	CHECK_ERR(futex(gone, FUTEX_WAKE, 1, NULL), EFAULT);
	CHECK_ERR(futex(&word, 99, 0, NULL), ENOSYS);
	CHECK_ERR(futex((int *)((char *)&word + 1), FUTEX_WAIT, 0, NULL), EINVAL);
	CHECK_ERR(futex(&word, FUTEX_WAIT, 0, &bad), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD, NULL, NULL, NULL, 0), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_SIGHAND, NULL, NULL, NULL, 0), EINVAL);
	CHECK_ERR(syscall(SYS_clone, CLONE_THREAD | CLONE_VM, NULL, NULL, NULL, 0), EINVAL);
}

static void *fork_here(void *arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getpid() == gettid_() ? 7 : 1);
	*(int *)arg = waitpid(pid, &status, 0) == pid ? status : -1;
	return NULL;
}

static void *exec_here(void *arg)
{
	char *argv[] = { "threads", "exec-child", NULL };

	execv((const char *)getauxval(AT_EXECFN), argv);
	return arg;
}

/* a second thread execs: the pid stays, the new image has one thread */
static void exec_from_thread(void)
{
	second_thread(exec_here);
}

static void *exec_reads_here(void *arg)
{
	char rfd[16], wfd[16];
	char *argv[] = { "threads", "exec-reads", rfd, wfd, NULL };

	usleep(20000);              /* the first thread blocks in its read */
	snprintf(rfd, sizeof rfd, "%d", pipefd[0]);
	snprintf(wfd, sizeof wfd, "%d", pipefd[1]);
	execv((const char *)getauxval(AT_EXECFN), argv);
	return arg;
}

/* a thread execs while the first is blocked reading a pipe: the new
 * image's read of that pipe gets its byte, not the ended thread */
static void exec_while_reading(void)
{
	pthread_t t;
	char c;

	if (pipe(pipefd))
		_exit(1);
	pthread_create(&t, NULL, exec_reads_here, NULL);
	read(pipefd[0], &c, 1);
	_exit(1);
}

/* the image a thread exec'd: a byte written to the pipe reads back */
static int exec_reads(const char *rfd, const char *wfd)
{
	char c = 0;
	int ok = write(atoi(wfd), "y", 1) == 1 && read(atoi(rfd), &c, 1) == 1 && c == 'y';

	printf("exec'd: the pipe %s\n", ok ? "reads back its byte" : "lost its byte");
	return 6;
}

static void fork_exec(void)
{
	pthread_t t;
	int status = -1;

	pthread_create(&t, NULL, fork_here, &status);
	pthread_join(t, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	status = fork_status(exec_from_thread);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
	status = fork_status(exec_while_reading);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 6);
	status = fork_status(exit_from_thread);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
	status = fork_status(leader_exits_first);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 9);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-child")) {
		printf("exec'd: one thread, tid %s pid\n", gettid_() == getpid() ? "==" : "!=");
		return 5;
	}
	if (argc > 3 && !strcmp(argv[1], "exec-reads"))
		return exec_reads(argv[2], argv[3]);
	create_join();
	mutex_counter();
	producer_consumer();
	many_threads();
	detached_ids_tls();
	signals_to_threads();
	interrupted_wait();
	other_thread_reads_on();
	sigpipe_to_writer();
	calls_cut_short_per_thread();
	waits_per_thread();
	altstack_sigwait();
	raw_futex();
	futex_ops();
	bad_calls();
	stop_continue();
	fork_exec();
	return done();
}
