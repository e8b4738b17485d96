/* Terminals: one line discipline (tty.c) over terminal instances whose
 * backends (serial.c, screen.c) show the output and feed the input. */
#ifndef TTY_H
#define TTY_H

#include "pipe.h"            /* struct waiter: blocked writes queue as a pipe's */

#define TTY_BUF_BYTES 1024
#define TTY_MAX_READERS 8
/* TIOCPKT's status bits: what a pty master in packet mode is told */
#define TIOCPKT_FLUSHREAD  1
#define TIOCPKT_FLUSHWRITE 2
#define TIOCPKT_STOP       4
#define TIOCPKT_START      8

/* The kernel's struct termios (TCGETS): four flag words, the line
 * discipline, 19 control characters. */
struct linux_termios {
	uint32_t iflag, oflag, cflag, lflag;
	uint8_t line, cc[19];
};

struct tty_reader {
	uint64_t reply, addr, len;
	uint64_t caller;            /* its badge (what a cancel names) */
	uint64_t deadline;          /* VTIME: when it gets what there is (0: never) */
};


struct tty {
	struct tty *next;           /* every terminal (tty.c) */
	uint32_t rdev;              /* its device number */
	/* the backend: show output bytes (already post-processed) */
	void (*output)(struct tty *t, const char *s, size_t n);
	/* how many output bytes the backend takes now (NULL: any number) */
	size_t (*room)(struct tty *t);
	/* flow control and flushes, as TIOCPKT_* bits: a pty master's packet
	 * mode reports them (NULL: nobody cares) */
	void (*control)(struct tty *t, uint8_t event);
	/* the backend's hook when the last open file of t goes (or NULL) */
	void (*closed)(struct tty *t);
	unsigned opens;
	struct linux_termios termios;
	struct linux_winsize winsize;
	/* input: bytes [0, committed) are finished lines (canonical mode),
	 * [committed, len) the line being edited; mark[] flags line ends */
	char buf[TTY_BUF_BYTES];
	uint8_t mark[TTY_BUF_BYTES];
	unsigned len, committed;
	unsigned column;            /* of the output, for erasing tabs */
	unsigned canon_column;      /* where the edited line began */
	struct tty_reader readers[TTY_MAX_READERS];
	unsigned nreaders;
	struct waiter *writing;     /* writes waiting for the backend to take
				     * their output, oldest first */
	int foreground, session;    /* job control: process group, session */
	bool hungup;                /* the other side (a pty master) is gone */
	bool stopped;               /* IXON: the stop key holds program output */
	bool lnext;                 /* ^V: the next character is taken as it is */
};

/* Linux's defaults: canonical, echo, signals, ICRNL, OPOST|ONLCR. */
void tty_init(struct tty *t, uint32_t rdev, void (*output)(struct tty *, const char *, size_t));
/* t is gone: no more job control or cancels for it */
void tty_remove(struct tty *t);
/* Bytes typed on t: line discipline, then waiting readers and pollers. */
void tty_input(struct tty *t, const char *s, size_t n);
/* The far side is gone: readers get end of file, writers EIO, the
 * foreground group SIGHUP. */
void tty_hangup(struct tty *t);
/* The backend has room again: blocked writers go on, oldest first. */
void tty_resume_writer(struct tty *t);
/* Program output to t (OPOST processing). */
void tty_write(struct tty *t, const char *s, size_t n);
struct file *tty_open(struct tty *t);
/* f (a device just opened without O_NOCTTY) may become pid's controlling
 * terminal */
void tty_opened(struct file *f, int pid);
/* the terminal ioctls on f->tty (a pty master shares them) */
long tty_ioctl(struct file *f, const struct ts_msg *m, uint64_t cmd, uint64_t arg);
/* /dev/tty: the caller's controlling terminal */
struct file *tty_open_controlling(int pid, long *err);
void tty_cancel(uint64_t who);
/* Reads whose VTIME has passed are answered; the nearest such time (ns
 * since boot), or 0. */
void tty_expire(void);
uint64_t tty_next_deadline(void);
void tty_exit(int pid);

/* serial.c: ttyS0, also /dev/console, on a 16550 (ioport=BASE:8, irq=N) */
void serial_init(uint16_t base, int irq_slot, uint32_t ep);
void serial_interrupt(void);
struct tty *serial_tty(void);

/* screen.c: tty1, the VGA text screen (mmio=0xb8000:0x1000, ioport
 * 0x3d4:2 for the cursor) with the keyboard driver's input; NULL if the
 * VFS was not given the screen */
void screen_init(int mmio_slot);
struct tty *screen_tty(void);

/* pty.c: pseudo-terminals; /dev/ptmx opens a master, /dev/pts/N its slave */
#define PTS_MAJOR 136
void pty_init(struct node *dev);
/* a new pair (ENOSPC past Linux's kernel.pty.max, ENOMEM) */
struct file *pty_open_master(int pid, long *err);
struct file *pty_open_slave(uint32_t index, long *err);
void pty_cancel(uint64_t who);

#endif
