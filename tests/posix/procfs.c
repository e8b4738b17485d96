/* /proc as ps, top, free and mount read it: only what is the same on any
 * Linux (this process's own entries, formats, a child's life); and the
 * per-process links ttyname, ls -l and lsof read (fd/N, cwd, root, exe),
 * the names they give, reopening through them and who may read them. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

static char buf[8192];

static long slurp(const char *path)
{
	return read_file(path, buf, sizeof buf);
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

/* /dev/fd/N, a link to /proc/self/fd/N, of a pipe ("<(cmd)" in shells,
 * which ash_test's bash_procsub reads): an end of that pipe; O_NOFOLLOW
 * stops at the link. */
static void dev_fd_pipe(void)
{
	int p[2];
	char name[32], got[8] = "";

	CHECK(pipe(p) == 0 && write(p[1], "hi", 2) == 2);
	snprintf(name, sizeof name, "/dev/fd/%d", p[0]);
	int fd = open(name, O_RDONLY);
	CHECK(fd >= 0 && read(fd, got, sizeof got) == 2 && strcmp(got, "hi") == 0);
	snprintf(name, sizeof name, "/proc/self/fd/%d", p[1]);
	CHECK_ERR(open(name, O_WRONLY | O_NOFOLLOW), ELOOP);
	close(fd);
	close(p[0]);
	close(p[1]);
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

static char target[4096];

/* readlink of /proc/self/fd/N (or of path, if fd < 0) into target */
static const char *fd_link(int fd, const char *path)
{
	char name[64];
	ssize_t n;

	snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
	n = readlink(fd < 0 ? path : name, target, sizeof target - 1);
	target[n < 0 ? 0 : n] = 0;
	return target;
}

static int ends_with(const char *s, const char *end)
{
	size_t a = strlen(s), b = strlen(end);

	return a >= b && strcmp(s + a - b, end) == 0;
}

/* The descriptors from 3 up, as /proc/self/fd lists them (its own too). */
static const char *fd_list(void)
{
	static char list[512];
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t used = 0;

	list[0] = 0;
	while (d && (e = readdir(d)) && used < sizeof list - 8)
		if (atoi(e->d_name) >= 3)
			used += snprintf(list + used, sizeof list - used, "%s%s", used ? " " : "",
					 e->d_name);
	if (d)
		closedir(d);
	return list;
}

/* The names of open files: a file, a directory, devices, a pipe, a
 * deleted file; and the listing as descriptors come and go. */
static void fd_names(void)
{
	int p[2];
	int a = open("/tmp/procfd-a", O_CREAT | O_RDWR | O_TRUNC, 0644);
	int null = open("/dev/null", O_WRONLY), dir = open("/tmp", O_RDONLY | O_DIRECTORY);

	CHECK(a == 3 && null == 4 && dir == 5);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-a") == 0);
	CHECK(strcmp(fd_link(null, NULL), "/dev/null") == 0);
	CHECK(strcmp(fd_link(dir, NULL), "/tmp") == 0);
	CHECK(strcmp(fd_list(), "3 4 5 6") == 0);
	close(null);
	CHECK(strcmp(fd_list(), "3 4 5") == 0);
	CHECK(pipe(p) == 0 && p[0] == 4 && p[1] == 6);
	CHECK(strncmp(fd_link(p[0], NULL), "pipe:[", 6) == 0 && ends_with(target, "]"));
	CHECK(strcmp(fd_link(p[1], NULL), target) == 0 || strcmp(fd_link(p[0], NULL), target) == 0);
	CHECK(strcmp(fd_list(), "3 4 5 6 7") == 0);
	CHECK_ERR(readlink("/proc/self/fd/9", target, sizeof target), ENOENT);
	CHECK(unlink("/tmp/procfd-a") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-a (deleted)") == 0);
	close(p[0]);
	close(p[1]);
	close(dir);
	close(a);
	CHECK(strcmp(fd_list(), "3") == 0);
}

/* A name follows its file through renames (of it and of its directory);
 * a name unlinked is deleted even if another link remains, as on Linux. */
static void renames(void)
{
	int a = open("/tmp/procfd-c", O_CREAT | O_RDWR, 0644);

	CHECK(link("/tmp/procfd-c", "/tmp/procfd-e") == 0 && unlink("/tmp/procfd-c") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-c (deleted)") == 0);
	CHECK(mkdir("/tmp/procfd-dir", 0755) == 0);
	CHECK(rename("/tmp/procfd-e", "/tmp/procfd-dir/f") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-c (deleted)") == 0);
	close(a);
	a = open("/tmp/procfd-dir/f", O_RDONLY);
	CHECK(rename("/tmp/procfd-dir/f", "/tmp/procfd-dir/g") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-dir/g") == 0);
	CHECK(rename("/tmp/procfd-dir", "/tmp/procfd-dir2") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-dir2/g") == 0);
	CHECK(rename("/tmp/procfd-dir2/g", "/tmp/procfd-g") == 0 && rmdir("/tmp/procfd-dir2") == 0);
	CHECK(strcmp(fd_link(a, NULL), "/tmp/procfd-g") == 0);
	close(a);
	unlink("/tmp/procfd-g");
}

/* A full table (64 descriptors, the last the listing's own) and a long name. */
static void many_and_long(void)
{
	char path[1200] = "/tmp";
	int fd = -1, last = 3;

	for (int i = 0; i < 20; i++) {
		strcat(path, "/a-directory-name-that-is-long-enough-to-add-up");
		mkdir(path, 0755);
	}
	strcat(path, "/file");
	fd = open(path, O_CREAT | O_RDWR, 0644);
	CHECK(fd == 3 && strcmp(fd_link(fd, NULL), path) == 0);
	while (last < 62 && dup(fd) == last + 1)
		last++;
	CHECK(last == 62 && strcmp(fd_link(62, NULL), path) == 0);
	CHECK(strncmp(fd_list(), "3 4 5 ", 6) == 0 && ends_with(fd_list(), " 61 62 63"));
	for (int i = 3; i <= last; i++)
		close(i);
	unlink(path);
}

/* Following fd/N opens the file itself anew: its own offset, even when
 * deleted; and writing to a device through it. */
static void reopen(void)
{
	char text[16] = "";
	char name[64];
	int a = open("/tmp/procfd-b", O_CREAT | O_RDWR | O_TRUNC, 0644);

	CHECK(write(a, "hello", 5) == 5);
	snprintf(name, sizeof name, "/proc/self/fd/%d", a);
	int b = open(name, O_RDONLY);
	CHECK(b >= 0 && read(b, text, sizeof text) == 5 && memcmp(text, "hello", 5) == 0);
	CHECK(lseek(a, 0, SEEK_CUR) == 5 && strcmp(fd_link(b, NULL), "/tmp/procfd-b") == 0);
	close(b);
	CHECK(unlink("/tmp/procfd-b") == 0);
	b = open(name, O_RDONLY);
	CHECK(b >= 0 && read(b, text, sizeof text) == 5);
	CHECK(strcmp(fd_link(b, NULL), "/tmp/procfd-b (deleted)") == 0);
	close(b);
	close(a);
	int null = open("/dev/null", O_WRONLY);
	snprintf(name, sizeof name, "/proc/self/fd/%d", null);
	int w = open(name, O_WRONLY);
	CHECK(w >= 0 && write(w, "x", 1) == 1);
	close(w);
	close(null);
}

/* cwd, root and exe */
static void process_links(void)
{
	CHECK(chdir("/tmp") == 0 && strcmp(fd_link(-1, "/proc/self/cwd"), "/tmp") == 0);
	CHECK(chdir("/") == 0 && strcmp(fd_link(-1, "/proc/self/cwd"), "/") == 0);
	CHECK(strcmp(fd_link(-1, "/proc/self/root"), "/") == 0);
	CHECK(fd_link(-1, "/proc/self/exe")[0] == '/' && ends_with(target, "/procfs"));
	CHECK(access("/proc/self/cwd/tmp", F_OK) == 0);
}

/* ttyname of a pty's slave (musl reads /proc/self/fd/N), and stat's tty_nr
 * and tpgid once it is a session's controlling terminal. */
static void pty_names(void)
{
	int status, master = posix_openpt(O_RDWR | O_NOCTTY);
	CHECK(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
	char *name = ptsname(master);
	int slave = open(name, O_RDWR | O_NOCTTY);
	struct stat st;

	CHECK(slave >= 0 && ttyname(slave) && strcmp(ttyname(slave), name) == 0);
	CHECK(ttyname(open("/dev/null", O_RDONLY)) == NULL && errno == ENOTTY);
	CHECK(fstat(slave, &st) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		unsigned maj = major(st.st_rdev), min = minor(st.st_rdev), tty_nr;
		int tpgid;
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		slurp("/proc/self/stat");
		sscanf(strrchr(buf, ')') + 2, "%*c %*d %*d %*d %u %d", &tty_nr, &tpgid);
		_exit(tty_nr == ((min & 0xff) | (maj << 8) | ((min & ~0xffu) << 12)) &&
		      tpgid == getpid() ? 0 : 1);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(slave);
	close(master);
}

/* Another user may not look into a process's descriptors or links. */
static void other_user(void)
{
	int status, before = failures;
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		char path[64];
		CHECK(setuid(1000) == 0);
		snprintf(path, sizeof path, "/proc/%d/fd/0", parent);
		CHECK_ERR(readlink(path, target, sizeof target), EACCES);
		snprintf(path, sizeof path, "/proc/%d/cwd", parent);
		CHECK_ERR(readlink(path, target, sizeof target), EACCES);
		snprintf(path, sizeof path, "/proc/%d/fd", parent);
		CHECK(opendir(path) == NULL && errno == EACCES);
		CHECK(readlink("/proc/self/cwd", target, sizeof target) == 1);
		_exit(failures != before);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static int starts_with(const char *s, const char *start)
{
	return !strncmp(s, start, strlen(start));
}

/* fdinfo/N as lsof reads it: the offset, the status flags in octal
 * (O_LARGEFILE as a 64-bit open forces it, O_CLOEXEC from the table),
 * a mount id and an inode; only the open descriptors. */
static void fdinfo(void)
{
	int fd = open("/etc/motd", O_RDONLY), cfd = open("/tmp", O_RDONLY | O_CLOEXEC);
	int wfd = open("/tmp/fdinfo.x", O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	char path[64], want[64];
	int mnt;
	unsigned long ino;

	CHECK(fd >= 0 && lseek(fd, 5, SEEK_SET) == 5);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	CHECK(slurp(path) > 0 && starts_with(buf, "pos:\t5\nflags:\t0100000\nmnt_id:\t"));
	CHECK(sscanf(buf, "pos: %*d flags: %*o mnt_id: %d ino: %lu", &mnt, &ino) == 2);
	struct stat st;
	CHECK(fstat(fd, &st) == 0 && st.st_ino == ino);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", cfd);
	CHECK(slurp(path) > 0 && starts_with(buf, "pos:\t0\nflags:\t02100000\n"));
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", wfd);
	snprintf(want, sizeof want, "pos:\t0\nflags:\t0%o\n", O_WRONLY | O_APPEND | 0100000);
	CHECK(slurp(path) > 0 && starts_with(buf, want));
	snprintf(path, sizeof path, "%d", wfd);
	CHECK(dir_has("/proc/self/fdinfo", path));
	close(wfd);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", wfd);
	CHECK_ERR(open(path, O_RDONLY), ENOENT);
	close(cfd);
	close(fd);
	unlink("/tmp/fdinfo.x");
}

/* mountinfo as findmnt reads it: every line "id parent major:minor root
 * where opts ... - type source opts"; /proc is proc's root, on /. */
static void mountinfo(void)
{
	char *save, root[256], where[256], type[64], source[256];
	int id, parent, root_id = -1, proc_parent = -2, lines = 0, bad = 0, proc_ok = 0;
	unsigned major, minor;

	CHECK(slurp("/proc/self/mountinfo") > 0);
	for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *dash = strstr(l, " - ");
		int n = sscanf(l, "%d %d %u:%u %255s %255s", &id, &parent, &major, &minor, root,
			       where);
		if (!dash || n != 6 || sscanf(dash, " - %63s %255s", type, source) != 2) {
			bad++;
			continue;
		}
		lines++;
		if (!strcmp(where, "/"))
			root_id = id;
		if (!strcmp(where, "/proc")) {
			proc_parent = parent;
			proc_ok = !strcmp(root, "/") && !strcmp(type, "proc") &&
				  !strcmp(source, "proc");
		}
	}
	CHECK(lines > 0 && bad == 0);
	CHECK(proc_ok && proc_parent == root_id);
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

	for (int fd = 3; fd < 1024; fd++)
		close(fd);              /* what the host's caller left open */
	fd_names();
	renames();
	many_and_long();
	reopen();
	dev_fd_pipe();
	process_links();
	pty_names();
	fdinfo();
	mountinfo();
	other_user();
	return done();
}
