/* The x86_64 message registers of include/tessera/abi.h. */
#include <arch/arch.h>
#include <arch/trapframe.h>
#include <tessera/abi.h>

bool arch_msg_from_frame(const struct trap_frame *f, struct ts_msg *m)
{
	m->label = f->rdx;
	m->word[0] = f->r10;
	m->word[1] = f->r8;
	m->word[2] = f->r9;
	m->word[3] = f->r12;
	m->word[4] = f->r13;
	m->word[5] = f->r14;
	m->badge = 0;
	m->reply = f->rbx;
	m->cap = TS_NOCAP;
	m->buf = m->buf_len = m->buf_flags = 0;
	return f->r15 & TS_MSGF_TAIL;
}

void arch_msg_to_frame(struct trap_frame *f, const struct ts_msg *m, bool tail)
{
	f->rdx = m->label;
	f->r10 = m->word[0];
	f->r8 = m->word[1];
	f->r9 = m->word[2];
	f->r12 = m->word[3];
	f->r13 = m->word[4];
	f->r14 = m->word[5];
	f->rdi = m->badge;
	f->rbx = m->reply;
	f->r15 = tail ? TS_MSGF_TAIL : 0;
}
