/* Multiboot1 information block (QEMU's -kernel) -> struct boot_info.
 * Reads physical memory only through a window and checks every address
 * against it, so that it also runs in the host unit tests. */
#include <bootinfo.h>
#include <common.h>

/* information block: the fields we read (multiboot 0.6.96, section 3.3) */
#define MBI_FLAGS        0
#define MBI_CMDLINE      16
#define MBI_MODS_COUNT   20
#define MBI_MODS_ADDR    24
#define MBI_MMAP_LENGTH  44
#define MBI_MMAP_ADDR    48
#define MBI_LEN          52
#define MBI_HAS_CMDLINE  (1u << 2)
#define MBI_HAS_MODS     (1u << 3)
#define MBI_HAS_MMAP     (1u << 6)

/* module: start, end, string, reserved */
#define MOD_LEN          16
/* memory map entry: size of the rest, then base, length, type */
#define MMAP_ENTRY_MIN   24
#define MMAP_RAM         1

static uint32_t le32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* The len bytes at pa, or NULL unless they all lie inside the window. */
static const uint8_t *window_at(const struct phys_window *m, uint64_t pa, uint64_t len)
{
	return pa <= m->size && len <= m->size - pa ? m->base + pa : NULL;
}

/* The string at pa, or NULL unless it ends inside the window. */
static const char *string_at(const struct phys_window *m, uint64_t pa)
{
	if (pa >= m->size || !memchr(m->base + pa, 0, m->size - pa))
		return NULL;
	return (const char *)m->base + pa;
}

/* s from its first word's base name on: "dir/init a b" -> "init a b" */
static const char *base_name(const char *s)
{
	const char *name = s;

	for (; *s && *s != ' '; s++)
		if (*s == '/')
			name = s + 1;
	return name;
}

/* s after its first word and the spaces that follow it */
static const char *after_word(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static bool parse_mmap(const struct phys_window *m, uint64_t pa, uint64_t len,
		       struct boot_info *bi)
{
	const uint8_t *map = window_at(m, pa, len);

	if (!map)
		return false;
	for (uint64_t off = 0; off + MMAP_ENTRY_MIN <= len; off += 4 + (uint64_t)le32(map + off)) {
		const uint8_t *e = map + off + 4;
		if (le32(e + 16) != MMAP_RAM || bi->nram == BOOT_MAX_REGIONS)
			continue;
		bi->ram[bi->nram++] = (struct boot_region){ le64(e), le64(e + 8) };
	}
	return bi->nram > 0;
}

static bool parse_modules(const struct phys_window *m, uint64_t pa, uint32_t count,
			  struct boot_info *bi)
{
	const uint8_t *mods = window_at(m, pa, (uint64_t)count * MOD_LEN);

	if (!mods)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = mods + i * MOD_LEN;
		const char *cmd = string_at(m, le32(e + 8));
		if (!cmd || le32(e + 4) < le32(e))
			return false;
		if (bi->nmodules == BOOT_MAX_MODULES) {
			bi->modules_ignored++;
			continue;
		}
		struct boot_module *bm = &bi->module[bi->nmodules++];
		bm->start = le32(e);
		bm->end = le32(e + 4);
		snprintf(bm->cmdline, sizeof bm->cmdline, "%s", base_name(cmd));
	}
	return true;
}

bool multiboot1_parse(const struct phys_window *m, uint64_t info_pa, struct boot_info *bi)
{
	const uint8_t *info = window_at(m, info_pa, MBI_LEN);

	if (!info)
		return false;
	uint32_t flags = le32(info + MBI_FLAGS);
	bi->loader = "multiboot1";
	if (!(flags & MBI_HAS_MMAP) ||
	    !parse_mmap(m, le32(info + MBI_MMAP_ADDR), le32(info + MBI_MMAP_LENGTH), bi))
		return false;
	if (flags & MBI_HAS_CMDLINE) {
		const char *cmd = string_at(m, le32(info + MBI_CMDLINE));
		if (!cmd)
			return false;
		snprintf(bi->cmdline, sizeof bi->cmdline, "%s", after_word(cmd));
	}
	return !(flags & MBI_HAS_MODS) ||
	       parse_modules(m, le32(info + MBI_MODS_ADDR), le32(info + MBI_MODS_COUNT), bi);
}
