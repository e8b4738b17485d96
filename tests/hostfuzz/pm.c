/*
 * The process manager (posix/pm) for the host fuzzer: its main.c and
 * procinfo.c are included, for their static dispatch functions: handle, of
 * its endpoint, and answer, of its information endpoint ("pm.info", served
 * there by a thread of its own, which never runs here). Its main sets
 * everything up but, with no program after "--" on its module line, starts
 * none (a program's image is read at fixed addresses the host build does
 * not have): pid 1 is made a process without an image instead; the input
 * forks, execs and signals from there.
 */
#define main pm_main
#include "../../posix/pm/main.c"
#undef main
#include "../../posix/pm/procinfo.c"
#include "shim.h"

/* Its loop wakes the sleepers whose time has come (next_request): here
 * when the input says its wait times out. */
static long wake(struct ts_msg *m)
{
	(void)m;
	pm_wake_sleepers();
	return TS_NO_REPLY;
}

static int start(void)
{
	if (hostfuzz_run_main(pm_main, "system") != 1 || proc_last_pid())
		return -1;          /* main changed: it started a program or got further */
	return proc_alloc(0) ? 0 : -ENOMEM;
}

const struct hostfuzz_server hostfuzz_server = { "pm", start, { handle, answer, wake } };
