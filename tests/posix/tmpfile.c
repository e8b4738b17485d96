/* O_TMPFILE: a nameless regular file in a directory's filesystem, with
 * Linux's flag rules (O_DIRECTORY, no O_CREAT, writable), ENOTDIR,
 * EOPNOTSUPP where the filesystem cannot (procfs); named later by linkat
 * through AT_EMPTY_PATH (root) or /proc/self/fd/N, never with O_EXCL or
 * once it lost its name again. SEEK_DATA and SEEK_HOLE on a file. */
#define _GNU_SOURCE
#include <dirent.h>
#include <sys/syscall.h>
#include "check.h"

#define DIR_ "/tmp/tmpfile-test"

static char buf[64];

/* the names in DIR_ besides . and .. */
static int names(void)
{
	DIR *d = opendir(DIR_);
	int n = 0;

	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void flags(void)
{
	CHECK_ERR(open(DIR_, O_TMPFILE | O_RDONLY, 0600), EINVAL);
	CHECK_ERR(open("/nowhere", O_TMPFILE | O_RDONLY, 0600), EINVAL);
	CHECK_ERR(syscall(SYS_open, DIR_, 020000000 | O_RDWR, 0600), EINVAL);  /* no O_DIRECTORY */
	CHECK_ERR(open(DIR_, O_TMPFILE | O_CREAT | O_RDWR, 0600), EINVAL);
	CHECK_ERR(open("/nowhere", O_TMPFILE | O_RDWR, 0600), ENOENT);
	CHECK_ERR(open(DIR_ "/plain", O_TMPFILE | O_RDWR, 0600), ENOTDIR);
	CHECK_ERR(open("/proc", O_TMPFILE | O_RDWR, 0600), EOPNOTSUPP);
}

static void named_by_fd(void)
{
	struct stat st;
	int fd = open(DIR_, O_TMPFILE | O_RDWR, 0640);

	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 0);
	CHECK((st.st_mode & 07777) == 0640 && st.st_size == 0);
	CHECK(write(fd, "hello", 5) == 5 && pread(fd, buf, sizeof buf, 0) == 5);
	CHECK(names() == 1);
	CHECK(linkat(fd, "", AT_FDCWD, DIR_ "/named", AT_EMPTY_PATH) == 0);
	CHECK(fstat(fd, &st) == 0 && st.st_nlink == 1 && names() == 2);
	int again = open(DIR_ "/named", O_RDONLY);
	CHECK(again >= 0 && read(again, buf, sizeof buf) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(close(again) == 0);
	CHECK(unlink(DIR_ "/named") == 0);
	/* named once, nameless again: it stays so */
	CHECK_ERR(linkat(fd, "", AT_FDCWD, DIR_ "/named", AT_EMPTY_PATH), ENOENT);
	CHECK(close(fd) == 0);
}

static void named_by_proc(void)
{
	struct stat st;
	int fd = open(DIR_, O_TMPFILE | O_WRONLY, 0600);
	char link[32];

	CHECK(fd >= 0 && write(fd, "data", 4) == 4);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	CHECK(linkat(AT_FDCWD, link, AT_FDCWD, DIR_ "/viaproc", AT_SYMLINK_FOLLOW) == 0);
	CHECK(stat(DIR_ "/viaproc", &st) == 0 && st.st_size == 4 && st.st_nlink == 1);
	CHECK(close(fd) == 0 && unlink(DIR_ "/viaproc") == 0);

	fd = open(DIR_, O_TMPFILE | O_RDWR | O_EXCL, 0600);
	CHECK(fd >= 0);
	CHECK_ERR(linkat(fd, "", AT_FDCWD, DIR_ "/never", AT_EMPTY_PATH), ENOENT);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	CHECK_ERR(linkat(AT_FDCWD, link, AT_FDCWD, DIR_ "/never", AT_SYMLINK_FOLLOW), ENOENT);
	CHECK(close(fd) == 0 && names() == 1);
}

/* a file without holes: data up to its end, the hole there */
static void data_and_holes(void)
{
	int fd = open(DIR_ "/plain", O_RDWR);

	CHECK(fd >= 0 && write(fd, "0123456789", 10) == 10);
	CHECK(lseek(fd, 0, SEEK_DATA) == 0 && lseek(fd, 4, SEEK_DATA) == 4);
	CHECK(lseek(fd, 0, SEEK_HOLE) == 10 && lseek(fd, 9, SEEK_HOLE) == 10);
	CHECK(lseek(fd, 0, SEEK_CUR) == 10);
	CHECK_ERR(lseek(fd, 10, SEEK_DATA), ENXIO);
	CHECK_ERR(lseek(fd, 10, SEEK_HOLE), ENXIO);
	CHECK_ERR(lseek(fd, -1, SEEK_DATA), ENXIO);
	CHECK(close(fd) == 0);
}

int main(void)
{
	umask(022);
	CHECK(mkdir(DIR_, 0755) == 0);
	int fd = open(DIR_ "/plain", O_CREAT | O_WRONLY, 0644);
	CHECK(fd >= 0 && close(fd) == 0);
	flags();
	named_by_fd();
	named_by_proc();
	data_and_holes();
	CHECK(unlink(DIR_ "/plain") == 0 && rmdir(DIR_) == 0);
	return done();
}
