/* Runs a privileged instruction and touches kernel memory: the first must
 * kill this process with #GP (init expects status EXIT_FAULT(13)). */
#include <tessera.h>

int main(void)
{
	ts_print("executing cli in user mode");
	__asm__ volatile("cli");
	ts_print("still alive after cli");
	return 0;
}
