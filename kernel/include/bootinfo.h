/* What the boot loader told us, in a loader-neutral form: one structure,
 * filled by one small parser per boot protocol. */
#ifndef BOOTINFO_H
#define BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 16

/* eax at the kernel's entry: which protocol the loader spoke */
#define MB1_BOOT_MAGIC 0x2BADB002   /* QEMU's -kernel */
#define MB2_BOOT_MAGIC 0x36d76289   /* GRUB */

struct boot_region {
	uint64_t base, len;
};

struct boot_module {
	uint64_t start, end;   /* physical */
	char cmdline[192];     /* "name args…" from the module line */
};

struct boot_info {
	const char *loader;    /* "multiboot1" or "multiboot2" */
	struct boot_region ram[BOOT_MAX_REGIONS];
	unsigned nram;
	struct boot_module module[BOOT_MAX_MODULES];
	unsigned nmodules;
	unsigned modules_ignored;  /* beyond BOOT_MAX_MODULES */
	char cmdline[128];
	uint64_t rsdp_phys;    /* 0 if the loader gave none and the BIOS areas hold none */
	uint64_t mb_info_phys, mb_info_len;  /* loader data that must outlive boot */
};

/* Physical memory as a parser reads it: the byte at physical address pa is
 * base[pa], for pa < size. The kernel passes its direct map, the unit tests
 * a buffer. */
struct phys_window {
	const uint8_t *base;
	uint64_t size;
};

/* Fill boot_info from the loader that started the kernel (magic and info
 * as boot.S found them in eax and ebx); panics on an unknown loader. */
void boot_info_init(uint32_t magic, uint64_t info_phys);
extern struct boot_info boot_info;

void multiboot2_parse(uint64_t info_phys, struct boot_info *bi);

/* Parse the multiboot1 information block at info_pa. Module and kernel
 * command lines lose the path multiboot1 loaders put first ("dir/init
 * args" becomes "init args", "dir/kernel.elf args" becomes "args"), so they
 * read as GRUB's multiboot2 ones do. False if the block, or anything it
 * points to, lies outside mem, or there is no memory map. No RSDP: the
 * caller scans for it. */
bool multiboot1_parse(const struct phys_window *mem, uint64_t info_pa, struct boot_info *bi);

#endif
