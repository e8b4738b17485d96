/*
 * Linux errno values: native calls return them negated, exactly as forwarded
 * Linux syscalls do, so that user space converts errors in one place.
 */
#ifndef TESSERA_ERRNO_H
#define TESSERA_ERRNO_H

#define EPERM    1
#define ENOENT   2
#define ESRCH    3
#define EINTR    4
#define EIO      5
#define ENXIO    6
#define E2BIG    7
#define ENOEXEC  8
#define EBADF    9   /* also: not a valid capability slot */
#define ECHILD  10
#define EAGAIN  11
#define ENOMEM  12
#define EACCES  13
#define EFAULT  14
#define EBUSY   16
#define EEXIST  17
#define EXDEV   18
#define ENOTDIR 20
#define EISDIR  21
#define ENODEV  19
#define EINVAL  22
#define ENFILE  23
#define EMFILE  24
#define ENOTTY  25
#define EFBIG   27
#define ENOSPC  28
#define ESPIPE  29
#define EROFS   30
#define EPIPE   32   /* also: the peer of an IPC is gone */
#define ERANGE  34
#define ENAMETOOLONG 36
#define ENOSYS  38
#define ENOTEMPTY 39
#define ELOOP   40
#define EPROTO  71   /* a reply not as its protocol says */
#define EOVERFLOW 75
#define EMSGSIZE 90
#define EOPNOTSUPP 95
#define ETIMEDOUT 110

/* Never seen by user space: a server answers a call that a signal cut
 * short with one of these, and the process manager turns it into EINTR or
 * a restart of the call at the signal point (as Linux's kernel does). */
#define ERESTARTSYS    512   /* restart unless a handler without SA_RESTART runs */
#define ERESTARTNOHAND 514   /* restart only if no handler runs */

#endif
