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

/* rt_sigreturn: the handler's `ret` popped pretcode, so rsp is at uc. */
long sigframe_pop(struct pthread *t, struct ts_regs *r, uint64_t *mask)
{
	struct ucontext uc;
	uint32_t slot = t->proc->slot;

	if (ts_vm_read(slot, r->rsp, &uc, sizeof uc))
		return -EFAULT;
	memcpy(r, uc.uc_mcontext.gregs, sizeof uc.uc_mcontext.gregs);
	if (!uc.uc_mcontext.fpstate)
		fpu_initial(r->fpu);
	else if (ts_vm_read(slot, uc.uc_mcontext.fpstate, r->fpu, FPU_BYTES))
		return -EFAULT;
	*mask = uc.uc_sigmask;
	sig_set_altstack(t, &uc.uc_stack, r->rsp);
	return 0;
}
