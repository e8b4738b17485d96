/* Pipes inside the VFS: the ring and its ends (pipe.c), the calls waiting
 * on them (pipe_wait.c), and named pipes' opens (fifo.c). */
#ifndef VFS_PIPE_H
#define VFS_PIPE_H

#include "vfs.h"

#define PIPE_BYTES (64u << 10)
#define PIPE_BUF 4096               /* writes up to this size are never interleaved */

/* A call waiting on a pipe with its reply handle kept: a read or a write
 * (the caller's buffer and the bytes moved so far), a sendfile (file: the
 * file it sends from, held; addr: its offset pointer or 0; len bytes at
 * pos), or a FIFO open (file: the end it gets once its peer comes). */
struct waiter {
	struct waiter *next;
	uint64_t reply;
	uint64_t caller;            /* its badge (the pid low, the thread high,
				     * what a cancel names) */
	uint64_t addr, len, done, pos;
	struct file *file;
	bool cloexec;
};

struct pipe {
	struct pipe *next;
	struct node *node;          /* the FIFO it belongs to, or &anon */
	struct node anon;           /* an anonymous pipe's inode: its fstat, and
				     * what /proc/<pid>/fd/N reopens */
	uint8_t *buf;               /* PIPE_BYTES, from the first write (NULL: none yet) */
	uint32_t head, count;
	unsigned readers, writers;  /* ends, counting FIFO opens waiting for a peer */
	unsigned writer_opens;      /* ends with write access ever made (Linux's w_counter) */
	struct waiter *reading, *writing;   /* blocked reads and writes, oldest first */
	struct waiter *opening;     /* FIFO opens waiting for a peer */
};

/* pipe.c */
/* The pipe whose inode n is (a FIFO's: made at its first open if make;
 * NULL: none, or no memory for it) */
struct pipe *pipe_of_node(struct node *n, bool make);
/* A new end of p opened with flags (access mode, O_NONBLOCK), or NULL
 * (no memory: p goes if it has no other end) */
struct file *pipe_end(struct pipe *p, unsigned flags);

/* pipe_wait.c: the waiting calls, one at most per thread */
/* A waiter for m's caller at the end of *queue (NULL: no memory for it) */
struct waiter *waiter_add(struct waiter **queue, const struct ts_msg *m);
/* The first waiter in queue that a cancel for who cuts short, or NULL */
struct waiter *waiter_of(struct waiter *queue, uint64_t who);
/* Answer w with r and take it off *queue */
void waiter_answer(struct waiter **queue, struct waiter *w, long r);

/* fifo.c */
/* An end of p was made: the opens waiting for such a peer get theirs */
void fifo_peer_opened(struct pipe *p, const struct file *end);
/* A signal for who cuts short its open waiting on p */
void fifo_cancel(struct pipe *p, uint64_t who);

#endif
