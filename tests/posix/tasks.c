/* /proc/<pid>/task as top -H and ps -T read it: a directory per thread,
 * named by its id, with its comm, stat (the thread's id first) and status
 * (Pid the thread's, Tgid the process's); gone once the thread is. */
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include "check.h"

#define THREADS 2

static char buf[8192];
static int tids[THREADS + 1];
static int release[2];

static long slurp(const char *path)
{
	return read_file(path, buf, sizeof buf);
}

static void *thread(void *arg)
{
	char c;

	tids[(long)arg] = (int)syscall(SYS_gettid);
	read(release[0], &c, 1);
	return NULL;
}

/* The names in /proc/self/task, as numbers; their count */
static int list_tasks(int *out, int max)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && n < max)
			out[n++] = atoi(e->d_name);
	if (d)
		closedir(d);
	return n;
}

static int listed(const int *list, int n, int tid)
{
	for (int i = 0; i < n; i++)
		if (list[i] == tid)
			return 1;
	return 0;
}

/* The files of thread tid say what they should */
static int task_files_right(int tid)
{
	char path[64], want[64];

	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	snprintf(want, sizeof want, "%d (tasks) ", tid);
	if (slurp(path) <= 0 || strncmp(buf, want, strlen(want)))
		return 0;
	snprintf(path, sizeof path, "/proc/self/task/%d/status", tid);
	if (slurp(path) <= 0)
		return 0;
	snprintf(want, sizeof want, "\nPid:\t%d\n", tid);
	char tgid[32];
	snprintf(tgid, sizeof tgid, "\nTgid:\t%d\n", (int)getpid());
	if (!strstr(buf, want) || !strstr(buf, tgid) || !strstr(buf, "Name:\ttasks\n"))
		return 0;
	snprintf(path, sizeof path, "/proc/self/task/%d/comm", tid);
	return slurp(path) > 0 && !strcmp(buf, "tasks\n");
}

int main(void)
{
	pthread_t th[THREADS];
	int list[16], n;
	struct stat st;

	tids[0] = getpid();
	CHECK(pipe(release) == 0);
	for (long i = 1; i <= THREADS; i++)
		CHECK(pthread_create(&th[i - 1], NULL, thread, (void *)i) == 0);
	while (!tids[1] || !tids[2])
		sched_yield();
	n = list_tasks(list, 16);
	CHECK(n == THREADS + 1);
	for (int i = 0; i <= THREADS; i++) {
		CHECK(listed(list, n, tids[i]));
		CHECK(task_files_right(tids[i]));
	}
	CHECK(stat("/proc/self/task", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK_ERR(open("/proc/self/task/999999/stat", O_RDONLY), ENOENT);
	write(release[1], "xx", 2);
	for (int i = 0; i < THREADS; i++)
		CHECK(pthread_join(th[i], NULL) == 0);
	/* Linux lists a joined thread until it has finished exiting */
	for (int tries = 0; (n = list_tasks(list, 16)) > 1 && tries < 100; tries++)
		usleep(10000);
	CHECK(n == 1 && list[0] == getpid());
	CHECK(task_files_right(getpid()));
	printf("%s\n", failures ? "FAILED" : "done");
	return failures != 0;
}
