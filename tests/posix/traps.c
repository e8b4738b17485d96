/* Traps and returns from handlers, as Linux x86_64 has them: a single step
 * (EFLAGS.TF set with popf) is SIGTRAP with TRAP_TRACE at the next
 * instruction, int3 is SIGTRAP too (SI_KERNEL); an unmasked x87 exception
 * is SIGFPE with its si_code; an rt_sigreturn to a context
 * the CPU refuses (a kernel code selector, a bad stack selector, reserved
 * MXCSR bits, a non-canonical rip, an unreadable frame) is SIGSEGV, never
 * harm to the system. */
#define _GNU_SOURCE             /* REG_RIP and the other gregs indexes */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include "check.h"

#define TF 0x100

/* labels in the asm below (the functions holding them are not inlined) */
extern char step_end[];

static volatile int steps, trap_code;
static volatile uintptr_t trap_addr;

/* each step: note where; the last one (at step_end) stops stepping */
static void on_trap(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	steps++;
	trap_code = info->si_code;
	trap_addr = (uintptr_t)info->si_addr;
	if (uc->uc_mcontext.gregs[REG_RIP] == (greg_t)step_end)
		uc->uc_mcontext.gregs[REG_EFL] &= ~TF;
}

/* TF set by popf: the three nops after it trap, each at the next one */
static __attribute__((noinline)) void step_three(void)
{
	__asm__ volatile("pushfq\n\torq $0x100, (%%rsp)\n\tpopfq\n"
			 "nop\n\tnop\n\tnop\nstep_end:\n" ::: "memory", "cc");
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static void single_step(void)
{
	steps = 0;
	on(SIGTRAP, on_trap);
	step_three();
	CHECK(steps == 3 && trap_code == TRAP_TRACE);
	CHECK(trap_addr == (uintptr_t)step_end);
	steps = 0;
	__asm__ volatile("int3" ::: "memory");
	CHECK(steps == 1 && trap_code == SI_KERNEL && trap_addr == 0);
	signal(SIGTRAP, SIG_DFL);
	int st = fork_status(step_three);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTRAP);
}

/* An unmasked x87 exception: SIGFPE with its si_code at the next waiting
 * instruction; the handler masks it in the context it returns to, and the
 * instruction goes through. (QEMU's TCG raises no SSE exceptions: the
 * same for those, #XM, is not tested here.) */
extern char x87_wait_at[];
static volatile int fpe_code;
static volatile uintptr_t fpe_addr;
static const double zero_mem = 0.0;

static void on_fpe(int sig, siginfo_t *info, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	fpe_code = info->si_code;
	fpe_addr = (uintptr_t)info->si_addr;
	uc->uc_mcontext.fpregs->cwd |= 0x3f;
	uc->uc_mcontext.fpregs->swd &= ~0x80ff;
}

static __attribute__((noinline)) void x87_divide(void)
{
	unsigned short unmasked = 0x037f & ~4, masked = 0x037f;

	__asm__ volatile("fldcw %0\n\tfld1\n\tfdivl %1\nx87_wait_at: fwait\n\t"
			 "fstp %%st(0)\n\tfldcw %2" :: "m"(unmasked), "m"(zero_mem), "m"(masked));
}

static void float_exceptions(void)
{
	on(SIGFPE, on_fpe);
	x87_divide();
	CHECK(fpe_code == FPE_FLTDIV && fpe_addr == (uintptr_t)x87_wait_at);
	signal(SIGFPE, SIG_DFL);
}

/* What the SIGUSR1 handler does to the context it returns to. */
static void (*spoil)(ucontext_t *);

static void on_usr1(int sig, siginfo_t *info, void *uc)
{
	(void)sig, (void)info;
	spoil(uc);
}

/* A SIGSEGV handler that ends the child: 3 for Linux's si_code and address
 * for a return that faults (SI_KERNEL, no address), 4 for others. */
static void on_segv(int sig, siginfo_t *info, void *uc)
{
	(void)sig, (void)uc;
	_exit(info->si_code == SI_KERNEL && info->si_addr == NULL ? 3 : 4);
}

static void landed(void) { _exit(42); }

static void set_cs(ucontext_t *uc, uint16_t cs)
{
	uc->uc_mcontext.gregs[REG_CSGSFS] = (uc->uc_mcontext.gregs[REG_CSGSFS] & ~0xffffll) | cs;
}

static void set_ss(ucontext_t *uc, uint16_t ss)
{
	uint64_t v = (uint64_t)uc->uc_mcontext.gregs[REG_CSGSFS];

	uc->uc_mcontext.gregs[REG_CSGSFS] = (greg_t)((v & ~(0xffffull << 48)) | (uint64_t)ss << 48);
}

static void to_landed(ucontext_t *uc) { uc->uc_mcontext.gregs[REG_RIP] = (greg_t)landed; }
static void kernel_cs(ucontext_t *uc) { set_cs(uc, 0x8); }
static void data_cs(ucontext_t *uc) { set_cs(uc, 0x2b); }
static void kernel_ss(ucontext_t *uc) { set_ss(uc, 0x10); }
static void reserved_mxcsr(ucontext_t *uc) { uc->uc_mcontext.fpregs->mxcsr |= 1u << 16; }
static void non_canonical_rip(ucontext_t *uc)
{
	uc->uc_mcontext.gregs[REG_RIP] = (greg_t)0x8000000000001000ull;
}

/* the child takes SIGUSR1 and returns to a context spoiled by how */
static void return_to(void (*how)(ucontext_t *), int segv_handler)
{
	spoil = how;
	on(SIGUSR1, on_usr1);
	if (segv_handler)
		on(SIGSEGV, on_segv);
	raise(SIGUSR1);
	_exit(0);
}

static void (*child_how)(ucontext_t *);
static void plain(void) { return_to(child_how, 0); }
static void handled(void) { return_to(child_how, 1); }

/* How a child that returns to how's context ends: <- the wait status
 * without, and (in *with) with a SIGSEGV handler. */
static int returned(void (*how)(ucontext_t *), int *with)
{
	child_how = how;
	*with = fork_status(handled);
	return fork_status(plain);
}

/* rt_sigreturn on a stack that is not mapped */
static void unreadable_frame(void)
{
	__asm__ volatile("mov $0x1000, %%rsp\n\tmov $15, %%eax\n\tsyscall" ::: "memory");
}

static int killed_by_segv(int st) { return WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV; }
static int handled_segv(int st) { return WIFEXITED(st) && WEXITSTATUS(st) == 3; }

static void bad_returns(void)
{
	int with, st = returned(to_landed, &with);

	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	st = returned(kernel_cs, &with);
	CHECK(killed_by_segv(st) && handled_segv(with));
	st = returned(data_cs, &with);
	CHECK(killed_by_segv(st) && handled_segv(with));
	st = returned(kernel_ss, &with);
	CHECK(killed_by_segv(st) && handled_segv(with));
	st = returned(reserved_mxcsr, &with);
	CHECK(killed_by_segv(st) && handled_segv(with));
	st = returned(non_canonical_rip, &with);
	CHECK(killed_by_segv(st) && handled_segv(with));
	CHECK(killed_by_segv(fork_status(unreadable_frame)));
}

/* the same from an ordinary user: no privilege is involved */
static void as_user(void)
{
	if (setgid(1000) || setuid(1000))
		_exit(2);
	single_step();
	bad_returns();
	_exit(failures != 0);
}

int main(void)
{
	single_step();
	float_exceptions();
	bad_returns();
	int st = fork_status(as_user);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(getppid() >= 0);          /* and the system goes on */
	return done();
}
