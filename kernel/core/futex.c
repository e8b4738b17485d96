/*
 * Linux futexes, answered in the kernel: a futex wait or wake is the hot
 * path of every contended lock, and a round trip through a server costs
 * ~100x a null syscall under TCG. The kernel is not preemptible, so reading
 * the futex word and queueing the waiter are one atomic step with respect
 * to any waker — the guarantee futex(2) rests on — without a lock.
 *
 * A waiter is keyed by its address space and the word's user address (so
 * private and shared futexes are one: a futex in memory shared between
 * processes is not supported). All waiters sit on one FIFO list; programs
 * have few threads, and requeueing is just changing a waiter's address.
 */
#include <arch/platform.h>
#include <futex.h>
#include <sched.h>
#include <vm.h>
#include <tessera/errno.h>

#define FUTEX_WAIT         0
#define FUTEX_WAKE         1
#define FUTEX_REQUEUE      3
#define FUTEX_CMP_REQUEUE  4
#define FUTEX_WAIT_BITSET  9
#define FUTEX_WAKE_BITSET  10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_ANY   0xffffffffu
#define NS_PER_SEC 1000000000ull
#define FOREVER_SEC (1ull << 32)    /* a longer timeout never ends */

struct linux_timespec {
	int64_t tv_sec, tv_nsec;
};

static struct list_node waiters = { &waiters, &waiters };

static bool same_futex(const struct thread *t, const struct vm_space *vm, uint64_t uaddr)
{
	return t->proc->vm == vm && t->futex_addr == uaddr;
}

/* Wake up to n waiters on uaddr whose bitset meets bitset, then move up to
 * requeue more of them to uaddr2; the number woken and moved. */
static long wake(struct vm_space *vm, uint64_t uaddr, uint64_t n, uint32_t bitset,
		 uint64_t uaddr2, uint64_t requeue)
{
	struct list_node *pos, *tmp;
	long woken = 0, moved = 0;

	list_for_each_safe(pos, tmp, &waiters) {
		struct thread *t = list_entry(pos, struct thread, run_link);
		if (!same_futex(t, vm, uaddr) || !(t->futex_bitset & bitset))
			continue;
		if ((uint64_t)woken < n) {
			list_remove(pos);
			sched_wake(t, 0);
			woken++;
		} else if ((uint64_t)moved < requeue) {
			t->futex_addr = uaddr2;
			moved++;
		} else {
			break;
		}
	}
	return woken + moved;
}

/* A waiter cut short by a signal restarts its call, or fails with EINTR
 * under a handler: always if it had a timeout (Linux's restart block). */
void futex_cancel(struct thread *t)
{
	if (t->state != T_FUTEX)
		return;
	long err = t->wake_at ? -ERESTARTNOHAND : -ERESTARTSYS;
	list_remove(&t->run_link);
	sched_wake(t, err);
}

static long wait(struct thread *self, uint64_t uaddr, uint32_t val, uint64_t deadline,
		 uint32_t bitset)
{
	uint32_t cur;

	if (copy_from_user(self->proc->vm, &cur, uaddr, sizeof cur))
		return -EFAULT;
	if (cur != val)
		return -EAGAIN;
	if (self->sig_pending)      /* a signal is due: take it first */
		return deadline ? -ERESTARTNOHAND : -ERESTARTSYS;
	if (deadline && deadline <= time_ns())
		return -ETIMEDOUT;
	self->futex_addr = uaddr;
	self->futex_bitset = bitset;
	list_add_tail(&waiters, &self->run_link);
	if (deadline)
		sched_set_timeout(self, deadline);
	sched_block(T_FUTEX);
	return self->wait_result;
}

/* The deadline (ns since boot) a timeout names: relative for FUTEX_WAIT,
 * absolute on CLOCK_MONOTONIC (ns since boot here) for FUTEX_WAIT_BITSET. */
static long deadline_of(struct vm_space *vm, uint64_t utime, bool absolute, uint64_t *deadline)
{
	struct linux_timespec ts;

	*deadline = 0;
	if (!utime)
		return 0;
	if (copy_from_user(vm, &ts, utime, sizeof ts))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NS_PER_SEC)
		return -EINVAL;
	if ((uint64_t)ts.tv_sec >= FOREVER_SEC)
		return 0;
	*deadline = (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	if (!absolute)
		*deadline += time_ns();
	if (!*deadline)
		*deadline = 1;          /* 0 means "no timeout" to the scheduler */
	return 0;
}

/* A wake needs no access to the word, but a shared futex must be mapped
 * (Linux looks its page up to find the key). */
static long check_mapped(struct vm_space *vm, uint64_t uaddr, uint64_t op)
{
	uint32_t v;

	if (op & FUTEX_PRIVATE_FLAG)
		return 0;
	return copy_from_user(vm, &v, uaddr, sizeof v);
}

long linux_futex(const uint64_t a[6])
{
	struct thread *self = current_thread();
	struct vm_space *vm = self->proc->vm;
	uint64_t uaddr = a[0], op = a[1], val = (uint32_t)a[2], deadline;
	uint32_t val3 = (uint32_t)a[5], cur;
	unsigned cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
	bool is_wait = cmd == FUTEX_WAIT || cmd == FUTEX_WAIT_BITSET;
	long err;

	if (op & FUTEX_CLOCK_REALTIME && !is_wait)
		return -ENOSYS;
	if (uaddr & 3 || !user_range_ok(uaddr, 4))
		return -EINVAL;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		/* no wall clock in the kernel: an absolute CLOCK_REALTIME
		 * deadline is not supported */
		if (cmd == FUTEX_WAIT_BITSET && op & FUTEX_CLOCK_REALTIME)
			return -ENOSYS;
		err = deadline_of(vm, a[3], cmd == FUTEX_WAIT_BITSET, &deadline);
		if (err)
			return err;
		if (cmd == FUTEX_WAIT)
			val3 = FUTEX_BITSET_ANY;
		return val3 ? wait(self, uaddr, (uint32_t)val, deadline, val3) : -EINVAL;
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE)
			val3 = FUTEX_BITSET_ANY;
		if (!val3)
			return -EINVAL;
		err = check_mapped(vm, uaddr, op);
		return err ? err : wake(vm, uaddr, val, val3, 0, 0);
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((int32_t)val < 0 || (int32_t)a[3] < 0)
			return -EINVAL;
		if (a[4] & 3 || !user_range_ok(a[4], 4))
			return -EINVAL;
		if (cmd == FUTEX_CMP_REQUEUE) {
			if (copy_from_user(vm, &cur, uaddr, sizeof cur))
				return -EFAULT;
			if (cur != val3)
				return -EAGAIN;
		} else if ((err = check_mapped(vm, uaddr, op))) {
			return err;
		}
		return wake(vm, uaddr, val, FUTEX_BITSET_ANY, a[4], (uint32_t)a[3]);
	default:
		return -ENOSYS;
	}
}

/* A thread ends: Linux's clear_child_tid (how pthread_join learns of it). */
void futex_thread_exit(struct thread *t)
{
	uint32_t zero = 0;

	if (!t->clear_child_tid || !t->proc->vm)
		return;
	if (!copy_to_user(t->proc->vm, t->clear_child_tid, &zero, sizeof zero))
		wake(t->proc->vm, t->clear_child_tid, 1, FUTEX_BITSET_ANY, 0, 0);
}
