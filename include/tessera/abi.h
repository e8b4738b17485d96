/*
 * Tessera native kernel ABI: the one header that the kernel and every native
 * user program (servers, drivers, tests) include.
 *
 * Native calls use numbers from TS_SYS_BASE up so that they can never collide
 * with Linux x86_64 syscall numbers (0..~460, plus the x32 bit 0x40000000),
 * which the kernel forwards to POSIX servers.
 *
 * Calling convention (same registers as Linux): rax = number, arguments in
 * rdi, rsi, rdx, r10, r8, r9; result in rax. Results >= 0 are values; results
 * in [-4095, -1] are negated Linux errno values (see errno.h), one error
 * namespace for native and forwarded calls alike.
 *
 * Each native call needs the capability types listed for it in
 * kernel/core/syscall.c (and docs/ARCHITECTURE.md, "Authority"); without
 * them it is -EPERM. POSIX processes make no native calls.
 */
#ifndef TESSERA_ABI_H
#define TESSERA_ABI_H

#include <stdint.h>

#define TS_SYS_BASE 0x1000

enum ts_sysno {
	TS_SYS_LOG = TS_SYS_BASE,  /* (const char *s, size_t len) -> kernel log */
	TS_SYS_EXIT,               /* (int status) never returns */
	TS_SYS_YIELD,              /* () */
	TS_SYS_SLEEP,              /* (uint64_t ns) */
	TS_SYS_CLOCK,              /* () -> ns since boot */
	TS_SYS_EP_CREATE,          /* () -> slot of a new endpoint, all rights */
	TS_SYS_CAP_MINT,           /* (slot, rights, badge) -> new slot */
	TS_SYS_CAP_DELETE,         /* (slot) */
	TS_SYS_CAP_NARROW,         /* (slot, base, len) -> new slot: a sub-range
	                              of an I/O port or MMIO capability */
	TS_SYS_CAP_GIVE,           /* (proc slot, slot, rights, badge) -> slot in proc */
	/* IPC: message registers below; rdi = endpoint slot, rsi = the
	 * struct ts_msg whose tail (cap, grant) travels through memory */
	TS_SYS_CALL,               /* send, wait for the reply */
	TS_SYS_RECV,               /* rdx = timeout in ns (0 = none) */
	TS_SYS_REPLY,              /* rbx = reply handle; rdi unused */
	TS_SYS_REPLY_RECV,         /* reply (rbx = handle), then receive */
	TS_SYS_NOTIFY,             /* (ep slot, uint64_t bits) asynchronous */
	TS_SYS_GRANT_COPY,         /* (reply, offset, local addr, len, dir) */
	/* Memory of the caller (proc = TS_SELF) or of a process it controls */
	TS_SYS_VM_MAP,             /* (proc, addr, len, prot) anonymous, zeroed */
	TS_SYS_VM_UNMAP,           /* (proc, addr, len) */
	TS_SYS_VM_PROTECT,         /* (proc, addr, len, prot) */
	TS_SYS_VM_WRITE,           /* (proc, dst addr, local src, len) */
	TS_SYS_VM_READ,            /* (proc, src addr, local dst, len) */
	TS_SYS_PROC_SPAWN,         /* (module slot, ts_spawn_args *) -> proc slot */
	TS_SYS_PROC_START,         /* (proc slot, uint64_t arg) */
	TS_SYS_PROC_WAIT,          /* (proc slot, nohang) -> exit status, or
	                              -EAGAIN if nohang and it still runs */
	TS_SYS_PROC_KILL,          /* (proc slot) */
	TS_SYS_PROC_WATCH,         /* (proc slot, ep slot, bit): notify ep
	                              with 1 << bit when the process ends */
	TS_SYS_THREAD_CREATE,      /* (proc, entry, stack top, arg) -> tid, running */
	TS_SYS_PROC_CREATE,        /* (ts_spawn_args *) -> proc slot: an empty
	                              process (no memory, no threads) */
	TS_SYS_PROC_FORK,          /* (reply handle, ts_spawn_args *) -> proc
	                              slot: a copy of the caller's process (its
	                              memory, and the calling thread returning 0)
	                              running; the caller still waits for a reply */
	TS_SYS_MODULE_MAP,         /* (module slot, addr) -> size: the boot
	                              module's bytes, read-only, at addr */
	TS_SYS_LINUX_ROUTE,        /* (system slot, ep slot, first nr, count):
	                              Linux syscalls of POSIX processes go to ep */
	TS_SYS_IRQ_BIND,           /* (irq slot, ep slot, bit) */
	TS_SYS_IRQ_ACK,            /* (irq slot) unmask after handling */
	TS_SYS_IOPORT_ENABLE,      /* (ioport slot) in/out on its range */
	TS_SYS_MMIO_MAP,           /* (mmio slot, phys, len, vaddr) */
	TS_SYS_DMA_ALLOC,          /* (dma slot, len, vaddr) -> phys addr */
	TS_SYS_POWEROFF,           /* (system slot, int status) */
	TS_SYS_STATS,              /* (struct ts_stats *) */
	TS_SYS_THREAD_REGS,        /* (proc slot, tid, write, struct ts_regs *):
	                              user registers of a POSIX process's thread
	                              (tid: its Linux thread id) */
	TS_SYS_PROC_SIGNAL,        /* (proc slot, tid): that thread stops at its
	                              next return to user mode for a signal
	                              point (below), a futex wait it is in ending
	                              with -ERESTART*; tid 0: every thread stops
	                              there, futex waits go on */
	TS_SYS_PROC_SET_PPID,      /* (proc slot, ppid): what the kernel answers
	                              a POSIX process's getppid with */
	TS_SYS_REBOOT,             /* (system slot) restart the machine */
	TS_SYS_PROC_STATS,         /* (proc slot, struct ts_proc_stats *) */
	TS_SYS_VM_SHARE,           /* (proc, dst addr, local src, len, prot): the
	                              caller's pages, present and owned, mapped
	                              in proc too, copy-on-write both ways */
	TS_SYS_THREAD_CLONE,       /* (reply handle, tid, stack, tls, ctid,
	                              settls): a new thread in the process of the
	                              POSIX caller waiting on reply, with its
	                              registers (returning 0), Linux thread id
	                              tid, rsp = stack unless 0, FS base = tls if
	                              settls, clear_child_tid = ctid */
	TS_SYS_THREAD_KILL,        /* (proc slot, tid): that thread ends (0
	                              written at its clear_child_tid and a futex
	                              waiter there woken); -EBUSY if it is the
	                              process's last */
	TS_SYS_END
};

/* Capability object types. */
enum ts_cap_type {
	TS_CAP_NULL = 0,
	TS_CAP_ENDPOINT,
	TS_CAP_PROCESS,
	TS_CAP_MODULE,   /* a boot module (ELF image) that may be spawned */
	TS_CAP_IRQ,      /* one interrupt line */
	TS_CAP_IOPORT,   /* a range of I/O ports */
	TS_CAP_MMIO,     /* a range of physical device memory */
	TS_CAP_DMA,      /* may allocate DMA memory */
	TS_CAP_SYSTEM,   /* poweroff and other whole-machine operations */
	TS_CAP_SPAWN,    /* create processes (and threads in others) with a
	                    priority in its range [base, base + len) */
	TS_CAP_LOG,      /* write lines to the kernel log */
	TS_CAP_TYPES
};

/* Rights on a capability; a minted copy can only drop rights. */
#define TS_RIGHT_SEND   0x01u /* endpoint: call and notify */
#define TS_RIGHT_RECV   0x02u /* endpoint: receive */
#define TS_RIGHT_GRANT  0x04u /* endpoint: may carry caps in messages */
#define TS_RIGHT_MINT   0x08u /* may be minted with another badge */
#define TS_RIGHT_CTRL   0x10u /* process: start, kill, give caps */
#define TS_RIGHTS_ALL   0x1fu

#define TS_CAP_SLOTS    4096  /* per-process capability table size, at most (made as used) */
#define TS_NOCAP        0xffffffffu
#define TS_SELF         0xfffffffeu  /* "this process" where a process slot goes */

/* Well-known slots in a process spawned by init (a convention, not a rule). */
#define TS_SLOT_NAMES   0     /* send cap to the name service */

/* Grant flags: what the receiver may do with the sender's buffer. */
#define TS_GRANT_READ   0x1u
#define TS_GRANT_WRITE  0x2u
#define TS_GRANT_MAX    (16u << 20)  /* largest buffer one message may grant */

/* Direction for TS_SYS_GRANT_COPY. */
#define TS_COPY_FROM_CALLER 0
#define TS_COPY_TO_CALLER   1

/* Labels the kernel itself puts on messages. */
#define TS_LABEL_NOTIFY 0xffffffff00000001ull
/* A signal point: a POSIX process marked with TS_SYS_PROC_SIGNAL calls the
 * owner of rt_sigreturn (the process manager) with this label when it is
 * about to return to user mode, its registers readable and writable with
 * TS_SYS_THREAD_REGS until the reply (whose value is ignored). */
#define TS_LABEL_SIGNAL_POINT 0x2f0
/* A POSIX process faulted in user mode: the same call, with words = vector,
 * error code (a debug exception's: DR6), fault address (cr2), rip,
 * TS_FAULT_*; the manager turns it into a signal (or ends the process), or
 * for a page the kernel had no memory for applies its OOM policy. Returning
 * retries the instruction. */
#define TS_LABEL_FAULT 0x2f1
#define TS_FAULT_ACCESS 0       /* the access is not allowed */
#define TS_FAULT_OOM    1       /* no frame left for a demand-zero or copy-on-write page */
#define TS_FAULT_QUOTA  2       /* no page table within the process's quota */

/* Memory protection for TS_SYS_MEM_MAP. */
#define TS_PROT_READ  0x1
#define TS_PROT_WRITE 0x2
#define TS_PROT_EXEC  0x4
/* TS_SYS_VM_MAP: frames now, not on first touch (-ENOMEM now, not a fault) */
#define TS_MAP_POPULATE 0x8

#define TS_MSG_WORDS 6

/*
 * One IPC message. The label, the words, the badge and the reply handle
 * travel in registers (message registers, in and out):
 *
 *   rdx = label   r10 r8 r9 r12 r13 r14 = word[0..5]
 *   rdi = badge (out)   rbx = reply handle (in for replies, out on receive)
 *   r15 = TS_MSGF_TAIL if the tail below travels too
 *
 * The tail (a capability to transfer, a granted buffer) is read from or
 * written to the struct only when r15 says so. A large payload is granted:
 * the sender names a buffer of its own and the receiver copies from or to
 * it with TS_SYS_GRANT_COPY until it replies (copied once, from address
 * space to address space, never through a kernel bounce buffer).
 */
struct ts_msg {
	uint64_t label;              /* request or reply type; protocol-defined */
	uint64_t word[TS_MSG_WORDS];
	uint64_t badge;              /* receive: badge of the cap the sender used */
	uint64_t reply;              /* receive: handle for TS_SYS_REPLY */
	/* the tail */
	uint32_t cap;                /* send: slot to transfer or TS_NOCAP;
	                                receive: slot it landed in or TS_NOCAP */
	uint32_t _pad;
	uint64_t buf;                /* send: address of granted buffer */
	uint64_t buf_len;            /* send/receive: its length in bytes */
	uint64_t buf_flags;          /* send/receive: TS_GRANT_* */
};

#define TS_MSGF_TAIL 0x1u
#define TS_MSG_TAIL_OFFSET 72        /* offsetof(struct ts_msg, cap) */
#define TS_MSG_TAIL_SIZE   32

_Static_assert(sizeof(struct ts_msg) == 104, "ts_msg layout is ABI");
_Static_assert(__builtin_offsetof(struct ts_msg, cap) == TS_MSG_TAIL_OFFSET, "tail");

/* Optional arguments for TS_SYS_PROC_SPAWN, _CREATE and _FORK. The
 * priority must lie in the range of a spawn capability the caller holds. The
 * limits on kernel objects (0: the creator's own) can only be lower than the
 * creator's. */
struct ts_spawn_args {
	char name[16];
	uint32_t priority;           /* 1..30; 0 = default (10, or the highest
	                                the caller may give if lower) */
	uint32_t flags;              /* TS_PROC_* */
	uint64_t badge;              /* how servers see it (a POSIX pid) */
	uint32_t max_threads;        /* live threads at once (-EAGAIN past it) */
	uint32_t max_endpoints;      /* live endpoints it created (-EAGAIN) */
	uint64_t max_kmem;           /* bytes of kernel memory for its objects
	                                (-ENOMEM past it) */
};

/* A POSIX process: its Linux syscalls are forwarded (TS_SYS_LINUX_ROUTE),
 * as messages labelled with the syscall number, words = the six arguments,
 * badge = the process's badge (its pid) in the low 32 bits and the calling
 * thread's Linux thread id in the high 32, and a read-write grant of its
 * whole address space (GRANT_COPY offsets are its user addresses). The
 * reply's label is the syscall's return value. */
#define TS_PROC_POSIX 0x1u

/* The user registers of a POSIX process's thread, general purpose ones in
 * the order of Linux's struct sigcontext, then the FPU state (fxsave).
 * orig_rax: the Linux syscall the thread is in, or -1 if it was stopped
 * elsewhere (an interrupt). A write takes every field but orig_rax; the
 * kernel keeps cs/ss and the privileged flags to itself. */
struct ts_regs {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags;
	int64_t orig_rax;
	uint64_t _pad;
	uint8_t fpu[512];
};

/* Handed to init (in rdi) at start: what the kernel gave it, by slot. */
#define TS_BOOT_MAX_MODULES 16
struct ts_bootinfo {
	uint32_t system_slot;
	uint32_t ioport_slot;        /* all ports */
	uint32_t mmio_slot;          /* all non-RAM physical memory */
	uint32_t dma_slot;
	uint32_t irq_first_slot;     /* irq N is at irq_first_slot + N */
	uint32_t irq_count;
	uint32_t module_count;
	uint32_t spawn_slot;         /* priorities 1..30 */
	uint32_t log_slot;
	uint32_t _pad;
	struct {
		uint32_t slot;
		uint32_t size;
		char name[24];
		char args[160];
	} module[TS_BOOT_MAX_MODULES];
	char cmdline[128];           /* the kernel command line */
};

/* What init tells each process it starts (pointer in rdi at start): its
 * module line's arguments and the boot modules it was handed, by slot. */
#define TS_STARTINFO_ADDR 0x7fff00000000ull
struct ts_startinfo {
	char args[160];
	uint32_t module_count;
	uint32_t _pad;
	struct {
		uint32_t slot;
		uint32_t size;
		char name[24];
	} module[TS_BOOT_MAX_MODULES];
};

/* Kernel counters for tests and benchmarks. */
struct ts_stats {
	uint64_t tsc_per_us;
	uint64_t boot_to_first_user_ns;
	uint64_t free_pages;
	uint64_t total_pages;
	uint64_t context_switches;
	uint64_t ipc_calls;
	uint64_t ticks;              /* timer ticks (1 kHz) since the timer started */
	uint64_t idle_ticks;         /* of which the idle thread had the CPU */
	uint64_t load[3];            /* 1, 5 and 15 minute load averages (threads
	                                running or ready), TS_LOAD_SHIFT fraction bits */
};
#define TS_LOAD_SHIFT 11

/* What a process has used and is doing (TS_SYS_PROC_STATS). */
struct ts_proc_stats {
	uint64_t ticks;              /* timer ticks one of its threads had the CPU */
	uint64_t sys_ticks;          /* of which in kernel mode */
	uint64_t minflt;             /* its page faults the kernel resolved */
	uint64_t resident_pages;     /* present now (0 once it has ended) */
	uint64_t peak_pages;         /* the most seen present, at a stats call or its end */
	uint32_t threads;            /* live threads */
	uint32_t runnable;           /* of which running or ready to run */
};

#endif
