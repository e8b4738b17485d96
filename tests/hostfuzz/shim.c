/*
 * The kernel, as a host build of a server sees it (lib/rt/tessera.h with
 * TESSERA_HOST_SHIM): requests come from the fuzzer's input, answers to
 * them are recorded, and every other call gets a result the input chooses
 * (input.c), after the shim has touched the memory the kernel would read
 * or write, so that the sanitizers check the server's buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim.h"

static bool in_init;                /* hostfuzz_run_main: before the loop */
static jmp_buf at_loop;
static uint64_t clock_ns;
static uint32_t next_slot = 100;

/* Make the sanitizers check that the server may read len bytes at p. */
static void touch_read(const void *p, uint64_t len)
{
	const volatile uint8_t *b = p;

	for (uint64_t i = 0; i < len; i++)
		(void)b[i];
}

static long new_slot(void)
{
	return choose_result(next_slot++);
}

static long grant_copy(uint64_t reply, uint64_t off, void *local, uint64_t len, uint64_t dir)
{
	struct request *q = request_of(reply);

	if (!q)
		return -ESRCH;
	if (dir > TS_COPY_TO_CALLER)
		return -EINVAL;
	if (!(q->grant_flags & (dir == TS_COPY_TO_CALLER ? TS_GRANT_WRITE : TS_GRANT_READ)))
		return -EPERM;
	if (off > q->grant_len || len > q->grant_len - off)
		return -EFAULT;
	if (dir == TS_COPY_TO_CALLER)
		memcpy(q->grant + off, local, len);
	else
		memcpy(local, q->grant + off, len);
	return (long)len;
}

/* Memory of a process the server controls: what the input says is there
 * (local: the server's buffer of len bytes that a read fills or a write
 * copies). The server's own (TS_SELF) cannot be mapped at its fixed
 * addresses here. */
static long vm_call(long nr, uint32_t proc, void *local, uint64_t len)
{
	if (proc == TS_SELF)
		return nr == TS_SYS_VM_MAP ? -ENOMEM : nr == TS_SYS_VM_UNMAP ? 0 : -EFAULT;
	long r = choose_result(0);
	if (nr == TS_SYS_VM_WRITE)
		touch_read(local, len);
	else if (nr == TS_SYS_VM_READ && !r)
		choose_bytes(local, len);
	return r;
}

/* Kernel counters: what the input chooses, below 2^40 as a running system's
 * are (a server may multiply them by a page size). */
static void choose_counters(void *p, size_t len)
{
	uint64_t *w = p;

	choose_bytes(p, len);
	for (size_t i = 0; i < len / sizeof *w; i++)
		w[i] &= (1ull << 40) - 1;
}

static long thread_regs(bool write, struct ts_regs *r)
{
	if (write)
		touch_read(r, sizeof *r);
	else
		choose_bytes(r, sizeof *r);
	return choose_result(0);
}

long ts_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	(void)a5;
	switch (nr) {
	case TS_SYS_CLOCK:
		return (long)(clock_ns += 1000000);
	case TS_SYS_YIELD: case TS_SYS_SLEEP: case TS_SYS_NOTIFY: case TS_SYS_LINUX_ROUTE:
	case TS_SYS_IRQ_BIND: case TS_SYS_IRQ_ACK: case TS_SYS_IOPORT_ENABLE:
		return 0;
	case TS_SYS_EP_CREATE: case TS_SYS_CAP_MINT: case TS_SYS_CAP_NARROW: case TS_SYS_CAP_GIVE:
		return new_slot();
	case TS_SYS_CAP_DELETE: case TS_SYS_PROC_START: case TS_SYS_PROC_KILL:
	case TS_SYS_PROC_WATCH: case TS_SYS_PROC_SIGNAL: case TS_SYS_PROC_SET_PPID:
	case TS_SYS_THREAD_KILL: case TS_SYS_VM_SHARE:
		return choose_result(0);
	case TS_SYS_PROC_WAIT:
		return choose_result(choose_byte());
	case TS_SYS_GRANT_COPY:
		return grant_copy(a0, a1, (void *)a2, a3, a4);
	case TS_SYS_VM_MAP: case TS_SYS_VM_UNMAP: case TS_SYS_VM_PROTECT:
		return vm_call(nr, a0, NULL, 0);
	case TS_SYS_VM_WRITE: case TS_SYS_VM_READ:
		return vm_call(nr, a0, (void *)a2, a3);
	case TS_SYS_PROC_SPAWN:
		touch_read((const void *)a1, sizeof(struct ts_spawn_args));
		return new_slot();
	case TS_SYS_PROC_CREATE: case TS_SYS_PROC_FORK:
		touch_read((const void *)(nr == TS_SYS_PROC_CREATE ? a0 : a1),
			   sizeof(struct ts_spawn_args));
		return new_slot();
	case TS_SYS_THREAD_CREATE: case TS_SYS_THREAD_CLONE:
		return choose_result(1000 + choose_byte());     /* a thread id; it never runs */
	case TS_SYS_THREAD_REGS:
		return thread_regs(a2, (struct ts_regs *)a3);
	case TS_SYS_STATS:
		choose_counters((void *)a0, sizeof(struct ts_stats));
		return 0;
	case TS_SYS_PROC_STATS:
		choose_counters((void *)a1, sizeof(struct ts_proc_stats));
		return choose_result(0);
	case TS_SYS_MODULE_MAP: case TS_SYS_MMIO_MAP: case TS_SYS_DMA_ALLOC:
		return -ENOMEM;             /* no fixed addresses of the server's on the host */
	case TS_SYS_POWEROFF: case TS_SYS_REBOOT:
		return -EPERM;
	default:
		return -ENOSYS;
	}
}

/* Another server's answer to the server's call: its label and words, what it
 * writes into a buffer granted for writing, a capability. */
static long answer_call(struct ts_msg *m)
{
	if (m->buf_len && (m->buf_flags & TS_GRANT_READ))
		touch_read((const void *)m->buf, m->buf_len);
	long r = choose_result(0);
	uint8_t how = choose_byte();
	if (!r && m->buf_len && (m->buf_flags & TS_GRANT_WRITE))
		choose_bytes((void *)m->buf, m->buf_len);
	struct ts_msg a = { .label = (uint64_t)(how & 1 ? -(long)choose_byte() : (long)how >> 1),
			    .cap = how & 2 ? TS_NOCAP : (uint32_t)next_slot++ };
	if (how & 4)
		choose_bytes(a.word, sizeof a.word);
	else
		memcpy(a.word, m->word, sizeof a.word);     /* as the VFS answers the PM */
	if (!r)
		*m = a;
	return r;
}

long ts_ipc(long nr, uint64_t ep, struct ts_msg *m, uint64_t rdx_in)
{
	(void)ep;
	(void)rdx_in;
	switch (nr) {
	case TS_SYS_CALL:
		return answer_call(m);
	case TS_SYS_REPLY:
		return input_answered(m->reply, m->label);
	case TS_SYS_RECV:
	case TS_SYS_REPLY_RECV:
		if (in_init)
			longjmp(at_loop, 1);
		fprintf(stderr, "hostfuzz: the server waits for a request inside a handler\n");
		abort();
	default:
		return -ENOSYS;
	}
}

int hostfuzz_run_main(int (*main)(const struct ts_startinfo *), const char *args)
{
	static struct ts_startinfo si;

	snprintf(si.args, sizeof si.args, "%s", args);
	in_init = true;
	if (setjmp(at_loop)) {
		in_init = false;
		return 0;
	}
	int status = main(&si);
	in_init = false;
	return status;
}

void shim_reset(void)
{
	clock_ns = 1000000000;
	next_slot = 100;
}

void ts_outb(uint16_t port, uint8_t v)
{
	(void)port;
	(void)v;
}

/* Device registers read what the input chooses; once it is used up, an idle
 * 16550 UART's line status (nothing received, transmitter empty), so that
 * the VFS's console loops end. */
uint8_t ts_inb(uint16_t port)
{
	enum { UART_IDLE = 0x60 };

	(void)port;
	return input_left() ? choose_byte() : UART_IDLE;
}

uint64_t ts_rdtsc(void)
{
	return clock_ns;
}

void ts_print(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("HOSTFUZZ_LOG"))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void ts_exit(int status)
{
	fprintf(stderr, "hostfuzz: the server exits (%d) while serving a request\n", status);
	abort();
}
