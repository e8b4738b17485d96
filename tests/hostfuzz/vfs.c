/* The VFS (servers/vfs) for the host fuzzer: its main.c is included, for its
 * static dispatch (handle); its main runs to its loop with a serial console
 * and no initramfs (an empty root, devfs and procfs). Time passes (the
 * shim's clock) and the input says when its waits time out. */
#define main vfs_main
#include "../../servers/vfs/main.c"
#undef main
#include "shim.h"

/* What its loop does when its wait for a request times out (receive). */
static long expire(struct ts_msg *m)
{
	(void)m;
	poll_recheck();
	tty_expire();
	return TS_NO_REPLY;
}

static int start(void)
{
	return hostfuzz_run_main(vfs_main, "ioport=0x3f8:8");
}

const struct hostfuzz_server hostfuzz_server = { "vfs", start, { handle, NULL, expire } };
