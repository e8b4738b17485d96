/* What the boot loader told us, in a loader-neutral form. */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16

struct boot_region {
	uint64_t base, len;
};

struct boot_module {
	uint64_t start, end;   /* physical */
	char cmdline[192];     /* "name args…" from the module line */
};

struct boot_info {
	struct boot_region ram[BOOT_MAX_REGIONS];
	unsigned nram;
	struct boot_module module[BOOT_MAX_MODULES];
	unsigned nmodules;
	char cmdline[128];
	uint64_t rsdp_phys;    /* 0 if the loader gave none */
	uint64_t mb_info_phys, mb_info_len;
};

/* Parse the multiboot2 information block; panics on a bad magic. */
void multiboot2_parse(uint32_t magic, uint64_t info_phys, struct boot_info *bi);
extern struct boot_info boot_info;

#endif
