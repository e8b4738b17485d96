/* The process manager (posix/pm) for the host fuzzer: its main.c is included,
 * for its static dispatch (handle). Its main sets everything up but cannot
 * start the first program here (an image is read at fixed addresses the host
 * build does not have), so the first process (pid 2, after the failed 1) is
 * one without an image; the input forks, execs and signals from there. */
#define main pm_main
#include "../../posix/pm/main.c"
#undef main
#include "shim.h"

static int start(void)
{
	int err = hostfuzz_run_main(pm_main, "system");

	if (!err)
		return -1;          /* pid 1 ran after all: a changed main */
	return proc_alloc(0) ? 0 : -ENOMEM;
}

const struct hostfuzz_server hostfuzz_server = { "pm", start, handle };
