/*
 * The multiboot1 information parser against blocks laid out as QEMU's
 * -kernel leaves them, in a fake physical memory of exactly MEM_SIZE bytes
 * (AddressSanitizer catches any read past it).
 */
#include <stdint.h>
#include <stdlib.h>
#include "unit.h"
#include <bootinfo.h>

#define MEM_SIZE  0x10000
#define MMAP_PA   0x9000
#define INFO_PA   0x9500
#define MODS_PA   0xA000
#define STR_PA    0xB000

#define HAS_CMDLINE (1u << 2)
#define HAS_MODS    (1u << 3)
#define HAS_MMAP    (1u << 6)

struct fake {
	uint8_t *mem;
	struct phys_window win;
	uint32_t str_next;   /* where the next string goes */
	uint32_t nmods;
	uint32_t mmap_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint32_t add_string(struct fake *f, const char *s)
{
	uint32_t pa = f->str_next;

	memcpy(f->mem + pa, s, strlen(s) + 1);
	f->str_next += strlen(s) + 1;
	return pa;
}

/* An information block with flags and an empty memory map. */
static void fake_init(struct fake *f, uint32_t flags)
{
	f->mem = calloc(1, MEM_SIZE);
	f->win = (struct phys_window){ f->mem, MEM_SIZE };
	f->str_next = STR_PA;
	f->nmods = 0;
	f->mmap_len = 0;
	put32(f->mem + INFO_PA, flags);
	put32(f->mem + INFO_PA + 24, MODS_PA);
	put32(f->mem + INFO_PA + 48, MMAP_PA);
}

static void add_region(struct fake *f, uint64_t base, uint64_t len, uint32_t type)
{
	uint8_t *e = f->mem + MMAP_PA + f->mmap_len;

	put32(e, 20);
	put64(e + 4, base);
	put64(e + 12, len);
	put32(e + 20, type);
	f->mmap_len += 24;
	put32(f->mem + INFO_PA + 44, f->mmap_len);
}

static void add_module(struct fake *f, uint32_t start, uint32_t end, const char *cmd)
{
	uint8_t *e = f->mem + MODS_PA + 16 * f->nmods++;

	put32(e, start);
	put32(e + 4, end);
	put32(e + 8, add_string(f, cmd));
	put32(f->mem + INFO_PA + 20, f->nmods);
}

static void set_cmdline(struct fake *f, const char *cmd)
{
	put32(f->mem + INFO_PA + 16, add_string(f, cmd));
}

/* QEMU's: low RAM, the BIOS hole, then RAM from 1 MiB */
static void qemu_map(struct fake *f)
{
	add_region(f, 0, 0x9FC00, 1);
	add_region(f, 0x9FC00, 0x400, 2);
	add_region(f, 0xF0000, 0x10000, 2);
	add_region(f, 0x100000, 0x1FEE0000, 1);
	add_region(f, 0xFFFC0000, 0x40000, 2);
}

TEST(mb1_qemu_kernel_boot)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_CMDLINE | HAS_MODS | HAS_MMAP | 1);
	qemu_map(&f);
	set_cmdline(&f, "build/kernel.elf poweroff panic_test");
	add_module(&f, 0x129000, 0x12F123, "build/user/init");
	add_module(&f, 0x130000, 0x131000, "/abs/path/pm test+wait+--+sh -c x,y");
	add_module(&f, 0x132000, 0x133000, "initramfs posix");
	CHECK(multiboot1_parse(&f.win, INFO_PA, &bi));
	CHECK(!strcmp(bi.loader, "multiboot1"));
	CHECK_EQ(bi.nram, 2);
	CHECK_EQ(bi.ram[0].base, 0);
	CHECK_EQ(bi.ram[0].len, 0x9FC00);
	CHECK_EQ(bi.ram[1].base, 0x100000);
	CHECK_EQ(bi.ram[1].len, 0x1FEE0000);
	CHECK(!strcmp(bi.cmdline, "poweroff panic_test"));
	CHECK_EQ(bi.nmodules, 3);
	CHECK_EQ(bi.module[0].start, 0x129000);
	CHECK_EQ(bi.module[0].end, 0x12F123);
	CHECK(!strcmp(bi.module[0].cmdline, "init"));
	CHECK(!strcmp(bi.module[1].cmdline, "pm test+wait+--+sh -c x,y"));
	CHECK(!strcmp(bi.module[2].cmdline, "initramfs posix"));
	CHECK_EQ(bi.rsdp_phys, 0);
	CHECK_EQ(bi.mb_info_len, 0);   /* everything was copied out */
	free(f.mem);
}

TEST(mb1_empty_command_lines)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_CMDLINE | HAS_MMAP);   /* no modules flag: none read */
	qemu_map(&f);
	set_cmdline(&f, "kernel.elf ");           /* QEMU's for an empty -append */
	add_module(&f, 0x129000, 0x12A000, "init");
	CHECK(multiboot1_parse(&f.win, INFO_PA, &bi));
	CHECK(!strcmp(bi.cmdline, ""));
	CHECK_EQ(bi.nmodules, 0);
	free(f.mem);
}

TEST(mb1_too_many_modules)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_MODS | HAS_MMAP);
	qemu_map(&f);
	for (int i = 0; i < BOOT_MAX_MODULES + 2; i++)
		add_module(&f, 0x200000 + i * 0x1000, 0x201000 + i * 0x1000, "m");
	CHECK(multiboot1_parse(&f.win, INFO_PA, &bi));
	CHECK_EQ(bi.nmodules, BOOT_MAX_MODULES);
	CHECK_EQ(bi.modules_ignored, 2);
	free(f.mem);
}

TEST(mb1_memory_map_required)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_MMAP);
	add_region(&f, 0xF0000, 0x10000, 2);      /* no RAM in it */
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	free(f.mem);

	fake_init(&f, 0);                         /* no map at all */
	qemu_map(&f);
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	free(f.mem);
}

TEST(mb1_stays_in_the_window)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_CMDLINE | HAS_MODS | HAS_MMAP);
	qemu_map(&f);
	set_cmdline(&f, "k x");
	add_module(&f, 0x129000, 0x12A000, "init");
	CHECK(!multiboot1_parse(&f.win, MEM_SIZE - 40, &bi));    /* the block itself */
	put32(f.mem + INFO_PA + 48, MEM_SIZE - 16);                  /* the map */
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	put32(f.mem + INFO_PA + 48, MMAP_PA);
	put32(f.mem + INFO_PA + 16, MEM_SIZE);                       /* the command line */
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	memset(f.mem + MEM_SIZE - 4, 'x', 4);                        /* one with no end */
	put32(f.mem + INFO_PA + 16, MEM_SIZE - 4);
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	put32(f.mem + INFO_PA + 16, STR_PA);
	put32(f.mem + INFO_PA + 20, 0x10000000);                     /* the module list */
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	put32(f.mem + INFO_PA + 20, 1);
	put32(f.mem + MODS_PA + 8, MEM_SIZE + 100);                  /* a module's string */
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	free(f.mem);
}

TEST(mb1_module_end_before_start)
{
	struct fake f;
	struct boot_info bi = { 0 };

	fake_init(&f, HAS_MODS | HAS_MMAP);
	qemu_map(&f);
	add_module(&f, 0x12A000, 0x129000, "init");
	CHECK(!multiboot1_parse(&f.win, INFO_PA, &bi));
	free(f.mem);
}
