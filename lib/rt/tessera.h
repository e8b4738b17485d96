/* The native runtime: kernel calls, logging and small helpers for servers,
 * drivers and tests. No libc: these programs never make Linux syscalls. */
#ifndef TESSERA_RT_H
#define TESSERA_RT_H

#include <common.h>
#include <tessera/abi.h>
#include <tessera/errno.h>
#include <tessera/idl.h>       /* TS_NO_REPLY, and what generated protocol code uses */

#define TS_CALL0(nr)             ts_syscall(nr, 0, 0, 0, 0, 0, 0)
#define TS_CALL1(nr, a)          ts_syscall(nr, (long)(a), 0, 0, 0, 0, 0)
#define TS_CALL2(nr, a, b)       ts_syscall(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define TS_CALL3(nr, a, b, c)    ts_syscall(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define TS_CALL4(nr, a, b, c, d) ts_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define TS_CALL5(nr, a, b, c, d, e) \
	ts_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define TS_CALL6(nr, a, b, c, d, e, f) \
	ts_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#ifdef TESSERA_HOST_SHIM
/* A host build of a server (tests/hostfuzz): its kernel calls, and the port
 * I/O and time stamps below, go to the fuzzer's shim instead. */
long ts_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);
long ts_ipc(long nr, uint64_t ep, struct ts_msg *m, uint64_t rdx_in);
void ts_outb(uint16_t port, uint8_t v);
uint8_t ts_inb(uint16_t port);
uint64_t ts_rdtsc(void);
#else
static inline long ts_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	register long r9 __asm__("r9") = a5;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * One IPC syscall with the message in registers (include/tessera/abi.h).
 * in is the rbx input: the reply handle, or for TS_SYS_RECV unused (the
 * timeout goes in rdx). On success the received message replaces *m.
 */
static inline long ts_ipc(long nr, uint64_t ep, struct ts_msg *m, uint64_t rdx_in)
{
	register uint64_t r10 __asm__("r10") = m->word[0];
	register uint64_t r8 __asm__("r8") = m->word[1];
	register uint64_t r9 __asm__("r9") = m->word[2];
	register uint64_t r12 __asm__("r12") = m->word[3];
	register uint64_t r13 __asm__("r13") = m->word[4];
	register uint64_t r14 __asm__("r14") = m->word[5];
	register uint64_t r15 __asm__("r15") =
		m->cap != TS_NOCAP || m->buf_len ? TS_MSGF_TAIL : 0;
	uint64_t rbx = m->reply, rdi = ep, rdx = rdx_in;
	long ret = nr;

	__asm__ volatile("syscall"
			 : "+a"(ret), "+D"(rdi), "+d"(rdx), "+b"(rbx), "+r"(r10), "+r"(r8),
			   "+r"(r9), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15)
			 : "S"(m)
			 : "rcx", "r11", "memory");
	if (ret == 0 && nr != TS_SYS_REPLY) {
		bool tail = r15 & TS_MSGF_TAIL;     /* the kernel wrote m's tail */
		*m = (struct ts_msg){ .label = rdx, .badge = rdi, .reply = rbx,
				      .word = { r10, r8, r9, r12, r13, r14 },
				      .cap = tail ? m->cap : TS_NOCAP,
				      .buf_len = tail ? m->buf_len : 0,
				      .buf_flags = tail ? m->buf_flags : 0 };
	}
	return ret;
}
#endif

static inline long ts_call(uint32_t ep, struct ts_msg *m) { return ts_ipc(TS_SYS_CALL, ep, m, m->label); }
static inline long ts_recv(uint32_t ep, struct ts_msg *m) { return ts_ipc(TS_SYS_RECV, ep, m, 0); }
static inline long ts_recv_timeout(uint32_t ep, struct ts_msg *m, uint64_t ns)
{
	return ts_ipc(TS_SYS_RECV, ep, m, ns);
}
static inline long ts_reply(struct ts_msg *m) { return ts_ipc(TS_SYS_REPLY, 0, m, m->label); }
static inline long ts_reply_recv(uint32_t ep, struct ts_msg *m)
{
	return ts_ipc(TS_SYS_REPLY_RECV, ep, m, m->label);
}
static inline long ts_notify(uint32_t ep, uint64_t bits) { return TS_CALL2(TS_SYS_NOTIFY, ep, bits); }
static inline long ts_grant_copy(uint64_t reply, uint64_t off, void *local, uint64_t len, int dir)
{
	return TS_CALL5(TS_SYS_GRANT_COPY, reply, off, local, len, dir);
}
static inline long ts_ep_create(void) { return TS_CALL0(TS_SYS_EP_CREATE); }
static inline long ts_cap_mint(uint32_t slot, unsigned rights, uint64_t badge)
{
	return TS_CALL3(TS_SYS_CAP_MINT, slot, rights, badge);
}
static inline long ts_cap_delete(uint32_t slot) { return TS_CALL1(TS_SYS_CAP_DELETE, slot); }
/* For a generated dispatcher's drop_cap: a capability no handler took. */
static inline void ts_cap_drop(uint32_t slot) { ts_cap_delete(slot); }
static inline long ts_cap_give(uint32_t proc, uint32_t slot, unsigned rights, uint64_t badge)
{
	return TS_CALL4(TS_SYS_CAP_GIVE, proc, slot, rights, badge);
}
static inline long ts_cap_narrow(uint32_t slot, uint64_t base, uint64_t len)
{
	return TS_CALL3(TS_SYS_CAP_NARROW, slot, base, len);
}
static inline long ts_irq_bind(uint32_t irq, uint32_t ep, unsigned bit)
{
	return TS_CALL3(TS_SYS_IRQ_BIND, irq, ep, bit);
}
static inline long ts_irq_ack(uint32_t irq) { return TS_CALL1(TS_SYS_IRQ_ACK, irq); }
static inline long ts_ioport_enable(uint32_t slot) { return TS_CALL1(TS_SYS_IOPORT_ENABLE, slot); }
static inline long ts_mmio_map(uint32_t slot, uint64_t phys, uint64_t len, uint64_t va)
{
	return TS_CALL4(TS_SYS_MMIO_MAP, slot, phys, len, va);
}
static inline long ts_dma_alloc(uint32_t slot, uint64_t len, uint64_t va)
{
	return TS_CALL3(TS_SYS_DMA_ALLOC, slot, len, va);
}
static inline long ts_yield(void) { return TS_CALL0(TS_SYS_YIELD); }
static inline long ts_sleep(uint64_t ns) { return TS_CALL1(TS_SYS_SLEEP, ns); }
static inline uint64_t ts_clock(void) { return (uint64_t)TS_CALL0(TS_SYS_CLOCK); }
static inline long ts_vm_map(uint32_t proc, uint64_t addr, uint64_t len, int prot)
{
	return TS_CALL4(TS_SYS_VM_MAP, proc, addr, len, prot);
}
static inline long ts_vm_unmap(uint32_t proc, uint64_t addr, uint64_t len)
{
	return TS_CALL3(TS_SYS_VM_UNMAP, proc, addr, len);
}
static inline long ts_vm_protect(uint32_t proc, uint64_t addr, uint64_t len, int prot)
{
	return TS_CALL4(TS_SYS_VM_PROTECT, proc, addr, len, prot);
}
static inline long ts_vm_write(uint32_t proc, uint64_t dst, const void *src, uint64_t len)
{
	return TS_CALL4(TS_SYS_VM_WRITE, proc, dst, src, len);
}
static inline long ts_vm_read(uint32_t proc, uint64_t src, void *dst, uint64_t len)
{
	return TS_CALL4(TS_SYS_VM_READ, proc, src, dst, len);
}
static inline long ts_vm_share(uint32_t proc, uint64_t dst, const void *src, uint64_t len,
			       int prot)
{
	return TS_CALL5(TS_SYS_VM_SHARE, proc, dst, src, len, prot);
}
static inline long ts_proc_spawn(uint32_t module, const struct ts_spawn_args *a)
{
	return TS_CALL2(TS_SYS_PROC_SPAWN, module, a);
}
static inline long ts_proc_start(uint32_t proc, uint64_t arg) { return TS_CALL2(TS_SYS_PROC_START, proc, arg); }
static inline long ts_proc_wait(uint32_t proc) { return TS_CALL2(TS_SYS_PROC_WAIT, proc, 0); }
static inline long ts_proc_status(uint32_t proc) { return TS_CALL2(TS_SYS_PROC_WAIT, proc, 1); }
static inline long ts_proc_watch(uint32_t proc, uint32_t ep, unsigned bit)
{
	return TS_CALL3(TS_SYS_PROC_WATCH, proc, ep, bit);
}
static inline long ts_proc_kill(uint32_t proc) { return TS_CALL1(TS_SYS_PROC_KILL, proc); }
static inline long ts_thread_create(void (*fn)(uint64_t), void *stack_top, uint64_t arg)
{
	return TS_CALL4(TS_SYS_THREAD_CREATE, TS_SELF, fn, stack_top, arg);
}
static inline long ts_thread_start(uint32_t proc, uint64_t rip, uint64_t rsp)
{
	return TS_CALL4(TS_SYS_THREAD_CREATE, proc, rip, rsp, 0);
}
static inline long ts_proc_create(const struct ts_spawn_args *a) { return TS_CALL1(TS_SYS_PROC_CREATE, a); }
static inline long ts_proc_fork(uint64_t reply, const struct ts_spawn_args *a)
{
	return TS_CALL2(TS_SYS_PROC_FORK, reply, a);
}
static inline long ts_module_map(uint32_t module, uint64_t addr) { return TS_CALL2(TS_SYS_MODULE_MAP, module, addr); }
static inline long ts_linux_route(uint32_t system, uint32_t ep, unsigned first, unsigned count)
{
	return TS_CALL4(TS_SYS_LINUX_ROUTE, system, ep, first, count);
}
static inline long ts_thread_regs(uint32_t proc, int tid, bool write, struct ts_regs *r)
{
	return TS_CALL4(TS_SYS_THREAD_REGS, proc, tid, write, r);
}
static inline long ts_proc_signal(uint32_t proc, int tid)
{
	return TS_CALL2(TS_SYS_PROC_SIGNAL, proc, tid);
}
static inline long ts_thread_clone(uint64_t reply, int tid, uint64_t stack, uint64_t tls,
				   uint64_t ctid, bool settls)
{
	return TS_CALL6(TS_SYS_THREAD_CLONE, reply, tid, stack, tls, ctid, settls);
}
static inline long ts_thread_kill(uint32_t proc, int tid)
{
	return TS_CALL2(TS_SYS_THREAD_KILL, proc, tid);
}
static inline long ts_proc_set_ppid(uint32_t proc, int ppid)
{
	return TS_CALL2(TS_SYS_PROC_SET_PPID, proc, ppid);
}
static inline long ts_stats(struct ts_stats *st) { return TS_CALL1(TS_SYS_STATS, st); }
static inline long ts_proc_stats(uint32_t proc, struct ts_proc_stats *st)
{
	return TS_CALL2(TS_SYS_PROC_STATS, proc, st);
}
static inline long ts_poweroff(uint32_t system, int status) { return TS_CALL2(TS_SYS_POWEROFF, system, status); }
static inline long ts_reboot(uint32_t system) { return TS_CALL1(TS_SYS_REBOOT, system); }

__attribute__((noreturn)) void ts_exit(int status);
/* One line to the kernel log, printf-style. */
void ts_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#ifndef TESSERA_HOST_SHIM
/* Port I/O, for drivers whose ioport capability is enabled. */
static inline void ts_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}
static inline uint8_t ts_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}
static inline uint64_t ts_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
#endif

/* An empty message: no capability, no grant. */
static inline struct ts_msg ts_msg_make(uint64_t label)
{
	return (struct ts_msg){ .label = label, .cap = TS_NOCAP };
}

/* Module-line arguments: "word word key=value …" (lib/rt/args.c). */
/* What follows word in args ("" or "=…"), or NULL if word is absent. */
const char *arg_value(const char *args, const char *word);
bool arg_flag(const char *args, const char *word);
/* The number after "key=" (decimal or 0x hex), or def. */
long arg_number(const char *args, const char *key, long def);
/* Parse a number at *s and advance *s past it. */
long arg_parse_number(const char **s);

/* The slots init put the capabilities a module line asks for in (in the
 * order servers/init/init.h gives them); -1 where not asked for. */
struct ts_given {
	int irq, ioport, mmio, dma, system, spawn, log;
	int ioports, mmios;         /* ranges: slots ioport.., mmio.. */
};
void ts_given_caps(const char *args, struct ts_given *g);

/* Name service client (slot TS_SLOT_NAMES). */
long names_register(const char *name, uint32_t ep_slot);
/* Returns the slot of a send capability; wait: until someone registers it. */
long names_lookup(const char *name, bool wait);

#endif
