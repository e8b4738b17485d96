/* The VFS (servers/vfs) for the host fuzzer: its main.c is included, for its
 * static dispatch (handle); its main runs to its loop with a serial console
 * and no initramfs (an empty root, devfs and procfs). */
#define main vfs_main
#include "../../servers/vfs/main.c"
#undef main
#include "shim.h"

static int start(void)
{
	return hostfuzz_run_main(vfs_main, "ioport=0x3f8:8");
}

const struct hostfuzz_server hostfuzz_server = { "vfs", start, { handle } };
