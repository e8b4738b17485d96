/* POSIX threads: create and join, mutexes, condition variables, detached
 * threads, thread ids, TLS, semaphores, raw futexes, signals to one thread
 * or to the process (taken by a thread that does not block it), exit()
 * from a thread, fork and exec from a thread, and bad clone and futex
 * calls.
 *   threads                 the test
 *   threads exec-child      what a thread exec's: print and exit 5 */
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

static void fork_exec(void)
{
	pthread_t t;
	int status = -1;

	pthread_create(&t, NULL, fork_here, &status);
	pthread_join(t, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	status = fork_status(exec_from_thread);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5);
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
	create_join();
	mutex_counter();
	producer_consumer();
	many_threads();
	detached_ids_tls();
	signals_to_threads();
	interrupted_wait();
	other_thread_reads_on();
	altstack_sigwait();
	raw_futex();
	futex_ops();
	bad_calls();
	stop_continue();
	fork_exec();
	return done();
}
