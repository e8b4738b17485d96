/* Signals inside the process manager: shared by the syscalls (signal.c),
 * delivery (sigdeliver.c) and the frame layout (sigframe.c). */
#ifndef PM_SIGNAL_H
#define PM_SIGNAL_H

#include "pm.h"

#define SIGBIT(sig) (1ull << ((sig) - 1))
/* SIGKILL and SIGSTOP can be neither blocked, caught nor ignored */
#define UNBLOCKABLE (SIGBIT(L_SIGKILL) | SIGBIT(L_SIGSTOP))

/* the lowest-numbered signal of a set, or 0 */
static inline int sig_lowest(uint64_t set)
{
	return set ? __builtin_ctzll(set) + 1 : 0;
}

/* What delivering one signal with a handler takes. */
struct sig_delivery {
	struct linux_sigaction action;
	struct linux_siginfo info;
	uint64_t saved_mask;        /* what rt_sigreturn restores */
};

/* signal.c */
struct linux_sigaction *sig_action(const struct pproc *p, int sig);
bool sig_on_altstack(const struct pthread *t, uint64_t sp);
long sig_set_altstack(struct pthread *t, const struct linux_stack *ss, uint64_t sp);

/* sigdeliver.c: what sig carries for p */
const struct linux_siginfo *sig_info(const struct pproc *p, int sig);
/* no signal of set is pending for p or any of its threads */
void sig_discard(struct pproc *p, uint64_t set);
/* t's mask changed (or it returned from a handler): deliver what is due. */
void sig_mask_changed(struct pthread *t);
/* the effect of sig on p if delivered now */
enum sig_effect { SIG_EFFECT_IGNORE, SIG_EFFECT_TERMINATE, SIG_EFFECT_STOP, SIG_EFFECT_HANDLER };
enum sig_effect sig_effect(const struct pproc *p, int sig);
/* force sig on t at registers r (a fault, a bad rt_sigreturn) */
long sig_force(struct pthread *t, struct ts_regs *r, int sig, int code, uint64_t addr);

/* sigframe.c */
long sigframe_push(struct pthread *t, struct ts_regs *r, const struct sig_delivery *d);
long sigframe_pop(struct pthread *t, struct ts_regs *r, uint64_t *mask);

#endif
