/* Exceptions and interrupts: user faults kill the process, kernel faults
 * panic, device interrupts become notifications. */
#include <arch/cpu.h>
#include <arch/platform.h>
#include <arch/trapframe.h>
#include <irq.h>
#include <log.h>
#include <panic.h>
#include <percpu.h>
#include <sched.h>
#include <syscall.h>
#include <vm.h>

#define VEC_DEBUG      1
#define VEC_PAGE_FAULT 14

void trap_dispatch(struct trap_frame *f);

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 error", "alignment check", "machine check",
	"SIMD error", "virtualization", "control protection",
};

static const char *exception_name(uint64_t v)
{
	return exception_names[v] ? exception_names[v] : "exception";
}

/* A debug exception's cause (DR6: a single step, or int1) goes with it as
 * its error code; the status bits are sticky, so they are cleared for the
 * next one. */
static void debug_status(struct trap_frame *f)
{
	f->error = read_dr6();
	write_dr6(DR6_INIT);
}

void trap_dispatch(struct trap_frame *f)
{
	uint64_t v = f->vector;

	if (frame_from_user(f))
		current_thread()->syscall_nr = -1;
	if (v == VEC_DEBUG && frame_from_user(f))
		debug_status(f);
	enum vm_fault pf = v == VEC_PAGE_FAULT && frame_from_user(f)
			   ? vm_fault(current_proc()->vm, read_cr2(), &f->error) : VM_FAULT_BAD;
	if (pf == VM_FAULT_DONE) {
		/* demand-zero or copy-on-write: the access is retried */
		current_proc()->minflt++;
	} else if (v < 32 && frame_from_user(f)) {
		/* a POSIX process's fault becomes a signal, or out of memory the
		 * process manager's OOM policy; others die */
		if (!linux_fault(f, pf))
			user_fault(f, exception_name(v));
	} else if (v < 32) {
		panic_frame(f, exception_name(v));
	} else if (v == VEC_TIMER) {
		lapic_eoi();
		sched_tick(frame_from_user(f));
	} else if (v >= VEC_IRQ_BASE && v < VEC_IRQ_BASE + MAX_IRQ_LINES) {
		irq_handle(v - VEC_IRQ_BASE);
		lapic_eoi();
	} else if (v != VEC_SPURIOUS) {
		klog("trap: unexpected vector %lu", v);
		lapic_eoi();
	}
	/* the kernel is not preemptible: switch only on the way back to user */
	if (!frame_from_user(f))
		return;
	if (this_cpu()->need_resched)
		schedule();
	signal_point();
}
