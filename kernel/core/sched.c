/* Priority round-robin scheduler for one CPU; the kernel itself is not
 * preemptible (interrupts are off in kernel mode), so no locks are needed. */
#include <arch/arch.h>
#include <arch/cpu.h>
#include <arch/platform.h>
#include <log.h>
#include <sched.h>
#include <vm.h>
#include <tessera/errno.h>

static struct list_node runq[NPRIO];
static uint32_t runq_bits;
static struct list_node sleepers;   /* sorted by wake_at */
static struct cpu cpu0;
/* What runs before the scheduler starts: the boot stack's context. */
static struct thread boot_thread = { .state = T_RUNNABLE };

static void runq_add(struct thread *t)
{
	list_add_tail(&runq[t->prio], &t->run_link);
	runq_bits |= 1u << t->prio;
}

static void runq_remove(struct thread *t)
{
	list_remove(&t->run_link);
	if (list_empty(&runq[t->prio]))
		runq_bits &= ~(1u << t->prio);
}

static struct thread *runq_best(void)
{
	if (!runq_bits)
		return NULL;
	unsigned prio = 31 - __builtin_clz(runq_bits);
	return list_first(&runq[prio], struct thread, run_link);
}

void sched_init(void)
{
	for (int i = 0; i < NPRIO; i++)
		list_init(&runq[i]);
	list_init(&sleepers);
	cpu0.self = &cpu0;
	cpu0.current = &boot_thread;
	arch_cpu_init(&cpu0);
}

void sched_set_timeout(struct thread *t, uint64_t wake_at)
{
	struct list_node *pos;

	t->wake_at = wake_at;
	for (pos = sleepers.next; pos != &sleepers; pos = pos->next)
		if (list_entry(pos, struct thread, sleep_link)->wake_at > wake_at)
			break;
	list_add_tail(pos, &t->sleep_link);
}

void sched_detach(struct thread *t)
{
	if (t->state == T_RUNNABLE && list_linked(&t->run_link))
		runq_remove(t);
	if (list_linked(&t->sleep_link))
		list_remove(&t->sleep_link);
	t->wake_at = 0;
}

/* Runnable but not queued: the caller either queues it or switches to it. */
static void make_ready(struct thread *t, long result)
{
	if (list_linked(&t->sleep_link))
		list_remove(&t->sleep_link);
	t->wake_at = 0;
	t->wait_result = result;
	t->state = T_RUNNABLE;
}

void sched_wake(struct thread *t, long result)
{
	make_ready(t, result);
	runq_add(t);
	if (t->prio > this_cpu()->current->prio)
		this_cpu()->need_resched = true;
}

/* A timeout fired: take t off the queue it waits on; sleeping ends well. */
static void timeout_expired(struct thread *t)
{
	if (t->state == T_SLEEP) {
		sched_wake(t, 0);
		return;
	}
	list_remove(&t->run_link);
	sched_wake(t, -ETIMEDOUT);
}

static void switch_to(struct thread *next)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->current;

	if (next == prev)
		return;
	c->current = next;
	c->context_switches++;
	arch_set_kernel_stack(c, next->kstack_top);
	arch_fpu_switch(prev->fpu, next->fpu);
	if (next->proc) {
		vm_activate(next->proc->vm);
		arch_set_io_bitmap(next->proc->io_bitmap);
		arch_set_fs_base(next->fs_base);
	}
	switch_context(&prev->saved_rsp, next->saved_rsp);
	thread_reap();
}

/* Choose what runs next; the current thread, if still runnable, competes. */
void schedule(void)
{
	struct cpu *c = this_cpu();
	struct thread *cur = c->current, *next;

	c->need_resched = false;
	if (cur->state == T_RUNNABLE && cur != c->idle)
		runq_add(cur);
	next = runq_best();
	if (!next)
		next = c->idle;
	else
		runq_remove(next);
	if (next->slice == 0)
		next->slice = TIMESLICE_TICKS;
	switch_to(next);
}

void sched_block(enum thread_state st)
{
	current_thread()->state = st;
	schedule();
}

void sched_handoff(enum thread_state st, struct thread *t, long result)
{
	struct thread *cur = current_thread();
	struct thread *best = runq_best();

	cur->state = st;
	make_ready(t, result);
	if (best && best->prio > t->prio) {
		runq_add(t);
		schedule();
		return;
	}
	if (!t->slice)
		t->slice = TIMESLICE_TICKS;
	switch_to(t);
}

/* Linux's load averages: every 5 s, the threads running or ready go into
 * averages decaying over 1, 5 and 15 minutes (factors 2048 / e^(5 s/period)). */
#define LOAD_FREQ_TICKS 5000
static void load_update(struct cpu *c)
{
	static const uint64_t decay[3] = { 1884, 2014, 2037 };
	const uint64_t one = 1ull << TS_LOAD_SHIFT;
	uint64_t n = c->current != c->idle;

	for (int p = 0; p < NPRIO; p++)
		for (struct list_node *pos = runq[p].next; pos != &runq[p]; pos = pos->next)
			n++;
	for (int i = 0; i < 3; i++)
		c->load[i] = (c->load[i] * decay[i] + n * one * (one - decay[i])) >> TS_LOAD_SHIFT;
}

void sched_tick(bool user)
{
	struct cpu *c = this_cpu();
	uint64_t now = time_ns();

	if (++c->ticks % LOAD_FREQ_TICKS == 0)
		load_update(c);
	while (!list_empty(&sleepers)) {
		struct thread *t = list_first(&sleepers, struct thread, sleep_link);
		if (t->wake_at > now)
			break;
		timeout_expired(t);
	}
	struct thread *cur = c->current;
	if (cur == c->idle) {
		c->idle_ticks++;
		c->need_resched = runq_bits != 0;
		return;
	}
	if (cur->proc) {
		cur->proc->ticks++;
		cur->proc->sys_ticks += !user;
	}
	if (cur->slice && --cur->slice == 0)
		c->need_resched = true;
}

static void idle_loop(void)
{
	for (;;) {
		cpu_idle_wait();
		if (this_cpu()->need_resched)
			schedule();
	}
}

void sched_start(void)
{
	struct cpu *c = this_cpu();
	c->idle = thread_create_kernel(idle_loop, 0);
	boot_thread.state = T_DEAD;
	schedule();
	panic("sched_start returned");
}
