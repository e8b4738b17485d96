/* Paths on a writable filesystem: create, write, read, seek past the end,
 * truncate, directories, hard and symbolic links, rename, unlink while
 * open, modes and owners, timestamps, umask, getdents while changing,
 * devices, statfs, and Linux's errno for each misuse. Everything happens
 * in a directory it makes in /tmp and removes. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "check.h"

#define DIR_ "/tmp/paths-test"
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE 2
#define STATX_BASIC_STATS 0x7ffu

/* musl 1.2.3 has neither renameat2 nor statx: the raw calls */
static int renameat2(int odir, const char *old, int ndir, const char *new, unsigned flags)
{
	return (int)syscall(SYS_renameat2, odir, old, ndir, new, flags);
}

struct statx_buf {                      /* struct statx (Linux uapi) */
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad;
	uint64_t stx_ino, stx_size, rest[26];
};

static int statx_(int dirfd, const char *path, int flags, unsigned mask, struct statx_buf *b)
{
	return (int)syscall(SYS_statx, dirfd, path, flags, mask, b);
}

static int names_in(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void files(void)
{
	char buf[64];
	struct stat st;

	int fd = open("f", O_CREAT | O_EXCL | O_RDWR, 0666);
	CHECK(fd >= 0);
	CHECK_ERR(open("f", O_CREAT | O_EXCL | O_RDWR, 0666), EEXIST);
	CHECK(write(fd, "hello", 5) == 5);
	CHECK(lseek(fd, 0, SEEK_CUR) == 5);
	CHECK(pread(fd, buf, sizeof buf, 1) == 4 && memcmp(buf, "ello", 4) == 0);
	CHECK(pwrite(fd, "J", 1, 0) == 1 && lseek(fd, 0, SEEK_CUR) == 5);
	CHECK(lseek(fd, 10, SEEK_SET) == 10 && write(fd, "!", 1) == 1);
	CHECK(fstat(fd, &st) == 0 && st.st_size == 11 && S_ISREG(st.st_mode));
	CHECK((st.st_mode & 07777) == 0644);                 /* umask 022 */
	CHECK(pread(fd, buf, sizeof buf, 0) == 11 && memcmp(buf, "Jello\0\0\0\0\0!", 11) == 0);
	CHECK(ftruncate(fd, 3) == 0 && fstat(fd, &st) == 0 && st.st_size == 3);
	CHECK(ftruncate(fd, 6) == 0 && pread(fd, buf, 6, 0) == 6 && memcmp(buf, "Jel\0\0\0", 6) == 0);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK(lseek(fd, 0, SEEK_END) == 6);
	CHECK_ERR(lseek(fd, -7, SEEK_CUR), EINVAL);
	CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
	CHECK(close(fd) == 0);

	fd = open("f", O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "ab", 2) == 2 && lseek(fd, 0, SEEK_CUR) == 8);
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK(fcntl(fd, F_GETFL) == (O_WRONLY | O_APPEND | O_LARGEFILE));
	close(fd);
	fd = open("f", O_RDONLY | O_TRUNC);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0);
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_ERR(ftruncate(fd, 0), EINVAL);
	close(fd);
	CHECK(truncate("f", 4096 * 3 + 1) == 0 && stat("f", &st) == 0 && st.st_size == 12289);
	CHECK(st.st_nlink == 1);
	CHECK_ERR(truncate("nothing", 0), ENOENT);
	CHECK_ERR(truncate(".", 0), EISDIR);
	fd = creat("c", 0600);
	CHECK(fd >= 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(fcntl(fd, F_GETFL) == (O_WRONLY | O_LARGEFILE));
	close(fd);
	CHECK_ERR(open("f/", O_RDONLY), ENOTDIR);
	CHECK_ERR(open("new/", O_CREAT | O_RDWR, 0600), EISDIR);
	CHECK_ERR(open(".", O_RDWR), EISDIR);
	CHECK_ERR(open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open("none/x", O_CREAT | O_RDWR, 0600), ENOENT);
	CHECK_ERR(open("f/x", O_CREAT | O_RDWR, 0600), ENOTDIR);
}

static void directories(void)
{
	struct stat st;

	CHECK(mkdir("d", 0755) == 0);
	CHECK_ERR(mkdir("d", 0755), EEXIST);
	CHECK_ERR(mkdir("f", 0755), EEXIST);
	CHECK_ERR(mkdir("x/y", 0755), ENOENT);
	CHECK(stat("d", &st) == 0 && S_ISDIR(st.st_mode) && st.st_nlink == 2);
	CHECK(mkdir("d/sub", 0700) == 0 && stat("d", &st) == 0 && st.st_nlink == 3);
	CHECK(mkdir("d/sub2/", 0700) == 0 && stat("d", &st) == 0 && st.st_nlink == 4);
	CHECK(close(open("d/sub/file", O_CREAT | O_WRONLY, 0644)) == 0);
	CHECK_ERR(rmdir("d"), ENOTEMPTY);
	CHECK_ERR(rmdir("d/sub"), ENOTEMPTY);
	CHECK_ERR(rmdir("f"), ENOTDIR);
	CHECK_ERR(rmdir("d/."), EINVAL);
	CHECK_ERR(unlink("d"), EISDIR);
	CHECK_ERR(unlink("d/sub/file/"), ENOTDIR);
	CHECK_ERR(unlinkat(AT_FDCWD, "d", 0x1), EINVAL);
	CHECK(unlink("d/sub/file") == 0);
	CHECK_ERR(unlink("d/sub/file"), ENOENT);
	CHECK(rmdir("d/sub") == 0 && stat("d", &st) == 0 && st.st_nlink == 3);
	CHECK(unlinkat(AT_FDCWD, "d/sub2", AT_REMOVEDIR) == 0);
	CHECK(names_in("d") == 2);

	/* removing a name already read neither repeats nor hides the others */
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "d/n%d", i);
		close(open(name, O_CREAT | O_WRONLY, 0644));
	}
	DIR *dir = opendir("d");
	struct dirent *e;
	char first[16] = "d/", seen[5] = { 0 };
	int repeats = 0;
	CHECK(dir != NULL);
	while ((e = readdir(dir)) && e->d_name[0] != 'n')
		;
	CHECK(e != NULL);
	strcpy(first + 2, e->d_name);
	seen[e->d_name[1] - '0']++;
	CHECK(unlink(first) == 0);
	while ((e = readdir(dir)))
		if (e->d_name[0] == 'n')
			repeats += seen[e->d_name[1] - '0']++ != 0;
	closedir(dir);
	CHECK(repeats == 0 && memchr(seen, 0, 5) == NULL);
	CHECK(close(open(first, O_CREAT | O_WRONLY, 0644)) == 0);

	/* chdir into a directory that is then removed */
	int here = open(".", O_RDONLY | O_DIRECTORY);
	char cwd[256];
	CHECK(mkdir("gone", 0755) == 0 && chdir("gone") == 0);
	CHECK(rmdir("../gone") == 0);
	CHECK(getcwd(cwd, sizeof cwd) == NULL && errno == ENOENT);
	CHECK_ERR(open("x", O_CREAT | O_RDWR, 0644), ENOENT);
	CHECK(stat(".", &st) == 0 && st.st_nlink == 0);
	CHECK(fchdir(here) == 0 && getcwd(cwd, sizeof cwd) && strcmp(cwd, DIR_) == 0);
	close(here);
}

static void links(void)
{
	struct stat st, st2;
	char buf[64];

	CHECK(link("f", "hard") == 0);
	CHECK(stat("f", &st) == 0 && st.st_nlink == 2);
	CHECK(stat("hard", &st2) == 0 && st2.st_ino == st.st_ino);
	CHECK_ERR(link("f", "hard"), EEXIST);
	CHECK_ERR(link("d", "dlink"), EPERM);
	CHECK_ERR(link("nothing", "x"), ENOENT);
	CHECK(symlink("f", "soft") == 0);
	CHECK(lstat("soft", &st2) == 0 && S_ISLNK(st2.st_mode) && st2.st_size == 1);
	CHECK(stat("soft", &st2) == 0 && st2.st_ino == st.st_ino);
	CHECK(readlink("soft", buf, sizeof buf) == 1 && buf[0] == 'f');
	CHECK_ERR(readlink("f", buf, sizeof buf), EINVAL);
	CHECK_ERR(symlink("x", "soft"), EEXIST);
	CHECK_ERR(symlink("", "empty"), ENOENT);
	CHECK(symlink("dangling-target", "dangling") == 0);
	CHECK_ERR(stat("dangling", &st2), ENOENT);
	CHECK(lstat("dangling", &st2) == 0);
	CHECK(symlink("loop", "loop") == 0);
	CHECK_ERR(stat("loop", &st2), ELOOP);
	CHECK_ERR(open("soft", O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK(linkat(AT_FDCWD, "soft", AT_FDCWD, "soft2", 0) == 0);
	CHECK(lstat("soft2", &st2) == 0 && S_ISLNK(st2.st_mode));
	CHECK(linkat(AT_FDCWD, "soft", AT_FDCWD, "hard2", AT_SYMLINK_FOLLOW) == 0);
	CHECK(stat("f", &st) == 0 && st.st_nlink == 3);
	CHECK(unlink("hard2") == 0 && unlink("soft2") == 0 && unlink("loop") == 0);
	CHECK(symlink("d", "dirlink") == 0);
	CHECK(stat("dirlink/", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(unlink("dirlink") == 0 && unlink("dangling") == 0);

	/* an unlinked file stays readable while open */
	int fd = open("temp", O_CREAT | O_RDWR, 0600);
	CHECK(fd >= 0 && write(fd, "still here", 10) == 10);
	CHECK(unlink("temp") == 0);
	CHECK_ERR(access("temp", F_OK), ENOENT);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 0);
	CHECK(pread(fd, buf, sizeof buf, 0) == 10 && memcmp(buf, "still here", 10) == 0);
	close(fd);
}

static void renames(void)
{
	struct stat st, st2;

	CHECK(close(open("r1", O_CREAT | O_WRONLY, 0644)) == 0);
	CHECK(stat("r1", &st) == 0 && rename("r1", "r2") == 0);
	CHECK(stat("r2", &st2) == 0 && st2.st_ino == st.st_ino);
	CHECK_ERR(stat("r1", &st2), ENOENT);
	CHECK_ERR(rename("r1", "r3"), ENOENT);
	CHECK(rename("r2", "r2") == 0);
	CHECK(rename("r2", "hard") == 0);               /* replaces a file */
	CHECK(stat("f", &st) == 0 && st.st_nlink == 1);
	CHECK_ERR(rename("hard", "d"), EISDIR);
	CHECK(mkdir("e", 0755) == 0 && mkdir("e/in", 0755) == 0);
	CHECK_ERR(rename("e", "hard"), ENOTDIR);
	CHECK_ERR(rename("e", "e/in/deeper"), EINVAL);
	CHECK_ERR(rename("d", "e"), ENOTEMPTY);
	CHECK(rename("e/in", "emptydir") == 0 && stat("e", &st) == 0 && st.st_nlink == 2);
	CHECK(rename("e", "emptydir") == 0);            /* a directory over an empty one */
	CHECK_ERR(stat("e", &st), ENOENT);
	CHECK(rename("emptydir", "d/moved") == 0 && stat("d", &st) == 0 && st.st_nlink == 3);
	CHECK_ERR(rename("hard/", "x"), ENOTDIR);
	CHECK_ERR(renameat2(AT_FDCWD, "hard", AT_FDCWD, "f", RENAME_NOREPLACE), EEXIST);
	CHECK(renameat2(AT_FDCWD, "hard", AT_FDCWD, "d/moved", RENAME_EXCHANGE) == 0);
	CHECK(stat("hard", &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(stat("d/moved", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERR(renameat2(AT_FDCWD, "hard", AT_FDCWD, "f", 3), EINVAL);
	CHECK(rmdir("hard") == 0 && unlink("d/moved") == 0);
	int dfd = open("d", O_RDONLY | O_DIRECTORY);
	CHECK(renameat(AT_FDCWD, "c", dfd, "c-in-d") == 0);
	CHECK(fstatat(dfd, "c-in-d", &st, 0) == 0);
	CHECK(unlinkat(dfd, "c-in-d", 0) == 0);
	close(dfd);
}

static void attributes(void)
{
	struct stat st;
	struct timespec ts[2] = { { 1000000000, 5 }, { 1200000000, 7 } };
	struct timeval tv[2] = { { 1300000000, 1 }, { 1400000000, 2 } };

	CHECK(chmod("f", 04751) == 0 && stat("f", &st) == 0 && (st.st_mode & 07777) == 04751);
	CHECK(chown("f", 12, 34) == 0 && stat("f", &st) == 0 && st.st_uid == 12 && st.st_gid == 34);
	CHECK((st.st_mode & 07777) == 0751);            /* chown clears set-user-ID */
	CHECK(chown("f", -1, 56) == 0 && stat("f", &st) == 0 && st.st_uid == 12 && st.st_gid == 56);
	CHECK(symlink("f", "ln") == 0 && lchown("ln", 7, 8) == 0);
	CHECK(lstat("ln", &st) == 0 && st.st_uid == 7 && stat("ln", &st) == 0 && st.st_uid == 12);
	int fd = open("f", O_RDONLY);
	CHECK(fchmod(fd, 0600) == 0 && fchown(fd, 0, 0) == 0);
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0600 && st.st_uid == 0);
	CHECK(fchmodat(AT_FDCWD, "f", 0640, 0) == 0 && stat("f", &st) == 0 && (st.st_mode & 0777) == 0640);
	CHECK(fchownat(AT_FDCWD, "ln", 3, 3, AT_SYMLINK_NOFOLLOW) == 0);
	CHECK_ERR(chmod("nothing", 0600), ENOENT);
	CHECK_ERR(fchmod(99, 0600), EBADF);

	CHECK(utimensat(AT_FDCWD, "f", ts, 0) == 0 && stat("f", &st) == 0);
	CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 5);
	CHECK(st.st_mtim.tv_sec == 1200000000 && st.st_mtim.tv_nsec == 7);
	CHECK(st.st_ctim.tv_sec > 1600000000);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	CHECK(futimens(fd, ts) == 0 && fstat(fd, &st) == 0);
	CHECK(st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec > 1600000000);
	CHECK(utimes("f", tv) == 0 && stat("f", &st) == 0);
	CHECK(st.st_atim.tv_sec == 1300000000 && st.st_atim.tv_nsec == 1000);
	CHECK(st.st_mtim.tv_sec == 1400000000 && st.st_mtim.tv_nsec == 2000);
	ts[0].tv_nsec = 1000000000;
	CHECK_ERR(utimensat(AT_FDCWD, "f", ts, 0), EINVAL);
	CHECK_ERR(utimensat(AT_FDCWD, "f", NULL, 0x1), EINVAL);
	close(fd);

	/* writing moves mtime; the clock is the wall clock */
	time_t now = time(NULL);
	fd = open("f", O_WRONLY);
	CHECK(write(fd, "x", 1) == 1 && fstat(fd, &st) == 0);
	CHECK(st.st_mtim.tv_sec >= now - 1 && st.st_mtim.tv_sec <= now + 5);
	close(fd);

	struct statx_buf sx;
	CHECK(statx_(AT_FDCWD, "f", 0, STATX_BASIC_STATS, &sx) == 0);
	CHECK((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
	CHECK(stat("f", &st) == 0 && sx.stx_ino == st.st_ino && sx.stx_size == (uint64_t)st.st_size);
	CHECK(sx.stx_mode == st.st_mode && sx.stx_nlink == st.st_nlink);
	CHECK(statx_(AT_FDCWD, "ln", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) == 0);
	CHECK(S_ISLNK(sx.stx_mode));
	CHECK_ERR(statx_(AT_FDCWD, "f", 0, 0x80000000u, &sx), EINVAL);
	CHECK(unlink("ln") == 0);

	struct statfs sf;
	CHECK(statfs("/dev", &sf) == 0 && sf.f_type == 0x01021994 && sf.f_bsize == 4096);
	CHECK(sf.f_namelen == 255);
	CHECK_ERR(statfs("nothing", &sf), ENOENT);
}

static void umasks(void)
{
	struct stat st;

	CHECK(umask(077) == 022);
	CHECK(close(open("u1", O_CREAT | O_WRONLY, 0666)) == 0);
	CHECK(stat("u1", &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(mkdir("u2", 0777) == 0 && stat("u2", &st) == 0 && (st.st_mode & 0777) == 0700);
	pid_t pid = fork();
	if (pid == 0)
		_exit(umask(0) == 077 ? 0 : 1);     /* inherited */
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(umask(022) == 077);
	CHECK(unlink("u1") == 0 && rmdir("u2") == 0);
}

static void devices(void)
{
	struct stat st;
	char buf[16];

	int fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf) == 0 && write(fd, "x", 1) == 1);
	CHECK(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3));
	close(fd);
	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 1, sizeof buf);
	CHECK(fd >= 0 && read(fd, buf, sizeof buf) == sizeof buf && buf[0] == 0 && buf[15] == 0);
	close(fd);
	fd = open("/dev/full", O_WRONLY);
	CHECK_ERR(write(fd, "x", 1), ENOSPC);
	close(fd);
	char a[16], b[16];
	fd = open("/dev/urandom", O_RDONLY);
	CHECK(read(fd, a, 16) == 16 && read(fd, b, 16) == 16 && memcmp(a, b, 16) != 0);
	close(fd);
	CHECK(stat("/dev/tty", &st) == 0 && st.st_rdev == makedev(5, 0));
	CHECK(stat("/dev/console", &st) == 0 && st.st_rdev == makedev(5, 1));
	CHECK(mknod("mynull", S_IFCHR | 0666, makedev(1, 3)) == 0);
	fd = open("mynull", O_WRONLY);
	CHECK(fd >= 0 && write(fd, "gone", 4) == 4);
	close(fd);
	CHECK(mknod("plain", S_IFREG | 0600, 0) == 0 && stat("plain", &st) == 0 && S_ISREG(st.st_mode));
	CHECK_ERR(mknod("dir", S_IFDIR | 0700, 0), EPERM);
	CHECK(unlink("mynull") == 0 && unlink("plain") == 0);
	CHECK(stat("/tmp", &st) == 0 && (st.st_mode & 07777) == 01777);
}

static void sendfiles(void)
{
	char buf[16];
	int in = open("f", O_RDWR | O_TRUNC);
	int out = open("copy", O_CREAT | O_RDWR, 0644);

	CHECK(write(in, "0123456789", 10) == 10 && lseek(in, 2, SEEK_SET) == 2);
	CHECK(sendfile(out, in, NULL, 5) == 5 && lseek(in, 0, SEEK_CUR) == 7);
	off_t off = 8;
	CHECK(sendfile(out, in, &off, 100) == 2 && off == 10 && lseek(in, 0, SEEK_CUR) == 7);
	CHECK(pread(out, buf, sizeof buf, 0) == 7 && memcmp(buf, "2345689", 7) == 0);
	CHECK_ERR(sendfile(out, 99, NULL, 1), EBADF);
	close(in);
	close(out);
	CHECK(unlink("copy") == 0);
}

int main(void)
{
	umask(022);
	CHECK(mkdir(DIR_, 0755) == 0 && chdir(DIR_) == 0);
	files();
	directories();
	links();
	renames();
	attributes();
	umasks();
	devices();
	sendfiles();
	CHECK(unlink("f") == 0 && rmdir("d/n0") == -1 && errno == ENOTDIR);
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "d/n%d", i);
		unlink(name);
	}
	CHECK(unlink("soft") == 0 && rmdir("d") == 0);
	CHECK(chdir("/") == 0 && rmdir(DIR_) == 0);
	return done();
}
