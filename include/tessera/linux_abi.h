/* Linux x86_64 user ABI facts the POSIX servers need: constants and the
 * layouts of the structures syscalls read and write. */
#ifndef TESSERA_LINUX_ABI_H
#define TESSERA_LINUX_ABI_H

#include <stdint.h>

/* syscall numbers the servers dispatch on (posix/syscalls.tbl has all) */
enum linux_nr {
	NR_read = 0, NR_write = 1, NR_open = 2, NR_close = 3, NR_stat = 4, NR_fstat = 5,
	NR_lstat = 6, NR_lseek = 8, NR_mmap = 9, NR_mprotect = 10, NR_munmap = 11,
	NR_brk = 12, NR_rt_sigaction = 13, NR_rt_sigprocmask = 14, NR_ioctl = 16,
	NR_readv = 19, NR_writev = 20, NR_access = 21, NR_sched_yield = 24,
	NR_mremap = 25, NR_madvise = 28, NR_dup = 32, NR_dup2 = 33, NR_nanosleep = 35,
	NR_getpid = 39, NR_exit = 60, NR_uname = 63, NR_fcntl = 72, NR_getcwd = 79,
	NR_chdir = 80, NR_umask = 95, NR_gettimeofday = 96, NR_getrlimit = 97,
	NR_sysinfo = 99, NR_getuid = 102, NR_getgid = 104, NR_setuid = 105,
	NR_setgid = 106, NR_geteuid = 107, NR_getegid = 108, NR_setpgid = 109,
	NR_getppid = 110, NR_getpgrp = 111, NR_setsid = 112, NR_getgroups = 115,
	NR_getpgid = 121, NR_getsid = 124, NR_time = 201, NR_gettid = 186,
	NR_set_tid_address = 218, NR_clock_gettime = 228, NR_clock_nanosleep = 230,
	NR_exit_group = 231, NR_openat = 257, NR_newfstatat = 262, NR_faccessat = 269,
	NR_dup3 = 292, NR_prlimit64 = 302, NR_getrandom = 318, NR_setrlimit = 160,
	NR_pread64 = 17, NR_getdents64 = 217, NR_readlink = 89, NR_fchdir = 81,
	NR_clone = 56, NR_fork = 57, NR_vfork = 58, NR_execve = 59, NR_wait4 = 61,
	NR_kill = 62, NR_readlinkat = 267, NR_poll = 7, NR_ppoll = 271,
	NR_pipe = 22, NR_pipe2 = 293,
	/* files and paths (servers/vfs) */
	NR_pwrite64 = 18, NR_select = 23, NR_sendfile = 40, NR_fsync = 74, NR_fdatasync = 75,
	NR_truncate = 76, NR_ftruncate = 77, NR_rename = 82, NR_mkdir = 83, NR_rmdir = 84,
	NR_creat = 85, NR_link = 86, NR_unlink = 87, NR_symlink = 88, NR_chmod = 90,
	NR_fchmod = 91, NR_chown = 92, NR_fchown = 93, NR_lchown = 94, NR_utime = 132,
	NR_mknod = 133, NR_statfs = 137, NR_fstatfs = 138, NR_utimes = 235, NR_mkdirat = 258,
	NR_mknodat = 259, NR_fchownat = 260, NR_futimesat = 261, NR_unlinkat = 263,
	NR_renameat = 264, NR_linkat = 265, NR_symlinkat = 266, NR_fchmodat = 268,
	NR_pselect6 = 270, NR_utimensat = 280, NR_renameat2 = 316, NR_statx = 332,
	NR_rt_sigreturn = 15, NR_pause = 34, NR_getitimer = 36, NR_alarm = 37,
	NR_setitimer = 38, NR_rt_sigpending = 127, NR_rt_sigsuspend = 130,
	NR_sigaltstack = 131, NR_tkill = 200, NR_tgkill = 234, NR_rt_sigtimedwait = 128,
	NR_reboot = 169, NR_waitid = 247, NR_setreuid = 113, NR_setregid = 114, NR_setgroups = 116,
	NR_setresuid = 117, NR_getresuid = 118, NR_setresgid = 119, NR_getresgid = 120,
	NR_sched_setaffinity = 203, NR_sched_getaffinity = 204,
	NR_chroot = 161, NR_mount = 165, NR_umount2 = 166, NR_getrusage = 98,
};

/* mmap */
#define L_PROT_READ  0x1
#define L_PROT_WRITE 0x2
#define L_PROT_EXEC  0x4
#define L_MAP_SHARED    0x01
#define L_MAP_PRIVATE   0x02
#define L_MAP_FIXED     0x10
#define L_MAP_ANONYMOUS 0x20

/* auxiliary vector */
#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_ENTRY  9
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31

/* ioctl */
#define L_TCGETS     0x5401
#define L_TCSETS     0x5402
#define L_TCSETSW    0x5403
#define L_TCSETSF    0x5404
#define L_TIOCGPGRP  0x540F
#define L_TIOCSPGRP  0x5410
#define L_TIOCGWINSZ 0x5413
#define L_TIOCSWINSZ 0x5414
#define L_TIOCSCTTY  0x540E
#define L_TIOCGSID   0x5429
#define L_FIONREAD   0x541B

/* fcntl */
#define L_F_DUPFD 0
#define L_F_GETFD 1
#define L_F_SETFD 2
#define L_F_GETFL 3
#define L_F_SETFL 4
#define L_F_DUPFD_CLOEXEC 1030
#define L_FD_CLOEXEC 1
#define L_O_ACCMODE 3
#define L_O_RDWR 2
#define L_O_CLOEXEC 0x80000

#define L_S_IFMT  0170000
#define L_S_IFSOCK 0140000
#define L_S_IFLNK 0120000
#define L_S_IFREG 0100000
#define L_S_IFBLK 0060000
#define L_S_IFDIR 0040000
#define L_S_IFCHR 0020000
#define L_S_IFIFO 0010000

/* paths */
#define L_AT_FDCWD (-100)
#define L_AT_SYMLINK_NOFOLLOW 0x100
#define L_AT_EMPTY_PATH 0x1000
#define L_O_WRONLY 1
#define L_O_CREAT 0100
#define L_O_TRUNC 01000
#define L_O_DIRECTORY 0200000
#define L_O_NOFOLLOW 0400000
#define L_O_RDONLY 0
#define L_O_EXCL 0200
#define L_O_APPEND 02000
#define L_O_NONBLOCK 04000
#define L_O_LARGEFILE 0100000
#define L_O_PATH 010000000
#define L_O_TMPFILE 020000000
#define L_O_NOCTTY 0400
#define L_AT_REMOVEDIR 0x200
#define L_AT_NO_AUTOMOUNT 0x800
#define L_AT_SYMLINK_FOLLOW 0x400
#define L_UTIME_NOW  ((1l << 30) - 1)
#define L_UTIME_OMIT ((1l << 30) - 2)

/* statx */
struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t _reserved;
};

struct linux_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, _spare0;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct linux_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align, stx_dio_offset_align;
	uint64_t _spare3[12];
};
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx layout");
#define L_STATX_BASIC_STATS 0x7ffu
#define L_STATX__RESERVED   0x80000000u

struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct linux_statfs) == 120, "struct statfs layout");
#define L_TMPFS_MAGIC 0x01021994
#define L_PROC_SUPER_MAGIC 0x9fa0

/* mount(2) flags and umount2(2) flags */
#define L_MS_RDONLY      0x1
#define L_MS_NOSUID      0x2
#define L_MS_NODEV       0x4
#define L_MS_NOEXEC      0x8
#define L_MS_REMOUNT     0x20
#define L_MS_NOATIME     0x400
#define L_MS_NODIRATIME  0x800
#define L_MS_BIND        0x1000
#define L_MS_MOVE        0x2000
#define L_MS_REC         0x4000
#define L_MS_SILENT      0x8000
#define L_MS_UNBINDABLE  (1u << 17)
#define L_MS_PRIVATE     (1u << 18)
#define L_MS_SLAVE       (1u << 19)
#define L_MS_SHARED      (1u << 20)
#define L_MS_RELATIME    (1u << 21)
#define L_MS_STRICTATIME (1u << 24)
#define L_MS_NOUSER      (1u << 31)
#define L_MS_MGC_VAL     0xc0ed0000u  /* old callers' magic in the high half */
#define L_MS_MGC_MSK     0xffff0000u
#define L_MNT_FORCE       1
#define L_MNT_DETACH      2
#define L_MNT_EXPIRE      4
#define L_UMOUNT_NOFOLLOW 8

/* Device numbers as stat reports them (Linux's new_encode_dev). */
static inline uint64_t linux_makedev(uint32_t major, uint32_t minor)
{
	return (minor & 0xff) | ((uint64_t)major << 8) | ((uint64_t)(minor & ~0xffu) << 12);
}
static inline uint32_t linux_major(uint64_t dev) { return (uint32_t)((dev & 0xfff00) >> 8); }
static inline uint32_t linux_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* poll */
#define L_POLLIN   0x001
#define L_POLLOUT  0x004
#define L_POLLERR  0x008
#define L_POLLHUP  0x010
#define L_POLLPRI  0x002
#define L_POLLNVAL 0x020

struct linux_pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* wait */
#define L_WNOHANG    1
#define L_WUNTRACED  2
#define L_WCONTINUED 8

struct linux_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
};

struct linux_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
};

struct linux_itimerval {
	struct linux_timeval interval, value;
};

struct linux_iovec {
	uint64_t base;
	uint64_t len;
};

struct linux_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

struct linux_utsname {
	char sysname[65], nodename[65], release[65], version[65], machine[65], domainname[65];
};

struct linux_stat {
	uint64_t st_dev, st_ino, st_nlink;
	uint32_t st_mode, st_uid, st_gid, _pad0;
	uint64_t st_rdev;
	int64_t st_size, st_blksize, st_blocks;
	struct linux_timespec st_atim, st_mtim, st_ctim;
	int64_t _unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "struct stat layout");

struct linux_rlimit {
	uint64_t cur, max;
};

struct linux_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char _f[4];
};
_Static_assert(sizeof(struct linux_sysinfo) == 112, "struct sysinfo layout");

/* Signals */
enum {
	L_SIGHUP = 1, L_SIGINT, L_SIGQUIT, L_SIGILL, L_SIGTRAP, L_SIGABRT, L_SIGBUS,
	L_SIGFPE, L_SIGKILL, L_SIGUSR1, L_SIGSEGV, L_SIGUSR2, L_SIGPIPE, L_SIGALRM,
	L_SIGTERM, L_SIGSTKFLT, L_SIGCHLD, L_SIGCONT, L_SIGSTOP, L_SIGTSTP, L_SIGTTIN,
	L_SIGTTOU, L_SIGURG, L_SIGXCPU, L_SIGXFSZ, L_SIGVTALRM, L_SIGPROF, L_SIGWINCH,
	L_SIGIO, L_SIGPWR, L_SIGSYS, L_NSIG = 64,
};
#define L_SIG_DFL 0
#define L_SIG_IGN 1

#define L_SA_NOCLDSTOP 0x00000001
#define L_SA_NOCLDWAIT 0x00000002
#define L_SA_SIGINFO   0x00000004
#define L_SA_RESTORER  0x04000000
#define L_SA_ONSTACK   0x08000000
#define L_SA_RESTART   0x10000000
#define L_SA_NODEFER   0x40000000
#define L_SA_RESETHAND 0x80000000

/* si_code values */
#define L_SI_USER    0
#define L_SI_KERNEL  0x80
#define L_SI_TKILL   (-6)
#define L_SEGV_MAPERR 1
#define L_SEGV_ACCERR 2
#define L_ILL_ILLOPN 2
#define L_FPE_INTDIV 1
#define L_FPE_FLTDIV 3
#define L_FPE_FLTOVF 4
#define L_FPE_FLTUND 5
#define L_FPE_FLTRES 6
#define L_FPE_FLTINV 7
#define L_TRAP_BRKPT 1
#define L_TRAP_TRACE 2
#define L_BUS_ADRALN 1
#define L_CLD_EXITED 1
#define L_CLD_KILLED 2
#define L_CLD_STOPPED 5
#define L_CLD_CONTINUED 6

/* The kernel's struct sigaction (rt_sigaction) */
struct linux_sigaction {
	uint64_t handler, flags, restorer, mask;
};

#define L_SS_ONSTACK 1
#define L_SS_DISABLE 2
#define L_SS_AUTODISARM (1u << 31)
#define L_MINSIGSTKSZ 2048

struct linux_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t _pad;
	uint64_t ss_size;
};

/* siginfo_t as the kinds of signals Tessera sends fill it */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code, _pad;
	union {
		struct {
			int32_t si_pid, si_uid;
			int32_t si_status, _pad2;      /* SIGCHLD */
		};
		uint64_t si_addr;                      /* SIGSEGV, SIGBUS, ... */
	};
	uint8_t _rest[96];
};
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t layout");

#endif
