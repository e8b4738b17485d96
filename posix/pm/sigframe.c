/*
 * Signal frames on the user stack, laid out exactly as Linux x86_64 does
 * (struct rt_sigframe: return address, ucontext, siginfo, then the FPU
 * state), so that musl's restorer and programs that read the ucontext work
 * unchanged. rt_sigreturn takes the context back from the same place.
 */
#include "pm.h"
#include "signal.h"

#define REDZONE      128
#define FPU_BYTES    512
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4
#define LINUX_USER_CS 0x33
#define LINUX_USER_SS 0x2b
#define RFLAGS_DF    0x400
#define RFLAGS_TF    0x100
#define RFLAGS_RF    0x10000

struct sigcontext {
	uint64_t gregs[18];             /* r8 ... rflags: struct ts_regs' order */
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate;
	uint64_t reserved[8];
};

struct ucontext {
	uint64_t uc_flags, uc_link;
	struct linux_stack uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

struct rt_sigframe {
	uint64_t pretcode;
	struct ucontext uc;
	struct linux_siginfo info;
};

_Static_assert(sizeof(struct sigcontext) == 256, "struct sigcontext layout");
_Static_assert(sizeof(struct ucontext) == 304, "struct ucontext layout");
_Static_assert(sizeof(struct rt_sigframe) == 440, "struct rt_sigframe layout");

/* The FPU as a new thread has it (fxsave format): handlers start clean. */
static void fpu_initial(uint8_t *fpu)
{
	uint16_t fcw = 0x037f;
	uint32_t mxcsr = 0x1f80;

	memset(fpu, 0, FPU_BYTES);
	memcpy(fpu, &fcw, sizeof fcw);
	memcpy(fpu + 24, &mxcsr, sizeof mxcsr);
}

static uint64_t frame_address(const struct pthread *t, const struct ts_regs *r, uint64_t flags,
			      uint64_t *fpstate)
{
	uint64_t sp = r->rsp - REDZONE;

	if (flags & L_SA_ONSTACK && !(t->altstack.ss_flags & L_SS_DISABLE) &&
	    !sig_on_altstack(t, r->rsp))
		sp = t->altstack.ss_sp + t->altstack.ss_size;
	sp = (sp - FPU_BYTES) & ~63ull;
	*fpstate = sp;
	return ((sp - sizeof(struct rt_sigframe)) & ~15ull) - 8;
}

long sigframe_push(struct pthread *t, struct ts_regs *r, const struct sig_delivery *d)
{
	struct rt_sigframe f = {
		.pretcode = d->action.restorer,
		.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS,
		.uc.uc_stack = t->altstack,
		.uc.uc_mcontext = { .cs = LINUX_USER_CS, .ss = LINUX_USER_SS,
				    .oldmask = d->saved_mask },
		.uc.uc_sigmask = d->saved_mask,
		.info = d->info,
	};
	uint64_t fpstate, addr = frame_address(t, r, d->action.flags, &fpstate);
	uint32_t slot = t->proc->slot;

	if (sig_on_altstack(t, r->rsp))
		f.uc.uc_stack.ss_flags = L_SS_ONSTACK;
	memcpy(f.uc.uc_mcontext.gregs, r, sizeof f.uc.uc_mcontext.gregs);
	f.uc.uc_mcontext.fpstate = fpstate;
	if (ts_vm_write(slot, fpstate, r->fpu, FPU_BYTES) || ts_vm_write(slot, addr, &f, sizeof f))
		return -EFAULT;
	if (d->action.flags & L_SA_ONSTACK && t->altstack.ss_flags & L_SS_AUTODISARM)
		t->altstack = (struct linux_stack){ .ss_flags = L_SS_DISABLE };
	r->rdi = f.info.si_signo;
	r->rsi = addr + offsetof(struct rt_sigframe, info);
	r->rdx = addr + offsetof(struct rt_sigframe, uc);
	r->rax = 0;
	r->rsp = addr;
	r->rip = d->action.handler;
	r->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	fpu_initial(r->fpu);
	return 0;
}

/* The MXCSR bits this CPU has (fxsave's MXCSR_MASK; 0 there means 0xffbf):
 * fxrstor refuses a state with any other set. */
static uint32_t mxcsr_mask(void)
{
	static uint32_t mask;
	uint8_t area[FPU_BYTES] __attribute__((aligned(16)));

	if (!mask) {
		__asm__ volatile("fxsave64 %0" : "=m"(area));
		memcpy(&mask, area + 28, sizeof mask);
		mask = mask ? mask : 0xffbf;
	}
	return mask;
}

/* The FPU state saved at fpstate (0: none, the initial one) into fpu <-
 * whether fxrstor would take it; if not, fpu is reset, as Linux's
 * fpu__restore_sig leaves it when it fails. */
static bool fpu_restored(uint32_t slot, uint64_t fpstate, uint8_t *fpu)
{
	uint32_t mxcsr;

	if (fpstate && !ts_vm_read(slot, fpstate, fpu, FPU_BYTES)) {
		memcpy(&mxcsr, fpu + 24, sizeof mxcsr);
		if (!(mxcsr & ~mxcsr_mask()))
			return true;
	}
	fpu_initial(fpu);
	return !fpstate;
}

/* Would Linux's iretq take these selectors? Only 64-bit user code, and
 * user data for a frame that asks for its SS strictly (one that does not
 * gets a valid SS); Linux's 32-bit user code is not Tessera's. */
static bool selectors_valid(const struct ucontext *uc)
{
	const struct sigcontext *sc = &uc->uc_mcontext;

	return (sc->cs | 3) == LINUX_USER_CS &&
	       (!(uc->uc_flags & UC_STRICT_RESTORE_SS) || (sc->ss | 3) == LINUX_USER_SS);
}

/* rt_sigreturn: the handler's `ret` popped pretcode, so rsp is at uc.
 * <- 0; -EFAULT if there is no frame to read (r as it was); -EINVAL if
 * the CPU would refuse the context (r and *mask restored all the same, as
 * Linux has them when that ends in SIGSEGV). */
long sigframe_pop(struct pthread *t, struct ts_regs *r, uint64_t *mask)
{
	struct ucontext uc;
	uint32_t slot = t->proc->slot;

	if (ts_vm_read(slot, r->rsp, &uc, sizeof uc))
		return -EFAULT;
	memcpy(r, uc.uc_mcontext.gregs, sizeof uc.uc_mcontext.gregs);
	r->orig_rax = -1;               /* no call to restart (Linux's orig_ax) */
	*mask = uc.uc_sigmask;
	if (!fpu_restored(slot, uc.uc_mcontext.fpstate, r->fpu))
		return -EINVAL;
	sig_set_altstack(t, &uc.uc_stack, r->rsp);
	return selectors_valid(&uc) ? 0 : -EINVAL;
}
