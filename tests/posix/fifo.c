/* Named pipes (FIFOs): opens that wait for their peer (and a signal
 * ending that wait), non-blocking opens, O_RDWR, data, attributes, a FIFO
 * unlinked while open, on tmpfs, permissions; and pipes reopened through
 * /proc/self/fd/N as a read or a write end. */
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include "check.h"

#define DIR_ "/tmp/fifo-test"
#define FIFO DIR_ "/f"
#define TMPFS DIR_ "/tmpfs"

static char buf[64];

/* The exit status of pid, or -1 */
static int exit_of(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *fd_path(int fd)
{
	static char path[32];

	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return path;
}

/* Without a peer: a non-blocking read open succeeds (reads say EOF, poll
 * no hangup: no writer came yet), a non-blocking write open says ENXIO. */
static void nonblocking(void)
{
	struct pollfd p = { .events = POLLIN };
	struct stat st;

	CHECK_ERR(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO);
	CHECK_ERR(open(FIFO, 3), EINVAL);           /* access mode 3: no reads, no writes */
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	p.fd = r;
	CHECK(read(r, buf, sizeof buf) == 0);
	CHECK(poll(&p, 1, 0) == 0);
	int w = open(FIFO, O_WRONLY | O_NONBLOCK);
	CHECK(w >= 0);
	CHECK_ERR(read(r, buf, sizeof buf), EAGAIN);
	CHECK(write(w, "abc", 3) == 3);
	int n = -1;
	CHECK(ioctl(r, FIONREAD, &n) == 0 && n == 3);
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLIN);
	CHECK(read(r, buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0);
	CHECK(fstat(w, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_size == 0);
	CHECK_ERR(lseek(r, 0, SEEK_CUR), ESPIPE);
	CHECK_ERR(ftruncate(w, 0), EINVAL);
	CHECK_ERR(fsync(w), EINVAL);
	CHECK(close(w) == 0);
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLHUP);
	CHECK(read(r, buf, sizeof buf) == 0);
	CHECK(close(r) == 0);
}

/* A child that opens the FIFO with flags once its parent waits, then
 * writes "data" or reads what comes: the count */
static pid_t peer(int flags)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (wait_asleep(getppid()))
			_exit(98);
		int fd = open(FIFO, flags);
		ssize_t n = flags == O_WRONLY ? write(fd, "data", 4) : read(fd, buf, sizeof buf);
		_exit(fd < 0 ? 99 : (int)n);
	}
	return pid;
}

/* Blocking opens wait for the peer, then data flows; EOF when the writer goes. */
static void blocking(void)
{
	pid_t pid = peer(O_WRONLY);
	int r = open(FIFO, O_RDONLY);
	CHECK(r >= 0);
	CHECK(read(r, buf, sizeof buf) == 4 && memcmp(buf, "data", 4) == 0);
	CHECK(read(r, buf, sizeof buf) == 0);
	struct pollfd p = { .fd = r, .events = POLLIN };
	CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLHUP);     /* its writer came and went */
	CHECK(exit_of(pid) == 4);
	CHECK(close(r) == 0);

	pid = peer(O_RDONLY);
	int w = open(FIFO, O_WRONLY);
	CHECK(w >= 0);
	CHECK(write(w, "hello", 5) == 5 && close(w) == 0);
	CHECK(exit_of(pid) == 5);

	int rw = open(FIFO, O_RDWR);        /* its own peer: never waits */
	CHECK(rw >= 0);
	CHECK(write(rw, "xy", 2) == 2 && read(rw, buf, sizeof buf) == 2);
	CHECK(close(rw) == 0);
}

static int alarms[2] = { -1, -1 };

/* tells a pipe, if there is one, that it ran */
static void on_alarm(int sig)
{
	(void)sig;
	if (alarms[1] >= 0 && write(alarms[1], "a", 1) != 1)
		_exit(97);
}

/* A signal (a handler without SA_RESTART) ends an open's wait: EINTR, and
 * it leaves no end behind. */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };

	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	alarm(1);
	CHECK_ERR(open(FIFO, O_RDONLY), EINTR);
	CHECK_ERR(open(FIFO, O_WRONLY | O_NONBLOCK), ENXIO);
	alarm(1);
	CHECK_ERR(open(FIFO, O_WRONLY), EINTR);
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	struct pollfd p = { .fd = r, .events = POLLIN };
	CHECK(r >= 0 && poll(&p, 1, 0) == 0);      /* no writer was ever there */
	CHECK(close(r) == 0);
}

/* With SA_RESTART the open goes on waiting after the handler, and gets
 * the writer that comes after it ran. */
static void restarted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	char c;

	CHECK(pipe(alarms) == 0 && sigaction(SIGALRM, &sa, NULL) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = read(alarms[0], &c, 1) == 1 ? open(FIFO, O_WRONLY) : -1;
		_exit(fd >= 0 && write(fd, "late", 4) == 4 ? 0 : 1);
	}
	alarm(1);
	int r = open(FIFO, O_RDONLY);
	CHECK(r >= 0 && read(r, buf, sizeof buf) == 4 && memcmp(buf, "late", 4) == 0);
	CHECK(exit_of(pid) == 0 && close(r) == 0);
	close(alarms[0]);
	close(alarms[1]);
	alarms[0] = alarms[1] = -1;
}

/* An unlinked FIFO works for those who have it open, and through
 * /proc/self/fd/N; its name shows it. */
static void unlinked(void)
{
	struct stat st;
	char link[64] = "";
	int rw = open(FIFO, O_RDWR);

	CHECK(rw >= 0);
	CHECK(readlink(fd_path(rw), link, sizeof link - 1) > 0 && strcmp(link, FIFO) == 0);
	CHECK(unlink(FIFO) == 0);
	CHECK(write(rw, "still", 5) == 5 && read(rw, buf, sizeof buf) == 5);
	CHECK(fstat(rw, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_nlink == 0);
	int w = open(fd_path(rw), O_WRONLY);
	CHECK(w >= 0 && write(w, "again", 5) == 5);
	CHECK(read(rw, buf, sizeof buf) == 5 && memcmp(buf, "again", 5) == 0);
	CHECK(close(w) == 0 && close(rw) == 0);
}

/* Another user may not open a FIFO whose mode keeps them out. */
static void permissions(void)
{
	CHECK(mkfifo(FIFO, 0600) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		if (setuid(65534))
			_exit(98);
		int fd = open(FIFO, O_RDONLY | O_NONBLOCK);
		_exit(fd < 0 && errno == EACCES ? 0 : 1);
	}
	CHECK(exit_of(pid) == 0);
	CHECK(unlink(FIFO) == 0);
}

static void on_tmpfs(void)
{
	CHECK(mkdir(TMPFS, 0755) == 0 && mount("tmpfs", TMPFS, "tmpfs", 0, NULL) == 0);
	CHECK(mkfifo(TMPFS "/f", 0644) == 0);
	int rw = open(TMPFS "/f", O_RDWR);
	CHECK(rw >= 0 && write(rw, "tmp", 3) == 3 && read(rw, buf, sizeof buf) == 3);
	CHECK(close(rw) == 0);
	CHECK(umount(TMPFS) == 0 && rmdir(TMPFS) == 0);
}

/* /proc/self/fd/N of a pipe opens a new end of it, with the access asked for. */
static void pipe_reopened(void)
{
	struct stat st, st2;
	int fd[2];

	CHECK(pipe(fd) == 0);
	CHECK(stat(fd_path(fd[0]), &st) == 0 && S_ISFIFO(st.st_mode));
	int w = open(fd_path(fd[0]), O_WRONLY);
	CHECK(w >= 0 && write(w, "xy", 2) == 2 && read(fd[0], buf, sizeof buf) == 2);
	int r = open(fd_path(fd[1]), O_RDONLY);
	CHECK(r >= 0 && write(fd[1], "z", 1) == 1 && read(r, buf, sizeof buf) == 1);
	CHECK(fstat(r, &st2) == 0 && S_ISFIFO(st2.st_mode) && st2.st_ino == st.st_ino);
	CHECK((fcntl(r, F_GETFL) & O_ACCMODE) == O_RDONLY && (fcntl(w, F_GETFL) & O_ACCMODE) == O_WRONLY);
	CHECK(close(fd[1]) == 0 && close(w) == 0);
	CHECK(read(r, buf, sizeof buf) == 0);       /* no writer left */
	CHECK(close(r) == 0 && close(fd[0]) == 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	unlink(FIFO);
	rmdir(DIR_);
	CHECK(mkdir(DIR_, 0755) == 0);
	CHECK(mkfifo(FIFO, 0644) == 0);
	struct stat st;
	CHECK(stat(FIFO, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_size == 0);
	nonblocking();
	blocking();
	interrupted();
	restarted();
	unlinked();
	permissions();
	on_tmpfs();
	pipe_reopened();
	CHECK(rmdir(DIR_) == 0);
	return done();
}
