/* Multiboot2 information block -> struct boot_info. */
#include <bootinfo.h>
#include <mm.h>

enum {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_MODULE = 3,
	MB2_TAG_MMAP = 6,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

static void parse_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint32_t *hdr = (const uint32_t *)(tag + 1);
	uint32_t esize = hdr[0];
	const uint8_t *p = (const uint8_t *)(hdr + 2);
	const uint8_t *end = (const uint8_t *)tag + tag->size;

	if (esize < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + esize <= end; p += esize) {
		const struct mb2_mmap_entry *e = (const void *)p;
		if (e->type != 1 || bi->nram == BOOT_MAX_REGIONS)
			continue;
		bi->ram[bi->nram++] = (struct boot_region){ e->base, e->len };
	}
}

static void parse_module(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint32_t *m = (const uint32_t *)(tag + 1);

	if (bi->nmodules == BOOT_MAX_MODULES) {
		bi->modules_ignored++;
		return;
	}
	struct boot_module *bm = &bi->module[bi->nmodules++];
	bm->start = m[0];
	bm->end = m[1];
	strlcpy(bm->cmdline, (const char *)(m + 2), sizeof bm->cmdline);
}

void multiboot2_parse(uint64_t info_phys, struct boot_info *bi)
{
	const uint8_t *info = phys_to_virt(info_phys);
	uint32_t total = *(const uint32_t *)info;

	bi->loader = "multiboot2";
	bi->mb_info_phys = info_phys;
	bi->mb_info_len = total;
	for (uint32_t off = 8; off + 8 <= total;) {
		const struct mb2_tag *tag = (const void *)(info + off);
		if (tag->type == MB2_TAG_END || tag->size < 8)
			break;
		switch (tag->type) {
		case MB2_TAG_CMDLINE:
			strlcpy(bi->cmdline, (const char *)(tag + 1), sizeof bi->cmdline);
			break;
		case MB2_TAG_MODULE:
			parse_module(tag, bi);
			break;
		case MB2_TAG_MMAP:
			parse_mmap(tag, bi);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			bi->rsdp_phys = virt_to_phys(tag + 1);
			break;
		}
		off += ALIGN_UP(tag->size, 8);
	}
}
