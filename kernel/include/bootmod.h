/* Boot modules (ELF images GRUB loaded) as objects a capability can name. */
#ifndef BOOTMOD_H
#define BOOTMOD_H

#include <stdint.h>
#include <stddef.h>

struct bootmod {
	const void *image;
	size_t size;
	char name[24];
	char args[160];
};

void bootmod_init(void);
unsigned bootmod_count(void);
struct bootmod *bootmod_get(unsigned i);
struct bootmod *bootmod_find(const char *name);

#endif
