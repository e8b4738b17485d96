/* /proc as ps, top, free and mount read it: only what is the same on any
 * Linux (this process's own entries, formats, a child's life). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static char buf[8192];

/* The contents of path in buf (NUL-terminated): its length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	return r < 0 ? -1 : n;
}

/* Fields of /proc/<pid>/stat after the command name. */
struct stat_line {
	int pid, ppid, pgrp, sid, fields;
	char state, comm[32];
};

static int read_stat(int pid, struct stat_line *s)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (slurp(path) < 0)
		return -1;
	char *open_paren = strchr(buf, '('), *close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return -1;
	*close_paren = 0;
	snprintf(s->comm, sizeof s->comm, "%s", open_paren + 1);
	s->pid = atoi(buf);
	if (sscanf(close_paren + 2, " %c %d %d %d", &s->state, &s->ppid, &s->pgrp, &s->sid) != 4)
		return -1;
	s->fields = 2;
	for (char *p = strtok(close_paren + 2, " \n"); p; p = strtok(NULL, " \n"))
		s->fields++;
	return 0;
}

static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

static int has_line_with(const char *needle)
{
	return strstr(buf, needle) != NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* SigIgn and SigCgt in status: ignored and caught signals, bit n-1 for
 * signal n (ash's tests grep SigIgn to see that exec keeps none ignored).
 * Dispositions inherited from whoever started us are reset first. */
static int signal_lines(void)
{
	for (int sig = 1; sig <= 64; sig++)
		signal(sig, SIG_DFL);   /* fails for KILL, STOP and libc's own */
	signal(SIGQUIT, SIG_IGN);
	signal(SIGUSR1, on_signal);
	return slurp("/proc/self/status") > 0 && has_line_with("\nSigIgn:\t0000000000000004\n") &&
	       has_line_with("\nSigCgt:\t0000000000000200\n");
}

/* /proc/self/fd: a link per open descriptor, the one reading the
 * directory among them; opening a link opens that descriptor's file, a
 * pipe's end too ("<(cmd)" in shells is /dev/fd/N, ash's redirection tests
 * list /proc/self/fd). Only our own descriptors are checked: the host's
 * caller may leave others open. */
static int fd_links(void)
{
	int p[2], spare = dup2(1, 100), fd;
	char name[32], text[64], got[8] = "";
	DIR *d;
	struct dirent *e;
	int seen = 0;

	if (pipe(p) || spare < 0 || close(spare) || !(d = opendir("/proc/self/fd")))
		return -1;
	while ((e = readdir(d))) {
		int n = atoi(e->d_name);
		seen |= (n == p[0]) | (n == p[1]) << 1 | (n == dirfd(d)) << 2 |
			(n == spare) << 3;
	}
	closedir(d);
	snprintf(name, sizeof name, "/proc/self/fd/%d", p[0]);
	ssize_t len = readlink(name, text, sizeof text - 1);
	text[len > 0 ? len : 0] = 0;
	snprintf(name, sizeof name, "/dev/fd/%d", p[0]);
	fd = open(name, O_RDONLY);
	if (seen != 7 || strncmp(text, "pipe:[", 6) || fd < 0 || write(p[1], "hi", 2) != 2 ||
	    read(fd, got, sizeof got) != 2 || strcmp(got, "hi"))
		return -2 - seen;
	close(fd);
	snprintf(name, sizeof name, "/proc/self/fd/%d", p[1]);
	if (open(name, O_WRONLY | O_NOFOLLOW) != -1 || errno != ELOOP)
		return -20;
	close(p[0]);
	close(p[1]);
	/* a file with a name is opened anew: its own offset */
	int file = open("/tmp/procfs-fd-link", O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink("/tmp/procfs-fd-link");
	snprintf(name, sizeof name, "/proc/self/fd/%d", file);
	if (file < 0 || write(file, "abc", 3) != 3 || (fd = open(name, O_RDONLY)) < 0 ||
	    read(fd, got, sizeof got) != 3 || memcmp(got, "abc", 3))
		return -30;
	close(fd);
	return close(file);
}

/* A child that exits is a zombie ('Z') until it is waited for. */
static int child_states(void)
{
	int status;
	struct stat_line s;
	pid_t pid = fork();

	if (pid == 0) {
		usleep(300000);
		_exit(3);
	}
	if (pid < 0 || read_stat(pid, &s) || s.ppid != getpid() || s.state == 'Z')
		return -1;
	for (int i = 0; i < 300 && !read_stat(pid, &s) && s.state != 'Z'; i++)
		usleep(10000);
	if (s.state != 'Z' || waitpid(pid, &status, 0) != pid)
		return -1;
	return read_stat(pid, &s) == 0 ? -1 : 0;    /* reaped: gone */
}

int main(int argc, char **argv)
{
	struct stat_line s;
	struct stat st;
	char self[32], pid[16];
	double up1, up2, idle;
	unsigned long total;

	(void)argc;
	snprintf(pid, sizeof pid, "%d", getpid());
	CHECK(read_stat(getpid(), &s) == 0);
	CHECK(s.pid == getpid() && s.ppid == getppid() && s.pgrp == getpgrp() &&
	      s.sid == getsid(0));
	CHECK(s.state == 'R' && strcmp(s.comm, "procfs") == 0 && s.fields == 52);
	CHECK(read_stat(0, &s) == -1 && errno == ENOENT);
	CHECK(readlink("/proc/self", self, sizeof self) == (ssize_t)strlen(pid) &&
	      memcmp(self, pid, strlen(pid)) == 0);
	CHECK(stat("/proc/self/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(dir_has("/proc", pid) && dir_has("/proc", "self"));
	CHECK(dir_has("/proc/self", "stat") && dir_has("/proc/self", "cmdline"));

	CHECK(slurp("/proc/self/cmdline") == (long)strlen(argv[0]) + 1 &&
	      strcmp(buf, argv[0]) == 0);
	CHECK(slurp("/proc/self/comm") > 0 && strcmp(buf, "procfs\n") == 0);
	CHECK(slurp("/proc/self/status") > 0 && has_line_with("\nState:\tR (running)\n"));
	snprintf(self, sizeof self, "\nPid:\t%d\n", getpid());
	CHECK(has_line_with(self));
	snprintf(self, sizeof self, "\nUid:\t%d\t%d\t", getuid(), geteuid());
	CHECK(has_line_with(self));
	CHECK(signal_lines());
	int links = fd_links();
	CHECK(links == 0);

	CHECK(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf %lf", &up1, &idle) == 2 && up1 > 0);
	usleep(100000);
	CHECK(slurp("/proc/uptime") > 0 && sscanf(buf, "%lf", &up2) == 1 && up2 > up1);
	CHECK(slurp("/proc/meminfo") > 0 && sscanf(buf, "MemTotal: %lu kB", &total) == 1 &&
	      total > 0 && has_line_with("\nMemFree:") && has_line_with("\nMemAvailable:"));
	CHECK(slurp("/proc/mounts") > 0 && has_line_with(" / ") && has_line_with("proc /proc proc "));
	CHECK(slurp("/proc/stat") > 0 && strncmp(buf, "cpu  ", 5) == 0 && has_line_with("\nbtime "));
	int running, procs, last;
	CHECK(slurp("/proc/loadavg") > 0 &&
	      sscanf(buf, "%*f %*f %*f %d/%d %d", &running, &procs, &last) == 3 && running >= 1 &&
	      procs >= running && last >= getpid());
	CHECK(child_states() == 0);
	return done();
}
