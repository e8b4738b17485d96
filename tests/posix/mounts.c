/* mount(2), umount2(2) and chroot(2) as root, in a scratch directory of
 * /tmp (on Linux in a private mount namespace: tests/posix/run.sh): tmpfs
 * mounts and stacks of them, bind mounts (onto themselves too), shared
 * propagation, read-only remounts, the errors (EBUSY, EINVAL, EXDEV,
 * EROFS, EPERM), /proc/self/mounts, and a chroot jail a child walks in.
 * Only what is the same on any Linux is printed: whether two st_dev
 * differ, not what they are. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check.h"

#define DIR "/tmp/tessera-mounts"
#define TMPFS_MAGIC 0x01021994
#define PROC_SUPER_MAGIC 0x9fa0

static struct stat st, st2;

static int touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY, 0644);

	return fd < 0 ? -1 : close(fd);
}

static int exists(const char *path)
{
	struct stat s;

	return stat(path, &s) == 0;
}

static dev_t dev_of(const char *path)
{
	struct stat s;

	return stat(path, &s) ? (dev_t)-1 : s.st_dev;
}

/* The lines of /proc/self/mounts about the test's tmpfs and proc mounts
 * under prefix: source, where, type and whether it is read-only (other
 * options vary between kernels, binds of / name the host's disk). */
static void show_mounts_under(const char *prefix)
{
	char line[512], src[128], where[256], type[32], opts[256];
	FILE *f = fopen("/proc/self/mounts", "r");

	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%127s %255s %31s %255s", src, where, type, opts) == 4 &&
		    !strncmp(where, prefix, strlen(prefix)) &&
		    (!strcmp(type, "tmpfs") || !strcmp(type, "proc")))
			printf("mount: %s %s %s %.2s\n", src, where, type, opts);
	if (f)
		fclose(f);
	fflush(stdout);
}

static void show_mounts(void)
{
	show_mounts_under(DIR);
}

static void tmpfs_mounts(void)
{
	struct statfs sf;

	mkdir(DIR "/t", 0755);
	CHECK(mount("scratch", DIR "/t", "tmpfs", 0, "mode=0700") == 0);
	CHECK(stat(DIR "/t", &st) == 0 && (st.st_mode & 07777) == 0700);
	CHECK(dev_of(DIR "/t") != dev_of(DIR));
	CHECK(statfs(DIR "/t", &sf) == 0 && sf.f_type == TMPFS_MAGIC);
	CHECK(touch(DIR "/t/a") == 0 && exists(DIR "/t/a"));
	CHECK(dev_of(DIR "/t/a") == dev_of(DIR "/t"));
	/* ".." from the mount's root is the directory it stands in */
	CHECK(stat(DIR "/t/..", &st) == 0 && stat(DIR, &st2) == 0 && st.st_ino == st2.st_ino &&
	      st.st_dev == st2.st_dev);
	/* a stack: the newest mount wins until it goes */
	CHECK(mount("upper", DIR "/t", "tmpfs", 0, NULL) == 0);
	CHECK(!exists(DIR "/t/a") && touch(DIR "/t/b") == 0);
	show_mounts();
	CHECK(umount(DIR "/t") == 0);
	CHECK(exists(DIR "/t/a") && !exists(DIR "/t/b"));
	CHECK(umount(DIR "/t") == 0);
	CHECK(!exists(DIR "/t/a") && dev_of(DIR "/t") == dev_of(DIR));
	CHECK_ERR(umount(DIR "/t"), EINVAL);
	CHECK_ERR(umount2(DIR "/t", 0x100), EINVAL);
	CHECK_ERR(mount("x", (char *)1, "tmpfs", 0, NULL), EFAULT);
	CHECK_ERR(mount("x", DIR "/t", (char *)1, 0, NULL), EFAULT);
	CHECK_ERR(mount("x", DIR "/t", "tmpfs", 0, (void *)1), EFAULT);
	CHECK_ERR(umount((char *)1), EFAULT);
	CHECK_ERR(chroot((char *)1), EFAULT);
	CHECK_ERR(mount("x", DIR "/t", "no-such-fs", 0, NULL), ENODEV);
	CHECK_ERR(mount("x", DIR "/t", "tmpfs", 0, "no-such-option"), EINVAL);
	CHECK_ERR(mount("x", DIR "/t", "tmpfs", 0, "mode=9"), EINVAL);
	CHECK_ERR(mount("x", DIR "/t", NULL, 0, NULL), EINVAL);
	CHECK_ERR(mount("x", DIR "/missing", "tmpfs", 0, NULL), ENOENT);
	CHECK(touch(DIR "/file") == 0);
	CHECK_ERR(mount("x", DIR "/file", "tmpfs", 0, NULL), ENOTDIR);
	CHECK(mount("x", DIR "/t", "tmpfs", 0, "size=1m,nr_inodes=100,mode=755") == 0);
	CHECK(umount(DIR "/t") == 0);
}

static void proc_mount(void)
{
	struct statfs sf;

	mkdir(DIR "/p", 0755);
	CHECK(mount("proc", DIR "/p", "proc", 0, NULL) == 0);
	CHECK(statfs(DIR "/p", &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC);
	CHECK(exists(DIR "/p/self/status") && exists(DIR "/p/mounts"));
	CHECK(umount(DIR "/p") == 0 && !exists(DIR "/p/self"));
}

static void bind_mounts(void)
{
	mkdir(DIR "/src", 0755);
	mkdir(DIR "/dst", 0755);
	CHECK(mount("scratch", DIR "/src", "tmpfs", 0, NULL) == 0);
	mkdir(DIR "/src/sub", 0755);
	CHECK(touch(DIR "/src/sub/a") == 0);
	CHECK(mount(DIR "/src/sub", DIR "/dst", NULL, MS_BIND, NULL) == 0);
	CHECK(exists(DIR "/dst/a"));
	CHECK(stat(DIR "/dst/a", &st) == 0 && stat(DIR "/src/sub/a", &st2) == 0 &&
	      st.st_ino == st2.st_ino && st.st_dev == st2.st_dev);
	CHECK(touch(DIR "/dst/b") == 0 && exists(DIR "/src/sub/b"));
	/* ".." and getcwd go by the way in, not by the source's place */
	CHECK(stat(DIR "/dst/..", &st) == 0 && stat(DIR, &st2) == 0 && st.st_ino == st2.st_ino);
	char cwd[256];
	CHECK(chdir(DIR "/dst") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, DIR "/dst"));
	/* in use: EBUSY; the mount point cannot be removed */
	CHECK_ERR(umount(DIR "/dst"), EBUSY);
	CHECK(chdir("/") == 0);
	CHECK_ERR(rmdir(DIR "/dst"), EBUSY);
	int fd = open(DIR "/dst/a", O_RDONLY);
	CHECK(fd >= 0);
	CHECK_ERR(umount(DIR "/dst"), EBUSY);
	/* across mounts (even of one filesystem): EXDEV */
	CHECK_ERR(rename(DIR "/dst/b", DIR "/src/b"), EXDEV);
	CHECK_ERR(link(DIR "/dst/b", DIR "/src/b"), EXDEV);
	CHECK_ERR(rename(DIR "/dst/b", DIR "/b"), EXDEV);
	CHECK(rename(DIR "/dst/b", DIR "/dst/c") == 0 && exists(DIR "/src/sub/c"));
	show_mounts();
	/* lazily: gone from the tree, the open file still readable */
	CHECK(umount2(DIR "/dst", MNT_DETACH) == 0);
	CHECK(!exists(DIR "/dst/a") && fstat(fd, &st) == 0 && close(fd) == 0);
	/* onto itself, and stacked */
	CHECK(mount(DIR "/dst", DIR "/dst", NULL, MS_BIND, NULL) == 0);
	CHECK(dev_of(DIR "/dst") == dev_of(DIR));
	CHECK(mount(DIR "/src", DIR "/dst", NULL, MS_BIND, NULL) == 0);
	CHECK(exists(DIR "/dst/sub/c"));
	CHECK(umount(DIR "/dst") == 0 && !exists(DIR "/dst/sub"));
	CHECK(umount(DIR "/dst") == 0);
	CHECK_ERR(umount(DIR "/dst"), EINVAL);
	CHECK_ERR(mount(DIR "/file", DIR "/dst", NULL, MS_BIND, NULL), ENOTDIR);
	CHECK_ERR(mount(DIR "/missing", DIR "/dst", NULL, MS_BIND, NULL), ENOENT);
	CHECK_ERR(mount("", DIR "/dst", NULL, MS_BIND, NULL), EINVAL);
	CHECK(umount(DIR "/src") == 0);
}

/* A file onto a file; a tree with the mounts in it (MS_REC) or without;
 * nothing mounts in a lazily unmounted tree. */
static void more_binds(void)
{
	char buf[8] = "";
	int fd;

	CHECK(mount("scratch", DIR "/src", "tmpfs", 0, NULL) == 0);
	CHECK((fd = open(DIR "/src/f", O_CREAT | O_WRONLY, 0644)) >= 0 && write(fd, "bound", 5) == 5 &&
	      close(fd) == 0);
	CHECK(mount(DIR "/src/f", DIR "/file", NULL, MS_BIND, NULL) == 0);
	CHECK((fd = open(DIR "/file", O_RDONLY)) >= 0 && read(fd, buf, sizeof buf) == 5 &&
	      !strcmp(buf, "bound") && close(fd) == 0);
	CHECK_ERR(mount(DIR "/src", DIR "/file", NULL, MS_BIND, NULL), ENOTDIR);
	CHECK(umount(DIR "/file") == 0);
	mkdir(DIR "/src/deep", 0755);
	CHECK(mount("inner", DIR "/src/deep", "tmpfs", 0, NULL) == 0 && touch(DIR "/src/deep/z") == 0);
	CHECK(mount(DIR "/src", DIR "/dst", NULL, MS_BIND, NULL) == 0);
	CHECK(exists(DIR "/dst/deep") && !exists(DIR "/dst/deep/z"));
	CHECK(umount(DIR "/dst") == 0);
	CHECK(mount(DIR "/src", DIR "/dst", NULL, MS_BIND | MS_REC, NULL) == 0);
	CHECK(exists(DIR "/dst/deep/z"));
	show_mounts();
	CHECK_ERR(umount(DIR "/dst"), EBUSY);
	CHECK(umount(DIR "/dst/deep") == 0 && umount(DIR "/dst") == 0);
	CHECK(umount(DIR "/src/deep") == 0);
	/* MS_MOVE: a mount and what stands on it, elsewhere */
	CHECK(mount("inner", DIR "/src/deep", "tmpfs", 0, NULL) == 0 && touch(DIR "/src/deep/m") == 0);
	CHECK(mount(DIR "/src", DIR "/dst", NULL, MS_MOVE, NULL) == 0);
	CHECK(exists(DIR "/dst/deep/m") && exists(DIR "/dst/f") && !exists(DIR "/src/f"));
	CHECK_ERR(mount(DIR "/dst/deep", DIR "/dst/deep/sub", NULL, MS_MOVE, NULL), ENOENT);
	mkdir(DIR "/dst/deep/sub", 0755);
	CHECK_ERR(mount(DIR "/dst", DIR "/dst/deep/sub", NULL, MS_MOVE, NULL), ELOOP);
	CHECK_ERR(mount(DIR "/dst/deep/sub", DIR "/src", NULL, MS_MOVE, NULL), EINVAL);
	CHECK_ERR(mount(DIR "/dst", DIR "/file", NULL, MS_MOVE, NULL), EINVAL);
	CHECK(mount(DIR "/dst", DIR "/src", NULL, MS_MOVE, NULL) == 0);
	show_mounts();
	CHECK(umount(DIR "/src/deep") == 0);
	CHECK(chdir(DIR "/src") == 0 && umount2(DIR "/src", MNT_DETACH) == 0);
	CHECK(exists("f") && !exists(DIR "/src/f"));
	CHECK_ERR(mount("x", ".", "tmpfs", 0, NULL), ENOENT);
	CHECK_ERR(mount(DIR "/dst", ".", NULL, MS_BIND, NULL), ENOENT);
	CHECK_ERR(mount(".", DIR "/dst", NULL, MS_BIND, NULL), EINVAL);
	CHECK_ERR(umount("."), EINVAL);
	CHECK(chdir("/") == 0);
}

/* BusyBox's "mount bind+rshared": a mount on one peer shows on the others */
static void shared_mounts(void)
{
	mkdir(DIR "/s1", 0755);
	mkdir(DIR "/s2", 0755);
	CHECK(mount(DIR "/s1", DIR "/s1", NULL, MS_BIND, NULL) == 0);
	CHECK(mount(NULL, DIR "/s1", NULL, MS_SHARED | MS_REC, NULL) == 0);
	CHECK(mount(DIR "/s1", DIR "/s2", NULL, MS_BIND, NULL) == 0);
	mkdir(DIR "/s1/inner", 0755);
	CHECK(mount("scratch", DIR "/s1/inner", "tmpfs", 0, NULL) == 0);
	CHECK(touch(DIR "/s1/inner/x") == 0 && exists(DIR "/s2/inner/x"));
	CHECK(dev_of(DIR "/s2/inner") == dev_of(DIR "/s1/inner"));
	CHECK(dev_of(DIR "/s2/inner") != dev_of(DIR "/s2"));
	/* a mount on a propagated mount spreads back; one umount takes both */
	CHECK(mkdir(DIR "/s1/inner/deeper", 0755) == 0);
	CHECK(mount("deep", DIR "/s2/inner/deeper", "tmpfs", 0, NULL) == 0);
	CHECK(touch(DIR "/s2/inner/deeper/y") == 0 && exists(DIR "/s1/inner/deeper/y"));
	show_mounts();
	CHECK(umount(DIR "/s1/inner/deeper") == 0 && !exists(DIR "/s2/inner/deeper/y"));
	CHECK(umount(DIR "/s1/inner") == 0 && !exists(DIR "/s2/inner/x"));
	CHECK_ERR(mount(NULL, DIR "/s1", NULL, MS_SHARED | MS_PRIVATE, NULL), EINVAL);
	CHECK_ERR(mount(NULL, DIR "/s1/inner", NULL, MS_PRIVATE, NULL), EINVAL);
	CHECK(mount(NULL, DIR "/s2", NULL, MS_PRIVATE, NULL) == 0);
	CHECK(mount(NULL, DIR "/s1", NULL, MS_SLAVE | MS_REC, NULL) == 0);
	CHECK(mount(NULL, DIR "/s1", NULL, MS_UNBINDABLE, NULL) == 0);
	CHECK_ERR(mount(DIR "/s1", DIR "/s2", NULL, MS_BIND, NULL), EINVAL);
	CHECK(umount(DIR "/s2") == 0 && umount(DIR "/s1") == 0);
	rmdir(DIR "/s1/inner");
}

static void read_only(void)
{
	CHECK(mount("scratch", DIR "/t", "tmpfs", 0, NULL) == 0);
	mkdir(DIR "/t/d", 0755);
	CHECK(touch(DIR "/t/f") == 0);
	CHECK(mount(DIR "/t", DIR "/dst", NULL, MS_BIND, NULL) == 0);
	/* only the bind mount read-only */
	CHECK(mount(NULL, DIR "/dst", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) == 0);
	CHECK_ERR(touch(DIR "/dst/g"), EROFS);
	CHECK(touch(DIR "/t/g") == 0);
	show_mounts();
	/* the filesystem read-only: every mount of it */
	CHECK(mount(NULL, DIR "/t", NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0);
	CHECK_ERR(touch(DIR "/t/h"), EROFS);
	CHECK_ERR(open(DIR "/t/f", O_WRONLY), EROFS);
	CHECK_ERR(mkdir(DIR "/t/e", 0755), EROFS);
	CHECK_ERR(mkdir(DIR "/t/d", 0755), EEXIST);
	CHECK_ERR(unlink(DIR "/t/f"), EROFS);
	CHECK_ERR(rmdir(DIR "/t/d"), EROFS);
	CHECK_ERR(rename(DIR "/t/f", DIR "/t/f2"), EROFS);
	CHECK_ERR(symlink("f", DIR "/t/l"), EROFS);
	CHECK_ERR(chmod(DIR "/t/f", 0600), EROFS);
	CHECK_ERR(truncate(DIR "/t/f", 0), EROFS);
	CHECK_ERR(access(DIR "/t/f", W_OK), EROFS);
	int fd = open(DIR "/t/f", O_RDONLY);
	CHECK(fd >= 0 && close(fd) == 0);
	CHECK_ERR(mount(NULL, DIR "/t/d", NULL, MS_REMOUNT, NULL), EINVAL);
	CHECK(mount(NULL, DIR "/t", NULL, MS_REMOUNT, NULL) == 0);
	CHECK(touch(DIR "/t/h") == 0);
	CHECK(umount(DIR "/dst") == 0 && umount(DIR "/t") == 0);
}

/* A child in a jail: "/" and ".." stop at its root; a directory opened
 * outside before still leads out (Linux's classic escape). */
static void jailed(int outside)
{
	char cwd[256];
	struct stat root;

	CHECK(chroot(DIR "/j") == 0 && chdir("/") == 0);
	CHECK(stat("/", &root) == 0 && stat("/..", &st) == 0 && st.st_ino == root.st_ino);
	CHECK(exists("/inside") && !exists("/tmp") && exists("/../../inside"));
	CHECK(exists("/link/inside"));          /* an absolute symlink stays in */
	CHECK(chdir("/sub") == 0 && chdir("../..") == 0 && getcwd(cwd, sizeof cwd) &&
	      !strcmp(cwd, "/"));
	CHECK(chdir("/sub") == 0 && getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/sub"));
	CHECK(execl("/nothing", "nothing", (char *)NULL) == -1 && errno == ENOENT);
	/* the jail's mounts, named from its root */
	CHECK(mkdir("/proc", 0555) == 0 && mount("proc", "/proc", "proc", 0, NULL) == 0);
	show_mounts_under("/");
	CHECK(umount("/proc") == 0 && rmdir("/proc") == 0);
	CHECK(fchdir(outside) == 0);
	CHECK(syscall(SYS_getcwd, cwd, sizeof cwd) > 0 && !strcmp(cwd, "(unreachable)" DIR));
	CHECK(chdir("../..") == 0 && stat(".", &st) == 0 && exists("tmp"));
	/* a second chroot, by a path relative to the real root it is at */
	CHECK(chroot("tmp/tessera-mounts/j/sub") == 0 && !exists("/inside") && exists("/deeper"));
	fflush(stdout);
	_exit(failures != 0);
}

static void as_user(void)
{
	CHECK(setgroups(0, NULL) == 0 && setresgid(1000, 1000, 1000) == 0 &&
	      setresuid(1000, 1000, 1000) == 0);
	CHECK_ERR(chroot(DIR "/j"), EPERM);
	CHECK_ERR(chroot(DIR "/missing"), ENOENT);
	CHECK_ERR(chroot(DIR "/file"), ENOTDIR);
	CHECK_ERR(chroot(DIR "/locked"), EACCES);
	CHECK_ERR(mount("x", DIR "/t", "tmpfs", 0, NULL), EPERM);
	CHECK_ERR(umount(DIR "/t"), EPERM);
	fflush(stdout);
	_exit(failures != 0);
}

static void in_child(void (*fn)(int), int arg)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		fn(arg);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void user_child(int unused)
{
	(void)unused;
	as_user();
}

static void chroot_jail(void)
{
	mkdir(DIR "/j", 0755);
	CHECK(mount("jail", DIR "/j", "tmpfs", 0, "mode=755") == 0);
	mkdir(DIR "/j/sub", 0755);
	mkdir(DIR "/j/sub/deeper", 0755);
	CHECK(touch(DIR "/j/inside") == 0 && symlink("/", DIR "/j/link") == 0);
	mkdir(DIR "/locked", 0700);
	int outside = open(DIR, O_RDONLY | O_DIRECTORY);
	CHECK(outside >= 0);
	in_child(jailed, outside);
	close(outside);
	in_child(user_child, 0);
	CHECK_ERR(chroot(DIR "/file"), ENOTDIR);
	CHECK(umount(DIR "/j") == 0);
}

static void cleanup(void)
{
	static const char *const dirs[] = { "t", "p", "src", "dst", "s1", "s2", "j", "locked" };

	unlink(DIR "/file");
	for (unsigned i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		char path[64];
		snprintf(path, sizeof path, DIR "/%s", dirs[i]);
		rmdir(path);
	}
	CHECK(rmdir(DIR) == 0);
}

int main(void)
{
	mkdir(DIR, 0755);
	tmpfs_mounts();
	proc_mount();
	bind_mounts();
	more_binds();
	shared_mounts();
	read_only();
	chroot_jail();
	cleanup();
	return done();
}
