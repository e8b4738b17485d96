/* Small native syscalls: log, time, poweroff, statistics. */
#include <arch/platform.h>
#include <cap.h>
#include <log.h>
#include <mm.h>
#include <sched.h>
#include <syscall.h>
#include <vm.h>
#include <tessera/errno.h>

#define LOG_MAX 240

extern uint64_t ipc_call_count;
extern uint64_t boot_to_first_user_ns;

long sys_log(uint64_t ubuf, uint64_t len)
{
	struct process *p = current_proc();
	char buf[LOG_MAX + 1];

	len = MIN(len, LOG_MAX);
	if (copy_from_user(p->vm, buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	klog("%s: %s", p->name, buf);
	return 0;
}

long sys_yield(void)
{
	schedule();
	return 0;
}

long sys_sleep(uint64_t ns)
{
	struct thread *self = current_thread();

	sched_set_timeout(self, time_ns() + ns);
	sched_block(T_SLEEP);
	return self->wait_result;
}

long sys_clock(void)
{
	return (long)time_ns();
}

long sys_poweroff(uint64_t slot, uint64_t status)
{
	struct cap *c;
	int err = cap_get(slot, TS_CAP_SYSTEM, 0, &c);

	if (err)
		return err;
	klog("poweroff (status %lu)", status);
	if (status == 0)
		acpi_poweroff();
	/* a failure status, or no ACPI: leave through isa-debug-exit */
	qemu_exit((uint8_t)status);
}

long sys_reboot(uint64_t slot)
{
	struct cap *c;
	int err = cap_get(slot, TS_CAP_SYSTEM, 0, &c);

	if (err)
		return err;
	klog("reboot");
	platform_reset();
	return -EIO;
}

long sys_stats(uint64_t ubuf)
{
	struct ts_stats st = {
		.tsc_per_us = tsc_per_us,
		.boot_to_first_user_ns = boot_to_first_user_ns,
		.free_pages = pmm_free_pages(),
		.total_pages = pmm_total_pages(),
		.context_switches = this_cpu()->context_switches,
		.ipc_calls = ipc_call_count,
		.ticks = this_cpu()->ticks,
		.idle_ticks = this_cpu()->idle_ticks,
	};
	memcpy(st.load, this_cpu()->load, sizeof st.load);
	return copy_to_user(current_proc()->vm, ubuf, &st, sizeof st);
}
