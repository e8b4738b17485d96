/* Writes through a null pointer: the kernel must kill this process with a
 * page fault (init expects status EXIT_FAULT(14)) and carry on. */
#include <tessera.h>

int main(void)
{
	ts_print("writing to address 0");
	*(volatile int *)0 = 1;
	ts_print("still alive after a null write");
	return 0;
}
