/* Kernel panics: registers, a symbolized backtrace, then QEMU exits with a
 * failure status so that tests see it. */
#ifndef PANIC_H
#define PANIC_H

#include <stdint.h>

struct trap_frame;

struct ksym {
	uint64_t addr;
	const char *name;
};

/* Generated at link time (scripts/gensyms.sh), sorted by address. */
extern const struct ksym ksyms[];
extern const unsigned nksyms;

/* Name of the function containing addr and the offset into it. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
void print_backtrace(uint64_t rbp);
__attribute__((noreturn)) void panic_frame(const struct trap_frame *f, const char *why);

#define PANIC_EXIT_CODE 0x31   /* QEMU exits with (0x31 << 1) | 1 = 99 */

#endif
