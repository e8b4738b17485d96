/* Linux x86_64 syscall numbers as Tessera sees them (posix/syscalls.tbl). */
#ifndef TESSERA_LINUX_SYSCALLS_H
#define TESSERA_LINUX_SYSCALLS_H

#define LINUX_SYSCALL_MAX 512     /* numbers at or above it are never Linux's */

/* Generated: NULL for numbers Linux does not define. */
extern const char *const linux_syscall_names[LINUX_SYSCALL_MAX];

static inline const char *linux_syscall_name(unsigned long nr)
{
	const char *n = nr < LINUX_SYSCALL_MAX ? linux_syscall_names[nr] : 0;
	return n ? n : "unknown";
}

#endif
